"""The recorded adversarial corpus (issue #16; scripts/record_adversarial_pastes.py): real Keras 3 and
torchinfo pastes, each weighted row checked against the framework's own configuration.

No row is "explained" with a formula other than the truth, no "ambiguous" list misses it, no true count
is called a mismatch; hard wraps at every width keep every weighted row.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from convwidget import explain_summary
from tests.explain_corpus import check, weighted_rows

DATA = Path(__file__).parent / "data" / "pasted"
CORPUS = json.loads((DATA / "adversarial.json").read_text(encoding="utf-8"))["files"]
# A torchinfo table without an output column shows no shape: its rows are honestly "unknown".
NO_SHAPES = {
    n for n, info in CORPUS.items() if "col_names" in info["how"] and "output_size" not in info["how"]
}
STRUCTURES = {n for n, info in CORPUS.items() if not info["layers"]}  # checked by hand below


def _text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(set(CORPUS) - NO_SHAPES - STRUCTURES))
def test_every_weighted_row_is_true(name):
    tally = check(explain_summary(_text(name)), CORPUS[name]["layers"], name)
    assert tally.rows > 0
    assert not tally.problems(), "\n".join(tally.problems())


@pytest.mark.parametrize("name", sorted(NO_SHAPES))
def test_torchinfo_without_an_output_column_reads_the_count_column_and_says_unknown(name):
    e = explain_summary(_text(name))
    rows = [r for r in e.rows if not r.container]
    assert [r.printed_count for r in rows] == [t["params"] for t in CORPUS[name]["layers"]]
    assert all(r.status == "unknown" and "no output shape" in r.note for r in rows)
    assert e.totals_ok is True


@pytest.mark.parametrize(
    "name", sorted(n for n in CORPUS if "kernel_size" in CORPUS[n]["how"] and n not in NO_SHAPES)
)
def test_a_kernel_shape_column_is_not_read_as_a_row(name):
    e = explain_summary(_text(name))
    assert len([r for r in e.rows if not r.container]) == len(CORPUS[name]["layers"])


@pytest.mark.parametrize(
    "name", sorted(n for n in CORPUS if "input_size" in CORPUS[n]["how"] and n not in NO_SHAPES)
)
def test_an_input_shape_column_is_not_read_as_the_output(name):
    e = explain_summary(_text(name))
    rows = [r for r in e.rows if not r.container]
    assert rows[0].output_shape == (8, 16, 12)


def test_the_issues_cases_are_explained_truthfully():
    depthwise = explain_summary(_text("adv__keras3__depthwise_dilated.txt")).row("depthwise_conv2d")
    assert depthwise.status == "explained" and depthwise.formula == "(2·2 + 1)·8·4 = 160"
    assert "dilation_rate=2" in depthwise.best.layer and "depth_multiplier=4" in depthwise.best.layer
    strides = explain_summary(_text("adv__keras3__per_axis_strides.txt"))
    assert strides.row("conv2d").formula == "(3·1·1 + 1)·32 = 128"
    # (4·1·1)·32 without bias also gives 128 and 40 → 19 with stride 2: honestly ambiguous, the truth first.
    conv = strides.row("conv2d")
    assert conv.status == "ambiguous" and conv.best.layer == "Conv2D(32, (3, 1), strides=(2, 1))"
    assert [c.formula for c in conv.candidates] == ["(3·1·1 + 1)·32 = 128", "4·1·1·32 = 128"]
    assert strides.row("conv2d_1").formula == "(1·7·32 + 1)·32 = 7,200"
    assert strides.row("conv2d_2").formula == "(7·1·32 + 1)·32 = 7,200"
    first = explain_summary(_text("adv__keras3__channels_first.txt"))
    assert first.row("conv2d").status == "explained" and first.row("conv2d").formula == "(3·3·3 + 1)·16 = 448"
    assert "data_format='channels_first'" in first.row("conv2d").best.layer
    transpose = explain_summary(_text("adv__keras3__transpose_output_padding.txt")).row("conv2d_transpose")
    assert transpose.status == "explained" and transpose.formula == "(3·3·16 + 1)·8 = 1,160"


def test_optimizer_params_are_named_in_the_totals():
    e = explain_summary(_text("adv__keras3__trained.txt"))
    assert e.totals is not None and e.totals.optimizer and e.totals_ok is True


MANIFEST = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))["files"]
# tf.keras at line_length=60 wraps every cell inside its column; hard-wrapped again, each piece is read
# by what it is (convwidget.reading.unwrap): no paste is left out.
WRAPPED = [
    *sorted(n for n in MANIFEST if not n.startswith("torch_repr")),
    "adv__keras3__random01.txt",
    "adv__keras3__trained.txt",
    "adv__keras3__channels_first.txt",
    "adv__keras3__ll100.txt",
    "adv__torchinfo__random00.txt",
    "adv__torchinfo__random03.txt",
]


def _hard_wrap(text: str, width: int) -> str:
    """What a chat box or an e-mail does: fold each line at a space to at most ``width`` characters."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False) or [""]) for line in text.split("\n")
    )


def _truth_counts(name: str) -> list[int]:
    if name in MANIFEST:
        return [layer["params"] for layer in MANIFEST[name]["layers"]]
    return [t["params"] for t in CORPUS[name]["layers"]]


@pytest.mark.parametrize("name", WRAPPED)
def test_hard_wraps_at_every_width_keep_every_row_and_the_totals(name):
    text = (DATA / name).read_text(encoding="utf-8")
    truth = _truth_counts(name)
    lost = []
    for width in range(30, 121):
        e = explain_summary(_hard_wrap(text, width))
        rows = [r for r in e.rows if not r.container and r.layer_type != "InputLayer"]
        if [r.params or 0 for r in rows] != truth or e.totals_ok is not True:
            lost.append(width)
    assert not lost, f"rows or totals lost at widths {lost}"


@pytest.mark.parametrize("width", range(40, 141, 5))
def test_keras3_at_every_line_length_is_read(width):
    # At 40 and 50 every shape wraps inside its cell; the names and types are cut off with '…'.
    e = explain_summary(_text(f"adv__keras3__ll{width}.txt"))
    rows = weighted_rows(e)
    assert [r.formula for r in rows] == ["(3·3·16 + 1)·8 = 1,160", "(4·2·8 + 1)·4 = 260"]
    assert all(r.status == "explained" for r in rows) and e.totals_ok is True


@pytest.mark.parametrize("width", ["default", "80"])
def test_nested_keras_models_collapsed_and_expanded(width):
    collapsed = explain_summary(_text(f"adv__keras3__nested_collapsed_{width}.txt"))
    block = collapsed.row("block")
    assert block.status == "unknown" and block.params == 388 and "expand_nested=True" in block.note
    assert collapsed.totals_ok is True
    expanded = explain_summary(_text(f"adv__keras3__nested_expanded_{width}.txt"))
    assert expanded.row("block").container and expanded.totals_ok is True
    assert expanded.rows_sum == collapsed.rows_sum == 388 + 222 + 216 + 1731
    # The nested model's first layer reads the nested model's input, the second its sibling's output.
    assert expanded.row("conv2d").formula == "(3·3·3 + 1)·8 = 224"
    assert expanded.row("conv2d").input_shape == (16, 16, 3)
    assert expanded.row("conv2d_1").formula == "(1·5·8 + 1)·4 = 164"
    # Cut-off 'Connected to' entries still name the nested model as the branches' source.
    for e in (collapsed, expanded):
        branches = [r for r in e.rows if r.name.startswith(("left_branch", "right_branch"))]
        assert [r.input_shape for r in branches] == [(14, 10, 4)] * 2
        assert [r.formula for r in branches] == ["(3·3·4 + 1)·6 = 222", "3·3·4·6 = 216"]


@pytest.mark.parametrize("variant", ["", "_depth1", "_var_names"])
def test_nested_torchinfo_tables_add_up_without_counting_parents_twice(variant):
    name = f"adv__torchinfo__nested{variant}.txt"
    e = explain_summary(_text(name))
    assert e.totals_ok is True and e.rows_sum == CORPUS[name]["spec"]["total_params"] == 17690
    assert not [r for r in e.rows if r.status == "mismatch"]
    if variant == "_depth1":
        assert [r.status for r in e.rows if r.layer_type == "Sequential"] == ["unknown"]
    else:
        convs = [r for r in e.rows if r.layer_type == "Conv2d"]
        # The stem's input is not printed; the blocks' Conv2d(8, 8, 3, padding=1, bias=False) is listed.
        assert len(convs) == 4 and all(
            "3·3·8·8" in [c.terms.expression for c in r.candidates] for r in convs[1:]
        )
        assert [r.depth for r in convs] == [2, 3, 3, 3]


def test_torch_repr_folded_blocks_are_counted_once_each():
    # Issue #16 item 7: '(0-2): 3 x Block(' stands for three blocks.
    e = explain_summary(_text("adv__torch_repr__nested.txt"))
    assert e.rows_sum == 17690
    assert [r.name for r in e.rows if r.layer_type == "Block"] == ["0", "1", "2"]


def test_torch_repr_argument_folded_mid_word_keeps_its_value():
    text = _text("adv__torch_repr__nested.txt").replace("bias=False)", "bias=Fal\nse)")
    e = explain_summary(text)
    assert e.rows_sum == 17690
    assert {r.formula for r in e.rows if r.name == "in_conv"} == {"3·3·8·8 = 576"}


def test_the_pytorch_tutorial_cnn_in_torchinfo():
    e = explain_summary(_text("adv__torchinfo__tutorial.txt"))
    fc1 = e.row("Linear: 1-5")
    assert fc1.status == "explained" and fc1.formula == "(400 + 1)·120 = 48,120" and "flattened" in fc1.note
    assert e.totals_ok is True


def test_optimizer_share_is_named_even_when_hard_wrapped():
    # Issue #16 item 5: Total 140 = 46 layer weights + 94 optimizer (Adam) parameters.
    for width in (None, 40, 60):
        text = _text("adv__keras3__trained.txt")
        e = explain_summary(text if width is None else _hard_wrap(text, width))
        assert e.totals_ok is True and e.rows_sum == 46
        assert "= Trainable 46 + Non-trainable 0" in e.totals_text and "optimizer's 94" in e.totals_text


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in CORPUS
        if "kernel_size" in CORPUS[n]["how"]
        and "input_size" in CORPUS[n]["how"]
        and "output_size" in CORPUS[n]["how"]
    ),
)
def test_torchinfos_input_and_kernel_columns_are_facts(name):
    # With the input and kernel printed, 608 and 1,032 have one configuration each (without them,
    # 1·25 or 2·8 kernels with other paddings fit too).
    e = explain_summary(_text(name))
    rows = [r for r in e.rows if not r.container]
    assert [(r.status, r.formula) for r in rows] == [
        ("explained", "(5·5·3 + 1)·8 = 608"),
        ("explained", "(4·4·8 + 1)·8 = 1,032"),
    ]
    assert rows[0].input_shape == (3, 16, 12)


def test_print_model_counts_recurrent_modules_and_never_calls_attention_weightless():
    # Recurrent modules are counted from their printed arguments; a MultiheadAttention prints only its
    # out_proj, so its own input projections are "unknown" (never "no weights").
    text = """Net(
  (lstm): LSTM(8, 16, num_layers=2, batch_first=True, bidirectional=True)
  (cell): GRUCell(8, 4, bias=False)
  (att): MultiheadAttention(
    (out_proj): NonDynamicallyQuantizableLinear(in_features=32, out_features=32, bias=True)
  )
)"""
    e = explain_summary(text)
    lstm, cell, att, out_proj = (e.row(n) for n in ("lstm", "cell", "att", "out_proj"))
    # torch: 9,728 and 144 (sum(p.numel() for p in module.parameters())).
    assert lstm.status == "explained" and lstm.best.terms.total == 9728
    assert cell.status == "explained" and cell.formula == "3·(8·4 + 4·4) = 144"
    assert att.status == "unknown" and "input projections" in att.note
    assert out_proj.formula == "(32 + 1)·32 = 1,056"
    assert "unknown layer type" not in str(e)
