"""Regressions from the live property test (:mod:`tests.test_explain_live`): each paste is a real
framework's summary of a random model that once got a false verdict, kept with its seed, its model
spec and each layer's true formula (``tests/data/pasted/live_regressions.json``). No framework needed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convwidget import explain_summary
from tests.explain_corpus import check, weighted_rows

DATA = Path(__file__).parent / "data" / "pasted"
CORPUS = json.loads((DATA / "live_regressions.json").read_text(encoding="utf-8"))["files"]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_weighted_row_of_a_once_failing_live_paste_is_true(name):
    case = CORPUS[name]
    label = f"{name} (seed {case['seed']}, model {case['model']}: {case['cause']})"
    tally = check(explain_summary((DATA / name).read_text(encoding="utf-8")), case["layers"], label)
    assert tally.rows > 0
    assert not tally.problems(), "\n".join(tally.problems())


def test_an_ambiguous_first_row_lists_every_consistent_reading_not_a_first_few():
    # SeparableConv2D(8, (4, 4), dilation_rate=2, use_bias=False) on 8 unprinted channels: 192 weights
    # fit 216 readings (channels 1 to 64, kernels, multipliers, bias); the truth ranks 83rd.
    row = weighted_rows(explain_summary((DATA / "live__keras3__seed2449711092_model70.txt").read_text()))[0]
    formulas = [c.terms.expression for c in row.candidates]
    assert row.status == "ambiguous"
    assert len(formulas) == len(set(formulas)) > 64
    assert "4·4·8·1 + 8·8" in formulas
    assert all(c.terms.total == 192 for c in row.candidates)
