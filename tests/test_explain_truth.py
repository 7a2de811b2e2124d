"""The explainer never teaches a falsehood (issue #16): every one-character typo of the seed's Param #
column is a mismatch naming the nearest consistent formula, or is explained by a configuration that
really gives that count on the printed shapes; regression tests for the issue's numbered cases."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from convwidget import explain_summary
from convwidget.reading import parse_summary

SEED = (Path(__file__).parent / "data" / "pasted" / "keras2__seed.txt").read_text(encoding="utf-8")
_COUNT = re.compile(r"(?m)(\)\s+)(\d+)(\s*$)")


def typos():
    """(row name, typo'd text) for every digit of every Param # cell replaced by each other digit."""
    for m in _COUNT.finditer(SEED):
        line_start = SEED.rfind("\n", 0, m.start()) + 1
        name = SEED[line_start : SEED.index(" ", line_start)]
        for i in range(len(m.group(2))):
            for digit in "0123456789":
                if digit == m.group(2)[i]:
                    continue
                at = m.start(2) + i
                yield name, SEED[:at] + digit + SEED[at + 1 :]


TYPOS = list(typos())


def test_every_digit_of_every_count_is_mistyped():
    assert len(TYPOS) == 23 * 9  # 3 + 5 + 1 + 1 + 1 + 7 + 1 + 4 digits


@pytest.mark.parametrize(("name", "text"), TYPOS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(TYPOS)])
def test_a_typo_is_never_explained_falsely(name, text):
    row = explain_summary(text).row(name)
    printed = row.printed_count
    if row.status in ("explained", "ambiguous"):
        for cand in row.candidates:
            assert cand.terms.total == printed
            if row.input_shape is not None:
                # The row's input is printed: every candidate was built on it and gives the printed shape.
                assert cand.input_shape == row.input_shape and cand.output_shape == row.output_shape, cand
    elif row.status == "mismatch":
        if row.implied is not None:
            assert row.implied.total != printed and "a typo?" in row.note
    else:
        assert row.status == "no_params" and printed == 0


@pytest.mark.parametrize(
    ("old", "new", "name", "note"),
    [
        ("18207", "18270", "conv2d_2", "18,270 is 63 more than (3·3·32 + 1)·63 = 18,207: a typo?"),
        ("18207", "18027", "conv2d_2", "18,027 is 180 less than (3·3·32 + 1)·63 = 18,207: a typo?"),
        ("1290 ", "1300 ", "dense_1", "1,300 is 10 more than (128 + 1)·10 = 1,290: a typo?"),
    ],
)
def test_the_issues_typos_are_mismatches_naming_the_implied_formula(old, new, name, note):
    row = explain_summary(SEED.replace(old, new)).row(name)
    assert row.status == "mismatch" and note in row.note and not row.candidates


def test_a_first_row_without_its_input_is_honestly_ambiguous_likeliest_first():
    row = explain_summary(SEED).row("conv2d_1")
    assert row.status == "ambiguous" and row.formula == "(3·3·1 + 1)·32 = 320"
    assert all(c.terms.total == 320 for c in row.candidates)


def test_channels_first_keras_conv_is_explained():
    # Issue item 6: Conv2D(16, 3, data_format="channels_first") on (3, 32, 20).
    text = """Model: "functional"
| Layer (type)         | Output Shape       | Param # |
|----------------------|--------------------|---------|
| image (InputLayer)   | (None, 3, 32, 20)  |       0 |
| conv2d (Conv2D)      | (None, 16, 30, 18) |     448 |
 Total params: 448
 Trainable params: 448
 Non-trainable params: 0
"""
    row = explain_summary(text).row("conv2d")
    assert row.status == "explained" and row.formula == "(3·3·3 + 1)·16 = 448"
    assert row.best.layer == "Conv2D(16, 3, data_format='channels_first')"


def test_torchinfo_linear_after_flatten_in_forward_is_read_on_the_flattened_output():
    text = """==========================================================================================
Layer (type:depth-idx)                   Output Shape              Param #
==========================================================================================
Net                                      [1, 10]                   --
├─Conv2d: 1-1                            [1, 6, 28, 28]            456
├─MaxPool2d: 1-2                         [1, 6, 14, 14]            --
├─Conv2d: 1-3                            [1, 16, 10, 10]           2,416
├─MaxPool2d: 1-4                         [1, 16, 5, 5]             --
├─Linear: 1-5                            [1, 120]                  48,120
==========================================================================================
Total params: 50,992
Trainable params: 50,992
Non-trainable params: 0
"""
    e = explain_summary(text)
    linear = e.rows[-1]
    assert linear.status == "explained" and linear.formula == "(400 + 1)·120 = 48,120"
    assert "flattened" in linear.note


def test_blank_lines_and_box_characters_after_a_summary_are_linear():
    # Issue item 9: a regex whose \\s crossed newlines made these quadratic (minutes).
    for tail in ("\n" * 50_000, "│\n" * 30_000, "\r" * 250_000):
        start = time.perf_counter()
        parse_summary(SEED + tail)
        assert time.perf_counter() - start < 20  # generous; linear takes well under a second


def test_cut_off_connected_to_entries_name_the_real_source():
    # Issue #16 item 4: 'image[0][…' and 'left_branch_convo…' are the sources, not the row above.
    rule = "+" + "-" * 34 + "+" + "-" * 20 + "+" + "-" * 9 + "+" + "-" * 20 + "+"
    rows = [
        ("image (InputLayer)", "(None, 16, 16, 3)", "0", "-"),
        ("left_branch_convolution (Conv2D)", "(None, 14, 14, 8)", "224", "image[0][0]"),
        ("right (Conv2D)", "(None, 14, 14, 4)", "112", "image[0][…"),
        ("after_left (Conv2D)", "(None, 12, 12, 2)", "146", "left_branch_convo…"),
    ]
    lines = [rule, "| Layer (type) | Output Shape | Param # | Connected to |", rule]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows] + [rule]
    lines += ["Total params: 482", "Trainable params: 482", "Non-trainable params: 0"]
    e = explain_summary("\n".join(lines))
    right, after = e.row("right"), e.row("after_left")
    assert right.input_shape == (16, 16, 3) and right.formula == "(3·3·3 + 1)·4 = 112"
    assert after.input_shape == (14, 14, 8) and after.formula == "(3·3·8 + 1)·2 = 146"
    assert right.status == after.status == "explained" and e.totals_ok is True


def test_a_connected_to_source_that_is_not_printed_leaves_the_input_unknown():
    # The row above is not the source in a branching model: nothing is inferred from it.
    rule = "+" + "-" * 30 + "+" + "-" * 20 + "+" + "-" * 9 + "+" + "-" * 16 + "+"
    lines = [rule, "| Layer (type) | Output Shape | Param # | Connected to |", rule]
    lines += [
        "| a (Conv2D) | (None, 14, 14, 8) | 224 | image[0][0] |",
        "| b (Conv2D) | (None, 12, 12, 2) | 146 | elsewhere[0][0] |",
        rule,
    ]
    row = explain_summary("\n".join(lines)).row("b")
    assert row.input_shape is None and row.status == "ambiguous"


# --- issue #16 item 10 (the diagnose() part; the widgets' part is the widgets' owner's) -------------


def test_diagnose_with_the_class_instead_of_an_instance_is_a_config_error():
    from convwidget import ConfigError, diagnose
    from convwidget.layers import Conv2D

    with pytest.raises(
        ConfigError, match=r"layer='Conv2D' is invalid; it must be a layer instance.*Fix: .*Conv2D\(\.\.\.\)"
    ):
        diagnose(630, Conv2D, (26, 26, 32))


def test_diagnose_a_5000_digit_answer_is_a_short_config_error():
    from convwidget import ConfigError, diagnose
    from convwidget.layers import Conv2D

    with pytest.raises(ConfigError, match=r"guess=.*5,000 characters.*at most 40 digits.*Fix") as info:
        diagnose("9" * 5000, Conv2D(63, 3), (26, 26, 32))
    assert len(str(info.value)) < 400


def _box(rows: list[tuple[str, str, str]], total: int) -> str:
    rule = "+" + "-" * 36 + "+" + "-" * 22 + "+" + "-" * 10 + "+"
    lines = [rule, "| Layer (type) | Output Shape | Param # |", rule]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows] + [rule]
    return "\n".join(
        [*lines, f"Total params: {total}", f"Trainable params: {total}", "Non-trainable params: 0"]
    )


def test_a_norm_row_is_checked_against_its_printed_input():
    # The row above prints 9 channels; BatchNorm2d's 16 = (1 + 1)·8 fits 8 channels only: not explained.
    text = """==========================================================================================
Layer (type:depth-idx)                   Output Shape              Param #
==========================================================================================
Sequential                               [1, 8, 6, 6]              --
├─Conv2d: 1-1                            [1, 9, 6, 6]              252
├─BatchNorm2d: 1-2                       [1, 8, 6, 6]              16
==========================================================================================
Total params: 268
Trainable params: 268
Non-trainable params: 0
"""
    row = explain_summary(text).rows[-1]
    assert row.status != "explained"


def test_keras_group_and_plain_normalization_rows():
    # GroupNormalization: γ and β per channel, (1 + 1)·8 = 16 (no moving statistics);
    # Normalization on 5 features: mean 5 + variance 5 + count 1 = 11.
    text = _box(
        [
            ("image (InputLayer)", "(None, 6, 6, 8)", "0"),
            ("group_normalization (GroupNormalization)", "(None, 6, 6, 8)", "16"),
            ("flatten (Flatten)", "(None, 288)", "0"),
            ("dense (Dense)", "(None, 5)", "1445"),
            ("normalization (Normalization)", "(None, 5)", "11"),
        ],
        1472,
    )
    e = explain_summary(text)
    assert e.row("group_normalization").status == "explained"
    assert e.row("group_normalization").best.terms.total == 16
    assert e.row("normalization").status == "explained" and e.row("normalization").best.terms.total == 11
