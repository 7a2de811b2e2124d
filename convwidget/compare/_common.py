"""What both translation directions share: the result shape, moving the channel axis, the table lookup."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import kinds, layers, nn
from ..enums import Dialect, Family, Layout
from ..info import Describable, LayerInfo, Shape
from ..kinds import LayerKind
from .differences import Difference, difference

__all__ = ["Builders", "Built", "build", "by_class", "class_for", "info_kind", "other_class", "relayout"]

# The other dialect's layers in order, the input shape the first of them receives (None without a
# counterpart) and the differences found while building them.
Built = tuple[list[Describable], Shape | None, list[Difference]]

# One builder per family. Each takes the layer classes of its family (the table erases them to Any)
# and returns None where the kind has no counterpart after all.
Builders = Mapping[Family, Callable[[Any, LayerInfo], Built | None]]


# Builders within one family, each for the classes it handles (a class or a tuple of classes).
ByClass = Sequence[tuple[type | tuple[type, ...], Callable[[Any, LayerInfo], Built]]]


def by_class(layer: Describable, info: LayerInfo, builders: ByClass) -> Built | None:
    """Run the first builder whose classes ``layer`` is an instance of; None if there is none."""
    for classes, builder in builders:
        if isinstance(layer, classes):
            return builder(layer, info)
    return None


def relayout(info: LayerInfo, shape: Shape, layout: Layout) -> Shape:
    """``shape`` (in ``info``'s layout) with its channel axis moved where ``layout`` puts it."""
    if len(shape) < 2 or info.layout is layout:
        return shape
    spatial, channels = info.split(shape)
    return (channels, *spatial) if layout is Layout.CHANNELS_FIRST else (*spatial, channels)


def other_class(kind: LayerKind, dialect: Dialect) -> Callable[..., Describable] | None:
    """The convwidget class of ``dialect`` that does ``kind``'s job, or None if convwidget has none.

    That is the same kind's class in the other framework (Conv2D → Conv2d), else the class the table
    names as its counterpart (DepthwiseConv2D → Conv2d, BatchNorm3d → BatchNormalization).
    """
    for name in (kind.name_in(dialect), kind.counterpart):
        other = kinds.by_name(name)
        if name is not None and other is not None and dialect in other.modelled:
            module = layers if dialect is Dialect.KERAS else nn
            cls: Callable[..., Describable] = getattr(module, name)
            return cls
    return None


def info_kind(info: LayerInfo) -> LayerKind:
    """The kind of a convwidget layer's info (only framework rows have none, and they are refused)."""
    assert info.kind is not None
    return info.kind


def class_for(info: LayerInfo, dialect: Dialect) -> Callable[..., Describable]:
    """:func:`other_class` for a kind :func:`build` dispatched, which therefore has one."""
    cls = other_class(info_kind(info), dialect)
    assert cls is not None
    return cls


def build(layer: Describable, info: LayerInfo, builders: Builders) -> Built:
    """Run the builder of ``info``'s family, or say that the other dialect has no counterpart.

    Activations are matched by function, not by class (torch's ReLU is Keras' Activation("relu")),
    so their builders look the class up themselves.
    """
    other = info.dialect.other
    kind = info_kind(info)
    builder = builders.get(kind.family)
    has_class = kind.family is Family.ACTIVATION or other_class(kind, other) is not None
    built = builder(layer, info) if builder is not None and has_class else None
    if built is None:
        library = "convwidget.nn" if other is Dialect.TORCH else "convwidget.layers"
        source = "Keras'" if info.dialect is Dialect.KERAS else "PyTorch's"
        return (
            [],
            None,
            [difference("no_counterpart", f"{library} has no counterpart of {source} {info.layer_type}.")],
        )
    return built
