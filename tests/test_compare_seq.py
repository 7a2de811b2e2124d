"""convwidget.compare for the sequence layers of issue #17: counterparts and differences, numbers by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convwidget import compare, nn
from convwidget import layers as L
from convwidget.info import Describable

# ----------------------------------------------------------------------------- recurrent


def test_keras_lstm_against_pytorch_counts_the_second_bias() -> None:
    c = compare.counterpart(L.LSTM(64), (100, 32))
    (module,) = c.other
    assert isinstance(module, nn.LSTM) and module.batch_first
    # Keras 4·((32 + 64)·64 + 64) = 24,832; PyTorch 4·(32·64 + 64·64 + 64 + 64) = 25,088: 4·64 more
    assert (c.info.params, c.other_params) == (24_832, 25_088)
    assert c.difference_keys() == ["recurrent_biases", "sequence_output", "weight_layout"]
    biases, output, layout = c.differences
    assert "Keras counts 24,832, PyTorch 25,088" in biases.explanation
    assert "4·64 = 256 more biases" in biases.explanation
    assert "(64,)" in output.explanation and "(100, 64)" in output.explanation
    assert "output[:, -1]" in output.explanation
    assert "kernel (32, 256), recurrent_kernel (64, 256), bias (256,)" in layout.explanation
    assert "weight_ih_l0 (256, 32), weight_hh_l0 (256, 64), bias_ih_l0 (256,), bias_hh_l0 (256,)" in (
        layout.explanation
    )
    assert "Keras holds 24,832 numbers, PyTorch 25,088." in layout.explanation


def test_keras_return_sequences_has_no_output_difference() -> None:
    c = compare.counterpart(L.SimpleRNN(5, return_sequences=True), (7, 6))
    # (6 + 5)·5 + 5 = 60 against 6·5 + 5·5 + 5 + 5 = 65
    assert (c.info.params, c.other_params) == (60, 65)
    assert "sequence_output" not in c.difference_keys()
    assert c.other_output_shape == c.info.output_shape == (7, 5)


def test_simple_rnn_activation_carries_over_or_is_refused() -> None:
    (module,) = compare.counterpart(L.SimpleRNN(5, activation="relu"), (7, 6)).other
    assert isinstance(module, nn.RNN) and module.nonlinearity == "relu"
    c = compare.counterpart(L.SimpleRNN(5, activation="sigmoid"), (7, 6))
    assert c.other == () and c.difference_keys() == ["no_counterpart"]
    assert "'tanh' or 'relu'" in c.differences[0].explanation


def test_gru_reset_after_matches_pytorch_and_reset_before_does_not() -> None:
    after = compare.counterpart(L.GRU(5, return_sequences=True), (7, 6))
    # reset_after=True: 3·((6 + 5)·5 + 2·5) = 195 = PyTorch's 3·(6·5 + 5·5 + 5 + 5)
    assert (after.info.params, after.other_params) == (195, 195)
    assert after.difference_keys() == ["gru_reset_after", "gate_order", "weight_layout"]
    assert "195 parameters each" in after.differences[0].explanation
    assert "Both hold 195 numbers" in after.differences[2].explanation
    before = compare.counterpart(L.GRU(5, reset_after=False, return_sequences=True), (7, 6))
    # reset_after=False: 3·((6 + 5)·5 + 5) = 180, PyTorch 195: 3·5 = 15 more
    assert (before.info.params, before.other_params) == (180, 195)
    assert "(180 parameters)" in before.differences[0].explanation
    assert "3·5 = 15 more" in before.differences[0].explanation
    order = before.differences[1].explanation
    assert "(z, r, h)" in order and "(r, z, n)" in order


def test_bidirectional_counts_both_directions_and_says_how_they_merge() -> None:
    c = compare.counterpart(L.Bidirectional(L.LSTM(5)), (7, 6))
    (module,) = c.other
    assert isinstance(module, nn.LSTM) and module.bidirectional
    # 2·4·((6 + 5)·5 + 5) = 480 against 2·4·(6·5 + 5·5 + 5 + 5) = 520
    assert (c.info.params, c.other_params) == (480, 520)
    assert "bidirectional_merge" not in c.difference_keys()
    assert "for each of 2 layer-directions" in c.differences[0].explanation
    # the backward direction's final state is not at the last step
    assert "h_n" in c.differences[c.difference_keys().index("sequence_output")].explanation
    summed = compare.counterpart(L.Bidirectional(L.GRU(8, return_sequences=True), merge_mode="sum"), (5, 4))
    assert isinstance(summed.other[0], nn.GRU)  # the wrapped layer names the module
    # 2·3·((4 + 8)·8 + 2·8) = 672 both ways
    assert (summed.info.params, summed.other_params) == (672, 672)
    merge = summed.differences[summed.difference_keys().index("bidirectional_merge")]
    assert "merge_mode='sum' gives (5, 8)" in merge.explanation and "16 features" in merge.explanation


def test_stacked_bidirectional_pytorch_lstm_becomes_one_keras_layer_per_level() -> None:
    c = compare.counterpart(nn.LSTM(32, 64, num_layers=2, bidirectional=True, batch_first=True), (100, 32))
    assert [type(x) for x in c.other] == [L.Bidirectional, L.Bidirectional]
    assert all(isinstance(x, L.Bidirectional) and x.layer.return_sequences for x in c.other)
    # Keras: 2·4·((32 + 64)·64 + 64) = 49,664 and 2·4·((128 + 64)·64 + 64) = 98,816
    assert [i.params for i in c.other_infos] == [49_664, 98_816]
    # PyTorch: 148,480 + 4 layer-directions · 4·64 second biases = 149,504
    assert (c.info.params, c.other_params) == (149_504, 148_480)
    assert c.other_output_shape == c.info.output_shape == (100, 128)
    assert c.difference_keys()[:2] == ["stacked_layers", "recurrent_biases"]
    assert "2 layers wrapped in Bidirectional" in c.differences[0].explanation
    assert "Keras counts 148,480, PyTorch 149,504" in c.differences[1].explanation


def test_lstm_projection_has_no_keras_counterpart() -> None:
    c = compare.counterpart(nn.LSTM(6, 5, proj_size=3), (7, 6))
    assert c.other == () and c.difference_keys() == ["lstm_projection"]
    assert "proj_size=3" in c.differences[0].explanation


def test_a_cell_is_one_step_of_the_keras_layer() -> None:
    c = compare.counterpart(nn.LSTMCell(6, 5), (6,))
    (layer,) = c.other
    assert isinstance(layer, L.LSTM)
    assert c.other_input_shape == (1, 6) and c.other_output_shape == c.info.output_shape == (5,)
    # 4·(6·5 + 5·5 + 5 + 5) = 260 against 4·((6 + 5)·5 + 5) = 240
    assert (c.info.params, c.other_params) == (260, 240)
    assert c.difference_keys()[:2] == ["sequence_output", "recurrent_biases"]
    rnn = compare.counterpart(nn.RNNCell(6, 5, nonlinearity="relu"), (6,))
    assert isinstance(rnn.other[0], L.SimpleRNN) and rnn.other[0].config["activation"] == "relu"


def test_pytorch_gru_without_bias_counts_the_same() -> None:
    c = compare.counterpart(nn.GRU(6, 5, bias=False), (7, 6))
    # 3·(6·5 + 5·5) = 165 both ways; only the gate order differs
    assert (c.info.params, c.other_params) == (165, 165)
    assert c.difference_keys() == ["gate_order", "weight_layout"]


# ----------------------------------------------------------------------------- attention


def test_attention_projections_when_heads_split_the_embedding() -> None:
    c = compare.counterpart(L.MultiHeadAttention(4, 16), (10, 64))
    (module,) = c.other
    assert isinstance(module, nn.MultiheadAttention) and (module.embed_dim, module.num_heads) == (64, 4)
    # 3·(64 + 1)·4·16 + (4·16 + 1)·64 = 16,640 = 4·(64 + 1)·64
    assert (c.info.params, c.other_params) == (16_640, 16_640)
    assert c.difference_keys() == ["attention_projections", "weight_layout"]
    text = c.differences[0].explanation
    assert "query, key and value (64, 4, 16), biases (4, 16)" in text
    assert "in_proj_weight (192, 64)" in text and "out_proj.weight (64, 64)" in text
    assert "Both hold 16,640 numbers: 4 heads of 16 = 64 features" in text


def test_attention_with_free_key_dim_has_no_pytorch_module() -> None:
    c = compare.counterpart(L.MultiHeadAttention(2, 16), (10, 64))
    assert c.other == () and c.difference_keys() == ["attention_projections"]
    assert "h·dk = 32 features" in c.differences[0].explanation and "E = 64" in c.differences[0].explanation


def test_pytorch_attention_back_to_keras_and_its_added_biases() -> None:
    c = compare.counterpart(nn.MultiheadAttention(8, 2, add_bias_kv=True), (5, 8))
    (layer,) = c.other
    assert isinstance(layer, L.MultiHeadAttention) and (layer.num_heads, layer.key_dim) == (2, 4)
    # PyTorch 4·(8 + 1)·8 + 2·8 = 304; Keras 288
    assert (c.info.params, c.other_params) == (304, 288)
    assert c.difference_keys()[:2] == ["attention_projections", "attention_bias_kv"]
    assert "2·8 = 16 parameters" in c.differences[1].explanation
    other = compare.counterpart(nn.MultiheadAttention(8, 2, kdim=6), (5, 8))
    assert other.other == () and "kdim=6" in other.differences[0].explanation


def test_transformer_encoder_layer_is_written_as_five_keras_layers() -> None:
    c = compare.counterpart(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16), (5, 8))
    assert [type(x).__name__ for x in c.other] == [
        "MultiHeadAttention",
        "LayerNormalization",
        "Dense",
        "Dense",
        "LayerNormalization",
    ]
    # attention 4·(8 + 1)·8 = 288, norms 2·16, feed-forward (8 + 1)·16 + (16 + 1)·8 = 280: 600
    assert [i.params for i in c.other_infos] == [288, 16, 144, 136, 16]
    assert (c.info.params, c.other_params) == (600, 600)
    assert c.other_output_shape == (5, 8)
    assert "together 600 parameters" in c.differences[0].explanation
    first = compare.counterpart(nn.TransformerEncoderLayer(8, 2, 16, norm_first=True), (5, 8))
    assert [type(x).__name__ for x in first.other][:2] == ["LayerNormalization", "MultiHeadAttention"]


# ----------------------------------------------------------------------------- normalization


def test_group_norm_both_ways() -> None:
    c = compare.counterpart(nn.GroupNorm(2, 6), (6, 5, 4))
    (layer,) = c.other
    assert isinstance(layer, L.GroupNormalization) and layer.groups == 2
    assert c.other_input_shape == (5, 4, 6) and (c.info.params, c.other_params) == (12, 12)
    back = compare.counterpart(L.GroupNormalization(3, center=False), (5, 4, 6))
    (module,) = back.other
    assert isinstance(module, nn.GroupNorm) and (module.num_groups, module.num_channels) == (3, 6)
    assert back.other_input_shape == (6, 5, 4)
    # Keras keeps γ only (6); PyTorch's affine keeps γ and β (12)
    assert (back.info.params, back.other_params) == (6, 12)
    assert back.difference_keys() == ["norm_affine"] and "6 more" in back.differences[0].explanation
    per_channel = compare.counterpart(L.GroupNormalization(-1), (5, 6))
    assert per_channel.other[0].num_groups == 6  # type: ignore[attr-defined]


def test_instance_norm_is_group_normalization_with_one_group_per_channel() -> None:
    c = compare.counterpart(nn.InstanceNorm2d(6, track_running_stats=True), (6, 5, 4))
    (layer,) = c.other
    assert isinstance(layer, L.GroupNormalization) and layer.groups == -1
    assert not layer.center and not layer.scale and c.other_params == 0
    assert c.difference_keys() == ["instance_norm"]
    assert "running_mean and running_var (6 each)" in c.differences[0].explanation
    affine = compare.counterpart(nn.InstanceNorm1d(6, affine=True), (6, 7))
    assert (affine.info.params, affine.other_params) == (12, 12)
    assert "track_running_stats" not in affine.differences[0].explanation


# ----------------------------------------------------------------------------- pooling and shaping


def test_global_max_pooling_both_ways() -> None:
    c = compare.counterpart(L.GlobalMaxPooling2D(), (8, 6, 3))
    assert [type(x) for x in c.other] == [nn.AdaptiveMaxPool2d, nn.Flatten]
    assert c.other_output_shape == (3,)
    back = compare.counterpart(nn.AdaptiveMaxPool2d(1), (3, 8, 6))
    (layer,) = back.other
    assert isinstance(layer, L.GlobalMaxPooling2D) and back.other_output_shape == (1, 1, 3)
    fixed = compare.counterpart(nn.AdaptiveMaxPool2d((2, 3)), (3, 8, 6))
    assert fixed.other == () and fixed.difference_keys() == ["no_counterpart"]


def test_upsampling_both_ways() -> None:
    c = compare.counterpart(L.UpSampling2D((2, 3), interpolation="bilinear"), (4, 5, 3))
    (module,) = c.other
    assert isinstance(module, nn.Upsample) and module.mode == "bilinear"
    assert c.other_output_shape == (3, 8, 15)
    one = compare.counterpart(L.UpSampling1D(3), (4, 2))
    assert one.other_output_shape == (2, 12)
    back = compare.counterpart(nn.Upsample(scale_factor=2), (3, 4, 5))
    assert isinstance(back.other[0], L.UpSampling2D) and back.other_output_shape == (8, 10, 3)
    line = compare.counterpart(nn.Upsample(scale_factor=2), (3, 4))
    assert isinstance(line.other[0], L.UpSampling1D) and line.other_output_shape == (8, 3)
    sized = compare.counterpart(nn.Upsample(size=(8, 9)), (3, 4, 5))
    assert sized.other == () and sized.difference_keys() == ["upsampling"]
    assert "size=(8, 9)" in sized.differences[0].explanation
    lanczos = compare.counterpart(L.UpSampling2D(2, interpolation="lanczos3"), (4, 5, 3))
    assert lanczos.other == () and "lanczos3" in lanczos.differences[0].explanation


def test_reshape_and_unflatten() -> None:
    c = compare.counterpart(L.Reshape((4, 3)), (12,))
    (module,) = c.other
    assert isinstance(module, nn.Unflatten) and module.dim == 1
    assert c.other_output_shape == (4, 3) and c.difference_keys() == ["reshape_axes"]
    several = compare.counterpart(L.Reshape((6, 2)), (4, 3))
    assert several.other == () and "x.reshape" in several.differences[0].explanation
    back = compare.counterpart(nn.Unflatten(1, (3, 4)), (12,))
    (layer,) = back.other
    assert isinstance(layer, L.Reshape) and back.other_output_shape == (3, 4)


def test_rescaling_has_no_pytorch_module() -> None:
    c = compare.counterpart(L.Rescaling(1 / 255), (4, 5, 3))
    assert c.other == () and c.difference_keys() == ["no_counterpart"]
    assert "PyTorch has no module for Keras' Rescaling" in c.differences[0].explanation


# ----------------------------------------------------------------------------- every new class

EVERY_NEW: list[tuple[Describable, tuple[int, ...]]] = [
    (L.SimpleRNN(5), (7, 6)),
    (L.LSTM(5, use_bias=False), (7, 6)),
    (L.GRU(5), (7, 6)),
    (L.Bidirectional(L.SimpleRNN(4, return_sequences=True), merge_mode="ave"), (7, 6)),
    (L.MultiHeadAttention(2, 4, use_bias=False), (5, 8)),
    (L.GroupNormalization(2), (5, 4, 6)),
    (L.Normalization(), (5, 6)),
    (L.UnitNormalization(), (5, 6)),
    (L.DepthwiseConv1D(3, depth_multiplier=2), (10, 3)),
    (L.SeparableConv1D(4, 3), (10, 3)),
    (L.MaxPooling1D(2, padding="same"), (9, 3)),
    (L.AveragePooling1D(2), (10, 3)),
    (L.GlobalMaxPooling1D(), (10, 3)),
    (L.GlobalAveragePooling1D(), (10, 3)),
    (L.GlobalMaxPooling2D(keepdims=True), (8, 6, 3)),
    (L.UpSampling1D(2), (4, 3)),
    (L.Reshape((2, 6)), (12,)),
    (L.Permute((2, 1)), (4, 3)),
    (L.RepeatVector(3), (4,)),
    (L.Rescaling(0.5), (4, 5, 3)),
    (L.SpatialDropout2D(0.2), (4, 5, 3)),
    (nn.RNN(6, 5, num_layers=3), (7, 6)),
    (nn.LSTM(6, 5, bias=False), (7, 6)),
    (nn.GRU(6, 5, bidirectional=True), (7, 6)),
    (nn.RNNCell(6, 5), (6,)),
    (nn.GRUCell(6, 5), (6,)),
    (nn.MultiheadAttention(8, 2, bias=False), (5, 8)),
    (nn.TransformerEncoderLayer(8, 2, 16, bias=False), (5, 8)),
    (nn.GroupNorm(3, 6, affine=False), (6, 5, 4)),
    (nn.InstanceNorm1d(6), (6, 7)),
    (nn.MaxPool1d(3, stride=2), (3, 10)),
    (nn.AvgPool1d(2, padding=1), (3, 10)),
    (nn.AdaptiveMaxPool2d(1), (3, 8, 6)),
    (nn.Upsample(scale_factor=(2, 3), mode="bicubic"), (3, 4, 5)),
    (nn.PixelShuffle(2), (8, 3, 4)),
    (nn.Dropout2d(0.2), (3, 4, 5)),
    (nn.Unflatten(1, (2, 6)), (12,)),
    (nn.PReLU(3), (3, 4, 5)),
]

# Where the counterpart's output differs on purpose (the differences say why).
_OUTPUT_DIFFERS = {"sequence_output", "bidirectional_merge"}
# The differences that say why there is no counterpart.
_WHY_NOT = {"no_counterpart", "lstm_projection", "attention_projections", "upsampling", "reshape_axes"}
_WHY_NOT |= {"pooling_options"}
# Where the counts differ on purpose.
_COUNT_DIFFERS = {"recurrent_biases", "gru_reset_after", "norm_affine", "attention_bias_kv"}


@pytest.mark.parametrize(("layer", "shape"), EVERY_NEW, ids=[type(x).__name__ for x, _ in EVERY_NEW])
def test_every_new_class_has_a_counterpart_or_says_why_not(layer: Describable, shape: tuple[int, ...]):
    c = compare.counterpart(layer, shape)
    keys = set(c.difference_keys())
    assert all(len(d.explanation) > 30 for d in c.differences)
    if not c.other:
        assert keys & _WHY_NOT
        return
    if "reshape_axes" in keys:
        # a reshape has no channel axis: both give the same shape, row-major
        assert c.other_output_shape == c.info.output_shape
    elif not keys & _OUTPUT_DIFFERS:
        # the same features at the end, each framework in its own layout
        assert c.other_infos[-1].split(c.other_output_shape) == c.info.split(c.info.output_shape)
    if not keys & _COUNT_DIFFERS:
        assert c.other_params == c.info.params


# ----------------------------------------------------------------------------- properties

_CELLS = {"rnn": (L.SimpleRNN, 1), "lstm": (L.LSTM, 4), "gru": (L.GRU, 3)}


@given(
    cell=st.sampled_from(sorted(_CELLS)),
    features=st.integers(1, 40),
    units=st.integers(1, 40),
    bias=st.booleans(),
    both_ways=st.booleans(),
)
def test_keras_recurrent_counts_differ_by_the_second_bias_only(
    cell: str, features: int, units: int, bias: bool, both_ways: bool
) -> None:
    cls, gates = _CELLS[cell]
    layer: Describable = cls(units, use_bias=bias, return_sequences=True)
    if both_ways:
        layer = L.Bidirectional(layer)
    c = compare.counterpart(layer, (5, features))
    directions = 2 if both_ways else 1
    # PyTorch's bias_hh: gates·U per direction, except for Keras' GRU, whose reset_after keeps it too
    extra = gates * units * directions if bias and cell != "gru" else 0
    assert c.other_params - c.info.params == extra
    assert c.other_output_shape == c.info.output_shape == (5, directions * units)
    # and back: the PyTorch module's counterpart is the Keras layer we started from
    (module,) = c.other
    back = compare.counterpart(module, (5, features))
    assert back.other_params == c.info.params
    assert [type(x) for x in back.other] == [type(layer)]
