"""A widget to paste a model summary into: the explained table, and the kernel stack of a chosen row.

Thin: the explanation comes from :func:`convwidget.explain_summary`, the picture from
:class:`convwidget.drawing.KernelStackFigure` (through the widgets' shared
:class:`~convwidget.widgets._picture.Picture`); this module only links them with ipywidgets.

Two modes:

* **explain** (default): the table with a verdict and a formula for every row, at once.
* **ask** (``ask="Which row was mistyped?"``): an exercise. The pasted table is shown *without*
  verdicts until the learner picks a row (and, if they like, the count it should have); then the
  verdict, the explained table and the pictures appear.

Typing in the box re-reads the summary at most once the typing pauses (:class:`Debounce`), not on
every keystroke.
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as widgets

from .. import layers as keras_layers
from .._checks import fail
from ..enums import Family, Status
from ..errors import ConfigError
from ..explain import Explanation, explain_summary
from ..formula import group_digits
from ..html import alert_html, caption_html, paragraph_html, pasted_table_html, static_html, verdict_html
from ..info import LayerInfo
from ..kinds import by_name
from ..reading.results import RowExplanation
from ._guard import GuardedBox
from ._picture import Picture, View
from ._throttle import Clock, Debounce, Schedule, from_browser

_PLACEHOLDER = "Paste the output of model.summary(), torchinfo.summary(...) or print(model) here"
_CHOOSE = "choose a row…"
# Seconds of quiet typing before the summary is read again.
DEBOUNCE_SECONDS = 0.4
# The families whose kernels the kernel-stack picture draws.
_DRAWN = frozenset({Family.CONV, Family.DEPTHWISE, Family.SEPARABLE, Family.TRANSPOSE})


def _built_from_formula(row: RowExplanation) -> LayerInfo | None:
    """A LayerInfo for a conv row the explainer did not describe, from its formula's factors.

    The kernel stack depends only on the kernel's sizes, the channels, the multiplier and the bias,
    which the best candidate's factors carry; the layer is described on an input just the kernel's
    size. None when the row is no convolution or its factors do not say enough (e.g. groups).
    """
    kind = by_name(row.layer_type or "")
    # A row that fits a formula draws it; a mistyped count draws the formula its shapes imply.
    terms = row.best.terms if row.best is not None else row.implied
    if kind is None or terms is None or kind.family not in _DRAWN:
        return None
    factors = {f.name: f.value for f in terms.factors}
    kernel = tuple(f.value for f in terms.factors if f.name.startswith("kernel "))
    cin = factors.get("input channels")
    if not kernel or cin is None:
        return None  # e.g. 'input channels per group': the groups are not in the formula
    cls = getattr(keras_layers, kind.keras or "", None)
    if cls is None:
        return None
    bias = "bias" in factors
    cout = factors.get("output channels", 1)
    dm = factors.get("depth multiplier", 1)
    try:
        if kind.family is Family.DEPTHWISE:
            layer = cls(kernel, depth_multiplier=dm, use_bias=bias)
        elif kind.family is Family.SEPARABLE:
            layer = cls(cout, kernel, depth_multiplier=dm, use_bias=bias)
        else:
            layer = cls(cout, kernel, use_bias=bias)
        info: LayerInfo = layer.describe((*kernel, cin))
    except ConfigError:
        return None  # a candidate the Keras layer cannot build (e.g. a rank it lacks): no picture
    return info


def drawable_info(row: RowExplanation) -> LayerInfo | None:
    """The LayerInfo to draw for ``row``: the explainer's own, else one built from its formula."""
    best = row.best
    if best is not None and best.info is not None and best.info.geometry is not None:
        return best.info
    return _built_from_formula(row)


def _menu_label(row: RowExplanation) -> str:
    formula = row.formula or (f"its shapes give {row.implied.text}" if row.implied is not None else "")
    return f"{row.name} — {formula}"


def _is_conv(row: RowExplanation) -> bool:
    kind = by_name(row.layer_type or "")
    return kind is not None and kind.family in _DRAWN


def _first_to_draw(rows: tuple[RowExplanation, ...], drawable: list[int]) -> int | None:
    """The row drawn first: a flagged conv row, else the first conv whose input the paste shows,
    else the first conv row, else the first drawable row (a Dense layer only when there is no conv)."""
    flagged = [i for i in drawable if rows[i].status is Status.MISMATCH and _is_conv(rows[i])]
    shown = [
        i for i in drawable if _is_conv(rows[i]) and (b := rows[i].best) is not None and b.info is not None
    ]
    convs = [i for i in drawable if _is_conv(rows[i])]
    order: list[int | None] = [*flagged, *shown, *convs, *drawable, None]
    return order[0]


class SummaryExplainer(GuardedBox):
    """A text box for a pasted summary, the explained table below it, and the selected row's kernels.

    Parameters
    ----------
    text : str
        Initial text (e.g. the seed question's summary).
    ask : str, optional
        A question about the paste (e.g. "Which row's count was mistyped?"): the table shows no
        verdicts until the learner answers with :attr:`choice` and :attr:`check_button`.
    clock, schedule
        As for :class:`~convwidget.widgets.ConvExplorer`; for the typing debounce.
    debounce_seconds : float
        Quiet time after the last keystroke before the summary is read again.

    Attributes
    ----------
    text : ipywidgets.Textarea
        The pasted summary.
    table : ipywidgets.HTML
        The explained table (or, while a question waits, the pasted rows without verdicts), or why
        the text cannot be read.
    row_picker : ipywidgets.Dropdown
        The row whose kernels are drawn: every convolution row, whatever the paste format.
    formula : ipywidgets.HTML
        The chosen row's name and formula.
    message : ipywidgets.HTML
        The error area: what went wrong drawing the chosen row (empty otherwise).
    picture : ipywidgets.Image
        The chosen row's kernel stack as PNG bytes.
    question, feedback : ipywidgets.HTML
        The question and the verdict on the answer (ask mode only).
    choice : ipywidgets.Dropdown
        The row the learner names (ask mode only).
    fix : ipywidgets.Text
        The count the learner says the row should have (optional).
    check_button, show_button : ipywidgets.Button
    explanation : Explanation or None
        The current result (None while the text cannot be read).
    answered : bool
        Whether the verdicts are shown (always True without a question).
    """

    def __init__(
        self,
        text: str = "",
        *,
        ask: str | None = None,
        clock: Clock = time.perf_counter,
        schedule: Schedule | None = None,
        debounce_seconds: float = DEBOUNCE_SECONDS,
    ) -> None:
        if ask is not None and not isinstance(ask, str):
            raise fail("SummaryExplainer", "ask", ask, "it must be a question (a str) or None", "ask=None")
        self.explanation: Explanation | None = None
        self.ask = ask
        self.answered = ask is None
        self._picture = Picture()
        self._reread = Debounce(self._read, debounce_seconds, clock, schedule)
        self.text = widgets.Textarea(
            value="", placeholder=_PLACEHOLDER, layout=widgets.Layout(width="100%", height="14em")
        )
        self.text.add_class("convwidget-explain-input")
        self.question = widgets.HTML(paragraph_html(ask) if ask else "")
        self.question.add_class("convwidget-question")
        self.choice = widgets.Dropdown(
            options=[_CHOOSE], value=_CHOOSE, description="row", layout=widgets.Layout(width="18em")
        )
        self.choice.add_class("convwidget-explain-choice")
        self.fix = widgets.Text(
            description="should be",
            placeholder="its count (optional)",
            style={"description_width": "6em"},
            layout=widgets.Layout(width="18em"),
        )
        self.fix.add_class("convwidget-explain-fix")
        self.check_button = widgets.Button(description="Check", icon="check", tooltip="check your answer")
        self.check_button.add_class("convwidget-check")
        self.show_button = widgets.Button(description="Show me", icon="eye", tooltip="show every verdict")
        self.show_button.add_class("convwidget-show")
        self.feedback = widgets.HTML()
        self.feedback.add_class("convwidget-feedback")
        self.answer_box = widgets.VBox(
            [
                self.question,
                widgets.HBox(
                    [self.choice, self.fix, self.check_button, self.show_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.feedback,
            ],
            layout=widgets.Layout(display=None if ask else "none"),
        )
        self.table = widgets.HTML()
        self.table.add_class("convwidget-explain-table")
        self.row_picker = widgets.Dropdown(options=[], description="Draw row")
        self.row_picker.add_class("convwidget-explain-row")
        self.formula = widgets.HTML()
        self.formula.add_class("convwidget-explain-formula")
        self.message = widgets.HTML()
        self.message.add_class("convwidget-message")
        self.error_area = self.message
        self.picture = widgets.Image(format="png", layout=widgets.Layout(max_width="800px"))
        self.picture.add_class("convwidget-explain-picture")
        self.drawing_box = widgets.VBox([self.row_picker, self.formula, self.message, self.picture])
        # An exercise puts its question and the pasted table first, the box for your own paste last.
        order = (
            [self.answer_box, self.table, self.drawing_box, self.text]
            if ask
            else [self.text, self.answer_box, self.table, self.drawing_box]
        )
        super().__init__(order)
        self.add_class("convwidget-explainer")
        self.text.observe(self._guard(self._on_text), names="value")
        self.row_picker.observe(self._guard(self._on_row), names="value")
        self.check_button.on_click(self._guard(self._on_check))
        self.show_button.on_click(self._guard(lambda _b: self.reveal()))
        self.text.value = text

    def __repr__(self) -> str:
        # Stable and short: nbval compares a widget's text/plain repr with the saved one.
        if self.explanation is None:
            return "SummaryExplainer(no summary read)"
        return f"SummaryExplainer({len(self.explanation.rows)} rows)"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = super()._repr_mimebundle_(**kwargs)
        # Before the cell runs: the table as it stands (no verdicts while a question waits).
        data["text/html"] = static_html(self.question.value + self.table.value)
        data["text/plain"] = repr(self)
        return data

    # -- the exercise ------------------------------------------------------

    def answer(self, row: str, count: int | str | None = None) -> bool:
        """Answer the question as if the learner had chosen ``row`` (and typed ``count``); show the verdict.

        Parameters
        ----------
        row : str
            A row name of the paste.
        count : int or str, optional
            The count the learner says the row should have.

        Returns
        -------
        bool
            Whether ``row`` is the row whose printed count fits no formula (and ``count``, if given,
            is the count its shapes imply).

        Raises
        ------
        ConfigError
            If no summary is read or ``row`` names no row.
        """
        names = [r.name for r in self.explanation.rows] if self.explanation else []
        if row not in names:
            raise fail(
                "SummaryExplainer.answer",
                "row",
                row,
                f"it must be one of the pasted rows ({', '.join(names) or 'none read'})",
                "choose a row from the menu",
            )
        self.choice.value = row
        self.fix.value = "" if count is None else str(count)
        return self._check()

    def reveal(self) -> None:
        """Show the verdicts, the explained table and the pictures."""
        self.answered = True
        self._show_table()

    def _on_check(self, _button: Any) -> None:
        self._check()

    def _check(self) -> bool:
        if self.explanation is None or self.choice.value == _CHOOSE:
            self.feedback.value = alert_html("Choose a row first.")
            return False
        row = self.explanation.row(self.choice.value)
        wrong = [r for r in self.explanation.rows if r.status is Status.MISMATCH]
        right_row = row.status is Status.MISMATCH
        typed = str(self.fix.value).replace(",", "").replace("_", "").strip()
        should = row.implied.total if row.implied is not None else None
        right_count = not typed or (typed.isdigit() and len(typed) <= 30 and int(typed) == should)
        if right_row and right_count:
            what = f"printed {group_digits(row.printed_count or 0)}"
            fits = f"; its shapes give {row.implied.text}" if row.implied is not None else ""
            text = f"{row.name} {what}, a count no layer of its type and shapes has{fits}."
        elif right_row:
            implied = row.implied.text if row.implied else "another count"
            text = f"{row.name} is the row, but its shapes give {implied}."
        elif wrong:
            text = f"{row.name}'s count fits its formula ({row.formula or 'no parameters'}). Look again."
        else:
            text = f"{row.name}'s count fits its formula; in this paste every row fits one."
        self.feedback.value = verdict_html(right_row and right_count, text)
        self.reveal()
        index = [r.name for r in self.explanation.rows].index(row.name)
        if index in [i for _, i in self.row_picker.options]:
            self.row_picker.value = index  # the row the learner named is the one drawn
        return right_row and bool(right_count)

    # -- reading and drawing -----------------------------------------------

    def _restore(self) -> None:
        # A row that cannot be drawn shows no picture rather than the previous row's.
        self.picture.value = b""

    def _on_text(self, _change: Any = None) -> None:
        # Typing in the browser: read once the typing pauses; text set from code: read now.
        self._reread.request(now=not from_browser(self.text))

    def _read(self) -> None:
        self.message.value = ""
        self.answered = self.ask is None
        self.feedback.value = ""
        try:
            self.explanation = explain_summary(self.text.value)
        except ConfigError as err:
            # Text that is no summary is an answer, not a failure: say why, where the table would be.
            self.explanation = None
            self.table.value = alert_html(str(err)) if self.text.value.strip() else ""
            self.row_picker.options = []
            self.choice.options = [_CHOOSE]
            self._show(None)
            return
        self.choice.options = [_CHOOSE, *(r.name for r in self.explanation.rows)]
        self.choice.value = _CHOOSE
        rows = self.explanation.rows
        drawable = [(_menu_label(r), i) for i, r in enumerate(rows) if drawable_info(r) is not None]
        self.row_picker.options = drawable
        self.row_picker.value = _first_to_draw(rows, [i for _, i in drawable])
        if not drawable:
            self._show(None)
        self._show_table()

    def _show_table(self) -> None:
        if self.explanation is None:
            return
        if self.answered:
            self.table.value = self.explanation._repr_html_()
            self.drawing_box.layout.display = None
        else:
            self.table.value = pasted_table_html(self.explanation.rows)
            self.drawing_box.layout.display = "none"

    def _on_row(self, _change: Any = None) -> None:
        self.message.value = ""
        self._show(self.row_picker.value)

    def _show(self, index: int | None) -> None:
        if index is None or self.explanation is None:
            self.formula.value = ""
            self.picture.value = b""
            return
        row = self.explanation.rows[index]
        info = drawable_info(row)
        note = ""
        if row.best is None and row.implied is not None:
            note = f"printed {group_digits(row.printed_count or 0)}; its shapes give {row.implied.text}"
        elif info is not None and (row.best is None or row.best.info is None):
            note = f"{row.formula} (the paste does not show its input: drawn from the formula)"
        self.formula.value = caption_html(row.name, note or row.formula)
        if info is None:
            self.picture.value = b""
            return
        self.picture.value = self._picture.render(info, View.KERNEL_STACK)
