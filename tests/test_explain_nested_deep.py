"""Keras 3 models nested two and three levels deep, expanded and collapsed (issue #16 item 3).

Real pastes (``scripts/record_nested_deep_pastes.py``, KERAS_BACKEND=torch) with each printed row's
truth from the real model: its depth, whether it is a nested model, its count, and for a layer with
weights its input and convwidget's formula (checked against Keras' own count when recorded).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from convwidget import explain_summary

DATA = Path(__file__).parent / "data" / "pasted"
FILES = json.loads((DATA / "nested_deep.json").read_text(encoding="utf-8"))["files"]


def _explain(name: str):
    return explain_summary((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_row_has_its_depth_and_the_rows_add_up_once(name):
    truth, e = FILES[name], _explain(name)
    expanded = "expand_nested=True" in truth["how"]
    assert [r.name for r in e.rows] == [t["name"] for t in truth["rows"]]
    assert [r.depth for r in e.rows] == [t["depth"] for t in truth["rows"]]
    # Expanded, a nested model holds the rows below it; collapsed, it is one row the paste does not open.
    assert [r.container for r in e.rows] == [t["container"] and expanded for t in truth["rows"]]
    assert [r.params for r in e.rows if not r.container] == [
        t["params"] for t in truth["rows"] if not (t["container"] and expanded)
    ]
    assert e.rows_sum == truth["total_params"] and e.totals_ok is True


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_weighted_row_reads_its_real_input_and_puts_the_true_formula_first(name):
    truth, e = FILES[name], _explain(name)
    checked = 0
    for row, t in zip(e.rows, truth["rows"]):
        if "formula" not in t:
            continue
        checked += 1
        assert row.status in ("explained", "ambiguous"), (row.name, row.status, row.note)
        assert row.best.terms.expression == t["formula"], row.name
        if row.status == "explained":
            assert [c.terms.expression for c in row.candidates] == [t["formula"]]
        if row.input_shape is not None or row.depth > 0:
            # A nested model's first layer reads the nested model's input; every other its source's.
            assert list(row.input_shape) == t["input"], row.name
    assert checked >= 1


@pytest.mark.parametrize("name", sorted(n for n in FILES if "expand_nested=False" in FILES[n]["how"]))
def test_a_collapsed_nested_model_is_one_row_that_says_how_to_open_it(name):
    for row, t in zip(_explain(name).rows, FILES[name]["rows"]):
        if t["container"]:
            assert row.status == "unknown" and row.params == t["params"]
            assert "expand_nested=True" in row.note


@pytest.mark.parametrize("width", ["default", "80"])
def test_three_levels_first_layers_read_each_containers_input(width):
    e = _explain(f"adv__keras3__nested_deep3_expanded_{width}.txt")
    # stage > block > conv2d_1: two containers open on one input, (12, 12, 4), conv2d_3's output.
    assert [e.row(n).container for n in ("stage", "block", "unit")] == [True, True, True]
    assert e.row("conv2d_1").input_shape == (12, 12, 4)
    assert e.row("conv2d_1").formula == "(3·3·4 + 1)·6 = 222" and e.row("conv2d_1").status == "explained"
    # After unit (depth 2) closes, batch_normalization reads its output; after block, conv2d_2 reads block's.
    assert e.row("batch_normalization").input_shape == (10, 10, 6)
    assert e.row("conv2d_2").formula == "(3·5·6 + 1)·10 = 910"
    assert e.row("flatten").input_shape == (8, 3, 10)
    assert e.row("dense").formula == "(240 + 1)·3 = 723"


@pytest.mark.parametrize("name", sorted(n for n in FILES if "expand_nested=True" in FILES[n]["how"]))
def test_without_the_indents_the_counts_place_each_row(name):
    # A paste whose runs of spaces were collapsed keeps only the markers ('└ conv2d'), not how far each
    # is indented: each nested model's count is the sum of the rows inside it, which places them.
    truth = FILES[name]
    e = explain_summary(re.sub(" +", " ", (DATA / name).read_text(encoding="utf-8")))
    assert [(r.name, r.depth, r.container) for r in e.rows] == [
        (t["name"], t["depth"], t["container"]) for t in truth["rows"]
    ]
    assert e.rows_sum == truth["total_params"] and e.totals_ok is True
