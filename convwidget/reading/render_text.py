"""The explainer's results as text: the table ``str(explanation)`` prints, its cells and sentences.

:mod:`convwidget.html` builds the notebook table from the same cells (:func:`explanation_cells`),
so the two views never say different things.
"""

from __future__ import annotations

from typing import NamedTuple

from ..enums import Status
from ..formula import group_digits
from ..kinds import by_name
from .pasted import PShape
from .results import Explanation, RowExplanation, printed_total

__all__ = ["STATUS_WORDS", "Cells", "explanation_cells", "explanation_text", "shape_text", "totals_sentence"]

_HEAD = ("Layer (type)", "Output shape", "Printed #", "Status", "Formula")
_MAX_WIDTH = 40  # a column wider than this is cut (the formula column never is)


# What a learner reads for each status in a table (display only: ``row.status`` keeps its value).
STATUS_WORDS = {
    Status.EXPLAINED: "fits",
    Status.AMBIGUOUS: "several fit",
    Status.MISMATCH: "count fits nothing",
    Status.NO_PARAMS: "no weights",
    Status.UNKNOWN: "unknown layer",
}


class Cells(NamedTuple):
    """One row of the explained table, as text."""

    label: str
    shape: str
    params: str
    status: str
    what: str


def shape_text(shape: PShape) -> str:
    """A pasted shape with the batch axis, as Keras prints it: ``(None, 26, 26, 32)``."""
    inner = ", ".join("None" if d is None else str(d) for d in (None, *shape))
    return f"({inner})"


def _what(row: RowExplanation) -> str:
    """The formula column: the best formula and its shape check, or why there is none."""
    if row.status in (Status.EXPLAINED, Status.AMBIGUOUS):
        what = row.formula
        if row.best is not None and " = " in row.best.shape_check:
            what += f"   [shape: {row.best.shape_check}]"
        if row.status == Status.AMBIGUOUS:
            what += "  (or: " + "; ".join(c.formula for c in row.candidates[1:4]) + ")"
        return what
    if row.status == Status.MISMATCH:
        what = "printed count fits no configuration"
        if row.implied is not None:
            what += f"; the shapes imply {row.implied.text}"
        return what
    if row.status == Status.NO_PARAMS:
        return "no weights"
    if by_name(row.layer_type or "") is not None:
        # A known type whose count the paste does not let convwidget work out (the note says why).
        return "count not worked out (see the note)"
    return "unknown layer type"


def explanation_cells(explanation: Explanation) -> list[Cells]:
    """The table's cells, one :class:`Cells` per row (nested rows indented by their depth).

    Parameters
    ----------
    explanation : Explanation
        The explained summary.

    Returns
    -------
    list of Cells
        Label, output shape, printed count, status and formula column of every row.
    """
    out = []
    for r in explanation.rows:
        shape = "" if r.output_shape is None else shape_text(r.output_shape)
        count = "" if r.printed_count is None else group_digits(r.printed_count)
        label = f"{r.name} ({r.layer_type})" if r.layer_type and r.layer_type != r.name else r.name
        label = "  " * max(r.depth - 1, 0) + label
        out.append(Cells(label, shape, count, str(r.status), _what(r)))
    return out


def totals_sentence(explanation: Explanation) -> str:
    """One sentence on whether the rows add up to the printed totals.

    Parameters
    ----------
    explanation : Explanation
        The explained summary.

    Returns
    -------
    str
        E.g. ``"The rows add up to 1,181,161, as the printed totals say."``.
    """
    rows_sum = group_digits(explanation.rows_sum)
    if explanation.totals is None:
        return f"The rows add up to {rows_sum}; the paste shows no totals to check."
    totals = explanation.totals
    if explanation.totals_ok and totals.optimizer:
        # A compiled, trained Keras model: the Total also counts the optimizer's state.
        return (
            f"The rows add up to {rows_sum} = Trainable {group_digits(totals.trainable or 0)} + "
            f"Non-trainable {group_digits(totals.non_trainable or 0)}, as printed; the Total "
            f"{group_digits(totals.total or 0)} also counts the optimizer's {group_digits(totals.optimizer)} "
            "(its state, such as Adam's moments: not layer weights)."
        )
    if explanation.totals_ok:
        return f"The rows add up to {rows_sum}, as the printed totals say."
    printed = printed_total(explanation.totals)
    said = group_digits(printed) if printed is not None else "?"
    return f"The rows add up to {rows_sum}, but the totals say {said}."


def explanation_text(explanation: Explanation) -> str:
    """The explanation as a plain-text table, then the totals sentence, row notes and notes.

    Parameters
    ----------
    explanation : Explanation
        The explained summary.

    Returns
    -------
    str
        What ``str(explanation)`` prints.
    """
    lines: list[tuple[str, ...]] = [_HEAD, *explanation_cells(explanation)]
    widths = [min(_MAX_WIDTH, max(len(line[i]) for line in lines)) for i in range(4)]
    text = []
    for n, line in enumerate(lines):
        cells = [line[i][: widths[i]].ljust(widths[i]) for i in range(4)]
        text.append("  ".join(cells) + "  " + line[4])
        if n == 0:
            text.append("-" * (sum(widths) + 8 + 30))
    text.append("")
    text.append(totals_sentence(explanation))
    text.extend(f"{r.name}: {r.note}" for r in explanation.rows if r.note)
    text.extend(explanation.notes)
    return "\n".join(text)
