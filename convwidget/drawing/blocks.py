"""Isometric blocks shared by every drawing: the canvas, the bounds, a block's faces and colours.

A block is one kernel seen from the front: a front face with a grid of its
cells, one slice behind it per input channel it spans, and a small bias cube
beside it. The kernel stack, the convolution volume and the misconception
drawing all build their pictures from these blocks, in canvas units of
``CANVAS`` (800×450; one unit is one pixel of the default figure).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection

from ._style import BIAS_COLOR, EDGE_COLOR, HIGHLIGHT, channel_color, shade

__all__ = [
    "BIAS_EDGE",
    "CANVAS",
    "DEPTH",
    "ELIDED",
    "FULL_DEPTH",
    "MAX_CELLS",
    "MAX_KERNELS",
    "MAX_SLICES",
    "STRIPES",
    "BlockSpec",
    "PlacedBlock",
    "bias_center",
    "block_colors",
    "block_polygons",
    "depth_units",
    "face_length",
    "fill_blocks",
    "kernel_slices",
    "new_block_artists",
]

CANVAS = (800, 450)
# Bounds on what is drawn, whatever the layer's size; the labels always carry the true counts.
MAX_KERNELS = 6  # per row: the first five and the last
MAX_SLICES = 8  # per kernel, front to back
FULL_DEPTH = 8  # up to this many channels a block is drawn to scale, one slice each
ELIDED = -1  # a slice standing for channels not drawn (grey)
STRIPES = 12  # thin slices drawn for the compressed middle of a deep block
_ELIDED_COLOR = "#D9D9D9"
MAX_CELLS = 12  # grid rows or columns on a front face

DEPTH = (5, 3)  # default isometric offset of one slice (the volume and misconception drawings)
BIAS_EDGE = 12  # bias cube edge, canvas units

_POLY_KINDS = ("side", "top", "front", "bias", "outline")


def depth_units(channels: int) -> float:
    """Depth of a block spanning ``channels`` slices, in slice thicknesses.

    To scale (one thickness per slice) up to ``FULL_DEPTH``; beyond, 4 more
    thicknesses per doubling (16 → 12, 32 → 16, 64 → 20, 512 → 32), so a
    deeper kernel is always a deeper block while 512 channels still fit.
    """
    if channels <= FULL_DEPTH:
        return float(channels)
    return FULL_DEPTH + 4 * math.log2(channels / FULL_DEPTH)


def face_length(cells: int) -> float:
    """Side of a front face of ``cells`` cells at scale 1, canvas units: grows with F (1 → 26, 11 → 80)."""
    return round(10 + 16 * math.pow(cells, 0.65), 1)


def kernel_slices(first: int, count: int) -> tuple[tuple[int, ...], tuple[float, ...], tuple[int, int]]:
    """Slices drawn for a kernel of ``count`` channels from ``first``: channels, thicknesses, compression.

    Up to ``FULL_DEPTH`` channels: every slice, one thickness each. Beyond:
    the first six slices, then the compressed middle as up to ``STRIPES`` thin
    slices (the channels after the sixth), then the last slice, so the drawn
    depth is :func:`depth_units` while at most 6 + 12 + 1 slices are drawn. The
    third value is the (start, stop) index range of the thin slices ((0, 0) if none).
    """
    if count <= FULL_DEPTH:
        return tuple(range(first, first + count)), (1.0,) * count, (0, 0)
    keep = MAX_SLICES - 2
    middle = depth_units(count) - keep - 1
    n = min(count - keep - 1, STRIPES)
    channels = (*range(first, first + keep), *range(first + keep, first + keep + n), first + count - 1)
    return channels, (*(1.0,) * keep, *(middle / n,) * n, 1.0), (keep, keep + n)


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
    depth : (float, float)
        Canvas offset from one slice to the next one behind it (one thickness).
    thick : tuple of float
        Thickness of each drawn slice, in ``depth`` steps (empty: 1 each); the
        compressed middle of a deep block (channel ``ELIDED``) is thicker.
    highlight : bool
        Whether the front slice is outlined (one F×F slice of the kernel).
    bias_edge : float
        Edge of the bias cube, canvas units.
    compressed : (int, int)
        Index range of the drawn slices that stand for more channels than they
        are (the compressed middle of a deep block); a broken-view mark crosses it.
    bias_per_slice : bool
        A bias cube on every slice instead of one for the kernel (what a wrong
        guess counts, for the misconception drawing).
    """

    rows: int
    cols: int
    width: float
    height: float
    channels: tuple[int, ...]
    bias: bool
    depth: tuple[float, float] = DEPTH
    thick: tuple[float, ...] = ()
    highlight: bool = False
    bias_edge: float = BIAS_EDGE
    compressed: tuple[int, int] = (0, 0)
    bias_per_slice: bool = False

    @property
    def thickness(self) -> tuple[float, ...]:
        """Thickness of each drawn slice, in ``depth`` steps."""
        return self.thick or (1.0,) * len(self.channels)

    @property
    def units(self) -> float:
        """The block's depth, in ``depth`` steps."""
        return float(sum(self.thickness))

    @property
    def extent(self) -> tuple[float, float]:
        """Canvas offset of the back of the block from its front (x, y)."""
        return self.units * self.depth[0], self.units * self.depth[1]

    @property
    def bias_gap(self) -> float:
        """Space between the block's back and its bias cube."""
        return max(3.0, self.bias_edge / 3)

    @property
    def footprint(self) -> float:
        """Width in canvas units: front face, the slices behind it and the bias cube."""
        cube = self.bias_gap + self.bias_edge * 4 / 3 if self.bias and not self.bias_per_slice else 0.0
        return self.width + self.extent[0] + cube

    @property
    def top(self) -> float:
        """Height in canvas units: front face and the depth behind it."""
        return self.height + self.extent[1]


@dataclass(frozen=True)
class PlacedBlock:
    """A block at integer canvas position ``(x, y)`` (bottom-left of its front face)."""

    spec: BlockSpec
    x: int
    y: int
    kernel: int  # 0-based index of the kernel it stands for


def block_polygons(b: PlacedBlock) -> dict[str, list[np.ndarray]]:
    """Polygons of one placed block by face kind: "front", "top", "side", "bias", "outline"; and "lines".

    Only visible faces are produced (each slice's top and right side, the front
    slice's front face), so no face hides another and the draw order within a
    kind does not matter. The compressed middle of a deep block gets a
    broken-view mark ("lines") across its top and side.
    """
    s = b.spec
    dx, dy = s.depth
    x0, y0, w, h = b.x, b.y, s.width, s.height
    out: dict[str, list[np.ndarray]] = {
        "front": [],
        "top": [],
        "side": [],
        "bias": [],
        "outline": [],
        "lines": [],
    }
    front = np.array([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)], float)
    out["front"].append(front)
    if s.highlight:
        out["outline"].append(front)
    at = 0.0
    mark_at = None
    for i, t in enumerate(s.thickness):
        sx, sy = x0 + at * dx, y0 + at * dy  # this slice's front bottom-left corner
        ex, ey = t * dx, t * dy
        top = [(sx, sy + h), (sx + w, sy + h), (sx + w + ex, sy + h + ey), (sx + ex, sy + h + ey)]
        side = [(sx + w, sy), (sx + w + ex, sy + ey), (sx + w + ex, sy + h + ey), (sx + w, sy + h)]
        out["top"].append(np.array(top, float))
        out["side"].append(np.array(side, float))
        if i == s.compressed[0]:
            mark_at = at
        if i == s.compressed[1] - 1 and mark_at is not None:
            mark_at = (mark_at + at + t) / 2
        at += t
    if s.compressed[1] > s.compressed[0] and mark_at is not None:
        # Two zigzags across the compressed middle, as in a broken view: "not to scale here".
        for off in (-0.9, 0.9):
            mx, my = x0 + (mark_at + off) * dx, y0 + (mark_at + off) * dy
            zig = [
                (mx, my + h),
                (mx + w * 0.5 + 1.2 * dx, my + h + 1.2 * dy),
                (mx + w, my + h),
                (mx + w, my + h * 0.5),
                (mx + w + 1.2 * dx, my + h * 0.5 - 1.2 * dy),
                (mx + w, my),
            ]
            out["lines"].append(np.array(zig, float))
    for r in range(1, s.rows):
        yy = y0 + h * r / s.rows
        out["lines"].append(np.array([(x0, yy), (x0 + w, yy)], float))
    for c in range(1, s.cols):
        xx = x0 + w * c / s.cols
        out["lines"].append(np.array([(xx, y0), (xx, y0 + h)], float))
    if s.bias and s.bias_per_slice:
        # A (wrong) bias for every input channel: a small cube on each slice's side.
        e = min(s.bias_edge * 0.7, max(dx, 3.0))
        at = 0.0
        for t in s.thickness:
            bx, by = x0 + w + (at + t / 2) * dx - e / 2, y0 + (at + t / 2) * dy - e / 2
            out["bias"] += _cube(bx, by, e)
            at += t
    elif s.bias:
        e = s.bias_edge
        ox, oy = e / 3, e / 4  # the cube's own depth
        bx, by = x0 + w + s.extent[0] + s.bias_gap, y0
        out["bias"] += [
            np.array([(bx, by), (bx + e, by), (bx + e, by + e), (bx, by + e)], float),
            np.array(
                [(bx, by + e), (bx + e, by + e), (bx + e + ox, by + e + oy), (bx + ox, by + e + oy)], float
            ),
            np.array(
                [(bx + e, by), (bx + e + ox, by + oy), (bx + e + ox, by + e + oy), (bx + e, by + e)], float
            ),
        ]
    return out


def _cube(x: float, y: float, e: float) -> list[np.ndarray]:
    """Front, top and side of a small cube of edge ``e`` at (x, y)."""
    ox, oy = e / 3, e / 4
    return [
        np.array([(x, y), (x + e, y), (x + e, y + e), (x, y + e)], float),
        np.array([(x, y + e), (x + e, y + e), (x + e + ox, y + e + oy), (x + ox, y + e + oy)], float),
        np.array([(x + e, y), (x + e + ox, y + oy), (x + e + ox, y + e + oy), (x + e, y + e)], float),
    ]


def bias_center(b: PlacedBlock) -> tuple[float, float]:
    """Canvas position of the middle of a block's bias cube's bottom edge."""
    s = b.spec
    return b.x + s.width + s.extent[0] + s.bias_gap + s.bias_edge / 2, float(b.y)


def _slice_color(channel: int) -> str:
    return _ELIDED_COLOR if channel == ELIDED else channel_color(channel)


def block_colors(spec: BlockSpec) -> dict[str, list[Any]]:
    """Face colours of one block, in the order of :func:`block_polygons`."""
    colors: dict[str, list[Any]] = {
        "front": [_slice_color(spec.channels[0])],
        "top": [shade(_slice_color(c), 0.35) for c in spec.channels],
        "side": [shade(_slice_color(c), -0.25) for c in spec.channels],
        "bias": [],
        "outline": ["none"] if spec.highlight else [],
    }
    if spec.bias:
        cubes = len(spec.channels) if spec.bias_per_slice else 1
        colors["bias"] = [BIAS_COLOR, shade(BIAS_COLOR, 0.35), shade(BIAS_COLOR, -0.25)] * cubes
    return colors


def new_block_artists(ax: Axes | None) -> tuple[dict[str, PolyCollection], LineCollection]:
    """Empty collections for blocks (one per face kind, and the grid), added to ``ax`` if given."""
    polys = {k: PolyCollection([], linewidths=0.6, edgecolors=EDGE_COLOR, zorder=2) for k in _POLY_KINDS}
    polys["outline"].set_edgecolor(HIGHLIGHT)
    polys["outline"].set_linewidth(2.2)
    polys["outline"].set_zorder(4)
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
        # Every face is a quadrilateral: one (N, 4, 2) array takes matplotlib's fast path.
        quads = cast("Sequence[np.ndarray]", np.asarray(verts[k])) if verts[k] else []
        polys[k].set_verts(quads)
        polys[k].set_facecolor(colors[k] or "none")
    lines.set_segments(verts["lines"])
