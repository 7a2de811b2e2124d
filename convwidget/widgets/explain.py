"""A widget to paste a model summary into: the explained table, and the kernel stack of a chosen row.

Thin: the explanation comes from :func:`convwidget.explain_summary`, the picture from
:class:`convwidget.drawing.KernelStackFigure` (through the widgets' shared
:class:`~convwidget.widgets._picture.Picture`); this module only links them with ipywidgets.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..errors import ConfigError
from ..explain import Explanation, explain_summary
from ..html import alert_html, caption_html
from ._guard import GuardedBox
from ._picture import Picture, View

_PLACEHOLDER = "Paste the output of model.summary(), torchinfo.summary(...) or print(model) here"


class SummaryExplainer(GuardedBox):
    """A text box for a pasted summary, the explained table below it, and the selected row's kernels.

    Parameters
    ----------
    text : str
        Initial text (e.g. the seed question's summary).

    Attributes
    ----------
    text : ipywidgets.Textarea
        The pasted summary.
    table : ipywidgets.HTML
        The explained table, or why the text cannot be read.
    row_picker : ipywidgets.Dropdown
        The row whose kernels are drawn.
    formula : ipywidgets.HTML
        The chosen row's name and formula.
    message : ipywidgets.HTML
        The error area: what went wrong drawing the chosen row (empty otherwise).
    picture : ipywidgets.Image
        The chosen row's kernel stack as PNG bytes.
    explanation : Explanation or None
        The current result (None while the text cannot be read).
    """

    def __init__(self, text: str = "") -> None:
        self.explanation: Explanation | None = None
        self._picture = Picture()
        self.text = widgets.Textarea(
            value="", placeholder=_PLACEHOLDER, layout=widgets.Layout(width="100%", height="14em")
        )
        self.text.add_class("convwidget-explain-input")
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
        super().__init__([self.text, self.table, self.row_picker, self.formula, self.message, self.picture])
        self.text.observe(self._guard(self._on_text), names="value")
        self.row_picker.observe(self._guard(self._on_row), names="value")
        self.text.value = text

    def __repr__(self) -> str:
        # Stable and short: nbval compares a widget's text/plain repr with the saved one.
        if self.explanation is None:
            return "SummaryExplainer(no summary read)"
        return f"SummaryExplainer({len(self.explanation.rows)} rows)"

    def _restore(self) -> None:
        # A row that cannot be drawn shows no picture rather than the previous row's.
        self.picture.value = b""

    def _on_text(self, _change: Any = None) -> None:
        self.message.value = ""
        try:
            self.explanation = explain_summary(self.text.value)
        except ConfigError as err:
            # Text that is no summary is an answer, not a failure: say why, where the table would be.
            self.explanation = None
            self.table.value = alert_html(str(err)) if self.text.value.strip() else ""
            self.row_picker.options = []
            self._show(None)
            return
        self.table.value = self.explanation._repr_html_()
        drawable = [
            (f"{r.name} — {r.formula}", i)
            for i, r in enumerate(self.explanation.rows)
            if r.best is not None and r.best.info is not None and r.best.info.geometry is not None
        ]
        self.row_picker.options = drawable
        self.row_picker.value = drawable[0][1] if drawable else None
        if not drawable:
            self._show(None)

    def _on_row(self, _change: Any = None) -> None:
        self.message.value = ""
        self._show(self.row_picker.value)

    def _show(self, index: int | None) -> None:
        if index is None or self.explanation is None:
            self.formula.value = ""
            self.picture.value = b""
            return
        row = self.explanation.rows[index]
        info = row.best.info if row.best else None
        self.formula.value = caption_html(row.name, row.formula)
        if info is None:
            self.picture.value = b""
            return
        self.picture.value = self._picture.render(info, View.KERNEL_STACK)
