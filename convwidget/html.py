"""The one module that writes HTML: model summaries, explanations and the widgets' fragments.

Pure (no matplotlib, no ipywidgets): every function takes plain data and returns a string, with
every piece of user text escaped here, so no other module needs to know HTML.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from .enums import Family
from .formula import Factor, Terms, group_digits, render
from .summary import explain_lines, keras_shape, model_feed, model_totals, torch_shape

if TYPE_CHECKING:
    from .cost import CostTable
    from .info import LayerInfo
    from .model import Row
    from .reading.results import Explanation

__all__ = [
    "MARK_STYLE",
    "alert_html",
    "caption_html",
    "changed_html",
    "cost_html",
    "count_html",
    "dims_text",
    "formula_block_html",
    "formula_html",
    "html_error",
    "html_explanation",
    "html_table",
    "layer_detail_html",
    "layer_title_html",
    "note_html",
    "notes_html",
    "paragraph_html",
    "pasted_table_html",
    "shape_html",
    "shape_text",
    "share_bars_html",
    "share_text",
    "static_html",
    "static_quiz_html",
    "verdict_html",
    "weights_html",
]


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
    feed = model_feed(rows)

    def shape(dims: Sequence[int]) -> str:
        return torch_shape(dims, feed) if torch else keras_shape(dims)

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

# Row backgrounds by status: green fits, amber several fit, red a count that fits nothing.
_STATUS_COLOURS = {
    "explained": "#e6f4ea",
    "ambiguous": "#fff8e1",
    "mismatch": "#fde7e9",
    "no_params": "#ffffff",
    "unknown": "#eeeeee",
}


def html_explanation(explanation: Explanation) -> str:
    """The explained summary as an HTML table (the cells of ``str(explanation)``), for ``_repr_html_``.

    Parameters
    ----------
    explanation : Explanation
        The result of :func:`convwidget.explain_summary`.

    Returns
    -------
    str
        A ``<div class="convwidget-explanation">`` with the table, the totals sentence and the notes.
    """
    from .reading.render_text import (
        STATUS_WORDS,
        explanation_cells,
        mult_adds_sentence,
        mult_adds_total_sentence,
        totals_sentence,
    )

    esc = html.escape
    rows = []
    for cells, r in zip(explanation_cells(explanation), explanation.rows):
        note = f"<br><small>{esc(r.note)}</small>" if r.note else ""
        if mult_adds := mult_adds_sentence(r):
            note += f"<br><small>{esc(mult_adds)}</small>"
        rows.append(
            f'<tr style="background:{_STATUS_COLOURS.get(cells.status, "#fff")}">'
            f"<td><code>{esc(cells.label)}</code></td><td><code>{esc(cells.shape)}</code></td>"
            f"<td style='text-align:right'>{esc(cells.params)}</td>"
            f"<td>{esc(STATUS_WORDS[r.status])}</td><td>{esc(cells.what)}{note}</td></tr>"
        )
    sentences = (totals_sentence(explanation), mult_adds_total_sentence(explanation), *explanation.notes)
    notes = "".join(f"<p>{esc(n)}</p>" for n in sentences if n)
    return (
        '<div class="convwidget-explanation"><table>'
        "<thead><tr><th>Layer (type)</th><th>Output shape</th><th>Printed #</th><th>Status</th>"
        "<th>Formula</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + notes + "</div>"
    )


# --- widgets --------------------------------------------------------------------------------------

# Bold, underlined and with a background: colour is never the only sign of a mark.
MARK_STYLE = "font-weight:bold;text-decoration:underline;background:#ffe08a;color:inherit;padding:0 2px"


def shape_text(shape: Sequence[int]) -> str:
    """A shape as Python prints a tuple, e.g. ``(26, 26, 32)`` (plain text, no markup)."""
    return str(tuple(shape))


def dims_text(dims: Iterable[int]) -> str:
    """Sizes joined by ``×``, e.g. ``3×3`` (plain text, no markup)."""
    return "×".join(str(v) for v in dims)


def formula_html(terms: Terms, highlight: Iterable[str] = ()) -> str:
    """Return ``terms`` as HTML whose visible text is exactly ``terms.text``.

    Parameters
    ----------
    terms : Terms
        The formula.
    highlight : iterable of str
        Factor names (e.g. ``"input channels"``) to mark as just changed. They are
        marked in bold, underlined and with a background, and named in a
        ``title``, so colour is never the only sign.

    Returns
    -------
    str
        HTML; stripping its tags gives e.g. ``(3·3·32 + 1)·63 = 18,207``.
    """
    if isinstance(terms.expr, Factor):
        return html.escape(terms.text)
    wanted = set(highlight)

    def leaf(factor: Factor) -> str:
        value, name = html.escape(str(factor.value)), html.escape(factor.name)
        if factor.name in wanted:
            attrs = f'class="convwidget-changed" title="{name} (changed)" style="{MARK_STYLE}"'
            return f"<mark {attrs}>{value}</mark>"
        return f'<span title="{name}">{value}</span>'

    # formula.render holds the bracket rule, so the visible text is Terms.text.
    return f"{render(terms.expr, leaf)} = {group_digits(terms.total)}"


def formula_block_html(terms: Terms, font_size: str, highlight: Iterable[str] = ()) -> str:
    """The formula with numbers (at ``font_size``) above its symbolic form, as two ``<div>``."""
    return (
        f'<div style="font-size:{font_size}">{formula_html(terms, highlight)}</div>'
        f'<div style="font-size:0.9em">{html.escape(terms.symbolic)}</div>'
    )


def changed_html(names: Iterable[str]) -> str:
    """The line naming the factors a change marked, e.g. ``changed (underlined): output channels``."""
    listed = ", ".join(names)
    if not listed:
        return ""
    return f'<div style="font-size:0.9em">changed (underlined): {html.escape(listed)}</div>'


def note_html(text: str) -> str:
    """``text`` as a status note (``ℹ``, ``role="status"``); empty text gives ``""``."""
    return f'<div role="status">ℹ {html.escape(text)}</div>' if text else ""


def notes_html(lines: Iterable[str]) -> str:
    """Each line as a small note (``ℹ``), e.g. why a control cannot move; no lines give ``""``."""
    return "".join(f'<div style="font-size:0.9em">ℹ {html.escape(line)}</div>' for line in lines)


def shape_html(shape: Sequence[int]) -> str:
    """A shape as :func:`shape_text`, kept on one line: a tuple is never split across lines."""
    return f'<span style="white-space:nowrap">{html.escape(shape_text(shape))}</span>'


def share_text(params: int, total: int) -> str:
    """A layer's share of ``total`` in per cent, one decimal; a non-zero share under 0.1 % is ``< 0.1 %``."""
    share = 100 * params / total if total else 0.0
    if 0 < share < 0.05:
        return "< 0.1 %"
    return f"{share:.1f} %"


def alert_html(text: str) -> str:
    """``text`` as an alert (``⚠``, ``role="alert"``): what a widget shows for a ConfigError."""
    return f'<div role="alert">⚠ {html.escape(text)}</div>'


def paragraph_html(text: str) -> str:
    """``text`` as one escaped ``<p>``."""
    return f"<p>{html.escape(text)}</p>"


def count_html(params: int) -> str:
    """A parameter count in large type, e.g. ``18,207 parameters``."""
    return (
        f'<span style="font-size:3em;font-weight:bold;line-height:1.1">{group_digits(params)}</span> '
        f'<span style="font-size:1.3em">parameter{"s" if params != 1 else ""}</span>'
    )


def cost_html(terms: Terms, note: str, highlight: Iterable[str] = ()) -> str:
    """A layer's multiply-adds in the formula style, smaller than the count, e.g.
    ``24·24·63·3·3·32 = 10,450,944 multiply-adds``, then its symbols and what moves it (two short lines).

    Parameters
    ----------
    terms : Terms
        The textbook multiply-adds (:func:`convwidget.cost.layer_cost`).
    note : str
        What the figure counts and leaves out for this layer (the tooltip, with the convention).
    highlight : iterable of str
        Factor names to mark as just changed, as in :func:`formula_html`.

    Returns
    -------
    str
        Two ``<div>``: the numbers (their visible text is ``terms.text`` plus `` multiply-adds``), then
        the symbols and the teaching point: the input size moves the cost, never the parameters.
    """
    # Own line heights: the widget's 28 px inline height per line would make two short lines a tall block.
    tip = html.escape(f"multiply-adds for one sample, textbook convention: {note}")
    return (
        f'<div style="font-size:1.1em;line-height:1.3" title="{tip}">'
        f"{formula_html(terms, highlight)} multiply-adds</div>"
        f'<div style="font-size:0.8em;line-height:1.3" title="{tip}">{html.escape(terms.symbolic)}'
        " · the input size moves it, not the parameters</div>"
    )


def _weights_text(weights: Mapping[str, Sequence[int]]) -> str:
    if not weights:
        return "no weights"
    return ", ".join(f"{html.escape(name)} {shape_html(shape)}" for name, shape in weights.items())


def weights_html(info: LayerInfo) -> str:
    """A table of the layer's weight shapes in Keras and in PyTorch, and its input → output shapes."""
    th = "<th style='text-align:left'>"
    return (
        "<table>"
        f"<tr>{th}Keras</th><td>{_weights_text(info.keras_weights)}</td></tr>"
        f"<tr>{th}PyTorch</th><td>{_weights_text(info.torch_weights)}</td></tr>"
        f"<tr>{th}output</th><td>{shape_html(info.input_shape)} → {shape_html(info.output_shape)}</td></tr>"
        "</table>"
    )


def verdict_html(correct: bool, text: str) -> str:
    """The quiz's verdict on an answer: ``✓ Right.`` or ``✗ Not quite.``, then ``text``."""
    sign = "✓ Right." if correct else "✗ Not quite."
    return f'<div role="status"><b>{sign}</b> {html.escape(text)}</div>'


def static_quiz_html(question_html: str, placeholder: str) -> str:
    """What a quiz looks like before its cell runs: the question and an inert answer box."""
    return (
        f'<div class="convwidget-static">{question_html}'
        f'<p><input type="text" disabled placeholder="{html.escape(placeholder)}"> '
        "<button disabled>Check</button> <button disabled>Show me</button> "
        "<i>(run the cell to answer)</i></p></div>"
    )


class PastedRowLike(Protocol):
    """What :func:`pasted_table_html` reads of a row (a ``RowExplanation`` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def layer_type(self) -> str | None: ...

    @property
    def output_shape(self) -> Sequence[object] | None: ...

    @property
    def printed_count(self) -> int | None: ...


def _pasted_shape_html(shape: Sequence[object]) -> str:
    # A pasted shape may hold None (the batch axis, an unknown size): printed as the summary does.
    text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    return f'<span style="white-space:nowrap">{html.escape(text)}</span>'


def pasted_table_html(rows: Sequence[PastedRowLike]) -> str:
    """The pasted rows as printed (name, type, output shape, count), without any verdict.

    What an exercise shows before the learner answers, so the table does not give the answer away.
    """
    esc = html.escape
    body = []
    for r in rows:
        shape = "" if r.output_shape is None else _pasted_shape_html(r.output_shape)
        count = "" if r.printed_count is None else group_digits(r.printed_count)
        body.append(
            f"<tr><td><code>{esc(r.name)}</code></td><td>{esc(r.layer_type or '')}</td>"
            f"<td><code>{shape}</code></td><td style='text-align:right'>{count}</td></tr>"
        )
    return (
        '<div class="convwidget-pasted"><table><thead><tr><th>Layer</th><th>Type</th><th>Output shape</th>'
        "<th>Printed #</th></tr></thead><tbody>" + "".join(body) + "</tbody></table></div>"
    )


def static_html(body_html: str) -> str:
    """A widget's last state as plain HTML, for where no widget front end runs (before the cell runs)."""
    return f'<div class="convwidget-static">{body_html}<p><i>(run the cell to use the controls)</i></p></div>'


def caption_html(name: str, text: str) -> str:
    """A bold name, then text: ``<b>conv2d_1</b>: (3·3·32 + 1)·63 = 18,207``."""
    return f"<b>{html.escape(name)}</b>: {html.escape(text)}"


def layer_title_html(row: Row, count: int) -> str:
    """``Layer 2 of 8: conv2d_1 (Conv2D)`` as a heading."""
    return (
        f"<h4 style='margin:0.3em 0'>Layer {row.index + 1} of {count}: {html.escape(row.name)} "
        f"({html.escape(row.info.layer_type)})</h4>"
    )


def _share(params: int, total: int) -> float:
    return 100 * params / total if total else 0.0


def _cost_detail_html(row: Row, params_total: int, costs: CostTable | str) -> str:
    """The layer's multiply-adds, their share of the model's, beside its share of the parameters."""
    if isinstance(costs, str):
        return f"<div>multiply-adds: not shown ({html.escape(costs)})</div>"
    cost = costs.rows[row.index]
    note = html.escape(cost.note)
    if cost.mult_adds == 0:
        return f"<div>cost: 0 multiply-adds: {note}.</div>"
    return (
        f"<div title='{note}'>cost: {formula_html(cost.formula)} multiply-adds = "
        f"{html.escape(share_text(cost.mult_adds, costs.total))} of the model's {group_digits(costs.total)} "
        f"({html.escape(str(costs.convention))}, one sample), against "
        f"{html.escape(share_text(row.info.params, params_total))} of its parameters.</div>"
    )


def layer_detail_html(
    row: Row, total: int, last: bool, inherited: Iterable[str], costs: CostTable | str | None = None
) -> str:
    """One layer of a model: its shapes, where its input channels come from, its formula and shares.

    Parameters
    ----------
    row : Row
        The layer.
    total : int
        The model's total parameter count.
    last : bool
        Whether the layer is the model's last (its running total is the model's).
    inherited : iterable of str
        Factor names that come from the previous layer rather than from a choice; marked.
    costs : CostTable or str, optional
        The model's multiply-adds (aligned with its rows): the layer's share of them is shown beside
        its share of the parameters. A string says why they are not shown; None leaves the line out.

    Returns
    -------
    str
        Three ``<div>``: shapes, formula, share and running total; a fourth with the cost when given.
    """
    info = row.info
    g = info.geometry
    cells = [str(d) for d in info.input_shape]
    from_source = ""
    if g is not None:
        # The channel (feature) axis the layer reads, where its layout puts it.
        axis = 0 if info.channels_first else len(cells) - 1
        cells[axis] = f"<mark style='{MARK_STYLE}'>{cells[axis]}</mark>"
        source = f"the output of {html.escape(row.source)}" if row.source else "the model's input"
        what = "feature" if g.kind is Family.DENSE else "channel"
        if g.in_channels == 1:
            from_source = f"<br>Its 1 input {what} (underlined) is not a choice: it comes from {source}."
        else:
            from_source = (
                f"<br>Its {g.in_channels:,} input {what}s (underlined) are not a choice: "
                f"they come from {source}."
            )
    shape = "(" + ", ".join(cells) + ("," if len(cells) == 1 else "") + ")"
    return (
        f"<div>input <span style='white-space:nowrap'>{shape}</span> → output "
        f"{shape_html(info.output_shape)}{from_source}</div>"
        f"<div style='font-size:1.3em;margin:0.3em 0'>{formula_html(info.terms, inherited)}</div>"
        f"<div>{group_digits(info.params)} of {group_digits(total)} parameters "
        f"({html.escape(share_text(info.params, total))}); running total {group_digits(row.running_total)}"
        f"{' = the model total' if last else ''}.</div>"
        f"{'' if costs is None else _cost_detail_html(row, total, costs)}"
    )


def _bar_html(part: int, total: int, colour: str) -> str:
    """A share of ``total`` as a bar (200 px for all of it) followed by its per cent: never colour alone."""
    width = _share(part, total) * 2
    return (
        "<div style='display:inline-block;vertical-align:middle;height:0.8em;"
        f"width:{width:.1f}px;background:{colour}'></div> {html.escape(share_text(part, total))}"
    )


# Okabe–Ito blue and vermillion: told apart with every colour vision, and each bar has its number.
_PARAMS_COLOUR, _COST_COLOUR = "#0072B2", "#D55E00"


def share_bars_html(rows: Sequence[Row], current: int, total: int, costs: CostTable | None = None) -> str:
    """Every layer with its output shape, count, share of ``total`` as a bar, and running total.

    With ``costs`` (the model's multiply-adds, aligned with ``rows``) each layer's multiply-adds and
    share of them follow its share of the parameters, so the two can be compared row by row.
    The row at index ``current`` is marked by an arrow, bold text and ``aria-current``, not only by colour.
    """
    right, left = "<th style='text-align:right'>", "<th style='text-align:left'>"
    cost_head = f"{right}multiply-adds</th>{left}share of cost</th>" if costs is not None else ""
    head = (
        f"<tr><th></th>{left}layer</th>{left}output</th>{right}params</th>{left}share of parameters</th>"
        f"{cost_head}{right}running total</th></tr>"
    )
    body = []
    for j, r in enumerate(rows):
        here = j == current
        style = "font-weight:bold;background:#eef3ff" if here else ""
        cost_cells = ""
        if costs is not None:
            ma = costs.rows[j].mult_adds
            cost_cells = (
                f"<td style='text-align:right'>{group_digits(ma)}</td>"
                f"<td>{_bar_html(ma, costs.total, _COST_COLOUR)}</td>"
            )
        current_attr = ' aria-current="step"' if here else ""
        body.append(
            f"<tr style='{style}'{current_attr}><td>{'▶' if here else ''}</td>"
            f"<td>{html.escape(r.name)} ({html.escape(r.info.layer_type)})</td>"
            f"<td>{shape_html(r.info.output_shape)}</td>"
            f"<td style='text-align:right'>{group_digits(r.info.params)}</td>"
            f"<td>{_bar_html(r.info.params, total, _PARAMS_COLOUR)}</td>{cost_cells}"
            f"<td style='text-align:right'>{group_digits(r.running_total)}</td></tr>"
        )
    cost_foot = (
        f"<td style='text-align:right'><b>{group_digits(costs.total)}</b></td><td></td>"
        if costs is not None
        else ""
    )
    foot = (
        f"<tr><td></td><td colspan='2'><b>Total</b></td><td style='text-align:right'>"
        f"<b>{group_digits(total)}</b></td><td></td>{cost_foot}<td></td></tr>"
    )
    note = (
        "<caption style='caption-side:bottom;text-align:left;font-size:0.9em'>multiply-adds for one "
        f"sample, counted the {html.escape(str(costs.convention))} way</caption>"
        if costs is not None
        else ""
    )
    return f"<table>{note}{head}{''.join(body)}{foot}</table>"
