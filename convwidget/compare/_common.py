"""What both translation directions share: the result shape, moving the channel axis, the table lookup."""

from __future__ import annotations

from collections.abc import Callable

from .. import kinds, layers, nn
from ..enums import Dialect, Layout
from ..info import Describable, LayerInfo, Shape
from ..kinds import LayerKind
from .differences import Difference

__all__ = ["Built", "other_class", "relayout"]

# The other dialect's layers in order, the input shape the first of them receives (None without a
# counterpart) and the differences found while building them.
Built = tuple[list[Describable], Shape | None, list[Difference]]


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
