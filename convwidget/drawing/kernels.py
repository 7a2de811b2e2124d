"""The kernel stack as matplotlib artists: a layer's kernels as isometric blocks, one slice per input channel.

Layout happens in two steps. :func:`~convwidget.drawing.kernel_plan.plan_kernels`
turns a LayerInfo into a :class:`~convwidget.drawing.kernel_plan.KernelPlan`
(pure data); :class:`KernelStack` draws that plan with vector artists on any
Axes, and :class:`~convwidget.drawing.raster.KernelStackFigure` adds a fast
raster path on top of the same artists.
"""

from __future__ import annotations

from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Text

from ..info import LayerInfo
from ._spec import as_info
from ._style import text_style
from .blocks import CANVAS, fill_blocks, new_block_artists
from .kernel_plan import ROLES, plan_kernels

__all__ = ["KernelStack", "draw_kernels"]


class KernelStack:
    """The artists of a kernel-stack drawing, updated in place.

    Made by :func:`draw_kernels`. Attributes: ``ax``, ``info``, ``plan``
    (:class:`~convwidget.drawing.KernelPlan`), ``polys`` (one PolyCollection
    per face kind), ``lines`` (the cell grid), ``texts`` (one Text per label role).
    """

    def __init__(self, ax: Axes, info: LayerInfo) -> None:
        self.ax = ax
        w, h = CANVAS
        ax.set_xlim(0, w)
        ax.set_ylim(0, h)
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.polys, self.lines = new_block_artists(ax)
        self.texts: dict[str, Text] = {}
        for role in ROLES:
            self.texts[role] = ax.text(0, 0, "", va="center", visible=False, **text_style())
        self.info = info
        self.plan = plan_kernels(info)
        self._apply()

    def update(self, info: LayerInfo | None = None, **numbers: Any) -> KernelStack:
        """Show another layer: a LayerInfo, or ``kernel_size=…, in_channels=…, out_channels=…``.

        Artists change in place (``set_verts``, ``set_facecolor``, ``set_text``);
        nothing is cleared or re-added, so the Axes keeps its other contents.
        """
        self.info = as_info(info, caller="KernelStack.update", **numbers)
        self.plan = plan_kernels(self.info)
        self._apply()
        return self

    def _apply(self) -> None:
        fill_blocks(self.polys, self.lines, self.plan.blocks)
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
        return [*self.polys.values(), self.lines, *self.texts.values()]


def draw_kernels(ax: Axes, info: LayerInfo | None = None, **numbers: Any) -> KernelStack:
    """Draw a layer's kernels as isometric blocks, with their true counts.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; its limits are set to the canvas (800×450 units) and its axis is hidden.
    info : LayerInfo, optional
        ``layer.describe(input_shape)`` of a convolution or Dense layer.
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
