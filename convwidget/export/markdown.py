"""Tables as GitHub-flavoured Markdown, for handouts and slide decks (Marp, reveal.js, Quarto).

Pure text: no matplotlib, no ipywidgets. Every cell is written as given (numbers stay
comma-grouped, formulas keep their ``·``); only the characters Markdown would read as
table syntax are escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .table import Table, explanation_table

if TYPE_CHECKING:
    from ..reading.results import Explanation

__all__ = ["escape_cell", "explanation_markdown", "table_markdown"]


def escape_cell(text: str) -> str:
    """One cell's text made safe inside a Markdown table row.

    Parameters
    ----------
    text : str
        The cell.

    Returns
    -------
    str
        ``|`` escaped (it would end the cell), backslashes doubled, newlines as ``<br>``.
    """
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def table_markdown(table: Table) -> str:
    """A :class:`~convwidget.export.table.Table` as Markdown: bold title, pipe table, notes as a list.

    Parameters
    ----------
    table : Table
        The cells.

    Returns
    -------
    str
        Every table line has one cell per header (numbers right-aligned with ``--:``);
        the text ends with a newline.
    """

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape_cell(c) for c in cells) + " |"

    rule = "|" + "|".join("--:" if a == "right" else ":--" for a in table.align) + "|"
    lines = [f"**{escape_cell(table.title)}**", "", line(table.headers), rule]
    lines += [line(cells) for cells in table.cells]
    if table.notes:
        lines += ["", *(f"- {escape_cell(note)}" for note in table.notes)]
    return "\n".join(lines) + "\n"


def explanation_markdown(explanation: Explanation) -> str:
    """An explained paste as Markdown: one table row per printed row, every formula, the totals check.

    Parameters
    ----------
    explanation : Explanation
        The result of :func:`convwidget.explain_summary`.

    Returns
    -------
    str
        The Markdown text (see :func:`table_markdown`).

    Examples
    --------
    >>> from convwidget import explain_summary, seed_summary
    >>> print(explanation_markdown(explain_summary(seed_summary())).splitlines()[5])
    | conv2d_2 (Conv2D) | (None, 24, 24, 63) | 18,207 | explained | (3·3·32 + 1)·63 = 18,207 |
    """
    return table_markdown(explanation_table(explanation))
