"""The immutable result of ``layer.describe(input_shape)``, shared by both dialects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .enums import Dialect, Family, Layout
from .formula import Terms

if TYPE_CHECKING:
    from .kinds import LayerKind

__all__ = ["Describable", "KernelGeometry", "LayerInfo", "Shape", "frozen_mapping"]

Shape = tuple[int, ...]


def frozen_mapping(pairs: Mapping[str, Shape] | None = None) -> Mapping[str, Shape]:
    """Return a read-only mapping that keeps the insertion order of ``pairs``."""
    return MappingProxyType(dict(pairs or {}))


@dataclass(frozen=True)
class KernelGeometry:
    """What a layer's weights look like, for drawings and diagnosis.

    Parameters
    ----------
    kind : Family
        ``"conv"``, ``"transpose"``, ``"depthwise"``, ``"separable"`` or ``"dense"``
        (a str enum, so comparisons with the plain words work).
    kernel_size : tuple of int
        Spatial kernel size (``()`` for dense layers).
    in_channels : int
        Channels (or features) the layer reads.
    out_channels : int
        Channels (or units) the layer produces.
    groups : int
        Channel groups; each kernel spans ``in_channels // groups`` channels.
    bias : bool
        Whether each output channel has a bias.
    depth_multiplier : int
        Depthwise outputs per input channel (depthwise and separable only).
    """

    kind: Family
    kernel_size: Shape
    in_channels: int
    out_channels: int
    groups: int = 1
    bias: bool = True
    depth_multiplier: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Family(self.kind))

    @property
    def channels_per_kernel(self) -> int:
        """Input channels each kernel spans."""
        if self.kind == "depthwise":
            return 1
        return self.in_channels // self.groups

    @property
    def kernel_volume(self) -> int:
        """Spatial cells in one slice of a kernel (``Fh·Fw`` for 2-D)."""
        out = 1
        for k in self.kernel_size:
            out *= k
        return out


@dataclass(frozen=True)
class LayerInfo:
    """Everything convwidget knows about one layer on one input shape.

    Shapes exclude the batch axis. ``weights`` maps the dialect's own weight
    names to shapes in its own layout; ``keras_weights`` and ``torch_weights``
    give the same weights in both frameworks' names and layouts, so they can be
    shown side by side.

    Parameters
    ----------
    layer_type : str
        The class name in the dialect, e.g. ``"Conv2D"`` or ``"Conv2d"``.
    dialect : Dialect
        ``"keras"`` or ``"torch"`` (a str enum).
    input_shape, output_shape : tuple of int
        Shapes without the batch axis.
    trainable_params, non_trainable_params : int
        Parameter counts with the dialect's meaning of "trainable".
    buffers : int
        Elements of non-parameter state (PyTorch's BatchNorm running stats).
    weights : Mapping[str, tuple of int]
        Weight name to shape, in the dialect's own layout and order.
    keras_weights, torch_weights : Mapping[str, tuple of int]
        The same weights in Keras' and in PyTorch's names and layouts.
    terms : Terms
        The total parameter count as a formula.
    geometry : KernelGeometry or None
        The kernel geometry of conv and dense layers.
    name : str or None
        The layer's name, if it has one.
    kind : LayerKind or None
        The layer's entry in :data:`convwidget.kinds.KINDS`; None only for a
        framework layer convwidget does not know.
    layout : Layout
        Where the channel (feature) axis sits in ``input_shape`` and
        ``output_shape``, set by the dialect: Keras channels-last unless
        ``data_format="channels_first"``, PyTorch channels-first; Dense/Linear,
        LayerNorm and Embedding channels-last in both.
    """

    layer_type: str
    dialect: Dialect
    input_shape: Shape
    output_shape: Shape
    trainable_params: int
    non_trainable_params: int
    terms: Terms
    weights: Mapping[str, Shape] = field(default_factory=frozen_mapping)
    keras_weights: Mapping[str, Shape] = field(default_factory=frozen_mapping)
    torch_weights: Mapping[str, Shape] = field(default_factory=frozen_mapping)
    buffers: int = 0
    buffer_shapes: Mapping[str, Shape] = field(default_factory=frozen_mapping)
    geometry: KernelGeometry | None = None
    name: str | None = None
    kind: LayerKind | None = None
    layout: Layout = Layout.CHANNELS_LAST

    def __post_init__(self) -> None:
        object.__setattr__(self, "dialect", Dialect(self.dialect))
        object.__setattr__(self, "layout", Layout(self.layout))

    @property
    def channels_first(self) -> bool:
        """Whether the channel axis is the first axis of the shapes (after the batch axis)."""
        return self.layout is Layout.CHANNELS_FIRST

    def split(self, shape: Shape) -> tuple[Shape, int]:
        """Split ``shape`` (``input_shape`` or ``output_shape``) into (spatial axes, channels)."""
        if self.channels_first:
            return shape[1:], shape[0]
        return shape[:-1], shape[-1]

    @property
    def params(self) -> int:
        """All parameters, trainable or not (the summary's "Param #")."""
        return self.trainable_params + self.non_trainable_params

    def __str__(self) -> str:
        label = f"{self.name} ({self.layer_type})" if self.name else self.layer_type
        return f"{label}: {self.input_shape} -> {self.output_shape}, params {self.terms.text}"


@runtime_checkable
class Describable(Protocol):
    """Anything with ``describe(input_shape) -> LayerInfo``: layers, modules and framework rows."""

    name: str | None

    def describe(self, input_shape: Sequence[int]) -> LayerInfo:
        """Return what the layer is on an input of ``input_shape`` (no batch axis)."""
        ...
