"""The channel sum: why the count multiplies by Cin, on a real MNIST digit.

One kernel of the layer has one F×F slice per input channel. Each slice is
correlated with its own input channel; the Cin resulting maps are added, and
one bias is added to the sum, giving one output map. :func:`channel_sum`
computes exactly that with numpy; :func:`draw_channel_sum` shows it with the
real numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.lib.stride_tricks import sliding_window_view

from .._checks import fail, int_arg
from ..enums import Family
from ..info import KernelGeometry, LayerInfo
from ..mnist import mnist_digit
from ._layout import fit, plural
from ._savable import Savable
from ._spec import as_info, geometry_of, planes
from ._style import FONT_SIZE, HIGHLIGHT, TEXT_COLOR, TITLE_SIZE, text_style

__all__ = ["MAX_ROWS", "ChannelSum", "ChannelSumFigure", "channel_sum", "draw_channel_sum"]

MAX_ROWS = 4  # input channels shown one per row; the sum always covers all of them
_MAX_SIDE = 56  # spatial size the demonstration is computed on, at most
_NUMBERS_UP_TO = 3  # kernel weights are printed (at 12 pt) on slices up to 3×3
VALUE_SIZE = 14.0  # each channel's value at the marked position
_CALLER = "draw_channel_sum"
_FAMILIES = frozenset({Family.CONV, Family.DEPTHWISE})


@dataclass(frozen=True)
class ChannelSum:
    """One kernel applied to one input, channel by channel (all arrays float64).

    Attributes
    ----------
    inputs : (C, H, W)
        The C input channels the kernel spans.
    weights : (C, Fh, Fw)
        The kernel, one slice per channel (rounded to 2 decimals, as printed).
    bias : float
    maps : (C, H', W')
        ``maps[c]`` is the valid, stride-1 correlation of ``inputs[c]`` with ``weights[c]``.
    total : (H', W')
        ``maps.sum(axis=0)``.
    output : (H', W')
        ``total + bias``: one channel of the layer's output.
    position : (int, int)
        The output cell whose numbers the figure prints.
    """

    inputs: np.ndarray
    weights: np.ndarray
    bias: float
    maps: np.ndarray
    total: np.ndarray
    output: np.ndarray
    position: tuple[int, int]


def _resize(img: np.ndarray, h: int, w: int) -> np.ndarray:
    """Nearest-neighbour resize, enough for a demonstration input."""
    rows = np.arange(h) * img.shape[0] // h
    cols = np.arange(w) * img.shape[1] // w
    out: np.ndarray = img[rows][:, cols]
    return out


def correlate_valid(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Valid, stride-1 2-D cross-correlation (what a conv layer computes), batched over axis 0.

    Parameters
    ----------
    x : numpy.ndarray
        ``(C, H, W)`` inputs.
    k : numpy.ndarray
        ``(C, Fh, Fw)`` kernels, one per input.

    Returns
    -------
    numpy.ndarray
        ``(C, H − Fh + 1, W − Fw + 1)``.
    """
    windows = sliding_window_view(x, k.shape[1:], axis=(1, 2))
    out: np.ndarray = np.einsum("chwij,cij->chw", windows, k)
    return out


def _own(
    array: Any, arg: str, channels: int, channels_first: bool, cells: tuple[int, int], exact: bool
) -> np.ndarray:
    """A learner's own array as (C, rows, cols) float64, checked against the layer.

    A 2-D array is one channel; a 3-D one is read in the layer's layout
    (channels last: rows × cols × C; channels first: C × rows × cols).
    """
    a = np.asarray(array, dtype=float)
    given = a.shape  # the caller's shape, as given, for the messages
    order = "C×rows×cols" if channels_first else "rows×cols×C"
    if a.ndim == 2:
        a = a[None]
    elif a.ndim == 3:
        a = a if channels_first else np.moveaxis(a, -1, 0)
    else:
        raise fail(_CALLER, arg, given, f"it must be a 2-D array (one channel) or 3-D ({order})")
    if a.shape[0] != channels:
        raise fail(
            _CALLER,
            arg,
            given,
            f"one kernel of this layer spans {channels} input channel{'s' * (channels != 1)}, "
            f"so it needs {channels} ({order})",
        )
    rows, cols = a.shape[1:]
    if exact and (rows, cols) != cells:
        raise fail(_CALLER, arg, given, f"the layer's kernel is {cells[0]}×{cells[1]} ({order})")
    if not exact and (rows < cells[0] or cols < cells[1]):
        raise fail(_CALLER, arg, given, f"it must be at least the kernel's {cells[0]}×{cells[1]} ({order})")
    if not np.all(np.isfinite(a)):
        raise fail(_CALLER, arg, "non-finite values", "every value must be a finite number")
    return a


def channel_sum(
    info: LayerInfo,
    digit: np.ndarray | int | None = None,
    kernel: int = 0,
    seed: int = 0,
    *,
    inputs: Any = None,
    weights: Any = None,
    bias: float | None = None,
) -> ChannelSum:
    """Apply one kernel of ``info``'s layer to a digit (or to your own input), channel by channel.

    Parameters
    ----------
    info : LayerInfo
        A 2-D convolution (plain, grouped or depthwise).
    digit : array or int, optional
        A 2-D image (e.g. 28×28 uint8), or a digit label for :func:`convwidget.mnist.mnist_digit`;
        default the sample's first 7.
    kernel : int
        Which kernel (0-based); a grouped kernel spans only its group's channels.
    seed : int
        Seed of the demonstration weights (the layer's real weights are not known).
    inputs : array, optional
        Your own input instead of the digit: 2-D for one channel, or 3-D in the
        layer's layout (rows×cols×C channels-last, C×rows×cols channels-first),
        with as many channels as one kernel spans.
    weights : array, optional
        Your own kernel instead of the demonstration weights: Fh×Fw for one
        channel, or Fh×Fw×C (C×Fh×Fw channels-first).
    bias : float, optional
        Your own bias (default 0.1, or 0 for a layer without bias).

    Returns
    -------
    ChannelSum
        With one input channel for a 1-channel layer (the digit itself); for
        Cin > 1 the channels are the digit through Cin fixed random 3×3 filters
        and a ReLU, standing in for a previous layer's feature maps.

    Raises
    ------
    ConfigError
        If the layer is not a 2-D convolution or ``kernel`` is out of range.
    """
    valid = "it must be a 2-D Conv2D or DepthwiseConv2D layer (or their PyTorch counterparts)"
    g = geometry_of(info, _CALLER, _FAMILIES, valid)
    ((in_h, in_w), _), _ = planes(info, _CALLER)
    kernel = int_arg(_CALLER, "kernel", kernel, 0, g.out_channels - 1)
    kh, kw = g.kernel_size
    cpk = g.channels_per_kernel
    if bias is not None and not g.bias:
        raise fail(_CALLER, "bias", bias, "this layer has no bias (use_bias=False)", "leave bias=None")
    if weights is not None:
        own_w = _own(weights, "weights", cpk, info.channels_first, (kh, kw), exact=True)
    if inputs is not None:
        x = _own(inputs, "inputs", cpk, info.channels_first, (kh, kw), exact=False)
        kern = own_w if weights is not None else _demo_weights(g, kernel, seed)
        b = float(bias) if bias is not None else (0.1 if g.bias else 0.0)
        return _apply(x, kern, b)
    if digit is None or isinstance(digit, (int, np.integer)):
        digit = mnist_digit(7 if digit is None else int(digit))
    img = np.asarray(digit, dtype=float)
    if img.ndim != 2 or min(img.shape) < 1:
        raise fail(_CALLER, "digit", getattr(digit, "shape", digit), "it must be a 2-D image")
    img = img / max(img.max(), 1.0)
    # The picture needs a readable size: the layer's own, clipped to [kernel + 1, 56] per axis.
    h = min(max(in_h, kh + 1), _MAX_SIDE)
    w = min(max(in_w, kw + 1), _MAX_SIDE)
    depthwise = g.kind is Family.DEPTHWISE
    # The first input channel the kernel reads: dm depthwise kernels read each channel; a grouped
    # kernel reads its group's channels.
    first = kernel // g.depth_multiplier if depthwise else (kernel // (g.out_channels // g.groups)) * cpk
    if g.in_channels == 1:
        inputs = _resize(img, h, w)[None]
    else:
        rng = np.random.default_rng(seed + 1)
        stand_in = rng.normal(size=(g.in_channels, 3, 3))[first : first + cpk]
        base = np.broadcast_to(_resize(img, h + 2, w + 2), (cpk, h + 2, w + 2))
        inputs = np.maximum(correlate_valid(base, stand_in), 0.0)
        inputs = np.round(inputs / max(inputs.max(), 1e-9), 2)
    kern = own_w if weights is not None else _demo_weights(g, kernel, seed)
    b = float(bias) if bias is not None else (0.1 if g.bias else 0.0)
    return _apply(inputs, kern, b)


def _demo_weights(g: KernelGeometry, kernel: int, seed: int) -> np.ndarray:
    """Demonstration weights of one kernel, (C, Fh, Fw), rounded to 2 decimals as printed."""
    kh, kw = g.kernel_size
    cpk = g.channels_per_kernel
    depthwise = g.kind is Family.DEPTHWISE
    rng = np.random.default_rng(seed)
    scale = np.sqrt(2.0 / (kh * kw * cpk))
    # Depthwise kernels share one set of demonstration weights; the others draw one per kernel.
    weights = np.round(rng.normal(0.0, scale, size=(1 if depthwise else g.out_channels, cpk, kh, kw)), 2)
    out: np.ndarray = weights[0 if depthwise else kernel]
    return out


def _apply(inputs: np.ndarray, weights: np.ndarray, bias: float) -> ChannelSum:
    maps = correlate_valid(inputs, weights)
    total = maps.sum(axis=0)
    # Print the numbers where the kernel responds most, so they are not all zeros.
    flat = int(np.argmax(np.abs(total)))
    position = (flat // total.shape[1], flat % total.shape[1])
    return ChannelSum(inputs, weights, bias, maps, total, total + bias, position)


def _fmt(x: float, digits: int = 2) -> str:
    text = f"{x:.{digits}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "−0.00"
    return text.replace("-", "−")


# Inputs for Cin > 1 and weights are rounded to 2 decimals, so every product, map value and sum
# has at most 4 decimals: printed with 4, the printed values add up exactly to the printed sum.
_VALUE_DIGITS = 4


# Layout in inches, so the panels keep their proportions at any figure size.
_MARGIN = 0.25
_TOP_BAND = 0.8  # suptitle and the note on colour scales
_ROW_TITLE = 0.4  # a row's 12 pt title above its panels
_COL_GAP = 0.35
_VALUE_W = 1.1  # the column of per-channel values right of the maps
_CELL_W = 0.68  # one printed weight ("−0.34" at 12 pt is about 0.5 in wide)


def _layout(
    width: float, height: float, rows: int, more: bool, top_band: float = _TOP_BAND
) -> dict[str, Any]:
    """Axes rectangles (figure fractions) for ``rows`` channel rows on a ``width``×``height`` in figure."""
    bottom = 0.5 if more else 0.2
    band = height - top_band - bottom
    pitch = band / rows
    # Rows may not take so much width that the sum and output maps get under about 2.6 in each.
    side = max(min(pitch - _ROW_TITLE, 2.0, (width - 8.1) / 3.25), 0.3)
    slice_w = max(3 * _CELL_W, 1.25 * side)
    x_in = _MARGIN
    x_k = x_in + side + _COL_GAP
    x_m = x_k + slice_w + _COL_GAP
    x_v = x_m + side + 0.3
    x_r = x_v + _VALUE_W + _COL_GAP
    big = max(min((width - _MARGIN - x_r - 0.5) / 2, band - 0.75), 0.5)
    big_y = bottom + (band - 0.55 - big) / 2

    def rect(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        return (x / width, y / height, w / width, h / height)

    out: dict[str, Any] = {"rows": []}
    for r in range(rows):
        y = height - top_band - (r + 1) * pitch + (pitch - _ROW_TITLE - side) / 2
        out["rows"].append(
            {
                "axes": [rect(x_in, y, side, side), rect(x_k, y, slice_w, side), rect(x_m, y, side, side)],
                "value": ((x_v) / width, (y + side / 2) / height),
            }
        )
    first_top = height - top_band - pitch + (pitch - _ROW_TITLE - side) / 2 + side
    # Above the first row's titles, so it cannot run into the title of the map beside it.
    out["value_head"] = (x_v / width, (first_top + _ROW_TITLE + 0.02) / height)
    out["sum"] = rect(x_r, big_y, big, big)
    out["out"] = rect(x_r + big + 0.5, big_y, big, big)
    return out


class ChannelSumFigure(Savable):
    """Artists of a channel-sum drawing on a Figure, updated in place (see :func:`draw_channel_sum`)."""

    def __init__(self, fig: Figure, info: LayerInfo, digit: Any = None, kernel: int = 0, **own: Any) -> None:
        self.figure = fig
        self.rows: list[dict[str, Any]] = []
        for _ in range(MAX_ROWS):
            axes = [fig.add_axes((0, 0, 0.1, 0.1)) for _ in range(3)]
            row: dict[str, Any] = {"axes": axes}
            row["images"] = [
                axes[0].imshow(np.zeros((2, 2)), cmap="cividis"),
                axes[1].imshow(np.zeros((2, 2)), cmap="PuOr", vmin=-1, vmax=1),
                axes[2].imshow(np.zeros((2, 2)), cmap="cividis"),
            ]
            row["titles"] = [a.set_title("", fontsize=FONT_SIZE) for a in axes]
            row["window"] = axes[0].add_patch(Rectangle((0, 0), 1, 1, fill=False, ec=HIGHLIGHT, lw=2))
            row["cell"] = axes[2].add_patch(Rectangle((0, 0), 1, 1, fill=False, ec=HIGHLIGHT, lw=2))
            row["numbers"] = [
                axes[1].text(0, 0, "", ha="center", va="center", fontsize=FONT_SIZE, color="black")
                for _ in range(_NUMBERS_UP_TO**2)
            ]
            row["value"] = fig.text(0, 0, "", ha="left", va="center", fontsize=VALUE_SIZE, color=TEXT_COLOR)
            for a in axes:
                a.set_xticks([])
                a.set_yticks([])
            self.rows.append(row)
        self.value_head = fig.text(0, 0, "", ha="left", va="bottom", fontsize=FONT_SIZE, color=TEXT_COLOR)
        self.sum_ax = fig.add_axes((0, 0, 0.1, 0.1))
        self.out_ax = fig.add_axes((0, 0, 0.1, 0.1))
        self.sum_image = self.sum_ax.imshow(np.zeros((2, 2)), cmap="cividis")
        self.out_image = self.out_ax.imshow(np.zeros((2, 2)), cmap="cividis")
        self.sum_cell = Rectangle((0, 0), 1, 1, fill=False, ec=HIGHLIGHT, lw=2)
        self.out_cell = Rectangle((0, 0), 1, 1, fill=False, ec=HIGHLIGHT, lw=2)
        self.sum_ax.add_patch(self.sum_cell)
        self.out_ax.add_patch(self.out_cell)
        for a in (self.sum_ax, self.out_ax):
            a.set_xticks([])
            a.set_yticks([])
        self.sum_title = self.sum_ax.set_title("", fontsize=FONT_SIZE)
        self.out_title = self.out_ax.set_title("", fontsize=FONT_SIZE)
        self.title = fig.suptitle("", fontsize=TITLE_SIZE, x=0.02, ha="left", va="top", y=0.985)
        self.note = fig.text(0.02, 0.0, "", ha="left", va="top", fontsize=FONT_SIZE, color=TEXT_COLOR)
        self.more = fig.text(0.02, 0.02, "", **text_style())
        self.update(info, digit, kernel, **own)

    def update(
        self,
        info: LayerInfo | None = None,
        digit: Any = None,
        kernel: int = 0,
        *,
        inputs: Any = None,
        weights: Any = None,
        bias: float | None = None,
        **numbers: Any,
    ) -> ChannelSumFigure:
        """Show another layer, digit, kernel or your own arrays (see :func:`draw_channel_sum`), in place."""
        if info is not None or numbers:
            self.info = as_info(info, caller="ChannelSumFigure.update", **numbers)
        self.result = res = channel_sum(self.info, digit, kernel, inputs=inputs, weights=weights, bias=bias)
        r0, c0 = res.position
        kh, kw = res.weights.shape[1:]
        n = res.maps.shape[0]
        shown = n if n <= MAX_ROWS else MAX_ROWS - 1
        real_w, real_h = (float(v) for v in self.figure.get_size_inches())
        # Laid out as on a figure of at least 10×5 inches, then scaled down (fonts too) to the real one.
        k = min(1.0, real_w / 10, real_h / 5)
        width, height = real_w / k, real_h / k
        title, title_pt = self._title_text(res, kernel, real_w, k)
        note, note_pt = fit(_NOTE, FONT_SIZE * k, (real_w - 0.4) * 100, 7.0)
        top_band = (
            0.12
            + (title.count("\n") + 1) * TITLE_SIZE * 1.35 / 72
            + (note.count("\n") + 1) * FONT_SIZE * 1.35 / 72
        ) + 0.45
        layout = _layout(width, height, shown, n > shown, top_band)
        self._scale_fonts(k)
        lim = max(float(np.abs(res.weights).max()), 1e-9)
        numbers_on = max(kh, kw) <= _NUMBERS_UP_TO
        maps_lo, maps_hi = float(res.maps.min()), float(res.maps.max())
        for i, row in enumerate(self.rows):
            visible = i < shown
            for a in row["axes"]:
                a.set_visible(visible)
            row["value"].set_visible(visible)
            if not visible:
                continue
            for a, rect in zip(row["axes"], layout["rows"][i]["axes"]):
                a.set_position(rect)
            img_in, img_k, img_m = row["images"]
            for im, data in ((img_in, res.inputs[i]), (img_k, res.weights[i]), (img_m, res.maps[i])):
                im.set_data(data)
                im.set_extent((-0.5, data.shape[1] - 0.5, data.shape[0] - 0.5, -0.5))
            # Each input channel on its own range: a weak channel is still visible (the note says so).
            lo, hi = float(res.inputs[i].min()), float(res.inputs[i].max())
            img_in.set_clim(lo, hi if hi > lo else lo + 1)
            img_k.set_clim(-lim, lim)
            # The maps share one scale, so their sizes compare: they are what gets added.
            img_m.set_clim(maps_lo, maps_hi if maps_hi > maps_lo else maps_lo + 1)
            for a, data in zip(row["axes"], (res.inputs[i], res.weights[i], res.maps[i])):
                a.set_xlim(-0.5, data.shape[1] - 0.5)
                a.set_ylim(data.shape[0] - 0.5, -0.5)
            # Printed weights need wide cells; a larger kernel (colours only) keeps square cells.
            row["axes"][1].set_aspect("auto" if numbers_on else "equal")
            row["window"].set_bounds(c0 - 0.5, r0 - 0.5, kw, kh)
            row["cell"].set_bounds(c0 - 0.5, r0 - 0.5, 1, 1)
            ch = i + 1
            row["titles"][0].set_text(f"input ch {ch}")
            row["titles"][1].set_text(f"slice {ch}: {kh}×{kw} weights")
            row["titles"][2].set_text(f"ch {ch} ∗ slice {ch}")
            row["value"].set_position(layout["rows"][i]["value"])
            row["value"].set_text(f"→ {_fmt(res.maps[i, r0, c0], _VALUE_DIGITS)}")
            for t_i, t in enumerate(row["numbers"]):
                a_, b_ = divmod(t_i, _NUMBERS_UP_TO)
                on = numbers_on and a_ < kh and b_ < kw
                t.set_visible(on)
                if on:
                    w = float(res.weights[i, a_, b_])
                    t.set_position((b_, a_))
                    t.set_text(_fmt(w))
                    # White on the dark ends of PuOr, black elsewhere.
                    t.set_color("white" if abs(w) > 0.6 * lim else "black")
        self.value_head.set_position(layout["value_head"])
        self.value_head.set_text(f"value at ({r0}, {c0})")
        self.sum_ax.set_position(layout["sum"])
        self.out_ax.set_position(layout["out"])
        self.sum_image.set_data(res.total)
        self.out_image.set_data(res.output)
        for im, a, data in (
            (self.sum_image, self.sum_ax, res.total),
            (self.out_image, self.out_ax, res.output),
        ):
            im.set_extent((-0.5, data.shape[1] - 0.5, data.shape[0] - 0.5, -0.5))
            im.set_clim(float(data.min()), float(data.max()) if data.max() > data.min() else data.min() + 1)
            a.set_xlim(-0.5, data.shape[1] - 0.5)
            a.set_ylim(data.shape[0] - 0.5, -0.5)
        self.sum_cell.set_bounds(c0 - 0.5, r0 - 0.5, 1, 1)
        self.out_cell.set_bounds(c0 - 0.5, r0 - 0.5, 1, 1)
        _, ((ho, wo), _) = planes(self.info, _CALLER)
        size = f"{res.total.shape[0]}×{res.total.shape[1]}"
        if res.total.shape != (ho, wo):  # a clipped input, or a stride or padding the sketch leaves out
            size += f" (the layer's: {ho}×{wo})"
        # Three short lines each: two long one-line titles over neighbouring maps would collide.
        maps = f"all {n} maps" if n > 1 else "1 map"
        self.sum_title.set_text(
            f"sum of {maps}\n{size}\nat ({r0}, {c0}) = {_fmt(res.total[r0, c0], _VALUE_DIGITS)}"
        )
        self.out_title.set_text(
            f"+ bias {_fmt(res.bias)}\n→ output map {kernel + 1}\n"
            f"at ({r0}, {c0}) = {_fmt(res.output[r0, c0], _VALUE_DIGITS)}"
        )
        self.title.set_text(title)
        self.title.set_fontsize(title_pt)
        lines = title.count("\n") + 1
        self.note.set_position((0.02, 1 - (0.1 + lines * TITLE_SIZE * 1.35 / 72) / height))
        self.note.set_text(note)
        self.note.set_fontsize(note_pt)
        if n > shown:
            rest = res.maps[shown:, r0, c0].sum()
            more = n - shown
            self.more.set_text(
                f"… {more} more channel{'s' * (more != 1)}, not drawn but in the sum:"
                f" {_fmt(rest, _VALUE_DIGITS)} at ({r0}, {c0})"
            )
        else:
            self.more.set_text("")
        self.more.set_visible(n > shown)
        return self

    def _title_text(self, res: ChannelSum, kernel: int, real_w: float, k: float) -> tuple[str, float]:
        """The title (one kernel's count in words), fitted to the figure's width."""
        kh, kw = res.weights.shape[1:]
        n = res.maps.shape[0]
        g = geometry_of(self.info, _CALLER, _FAMILIES)
        bias = 1 if g.bias else 0
        slices = "1 slice, on its input channel"
        if n > 1:
            slices = f"{n} slices, one per input channel, summed"
        text = (
            f"One {kh}×{kw}×{n} kernel: {slices}, {'plus 1 bias' if bias else 'no bias'}"
            f" → {kh}·{kw}·{n} + {bias} = {plural(kh * kw * n + bias, 'parameter')}"
        )
        return fit(text, TITLE_SIZE * k, (real_w - 0.4) * 100, 7.0)

    def _scale_fonts(self, k: float) -> None:
        """Every text at its size times ``k`` (the figure's size against 10×5 inches)."""
        for row in self.rows:
            for t in (*row["titles"], *row["numbers"]):
                t.set_fontsize(FONT_SIZE * k)
            row["value"].set_fontsize(VALUE_SIZE * k)
        for t in (self.value_head, self.sum_title, self.out_title, self.more):
            t.set_fontsize(FONT_SIZE * k)


_NOTE = (
    "Inputs: each channel on its own colour scale (dark = low, bright = high)."
    " Products (ch ∗ slice): one shared scale, so their sizes compare."
)


def draw_channel_sum(
    fig: Figure,
    info: LayerInfo | None = None,
    digit: Any = None,
    kernel: int = 0,
    *,
    inputs: Any = None,
    weights: Any = None,
    bias: float | None = None,
    **numbers: Any,
) -> ChannelSumFigure:
    """Draw one kernel's per-channel correlations on a digit, their sum, the bias and the output map.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        An empty figure (e.g. ``Figure(figsize=(10, 7))``).
    info : LayerInfo, optional
        ``describe`` of a Conv2D or DepthwiseConv2D; or plain numbers (``kernel_size=…``).
    digit : array or int, optional
        A 2-D image or a digit label (default: a 7 from the shipped MNIST sample).
    kernel : int
        Which kernel to apply.
    inputs, weights : array, optional
        Your own input and kernel instead of the digit and the demonstration
        weights (see :func:`channel_sum` for their shapes).
    bias : float, optional
        Your own bias.

    Returns
    -------
    ChannelSumFigure
        ``result`` holds the numbers (:class:`ChannelSum`); ``update(info, digit)`` redraws in place.

    Examples
    --------
    >>> import numpy as np
    >>> from matplotlib.figure import Figure
    >>> from convwidget.layers import Conv2D
    >>> x = np.arange(25.0).reshape(5, 5)  # one channel, 5×5
    >>> k = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])  # picks the centre
    >>> cs = draw_channel_sum(Figure(), Conv2D(1, 3).describe((5, 5, 1)), inputs=x, weights=k, bias=0.5)
    >>> cs.result.output[0, 0]  # x[1, 1] + 0.5
    np.float64(6.5)
    """
    own = {"inputs": inputs, "weights": weights, "bias": bias}
    return ChannelSumFigure(fig, as_info(info, caller="draw_channel_sum", **numbers), digit, kernel, **own)
