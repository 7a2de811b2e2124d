"""A layer and its counterpart in the other dialect: the result type and the function that builds it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import layers, nn
from .._checks import fail
from ..enums import Dialect, Family
from ..errors import ConfigError
from ..info import Describable, LayerInfo, Shape
from . import from_keras, from_torch
from ._common import build, info_kind
from .differences import Difference, difference, weight_layout

__all__ = ["Counterpart", "counterpart"]

_REPACKED = frozenset([Family.RECURRENT, Family.ATTENTION])


@dataclass(frozen=True)
class Counterpart:
    """A layer, its closest equivalent in the other dialect, and where they differ.

    Parameters
    ----------
    layer : Describable
        The layer given (a :mod:`convwidget.layers` or :mod:`convwidget.nn` object).
    info : LayerInfo
        ``layer.describe(input_shape)``.
    other : tuple of Describable
        The other dialect's layers, in order (usually one; empty when there is none).
    other_input_shape : tuple of int or None
        The input shape converted to the other dialect's layout.
    other_infos : tuple of LayerInfo
        Each of ``other`` described on the shape it receives.
    differences : tuple of Difference
        Every way the two disagree for this layer and shape.
    """

    layer: Describable
    info: LayerInfo
    other: tuple[Describable, ...]
    other_input_shape: Shape | None
    other_infos: tuple[LayerInfo, ...]
    differences: tuple[Difference, ...]

    @property
    def other_dialect(self) -> Dialect:
        """``"torch"`` for a Keras layer, ``"keras"`` for a PyTorch one."""
        return self.info.dialect.other

    @property
    def other_info(self) -> LayerInfo | None:
        """The main counterpart's info: the last one with weights, else the last one, else None."""
        with_weights = [i for i in self.other_infos if i.params]
        if with_weights:
            return with_weights[-1]
        return self.other_infos[-1] if self.other_infos else None

    @property
    def other_params(self) -> int:
        """All parameters of the counterpart layers together."""
        return sum(i.params for i in self.other_infos)

    @property
    def other_output_shape(self) -> Shape | None:
        """The counterpart's output shape, or None without a counterpart."""
        return self.other_infos[-1].output_shape if self.other_infos else None

    def difference_keys(self) -> list[str]:
        """The keys of the differences, in order."""
        return [d.key for d in self.differences]

    @property
    def text(self) -> str:
        """A plain-text report: both layers, their counts and shapes, and each difference."""
        lines = [
            f"{self.info.dialect}: {self.layer!r} on {self.info.input_shape} -> {self.info.output_shape}, "
            f"params {self.info.terms.text}"
        ]
        for layer, info in zip(self.other, self.other_infos):
            shapes = f"{info.input_shape} -> {info.output_shape}"
            lines.append(f"{info.dialect}: {layer!r} on {shapes}, params {info.terms.text}")
        lines.extend(f"- {d}" for d in self.differences)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text


def counterpart(layer: Describable, input_shape: Sequence[int]) -> Counterpart:
    """Build ``layer``'s closest counterpart in the other dialect and explain the differences.

    Parameters
    ----------
    layer : convwidget.layers.Layer or convwidget.nn.Module
        A layer of either dialect.
    input_shape : tuple of int
        Its input shape without the batch axis, in the layer's own layout.

    Returns
    -------
    Counterpart
        Both layers' infos and the list of :class:`Difference` objects.

    Raises
    ------
    ConfigError
        If ``layer`` is not a convwidget layer or cannot take ``input_shape``.
    """
    # Only convwidget's own classes translate: a FrameworkLayer describes itself too, but has no arguments.
    if not isinstance(layer, (layers.Layer, nn.Module)):
        raise fail(
            "compare.counterpart", "layer", layer, "it must be a convwidget.layers or convwidget.nn layer"
        )
    info = layer.describe(input_shape)
    builders = from_keras.BUILDERS if info.dialect is Dialect.KERAS else from_torch.BUILDERS
    other, other_shape, diffs = build(layer, info, builders)
    infos: list[LayerInfo] = []
    current = other_shape
    try:
        for o in other:
            assert current is not None  # a builder that returns layers gives their input shape
            infos.append(o.describe(current))
            current = infos[-1].output_shape
    except ConfigError as exc:
        # e.g. the k//2 substitute for Keras' 'same' needs a kernel that fits the padded input
        infos = []
        diffs.append(difference("no_counterpart", f"The closest counterpart fails on this input: {exc}"))
    # convolutions, recurrent and attention layers store their weights in different shapes per framework
    stored_differently = info.geometry is not None or info_kind(info).family in _REPACKED
    if infos and stored_differently and any(i.params for i in infos) and info.params:
        diffs.append(weight_layout(info, infos))
    return Counterpart(layer, info, tuple(other), other_shape, tuple(infos), tuple(diffs))
