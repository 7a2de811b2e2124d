"""Export for slides and handouts: summaries and explanations as Markdown or LaTeX, lesson handouts.

- :mod:`~convwidget.export.table` — a summary or an explanation as cells of text (data);
- :mod:`~convwidget.export.markdown` / :mod:`~convwidget.export.latex` — those cells as a
  Markdown pipe table or a LaTeX ``tabular`` (pure text, no matplotlib);
- :mod:`~convwidget.export.handout` — a lesson notebook's printed results and figures as a
  Markdown handout folder, read from the executed notebook (``python -m convwidget.export
  notebooks/01-mnist-walkthrough.ipynb out/``; needs nbformat, imported only there).

``model.summary(fmt="markdown")`` and ``fmt="latex"`` print through :func:`render_table`;
drawings are saved with :func:`convwidget.drawing.save`.
"""

from __future__ import annotations

from .._checks import fail
from ..summary import FORMATS
from .handout import write_handout
from .latex import explanation_latex, latex_escape, table_latex
from .markdown import explanation_markdown, table_markdown
from .table import Table, explanation_table, summary_table

__all__ = [
    "Table",
    "explanation_latex",
    "explanation_markdown",
    "explanation_table",
    "latex_escape",
    "render_table",
    "summary_table",
    "table_latex",
    "table_markdown",
    "write_handout",
]


def render_table(table: Table, fmt: str) -> str:
    """Write ``table`` as Markdown or LaTeX.

    Parameters
    ----------
    table : Table
        The cells.
    fmt : {"markdown", "latex"}
        The format.

    Returns
    -------
    str
        The text, ending with a newline.

    Raises
    ------
    ConfigError
        For any other ``fmt``.
    """
    if fmt == "markdown":
        return table_markdown(table)
    if fmt == "latex":
        return table_latex(table)
    valid = ", ".join(repr(f) for f in FORMATS[1:])
    raise fail("render_table", "fmt", fmt, f"it must be one of {valid}")
