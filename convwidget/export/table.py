"""Summaries and explanations as tables of text cells, for the Markdown and LaTeX writers.

A :class:`Table` is data: a title, headers, which columns hold numbers, the cells and the
lines under the table. It is built here from a model's rows (:func:`summary_table`) or an
explained paste (:func:`explanation_table`), with the same words and numbers the text
summaries print (counts comma-grouped, formulas from the counting core), and laid out by
:mod:`convwidget.export.markdown` and :mod:`convwidget.export.latex`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..enums import Status
from ..formula import group_digits
from ..summary import Extra, explain_lines, extra_headers, row_cells, totals_lines

if TYPE_CHECKING:
    # Types only: the explainer's modules import summary.py, which this module imports too.
    from ..enums import SummaryStyle
    from ..model import Row
    from ..reading.results import Explanation, RowExplanation

__all__ = ["Align", "Table", "explanation_table", "formula_cell", "summary_table"]

Align = Literal["left", "right", "wrap"]
"""How a column is aligned: text left, numbers right, long text (formulas) wrapped."""

_ALTERNATIVES = 3  # an ambiguous row's other formulas shown (a slide has room for a few)
_INDENT = "\u00a0\u00a0"  # a nested row's indent per level (a plain space would collapse in Markdown)


@dataclass(frozen=True)
class Table:
    """A table as cells of text, laid out by a writer (Markdown, LaTeX).

    Parameters
    ----------
    title : str
        Shown above the table (``Model: "sequential"``).
    headers : tuple of str
        The column headers.
    align : tuple of {"left", "right", "wrap"}
        One per header: ``"right"`` for numbers, ``"wrap"`` for long text (formulas) that a
        printed page must break over lines, ``"left"`` for the rest.
    cells : tuple of tuple of str
        The rows, each with one cell per header.
    notes : tuple of str
        Lines under the table (totals, the explainer's notes).
    """

    title: str
    headers: tuple[str, ...]
    align: tuple[Align, ...]
    cells: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


def summary_table(
    title: str,
    rows: Sequence[Row],
    style: SummaryStyle,
    explain: bool = False,
    extra: Extra | None = None,
) -> Table:
    """A model summary's cells: the text table's columns, numbers comma-grouped, and its totals.

    Parameters
    ----------
    title : str
        The title line (``Model: "sequential"``).
    rows : sequence of Row
        The model's rows.
    style : SummaryStyle
        ``"torch"`` gives torchinfo's columns (with Buffers); the Keras styles give Keras' three.
    explain : bool
        Add a Formula column: each row's formula and where its input channels come from.
    extra : Extra, optional
        Extra columns (mult-adds, receptive field) and their footer lines.

    Returns
    -------
    Table
        One cell row per model row; the notes are the totals (then the extra footer).
    """
    torch = style == "torch"
    headers = ["Layer (type:depth-idx)" if torch else "Layer (type)", "Output Shape", "Param #"]
    headers += ["Buffers"] if torch else []
    align: list[Align] = ["left", "left", "right"]
    numbers = (1 if torch else 0) + (len(extra.columns) if extra is not None else 0)
    align.extend("right" for _ in range(numbers))  # Buffers and the extra columns are numbers
    if extra is not None:
        headers += extra_headers(extra, style)
    if explain:
        headers.append("Formula")
        align.append("wrap")
    cells: list[tuple[str, ...]] = []
    for i, (row, line) in enumerate(zip(rows, row_cells(rows, style, extra))):
        if explain:
            line.append("; ".join(explain_lines(row, rows[i - 1] if i else None)))
        cells.append(tuple(line))
    notes = [*totals_lines(rows, style), *(extra.footer if extra is not None else ())]
    return Table(title, tuple(headers), tuple(align), tuple(cells), tuple(notes))


def formula_cell(row: RowExplanation) -> str:
    """What an explained row's count is: every fitting formula, or why none fits.

    Parameters
    ----------
    row : RowExplanation
        One row of an :class:`~convwidget.reading.results.Explanation`.

    Returns
    -------
    str
        The formula of an explained row; an ambiguous row's likeliest formula, then up to
        three others and how many more fit; the formula the shapes imply for a mismatch.
    """
    if row.candidates and row.status in (Status.EXPLAINED, Status.AMBIGUOUS):
        others = [c.formula for c in row.candidates[1 : 1 + _ALTERNATIVES]]
        more = len(row.candidates) - 1 - len(others)
        if more:
            others.append(f"{more} more")
        return row.formula + (f" (or: {'; '.join(others)})" if others else "")
    if row.status == Status.MISMATCH:
        implied = f"; the shapes imply {row.implied.text}" if row.implied is not None else ""
        return "the printed count fits no configuration" + implied
    if row.status == Status.NO_PARAMS:
        return "no weights"
    return "unknown layer type"


def explanation_table(explanation: Explanation) -> Table:
    """An explained paste's cells: each row's printed shape and count, its status and its formulas.

    Parameters
    ----------
    explanation : Explanation
        The result of :func:`convwidget.explain_summary`.

    Returns
    -------
    Table
        One cell row per printed row (every formula of every row); the notes are the totals
        sentence and the explainer's notes.
    """
    from ..reading.render_text import shape_text

    cells: list[tuple[str, ...]] = []
    for r in explanation.rows:
        label = f"{r.name} ({r.layer_type})" if r.layer_type and r.layer_type != r.name else r.name
        shape = "" if r.output_shape is None else shape_text(r.output_shape)
        count = "" if r.printed_count is None else group_digits(r.printed_count)
        cells.append((_INDENT * max(r.depth - 1, 0) + label, shape, count, str(r.status), formula_cell(r)))
    name = f' of "{explanation.model_name}"' if explanation.model_name else ""
    return Table(
        f"Explained summary{name} ({explanation.format})",
        ("Layer (type)", "Output shape", "Printed #", "Status", "Formula"),
        ("left", "left", "right", "left", "wrap"),
        tuple(cells),
        (explanation.totals_text, *explanation.notes),
    )
