"""Side by side: what a wrong guess counted, and what is really there (from a ``diagnose`` result)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, Protocol

from matplotlib.axes import Axes
from matplotlib.text import Text

from ..enums import Family
from ..formula import Terms, group_digits
from ..info import KernelGeometry, LayerInfo
from ._style import HIGHLIGHT, TITLE_SIZE, text_style
from .blocks import CANVAS, MAX_CELLS, MAX_SLICES, BlockSpec, PlacedBlock, fill_blocks, new_block_artists

__all__ = ["Misconception", "draw_misconception"]

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
)


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

    cells: tuple[int, ...]  # kernel cells per axis (none for a Dense unit)
    slices: int | None  # input channels it spans; None when a guess left them out
    bias: bool
    count: int
    stage: str = ""  # the second stage of a separable layer, said after the first

    def block(self, x: int, y: int) -> PlacedBlock:
        """The kernel as a block at (x, y): its last two axes on the front, one slice per channel."""
        fh = self.cells[-2] if len(self.cells) >= 2 else 1
        fw = self.cells[-1] if self.cells else 1
        big = max(fh, fw)
        spec = BlockSpec(
            min(fh, MAX_CELLS),
            min(fw, MAX_CELLS),
            round(56 * fw / big),
            round(56 * fh / big),
            tuple(range(min(self.slices or 1, MAX_SLICES))),
            self.bias,
        )
        return PlacedBlock(spec, x, y, 0)

    @property
    def note(self) -> str:
        """``each kernel 3×3×32 + 1 bias`` (and what the drawing leaves out)."""
        dims = (*self.cells, self.slices) if self.slices is not None else self.cells
        bias = " + 1 bias" if self.bias else ", no bias"
        cin = self.slices or 1
        more = f" ({MAX_SLICES} of {cin:,} slices drawn)" if cin > MAX_SLICES else ""
        return f"each kernel {'×'.join(f'{v:,}' for v in dims) or '1'}{bias}{more}{self.stage}"


def _value(terms: Terms, *names: str) -> int | None:
    for name in names:
        f = terms.factor(name)
        if f is not None:
            return f.value
    return None


def _guessed(terms: Terms) -> _Kernel:
    """The kernel a guessed formula counts: read from its factors, the only record of the guess."""
    cells = [v for v in (_value(terms, "kernel height", "kernel length"), _value(terms, "kernel width")) if v]
    cin = _value(terms, "input channels", "input channels per group", "input features")
    count = _value(terms, "output channels", "units") or 1
    return _Kernel(tuple(cells), cin, terms.factor("bias") is not None, count)


def _real(g: KernelGeometry) -> _Kernel:
    """The kernels the layer really has, from its geometry (the numbers ``describe`` gives)."""
    if g.kind is Family.SEPARABLE:
        mid = g.in_channels * g.depth_multiplier
        bias = " + 1 bias" if g.bias else ""
        stage = f"\nthen {group_digits(g.out_channels)} kernels 1×1×{group_digits(mid)}{bias}"
        return _Kernel(g.kernel_size, 1, False, mid, stage)
    return _Kernel(g.kernel_size, g.channels_per_kernel, g.bias, g.out_channels)


class Misconception:
    """Artists of a misconception drawing, updated in place; made by :func:`draw_misconception`."""

    def __init__(self, ax: Axes, diagnosis: DiagnosisLike) -> None:
        self.ax = ax
        ax.set_xlim(0, CANVAS[0])
        ax.set_ylim(0, CANVAS[1])
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.polys, self.lines = new_block_artists(ax)
        self.divider = ax.axvline(CANVAS[0] / 2, color="#999999", lw=1, ymin=0.2, ymax=0.95)
        self.texts: dict[str, Text] = {r: ax.text(0, 0, "", va="center", **text_style()) for r in _ROLES}
        self.update(diagnosis)

    def update(self, diagnosis: DiagnosisLike) -> Misconception:
        """Show another diagnosis; artists change in place."""
        self.diagnosis = d = diagnosis
        half = CANVAS[0] // 2
        real = _real(d.info.geometry) if d.info.geometry is not None else _guessed(d.formula)
        blocks = [real.block(half + 90, 200)]
        t = {
            "right_title": (f"What is really there: {group_digits(d.expected)}", half + 20, 410),
            "right_formula": (d.formula.text, half + 20, 140),
            "right_count": (f"× {group_digits(real.count)} kernels", half + 210, 230),
            "right_note": (real.note, half + 20, 110),
        }
        if d.correct:
            blocks.append(real.block(90, 200))
            t["left_title"] = (f"Your count: {group_digits(d.guess)} — right", 20, 410)
            t["left_formula"] = (d.formula.text, 20, 140)
            t["left_count"] = (f"× {group_digits(real.count)} kernels", 210, 230)
            t["left_note"] = ("nothing left out, nothing added", 20, 110)
        elif d.guess_formula is not None:
            guess = _guessed(d.guess_formula)
            blocks.append(guess.block(90, 200))
            what = []
            if d.dropped:
                what.append("left out: " + ", ".join(d.dropped))
            if d.added:
                what.append("added: " + ", ".join(d.added))
            t["left_title"] = (f"What your {group_digits(d.guess)} counted", 20, 410)
            t["left_formula"] = (d.guess_formula.text, 20, 140)
            t["left_count"] = (f"× {group_digits(guess.count)} kernels", 210, 230)
            t["left_note"] = ("; ".join(what) or guess.note, 20, 110)
        else:
            t["left_title"] = (f"Your count: {group_digits(d.guess)}", 20, 410)
            t["left_formula"] = ("no known mistake gives this number", 20, 260)
            t["left_count"] = ("", 0, 0)
            t["left_note"] = (f"compare: {d.formula.symbolic}", 20, 110)
        t["message"] = ("\n".join(textwrap.wrap(str(d), 84)), 20, 45)
        fill_blocks(self.polys, self.lines, tuple(blocks))
        for role, (text, x, y) in t.items():
            art = self.texts[role]
            art.set_text(text)
            art.set_position((x, y))
            art.set_visible(bool(text))
        self.texts["left_title"].set_fontsize(TITLE_SIZE)
        self.texts["right_title"].set_fontsize(TITLE_SIZE)
        self.texts["left_note"].set_color(HIGHLIGHT if d.dropped or d.added else "#111111")
        return self

    @property
    def artists(self) -> list[Any]:
        """Every artist this drawing owns."""
        return [*self.polys.values(), self.lines, self.divider, *self.texts.values()]


def draw_misconception(ax: Axes, diagnosis: DiagnosisLike) -> Misconception:
    """Draw what a wrong guess counted next to what the layer really has.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (limits set to the 800×450 canvas, axis hidden).
    diagnosis : Diagnosis
        A :func:`convwidget.diagnose.diagnose` result (or any object with its attributes).

    Returns
    -------
    Misconception
        Its ``update(diagnosis)`` redraws in place.
    """
    return Misconception(ax, diagnosis)
