"""explain_summary on real printed summaries: every conv and dense row gets the framework's true formula."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convwidget
from convwidget import ParseError, explain_summary

DATA = Path(__file__).parent / "data" / "pasted"
MANIFEST = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))["files"]
SEED = (DATA / "keras2__seed.txt").read_text(encoding="utf-8")


def leaf_rows(explanation):
    return [r for r in explanation.rows if not r.container and r.layer_type != "InputLayer"]


def cases():
    for fname, info in sorted(MANIFEST.items()):
        for index, layer in enumerate(info["layers"]):
            if layer["formula"]:
                yield pytest.param(fname, index, layer["formula"], id=f"{fname}-{layer['name']}")


@pytest.mark.parametrize(("fname", "index", "truth"), list(cases()))
def test_conv_and_dense_rows_get_the_frameworks_formula(fname, index, truth):
    # The manifest's formulas come from the framework's own weight shapes (record_pasted_summaries.py).
    explanation = explain_summary((DATA / fname).read_text(encoding="utf-8"))
    row = leaf_rows(explanation)[index]
    formulas = [c.terms.expression for c in row.candidates]
    if row.input_shape is None and explanation.format != "torch_repr":
        # The first layer's input is not printed, so e.g. 5·3·3 and 3·5·3 both fit: the truth must be listed.
        assert truth in formulas, (row, formulas)
    else:
        assert formulas[0] == truth, (row.status, formulas)


@pytest.mark.parametrize("fname", sorted(MANIFEST))
def test_rows_add_up_and_counts_match_the_framework(fname):
    explanation = explain_summary((DATA / fname).read_text(encoding="utf-8"))
    rows = leaf_rows(explanation)
    assert [r.params or 0 for r in rows] == [layer["params"] for layer in MANIFEST[fname]["layers"]]
    assert not [r for r in rows if r.status in ("mismatch", "unknown")]
    if explanation.format != "torch_repr":
        assert explanation.totals_ok is True
    assert explanation.rows_sum == MANIFEST[fname]["total_params"]


def test_seed_is_explained_with_the_answers_formula():
    e = explain_summary(SEED)
    conv2 = e.row("conv2d_2")
    assert conv2.status == "explained"
    # Hand-checked: (3·3·32 + 1)·63 = 289·63 = 18,207; 26 − 3 + 1 = 24.
    assert conv2.formula == "(3·3·32 + 1)·63 = 18,207"
    assert conv2.best.layer == "Conv2D(63, 3)"
    assert conv2.best.input_shape == (26, 26, 32) and conv2.best.output_shape == (24, 24, 63)
    assert conv2.best.shape_check == "26 − 3 + 1 = 24, 26 − 3 + 1 = 24"
    assert e.row("max_pooling2d_1").layer_type == "MaxPooling2D"
    assert e.row("max_pooling2d_1").status == "no_params"
    text = str(e)
    for formula in ("(3·3·1 + 1)·32 = 320", "(3·3·32 + 1)·63 = 18,207", "(9072 + 1)·128", "(128 + 1)·10"):
        assert formula in text
    assert "<table" in e._repr_html_() and "18,207" in e._repr_html_()


def test_a_mistyped_count_is_flagged_with_the_formula_the_shapes_imply():
    e = explain_summary(SEED.replace("18207", "18027"))
    row = e.row("conv2d_2")
    assert row.status == "mismatch" and row.printed_count == 18027
    assert row.implied is not None and row.implied.text == "(3·3·32 + 1)·63 = 18,207"
    assert "18,207" in str(e)
    # The other rows are still explained, and the totals no longer add up (by 18,207 − 18,027 = 180).
    assert e.row("dense").status == "explained"
    assert e.totals_ok is False and e.rows_sum == 1181161 - 180
    assert any("add up to the printed total" in n for n in e.notes)


def test_missing_totals_are_noted_and_rows_still_explained():
    e = explain_summary(SEED[: SEED.index("Total params")])
    assert e.totals is None and e.totals_ok is None
    assert e.row("conv2d_2").formula == "(3·3·32 + 1)·63 = 18,207"
    assert "no totals" in str(e)


def test_ascii_collapsed_wrapped_keras3_seed_is_explained():
    text = (DATA / "keras3__mnist__default.txt").read_text(encoding="utf-8")
    text = text.translate(str.maketrans({"│": "|", "┃": "|", **{c: "-" for c in "━─┏┓┗┛┡┩╇┳┻├┤┼┬┴└┘"}}))
    text = " ".join(text.split(" "))
    e = explain_summary(text)
    assert e.row("conv2d_1").formula == "(3·3·32 + 1)·63 = 18,207"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # DepthwiseConv2D(3) on 8 channels: (3·3 + 1)·8·1 = 80
        ("depthwise_conv2d", "(3·3 + 1)·8·1 = 80"),
        # DepthwiseConv2D((3, 5), depth_multiplier=2, use_bias=False) on 8 channels: 3·5·8·2 = 240
        ("depthwise_conv2d_1", "3·5·8·2 = 240"),
        # SeparableConv2D(32, 3) on 16 channels: 3·3·16·1 + (16 + 1)·32 = 144 + 544 = 688
        ("separable_conv2d", "3·3·16·1 + (16 + 1)·32 = 688"),
    ],
)
def test_depthwise_and_separable_rows(row, expected):
    e = explain_summary((DATA / "keras3__depthwise_separable__default.txt").read_text(encoding="utf-8"))
    assert expected in [c.formula for c in e.row(row).candidates]


def test_batchnorm_without_center_is_recovered():
    e = explain_summary((DATA / "keras3__batchnorm__default.txt").read_text(encoding="utf-8"))
    # 64 channels, center=False: γ, moving mean, moving variance = 3·64 = 192. scale=False gives the same
    # count, so the row is ambiguous and lists both.
    row = e.row("batch_normalization_1")
    assert row.status == "ambiguous"
    assert {"BatchNormalization(center=False)", "BatchNormalization(scale=False)"} <= {
        c.layer for c in row.candidates
    }
    assert e.row("batch_normalization").best.layer == "BatchNormalization()"


def test_unknown_layer_type_is_reported_not_dropped():
    text = SEED.replace("dense (Dense)  ", "dense (MyDense)")
    e = explain_summary(text)
    row = e.row("dense")
    assert row.status == "unknown" and "MyDense" in row.note and row.params == 1161344
    assert e.totals_ok is True


def test_torch_repr_counts_from_arguments():
    e = explain_summary((DATA / "torch_repr__nested.txt").read_text(encoding="utf-8"))
    formulas = [r.formula for r in e.rows if r.candidates]
    # groups=8: each kernel spans 8/8 = 1 channel: (3·3·1 + 1)·8 = 80
    assert "(3·3·1 + 1)·8 = 80" in formulas
    assert e.rows_sum == MANIFEST["torch_repr__nested.txt"]["total_params"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_gives_parse_error_or_an_explanation(text):
    with contextlib.suppress(ParseError):
        explain_summary(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(MANIFEST)), st.integers(0, 3000), st.text("0123456789,()N ", max_size=6))
def test_edited_counts_and_shapes_never_crash(fname, pos, insert):
    text = (DATA / fname).read_text(encoding="utf-8")
    with contextlib.suppress(ParseError):
        str(explain_summary(text[:pos] + insert + text[pos:]))


def test_random_prose_is_a_parse_error():
    with pytest.raises(ParseError, match="Expected a model summary"):
        explain_summary("I don't understand why there are 18207 parameters. Shouldn't it be 630?")


def test_a_10_mb_paste_is_explained_within_seconds():
    big = (SEED + "\n") * (10_000_000 // len(SEED))
    start = time.perf_counter()
    e = explain_summary(big)
    assert time.perf_counter() - start < 60  # generous: the point is that it returns
    assert e.rows[1].formula == "(3·3·32 + 1)·63 = 18,207"


def test_public_api():
    assert convwidget.explain_summary is explain_summary
