"""What every rule module shares: the :class:`Cost` result, the zero, the refusal, how a layer is called.

:mod:`~convwidget.cost.rules` (convolutions, dense layers and the per-family dispatch) and
:mod:`~convwidget.cost.sequence_rules` (recurrent and attention layers under the tools' conventions)
both build on these; neither imports the other's internals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .._checks import fail
from ..formula import Factor, Terms
from ..info import LayerInfo, Shape
from .conventions import Convention
from .feed import Feed

__all__ = ["ZERO", "Cost", "TorchCall", "elements", "heads", "undefined"]


@dataclass(frozen=True)
class Cost:
    """One layer's multiply-adds under one convention.

    Parameters
    ----------
    formula : Terms
        How it is made, every factor named, numbers filled in.
    note : str
        What the figure includes or leaves out for this layer, in one sentence.
    """

    formula: Terms
    note: str

    @property
    def mult_adds(self) -> int:
        """The multiply-adds the formula evaluates to."""
        return self.formula.total


@dataclass(frozen=True, kw_only=True)
class TorchCall:
    """How a PyTorch layer is called, which a :class:`LayerInfo` (shapes without the batch) omits.

    torchinfo multiplies a Linear's parameters by the output's first axis, the timesteps when the model
    is fed sequence-first; a sequence layer fed in the layout opposite to its own ``batch_first`` reads
    the T timesteps as T sequences of length 1; PyTorch's fast path for MultiheadAttention (taken in eval
    mode, under ``torch.no_grad()``, with ``batch_first=True``, unless ``add_zero_attn`` and a few
    visible settings rule it out) runs one fused operator that fvcore skips.

    Parameters
    ----------
    batch_first : bool or None
        The layer's ``batch_first`` (None for a layer without one).
    add_zero_attn : bool
        MultiheadAttention's ``add_zero_attn`` (it has no weights, so the description cannot show it).
    feed : Feed or None
        How the model the layer is in is fed (:func:`convwidget.cost.feed.feed_of`); None: as the
        layer's own ``batch_first`` says (a layer counted on its own is its model's first layer).
    """

    batch_first: bool | None = None
    add_zero_attn: bool = False
    feed: Feed | None = None

    @property
    def model_feed(self) -> Feed:
        """The feed, or the one the layer's own ``batch_first`` implies when it is counted alone."""
        if self.feed is not None:
            return self.feed
        return Feed.SEQUENCE_FIRST if self.batch_first is False else Feed.BATCH_FIRST

    @property
    def misfed(self) -> bool:
        """A sequence layer fed in the layout opposite to its ``batch_first`` (it sees T sequences of 1)."""
        if self.batch_first is None:
            return False
        return self.batch_first is (self.model_feed is Feed.SEQUENCE_FIRST)


ZERO = Terms(Factor("multiply-adds", 0, "0"))


def elements(shape: Shape) -> int:
    """Values a tensor of ``shape`` holds."""
    return math.prod(shape)


def heads(info: LayerInfo, prefix: str = "") -> int:
    """Attention heads, read off the query kernel ``(E, h, dk)`` of the Keras-named weights (1 if none)."""
    keras = info.keras_weights.get(f"{prefix}query/kernel")
    return keras[1] if keras is not None else 1


def undefined(
    info: LayerInfo,
    convention: Convention,
    why: str,
    fix: str = "use convention='textbook', or leave this layer out",
) -> Exception:
    """The ConfigError for a layer the convention does not define, naming both and why."""
    label = f"{info.name} ({info.layer_type})" if info.name else info.layer_type
    return fail(
        f"cost '{convention}'",
        "layer",
        label,
        f"the {convention} convention does not define its multiply-adds: {why}",
        fix,
    )
