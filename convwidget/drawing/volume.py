"""The convolution volume: input H×W×Cin, one kernel on its receptive field, output H'×W'×Cout.

Heights, widths and channels are read from the layer's shapes through
``LayerInfo.layout``, never guessed from them, so a channels-first Keras layer
and a PyTorch layer draw the same picture as a channels-last one; the labels
write each shape in the layer's own order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import _arith
from .._checks import fail, int_tuple
from ..enums import Family, Padding
from ..formula import group_digits
from ..info import KernelGeometry, LayerInfo
from ._spec import Plane, as_info, geometry_of, planes
from ._style import EDGE_COLOR, HIGHLIGHT, TITLE_SIZE, channel_color, shade, text_style
from .blocks import CANVAS, DEPTH, MAX_CELLS, MAX_SLICES

__all__ = ["MAX_GRID", "ConvVolume", "VolumePlan", "draw_conv_volume", "plan_volume"]

MAX_GRID = 64  # grid lines are drawn only up to this many cells per side
_OUT_COLOR = "#BBBBBB"  # output channels are not input channels: neutral grey
_PAD_COLOR = "#E8E8E8"
_ROLES = ("title", "input", "output", "formula_h", "formula_w", "note", "stride", "column")
_CALLER = "draw_conv_volume"
_FAMILIES = frozenset({Family.CONV, Family.DEPTHWISE, Family.SEPARABLE})


@dataclass(frozen=True)
class VolumePlan:
    """The arithmetic behind one convolution-volume picture (pure data).

    ``pad`` is ((top, bottom), (left, right)) in cells; ``window`` lists the
    padded-input cells (row, col) the kernel reads for output ``position``;
    ``channels_first`` is the layer's layout (it decides how shapes are written).
    """

    spatial_in: tuple[int, int]
    spatial_out: tuple[int, int]
    in_channels: int
    out_channels: int
    kernel: tuple[int, int]
    strides: tuple[int, int]
    dilation: tuple[int, int]
    pad: tuple[tuple[int, int], tuple[int, int]]
    padding_name: str
    position: tuple[int, int]
    window: tuple[tuple[int, int], ...]
    formulas: tuple[str, str]
    inferred: bool
    channels_first: bool = False

    def shape_text(self, spatial: Plane, channels: int) -> str:
        """A shape written in the layer's own order: ``H×W×C``, or ``C×H×W (C×H×W)`` channels-first."""
        if self.channels_first:
            return f"{channels:,}×{spatial[0]}×{spatial[1]} (C×H×W)"
        return f"{spatial[0]}×{spatial[1]}×{channels:,}"


def _pads(n: Plane, k: Plane, s: Plane, d: Plane, padding: Any) -> tuple[Plane, Plane]:
    """Cells of padding ((top, bottom), (left, right)) for ``"valid"``, ``"same"`` or cells per side."""
    if padding == Padding.VALID:
        return (0, 0), (0, 0)
    if padding == Padding.SAME:
        return _arith.same_padding(n[0], k[0], s[0], d[0]), _arith.same_padding(n[1], k[1], s[1], d[1])
    if isinstance(padding, str):
        raise fail(_CALLER, "padding", padding, "it must be 'valid', 'same' or the cells added per side")
    ph, pw = int_tuple(_CALLER, "padding", padding, 2, minimum=0)
    return (ph, ph), (pw, pw)


def _output(n: Plane, k: Plane, s: Plane, d: Plane, pads: tuple[Plane, Plane]) -> Plane:
    """Output (height, width) of a convolution with explicit padding, both axes."""
    h, w = (_arith.torch_conv_length(n[i], k[i], s[i], pads[i][0] + pads[i][1], d[i]) for i in range(2))
    return h, w


def _infer(n: Plane, k: Plane, want: Plane) -> tuple[int, str]:
    """The smallest square stride, 'valid' before 'same', that maps ``n`` onto ``want`` with dilation 1."""
    for stride in range(1, max(k) + 3):
        for padding in (Padding.VALID, Padding.SAME):
            pads = _pads(n, k, (stride, stride), (1, 1), padding)
            if _output(n, k, (stride, stride), (1, 1), pads) == want:
                return stride, padding
    raise fail(
        _CALLER,
        "strides/padding/dilation_rate",
        None,
        f"none was given, and the shapes {n[0]}×{n[1]} -> {want[0]}×{want[1]} fit no stride with dilation 1",
        "pass strides=, padding= and dilation_rate= as given to the layer",
    )


def plan_volume(
    info: LayerInfo,
    strides: Any = None,
    padding: Any = None,
    dilation_rate: Any = None,
    position: tuple[int, int] = (0, 0),
) -> VolumePlan:
    """Work out the picture's arithmetic, checked against ``info``'s output shape.

    Parameters
    ----------
    info : LayerInfo
        A 2-D convolution (plain, grouped, depthwise or separable), in either layout.
    strides, padding, dilation_rate : optional
        The layer's; ``padding`` is ``"valid"``, ``"same"`` or cells per side. When all
        three are None they are inferred from the shapes (stride 1 and 'valid' first).
    position : tuple of int
        The output cell (row, column) whose receptive field is shown.

    Raises
    ------
    ConfigError
        If the layer is not a 2-D convolution, if the arguments give another
        output shape than ``info``, or if ``position`` is outside the output.
    """
    valid = "it must be a 2-D convolution (Conv2D, DepthwiseConv2D, SeparableConv2D)"
    g = geometry_of(info, _CALLER, _FAMILIES, valid)
    (n, cin), (want, cout) = planes(info, _CALLER)
    k = (g.kernel_size[0], g.kernel_size[1])
    inferred = strides is None and padding is None and dilation_rate is None
    if inferred:
        strides, padding = _infer(n, k, want)
    sh, sw = int_tuple(_CALLER, "strides", 1 if strides is None else strides, 2)
    dh, dw = int_tuple(_CALLER, "dilation_rate", 1 if dilation_rate is None else dilation_rate, 2)
    s, d = (sh, sw), (dh, dw)
    padding = Padding.VALID if padding is None else padding
    pads = _pads(n, k, s, d, padding)
    got = _output(n, k, s, d, pads)
    if got != want:
        raise fail(
            _CALLER,
            "strides/padding/dilation_rate",
            (s, padding, d),
            f"they give an output of {got[0]}×{got[1]}, but the layer's output is {want[0]}×{want[1]}",
            "pass the layer's own strides, padding and dilation_rate",
        )
    i, j = position
    if not (0 <= i < want[0] and 0 <= j < want[1]):
        raise fail(
            _CALLER,
            "position",
            position,
            f"it must be an output cell (row, col) with 0 <= row < {want[0]} and 0 <= col < {want[1]}",
        )
    window = tuple((i * s[0] + a * d[0], j * s[1] + b * d[1]) for a in range(k[0]) for b in range(k[1]))

    def formula(axis: int, name: str) -> str:
        pt = pads[axis][0] + pads[axis][1]
        return (
            f"{name}' = ⌊({name} + pad − d·(F − 1) − 1) / s⌋ + 1 = "
            f"⌊({n[axis]} + {pt} − {d[axis]}·({k[axis]} − 1) − 1) / {s[axis]}⌋ + 1 = {got[axis]}"
        )

    name = str(padding) if isinstance(padding, str) else f"{padding} cells"
    return VolumePlan(
        n,
        want,
        cin,
        cout,
        k,
        s,
        d,
        pads,
        name,
        (i, j),
        window,
        (formula(0, "H"), formula(1, "W")),
        inferred,
        info.channels_first,
    )


def _rect(x: float, y: float, w: float, h: float) -> np.ndarray:
    return np.array([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], float)


def _kernel_texts(g: KernelGeometry, p: VolumePlan) -> tuple[str, str]:
    """What reads the receptive field, and what makes one output column, by the layer's family."""
    kh, kw = p.kernel
    if g.kind is Family.SEPARABLE:
        mid = g.in_channels * g.depth_multiplier
        return (
            f"receptive field {kh}×{kw}×{group_digits(g.in_channels)}: a {kh}×{kw}×1 kernel per channel"
            f" (× {g.depth_multiplier}), then 1×1×{group_digits(mid)} kernels",
            f"{group_digits(g.out_channels)} kernels",
        )
    return (
        f"kernel {kh}×{kw}×{group_digits(g.channels_per_kernel)} on its receptive field",
        f"{group_digits(g.out_channels)} kernels",
    )


class ConvVolume:
    """Artists of a convolution-volume drawing, updated in place; made by :func:`draw_conv_volume`."""

    def __init__(self, ax: Axes, info: LayerInfo | None = None, **options: Any) -> None:
        self.ax = ax
        ax.set_xlim(0, CANVAS[0])
        ax.set_ylim(0, CANVAS[1])
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.faces = PolyCollection([], linewidths=0.6, edgecolors=EDGE_COLOR, zorder=2)
        self.grid = LineCollection([], colors=EDGE_COLOR, linewidths=0.4, alpha=0.6, zorder=3)
        self.window = PolyCollection(
            [], facecolors=HIGHLIGHT, edgecolors=EDGE_COLOR, linewidths=0.8, zorder=4
        )
        self.next_window = PolyCollection(
            [], facecolors="none", edgecolors=HIGHLIGHT, linewidths=1.5, linestyles="--", zorder=4
        )
        self.link = Line2D([], [], color=HIGHLIGHT, linewidth=2, zorder=5)
        self.column = Line2D([], [], color=HIGHLIGHT, linewidth=3, zorder=5)
        for art in (self.faces, self.grid, self.window, self.next_window):
            ax.add_collection(art, autolim=False)
        ax.add_line(self.link)
        ax.add_line(self.column)
        self.texts: dict[str, Text] = {r: ax.text(0, 0, "", va="center", **text_style()) for r in _ROLES}
        self.texts["title"].set_fontsize(TITLE_SIZE)
        self.update(info, **options)

    def update(
        self,
        info: LayerInfo | None = None,
        *,
        strides: Any = None,
        padding: Any = None,
        dilation_rate: Any = None,
        position: tuple[int, int] = (0, 0),
        **numbers: Any,
    ) -> ConvVolume:
        """Show another layer or output position (same arguments as :func:`draw_conv_volume`)."""
        self.info = as_info(info, caller="ConvVolume.update", **numbers)
        self.plan = p = plan_volume(self.info, strides, padding, dilation_rate, position)
        (pt, pb), (pl, pr) = p.pad
        hp, wp = p.spatial_in[0] + pt + pb, p.spatial_in[1] + pl + pr
        cs = min(14.0, 200.0 / max(hp, wp))
        x0, y0 = 40.0, 116.0
        faces: list[np.ndarray] = []
        colors: list[Any] = []
        lines: list[np.ndarray] = []

        def box(x: float, y: float, w: float, h: float, channels: list[Any], front: Any) -> None:
            dx, dy = DEPTH
            for c, col in enumerate(channels):
                sx, sy = x + c * dx, y + c * dy
                faces.append(
                    np.array(
                        [(sx, sy + h), (sx + w, sy + h), (sx + w + dx, sy + h + dy), (sx + dx, sy + h + dy)]
                    )
                )
                colors.append(shade(col, 0.35))
                faces.append(
                    np.array(
                        [(sx + w, sy), (sx + w + dx, sy + dy), (sx + w + dx, sy + h + dy), (sx + w, sy + h)]
                    )
                )
                colors.append(shade(col, -0.25))
            faces.append(_rect(x, y, w, h))
            colors.append(front)

        in_slices = [channel_color(c) for c in range(min(p.in_channels, MAX_SLICES))]
        box(x0, y0, wp * cs, hp * cs, in_slices, shade(in_slices[0], 0.55))
        for y_, h_ in ((y0 + (hp - pt) * cs, pt * cs), (y0, pb * cs)):
            if h_:
                faces.append(_rect(x0, y_, wp * cs, h_))
                colors.append(_PAD_COLOR)
        for x_, w_ in ((x0, pl * cs), (x0 + (wp - pr) * cs, pr * cs)):
            if w_:
                faces.append(_rect(x_, y0, w_, hp * cs))
                colors.append(_PAD_COLOR)
        ho, wo = p.spatial_out
        co = min(14.0, 200.0 / max(ho, wo))
        x1, y1 = 470.0, 116.0
        out_slices = [_OUT_COLOR] * min(p.out_channels, MAX_SLICES)
        box(x1, y1, wo * co, ho * co, out_slices, shade(_OUT_COLOR, 0.5))
        if max(hp, wp) <= MAX_GRID:
            lines += [np.array([(x0, y0 + r * cs), (x0 + wp * cs, y0 + r * cs)]) for r in range(1, hp)]
            lines += [np.array([(x0 + c * cs, y0), (x0 + c * cs, y0 + hp * cs)]) for c in range(1, wp)]
        if max(ho, wo) <= MAX_GRID:
            lines += [np.array([(x1, y1 + r * co), (x1 + wo * co, y1 + r * co)]) for r in range(1, ho)]
            lines += [np.array([(x1 + c * co, y1), (x1 + c * co, y1 + ho * co)]) for c in range(1, wo)]
        self.faces.set_verts(faces)
        self.faces.set_facecolor(colors)
        self.grid.set_segments(lines)

        def cell(r: int, c: int, size: float, x: float, y: float, rows: int) -> np.ndarray:
            return _rect(x + c * size, y + (rows - 1 - r) * size, size, size)

        if max(p.kernel) <= MAX_CELLS:
            self.window.set_verts([cell(r, c, cs, x0, y0, hp) for r, c in p.window])
        else:  # a huge kernel: its outline only, so the cost stays bounded
            (r0, c0), (r1, c1) = p.window[0], p.window[-1]
            self.window.set_verts(
                [_rect(x0 + c0 * cs, y0 + (hp - 1 - r1) * cs, (c1 - c0 + 1) * cs, (r1 - r0 + 1) * cs)]
            )
        i, j = p.position
        span_h = p.dilation[0] * (p.kernel[0] - 1) + 1
        span_w = p.dilation[1] * (p.kernel[1] - 1) + 1
        nxt = []
        if j + 1 < wo:
            r0, c0 = i * p.strides[0], (j + 1) * p.strides[1]
            nxt.append(_rect(x0 + c0 * cs, y0 + (hp - r0 - span_h) * cs, span_w * cs, span_h * cs))
        self.next_window.set_verts(nxt)
        rc, cc = i * p.strides[0] + (span_h - 1) / 2, j * p.strides[1] + (span_w - 1) / 2
        src = (x0 + (cc + 0.5) * cs, y0 + (hp - rc - 0.5) * cs)
        out_cell = cell(i, j, co, x1, y1, ho)
        dst = out_cell.mean(axis=0)
        self.link.set_data([src[0], dst[0]], [src[1], dst[1]])
        depth = len(out_slices)
        self.column.set_data([dst[0], dst[0] + depth * DEPTH[0]], [dst[1], dst[1] + depth * DEPTH[1]])
        faces.append(out_cell)
        colors.append(HIGHLIGHT)
        self.faces.set_verts(faces)
        self.faces.set_facecolor(colors)

        g = geometry_of(self.info, _CALLER, _FAMILIES)
        how = " (inferred from the shapes)" if p.inferred else ""
        title = (
            f"{self.info.layer_type}: strides {p.strides[0]}×{p.strides[1]}, padding '{p.padding_name}', "
            f"dilation {p.dilation[0]}×{p.dilation[1]}{how}"
        )
        pads = f", padded by {pt}/{pb}, {pl}/{pr}" if pt + pb + pl + pr else ""
        more_in = (
            f"\n{p.in_channels - MAX_SLICES:,} more channels not drawn" if p.in_channels > MAX_SLICES else ""
        )
        more_out = (
            f"\n{p.out_channels - MAX_SLICES:,} more channels not drawn"
            if p.out_channels > MAX_SLICES
            else ""
        )
        note, column = _kernel_texts(g, p)
        texts = {
            "title": (title, 20, CANVAS[1] - 30),
            # What is left out goes on a second line, so the right-hand label stays on the canvas.
            "input": (f"input {p.shape_text(p.spatial_in, p.in_channels)}{pads}{more_in}", 20, 94),
            "output": (f"output {p.shape_text(p.spatial_out, p.out_channels)}{more_out}", 470, 94),
            "formula_h": (p.formulas[0], 20, 56),
            "formula_w": (p.formulas[1], 20, 26),
            "note": (note, 20, CANVAS[1] - 62),
            "stride": (f"next position: {p.strides[1]} cell(s) right", 20, CANVAS[1] - 92)
            if nxt
            else ("", 0, 0),
            "column": (f"value ({i}, {j}); its column: {column}", 470, CANVAS[1] - 92),
        }
        for role, (text, x, y) in texts.items():
            t = self.texts[role]
            t.set_text(text)
            t.set_position((x, y))
            t.set_visible(bool(text))
        return self

    @property
    def artists(self) -> list[Any]:
        """Every artist this drawing owns."""
        return [
            self.faces,
            self.grid,
            self.window,
            self.next_window,
            self.link,
            self.column,
            *self.texts.values(),
        ]


def draw_conv_volume(ax: Axes, info: LayerInfo | None = None, **options: Any) -> ConvVolume:
    """Draw input volume, one kernel on its receptive field, and the output volume.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (limits set to the 800×450 canvas, axis hidden).
    info : LayerInfo, optional
        ``describe`` of a 2-D convolution; or plain numbers as in ``draw_kernels``.
    **options
        ``strides``, ``padding`` (``"valid"``, ``"same"`` or cells), ``dilation_rate``
        (all inferred from the shapes when none is given), ``position`` (output cell
        shown, default ``(0, 0)``), or the plain numbers.

    Returns
    -------
    ConvVolume
        Its ``update(info, **options)`` redraws in place.
    """
    return ConvVolume(ax, info, **options)
