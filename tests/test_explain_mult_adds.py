"""The explainer reads torchinfo's Mult-Adds column and reconciles it with the textbook count.

The pastes ``tests/data/pasted/adv__torchinfo__mult_adds_*.txt`` are real torchinfo 1.8 output on
PyTorch 2.13 (recorded by ``python tests/test_explain_mult_adds.py``, from :data:`PASTES`; the live
test re-runs torchinfo and compares the text). The replay tests check every row against the recorded
figures and against arithmetic done by hand in the comments (the question's conv2:
10,487,232 = 24·24 positions × 63 kernels × (3·3·32 + 1)).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import require

from convwidget.html import html_explanation
from convwidget.reading.explain import explain_summary
from convwidget.reading.mult_adds import NotChecked, Verdict, check_total, torchinfo_total_text
from convwidget.reading.parse import parse_summary
from convwidget.reading.render_text import mult_adds_sentence, mult_adds_total_sentence
from convwidget.reading.results import Explanation

# Also run as a script (the recorder below): the repository root makes the `tests` package importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.oracles.cost import QUESTION, Spec

DATA = Path(__file__).parent / "data" / "pasted"
ALL_COLUMNS = ("input_size", "output_size", "num_params", "kernel_size", "mult_adds")

# name: (modules, input size (None: 9 token ids), col_names, depth)
PASTES: dict[str, tuple[list[Spec], tuple[int, ...] | None, tuple[str, ...], int]] = {
    "question": (QUESTION, (1, 1, 28, 28), ALL_COLUMNS, 3),
    "question_output_only": (QUESTION, (1, 1, 28, 28), ("output_size", "num_params", "mult_adds"), 3),
    "groups_stride_padding": (
        [
            ["Conv2d", [3, 16, 5], {"stride": 2, "padding": 2}],
            ["BatchNorm2d", [16], {}],
            ["ReLU", [], {}],
            ["Conv2d", [16, 32, 3], {"padding": 1, "groups": 4, "bias": False}],
            ["BatchNorm2d", [32], {}],
            ["ReLU", [], {}],
            ["Conv2d", [32, 32, 3], {"stride": 2, "dilation": 2, "padding": 2}],
        ],
        (1, 3, 32, 32),
        ALL_COLUMNS,
        3,
    ),
    "depthwise": (
        [
            ["Conv2d", [8, 8, 3], {"padding": 1, "groups": 8}],
            ["Conv2d", [8, 24, 1], {}],
            ["ReLU", [], {}],
            ["Conv2d", [24, 48, 3], {"groups": 24, "stride": 2}],
        ],
        (1, 8, 20, 20),
        ALL_COLUMNS,
        3,
    ),
    "transposed": (
        [
            ["ConvTranspose2d", [16, 8, 4], {"stride": 2, "padding": 1}],
            ["ReLU", [], {}],
            ["ConvTranspose2d", [8, 3, 3], {"stride": 1}],
            ["Sigmoid", [], {}],
        ],
        (1, 16, 7, 7),
        ALL_COLUMNS,
        3,
    ),
    "linear_lstm": (
        [["Embedding", [100, 16], {}], ["LSTM", [16, 32], {"batch_first": True}]],
        None,
        ALL_COLUMNS,
        3,
    ),
    "lstm_linear_norm": (
        [["Linear", [20, 12], {}], ["LayerNorm", [12], {}], ["GRU", [12, 6], {"batch_first": True}]],
        (1, 7, 20),
        ALL_COLUMNS,
        3,
    ),
    "batch4": (
        [["Conv2d", [1, 32, 3], {}], ["ReLU", [], {}], ["Flatten", [], {}], ["Linear", [21632, 10], {}]],
        (4, 1, 28, 28),
        ALL_COLUMNS,
        3,
    ),
    "singular": (
        [["Conv2d", [3, 1, 3], {}], ["Flatten", [], {}], ["Linear", [1, 1], {}]],
        (1, 3, 3, 3),
        ("input_size", "output_size", "num_params", "mult_adds"),
        3,
    ),
    "nested_depth1": (
        [
            [
                "Sequential",
                [
                    ["Conv2d", [1, 4, 3], {}],
                    ["ReLU", [], {}],
                    ["Sequential", [["Conv2d", [4, 8, 3], {}]], {}],
                ],
                {},
            ],
            ["Flatten", [], {}],
            ["Linear", [128, 10], {}],
        ],
        (1, 1, 8, 8),
        ("input_size", "output_size", "num_params", "mult_adds"),
        1,
    ),
    "reordered": (
        [
            [
                "Sequential",
                [
                    ["Conv2d", [1, 4, 3], {}],
                    ["ReLU", [], {}],
                    ["Sequential", [["Conv2d", [4, 8, 3], {}]], {}],
                ],
                {},
            ],
            ["Flatten", [], {}],
            ["Linear", [128, 10], {}],
        ],
        (1, 1, 8, 8),
        ("mult_adds", "output_size", "num_params"),
        3,
    ),
}


def _path(name: str) -> Path:
    return DATA / f"adv__torchinfo__mult_adds_{name}.txt"


def _explain(name: str) -> Explanation:
    return explain_summary(_path(name).read_text())


Figures = dict[str, tuple[int | None, int | None, int | None, str, str]]


def _figures(result: Explanation) -> Figures:
    """Per row with a figure: (printed, torchinfo 1.8's, textbook, verdict, gap)."""
    out: Figures = {}
    for r in result.rows:
        m = r.mult_adds
        assert m is not None, r.name
        if m.printed is not None:
            gap = str(m.best.gap) if m.best is not None else ""
            out[r.name] = (m.printed, m.expected, m.textbook, str(m.verdict), gap)
    return out


# --- reading the column ----------------------------------------------------------------------------------


def test_the_column_is_read_with_the_batch() -> None:
    rows = {r.name: r for r in parse_summary(_path("question").read_text()).rows}
    assert rows["Conv2d: 1-3"].mult_adds == 10_487_232
    assert rows["Conv2d: 1-3"].mult_adds_text == "10,487,232"
    assert rows["MaxPool2d: 1-5"].mult_adds is None  # '--' (its kernel cell prints 2, not read as a figure)
    assert rows["MaxPool2d: 1-5"].mult_adds_text == "--"
    assert rows["Conv2d: 1-3"].batch == 1
    assert {r.batch for r in parse_summary(_path("batch4").read_text()).rows} == {4}


def test_a_column_before_the_shapes_is_read_by_its_header() -> None:
    # col_names=("mult_adds", "output_size", "num_params"): the figure comes first.
    rows = {r.name: r for r in parse_summary(_path("reordered").read_text()).rows}
    assert rows["Conv2d: 2-1"].mult_adds == 1_440  # 6·6 positions × 4 kernels × (3·3·1 + 1)
    assert rows["Conv2d: 3-1"].mult_adds == 4_736  # 4·4 × 8 × (3·3·4 + 1) = 16·8·37
    assert rows["Conv2d: 3-1"].count == 296
    assert rows["Conv2d: 3-1"].output_shape == (8, 4, 4)


def test_a_paste_without_the_column_reads_no_figure() -> None:
    rows = parse_summary((DATA / "torchinfo__mnist.txt").read_text()).rows
    assert all(r.mult_adds is None and r.mult_adds_text == "" for r in rows)


def test_a_figure_wrapped_onto_its_own_line_is_read() -> None:
    # A hard wrap at 160 columns puts the last cell of the longest rows on a line of its own.
    lines = []
    for line in _path("question").read_text().splitlines():
        if len(line) > 160 and line.rstrip().endswith(("10,487,232", "1,161,344")):
            head, _, tail = line.rstrip().rpartition(" ")
            lines += [head.rstrip(), tail]
        else:
            lines.append(line)
    rows = {r.name: r for r in parse_summary("\n".join(lines)).rows}
    assert rows["Conv2d: 1-3"].mult_adds == 10_487_232
    assert rows["Linear: 1-8"].mult_adds == 1_161_344


def _fold(text: str, width: int) -> str:
    """``fold -s -w width`` counting characters (fold counts bytes): break after the last space that fits."""
    out = []
    for line in text.splitlines():
        while len(line) > width:
            cut = line.rfind(" ", 0, width) + 1 or width
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("width", [80, 100])
def test_a_folded_paste_keeps_its_figures(width: int) -> None:
    result = explain_summary(_fold(_path("question").read_text(), width))
    assert _figures(result) == _figures(_explain("question"))
    total = result.mult_adds_total
    assert total is not None and total.from_column and total.verdict is Verdict.MATCHES


# --- reconciling each row --------------------------------------------------------------------------------


def test_the_questions_model_row_by_row() -> None:
    result = _explain("question")
    assert _figures(result) == {
        # 26·26·32 = 21,632 output values; (3·3·1 + 1) = 10 per value with the bias, 9 without
        "Conv2d: 1-1": (216_320, 216_320, 194_688, "matches", "bias_add"),
        # 24·24·63 = 36,288 output values × 289 = 10,487,232; × 288 = 10,450,944
        "Conv2d: 1-3": (10_487_232, 10_487_232, 10_450_944, "matches", "bias_add"),
        # 128 outputs × (9072 + 1) = 1,161,344; 128 × 9072 = 1,161,216
        "Linear: 1-8": (1_161_344, 1_161_344, 1_161_216, "matches", "bias_add"),
        # 10 × 129 = 1,290; 10 × 128 = 1,280
        "Linear: 1-11": (1_290, 1_290, 1_280, "matches", "bias_add"),
    }
    assert 576 * 63 * 289 == 10_487_232 and 576 * 63 * 288 == 10_450_944
    conv2 = result.row("Conv2d: 1-3").mult_adds
    assert conv2 is not None and conv2.best is not None
    assert conv2.best.positions == (24, 24) and conv2.best.channels == 63
    assert conv2.best.per_value == (3, 3, 32)
    assert conv2.agrees is True
    # Layers without parameters print '--', as torchinfo does for them.
    relu = result.row("ReLU: 1-2").mult_adds
    assert relu is not None and relu.verdict is Verdict.MATCHES and relu.expected == 0


def test_the_brief_sentence_for_the_questions_conv2() -> None:
    row = _explain("question").row("Conv2d: 1-3")
    assert mult_adds_sentence(row) == (
        "torchinfo's Mult-Adds 10,487,232 = 24·24 positions × 63 kernels × 289: it counts the bias add "
        "(3·3·32 + 1 = 289 per output value); the textbook count, multiplies of the weights only, is "
        "10,450,944."
    )
    assert mult_adds_sentence(_explain("question").row("ReLU: 1-2")) == ""  # '--' needs no words


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "groups_stride_padding",
            {
                # 16·16 positions × 16 kernels × (5·5·3 + 1 = 76); textbook × 75
                "Conv2d: 1-1": (311_296, 311_296, 307_200, "matches", "bias_add"),
                # BatchNorm2d(16): its 32 parameters once; no multiply-adds in the textbook
                "BatchNorm2d: 1-2": (32, 32, 0, "matches", "parameters"),
                # groups=4, no bias: 16·16 × 32 × 3·3·(16/4) = 294,912 both ways
                "Conv2d: 1-4": (294_912, 294_912, 294_912, "matches", "same"),
                "BatchNorm2d: 1-5": (64, 64, 0, "matches", "parameters"),
                # stride 2, dilation 2: 8·8 × 32 × 289 = 591,872; × 288 = 589,824
                "Conv2d: 1-7": (591_872, 591_872, 589_824, "matches", "bias_add"),
            },
        ),
        (
            "depthwise",
            {
                # depthwise (groups=8): 20·20 × 8 × (3·3·1 + 1); textbook × 9
                "Conv2d: 1-1": (32_000, 32_000, 28_800, "matches", "bias_add"),
                # pointwise 1×1: 20·20 × 24 × (8 + 1); textbook × 8
                "Conv2d: 1-2": (86_400, 86_400, 76_800, "matches", "bias_add"),
                # depth multiplier 2 (groups=24, 48 out), stride 2: 9·9 × 48 × 10; textbook × 9
                "Conv2d: 1-4": (38_880, 38_880, 34_992, "matches", "bias_add"),
            },
        ),
        (
            "transposed",
            {
                # 2,056 parameters × 14·14 output positions; textbook 7·7 × 16 × 4·4·8 = 100,352
                "ConvTranspose2d: 1-1": (402_976, 402_976, 100_352, "matches", "output_positions"),
                # 219 × 16·16 = 56,064; textbook 14·14 × 8 × 3·3·3 = 42,336
                "ConvTranspose2d: 1-3": (56_064, 56_064, 42_336, "matches", "output_positions"),
            },
        ),
        (
            "linear_lstm",
            {
                # Embedding(100, 16): its 1,600 parameters once; a lookup has no multiply-adds
                "Embedding: 1-1": (1_600, 1_600, 0, "matches", "parameters"),
                # LSTM(16, 32) on 9 steps: 9 × 6,400; textbook 9 × (4·32·16 + 4·32·32) = 9 × 6,144
                "LSTM: 1-2": (57_600, 57_600, 55_296, "matches", "step_biases"),
            },
        ),
        (
            "lstm_linear_norm",
            {
                # Linear(20, 12) on 7 positions: 252 parameters once; textbook 7 × 20·12 = 1,680
                "Linear: 1-1": (252, 252, 1_680, "matches", "once"),
                "LayerNorm: 1-2": (24, 24, 0, "matches", "parameters"),
                # GRU(12, 6) on 7 steps: 7 × 360; textbook 7 × (3·6·12 + 3·6·6) = 7 × 324
                "GRU: 1-3": (2_520, 2_520, 2_268, "matches", "step_biases"),
            },
        ),
        (
            "batch4",
            {
                # a batch of 4: 4 × 26·26 × 32 × 10 = 865,280; textbook for one sample 676 × 32 × 9
                "Conv2d: 1-1": (865_280, 865_280, 194_688, "matches", "bias_add"),
                # 4 × (21632 + 1)·10 = 865,320; textbook 21632·10 = 216,320
                "Linear: 1-4": (865_320, 865_320, 216_320, "matches", "bias_add"),
            },
        ),
    ],
)
def test_recorded_figures_per_row(name: str, expected: dict[str, tuple[Any, ...]]) -> None:
    assert _figures(_explain(name)) == expected


def test_every_recorded_figure_is_torchinfos_or_honestly_not_checked() -> None:
    for name in PASTES:
        for r in _explain(name).rows:
            m = r.mult_adds
            assert m is not None, (name, r.name)
            assert m.verdict is not Verdict.DIFFERS, (name, r.name)
            if m.verdict is Verdict.NOT_CHECKED:
                assert (name, r.name, m.why_not) in {
                    ("question_output_only", "Conv2d: 1-1", NotChecked.INPUT_NOT_SHOWN),
                    ("reordered", "Conv2d: 2-1", NotChecked.INPUT_NOT_SHOWN),
                    ("nested_depth1", "Sequential: 1-1", NotChecked.COLLAPSED),
                }


def test_each_reading_of_an_ambiguous_row_is_counted() -> None:
    # Conv2d(8, 8, …) with 1,032 parameters on 16×12: 26 kernel, groups and bias readings fit. torchinfo 1.8
    # prints 1,032 × 16·12 = 198,144 for every one of them, so the column cannot narrow the list.
    row = explain_summary((DATA / "adv__torchinfo__cols_input_output_num_mult.txt").read_text()).row(
        "Conv2d: 1-2"
    )
    check = row.mult_adds
    assert check is not None and len(check.readings) == len(row.candidates) > 1
    assert {r.torchinfo for r in check.readings} == {1_032 * 16 * 12} == {198_144}
    assert check.fits == tuple(c.layer for c in row.candidates)
    assert check.verdict is Verdict.MATCHES
    # With a bias the textbook count is 16·12 × (1,032 − 8) = 196,608 whatever the kernel; without, 198,144.
    assert {r.textbook for r in check.readings} == {196_608, 198_144}
    assert mult_adds_sentence(row).endswith(
        "(The textbook count is the likeliest reading's; it differs between the readings.)"
    )


def test_a_first_row_without_its_input_is_not_checked() -> None:
    # Output Shape and Param # only: conv1's input is not shown, so no layer is built to count it.
    row = _explain("question_output_only").row("Conv2d: 1-1")
    assert row.mult_adds is not None and row.mult_adds.expected is None and row.mult_adds.agrees is None
    assert mult_adds_sentence(row) == (
        "torchinfo's Mult-Adds 216,320 is not checked: the paste does not show this layer's input, so "
        "convwidget cannot build the layer to count its cost."
    )


def test_a_collapsed_module_is_not_checked_but_the_footer_is() -> None:
    # depth=1: the inner Sequential prints 6,176 = 1,440 + 4,736, every conv inside it.
    result = _explain("nested_depth1")
    row = result.row("Sequential: 1-1")
    assert row.mult_adds is not None and row.mult_adds.why_not is NotChecked.COLLAPSED
    assert row.mult_adds.printed == 1_440 + 4_736
    total = result.mult_adds_total
    assert total is not None and total.rows_sum == 6_176 + 1_290 and total.verdict is Verdict.MATCHES


def test_singular_words() -> None:
    result = _explain("singular")
    # Conv2d(3, 1, 3) on 3×3: 1 position × 1 kernel × (3·3·3 + 1); Linear(1, 1): 1 output × (1 + 1)
    assert mult_adds_sentence(result.row("Conv2d: 1-1")).startswith(
        "torchinfo's Mult-Adds 28 = 1 position × 1 kernel × 28: it counts the bias add (3·3·3 + 1 = 28 "
    )
    assert mult_adds_sentence(result.row("Linear: 1-3")).startswith(
        "torchinfo's Mult-Adds 2 = 1 output × 2: it counts the bias add (1 + 1 = 2 per output value)"
    )


def test_sentences_of_the_other_gaps() -> None:
    words = {
        (name, r.name): mult_adds_sentence(r)
        for name in ("transposed", "lstm_linear_norm", "batch4", "groups_stride_padding")
        for r in _explain(name).rows
    }
    assert words[("transposed", "ConvTranspose2d: 1-1")] == (
        "torchinfo's Mult-Adds 402,976 = 2,056 parameters × 14·14 output positions: for a transposed "
        "convolution it multiplies every weight by the output positions, which over-counts; the textbook "
        "count, 7·7 input positions × 16 channels × 4·4·8 weights each, is 100,352."
    )
    assert words[("lstm_linear_norm", "Linear: 1-1")] == (
        "torchinfo's Mult-Adds 252 = the layer's 252 parameters, each counted once: it does not multiply "
        "by the 7 positions the layer is applied at; the textbook count is 1,680."
    )
    assert words[("lstm_linear_norm", "GRU: 1-3")].startswith(
        "torchinfo's Mult-Adds 2,520 = 7 timesteps × 360 parameters: it counts the biases at every step"
    )
    assert words[("batch4", "Conv2d: 1-1")].startswith(
        "torchinfo's Mult-Adds 865,280 = 4 samples × 26·26 positions × 32 kernels × 10:"
    )
    assert words[("batch4", "Conv2d: 1-1")].endswith("is 194,688 for one sample.")
    assert words[("groups_stride_padding", "Conv2d: 1-4")] == (
        "torchinfo's Mult-Adds 294,912 is the textbook count: the layer has no bias, so only the weights' "
        "multiplies count."
    )
    assert words[("groups_stride_padding", "BatchNorm2d: 1-2")] == (
        "torchinfo's Mult-Adds 32 = the layer's 32 parameters, each counted once: the textbook counts no "
        "multiply-adds for a normalisation layer."
    )


# --- a mangled figure is reported, never reconciled ---------------------------------------------------------


def test_a_typo_in_a_figure_is_reported_as_not_matching() -> None:
    text = _path("question").read_text().replace("10,487,232", "10,487,233")
    result = explain_summary(text)
    check = result.row("Conv2d: 1-3").mult_adds
    assert check is not None
    assert check.verdict is Verdict.DIFFERS and check.agrees is False
    assert check.printed == 10_487_233 and check.expected == 10_487_232
    sentence = mult_adds_sentence(result.row("Conv2d: 1-3"))
    assert sentence == (
        "torchinfo's Mult-Adds 10,487,233 is not what torchinfo 1.8 prints for this layer (10,487,232 = "
        "24·24 positions × 63 kernels × 289): a typo, or another version?"
    )
    assert "counts the bias" not in sentence
    # One more in 11,866,186 still rounds to 11.87: the footer cannot see it, and says only that.
    total = result.mult_adds_total
    assert total is not None and total.rows_sum == 11_866_187 and total.verdict is Verdict.MATCHES


def test_a_figure_equal_to_the_textbook_count_is_not_torchinfos() -> None:
    text = _path("question").read_text().replace("10,487,232", "10,450,944")
    result = explain_summary(text)
    assert mult_adds_sentence(result.row("Conv2d: 1-3")).endswith(
        "a typo, or another version? It equals the textbook count."
    )
    total = result.mult_adds_total
    # 11,866,186 − 36,288 = 11,829,898 → 11.83, not the printed 11.87
    assert total is not None and total.rows_sum == 11_829_898 and total.as_printed == "11.83"
    assert total.verdict is Verdict.DIFFERS
    assert mult_adds_total_sentence(result) == (
        "The Mult-Adds column adds up to 11,829,898, which torchinfo rounds to 11.83 million, but the footer "
        "says 'Total mult-adds (Units.MEGABYTES): 11.87'."
    )


def test_a_figure_for_a_layer_without_parameters_is_reported() -> None:
    lines = _path("question").read_text().splitlines()
    lines = [line[:-2] + "12" if line.startswith("├─ReLU: 1-2") else line for line in lines]
    row = explain_summary("\n".join(lines)).row("ReLU: 1-2")
    assert row.mult_adds is not None and row.mult_adds.verdict is Verdict.DIFFERS
    assert row.mult_adds.expected == 0
    assert mult_adds_sentence(row) == (
        "torchinfo's Mult-Adds 12 is not what torchinfo 1.8 prints for this layer (it prints -- for a layer "
        "without parameters): a typo, or another version?"
    )


# --- the footer -------------------------------------------------------------------------------------------


def test_the_footer_is_checked_as_torchinfo_rounds() -> None:
    result = _explain("question")
    total = result.mult_adds_total
    assert total is not None and total.from_column
    assert total.rows_sum == 11_866_186  # the figure for the question's model
    assert (total.unit, total.printed_text, total.as_printed) == ("Units.MEGABYTES", "11.87", "11.87")
    assert mult_adds_total_sentence(result) == (
        "The Mult-Adds column adds up to 11,866,186, which torchinfo rounds to 11.87 million: the footer "
        "'Total mult-adds (Units.MEGABYTES): 11.87' agrees."
    )
    for name in PASTES:
        checked = _explain(name).mult_adds_total
        assert checked is not None and checked.verdict is Verdict.MATCHES, name


def test_a_footer_typo_is_reported() -> None:
    text = (
        _path("question")
        .read_text()
        .replace("Total mult-adds (Units.MEGABYTES): 11.87", "Total mult-adds (M): 11.78")
    )
    total = explain_summary(text).mult_adds_total
    assert total is not None and total.unit == "M" and total.verdict is Verdict.DIFFERS


def test_the_footer_without_the_column_adds_up_torchinfos_figures() -> None:
    # The recorded tutorial pastes print input shapes: every row's figure is worked out.
    result = explain_summary((DATA / "adv__torchinfo__cols_input_output_num.txt").read_text())
    total = result.mult_adds_total
    assert total is not None and not total.from_column and total.verdict is Verdict.MATCHES
    assert mult_adds_total_sentence(result).startswith(
        "The rows' multiply-adds, as torchinfo 1.8 counts them, add up to"
    )
    # Without input shapes the first conv is not worked out: nothing is said about the footer.
    plain = explain_summary((DATA / "torchinfo__mnist.txt").read_text())
    assert plain.mult_adds_total is not None and plain.mult_adds_total.why_not is NotChecked.ROWS_NOT_CHECKED
    assert mult_adds_total_sentence(plain) == ""
    assert "mult-adds" not in str(plain).lower()


def test_the_footer_needs_the_printed_batch_to_add_up_figures() -> None:
    # Without the column, the rows' torchinfo figures are per batch: a row without its batch is no figure.
    text = (DATA / "adv__torchinfo__cols_input_output_num.txt").read_text()
    rows = parse_summary(text).rows
    checks = [r.mult_adds for r in explain_summary(text).rows]
    assert check_total(("M", "0.31"), checks, rows).verdict is Verdict.MATCHES
    unknown = [dataclasses.replace(r, batch=None) for r in rows]
    assert check_total(("M", "0.31"), checks, unknown).why_not is NotChecked.ROWS_NOT_CHECKED
    assert check_total(("K", "0.31"), checks, rows).why_not is NotChecked.UNKNOWN_UNIT


@pytest.mark.parametrize(
    ("total", "unit", "printed"),
    [
        (11_866_186, "M", "11.87"),
        (11_866_186, "Units.MEGABYTES", "11.87"),
        (2_796, "Units.MEGABYTES", "0.00"),
        (12_000_000, "M", "12"),  # a whole number prints without decimals
        (0, "M", "0"),
        (1_234_567_890_123, "G", "1,234.57"),
        (11_866_186, "", "11,866,186"),
    ],
)
def test_torchinfo_total_text(total: int, unit: str, printed: str) -> None:
    assert torchinfo_total_text(total, unit) == printed
    assert torchinfo_total_text(total, "K") is None


# --- where the sentences show ---------------------------------------------------------------------------


def test_text_html_and_the_widget_show_the_sentence() -> None:
    result = _explain("question")
    sentence = mult_adds_sentence(result.row("Conv2d: 1-3"))
    assert f"Conv2d: 1-3: {sentence}" in str(result)
    assert mult_adds_total_sentence(result) in str(result)
    page = html_explanation(result)
    assert "289 per output value" in page and "11.87 million" in page
    widgets = require("convwidget.widgets", "the SummaryExplainer widget needs ipywidgets")
    explainer = widgets.SummaryExplainer(_path("question").read_text())
    assert "3·3·32 + 1 = 289 per output value" in explainer.table.value


def test_keras_pastes_get_no_mult_adds() -> None:
    result = explain_summary((DATA / "keras2__seed.txt").read_text())
    assert result.mult_adds_total is None and all(r.mult_adds is None for r in result.rows)


# --- recording (torchinfo 1.8 on PyTorch 2.13) ----------------------------------------------------------


def _module(spec: Spec) -> Any:
    from torch import nn

    name, args, kwargs = spec
    if name == "Sequential":
        return nn.Sequential(*(_module(s) for s in args))
    return getattr(nn, name)(*args, **kwargs)


def _record(name: str) -> str:
    import torch
    from torchinfo import summary

    specs, size, columns, depth = PASTES[name]
    model = torch.nn.Sequential(*(_module(s) for s in specs))
    torch.manual_seed(0)
    if size is None:
        stats = summary(
            model, input_data=torch.zeros(1, 9, dtype=torch.long), col_names=columns, depth=depth, verbose=0
        )
    else:
        stats = summary(model, input_size=size, col_names=columns, depth=depth, verbose=0)
    return str(stats) + "\n"


@pytest.mark.frameworks
def test_recorded_pastes_are_torchinfos_output_live() -> None:
    torch = require("torch", "live check of the recorded torchinfo pastes")
    assert torch.__version__.startswith("2.13."), torch.__version__
    torchinfo = require("torchinfo", "live check of the recorded torchinfo pastes")
    assert torchinfo.__version__ == "1.8.0", torchinfo.__version__
    for name in PASTES:
        assert _record(name) == _path(name).read_text(), name


if __name__ == "__main__":
    for paste in sys.argv[1:] or PASTES:
        _path(paste).write_text(_record(paste))
        print(_path(paste))
