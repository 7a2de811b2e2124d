"""The one module that writes HTML: model summaries, explanations and the widgets' fragments.

Pure (no matplotlib, no ipywidgets): every function takes plain data and returns a string, with
every piece of user text escaped here, so no other module needs to know HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .formula import group_digits
from .summary import explain_lines, keras_shape, model_totals, torch_shape

if TYPE_CHECKING:
    from .model import Row

__all__ = ["html_error", "html_table"]


# --- model summaries ------------------------------------------------------------------------------


def html_table(model_name: str, rows: Sequence[Row], dialect: str) -> str:
    """An HTML table with the summary's content plus each row's formula, for ``_repr_html_``.

    Parameters
    ----------
    model_name : str
        Shown as the caption.
    rows : sequence of Row
        The model's rows.
    dialect : str
        ``"keras"`` (shapes as ``(None, …)``) or ``"torch"`` (``[1, …]``, with a buffers column).

    Returns
    -------
    str
        A ``<table>`` element.
    """
    esc = html.escape
    torch = dialect == "torch"
    shape = torch_shape if torch else keras_shape
    head = ["Layer (type)", "Output Shape", "Param #", *(["Buffers"] if torch else []), "Formula"]
    parts = [
        '<table class="convwidget-summary">',
        f'<caption>Model: "{esc(model_name)}"</caption>',
        "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead>",
        "<tbody>",
    ]
    for i, row in enumerate(rows):
        info = row.info
        expl = explain_lines(row, rows[i - 1] if i else None)
        formula = "<br>".join(esc(t) for t in expl) if expl else ""
        cells = [
            f"{esc(row.name)} ({esc(info.layer_type)})",
            esc(shape(info.output_shape)),
            group_digits(info.params),
            *([group_digits(info.buffers)] if torch else []),
            formula,
        ]
        aligns = ["left", "left", "right", *(["right"] if torch else []), "left"]
        parts.append(
            "<tr>" + "".join(f'<td style="text-align:{a}">{c}</td>' for c, a in zip(cells, aligns)) + "</tr>"
        )
    trainable, non_trainable, buffers = model_totals(rows)
    parts.append("</tbody>")
    foot = [
        f"Total params: {group_digits(trainable + non_trainable)}",
        f"Trainable params: {group_digits(trainable)}",
        f"Non-trainable params: {group_digits(non_trainable)}",
    ]
    if torch:
        foot.append(f"Buffers (not parameters): {group_digits(buffers)}")
    span = len(head)
    parts.append(
        "<tfoot>" + "".join(f'<tr><td colspan="{span}">{esc(t)}</td></tr>' for t in foot) + "</tfoot>"
    )
    parts.append("</table>")
    return "\n".join(parts)


def html_error(model_name: str, message: str) -> str:
    """An HTML paragraph saying why a model cannot be shown.

    Parameters
    ----------
    model_name : str
        The model's name.
    message : str
        Why it cannot be shown (escaped here).

    Returns
    -------
    str
        A ``<p>`` element.
    """
    return (
        f'<p class="convwidget-summary-error">Model "{html.escape(model_name)}": {html.escape(message)}</p>'
    )


# --- explanations ---------------------------------------------------------------------------------


# --- widgets --------------------------------------------------------------------------------------
