"""Pictures for the widgets: matplotlib figures updated in place and rendered to PNG bytes.

Only this module knows the drawing module's API. It imports :mod:`convwidget.drawing` (and so
matplotlib) lazily, at the first picture, so importing the widgets stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum, unique
from typing import TYPE_CHECKING, Any, Protocol

from ..info import LayerInfo

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["AggFigure", "Picture", "View", "png_of"]


@unique
class View(str, Enum):
    """The explorer's two pictures; the first is also the one the other widgets draw."""

    KERNEL_STACK = "kernel stack"
    CONVOLUTION_VOLUME = "convolution volume"

    def __str__(self) -> str:
        return str(self.value)


class _AggCanvas(Protocol):
    """What the widgets use of matplotlib's Agg canvas (``backend_agg`` has no type hints)."""

    def draw(self) -> None: ...

    def buffer_rgba(self) -> memoryview: ...


class _Figure(Protocol):
    """A figure of one view: updated in place, rendered to PNG."""

    figure: Figure

    def update(self, info: LayerInfo, **options: Any) -> object: ...

    def to_png(self) -> bytes: ...


class AggFigure:
    """A bare matplotlib Figure (no pyplot, so nothing leaks into the cell's output), rendered by Agg.

    Parameters
    ----------
    draw : callable
        ``draw(ax)`` draws on the figure's one axes and returns what it drew (an object with
        ``update(info, **options)`` for figures that are updated in place).
    """

    def __init__(self, draw: Callable[[Axes], Any]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(8, 4.5), dpi=100, facecolor="white")
        self.canvas: _AggCanvas = FigureCanvasAgg(self.figure)
        self.drawn = draw(self.figure.add_axes((0.0, 0.0, 1.0, 1.0)))

    def update(self, info: LayerInfo, **options: Any) -> None:
        """Redraw for ``info`` (the drawing's ``update``)."""
        self.drawn.update(info, **options)

    def to_png(self) -> bytes:
        """The figure as PNG bytes."""
        import numpy as np

        from ..drawing import encode_png

        self.canvas.draw()
        return encode_png(np.asarray(self.canvas.buffer_rgba())[:, :, :3])


def _new_figure(info: LayerInfo, view: View, options: Mapping[str, Any]) -> _Figure:
    from .. import drawing

    if view is View.KERNEL_STACK:
        return drawing.KernelStackFigure(info)
    return AggFigure(lambda ax: drawing.draw_conv_volume(ax, info, **options))


class Picture:
    """Figures, one per view, updated in place and rendered to PNG bytes.

    The kernel stack uses :class:`convwidget.drawing.KernelStackFigure`, whose
    ``to_png`` composites cached sprites (the < 50 ms path); the convolution
    volume is drawn with ``draw_conv_volume`` on its own Agg figure.
    """

    def __init__(self) -> None:
        self._figures: dict[View, _Figure] = {}

    def figure(self, view: View | str) -> Figure | None:
        """The matplotlib Figure of ``view`` (None before its first render)."""
        fig = self._figures.get(View(view))
        return None if fig is None else fig.figure

    def render(self, info: LayerInfo, view: View | str, options: Mapping[str, Any] | None = None) -> bytes:
        """Update the figure of ``view`` to ``info`` and return it as PNG bytes.

        ``options`` (strides, padding, dilation_rate) go to the convolution volume,
        which cannot always infer them from the shapes.
        """
        view = View(view)
        opts = dict(options or {}) if view is View.CONVOLUTION_VOLUME else {}
        fig = self._figures.get(view)
        if fig is None:
            fig = self._figures[view] = _new_figure(info, view, opts)
        else:
            fig.update(info, **opts)
        return fig.to_png()


def png_of(draw: Callable[[Axes], object]) -> bytes:
    """Draw once on a fresh Agg figure with ``draw(ax)`` and return PNG bytes."""
    return AggFigure(draw).to_png()
