"""``describe()`` written once for both dialects.

The Keras and PyTorch dialects differ in constructor signatures, validation
and shape rules, which each class states in ``_compute``; how a
:class:`~convwidget.info.LayerInfo` is assembled from that result is the same
for both and lives here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import ClassVar, NamedTuple

from ._checks import fail, shape_arg
from ._counting import NO_WEIGHTS, Counted
from .enums import Dialect, Layout
from .info import KernelGeometry, LayerInfo, Shape, frozen_mapping
from .kinds import LayerKind, kind_of

__all__ = ["NOTHING", "Computed", "DescribedLayer"]


class Computed(NamedTuple):
    """What one layer class works out for one input shape, before it becomes a LayerInfo."""

    output_shape: Sequence[int]
    counted: Counted
    geometry: KernelGeometry | None = None
    buffers: Mapping[str, Shape] = frozen_mapping()


NOTHING = Counted(NO_WEIGHTS, {}, {})


class DescribedLayer:
    """Base of :class:`convwidget.layers.Layer` and :class:`convwidget.nn.Module`.

    Subclasses set ``dialect`` and the fix offered for a too-small input, and
    implement ``_compute(shape) -> Computed``; ``_non_trainable`` and
    ``_layout`` are the two hooks where the dialects differ.
    """

    dialect: ClassVar[Dialect]
    _too_small_fix: ClassVar[str] = "use a larger input"
    name: str | None

    @property
    def _label(self) -> str:
        return f"{type(self).__name__} '{self.name}'" if self.name else type(self).__name__

    @property
    def kind(self) -> LayerKind:
        """This class's entry in :data:`convwidget.kinds.KINDS`."""
        return kind_of(self.dialect, type(self))

    def _compute(self, shape: Shape) -> Computed:
        return Computed(shape, NOTHING)

    def _non_trainable(self, counted: Counted) -> int:
        """Parameters that are not trained (Keras' moving statistics; all of them when frozen)."""
        return 0

    def _layout(self, shape: Shape) -> Layout:
        """Where the channel axis of ``shape`` is, as this layer reads it."""
        raise NotImplementedError

    def describe(self, input_shape: Sequence[int]) -> LayerInfo:
        """Return the layer's output shape, counts, weights and formula for one input shape.

        Parameters
        ----------
        input_shape : tuple of int
            The input's shape without the batch axis, e.g. ``(26, 26, 32)`` for
            Keras (channels last) or ``(32, 26, 26)`` for PyTorch (channels first).

        Returns
        -------
        LayerInfo
            An immutable result.

        Raises
        ------
        ConfigError
            If the layer cannot take an input of that shape.
        """
        shape = shape_arg(self._label, input_shape)
        computed = self._compute(shape)
        out = tuple(computed.output_shape)
        if any(d < 1 for d in out):
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"the output shape would be {out}, and every output dimension must be >= 1",
                self._too_small_fix,
            )
        counted = computed.counted
        non_trainable = self._non_trainable(counted)
        keras_weights = frozen_mapping(counted.keras)
        torch_weights = frozen_mapping(counted.torch)
        return LayerInfo(
            layer_type=type(self).__name__,
            dialect=self.dialect,
            input_shape=shape,
            output_shape=out,
            trainable_params=counted.terms.total - non_trainable,
            non_trainable_params=non_trainable,
            terms=counted.terms,
            weights=keras_weights if self.dialect is Dialect.KERAS else torch_weights,
            keras_weights=keras_weights,
            torch_weights=torch_weights,
            buffers=sum(math.prod(b) for b in computed.buffers.values()),
            buffer_shapes=frozen_mapping(computed.buffers),
            geometry=computed.geometry,
            name=self.name,
            kind=self.kind,
            layout=self._layout(shape),
        )
