"""Hand-checked counts, formulas, layouts and errors of the PyTorch sequence modules (issue #17).

Each number is worked out by hand beside it; ``tests/test_seq_cases.py``
replays the same classes against what PyTorch 2.13 did.
"""

from __future__ import annotations

import pytest

from convwidget import ConfigError, kinds, nn
from convwidget.enums import Family, Layout


def test_lstm_the_issue_example_two_biases() -> None:
    info = nn.LSTM(32, 64).describe((100, 32))
    # 4 gates · (32·64 input + 64·64 recurrent + 64 bias_ih + 64 bias_hh) = 25,088
    assert info.terms.text == "4·(32·64 + 64·64 + 64 + 64) = 25,088"
    assert info.terms.symbolic == "4·(F·H + H·H + H + H)"
    assert info.output_shape == (100, 64) and info.layout is Layout.CHANNELS_LAST
    assert list(info.weights) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    assert info.terms.factor("input bias") is not None and info.terms.factor("recurrent bias") is not None
    # Keras' LSTM(64) on 32 features has one bias per gate fewer: 4·64 less
    assert info.params - 4 * 64 == 24_832


def test_batch_first_changes_no_shape_here() -> None:
    a = nn.GRU(4, 6, batch_first=True).describe((5, 4))
    b = nn.GRU(4, 6).describe((5, 4))
    assert a.output_shape == b.output_shape == (5, 6) and a.params == b.params == 3 * (24 + 36 + 12)


def test_stacked_bidirectional_projected_lstm() -> None:
    info = nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2).describe((7, 3))
    # layer 0, per direction: 4·(3·5 + 2·5 + 5 + 5) + 2·5 = 150
    # layer 1 reads 2 directions · 2 projected = 4 features: 4·(4·5 + 10 + 10) + 10 = 170
    assert info.params == 2 * 150 + 2 * 170 == 640
    assert info.output_shape == (7, 4)
    assert info.weights["weight_hr_l1_reverse"] == (2, 5) and info.weights["weight_ih_l1"] == (20, 4)
    directions, layers = info.terms.factor("directions"), info.terms.factor("layers above the first")
    assert directions is not None and directions.value == 2 and layers is not None and layers.value == 1


def test_rnn_relu_and_cells() -> None:
    assert nn.RNN(8, 16, nonlinearity="relu").describe((10, 8)).params == 8 * 16 + 16 * 16 + 32
    cell = nn.LSTMCell(3, 5).describe((3,))
    assert cell.output_shape == (5,) and list(cell.weights) == [
        "weight_ih",
        "weight_hh",
        "bias_ih",
        "bias_hh",
    ]
    assert cell.params == 4 * (15 + 25 + 10)
    assert nn.GRUCell(3, 5, bias=False).describe((3,)).params == 3 * (15 + 25)


def test_multihead_attention_packed_and_separate() -> None:
    info = nn.MultiheadAttention(6, 2).describe((7, 6))
    # Q, K, V and output: 4 · (6 + 1) · 6 = 168
    assert info.terms.text == "4·(6 + 1)·6 = 168"
    assert dict(info.weights) == {
        "in_proj_weight": (18, 6),
        "in_proj_bias": (18,),
        "out_proj.weight": (6, 6),
        "out_proj.bias": (6,),
    }
    sep = nn.MultiheadAttention(6, 2, kdim=4, vdim=3, add_bias_kv=True).describe((7, 6))
    # q 6·6, k 6·4, v 6·3, in_proj_bias 18, bias_k 6, bias_v 6, out 6·6 + 6 = 150
    assert sep.params == 36 + 24 + 18 + 18 + 12 + 42 == 150
    assert sep.weights["k_proj_weight"] == (6, 4) and sep.weights["bias_k"] == (1, 1, 6)
    assert sep.output_shape == (7, 6)


def test_transformer_encoder_layer() -> None:
    info = nn.TransformerEncoderLayer(6, 2, dim_feedforward=10).describe((7, 6))
    # attention 168, linear1 (6 + 1)·10 = 70, linear2 (10 + 1)·6 = 66, two LayerNorms 2·2·6 = 24
    assert info.params == 168 + 70 + 66 + 24 == 328
    bare = nn.TransformerEncoderLayer(8, 4, dim_feedforward=16, bias=False).describe((3, 8))
    assert bare.params == 4 * 64 + 2 * 128 + 2 * 8 and "norm1.bias" not in bare.weights


def test_norms_buffers_and_refusals() -> None:
    assert nn.GroupNorm(2, 4).describe((4, 5)).terms.text == "(1 + 1)·4 = 8"
    inst = nn.InstanceNorm1d(4, affine=True, track_running_stats=True).describe((4, 5))
    assert inst.params == 8 and inst.buffers == 9
    assert list(inst.buffer_shapes) == ["running_mean", "running_var", "num_batches_tracked"]
    assert nn.InstanceNorm2d(3).describe((3, 4, 4)).params == 0
    with pytest.raises(ConfigError, match=r"num_groups=3 is invalid; it must divide num_channels=4"):
        nn.GroupNorm(3, 4)


def test_weightless_modules_and_prelu() -> None:
    # ⌈(6 + 2 − 3)/2⌉ + 1 = 4: the last window starts at 6, inside the padded input
    assert nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True).describe((3, 6)).output_shape == (3, 4)
    assert nn.AvgPool1d(4, padding=2).describe((1, 4)).output_shape == (1, 2)  # ⌊(4 + 4 − 4)/4⌋ + 1
    assert nn.AdaptiveMaxPool2d((2, None)).describe((3, 4, 5)).output_shape == (3, 2, 5)
    assert nn.Upsample(scale_factor=2).describe((3, 4, 5)).output_shape == (3, 8, 10)
    assert nn.Upsample(scale_factor=(2.0, 1.5)).describe((3, 4, 5)).output_shape == (3, 8, 7)
    assert nn.Upsample(size=[6, 7], mode="bilinear").describe((3, 4, 5)).output_shape == (3, 6, 7)
    assert nn.PixelShuffle(2).describe((8, 3, 3)).output_shape == (2, 6, 6)
    assert nn.Dropout2d(0.3).describe((4, 5, 5)).output_shape == (4, 5, 5)
    assert nn.Unflatten(1, [2, 3]).describe((6, 5)).output_shape == (2, 3, 5)
    assert nn.Unflatten(-1, (2, -1)).describe((3, 8)).output_shape == (3, 2, 4)
    assert nn.PReLU(3).describe((3, 5, 5)).params == 3 and nn.PReLU().describe((3, 5)).params == 1


def test_refusals_name_argument_value_range_and_fix() -> None:
    with pytest.raises(
        ConfigError, match=r"num_heads=4 is invalid; embed_dim=6 must be divisible by num_heads"
    ):
        nn.MultiheadAttention(6, 4)
    with pytest.raises(
        ConfigError, match=r"proj_size=5 is invalid; it must be smaller than hidden_size=5.*Fix"
    ):
        nn.LSTM(3, 5, proj_size=5)
    with pytest.raises(ConfigError, match=r"unknown argument\(s\) proj_size"):
        nn.GRU(3, 5, proj_size=2)
    with pytest.raises(ConfigError, match=r"nonlinearity='sigmoid' is invalid; it must be 'tanh' or 'relu'"):
        nn.RNN(3, 5, nonlinearity="sigmoid")
    with pytest.raises(
        ConfigError, match=r"input_shape=\(7, 4\) is invalid; its last \(feature\) axis must be"
    ):
        nn.LSTM(3, 5).describe((7, 4))
    with pytest.raises(ConfigError, match=r"scale_factor=\[2, 3\] is invalid; .*not a list.*\(2, 3\)"):
        nn.Upsample(scale_factor=[2, 3])
    with pytest.raises(ConfigError, match=r"channels \(6\) must be divisible by upscale_factor² = 4"):
        nn.PixelShuffle(2).describe((6, 3, 3))
    with pytest.raises(
        ConfigError, match=r"num_parameters=4 is invalid; it must be 1 or the input's channels"
    ):
        nn.PReLU(4).describe((3, 5))


def test_kinds_rows() -> None:
    for name in ("RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"):
        kind = kinds.by_name(name)
        assert kind is not None and kind.family is Family.RECURRENT and kind.features_last
        assert "input_size" in kind.torch_args and "hidden_size" in kind.torch_args
    lstm = kinds.by_name("LSTM")
    assert lstm is not None and "proj_size" in lstm.torch_args
    tel = kinds.by_name("TransformerEncoderLayer")
    assert tel is not None and tel.family is Family.ATTENTION
    # torch keeps these three only in its submodules: from_torch reads them through torch_paths
    assert [name for name, _ in tel.torch_paths][:3] == ["d_model", "nhead", "dim_feedforward"]
    prelu = kinds.by_name("PReLU")
    assert prelu is not None and prelu.has_weights


def test_cross_layouts_match_the_other_frameworks_proven_weights() -> None:
    # Each side's own layout is proven against its framework by the recordings; the other layout
    # must then be what the other dialect's class (proven in turn) gives for the same layer.
    from convwidget import layers as L

    # Keras' GRU(reset_after=True) is PyTorch's GRU: same weights, same shapes
    assert dict(L.GRU(5).describe((7, 3)).torch_weights) == dict(nn.GRU(3, 5).describe((7, 3)).weights)
    assert dict(nn.GRU(3, 5).describe((7, 3)).keras_weights) == dict(L.GRU(5).describe((7, 3)).weights)
    # an LSTM matches but for PyTorch's second bias, which Keras has no place for
    keras_side = dict(nn.LSTM(3, 5).describe((7, 3)).keras_weights)
    assert keras_side.pop("recurrent_bias") == (20,)
    assert keras_side == dict(L.LSTM(5).describe((7, 3)).weights)
    # attention with num_heads·key_dim = E: the projections line up, head by head
    torch_mha = nn.MultiheadAttention(6, 2).describe((7, 6))
    keras_mha = L.MultiHeadAttention(2, 3).describe((7, 6))
    assert dict(torch_mha.keras_weights) == dict(keras_mha.weights)
    assert torch_mha.params == keras_mha.params == 4 * 7 * 6
    # bidirectional: Keras' wrapper lays its two copies out as PyTorch's bidirectional=True
    bi = L.Bidirectional(L.GRU(5)).describe((7, 3))
    assert dict(bi.torch_weights) == dict(nn.GRU(3, 5, bidirectional=True).describe((7, 3)).weights)
