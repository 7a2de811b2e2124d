"""The paste-a-summary widget, without a browser (observers fire synchronously outside a kernel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require

require("ipywidgets", "the explain widget is built on ipywidgets")

from convwidget.widgets import SummaryExplainer  # noqa: E402

SEED = (Path(__file__).parent / "data" / "pasted" / "keras2__seed.txt").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n"


def test_pasting_the_seed_shows_the_table_and_draws_the_second_conv():
    w = SummaryExplainer()
    assert w.table.value == "" and bytes(w.picture.value) == b""
    w.text.value = SEED
    assert "(3·3·32 + 1)·63 = 18,207" in w.table.value
    assert w.row_picker.value == 1  # conv2d_2, the first row whose input shape the paste shows
    assert "18,207" in w.formula.value
    assert bytes(w.picture.value).startswith(PNG)


def test_choosing_another_row_redraws():
    w = SummaryExplainer(SEED)
    first = w.picture.value
    w.row_picker.value = 5  # dense: (9072 + 1)·128
    assert "1,161,344" in w.formula.value
    assert bytes(w.picture.value).startswith(PNG) and bytes(w.picture.value) != bytes(first)


def test_unreadable_text_shows_the_parse_error_and_clears_the_picture():
    w = SummaryExplainer(SEED)
    w.text.value = "not a summary"
    assert "Expected a model summary" in w.table.value
    assert w.row_picker.options == () and bytes(w.picture.value) == b""
    assert w.explanation is None


def test_a_row_that_cannot_be_drawn_says_why_and_shows_no_stale_picture(monkeypatch):
    from convwidget import ConfigError, drawing

    w = SummaryExplainer(SEED)

    def refused(self, info=None, **numbers):
        raise ConfigError("draw_kernels: too many kernels; draw fewer.")

    monkeypatch.setattr(drawing.KernelStackFigure, "update", refused)
    w.row_picker.value = 5  # must not raise into the notebook
    assert "⚠ draw_kernels: too many kernels; draw fewer." in w.message.value
    assert 'role="alert"' in w.message.value
    assert "1,161,344" in w.formula.value and bytes(w.picture.value) == b""
    monkeypatch.undo()
    w.row_picker.value = 1
    assert w.message.value == "" and bytes(w.picture.value).startswith(PNG)


def test_a_drawing_bug_in_the_row_menu_is_raised(monkeypatch):
    from convwidget import drawing

    w = SummaryExplainer(SEED)

    def broken(self, info=None, **numbers):
        raise ZeroDivisionError("drawing bug")

    monkeypatch.setattr(drawing.KernelStackFigure, "update", broken)
    with pytest.raises(ZeroDivisionError):
        w.row_picker.value = 5
