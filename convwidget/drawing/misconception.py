"""Side by side: what a wrong guess counted, and what is really there (from a ``diagnose`` result).

Convolutions show their kernel as a block as deep as the channels it spans
(so "3·3 instead of 3·3·32" is a one-slice block next to a 32-deep one);
Dense, normalisation and Embedding layers show their own pictures (a weight
matrix and bias row, γ/β and hatched moving statistics, a table), never a
"kernel". The picture is laid out for the Axes' size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from matplotlib.axes import Axes
from matplotlib.text import Text

from ..enums import Dialect, Family
from ..formula import Terms, group_digits
from ..info import KernelGeometry, LayerInfo
from ..layers import Dense, SimpleRNN
from ..nn import RNN
from ._glyphs import add_label
from ._layout import canvas_of, fit, line_height, plural, text_width, wrap
from ._savable import Savable
from ._style import HIGHLIGHT, OKABE_ITO, TEXT_COLOR, text_style
from .blocks import (
    MAX_CELLS,
    BlockSpec,
    PlacedBlock,
    face_length,
    fill_blocks,
    kernel_slices,
    new_block_artists,
)
from .kernel_plan import Align, Frame, KernelPlan, Label, Panel, has_plan, plan_kernels
from .kernels import fill_plan_artists, new_plan_artists
from .recurrent import GatesPlan, RecurrentGates
from .weights_plan import STATS_COLOR, Vector, plan_vectors

__all__ = ["Misconception", "draw_misconception"]

_PARTS = 12
_ROLES = (
    "left_title",
    "right_title",
    "left_formula",
    "right_formula",
    "left_count",
    "right_count",
    "left_note",
    "right_note",
    "message",
    *(f"{side}_part{i}" for side in ("left", "right") for i in range(_PARTS)),
)
_STEP = (6.0, 4.5)


class DiagnosisLike(Protocol):
    """What :func:`draw_misconception` reads from a :class:`convwidget.diagnose.Diagnosis`.

    Read-only properties, so a frozen dataclass (as ``Diagnosis`` is) satisfies it.
    """

    @property
    def guess(self) -> int: ...
    @property
    def expected(self) -> int: ...
    @property
    def correct(self) -> bool: ...
    @property
    def mistake(self) -> str | None: ...
    @property
    def dropped(self) -> tuple[str, ...]: ...
    @property
    def added(self) -> tuple[str, ...]: ...
    @property
    def formula(self) -> Terms: ...
    @property
    def guess_formula(self) -> Terms | None: ...
    @property
    def info(self) -> LayerInfo: ...


@dataclass(frozen=True)
class _Kernel:
    """One kernel as a side of the picture shows it: its cells, slices and bias, and how many there are."""

    cells: tuple[int, ...]  # kernel cells per axis
    slices: int | None  # input channels it spans; None when a guess left them out
    bias: bool
    count: int
    stage: str = ""  # the second stage of a separable layer, said after the first
    bias_per_slice: bool = False  # a guess that gives every input channel its own bias

    def spec(self, f: Frame, sc: float) -> BlockSpec:
        """The kernel as a block: its last two axes on the front, as deep as its channels."""
        fh = self.cells[-2] if len(self.cells) >= 2 else 1
        fw = self.cells[-1] if self.cells else 1
        channels, thick, compressed = kernel_slices(0, self.slices or 1)
        return BlockSpec(
            min(fh, MAX_CELLS),
            min(fw, MAX_CELLS),
            round(face_length(fw) * f.g * sc, 1),
            round(face_length(fh) * f.g * sc, 1),
            channels,
            self.bias,
            (round(_STEP[0] * f.g * sc, 2), round(_STEP[1] * f.g * sc, 2)),
            thick,
            highlight=True,
            bias_edge=round(12 * f.g * sc, 1),
            compressed=compressed,
            bias_per_slice=self.bias_per_slice,
        )

    @property
    def note(self) -> str:
        """``each kernel 3×3×32 + 1 bias``."""
        dims = (*self.cells, self.slices) if self.slices is not None else self.cells
        bias = " + 1 bias" if self.bias else ", no bias"
        return f"each kernel {'×'.join(f'{v:,}' for v in dims) or '1'}{bias}{self.stage}"


def _value(terms: Terms, *names: str) -> int | None:
    for name in names:
        f = terms.factor(name)
        if f is not None:
            return f.value
    return None


def _guessed(terms: Terms) -> _Kernel:
    """The kernel a guessed formula counts: read from its factors, the only record of the guess."""
    cells = [v for v in (_value(terms, "kernel height", "kernel length"), _value(terms, "kernel width")) if v]
    cin = _value(terms, "input channels", "input channels per group")
    count = _value(terms, "output channels") or 1
    return _Kernel(tuple(cells), cin, terms.factor("bias") is not None, count)


def _real(g: KernelGeometry) -> _Kernel:
    """The kernels the layer really has, from its geometry (the numbers ``describe`` gives)."""
    if g.kind is Family.SEPARABLE:
        mid = g.in_channels * g.depth_multiplier
        bias = " + 1 bias" if g.bias else ""
        stage = f"; then {plural(g.out_channels, 'kernel')} 1×1×{group_digits(mid)}{bias}"
        return _Kernel(g.kernel_size, 1, False, mid, stage)
    return _Kernel(g.kernel_size, g.channels_per_kernel, g.bias, g.out_channels)


_VECTOR_NAMES = {
    "scale γ": ("γ (scale)", OKABE_ITO[0], False),
    "offset β": ("β (shift)", OKABE_ITO[1], False),
    "moving mean": ("moving mean", STATS_COLOR, True),
    "moving variance": ("moving variance", STATS_COLOR, True),
}


def _guess_picture(terms: Terms, f: Frame) -> KernelPlan | None:
    """The picture of what a guess for a layer without kernels counted, from its factors (or None)."""
    # A picture is drawn only if what it shows adds up to the guess: a guess for an LSTM that has
    # "input features" and "units" in it may count more than one Dense matrix (then no picture).
    n_in, units = _value(terms, "input features"), _value(terms, "units")
    if n_in is not None and units is not None:
        for bias in (True, False):  # a guess names its bias "bias" or "biases"; its total says which
            dense = Dense(units, use_bias=bias).describe((n_in,))
            if dense.params == terms.total:
                return plan_kernels(dense, (f.width, f.height), bare=True)
        return None
    n = _value(terms, "channels", "features")
    if n is None:
        return None
    rows: list[Vector] = [
        (name, n, color, f"{n:,}", hatch)
        for key, (name, color, hatch) in _VECTOR_NAMES.items()
        if terms.factor(key) is not None
    ]
    return plan_vectors(f, None, rows, [], bare=True) if rows and n * len(rows) == terms.total else None


def _one_gate(d: DiagnosisLike) -> LayerInfo | None:
    """A recurrent guess that counted one gate: the plain recurrent layer with that count, else None.

    ``(32 + 64)·64 + 64`` for an LSTM is exactly a Keras SimpleRNN(64) on 32 features (one weight
    set); drawn as that layer's single gate, the picture shows what the guess counted, and nothing
    else. Any other recurrent guess keeps the words only.
    """
    info, terms = d.info, d.guess_formula
    if terms is None or info.kind is None or info.kind.family is not Family.RECURRENT:
        return None
    features = _value(info.terms, "input features")
    units = _value(info.terms, "units", "hidden units")
    if features is None or units is None:
        return None
    for bias in (True, False):
        one = (
            SimpleRNN(units, use_bias=bias).describe((1, features))
            if info.dialect is Dialect.KERAS
            else RNN(features, units, bias=bias).describe((1, features))
        )
        if one.params == d.guess:
            return one
    return None


def _shifted(plan: KernelPlan, dx: float, dy: float, side: str) -> tuple[list[Panel], list[Any], list[Label]]:
    """A plan's panels, marks and picture labels moved by (dx, dy), the labels renamed for ``side``."""

    def move(points: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        return tuple((x + dx, y + dy) for x, y in points)

    panels = [replace(p, verts=move(p.verts)) for p in plan.panels]
    marks = [move(m) for m in plan.marks]
    labels = [
        replace(lab, role=f"{side}_{lab.role}", x=lab.x + dx, y=lab.y + dy)
        for lab in plan.labels
        if lab.role.startswith("part")
    ]
    return panels, marks, labels


class Misconception(Savable):
    """Artists of a misconception drawing, updated in place; made by :func:`draw_misconception`."""

    def __init__(self, ax: Axes, diagnosis: DiagnosisLike) -> None:
        self.ax = ax
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.polys, self.lines = new_block_artists(ax)
        self.panels, self.hatched, self.marks = new_plan_artists(ax)
        self.divider = ax.plot([], [], color="#999999", lw=1)[0]
        # Gates pictures of recurrent layers, in Axes of their own (made when first needed, then updated).
        self._gates: dict[str, RecurrentGates] = {}
        self.texts: dict[str, Text] = {
            r: add_label(ax, 0, 0, "", va="center", **text_style()) for r in _ROLES
        }
        self.update(diagnosis)

    def update(self, diagnosis: DiagnosisLike) -> Misconception:
        """Show another diagnosis; artists change in place, laid out for the Axes' current size."""
        self.diagnosis = d = diagnosis
        f = Frame.of(canvas_of(self.ax))
        w, h = f.width, f.height
        self.ax.set_xlim(0, w)
        self.ax.set_ylim(0, h)
        half = w / 2
        col = half - 2 * f.margin
        small, title_pt = f.pt(12.0), f.pt(13.5)
        t: dict[str, tuple[str, float, float, float]] = {}  # role: text, x, y, size
        panels: list[Panel] = []
        marks: list[Any] = []
        parts: list[Label] = []
        blocks: list[PlacedBlock] = []

        # The message along the bottom, the formulas and notes above it, the titles on top.
        message, msize = wrap(str(d), small, w - 2 * f.margin, 3)
        y = f.margin + line_height(msize, message.count("\n") + 1) / 2
        t["message"] = (message, f.margin, y, msize)
        bottom = f.margin + line_height(msize, message.count("\n") + 1) + 4 * f.g
        geometry = d.info.geometry
        real = _real(geometry) if geometry is not None and _draws_kernels(d.info) else None
        if d.correct:
            left_title = f"Your count: {group_digits(d.guess)} — right"
        elif d.guess_formula is not None:
            left_title = f"What your {group_digits(d.guess)} counted"
        else:
            left_title = f"Your count: {group_digits(d.guess)}"
        sides = {
            "right": (
                f"What is really there: {group_digits(d.expected)}",
                d.formula.text,
                self._real_note(real),
            ),
            "left": (left_title, *self._left_texts(d, real)),
        }
        top = h - f.margin
        low = bottom
        tops, lows = [], []
        for side, (title, formula, note) in sides.items():
            x = f.margin + (half if side == "right" else 0.0)
            tt, ts = fit(title, title_pt, col, max(title_pt * 0.7, 7.0))
            th = line_height(ts, tt.count("\n") + 1)
            t[f"{side}_title"] = (tt, x, top - th / 2, ts)
            tops.append(top - th - 4 * f.g)
            yy = bottom
            for role, text in (("note", note), ("formula", formula)):
                text, size = fit(text, small, col, max(small * 0.7, 7.0))
                lh = line_height(size, text.count("\n") + 1)
                t[f"{side}_{role}"] = (text, x, yy + lh / 2, size)
                yy += lh + 2 * f.g
            lows.append(yy + 2 * f.g)
        band_top, low = min(tops), max(lows)
        self.divider.set_data([half, half], [low, band_top])
        band = (low, band_top)
        guess = _guessed(d.guess_formula) if d.guess_formula is not None else None
        if guess is not None and any("bias per input channel" in a for a in d.added):
            guess = replace(guess, bias_per_slice=True)
        recurrent = d.info.kind is not None and d.info.kind.family is Family.RECURRENT
        gates = {
            "right": d.info if recurrent else None,
            "left": (d.info if d.correct else _one_gate(d)) if recurrent else None,
        }
        for side, gates_info in gates.items():
            self._show_gates(side, gates_info, (f.margin + (half if side == "right" else 0.0), col), band)
        for side in ("left", "right"):
            x0 = f.margin + (half if side == "right" else 0.0)
            if gates[side] is not None:
                continue
            kernel = real if side == "right" or d.correct else guess
            if kernel is not None and (side == "right" or real is not None):
                blocks.append(self._block(kernel, f, x0, col, band, side, t))
                continue
            frame = Frame.of((half, band[1] - band[0]))
            if side == "right" or d.correct:
                # Layers this drawing has no picture for (recurrent, attention) keep the words only.
                picture: KernelPlan | None = (
                    plan_kernels(d.info, (frame.width, frame.height), bare=True) if has_plan(d.info) else None
                )
            else:
                picture = _guess_picture(d.guess_formula, frame) if d.guess_formula is not None else None
            if picture is not None:
                moved = _shifted(picture, half if side == "right" else 0.0, band[0], side)
                panels += moved[0]
                marks += moved[1]
                parts += moved[2]
        fill_blocks(self.polys, self.lines, tuple(blocks))
        plan = KernelPlan((), (), (), (), (), (), panels=tuple(panels), marks=tuple(marks))
        fill_plan_artists(self.panels, self.hatched, self.marks, plan)
        for part in parts:
            t[part.role] = (part.text, part.x, part.y, part.size)
        for role, art in self.texts.items():
            text, x, y, size = t.get(role, ("", 0.0, 0.0, small))
            art.set_text(text)
            art.set_position((x, y))
            art.set_fontsize(size)
            art.set_visible(bool(text))
            align: Align = next((part.ha for part in parts if part.role == role), "left")
            art.set_horizontalalignment(align)
        self.texts["left_note"].set_color(HIGHLIGHT if d.dropped or d.added else TEXT_COLOR)
        return self

    @property
    def gates(self) -> dict[str, GatesPlan]:
        """The gates pictures shown, by side (``"left"``, ``"right"``): a recurrent layer's, or one gate's."""
        return {side: g.plan for side, g in self._gates.items() if g.ax.get_visible()}

    def _show_gates(
        self, side: str, info: LayerInfo | None, across: tuple[float, float], band: tuple[float, float]
    ) -> None:
        """Draw ``info``'s gates in ``side``'s part of the band (or hide that side's gates picture)."""
        drawn = self._gates.get(side)
        if info is None:
            if drawn is not None:
                drawn.ax.set_visible(False)
            return
        w, h = self.ax.get_xlim()[1], self.ax.get_ylim()[1]
        # The side's box in figure fractions (the plot units are the Axes' own size in 1/100 inch).
        box = self.ax.get_position()
        rect = (
            box.x0 + box.width * across[0] / w,
            box.y0 + box.height * band[0] / h,
            box.width * across[1] / w,
            box.height * (band[1] - band[0]) / h,
        )
        if drawn is None:
            drawn = self._gates[side] = RecurrentGates(self.ax.figure.add_axes(rect), info)
        drawn.ax.set_position(rect)
        drawn.ax.set_visible(True)
        drawn.update(info)

    @staticmethod
    def _real_note(real: _Kernel | None) -> str:
        return real.note if real is not None else ""

    @staticmethod
    def _left_texts(d: DiagnosisLike, real: _Kernel | None) -> tuple[str, str]:
        if d.correct:
            return d.formula.text, "nothing left out, nothing added"
        if d.guess_formula is not None:
            what = []
            if d.dropped:
                what.append("left out: " + ", ".join(d.dropped))
            if d.added:
                what.append("added: " + ", ".join(d.added))
            note = "; ".join(what) or (_guessed(d.guess_formula).note if real is not None else "")
            return d.guess_formula.text, note
        return "no known mistake gives this number", f"compare: {d.formula.symbolic}"

    def _block(
        self,
        kernel: _Kernel,
        f: Frame,
        x0: float,
        col: float,
        band: tuple[float, float],
        side: str,
        t: dict[str, tuple[str, float, float, float]],
    ) -> PlacedBlock:
        """Place one kernel block in a side's band, with "× 63 kernels" beside (or under) it."""
        small = f.pt(12.0)
        count = f"× {plural(kernel.count, 'kernel')}"
        cw = text_width(count, small) + 6 * f.g
        spec = kernel.spec(f, 1.0)
        lh = line_height(small)
        beside = spec.footprint + cw <= col
        room_w = col - (cw if beside else 0.0)
        room_h = band[1] - band[0] - (0.0 if beside else lh + 4 * f.g)
        sc = min(1.0, room_w / spec.footprint, room_h / spec.top)
        spec = kernel.spec(f, sc)
        y = band[0] + (0.0 if beside else lh + 4 * f.g) + (room_h - spec.top) / 2
        x = x0 + max((room_w - spec.footprint) / 2, 0.0)
        block = PlacedBlock(spec, round(x), round(y), 0)
        if beside:
            t[f"{side}_count"] = (count, block.x + spec.footprint + 6 * f.g, block.y + spec.height / 2, small)
        else:
            t[f"{side}_count"] = (count, block.x, block.y - 4 * f.g - lh / 2, small)
        return block

    @property
    def artists(self) -> list[Any]:
        """Every artist this drawing owns."""
        return [
            *self.polys.values(),
            self.lines,
            self.panels,
            self.hatched,
            self.marks,
            self.divider,
            *self.texts.values(),
        ]


def _draws_kernels(info: LayerInfo) -> bool:
    """Whether the layer's weights are kernels (a convolution), drawn as blocks."""
    g = info.geometry
    return g is not None and g.kind is not Family.DENSE


def draw_misconception(ax: Axes, diagnosis: DiagnosisLike) -> Misconception:
    """Draw what a wrong guess counted next to what the layer really has.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (laid out for its size, axis hidden).
    diagnosis : Diagnosis
        A :func:`convwidget.diagnose.diagnose` result (or any object with its attributes).

    Returns
    -------
    Misconception
        Its ``update(diagnosis)`` redraws in place.
    """
    return Misconception(ax, diagnosis)
