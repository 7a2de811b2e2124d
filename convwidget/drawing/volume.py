"""The convolution volume: input H×W×Cin, one kernel on its receptive field, output H'×W'×Cout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import _arith
from .._checks import fail
from ..errors import ConfigError
from ..info import LayerInfo
from ._spec import as_info, geometry_of
from ._style import EDGE_COLOR, HIGHLIGHT, TITLE_SIZE, channel_color, shade, text_style
from .kernels import _DEPTH, CANVAS, MAX_CELLS, MAX_SLICES

__all__ = ["MAX_GRID", "ConvVolume", "VolumePlan", "draw_conv_volume", "plan_volume"]

MAX_GRID = 64  # grid lines are drawn only up to this many cells per side
_OUT_COLOR = "#BBBBBB"  # output channels are not input channels: neutral grey
_PAD_COLOR = "#E8E8E8"
_ROLES = ("title", "input", "output", "formula_h", "formula_w", "note", "stride", "column")


@dataclass(frozen=True)
class VolumePlan:
    """The arithmetic behind one convolution-volume picture (pure data).

    ``pad`` is ((top, bottom), (left, right)) in cells; ``window`` lists the
    padded-input cells (row, col) the kernel reads for output ``position``.
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


def _pair(layer: str, arg: str, value: Any) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise fail(layer, arg, value, "it must be an integer or a pair of integers >= 1")
    if min(value) < 1:
        raise fail(layer, arg, value, "every entry must be >= 1")
    return int(value[0]), int(value[1])


def _split(info: LayerInfo, cin: int) -> tuple[int, int]:
    shape = info.input_shape
    if len(shape) != 3:
        raise fail("draw_conv_volume", "info", info.layer_type, "it must be a 2-D convolution (rank-3 input)")
    first = info.dialect == "torch" or (shape[0] == cin and shape[-1] != cin)
    return (shape[1], shape[2]) if first else (shape[0], shape[1])


def _out_spatial(info: LayerInfo, cout: int) -> tuple[int, int]:
    shape = info.output_shape
    first = info.dialect == "torch" or (shape[0] == cout and shape[-1] != cout)
    return (shape[1], shape[2]) if first else (shape[0], shape[1])


def _pads(
    n: tuple[int, int], k: tuple[int, int], s: tuple[int, int], d: tuple[int, int], padding: Any
) -> tuple[tuple[int, int], tuple[int, int]]:
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        return _arith.same_padding(n[0], k[0], s[0], d[0]), _arith.same_padding(n[1], k[1], s[1], d[1])
    ph, pw = _pair("draw_conv_volume", "padding", padding) if padding != 0 else (0, 0)
    return (ph, ph), (pw, pw)


def _length(n: int, k: int, s: int, d: int, pad: tuple[int, int]) -> int:
    return _arith.torch_conv_length(n, k, s, pad[0] + pad[1], d)


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
        A 2-D convolution (plain, grouped, depthwise or separable).
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
    g = geometry_of(info, "draw_conv_volume")
    if g.kind not in ("conv", "depthwise", "separable") or len(g.kernel_size) != 2:
        raise fail(
            "draw_conv_volume",
            "info",
            info.layer_type,
            "it must be a 2-D convolution (Conv2D, DepthwiseConv2D, SeparableConv2D)",
        )
    k = (g.kernel_size[0], g.kernel_size[1])
    n = _split(info, g.in_channels)
    want = _out_spatial(info, g.out_channels)
    inferred = strides is None and padding is None and dilation_rate is None
    if inferred:
        candidates = [(s, p) for s in range(1, max(k) + 3) for p in ("valid", "same")]
        for s_, p_ in candidates:
            pads = _pads(n, k, (s_, s_), (1, 1), p_)
            if tuple(_length(n[i], k[i], s_, 1, pads[i]) for i in range(2)) == want:
                strides, padding, dilation_rate = s_, p_, 1
                break
        else:
            raise ConfigError(
                f"draw_conv_volume: the shapes {info.input_shape} -> {info.output_shape} fit no stride with "
                "dilation 1; pass strides=, padding= and dilation_rate= as given to the layer"
            )
    s = _pair("draw_conv_volume", "strides", 1 if strides is None else strides)
    d = _pair("draw_conv_volume", "dilation_rate", 1 if dilation_rate is None else dilation_rate)
    padding = "valid" if padding is None else padding
    pads = _pads(n, k, s, d, padding)
    got = tuple(_length(n[i], k[i], s[i], d[i], pads[i]) for i in range(2))
    if got != want:
        raise fail(
            "draw_conv_volume",
            "strides/padding/dilation_rate",
            (s, padding, d),
            f"they give an output of {got[0]}×{got[1]}, but the layer's output is {want[0]}×{want[1]}",
            "pass the layer's own strides, padding and dilation_rate",
        )
    i, j = position
    if not (0 <= i < want[0] and 0 <= j < want[1]):
        raise fail(
            "draw_conv_volume",
            "position",
            position,
            f"it must be an output cell (row, col) with 0 <= row < {want[0]} and 0 <= col < {want[1]}",
        )
    window = tuple((i * s[0] + a * d[0], j * s[1] + b * d[1]) for a in range(k[0]) for b in range(k[1]))
    formulas = []
    for axis, name in ((0, "H"), (1, "W")):
        pt = pads[axis][0] + pads[axis][1]
        formulas.append(
            f"{name}' = ⌊({name} + pad − d·(F − 1) − 1) / s⌋ + 1 = "
            f"⌊({n[axis]} + {pt} − {d[axis]}·({k[axis]} − 1) − 1) / {s[axis]}⌋ + 1 = {got[axis]}"
        )
    name = padding if isinstance(padding, str) else f"{padding} cells"
    return VolumePlan(
        n, want, g.in_channels, g.out_channels, k, s, d, pads, name, (i, j), window, tuple(formulas), inferred
    )


def _rect(x: float, y: float, w: float, h: float) -> np.ndarray:
    return np.array([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], float)


class ConvVolume:
    """Artists of a convolution-volume drawing, updated in place; made by :func:`draw_conv_volume`."""

    def __init__(self, ax: Axes, info: LayerInfo, **options: Any) -> None:
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
            dx, dy = _DEPTH
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
        self.column.set_data([dst[0], dst[0] + depth * _DEPTH[0]], [dst[1], dst[1] + depth * _DEPTH[1]])
        faces.append(out_cell)
        colors.append(HIGHLIGHT)
        self.faces.set_verts(faces)
        self.faces.set_facecolor(colors)

        g = geometry_of(self.info, "draw_conv_volume")
        how = " (inferred from the shapes)" if p.inferred else ""
        title = (
            f"{self.info.layer_type}: strides {p.strides[0]}×{p.strides[1]}, padding '{p.padding_name}', "
            f"dilation {p.dilation[0]}×{p.dilation[1]}{how}"
        )
        pads = f", padded by {pt}/{pb}, {pl}/{pr}" if pt + pb + pl + pr else ""
        more_in = (
            f"; {p.in_channels - MAX_SLICES:,} more channels not drawn" if p.in_channels > MAX_SLICES else ""
        )
        more_out = (
            f"; {p.out_channels - MAX_SLICES:,} more channels not drawn"
            if p.out_channels > MAX_SLICES
            else ""
        )
        spans = g.channels_per_kernel
        texts = {
            "title": (title, 20, CANVAS[1] - 30),
            "input": (f"input {p.spatial_in[0]}×{p.spatial_in[1]}×{p.in_channels}{pads}{more_in}", 20, 88),
            "output": (f"output {ho}×{wo}×{p.out_channels}{more_out}", 470, 88),
            "formula_h": (p.formulas[0], 20, 56),
            "formula_w": (p.formulas[1], 20, 26),
            "note": (
                f"kernel {self.plan.kernel[0]}×{self.plan.kernel[1]}×{spans} on its receptive field",
                20,
                CANVAS[1] - 62,
            ),
            "stride": (f"next position: {p.strides[1]} cell(s) right", 20, CANVAS[1] - 92)
            if nxt
            else ("", 0, 0),
            "column": (
                f"value ({i}, {j}); its column: {p.out_channels:,} kernels",
                470,
                CANVAS[1] - 92,
            ),
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
