"""What the summary explainer found, as plain data: candidates, rows and the whole explanation.

These are the results of :func:`convwidget.reading.explain.explain_summary`. They never format
themselves: ``str()`` and ``_repr_html_`` hand the data to :mod:`convwidget.reading.render_text`
and :mod:`convwidget.html`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._checks import fail
from ..enums import Dialect, Status
from ..formula import Terms
from ..info import LayerInfo, Shape
from .pasted import PastedTotals, PasteFormat, PShape

if TYPE_CHECKING:
    from .mult_adds import MultAddsCheck, TotalCheck

__all__ = ["Candidate", "Explanation", "RowExplanation", "printed_total"]


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One configuration that explains a row (built by keyword: ``Candidate(layer=…, terms=…)``).

    Parameters
    ----------
    layer : str
        The layer as code, e.g. ``"Conv2D(63, (3, 3))"``.
    terms : Terms
        Its parameter count as a formula (from the counting core).
    input_shape : tuple or None
        The input shape it was checked on (None when the paste does not show it).
    output_shape : tuple or None
        The output shape ``describe()`` gives.
    shape_check : str
        How the shape change agrees, e.g. ``"26 − 3 + 1 = 24"``; '' if it could not be checked.
    assumptions : tuple of str
        What the candidate needs that the paste does not show (non-default arguments, unknown input).
    score : tuple of int
        Lower is likelier: non-default arguments and unusual kernels cost points.
    info : LayerInfo or None
        The ``describe()`` result, when the input shape was shown (for drawings).
    """

    layer: str
    terms: Terms
    input_shape: Shape | None = None
    output_shape: Shape | None = None
    shape_check: str = ""
    assumptions: tuple[str, ...] = ()
    score: tuple[int, int] = (0, 0)
    info: LayerInfo | None = field(default=None, compare=False, repr=False)

    @property
    def formula(self) -> str:
        """The formula with its result, e.g. ``(3·3·32 + 1)·63 = 18,207``."""
        return self.terms.text


@dataclass(frozen=True, kw_only=True)
class RowExplanation:
    """What one row's printed shape and count say about the layer.

    ``status`` is a :class:`~convwidget.enums.Status` (equal to its plain word):
    ``"explained"`` (one formula fits), ``"ambiguous"`` (several fit; all are listed, the most
    likely first), ``"mismatch"`` (the printed count fits no configuration: ``implied`` is what
    the shapes suggest), ``"no_params"`` (a layer without weights) or ``"unknown"`` (a layer type
    convwidget does not know).

    Parameters
    ----------
    name : str
        The row's name as printed.
    layer_type : str or None
        The layer type (a cut-off printed type completed from :mod:`convwidget.kinds`).
    input_shape, output_shape : tuple or None
        The row's input (the previous row's output or its 'Connected to' source) and output.
    printed_count : int or None
        The count the paste shows.
    candidates : tuple of Candidate
        The configurations that fit, the likeliest first.
    status : Status
        The verdict (see above).
    note : str
        Why, when the verdict needs a reason.
    implied : Terms or None
        For a mismatch, the formula the shapes imply.
    line, depth : int
        Where the row starts in the paste; its nesting depth.
    container : bool
        A module that holds other rows.
    mult_adds : MultAddsCheck or None
        torchinfo's Mult-Adds for the row against what torchinfo 1.8 prints for its configuration
        (:mod:`.mult_adds`); None when the paste shows neither the column nor the footer.
    """

    name: str
    layer_type: str | None = None
    input_shape: PShape | None = None
    output_shape: PShape | None = None
    printed_count: int | None = None
    candidates: tuple[Candidate, ...] = ()
    status: Status = Status.UNKNOWN
    note: str = ""
    implied: Terms | None = None
    line: int = 0
    depth: int = 0
    container: bool = False
    mult_adds: MultAddsCheck | None = None

    @property
    def formula(self) -> str:
        """The best candidate's formula, or '' if none fits."""
        return self.candidates[0].formula if self.candidates else ""

    @property
    def best(self) -> Candidate | None:
        """The most likely candidate, or None."""
        return self.candidates[0] if self.candidates else None

    @property
    def params(self) -> int | None:
        """The printed count, or the best candidate's when the paste shows none."""
        if self.printed_count is not None:
            return self.printed_count
        return self.candidates[0].terms.total if self.candidates else None


@dataclass(frozen=True, kw_only=True)
class Explanation:
    """The explained summary: rows, totals check and notes; ``str()`` is a text table.

    Parameters
    ----------
    format : PasteFormat
        The paste's format (equal to ``"keras2"``, ``"keras3"``, ``"torchinfo"`` or ``"torch_repr"``).
    dialect : Dialect
        Equal to ``"keras"`` or ``"torch"``.
    rows : tuple of RowExplanation
        One per printed row, in order.
    totals : PastedTotals or None
        The printed totals (None when the paste stops before them).
    rows_sum : int
        What the rows add up to.
    totals_ok : bool or None
        Whether they add up to the printed totals (None without totals).
    notes : tuple of str
        What the reader had to assume, and hints (e.g. a typo that explains the totals).
    model_name : str or None
        The name in a ``Model: "…"`` line.
    mult_adds_total : TotalCheck or None
        torchinfo's ``Total mult-adds (M): 11.87`` against the rows (None without that footer).
    """

    format: PasteFormat
    dialect: Dialect
    rows: tuple[RowExplanation, ...]
    totals: PastedTotals | None = None
    rows_sum: int = 0
    totals_ok: bool | None = None
    notes: tuple[str, ...] = ()
    model_name: str | None = None
    mult_adds_total: TotalCheck | None = None

    def row(self, name: str) -> RowExplanation:
        """Return the row called ``name``.

        Raises
        ------
        ConfigError
            If no row has that name.
        """
        for r in self.rows:
            if r.name == name:
                return r
        names = ", ".join(r.name for r in self.rows[:20])
        raise fail(
            "Explanation",
            "name",
            name,
            f"it must be one of the row names ({names})",
            "pass a printed row name",
        )

    def __iter__(self) -> Iterator[RowExplanation]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def totals_text(self) -> str:
        """One sentence on whether the rows add up to the printed totals."""
        from .render_text import totals_sentence

        return totals_sentence(self)

    def __str__(self) -> str:
        from .render_text import explanation_text

        return explanation_text(self)

    def _repr_html_(self) -> str:
        from ..html import html_explanation

        return html_explanation(self)


def printed_total(totals: PastedTotals) -> int | None:
    """The parameter total the printed totals state (trainable + non-trainable, else total)."""
    if totals.trainable is not None and totals.non_trainable is not None:
        return totals.trainable + totals.non_trainable
    if totals.total is not None and totals.optimizer is not None:
        return totals.total - totals.optimizer
    return totals.total
