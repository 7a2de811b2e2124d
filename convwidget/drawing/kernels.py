"""The kernel stack: a layer's kernels as isometric blocks, one slice per input channel.

Layout happens in two steps. :func:`plan_kernels` turns a LayerInfo into a
:class:`KernelPlan` — pure data: which blocks (kernels) to draw, where, with
which slices and cells, and every label's text — in canvas units of
``CANVAS`` (800×450; one unit is one pixel of the default figure). Then
:class:`KernelStack` (vector artists on any Axes) or :class:`KernelStackFigure`
(the same artists, plus a fast raster path) draw that plan.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..formula import group_digits
from ..info import LayerInfo
from ._spec import as_info, geometry_of
from ._style import BIAS_COLOR, EDGE_COLOR, FONT_SIZE, channel_color, shade, text_style

__all__ = [
    "CANVAS",
    "MAX_CELLS",
    "MAX_KERNELS",
    "MAX_SLICES",
    "BlockSpec",
    "KernelPlan",
    "KernelStack",
    "KernelStackFigure",
    "Label",
    "PlacedBlock",
    "block_colors",
    "block_polygons",
    "draw_kernels",
    "encode_png",
    "plan_kernels",
]

CANVAS = (800, 450)
# Bounds on what is drawn, whatever the layer's size; the labels always carry the true counts.
MAX_KERNELS = 6  # per row: the first five and the last
MAX_SLICES = 8  # per kernel, front to back
MAX_CELLS = 12  # grid rows or columns on a front face

_FACE = 64  # front face of a kernel, canvas units
_DEPTH = (5, 3)  # default isometric offset of one slice (the volume and misconception drawings)
# Kernel blocks step slices back by 4 units instead of 5: six blocks of eight slices and a bias
# cube then fit the canvas width with a 64-unit face (a row is width-bound, not height-bound).
_KERNEL_DEPTH = (4, 4)
_PITCH = 122  # distance between kernels in a row
_GAP = 38  # extra room before the last kernel when some are left out
_BIAS = 12  # bias cube edge
_LEFT = 14
_TEXT_X = 16  # left edge of the text lines
# Label sizes: the counts are the message, so they are the largest text (classroom projectors).
_TITLE_PT = 15.0
_COUNT_PT = 16.0
_INDEX_PT = 13.0

# Label roles, in drawing order; every KernelStack owns one Text per role.
_ROLES = (
    "title",
    "stage_a",
    "stage_b",
    "per_kernel",
    "total",
    "more_kernels_a",
    "more_kernels_b",
    "gap_a",
    "gap_b",
    "bias_a",
    "bias_b",
    "more_slices",
    *(f"index_a{i}" for i in range(MAX_KERNELS)),
    *(f"index_b{i}" for i in range(MAX_KERNELS)),
)


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
    depth: tuple[int, int] = _DEPTH


@dataclass(frozen=True)
class PlacedBlock:
    """A block at integer canvas position ``(x, y)`` (bottom-left of its front face)."""

    spec: BlockSpec
    x: int
    y: int
    kernel: int  # 0-based index of the kernel it stands for


@dataclass(frozen=True)
class Label:
    """One label's role, text and anchor (canvas units)."""

    role: str
    text: str
    x: float
    y: float
    ha: str = "left"
    size: float = FONT_SIZE


@dataclass(frozen=True)
class KernelPlan:
    """Everything a kernel-stack drawing shows, as data.

    ``kernels`` and ``slices`` are the true numbers of the layer;
    ``kernels_drawn`` and ``slices_drawn`` are what the bounded drawing shows
    (for separable layers, the depthwise stage first).
    """

    blocks: tuple[PlacedBlock, ...]
    labels: tuple[Label, ...]
    kernels: tuple[int, ...]
    kernels_drawn: tuple[int, ...]
    slices: tuple[int, ...]
    slices_drawn: tuple[int, ...]

    def label(self, role: str) -> str | None:
        """Text of the label with ``role``, or None."""
        for lab in self.labels:
            if lab.role == role:
                return lab.text
        return None


def _kernel_ids(n: int) -> list[int]:
    """Kernels drawn out of ``n``: all if few, else the first ones and the last."""
    if n <= MAX_KERNELS:
        return list(range(n))
    return [*range(MAX_KERNELS - 1), n - 1]


def _face(kernel_size: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Grid rows, cols and face width, height for a kernel's last two axes."""
    fh = kernel_size[-2] if len(kernel_size) >= 2 else 1
    fw = kernel_size[-1] if kernel_size else 1
    big = max(fh, fw)
    # Rectangular kernels keep their aspect; the larger side gets the full face.
    return min(fh, MAX_CELLS), min(fw, MAX_CELLS), round(_FACE * fw / big), round(_FACE * fh / big)


def _row(
    ids: list[int],
    n: int,
    y: int,
    spec_of: Any,
    row: str,
    blocks: list[PlacedBlock],
    labels: list[Label],
    noun: str,
) -> None:
    """Place the kernels ``ids`` (of ``n``) in one row at height ``y``, with index labels."""
    index_y = y - 17  # just under the front faces
    for slot, k in enumerate(ids):
        x = _LEFT + slot * _PITCH
        if n > MAX_KERNELS and slot == len(ids) - 1:
            x += _GAP  # leave room for the ellipsis
        spec = spec_of(k)
        blocks.append(PlacedBlock(spec, x, y, k))
        labels.append(
            Label(f"index_{row}{slot}", f"#{k + 1}", x + spec.width / 2, index_y, "center", _INDEX_PT)
        )
        if slot == 0 and spec.bias:
            bias_x = x + spec.width + len(spec.channels) * spec.depth[0] + 4 + _BIAS / 2
            labels.append(Label(f"bias_{row}", "bias", bias_x, index_y, "center"))
    if n > MAX_KERNELS:
        # The ellipsis sits midway between the right edge of the next-to-last block and the last block.
        before, last = blocks[-2], blocks[-1]
        right = before.x + _footprint(before.spec)
        mid_y = y + (last.spec.height + len(last.spec.channels) * last.spec.depth[1]) / 2
        labels.append(Label(f"gap_{row}", "…", (right + last.x) / 2, mid_y, "center", size=20))
        labels.append(
            Label(
                f"more_kernels_{row}",
                f"… {group_digits(n - len(ids))} more {noun} not drawn",
                CANVAS[0] - 14,
                y - 42,
                "right",
            )
        )


def _footprint(spec: BlockSpec) -> float:
    """Width of a block in canvas units: front face, slices behind it and the bias cube."""
    return spec.width + len(spec.channels) * spec.depth[0] + (4 + _BIAS + 4 if spec.bias else 0)


def _slices(channels: list[int]) -> tuple[int, ...]:
    return tuple(channels[:MAX_SLICES])


def plan_kernels(info: LayerInfo) -> KernelPlan:
    """Lay out the kernel stack of a layer (pure data, no drawing).

    Parameters
    ----------
    info : LayerInfo
        A convolution (plain, grouped, transposed, depthwise, separable) or Dense layer.

    Returns
    -------
    KernelPlan
        Blocks and labels in canvas units; counts in labels are the layer's true ones.

    Raises
    ------
    ConfigError
        If the layer has no kernels (``info.geometry`` is None).
    """
    g = geometry_of(info, "draw_kernels")
    blocks: list[PlacedBlock] = []
    labels: list[Label] = []
    total = info.terms.total
    title_y = CANVAS[1] - 24
    dims = "×".join(str(k) for k in g.kernel_size)
    rows, cols, fw, fh = _face(g.kernel_size)

    if g.kind == "separable":
        mid = g.in_channels * g.depth_multiplier
        dw_ids, pw_ids = _kernel_ids(mid), _kernel_ids(g.out_channels)

        def dw_spec(k: int) -> BlockSpec:
            return BlockSpec(rows, cols, fw, fh, (k // g.depth_multiplier,), False, _KERNEL_DEPTH)

        pw_channels = _slices([c // g.depth_multiplier for c in range(mid)])

        def pw_spec(k: int) -> BlockSpec:
            return BlockSpec(1, 1, _FACE // 2, _FACE // 2, pw_channels, g.bias, _KERNEL_DEPTH)

        dw_count = g.kernel_volume * mid
        pw_per = mid + (1 if g.bias else 0)
        labels.append(
            Label(
                "title",
                f"{info.layer_type}: a depthwise stage, then a 1×1 stage",
                _TEXT_X,
                title_y,
                size=_TITLE_PT,
            )
        )
        labels.append(
            Label(
                "stage_a",
                f"depthwise: {group_digits(mid)} kernels of {dims}×1, no bias = {group_digits(dw_count)}",
                _TEXT_X,
                title_y - 32,
            )
        )
        _row(dw_ids, mid, 300, dw_spec, "a", blocks, labels, "kernels")
        bias = " + 1 bias" if g.bias else ""
        labels.append(
            Label(
                "stage_b",
                f"pointwise: {group_digits(g.out_channels)} kernels of 1×1×{group_digits(mid)}{bias}"
                f" = {group_digits(g.out_channels * pw_per)}",
                _TEXT_X,
                232,
            )
        )
        _row(pw_ids, g.out_channels, 150, pw_spec, "b", blocks, labels, "kernels")
        labels.append(Label("total", f"total: {info.terms.text}", _TEXT_X, 70, size=_COUNT_PT))
        if mid > MAX_SLICES:
            more = f"… {group_digits(mid - MAX_SLICES)} more slices per 1×1 kernel"
            labels.append(Label("more_slices", more, _TEXT_X, 34))
        return KernelPlan(
            tuple(blocks),
            tuple(labels),
            (mid, g.out_channels),
            (len(dw_ids), len(pw_ids)),
            (1, mid),
            (1, len(pw_channels)),
        )

    if g.kind == "depthwise":
        n = g.out_channels
        ids = _kernel_ids(n)
        per = g.kernel_volume + (1 if g.bias else 0)

        def spec(k: int) -> BlockSpec:
            return BlockSpec(rows, cols, fw, fh, (k // g.depth_multiplier,), g.bias, _KERNEL_DEPTH)

        bias = " + 1 bias" if g.bias else ""
        title = f"{info.layer_type}: one {dims} kernel per input channel (× depth multiplier)"
        per_text = f"each kernel: {dims}×1 weights{bias} = {group_digits(per)}"
        total_text = (
            f"{group_digits(g.in_channels)} channels × {g.depth_multiplier} = {group_digits(n)} kernels"
            f" × {group_digits(per)} = {group_digits(total)}"
        )
        slices, cpk = [1], 1
    elif g.kind == "dense":
        n = g.out_channels
        ids = _kernel_ids(n)
        rows = cols = 1
        fw = fh = _FACE // 2
        channels = _slices(list(range(g.in_channels)))
        per = g.in_channels + (1 if g.bias else 0)

        def spec(k: int) -> BlockSpec:
            return BlockSpec(1, 1, fw, fh, channels, g.bias, _KERNEL_DEPTH)

        bias = " + 1 bias" if g.bias else ""
        title = f"{info.layer_type}: one kernel per unit, spanning all {group_digits(g.in_channels)} inputs"
        per_text = f"each unit: {group_digits(g.in_channels)} weights{bias} = {group_digits(per)}"
        total_text = f"{group_digits(n)} units × {group_digits(per)} = {group_digits(total)}"
        slices, cpk = [g.in_channels], g.in_channels
    else:  # conv and transpose: Cout kernels of F×F×(Cin/groups)
        n = g.out_channels
        ids = _kernel_ids(n)
        cpk = g.channels_per_kernel
        per = g.kernel_volume * cpk + (1 if g.bias else 0)
        per_group = n // g.groups

        def spec(k: int) -> BlockSpec:
            first = (k // per_group) * cpk  # a grouped kernel spans only its group's channels
            channels = _slices(list(range(first, first + cpk)))
            return BlockSpec(rows, cols, fw, fh, channels, g.bias, _KERNEL_DEPTH)

        bias = " + 1 bias" if g.bias else ""
        # No count in the title: it stays the same while a slider moves, so its sprite is reused.
        title = f"{info.layer_type}: one slice per input channel in every kernel"
        if g.groups > 1:
            title = (
                f"{info.layer_type}, groups={g.groups}: each kernel sees {group_digits(cpk)} "
                f"of {group_digits(g.in_channels)} channels"
            )
        per_text = f"each kernel: {dims}×{group_digits(cpk)} weights{bias} = {group_digits(per)}"
        total_text = f"{group_digits(n)} kernels × {group_digits(per)} = {group_digits(total)}"
        slices = [cpk]

    labels.append(Label("title", title, _TEXT_X, title_y, size=_TITLE_PT))
    _row(ids, n, 276, spec, "a", blocks, labels, "units" if g.kind == "dense" else "kernels")
    labels.append(Label("per_kernel", per_text, _TEXT_X, 172, size=_COUNT_PT))
    labels.append(Label("total", total_text, _TEXT_X, 126, size=_COUNT_PT))
    if cpk > MAX_SLICES:
        noun = "inputs" if g.kind == "dense" else "slices"
        more = f"… {group_digits(cpk - MAX_SLICES)} more {noun} per kernel"
        labels.append(Label("more_slices", more, _TEXT_X, 80, size=_INDEX_PT))
    drawn_slices = min(cpk, MAX_SLICES)
    return KernelPlan(tuple(blocks), tuple(labels), (n,), (len(ids),), tuple(slices), (drawn_slices,))


# --- geometry of one block -------------------------------------------------------------------------


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
        bx, by, e = x0 + w + len(s.channels) * dx + 4, y0, _BIAS
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


_POLY_KINDS = ("side", "top", "front", "bias")
_EDGE = {"linewidths": 0.6, "edgecolors": EDGE_COLOR}


def _new_artists(ax: Axes | None) -> tuple[dict[str, PolyCollection], LineCollection]:
    polys = {k: PolyCollection([], **_EDGE, zorder=2) for k in _POLY_KINDS}
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


def _fill(polys: dict[str, PolyCollection], lines: LineCollection, blocks: tuple[PlacedBlock, ...]) -> None:
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


class KernelStack:
    """The artists of a kernel-stack drawing, updated in place.

    Made by :func:`draw_kernels`. Attributes: ``ax``, ``info``, ``plan``
    (:class:`KernelPlan`), ``polys`` (one PolyCollection per face kind),
    ``lines`` (the cell grid), ``texts`` (one Text per label role).
    """

    def __init__(self, ax: Axes, info: LayerInfo) -> None:
        self.ax = ax
        w, h = CANVAS
        ax.set_xlim(0, w)
        ax.set_ylim(0, h)
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.polys, self.lines = _new_artists(ax)
        self.texts: dict[str, Text] = {}
        for role in _ROLES:
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
        _fill(self.polys, self.lines, self.plan.blocks)
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


# --- the fast raster path --------------------------------------------------------------------------


def _crop(rgba: np.ndarray) -> tuple[int, int, np.ndarray] | None:
    """Crop an RGBA buffer to its non-transparent pixels: (row, col, sprite) or None."""
    alpha = rgba[:, :, 3]
    rows = np.flatnonzero(alpha.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(alpha[rows[0] : rows[-1] + 1].any(axis=0))
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    return int(r0), int(c0), rgba[r0:r1, c0:c1].copy()


def _over(out: np.ndarray, row: int, col: int, sprite: np.ndarray) -> None:
    """Composite a straight-alpha RGBA sprite over the RGB image ``out`` at (row, col), clipped."""
    h, w = out.shape[:2]
    r0, c0 = max(row, 0), max(col, 0)
    r1, c1 = min(row + sprite.shape[0], h), min(col + sprite.shape[1], w)
    if r0 >= r1 or c0 >= c1:
        return
    src = sprite[r0 - row : r1 - row, c0 - col : c1 - col]
    a = src[:, :, 3:4].astype(np.uint16)
    dst = out[r0:r1, c0:c1]
    # Integer "over" with rounding, as Agg blends with straight (non-premultiplied) alpha.
    dst[...] = ((src[:, :, :3] * a + dst * (255 - a) + 127) // 255).astype(np.uint8)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgb: np.ndarray, compress_level: int = 1) -> bytes:
    """Encode an RGB uint8 image (H×W×3) as PNG: no row filters, one zlib stream.

    These drawings are mostly flat colour, which zlib compresses well without
    PNG's row filters; skipping them makes encoding about twice as fast as
    PIL at the same level.
    """
    h, w = rgb.shape[:2]
    rows = np.empty((h, 1 + 3 * w), np.uint8)
    rows[:, 0] = 0  # filter type 0 (None) on every row
    rows[:, 1:] = np.ascontiguousarray(rgb, dtype=np.uint8).reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), compress_level))
        + _chunk(b"IEND", b"")
    )


class KernelStackFigure:
    """A Figure holding a kernel stack, with a fast ``to_png()`` for widgets.

    Parameters
    ----------
    info : LayerInfo, optional
        The layer to show (or pass plain numbers as in :func:`draw_kernels`).
    dpi : float
        Resolution; the canvas is 800×450 units, so the PNG is ``8·dpi × 4.5·dpi`` pixels.
    **numbers
        ``kernel_size``, ``in_channels``, ``out_channels``… instead of ``info``.

    Notes
    -----
    ``figure`` holds vector artists (``stack``), always current: ``savefig`` it
    to SVG or PDF. ``to_png()`` does not re-render those artists; it composites
    cached raster sprites of the very same artists (see :mod:`convwidget.drawing`).
    """

    def __init__(self, info: LayerInfo | None = None, *, dpi: float = 100.0, **numbers: Any) -> None:
        w, h = CANVAS
        self.figure = Figure(figsize=(w / 100, h / 100), dpi=dpi, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        self.stack = draw_kernels(self.ax, info, **numbers)
        self._sprites: dict[Any, tuple[int, int, np.ndarray] | None] = {}
        self._background: np.ndarray | None = None

    @property
    def info(self) -> LayerInfo:
        """The layer shown."""
        return self.stack.info

    @property
    def plan(self) -> KernelPlan:
        """What is drawn, as data."""
        return self.stack.plan

    def update(self, info: LayerInfo | None = None, **numbers: Any) -> KernelStackFigure:
        """Show another layer (same arguments as :meth:`KernelStack.update`)."""
        self.stack.update(info, **numbers)
        return self

    def _size(self) -> tuple[int, int]:
        w, h = self.figure.canvas.get_width_height(physical=True)
        return int(w), int(h)

    def _renderer(self) -> RendererAgg:
        w, h = self._size()
        return RendererAgg(w, h, self.figure.dpi)

    def _render_background(self) -> np.ndarray:
        own = self.stack.artists
        visible = [a.get_visible() for a in own]
        for a in own:
            a.set_visible(False)
        try:
            self.canvas.draw()
            rgb = np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()
        finally:
            for a, v in zip(own, visible):
                a.set_visible(v)
        return rgb

    def _block_sprite(self, b: PlacedBlock) -> tuple[int, int, np.ndarray] | None:
        """The sprite of a block kind, rendered once by matplotlib at the block's position."""
        key = ("block", b.spec, self.figure.dpi)
        if key not in self._sprites:
            polys, lines = _new_artists(None)
            _fill(polys, lines, (b,))
            renderer = self._renderer()
            for art in (*polys.values(), lines):
                art.set_transform(self.ax.transData)
                art.figure = self.figure  # type: ignore[misc]
                art.axes = self.ax
                art.draw(renderer)
            crop = _crop(np.asarray(renderer.buffer_rgba()))
            # Store the sprite relative to the block's anchor pixel, so it can be moved by whole pixels.
            ax_px, ay_px = self._anchor(b)
            self._sprites[key] = None if crop is None else (crop[0] - ay_px, crop[1] - ax_px, crop[2])
        return self._sprites[key]

    def _anchor(self, b: PlacedBlock) -> tuple[int, int]:
        """Pixel (col, row) of a block's anchor in the Agg buffer (rows count from the top)."""
        x, y = self.ax.transData.transform((b.x, b.y))
        _, h = self._size()
        return round(x), round(h - y)

    def _text_key(self, t: Text) -> tuple[Any, ...]:
        pos = t.get_position()
        return ("text", t.get_text(), pos, t.get_horizontalalignment(), t.get_fontsize(), self.figure.dpi)

    def _render_texts(self, texts: list[Text]) -> None:
        """Render the labels missing from the cache, in as few Agg passes as possible.

        Labels whose boxes do not overlap share one pass; each is then cut out
        of it by its own box, so a sprite holds exactly one label.
        """
        w, h = self._size()
        if getattr(self, "_measure_size", None) != (w, h, self.figure.dpi):
            self._measure, self._measure_size = self._renderer(), (w, h, self.figure.dpi)
        measure = self._measure
        boxes = []
        for t in texts:
            # Lay out the label and its box exactly as Text.draw will, to know where it lands.
            t.update_bbox_position_size(measure)
            patch = t.get_bbox_patch()
            boxes.append((patch if patch is not None else t).get_window_extent(measure).padded(2))
        pending = list(zip(texts, boxes))
        while pending:
            batch: list[tuple[Text, Any]] = []
            rest: list[tuple[Text, Any]] = []
            for t, box in pending:
                (rest if any(box.overlaps(b) for _, b in batch) else batch).append((t, box))
            renderer = self._renderer()
            for t, _ in batch:
                t.draw(renderer)
            rgba = np.asarray(renderer.buffer_rgba())
            for t, box in batch:
                c0, c1 = max(int(np.floor(box.x0)), 0), min(int(np.ceil(box.x1)), w)
                r0, r1 = max(h - int(np.ceil(box.y1)), 0), min(h - int(np.floor(box.y0)), h)
                crop = _crop(rgba[r0:r1, c0:c1])
                self._sprites[self._text_key(t)] = (
                    None if crop is None else (crop[0] + r0, crop[1] + c0, crop[2])
                )
            pending = rest

    def to_rgb(self) -> np.ndarray:
        """The figure as an RGB array (H×W×3, uint8), composited from cached sprites."""
        if self._background is None or self._background.shape[:2] != self._size()[::-1]:
            self._sprites.clear()
            self._background = self._render_background()
        out = self._background.copy()
        for b in self.plan.blocks:
            sprite = self._block_sprite(b)
            if sprite is not None:
                col, row = self._anchor(b)
                _over(out, row + sprite[0], col + sprite[1], sprite[2])
        texts = [t for t in self.stack.texts.values() if t.get_visible()]
        missing = [t for t in texts if self._text_key(t) not in self._sprites]
        if missing:
            self._render_texts(missing)
        for t in texts:
            sprite = self._sprites[self._text_key(t)]
            if sprite is not None:
                _over(out, sprite[0], sprite[1], sprite[2])
        return out

    def render_reference(self) -> np.ndarray:
        """The same figure drawn by matplotlib (``canvas.draw()``), RGB; slower, for checks."""
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()

    def to_png(self, compress_level: int = 1) -> bytes:
        """PNG bytes of the figure, fast: cached sprites composited in numpy, one encode.

        Parameters
        ----------
        compress_level : int
            zlib level, 0–9; 1 is fast and still small for these flat drawings.
        """
        return encode_png(self.to_rgb(), compress_level)

    def clear_cache(self) -> None:
        """Forget every cached sprite (e.g. after changing the figure's style by hand)."""
        self._sprites.clear()
        self._background = None
