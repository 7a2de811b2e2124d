"""The convolution volume: a kernel that goes through the whole input, and the one number it makes.

Input H×W×Cin as a box as deep as its channels (to scale up to 8, compressed
beyond, like the kernel stack); the kernel as an F×F×Cin box through **all**
the input's channels at its position (one slice deep for a depthwise kernel);
an arrow to the single output value it makes in one output channel; the
column of Cout values at that position, one per kernel. The padding ring, the
dilated taps, the next position (a dashed ghost) and the last position (the
same kernel, reused: weight sharing) are drawn; captions say it in words.

The arithmetic is :func:`~convwidget.drawing.volume_plan.plan_volume`'s; this
module lays it out for the Axes' size and keeps a fixed set of artists.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from ..enums import Family
from ..formula import group_digits
from ..info import KernelGeometry, LayerInfo
from ._glyphs import add_label
from ._layout import canvas_of, fit, line_height, plural
from ._savable import Savable
from ._spec import as_info, geometry_of
from ._style import EDGE_COLOR, HIGHLIGHT, channel_color, shade, text_style
from .blocks import MAX_CELLS, depth_units, kernel_slices
from .kernel_plan import Frame
from .volume_plan import FAMILIES, VolumePlan, plan_volume

__all__ = ["MAX_GRID", "ConvVolume", "VolumePlan", "draw_conv_volume", "plan_volume"]

MAX_GRID = 64  # grid lines are drawn only up to this many cells per side
_OUT_COLOR = "#BBBBBB"  # output channels are not input channels: neutral grey
_PAD_COLOR = "#E8E8E8"
_ROLES = ("title", "note", "column", "sharing", "input", "stride", "output", "formula_h", "formula_w")
_CALLER = "draw_conv_volume"

Poly = np.ndarray


def _rect(x: float, y: float, w: float, h: float) -> Poly:
    return np.array([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], float)


def _box_faces(x: float, y: float, w: float, h: float, dx: float, dy: float) -> list[Poly]:
    """Front, top and right side of a box whose front face is (x, y, w, h), receding by (dx, dy)."""
    return [
        _rect(x, y, w, h),
        np.array([(x, y + h), (x + w, y + h), (x + w + dx, y + h + dy), (x + dx, y + h + dy)], float),
        np.array([(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)], float),
    ]


def _captions(g: KernelGeometry, p: VolumePlan) -> dict[str, str]:
    """What the kernel box makes, what the output column is, and weight sharing, in plain words."""
    kh, kw = p.kernel
    bias = " (+1 bias)" if g.bias else ""
    positions = f"{p.spatial_out[0]}×{p.spatial_out[1]}"
    if g.kind is Family.SEPARABLE:
        mid = g.in_channels * g.depth_multiplier
        per = (
            kh * kw * g.in_channels * g.depth_multiplier
            + mid * g.out_channels
            + (g.out_channels if g.bias else 0)
        )
        dm = f" (× {g.depth_multiplier})" if g.depth_multiplier > 1 else ""
        return {
            "note": f"receptive field {kh}×{kw}×{g.in_channels:,}: a {kh}×{kw}×1 kernel per channel{dm},"
            f" then 1×1×{mid:,} kernels",
            "column": f"{plural(g.out_channels, 'pointwise kernel')}"
            f" → {plural(g.out_channels, 'output channel')}",
            "sharing": f"the same kernels at all {positions} positions: {group_digits(per)} parameters,"
            " whatever the input's size",
        }
    cpk = g.channels_per_kernel
    per = kh * kw * cpk + (1 if g.bias else 0)
    own = ""
    if g.kind is Family.DEPTHWISE:
        own = ", on its own channel"
    elif g.groups > 1:
        own = f", on the {plural(cpk, 'channel')} of its group"
    return {
        "note": f"one kernel: {kh}×{kw}×{cpk:,} weights{bias} → one number{own}",
        "column": f"{plural(g.out_channels, 'kernel')} → {plural(g.out_channels, 'output channel')}",
        "sharing": f"the same kernel at all {positions} positions: {plural(per, 'parameter')},"
        " whatever the input's size",
    }


class ConvVolume(Savable):
    """Artists of a convolution-volume drawing, updated in place; made by :func:`draw_conv_volume`.

    ``faces`` (volumes and padding), ``grid``, ``window`` (the kernel's taps on the
    front face), ``kernel_box`` (the kernel through the input's depth), ``ghosts``
    (next and last positions, dashed), ``column_box`` (the output values at the
    position), ``arrow`` and ``texts`` are made once and changed by ``update``.
    """

    def __init__(self, ax: Axes, info: LayerInfo | None = None, **options: Any) -> None:
        self.ax = ax
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.faces = PolyCollection([], linewidths=0.6, edgecolors=EDGE_COLOR, zorder=2)
        self.grid = LineCollection([], colors=EDGE_COLOR, linewidths=0.4, alpha=0.6, zorder=3)
        self.window = PolyCollection(
            [], facecolors=HIGHLIGHT, edgecolors=EDGE_COLOR, linewidths=0.6, zorder=4
        )
        self.kernel_box = PolyCollection(
            [], facecolors=(*shade(HIGHLIGHT, 0.2), 0.45), edgecolors=HIGHLIGHT, linewidths=1.6, zorder=5
        )
        self.ghosts = PolyCollection(
            [], facecolors="none", edgecolors=HIGHLIGHT, linewidths=1.4, linestyles="--", zorder=5
        )
        self.column_box = PolyCollection(
            [], facecolors=(*shade(HIGHLIGHT, 0.2), 0.6), edgecolors=HIGHLIGHT, linewidths=1.6, zorder=5
        )
        for art in (self.faces, self.grid, self.window, self.kernel_box, self.ghosts, self.column_box):
            ax.add_collection(art, autolim=False)
        self.arrow = FancyArrowPatch(
            (0, 0), (1, 1), arrowstyle="-|>", mutation_scale=14, color=HIGHLIGHT, linewidth=2, zorder=6
        )
        ax.add_patch(self.arrow)
        self.texts: dict[str, Text] = {
            r: add_label(ax, 0, 0, "", va="center", **text_style()) for r in _ROLES
        }
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
        g = geometry_of(self.info, _CALLER, FAMILIES)
        f = Frame.of(canvas_of(self.ax))
        self.ax.set_xlim(0, f.width)
        self.ax.set_ylim(0, f.height)
        texts = self._texts(g, p, f)
        # The band between the caption lines on top and the labels under the volumes.
        top, bottom = texts.pop("_top"), texts.pop("_bottom")
        self._draw(g, p, f, bottom, top)
        for role, t in self.texts.items():
            text, x, y, size = texts.get(role, ("", 0.0, 0.0, 10.0))
            t.set_text(text)
            t.set_position((x, y))
            t.set_fontsize(size)
            t.set_visible(bool(text))
        return self

    def _texts(self, g: KernelGeometry, p: VolumePlan, f: Frame) -> dict[str, Any]:
        """Every label's (text, x, y, size), fitted to the canvas; "_top"/"_bottom" bound the volumes."""
        how = " (inferred from the shapes)" if p.inferred else ""
        (pt, pb), (pl, pr) = p.pad
        title = (
            f"{self.info.layer_type}: strides {p.strides[0]}×{p.strides[1]}, padding '{p.padding_name}',"
            f" dilation {p.dilation[0]}×{p.dilation[1]}{how}"
        )
        if p.transposed:
            title = (
                f"{self.info.layer_type} (strides {p.strides[0]}×{p.strides[1]}) = an ordinary convolution"
                " on the input spread apart by the stride, with zeros between and around"
            )
        caps = _captions(g, p)
        half = f.width / 2 - 1.5 * f.margin
        small = f.pt(12.0)
        out: dict[str, Any] = {}
        y = f.height - f.margin
        for role, text, base, width in (
            ("title", title, 13.5, f.inner),
            ("note", caps["note"], 12.5, f.inner),
            ("column", caps["column"], 12.5, f.inner),
            ("sharing", caps["sharing"], 12.0, f.inner),
        ):
            text, size = fit(text, f.pt(base), width, max(f.pt(base) * 0.7, 7.0))
            h = line_height(size, text.count("\n") + 1)
            out[role] = (text, f.margin, y - h / 2, size)
            y -= h + 1.5 * f.g
        out["_top"] = y - 4 * f.g
        pads = f", padded {pt}/{pb} rows, {pl}/{pr} columns" if pt + pb + pl + pr else ""
        if p.transposed:
            rows, cols = p.grid
            pads = f", spread to {rows}×{cols} with zeros (grey)"
        step = p.step[1]
        stride = f"dashed: the next position, {plural(step, 'cell')} to the right (stride {step})"
        if p.spatial_out[1] == 1:
            stride = "dashed: the last position (there is no next one to the right)"
        yb = f.margin
        for role in ("formula_w", "formula_h"):
            text = p.formulas[0 if role == "formula_h" else 1]
            text, size = fit(text, small, f.inner, max(small * 0.7, 7.0))
            h = line_height(size, text.count("\n") + 1)
            out[role] = (text, f.margin, yb + h / 2, size)
            yb += h + 1.5 * f.g
        input_text = f"input {p.shape_text(p.spatial_in, p.in_channels)}{pads}"
        yy = yb
        for role, text in (("stride", stride), ("input", input_text)):
            text, size = fit(text, small, half, max(small * 0.7, 7.0))
            h = line_height(size, text.count("\n") + 1)
            out[role] = (text, f.margin, yy + h / 2, size)
            yy += h + 1.5 * f.g
        # The output's label level with the input's (top-aligned under the volumes).
        text, size = fit(
            f"output {p.shape_text(p.spatial_out, p.out_channels)}", small, half, max(small * 0.7, 7.0)
        )
        h = line_height(size, text.count("\n") + 1)
        in_top = out["input"][2] + line_height(out["input"][3], out["input"][0].count("\n") + 1) / 2
        out["output"] = (text, f.margin + f.width / 2, in_top - h / 2, size)
        heights = [yy]
        out["_bottom"] = max(heights) + 4 * f.g
        if out["_top"] - out["_bottom"] < 80 * f.g:  # a small figure: the formulas make room for the volumes
            shift = sum(
                line_height(out[r][3], out[r][0].count("\n") + 1) + 1.5 * f.g
                for r in ("formula_h", "formula_w")
            )
            for role in ("formula_h", "formula_w"):
                out.pop(role)
            for role in ("stride", "input", "output"):
                text, x, yy, size = out[role]
                out[role] = (text, x, yy - shift, size)
            out["_bottom"] -= shift
        return out

    def _draw(self, g: KernelGeometry, p: VolumePlan, f: Frame, lo: float, hi: float) -> None:
        (pt, pb), (pl, pr) = p.pad
        hp, wp = p.grid
        ho, wo = p.spatial_out
        band = max(hi - lo, 20.0)
        region = f.width / 2 - 2 * f.margin
        faces: list[Poly] = []
        colors: list[Any] = []
        lines: list[Poly] = []

        def volume(
            x: float, y: float, w: float, h: float, channels: int, colour: Any | None
        ) -> tuple[float, float]:
            """A box of ``channels`` slices behind a w×h face; returns its depth offset (dx, dy)."""
            slices, thick, _ = kernel_slices(0, channels)
            unit = min(
                5 * f.g,
                0.5 * region / max(depth_units(channels), 1.0),
                0.35 * band / max(depth_units(channels), 1.0),
            )
            dx, dy = unit, unit * 0.75
            at = 0.0
            for c, t in zip(slices, thick):
                col = colour if colour is not None else channel_color(c)
                sx, sy = x + at * dx, y + at * dy
                top, side = _box_faces(sx, sy, w, h, t * dx, t * dy)[1:]
                faces.extend([top, side])
                colors.extend([shade(col, 0.35), shade(col, -0.25)])
                at += t
            return at * dx, at * dy

        def fit_face(rows: int, cols: int, channels: int) -> float:
            d = depth_units(channels)
            unit = min(5 * f.g, 0.5 * region / max(d, 1.0), 0.35 * band / max(d, 1.0))
            return min((region - d * unit) / cols, (band - d * unit * 0.75) / rows, 14 * f.g)

        cs = fit_face(hp, wp, p.in_channels)
        co = fit_face(ho, wo, p.out_channels)
        x0, y0 = f.margin, lo
        x1, y1 = f.width / 2 + f.margin, lo
        din = volume(x0, y0, wp * cs, hp * cs, p.in_channels, None)
        faces.append(_rect(x0, y0, wp * cs, hp * cs))
        colors.append(shade(channel_color(0), 0.55))
        if p.transposed:
            # Zeros everywhere but at the input's own cells, s apart.
            colors[-1] = _PAD_COLOR
            (h, w), (sh, sw) = p.spatial_in, p.strides
            if max(h, w) <= MAX_GRID:
                for r in range(h):
                    for c in range(w):
                        faces.append(_rect(x0 + (pl + c * sw) * cs, y0 + (hp - 1 - pt - r * sh) * cs, cs, cs))
                        colors.append(shade(channel_color(0), 0.55))
            else:
                faces.append(_rect(x0 + pl * cs, y0 + pb * cs, (wp - pl - pr) * cs, (hp - pt - pb) * cs))
                colors.append(shade(channel_color(0), 0.55))
        else:
            for y_, h_ in ((y0 + (hp - pt) * cs, pt * cs), (y0, pb * cs)):
                if h_:
                    faces.append(_rect(x0, y_, wp * cs, h_))
                    colors.append(_PAD_COLOR)
            for x_, w_ in ((x0, pl * cs), (x0 + (wp - pr) * cs, pr * cs)):
                if w_:
                    faces.append(_rect(x_, y0, w_, hp * cs))
                    colors.append(_PAD_COLOR)
        dout = volume(x1, y1, wo * co, ho * co, p.out_channels, _OUT_COLOR)
        faces.append(_rect(x1, y1, wo * co, ho * co))
        colors.append(shade(_OUT_COLOR, 0.5))
        if max(hp, wp) <= MAX_GRID:
            lines += [np.array([(x0, y0 + r * cs), (x0 + wp * cs, y0 + r * cs)]) for r in range(1, hp)]
            lines += [np.array([(x0 + c * cs, y0), (x0 + c * cs, y0 + hp * cs)]) for c in range(1, wp)]
        if max(ho, wo) <= MAX_GRID:
            lines += [np.array([(x1, y1 + r * co), (x1 + wo * co, y1 + r * co)]) for r in range(1, ho)]
            lines += [np.array([(x1 + c * co, y1), (x1 + c * co, y1 + ho * co)]) for c in range(1, wo)]

        def cell(
            r: float, c: float, size: float, x: float, y: float, rows: int, nr: float = 1, nc: float = 1
        ) -> Poly:
            return _rect(x + c * size, y + (rows - r - nr) * size, nc * size, nr * size)

        # The kernel's taps on the front face (dilated taps are apart), and the box through the depth.
        if max(p.kernel) <= MAX_CELLS:
            self.window.set_verts([cell(r, c, cs, x0, y0, hp) for r, c in p.window])
        else:  # a huge kernel: its outline only, so the cost stays bounded
            (r0, c0), (r1, c1) = p.window[0], p.window[-1]
            self.window.set_verts([cell(r0, c0, cs, x0, y0, hp, r1 - r0 + 1, c1 - c0 + 1)])
        i, j = p.position
        span_h = p.dilation[0] * (p.kernel[0] - 1) + 1
        span_w = p.dilation[1] * (p.kernel[1] - 1) + 1
        r0, c0 = i * p.step[0], j * p.step[1]
        front = cell(r0, c0, cs, x0, y0, hp, span_h, span_w)
        depth = (din[0], din[1])
        if g.kind is Family.DEPTHWISE:  # one kernel reads one channel: one slice deep
            d1 = depth_units(p.in_channels)
            depth = (din[0] / d1, din[1] / d1)
        fx, fy = front[0]
        self.kernel_box.set_verts(_box_faces(fx, fy, span_w * cs, span_h * cs, *depth))
        ghosts = []
        if j + 1 < wo:
            ghosts.append(cell(r0, (j + 1) * p.step[1], cs, x0, y0, hp, span_h, span_w))
        last = ((ho - 1) * p.step[0], (wo - 1) * p.step[1])
        if (ho - 1, wo - 1) != (i, j) and (ho - 1, wo - 1) != (i, j + 1):
            ghosts.append(cell(*last, cs, x0, y0, hp, span_h, span_w))
        self.ghosts.set_verts(ghosts)
        out_cell = cell(i, j, co, x1, y1, ho)
        ox, oy = out_cell[0]
        self.column_box.set_verts(_box_faces(ox, oy, co, co, *dout))
        src = front.mean(axis=0)
        dst = out_cell.mean(axis=0)
        self.arrow.set_positions((float(src[0]), float(src[1])), (float(dst[0]), float(dst[1])))
        self.faces.set_verts(faces)
        self.faces.set_facecolor(colors)
        self.grid.set_segments(lines)

    @property
    def artists(self) -> list[Any]:
        """Every artist this drawing owns."""
        return [
            self.faces,
            self.grid,
            self.window,
            self.kernel_box,
            self.ghosts,
            self.column_box,
            self.arrow,
            *self.texts.values(),
        ]


def draw_conv_volume(ax: Axes, info: LayerInfo | None = None, **options: Any) -> ConvVolume:
    """Draw the input volume, one kernel through all its channels, the value it makes, and the output.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (laid out for its size, axis hidden).
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
