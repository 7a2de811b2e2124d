"""The explainer's result types are plain data: keyword-built, Status-valued, rendered elsewhere."""

from __future__ import annotations

import dataclasses

import pytest

from convwidget import ConfigError
from convwidget._counting import conv_counts
from convwidget.enums import Dialect, Status
from convwidget.html import html_explanation
from convwidget.reading.pasted import PastedTotals, PasteFormat
from convwidget.reading.render_text import explanation_cells, explanation_text, shape_text, totals_sentence
from convwidget.reading.results import Candidate, Explanation, RowExplanation, printed_total

TERMS = conv_counts((3, 3), 32, 63, 1, True).terms  # (3·3·32 + 1)·63 = 18,207


def _explanation(**changes: object) -> Explanation:
    conv = RowExplanation(
        name="conv2d_2",
        layer_type="Conv2D",
        output_shape=(24, 24, 63),
        printed_count=18207,
        candidates=(Candidate(layer="Conv2D(63, 3)", terms=TERMS, shape_check="26 − 3 + 1 = 24"),),
        status=Status.EXPLAINED,
    )
    pool = RowExplanation(name="<pool>", layer_type="MaxPooling2D", printed_count=0, status=Status.NO_PARAMS)
    base = Explanation(
        format=PasteFormat.KERAS2,
        dialect=Dialect.KERAS,
        rows=(conv, pool),
        totals=PastedTotals(total=18207, trainable=18207, non_trainable=0),
        rows_sum=18207,
        totals_ok=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_results_are_built_by_keyword_only():
    with pytest.raises(TypeError):
        Candidate("Conv2D(63, 3)", TERMS)  # type: ignore[misc]
    with pytest.raises(TypeError):
        RowExplanation("conv", "Conv2D")  # type: ignore[misc]


def test_status_members_compare_equal_to_their_words():
    e = _explanation()
    assert e.rows[0].status == "explained" and e.rows[1].status == "no_params"
    assert {str(s) for s in Status} == {"explained", "ambiguous", "mismatch", "no_params", "unknown"}


def test_the_public_row_api():
    row = _explanation().rows[0]
    assert row.best is row.candidates[0] and row.formula == "(3·3·32 + 1)·63 = 18,207"
    assert row.candidates[0].terms.total == 18207 == row.params
    empty = dataclasses.replace(row, candidates=(), printed_count=None)
    assert empty.best is None and empty.formula == "" and empty.params is None


def test_row_lookup_names_the_argument_and_the_valid_names():
    e = _explanation()
    assert e.row("conv2d_2") is e.rows[0]
    with pytest.raises(
        ConfigError, match=r"name='dense' is invalid; it must be one of the row names \(conv2d_2, <pool>\)"
    ):
        e.row("dense")
    assert len(e) == 2 and list(e) == list(e.rows)


def test_str_and_html_are_the_renderers_output():
    e = _explanation()
    assert str(e) == explanation_text(e)
    assert e._repr_html_() == html_explanation(e)
    assert e.totals_text == totals_sentence(e)


def test_the_text_table_shows_formula_shape_check_and_notes():
    e = _explanation(notes=("A note.",))
    text = str(e)
    assert "(3·3·32 + 1)·63 = 18,207   [shape: 26 − 3 + 1 = 24]" in text
    assert "no weights" in text and text.endswith("A note.")
    assert "The rows add up to 18,207, as the printed totals say." in text


def test_cells_indent_nested_rows_and_say_why_there_is_no_formula():
    e = _explanation()
    nested = dataclasses.replace(e.rows[1], depth=3)
    mismatch = dataclasses.replace(e.rows[0], status=Status.MISMATCH, candidates=(), implied=TERMS)
    cells = explanation_cells(dataclasses.replace(e, rows=(nested, mismatch)))
    assert cells[0].label == "    <pool> (MaxPooling2D)" and cells[0].params == "0"
    assert cells[1].what == "printed count fits no configuration; the shapes imply (3·3·32 + 1)·63 = 18,207"


def test_html_escapes_names_and_colours_rows_by_status():
    html = _explanation()._repr_html_()
    assert "&lt;pool&gt;" in html and "<pool>" not in html
    assert 'style="background:#e6f4ea"' in html  # explained
    assert "18,207" in html


def test_totals_sentence_in_each_case():
    assert "the paste shows no totals" in totals_sentence(_explanation(totals=None, totals_ok=None))
    wrong = _explanation(totals=PastedTotals(total=18000, trainable=18000, non_trainable=0), totals_ok=False)
    assert totals_sentence(wrong) == "The rows add up to 18,207, but the totals say 18,000."


def test_printed_total_prefers_trainable_plus_non_trainable():
    assert printed_total(PastedTotals(total=10, trainable=6, non_trainable=3)) == 9
    # Keras 3 counts the optimizer's variables in the total.
    assert printed_total(PastedTotals(total=30, optimizer=20)) == 10
    assert printed_total(PastedTotals(total=7)) == 7 and printed_total(PastedTotals()) is None


def test_shape_text_adds_the_batch_axis():
    assert shape_text((26, 26, 32)) == "(None, 26, 26, 32)" and shape_text((None, 5)) == "(None, None, 5)"
