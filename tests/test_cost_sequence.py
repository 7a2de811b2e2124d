"""Attention, recurrent and instance-norm layers under torchinfo, ptflops and fvcore, hand-checked.

Each figure below was recorded from the real tool (tests/data/cost_torchinfo.json, replayed in
test_cost_replay.py); here the arithmetic is written out. A tool that counts nothing of a layer gives 0
with a note saying why, never a bare 0; where the figure depends on ``batch_first``, which a LayerInfo
does not carry, a bare description is refused with both figures in the message.
"""

from __future__ import annotations

import json
import re

import pytest

from convwidget import ConfigError, cost, nn
from convwidget.cost import Convention, TorchCall
from tests.oracles import cost as cost_oracle

BY_ID = {c["id"]: c for c in json.loads(cost_oracle.DATA.read_text(encoding="utf-8"))["cases"]}

# MultiheadAttention(8, 2) / TransformerEncoderLayer(8, 2, dim_feedforward=16) on T = 5, E = 8.
T, E, FF = 5, 8, 16


def figure(layer: object, convention: str, shape: tuple[int, ...]) -> int:
    return cost.mult_adds(layer, convention, shape)  # type: ignore[arg-type]


def test_torchinfo_counts_nothing_of_multihead_attention_and_says_why() -> None:
    # torchinfo's total adds leaf modules; MultiheadAttention has a child (out_proj), which it never
    # calls as a module, so no row under it has a figure: torchinfo prints --
    for batch_first in (False, True):
        row = cost.table(nn.MultiheadAttention(E, 2, batch_first=batch_first), "torchinfo", (T, E)).rows[0]
        assert row.mult_adds == 0
        assert "prints --" in row.note and "none of this layer's work is in its total" in row.note
    assert (
        BY_ID["mha"]["torch"]["torchinfo_total"] == BY_ID["mha-batch-first"]["torch"]["torchinfo_total"] == 0
    )


def test_torchinfo_encoder_layer_is_its_leaf_rows_times_the_first_output_axis() -> None:
    # leaves: linear1 8·16 + 16, linear2 16·8 + 8, norm1 and norm2 8 + 8 each = 144 + 136 + 16 + 16 = 312;
    # torchinfo multiplies a "weight"/"bias" by output_size[0]: T = 5 when batch_first=False, else 1
    leaves = (E * FF + FF) + (FF * E + E) + 2 * (E + E)
    assert leaves == 312
    seq_first = nn.TransformerEncoderLayer(E, 2, dim_feedforward=FF)
    batch_first = nn.TransformerEncoderLayer(E, 2, dim_feedforward=FF, batch_first=True)
    assert (
        figure(seq_first, "torchinfo", (T, E))
        == T * leaves
        == 1_560
        == BY_ID["transformer"]["torch"]["torchinfo_total"]
    )
    assert (
        figure(batch_first, "torchinfo", (T, E))
        == leaves
        == BY_ID["transformer-batch-first"]["torch"]["torchinfo_total"]
    )
    row = cost.table(seq_first, "torchinfo", (T, E)).rows[0]
    assert row.formula.expression == "5·(144 + 136 + 16 + 16)"
    assert "no leaf" in row.note
    # a bare description does not say batch_first: refused, with both figures and why
    with pytest.raises(
        ConfigError, match=r"torchinfo.*TransformerEncoderLayer.*1,560 with batch_first=False, 312"
    ):
        cost.layer_cost(seq_first.describe((T, E)), Convention.TORCHINFO)


def test_ptflops_encoder_layer_is_its_submodules_hooks() -> None:
    # attention hook: scaling T·E + projections 3·T·E·E + their biases 3·T·E + QKᵀ T·T·E + softmax T·T·h
    # + AV T·T·E + output T·E·(E + 1)
    attention = T * E + 3 * T * E * E + 3 * T * E + T * T * E + T * T * 2 + T * T * E + T * E * (E + 1)
    assert attention == 40 + 960 + 120 + 200 + 50 + 200 + 360 == 1_930
    assert (
        figure(nn.MultiheadAttention(E, 2), "ptflops", (T, E))
        == attention
        == BY_ID["mha"]["torch"]["ptflops"]
    )
    # + linear1 T·(8·16 + 16) + linear2 T·(16·8 + 8) + two LayerNorms, one per value: 2·T·E
    # (F.relu is a function call, not hooked)
    encoder = attention + T * (E * FF + FF) + T * (FF * E + E) + 2 * T * E
    assert encoder == 1_930 + 720 + 680 + 80 == 3_410
    for batch_first in (False, True):
        layer = nn.TransformerEncoderLayer(E, 2, dim_feedforward=FF, batch_first=batch_first)
        assert figure(layer, "ptflops", (T, E)) == encoder
        assert cost.layer_cost(layer.describe((T, E)), Convention.PTFLOPS).mult_adds == encoder
    assert (
        BY_ID["transformer"]["torch"]["ptflops"]
        == BY_ID["transformer-batch-first"]["torch"]["ptflops"]
        == 3_410
    )


def test_fvcore_attention_projections_or_nothing_on_the_fast_path() -> None:
    # the ordinary path: in_proj (3E×E) and out_proj (E×E) at every step; QKᵀ and AV run inside
    # aten::scaled_dot_product_attention, which fvcore skips
    assert figure(nn.MultiheadAttention(E, 2), "fvcore", (T, E)) == T * (3 * E * E + E * E) == 1_280
    # batch_first=True in eval under no_grad: PyTorch's fast path, one aten::_native_multi_head_attention
    fast = cost.table(nn.MultiheadAttention(E, 2, batch_first=True), "fvcore", (T, E)).rows[0]
    assert fast.mult_adds == 0 == BY_ID["mha-batch-first"]["torch"]["fvcore"]
    assert "_native_multi_head_attention" in fast.note and "0 of this layer's work is counted" in fast.note
    # the fast path needs biases and an even number of heads: 9 features in 3 heads take the ordinary path
    assert figure(nn.MultiheadAttention(9, 3, batch_first=True), "fvcore", (T, 9)) == T * 4 * 9 * 9 == 1_620
    # encoder, batch_first=True: attention 0 + linear1 T·8·16 + linear2 T·16·8 + two LayerNorms 5 per value
    encoder = nn.TransformerEncoderLayer(E, 2, dim_feedforward=FF, batch_first=True)
    assert figure(encoder, "fvcore", (T, E)) == 0 + 640 + 640 + 2 * 5 * T * E == 1_680
    assert BY_ID["transformer-batch-first"]["torch"]["fvcore"] == 1_680
    with pytest.raises(ConfigError, match=r"fvcore.*1,280 with batch_first=False.*0 with batch_first=True"):
        cost.layer_cost(nn.MultiheadAttention(E, 2).describe((T, E)), Convention.FVCORE)
    # without biases no fast path is possible, so the description alone decides
    info = nn.MultiheadAttention(E, 2, bias=False).describe((T, E))
    assert cost.layer_cost(info, Convention.FVCORE).mult_adds == 1_280


def test_fvcore_skips_whole_sequence_recurrent_operators_but_counts_cells() -> None:
    row = cost.table(nn.LSTM(10, 20), "fvcore", (7, 10)).rows[0]
    assert row.mult_adds == 0 == BY_ID["lstm"]["torch"]["fvcore"]
    assert (
        row.note == "fvcore skips aten::lstm (no handle, with a warning): 0 of this layer's work is counted"
    )
    assert "aten::lstm" in BY_ID["lstm"]["torch"]["fvcore_unsupported"]
    assert "aten::gru" in cost.table(nn.GRU(3, 4), "fvcore", (6, 3)).rows[0].note
    # a cell is two matrix products: LSTMCell(10, 20) has W_ih 80×10 and W_hh 80×20
    assert figure(nn.LSTMCell(10, 20), "fvcore", (10,)) == 80 * 10 + 80 * 20 == 2_400
    assert BY_ID["lstm-cell"]["torch"]["fvcore"] == 2_400


def test_instance_norm_under_fvcore_and_ptflops() -> None:
    # 4 channels × 5 × 6 = 120 values; fvcore: 5 per value with a learned scale, 4 without;
    # ptflops: BatchNorm's hook, 2 per value with affine=True, 1 without
    affine, plain = nn.InstanceNorm2d(4, affine=True), nn.InstanceNorm2d(4)
    assert (
        figure(affine, "fvcore", (4, 5, 6))
        == 5 * 120
        == 600
        == BY_ID["instancenorm-affine"]["torch"]["fvcore"]
    )
    assert figure(plain, "fvcore", (4, 5, 6)) == 4 * 120 == 480
    assert figure(affine, "ptflops", (4, 5, 6)) == 2 * 120 == BY_ID["instancenorm-affine"]["torch"]["ptflops"]
    assert figure(plain, "ptflops", (4, 5, 6)) == 120


def test_a_zero_always_says_why() -> None:
    # a 0 must never look like "free": every zero row of every recorded case carries its reason
    reason = re.compile(r"--|skips|not counted|does not count")
    for case in BY_ID.values():
        model = cost_oracle.build_convwidget(case)
        for convention in Convention:
            for row in cost.table(model, convention, tuple(case["input_shape"])).rows:
                if row.mult_adds == 0:
                    assert reason.search(row.note), (case["id"], convention, row.note)


def test_models_with_attention_count_each_row() -> None:
    # Linear(6, 8) → MultiheadAttention(8, 2, batch_first=True) → Linear(8, 3) on (5, 6), torchinfo:
    # 6·8 + 8 = 56 once (batch-first output, first axis 1), -- for the attention, 8·3 + 3 = 27
    case = BY_ID["attention-model"]
    model = cost_oracle.build_convwidget(case)
    table = cost.table(model, "torchinfo", (5, 6))
    assert [r.mult_adds for r in table.rows] == [56, 0, 27] == case["torch"]["torchinfo_rows"]
    text = model.summary_text(input_shape=(5, 6), columns=("mult_adds",), convention="torchinfo")
    attention_line = next(line for line in text.splitlines() if "MultiheadAttention" in line)
    assert attention_line.split()[-1] == "--"  # as torchinfo prints it
    assert "Total mult-adds (torchinfo): 83" in text


def test_torch_call_is_read_from_the_layer() -> None:
    assert (
        cost.table_of_rows(
            [
                (
                    0,
                    "a",
                    nn.MultiheadAttention(E, 2).describe((T, E)),
                    nn.MultiheadAttention(E, 2, batch_first=True),
                )
            ],
            "fvcore",
        ).total
        == 0
    )
    info = nn.MultiheadAttention(E, 2).describe((T, E))
    called = cost.layer_cost_called(info, Convention.FVCORE, TorchCall(batch_first=True, add_zero_attn=True))
    assert called.mult_adds == 1_280  # add_zero_attn rules the fast path out
