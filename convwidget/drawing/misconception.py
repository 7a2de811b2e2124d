"""Side by side: what a wrong guess counted, and what is really there (from a ``diagnose`` result)."""

from __future__ import annotations

import textwrap
from typing import Any, Protocol

from matplotlib.axes import Axes
from matplotlib.text import Text

from ..formula import Terms, group_digits
from ..info import LayerInfo
from ._style import HIGHLIGHT, TITLE_SIZE, text_style
from .kernels import CANVAS, MAX_SLICES, BlockSpec, PlacedBlock, _fill, _new_artists

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
    """What :func:`draw_misconception` reads from a :class:`convwidget.diagnose.Diagnosis`."""

    guess: int
    expected: int
    correct: bool
    mistake: str | None
    dropped: tuple[str, ...]
    added: tuple[str, ...]
    formula: Terms
    guess_formula: Terms | None
    info: LayerInfo


def _value(terms: Terms, *names: str, default: int | None = None) -> int | None:
    for name in names:
        f = terms.factor(name)
        if f is not None:
            return f.value
    return default


def _block(terms: Terms, x: int, y: int) -> tuple[PlacedBlock, int]:
    """The kernel a formula counts (cells, slices, bias) and how many such kernels."""
    fh = _value(terms, "kernel height", "kernel length", default=1) or 1
    fw = _value(terms, "kernel width", default=fh) or 1
    cin = _value(terms, "input channels", "input channels per group", "input features", default=1) or 1
    cout = _value(terms, "output channels", "units", default=1) or 1
    bias = terms.factor("bias") is not None
    big = max(fh, fw)
    spec = BlockSpec(
        min(fh, 12),
        min(fw, 12),
        round(56 * fw / big),
        round(56 * fh / big),
        tuple(range(min(cin, MAX_SLICES))),
        bias,
    )
    return PlacedBlock(spec, x, y, 0), cout


def _per_kernel(terms: Terms) -> str:
    fh = _value(terms, "kernel height", "kernel length")
    fw = _value(terms, "kernel width")
    cin = _value(terms, "input channels", "input channels per group", "input features")
    dims = "×".join(str(v) for v in (fh, fw, cin) if v is not None) or "1"
    bias = " + 1 bias" if terms.factor("bias") is not None else ", no bias"
    more = f" ({MAX_SLICES} of {cin:,} slices drawn)" if cin is not None and cin > MAX_SLICES else ""
    return f"each kernel {dims}{bias}{more}"


class Misconception:
    """Artists of a misconception drawing, updated in place; made by :func:`draw_misconception`."""

    def __init__(self, ax: Axes, diagnosis: DiagnosisLike) -> None:
        self.ax = ax
        ax.set_xlim(0, CANVAS[0])
        ax.set_ylim(0, CANVAS[1])
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.polys, self.lines = _new_artists(ax)
        self.divider = ax.axvline(CANVAS[0] / 2, color="#999999", lw=1, ymin=0.2, ymax=0.95)
        self.texts: dict[str, Text] = {r: ax.text(0, 0, "", va="center", **text_style()) for r in _ROLES}
        self.update(diagnosis)

    def update(self, diagnosis: DiagnosisLike) -> Misconception:
        """Show another diagnosis; artists change in place."""
        self.diagnosis = d = diagnosis
        half = CANVAS[0] // 2
        right, right_n = _block(d.formula, half + 90, 200)
        blocks = [right]
        t = {
            "right_title": (f"What is really there: {group_digits(d.expected)}", half + 20, 410),
            "right_formula": (d.formula.text, half + 20, 140),
            "right_count": (f"× {group_digits(right_n)} kernels", half + 210, 230),
            "right_note": (_per_kernel(d.formula), half + 20, 110),
        }
        if d.correct:
            t["left_title"] = (f"Your count: {group_digits(d.guess)} — right", 20, 410)
            t["left_formula"] = (d.formula.text, 20, 140)
            t["left_note"] = ("nothing left out, nothing added", 20, 110)
            t["left_count"] = ("", 0, 0)
            left, left_n = _block(d.formula, 90, 200)
            blocks.append(left)
            t["left_count"] = (f"× {group_digits(left_n)} kernels", 210, 230)
        elif d.guess_formula is not None:
            left, left_n = _block(d.guess_formula, 90, 200)
            blocks.append(left)
            what = []
            if d.dropped:
                what.append("left out: " + ", ".join(d.dropped))
            if d.added:
                what.append("added: " + ", ".join(d.added))
            t["left_title"] = (f"What your {group_digits(d.guess)} counted", 20, 410)
            t["left_formula"] = (d.guess_formula.text, 20, 140)
            t["left_count"] = (f"× {group_digits(left_n)} kernels", 210, 230)
            t["left_note"] = ("; ".join(what) or _per_kernel(d.guess_formula), 20, 110)
        else:
            t["left_title"] = (f"Your count: {group_digits(d.guess)}", 20, 410)
            t["left_formula"] = ("no known mistake gives this number", 20, 260)
            t["left_count"] = ("", 0, 0)
            t["left_note"] = (f"compare: {d.formula.symbolic}", 20, 110)
        t["message"] = ("\n".join(textwrap.wrap(str(d), 84)), 20, 45)
        _fill(self.polys, self.lines, tuple(blocks))
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
