"""Isometric blocks shared by every drawing: the canvas, the bounds, a block's faces and colours.

A block is one kernel seen from the front: a front face with a grid of its
cells, one slice behind it per input channel it spans, and a small bias cube
beside it. The kernel stack, the convolution volume and the misconception
drawing all build their pictures from these blocks, in canvas units of
``CANVAS`` (800×450; one unit is one pixel of the default figure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection

from ._style import BIAS_COLOR, EDGE_COLOR, channel_color, shade

__all__ = [
    "BIAS_EDGE",
    "CANVAS",
    "DEPTH",
    "MAX_CELLS",
    "MAX_KERNELS",
    "MAX_SLICES",
    "BlockSpec",
    "PlacedBlock",
    "block_colors",
    "block_polygons",
    "fill_blocks",
    "new_block_artists",
]

CANVAS = (800, 450)
# Bounds on what is drawn, whatever the layer's size; the labels always carry the true counts.
MAX_KERNELS = 6  # per row: the first five and the last
MAX_SLICES = 8  # per kernel, front to back
MAX_CELLS = 12  # grid rows or columns on a front face

DEPTH = (5, 3)  # default isometric offset of one slice (the volume and misconception drawings)
BIAS_EDGE = 12  # bias cube edge, canvas units

_POLY_KINDS = ("side", "top", "front", "bias")


@dataclass(frozen=True)
class BlockSpec:
    """One kind of kernel block: every kernel with the same spec looks the same.

    Parameters
    ----------
    rows, cols : int
        Grid cells drawn on the front face (at most ``MAX_CELLS`` each).
    width, height : int
        Front face size in canvas units.
    channels : tuple of int
        Input channel of each drawn slice, front to back (it sets the slice's colour).
    bias : bool
        Whether a bias cube is drawn beside the block.
    depth : (int, int)
        Canvas offset from one slice to the next one behind it.
    """

    rows: int
    cols: int
    width: int
    height: int
    channels: tuple[int, ...]
    bias: bool
    depth: tuple[int, int] = DEPTH

    @property
    def footprint(self) -> int:
        """Width in canvas units: front face, the slices behind it and the bias cube."""
        return self.width + len(self.channels) * self.depth[0] + (4 + BIAS_EDGE + 4 if self.bias else 0)


@dataclass(frozen=True)
class PlacedBlock:
    """A block at integer canvas position ``(x, y)`` (bottom-left of its front face)."""

    spec: BlockSpec
    x: int
    y: int
    kernel: int  # 0-based index of the kernel it stands for


def block_polygons(b: PlacedBlock) -> dict[str, list[np.ndarray]]:
    """Polygons of one placed block by face kind: "front", "top", "side", "bias"; and grid "lines".

    Only visible faces are produced (each slice's top and right side, the front
    slice's front face), so no face hides another and the draw order within a
    kind does not matter.
    """
    s = b.spec
    dx, dy = s.depth
    x0, y0, w, h = b.x, b.y, s.width, s.height
    out: dict[str, list[np.ndarray]] = {"front": [], "top": [], "side": [], "bias": [], "lines": []}
    out["front"].append(np.array([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)], float))
    for k in range(len(s.channels)):
        sx, sy = x0 + k * dx, y0 + k * dy  # this slice's front bottom-left corner
        top = [(sx, sy + h), (sx + w, sy + h), (sx + w + dx, sy + h + dy), (sx + dx, sy + h + dy)]
        side = [(sx + w, sy), (sx + w + dx, sy + dy), (sx + w + dx, sy + h + dy), (sx + w, sy + h)]
        out["top"].append(np.array(top, float))
        out["side"].append(np.array(side, float))
    for r in range(1, s.rows):
        yy = y0 + h * r / s.rows
        out["lines"].append(np.array([(x0, yy), (x0 + w, yy)], float))
    for c in range(1, s.cols):
        xx = x0 + w * c / s.cols
        out["lines"].append(np.array([(xx, y0), (xx, y0 + h)], float))
    if s.bias:
        bx, by, e = x0 + w + len(s.channels) * dx + 4, y0, BIAS_EDGE
        out["bias"] += [
            np.array([(bx, by), (bx + e, by), (bx + e, by + e), (bx, by + e)], float),
            np.array([(bx, by + e), (bx + e, by + e), (bx + e + 4, by + e + 3), (bx + 4, by + e + 3)], float),
            np.array([(bx + e, by), (bx + e + 4, by + 3), (bx + e + 4, by + e + 3), (bx + e, by + e)], float),
        ]
    return out


def block_colors(spec: BlockSpec) -> dict[str, list[Any]]:
    """Face colours of one block, in the order of :func:`block_polygons`."""
    colors: dict[str, list[Any]] = {
        "front": [channel_color(spec.channels[0])],
        "top": [shade(channel_color(c), 0.35) for c in spec.channels],
        "side": [shade(channel_color(c), -0.25) for c in spec.channels],
        "bias": [],
    }
    if spec.bias:
        colors["bias"] = [BIAS_COLOR, shade(BIAS_COLOR, 0.35), shade(BIAS_COLOR, -0.25)]
    return colors


def new_block_artists(ax: Axes | None) -> tuple[dict[str, PolyCollection], LineCollection]:
    """Empty collections for blocks (one per face kind, and the grid), added to ``ax`` if given."""
    polys = {k: PolyCollection([], linewidths=0.6, edgecolors=EDGE_COLOR, zorder=2) for k in _POLY_KINDS}
    lines = LineCollection([], colors=EDGE_COLOR, linewidths=0.6, zorder=3)
    for art in (*polys.values(), lines):
        # Two antialiasing flags turn off matplotlib's one-path shortcut (drawing it as a
        # pixel-snapped marker), so a block looks the same alone (a sprite) and among others.
        art.set_antialiased([True, True])
    if ax is not None:
        for p in polys.values():
            ax.add_collection(p, autolim=False)
        ax.add_collection(lines, autolim=False)
    return polys, lines


def fill_blocks(
    polys: dict[str, PolyCollection], lines: LineCollection, blocks: tuple[PlacedBlock, ...]
) -> None:
    """Set the collections of :func:`new_block_artists` to show ``blocks`` (in place)."""
    verts: dict[str, list[np.ndarray]] = {k: [] for k in (*_POLY_KINDS, "lines")}
    colors: dict[str, list[Any]] = {k: [] for k in _POLY_KINDS}
    for b in blocks:
        for k, v in block_polygons(b).items():
            verts[k] += v
        for k, c in block_colors(b.spec).items():
            colors[k] += c
    for k in _POLY_KINDS:
        polys[k].set_verts(verts[k])
        polys[k].set_facecolor(colors[k] or "none")
    lines.set_segments(verts["lines"])
