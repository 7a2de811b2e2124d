r"""Tables as LaTeX ``tabular`` environments (booktabs rules), for slides (beamer) and handouts.

Pure text. The output is plain ASCII: the ``·``, ``×``, ``−`` and ``…`` of the formulas
become math-mode commands and LaTeX's special characters are escaped, so it compiles with
pdflatex, xelatex or lualatex and needs only ``\usepackage{booktabs}``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .table import Table, explanation_table

if TYPE_CHECKING:
    from ..reading.results import Explanation

__all__ = ["explanation_latex", "latex_escape", "table_latex"]

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "·": r"$\cdot$",
    "×": r"$\times$",
    "−": r"$-$",
    "…": r"\dots{}",
    "→": r"$\rightarrow$",
    "γ": r"$\gamma$",
    "β": r"$\beta$",
    "\u00a0": "~",
}
# One pass over the text, so an escape's own backslash and braces are never escaped again.
_PATTERN = re.compile("|".join(re.escape(c) for c in _SPECIAL))


# A wrapped column takes 40% of the line: a formula and its input-channel sentence fit in two lines.
_COLUMN = {"left": "l", "right": "r", "wrap": r"p{0.4\linewidth}"}
# A quoted name, "sequential": TeX's opening and closing quotes (a straight " prints as a closing one).
_QUOTED = re.compile(r'"([^"\n]*)"')


def latex_escape(text: str) -> str:
    r"""Text made safe for LaTeX: special characters escaped, formula symbols as math.

    Parameters
    ----------
    text : str
        Plain text, e.g. ``"(3·3·32 + 1)·63 = 18,207"``.

    Returns
    -------
    str
        ``"(3$\cdot$3$\cdot$32 + 1)$\cdot$63 = 18,207"``; ``"name"`` in TeX quotes (````name''``);
        other non-ASCII characters pass through.
    """
    escaped = _PATTERN.sub(lambda m: _SPECIAL[m.group(0)], text)
    return _QUOTED.sub(r"``\1''", escaped)


def table_latex(table: Table) -> str:
    r"""A :class:`~convwidget.export.table.Table` as a booktabs ``tabular``, title and notes around it.

    Parameters
    ----------
    table : Table
        The cells.

    Returns
    -------
    str
        ``\textbf{title}``, a ``tabular`` with ``l``/``r`` columns (a Formula column wraps, as
        ``p{...}``), every row ending in ``\\``, then the notes as an ``itemize``.
    """
    spec = "".join(_COLUMN[a] for a in table.align)

    def row(cells: tuple[str, ...]) -> str:
        return " & ".join(latex_escape(c) for c in cells) + r" \\"

    lines = [
        r"\textbf{" + latex_escape(table.title) + "}",
        "",
        r"\begin{tabular}{" + spec + "}",
        r"\toprule",
        " & ".join(r"\textbf{" + latex_escape(h) + "}" for h in table.headers) + r" \\",
        r"\midrule",
        *(row(cells) for cells in table.cells),
        r"\bottomrule",
        r"\end{tabular}",
    ]
    if table.notes:
        lines += [
            "",
            r"\begin{itemize}",
            *(r"\item " + latex_escape(n) for n in table.notes),
            r"\end{itemize}",
        ]
    return "\n".join(lines) + "\n"


def explanation_latex(explanation: Explanation) -> str:
    """An explained paste as LaTeX: one tabular row per printed row, every formula, the totals check.

    Parameters
    ----------
    explanation : Explanation
        The result of :func:`convwidget.explain_summary`.

    Returns
    -------
    str
        The LaTeX text (see :func:`table_latex`).
    """
    return table_latex(explanation_table(explanation))
