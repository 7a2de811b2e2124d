"""The conventions of counting multiply-adds, each with one sentence of what it includes.

Tools that print a layer's cost disagree because each counts something a little
different: the textbook counts the products of weights and inputs, torchinfo
multiplies every parameter (bias included) by the output positions, ptflops
adds the bias adds, activations and pooling, and fvcore counts the same
products as the textbook but calls them "flops". A :class:`Convention` names
one of them; :data:`INCLUDES` says, in one sentence each, what it counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import unique
from types import MappingProxyType

from .._checks import fail
from ..enums import _Word

__all__ = ["FLOPS_NOTE", "INCLUDES", "Convention", "convention"]


@unique
class Convention(_Word):
    """Which tool's way of counting multiply-adds (a str enum: ``Convention.TEXTBOOK == "textbook"``)."""

    TEXTBOOK = "textbook"
    TORCHINFO = "torchinfo"
    PTFLOPS = "ptflops"
    FVCORE = "fvcore"


INCLUDES: Mapping[Convention, str] = MappingProxyType(
    {
        Convention.TEXTBOOK: (
            "the multiply-accumulates of the weights for one sample: every product of a weight with an "
            "input value that is summed into an output (a convolution's H'·W'·Cout·(F·F·Cin/groups), "
            "a dense layer's positions·in·out, a recurrent layer's T·(input and recurrent gate products), "
            "attention's four projections plus the parameter-free products QKᵀ and AV); bias adds, "
            "activations, pooling and normalisation are not included"
        ),
        Convention.TORCHINFO: (
            "what torchinfo 1.8 prints in its Mult-Adds column at batch 1: every parameter of a "
            "convolution (bias included) times the output positions (for a transposed convolution too, "
            "which over-counts), every parameter of other layers once (T times in a PyTorch model fed "
            "sequence-first, (T, 1, F)), a recurrent layer's parameters "
            "times its first output axis, and nothing for layers without parameters or for modules that "
            "are not leaves (MultiheadAttention prints --)"
        ),
        Convention.PTFLOPS: (
            "what ptflops 0.7.5 reports with its default (pytorch) backend, which it calls MACs: the "
            "weight products, plus one per output value for each bias add, one or two per value for "
            "ReLU-like activation modules and normalisation, two per input value for pooling (its module "
            "hook and its patched functional both count); a Keras layer's activation= is no module and "
            "is not counted"
        ),
        Convention.FVCORE: (
            "what fvcore 0.1.5 reports (it calls them flops; its maintainers say they are "
            "multiply-accumulates): the weight products of convolutions and linear layers without "
            "bias adds (a transposed convolution's per input position), nothing for activations, "
            "pooling, dropout and whole-sequence recurrent layers (operators it has no handle for)"
        ),
    }
)

FLOPS_NOTE = "FLOPs = 2 × multiply-adds (one multiply and one add each)"


def convention(value: Convention | str) -> Convention:
    """Return ``value`` as a :class:`Convention`, or raise ConfigError naming the valid words.

    Parameters
    ----------
    value : Convention or str
        ``"textbook"``, ``"torchinfo"``, ``"ptflops"`` or ``"fvcore"``.

    Returns
    -------
    Convention
        The enum member.
    """
    try:
        return Convention(value)
    except ValueError:
        valid = ", ".join(repr(str(c)) for c in Convention)
        raise fail("cost", "convention", value, f"it must be one of {valid}") from None
