"""The kernel stack as matplotlib artists: a layer's kernels as isometric blocks, one slice per input channel.

Layout happens in two steps. :func:`~convwidget.drawing.kernel_plan.plan_kernels`
turns a LayerInfo into a :class:`~convwidget.drawing.kernel_plan.KernelPlan`
(pure data) for the size of the Axes; :class:`KernelStack` draws that plan
with a fixed set of vector artists on any Axes, and
:class:`~convwidget.drawing.raster.KernelStackFigure` adds a fast raster path
on top of the same artists.
"""

from __future__ import annotations

from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.text import Text

from ..info import LayerInfo
from ._glyphs import add_label
from ._layout import canvas_of
from ._savable import Savable
from ._spec import as_info
from ._style import EDGE_COLOR, text_style
from .blocks import fill_blocks, new_block_artists
from .kernel_plan import ROLES, KernelPlan, plan_kernels

__all__ = ["KernelStack", "draw_kernels", "fill_plan_artists", "new_plan_artists"]


def new_plan_artists(ax: Axes | None) -> tuple[PolyCollection, PolyCollection, LineCollection]:
    """Empty artists for a plan's panels (solid, hatched) and marks, added to ``ax`` if given."""
    solid = PolyCollection([], linewidths=0.8, edgecolors=EDGE_COLOR, zorder=2)
    hatched = PolyCollection([], linewidths=0.8, edgecolors=EDGE_COLOR, zorder=2, hatch="///")
    marks = LineCollection([], colors=EDGE_COLOR, linewidths=0.8, zorder=5)
    for art in (solid, hatched, marks):
        art.set_antialiased([True, True])  # as in blocks.new_block_artists: no pixel-snapped shortcut
        if ax is not None:
            ax.add_collection(art, autolim=False)
    return solid, hatched, marks


def fill_plan_artists(
    solid: PolyCollection, hatched: PolyCollection, marks: LineCollection, plan: KernelPlan
) -> None:
    """Set the artists of :func:`new_plan_artists` to show ``plan``'s panels and marks (in place)."""
    for coll, want in ((solid, False), (hatched, True)):
        panels = [p for p in plan.panels if p.hatch is want]
        coll.set_verts([list(p.verts) for p in panels])
        coll.set_facecolor([p.color for p in panels] or "none")
        coll.set_edgecolor([EDGE_COLOR if p.edge is None else p.edge for p in panels] or EDGE_COLOR)
        coll.set_linewidth([0.8 if p.edge is None else 2.2 for p in panels] or 0.8)
    marks.set_segments([list(m) for m in plan.marks])


class KernelStack(Savable):
    """The artists of a kernel-stack drawing, updated in place.

    Made by :func:`draw_kernels`. Attributes: ``ax``, ``info``, ``plan``
    (:class:`~convwidget.drawing.KernelPlan`), ``polys`` (one PolyCollection
    per face kind), ``lines`` (the cell grid), ``panels``/``hatched``/``marks``
    (the pictures of layers without kernels, and dimension lines), ``texts``
    (one Text per label role). The artists are made once; ``update`` changes them.
    """

    def __init__(self, ax: Axes, info: LayerInfo, canvas: tuple[float, float] | None = None) -> None:
        self.ax = ax
        self._canvas = canvas
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.polys, self.lines = new_block_artists(ax)
        self.panels, self.hatched, self.marks = new_plan_artists(ax)
        self.texts: dict[str, Text] = {}
        for role in ROLES:
            self.texts[role] = add_label(ax, 0, 0, "", va="center", visible=False, **text_style())
        self.info = info
        self.plan = plan_kernels(info, self.canvas)
        self._apply()

    @property
    def canvas(self) -> tuple[float, float]:
        """The canvas the plan is laid out on: the Axes' size in 1/100 inch (or as given)."""
        return self._canvas or canvas_of(self.ax)

    def update(self, info: LayerInfo | None = None, **numbers: Any) -> KernelStack:
        """Show another layer: a LayerInfo, or ``kernel_size=…, in_channels=…, out_channels=…``.

        Artists change in place (``set_verts``, ``set_facecolor``, ``set_text``);
        nothing is cleared or re-added, so the Axes keeps its other contents. The
        layout follows the Axes' current size.
        """
        self.info = as_info(info, caller="KernelStack.update", **numbers)
        self.plan = plan_kernels(self.info, self.canvas)
        self._apply()
        return self

    def _apply(self) -> None:
        w, h = self.plan.canvas
        self.ax.set_xlim(0, w)
        self.ax.set_ylim(0, h)
        fill_blocks(self.polys, self.lines, self.plan.blocks)
        fill_plan_artists(self.panels, self.hatched, self.marks, self.plan)
        shown = {lab.role: lab for lab in self.plan.labels}
        for role, t in self.texts.items():
            lab = shown.get(role)
            if lab is None:
                t.set_visible(False)
                continue
            t.set_text(lab.text)
            t.set_position((lab.x, lab.y))
            t.set_horizontalalignment(lab.ha)
            t.set_fontsize(lab.size)
            t.set_visible(True)

    @property
    def artists(self) -> list[Artist]:
        """Every artist this drawing owns."""
        return [*self.polys.values(), self.lines, self.panels, self.hatched, self.marks, *self.texts.values()]


def draw_kernels(ax: Axes, info: LayerInfo | None = None, **numbers: Any) -> KernelStack:
    """Draw a layer's weights: kernels as isometric blocks, or the honest picture of a layer without kernels.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; the picture is laid out for the Axes' size (limits in 1/100 inch, axis hidden).
    info : LayerInfo, optional
        ``layer.describe(input_shape)`` of a convolution, Dense, normalisation or Embedding layer.
    **numbers
        Instead of ``info``: ``kernel_size``, ``in_channels``, ``out_channels``,
        optionally ``bias`` and ``groups``; counted by :class:`convwidget.layers.Conv2D`.

    Returns
    -------
    KernelStack
        Its ``update(info)`` redraws in place.

    Examples
    --------
    >>> import matplotlib.figure
    >>> ax = matplotlib.figure.Figure().add_subplot()
    >>> stack = draw_kernels(ax, kernel_size=3, in_channels=32, out_channels=63)
    >>> stack.plan.label("total")
    '63 kernels × 289 = 18,207'
    """
    return KernelStack(ax, as_info(info, caller="draw_kernels", **numbers))
