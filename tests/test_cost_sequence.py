"""Attention, recurrent and instance-norm layers under torchinfo, ptflops and fvcore, hand-checked.

Each figure below was recorded from the real tool (tests/data/cost_torchinfo.json, replayed in
test_cost_replay.py); here the arithmetic is written out. A tool that counts nothing of a layer gives 0
with a note saying why, never a bare 0; where the figure depends on ``batch_first``, which a LayerInfo
does not carry, a bare description is refused with both figures in the message.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import require

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
        ConfigError,
        match=r"torchinfo.*TransformerEncoderLayer.*1,560 fed sequence-first.*312 fed batch-first",
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


# -- one feed per model: the first layer decides (cost.feed_of), every row is counted under it -------------
SEQUENCE_LAYERS = ("LSTM", "GRU", "RNN", "TransformerEncoderLayer", "MultiheadAttention")


def rows_of(cid: str, convention: str) -> list[int]:
    case = BY_ID[cid]
    table = cost.table(cost_oracle.build_convwidget(case), convention, tuple(case["input_shape"]))
    return [r.mult_adds for r in table.rows]


def stated_sequence_first(case: dict[str, Any]) -> bool:
    """The rule written out from the case spec: a torch sequence layer first, with batch_first=False."""
    first = case["args"][0] if case["layer"] == "Sequential" else [case["layer"], [], case["kwargs"]]
    name, _, kwargs = first
    return name in SEQUENCE_LAYERS and not kwargs.get("batch_first", False)


def test_convwidget_decides_the_feed_by_the_stated_rule_on_every_recorded_case() -> None:
    # convwidget's one rule (cost.feed_of) against the rule written out independently here
    kinds = set()
    for case in BY_ID.values():
        first = cost_oracle.build_convwidget(case).layers[0]
        stated = stated_sequence_first(case)
        assert (cost.feed_of(first) is cost.Feed.SEQUENCE_FIRST) == stated, case["id"]
        kinds.add(stated)
    assert kinds == {True, False}  # both feeds are in the recording
    assert cost.torch_input_shape(cost.Feed.SEQUENCE_FIRST, (5, 6)) == (5, 1, 6)
    assert cost.torch_input_shape(cost.Feed.BATCH_FIRST, (5, 6)) == (1, 5, 6)


def test_the_recording_feeds_the_tensor_convwidget_counts() -> None:
    # the oracle's input tensor (what the tools were run on) is laid out as the stated rule says
    torch = require("torch", "the recorded input tensors are built with torch")
    for case in BY_ID.values():
        tensor = cost_oracle._input(case)
        assert isinstance(tensor, torch.Tensor)
        shape = tuple(case["input_shape"])
        want = (shape[0], 1, *shape[1:]) if stated_sequence_first(case) else (1, *shape)
        assert tuple(tensor.shape) == want, case["id"]


def test_issue_model_linear_encoder_linear_is_fed_batch_first() -> None:
    # Linear(4, 8) → TransformerEncoderLayer(8, 2, 16) (batch_first=False) → Linear(8, 3) on (5, 4): the
    # first layer is a Linear, so torchinfo gets (1, 5, 4) and every output_size[0] is 1:
    # 4·8 + 8 = 40, the encoder's leaves 144 + 136 + 16 + 16 = 312 once, 8·3 + 3 = 27.
    want = [4 * 8 + 8, 312, 8 * 3 + 3]
    assert want == [40, 312, 27] == BY_ID["feed-linear-encoder-linear"]["torch"]["torchinfo_rows"]
    assert rows_of("feed-linear-encoder-linear", "torchinfo") == want  # was [40, 1560, 27]: neither feed
    # the encoder with batch_first=True after the same Linear: the same figures
    assert rows_of("feed-linear-encoder-bf-linear", "torchinfo") == [40, 312, 27]
    model = cost_oracle.build_convwidget(BY_ID["feed-linear-encoder-linear"])
    text = model.summary_text(input_shape=(5, 4), columns=("mult_adds",), convention="torchinfo")
    assert "Total mult-adds (torchinfo): 379" in text  # 40 + 312 + 27


def test_misfed_encoder_reads_t_sequences_of_one_step() -> None:
    # batch_first=False fed (1, 5, 8): PyTorch sees 5 sequences of length 1. ptflops' attention hook,
    # per one-step sequence: scaling 8 + projections 3·8·8 = 192 + biases 3·8 = 24 + heads 2·(4 + 1 + 4)
    # = 18 + output 8·9 = 72 → 314, times 5 sequences = 1,570 (fed as its batch_first says: 1,930);
    # + linear1 5·144 = 720, linear2 5·136 = 680, LayerNorms 2·5·8 = 80 → 3,050;
    # the Linears 5·(4·8 + 8) = 200 and 5·(8·3 + 3) = 135
    attention = 5 * (8 + 3 * 8 * 8 + 3 * 8 + 2 * (4 + 1 + 4) + 8 * 9)
    assert attention == 5 * 314 == 1_570
    assert rows_of("feed-linear-encoder-linear", "ptflops") == [200, attention + 720 + 680 + 80, 135]
    assert 200 + 3_050 + 135 == 3_385 == BY_ID["feed-linear-encoder-linear"]["torch"]["ptflops"]
    # fvcore: the projections are the same 5 rows either way, 5·(3·64 + 64) = 1,280; + 5·128 + 5·128 +
    # 2·5·40 (LayerNorms, 5 per value) = 2,960; the Linears 5·32 = 160 and 5·24 = 120
    assert rows_of("feed-linear-encoder-linear", "fvcore") == [160, 1_280 + 640 + 640 + 400, 120]
    assert 160 + 2_960 + 120 == 3_240 == BY_ID["feed-linear-encoder-linear"]["torch"]["fvcore"]
    # textbook: projections and feed-forward 5·512 = 2,560, QKᵀ and AV over 1 key: 5·1·8 each
    assert rows_of("feed-linear-encoder-linear", "textbook") == [160, 2_560 + 40 + 40, 120]
    model = cost_oracle.build_convwidget(BY_ID["feed-linear-encoder-linear"])
    note = cost.table(model, "ptflops", (5, 4)).rows[1].note
    assert "batch_first=False but the model is fed batch-first" in note and "one step" in note


def test_misfed_multihead_attention() -> None:
    # Linear(4, 8) → MultiheadAttention(8, 2) (batch_first=False) → Linear(8, 3), fed (1, 5, 4):
    # torchinfo -- for the attention; ptflops 5·314 = 1,570 (as above); fvcore 5·(4·8·8) = 1,280
    assert rows_of("feed-linear-mha-linear", "torchinfo") == [40, 0, 27]
    assert rows_of("feed-linear-mha-linear", "ptflops") == [200, 1_570, 135]
    assert rows_of("feed-linear-mha-linear", "fvcore") == [160, 1_280, 120]
    rec = BY_ID["feed-linear-mha-linear"]["torch"]
    assert (rec["ptflops"], rec["fvcore"]) == (200 + 1_570 + 135, 160 + 1_280 + 120) == (1_905, 1_560)
    # MultiheadAttention(8, 2) → MultiheadAttention(8, 4, batch_first=True) → Linear(8, 3) on (6, 8): fed
    # (6, 1, 8); the second reads 6 one-step sequences: ptflops 6·(8 + 192 + 24 + 4·(2 + 1 + 2) + 72) =
    # 6·316 = 1,896; fvcore: its own batch_first=True takes PyTorch's fast path, which fvcore skips: 0
    assert rows_of("feed-mha-mha-bf-linear", "ptflops")[1] == 6 * 316 == 1_896
    assert rows_of("feed-mha-mha-bf-linear", "fvcore") == [6 * 256, 0, 6 * 24] == [1_536, 0, 144]
    assert rows_of("feed-mha-mha-bf-linear", "torchinfo") == [0, 0, 6 * 27] == [0, 0, 162]


def test_sequence_first_model_counts_each_linear_and_norm_t_times_under_torchinfo() -> None:
    # LSTM(6, 8) → Linear(8, 3) fed (5, 1, 6): torchinfo multiplies a Linear's parameters by
    # output_size[0] = T = 5: 5·27 = 135 (not 27); the LSTM: 5·(4·8·(6 + 8) + 2·32) = 5·512 = 2,560
    assert rows_of("feed-lstm-linear", "torchinfo") == [5 * 512, 5 * 27] == [2_560, 135]
    assert BY_ID["feed-lstm-linear"]["torch"]["torchinfo_rows"] == [2_560, 135]
    model = cost_oracle.build_convwidget(BY_ID["feed-lstm-linear"])
    row = cost.table(model, "torchinfo", (5, 6)).rows[1]
    assert row.formula.expression == "5·(8 + 1)·3"
    assert "fed sequence-first (T, 1, F)" in row.note and "output_size[0]" in row.note
    # ptflops and fvcore count a Linear per output value: the same in either layout, 5·(24 + 3), 5·24
    assert rows_of("feed-lstm-linear", "ptflops")[1] == 135
    assert rows_of("feed-lstm-linear", "fvcore") == [0, 120]
    # TransformerEncoderLayer(8, 2, 16) → Linear(8, 3) fed (5, 1, 8): 5·312 = 1,560 and 5·27 = 135
    assert rows_of("feed-encoder-linear", "torchinfo") == [1_560, 135]
    # GRU(6, 8) → LayerNorm(8) → PReLU → TransformerEncoderLayer(8, 2, 16, batch_first=True) → Dropout →
    # Linear(8, 3), fed (5, 1, 6): GRU 5·(3·8·14 + 48) = 5·384 = 1,920; LayerNorm 5·16 = 80; PReLU 5·1;
    # the encoder, misfed, still times output_size[0] = 5: 5·312 = 1,560; Dropout --; Linear 5·27
    want = [5 * 384, 5 * 16, 5 * 1, 5 * 312, 0, 5 * 27]
    assert (
        want
        == [1_920, 80, 5, 1_560, 0, 135]
        == BY_ID["feed-gru-norm-encoder-bf-linear"]["torch"]["torchinfo_rows"]
    )
    assert rows_of("feed-gru-norm-encoder-bf-linear", "torchinfo") == want


def test_misfed_recurrent_layer_costs_the_same() -> None:
    # Linear(4, 6) → LSTM(6, 8) (batch_first=False) fed (1, 5, 6): 5 sequences of one step; torchinfo
    # multiplies by output_size[0]·output_size[1] = 1·5 and ptflops by batch·steps = 5·1: the same 2,560
    # and 5·(448 + 10·8 + 64) = 2,960 as fed (5, 1, 6)
    assert rows_of("feed-linear-lstm-linear", "torchinfo") == [30, 2_560, 27]
    assert rows_of("feed-linear-lstm-linear", "ptflops") == [5 * 30, 2_960, 135]
    assert BY_ID["feed-linear-lstm-linear"]["torch"]["ptflops"] == 150 + 2_960 + 135 == 3_245


def test_a_layer_a_sequence_first_model_would_hand_another_tensor_is_refused() -> None:
    # after LSTM(batch_first=False) PyTorch hands Flatten a (5, 1, 8) tensor, not the (1, 5, 8) its
    # description means: no tool reports a figure for the model as described, under any convention
    model = nn.Sequential(nn.LSTM(6, 8), nn.Flatten(), nn.Linear(40, 3))
    for convention in Convention:
        with pytest.raises(ConfigError, match=r"row 1 \(Flatten\).*sequence-first.*batch_first=False") as err:
            cost.table(model, convention, (5, 6))
        assert "set batch_first=True on the model's first layer" in str(err.value)
        assert "(5, 1, 8)" in str(err.value) and "(1, 5, 8)" in str(err.value)
    # with batch_first=True the model is fed (1, 5, 6) and counted: 5·512, --, 40·3 + 3 = 123
    fixed = nn.Sequential(nn.LSTM(6, 8, batch_first=True), nn.Flatten(), nn.Linear(40, 3))
    assert [r.mult_adds for r in cost.table(fixed, "torchinfo", (5, 6)).rows] == [2_560, 0, 123]
    with pytest.raises(ConfigError, match=r"row 1 \(Conv1d\)"):
        cost.table(nn.Sequential(nn.LSTM(6, 8), nn.Conv1d(5, 4, 3)), "torchinfo", (5, 6))


def test_torch_call_says_when_a_layer_is_misfed() -> None:
    seq_first, batch_first = cost.Feed.SEQUENCE_FIRST, cost.Feed.BATCH_FIRST
    assert TorchCall(batch_first=False).misfed is False  # alone: fed as its own batch_first says
    assert TorchCall(batch_first=False, feed=batch_first).misfed is True
    assert TorchCall(batch_first=True, feed=seq_first).misfed is True
    assert TorchCall(batch_first=True, feed=batch_first).misfed is False
    assert TorchCall(feed=seq_first).misfed is False  # a Linear has no batch_first
    assert cost.feed_of(nn.LSTM(3, 4)) is seq_first
    assert cost.feed_of(nn.LSTM(3, 4, batch_first=True)) is batch_first
    assert cost.feed_of(nn.Linear(3, 4)) is batch_first
    assert cost.feed_of(None) is batch_first
