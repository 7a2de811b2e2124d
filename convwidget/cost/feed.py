"""How a PyTorch model's input is fed to the tools: batch-first ``(1, T, F)`` or sequence-first ``(T, 1, F)``.

A description leaves the batch axis out, but torchinfo, ptflops and fvcore see the tensor PyTorch runs,
and some of their figures depend on where its batch axis is: torchinfo multiplies a Linear's or a
LayerNorm's parameters by the output's first axis (1 batch-first, T sequence-first), and a sequence layer
fed in the layout opposite to its own ``batch_first`` reads the T timesteps as T sequences of length 1.
A model is fed ONE way, decided here and nowhere else (the recording, ``tests/oracles/cost.py``, reads it
too): sequence-first when its first layer is a PyTorch sequence layer (LSTM, GRU, RNN,
MultiheadAttention, TransformerEncoderLayer) with ``batch_first=False``, batch-first otherwise.
"""

from __future__ import annotations

from enum import unique

from ..enums import Family, _Word
from ..info import LayerInfo

__all__ = ["Feed", "feed_of", "keeps_layout", "torch_input_shape"]


@unique
class Feed(_Word):
    """Where the batch axis of the tensor a PyTorch model is called with sits (a str enum)."""

    BATCH_FIRST = "batch-first"
    SEQUENCE_FIRST = "sequence-first"


def feed_of(first_layer: object) -> Feed:
    """How a model starting with ``first_layer`` is fed: sequence-first after a ``batch_first=False`` layer.

    Parameters
    ----------
    first_layer : layer or None
        The model's first layer; only a PyTorch sequence layer (the layers with a ``batch_first``
        argument) can make the feed sequence-first. None (no rows): batch-first.

    Returns
    -------
    Feed
        ``Feed.SEQUENCE_FIRST`` when ``first_layer.batch_first`` is False, else ``Feed.BATCH_FIRST``.
    """
    return Feed.SEQUENCE_FIRST if getattr(first_layer, "batch_first", None) is False else Feed.BATCH_FIRST


def torch_input_shape(feed: Feed, input_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of the tensor PyTorch runs at batch 1: ``(1, *shape)`` or ``(T, 1, *rest)``.

    Parameters
    ----------
    feed : Feed
        How the model is fed (:func:`feed_of`).
    input_shape : tuple of int
        The model's input shape without the batch axis, ``(T, F)`` for a sequence.

    Returns
    -------
    tuple of int
        With the batch axis (of size 1) where the feed puts it.
    """
    if feed is Feed.SEQUENCE_FIRST:
        return (input_shape[0], 1, *input_shape[1:])
    return (1, *input_shape)


# LayerNorm normalises the last axes and every other row below acts on the last axis or on each value,
# so it runs the same computation on (T, 1, F) as on (1, T, F); any other layer (a convolution, pooling,
# Flatten, BatchNorm's channel axis, an embedding lookup, a cell) would receive a different tensor than
# its description says.
_LAST_AXIS = frozenset([Family.DENSE, Family.DROPOUT, Family.ACTIVATION, Family.INPUT])
_LAST_AXIS_NORMS = frozenset(["layernorm"])


def keeps_layout(info: LayerInfo) -> bool:
    """Whether a layer that is not a sequence layer runs as described on a sequence-first tensor.

    Parameters
    ----------
    info : LayerInfo
        The layer on its input shape.

    Returns
    -------
    bool
        True for dense layers, dropout, LayerNorm and activations with at most one parameter (a
        PReLU with one weight per channel would read the batch axis as its channels).
    """
    kind = info.kind
    if kind is None:
        return False
    if kind.family is Family.ACTIVATION:
        return info.params <= 1
    return kind.family in _LAST_AXIS or kind.key in _LAST_AXIS_NORMS
