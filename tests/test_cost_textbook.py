"""Textbook multiply-adds, hand-checked for every layer kind (the hand computation is in each test).

The textbook counts the products of weights with inputs that are summed into an output, for one sample;
bias adds, activations, pooling and normalisation are not counted.
"""

from __future__ import annotations

import pytest

from convwidget import ConfigError, cost, layers, nn, seed
from convwidget.cost import Convention


def textbook(layer: object, shape: tuple[int, ...]) -> int:
    return cost.mult_adds(layer, "textbook", shape)  # type: ignore[arg-type]


def test_conv_is_output_values_times_products_each() -> None:
    # the question's conv2: 24·24·63 output values, each 3·3·32 products
    assert textbook(layers.Conv2D(63, 3), (26, 26, 32)) == 24 * 24 * 63 * 3 * 3 * 32 == 10_450_944
    assert textbook(nn.Conv2d(32, 63, 3), (32, 26, 26)) == 10_450_944


def test_conv_non_square_strided_padded_grouped() -> None:
    # Conv2d(8, 12, (3, 5), stride 2, padding 1, groups 4) on 8×11×9: H' = ⌊(11 + 2 − 3)/2⌋ + 1 = 6,
    # W' = ⌊(9 + 2 − 5)/2⌋ + 1 = 4; each output value spans 3·5·(8/4) inputs
    layer = nn.Conv2d(8, 12, (3, 5), stride=2, padding=1, groups=4)
    assert layer.describe((8, 11, 9)).output_shape == (12, 6, 4)
    assert textbook(layer, (8, 11, 9)) == 6 * 4 * 12 * (3 * 5 * 2) == 8_640
    row = cost.table(layer, "textbook", (8, 11, 9)).rows[0]
    assert row.formula.expression == "6·4·12·3·5·2"
    assert row.formula.symbolic == "H'·W'·Cout·Fh·Fw·Cin/g"
    # Keras channels-first gives the same figure (the layout is read from the LayerInfo)
    keras = layers.Conv2D(12, (3, 5), strides=2, padding="same", groups=4, data_format="channels_first")
    assert textbook(keras, (8, 11, 9)) == 6 * 5 * 12 * 3 * 5 * 2


def test_conv1d_and_conv3d() -> None:
    # Conv1d(4, 6, 3) on length 10: 8 outputs · 6 channels · 3·4 products
    assert textbook(nn.Conv1d(4, 6, 3), (4, 10)) == 8 * 6 * 3 * 4
    # Conv3d(2, 4, 3, padding=1) on 5×6×7: same size out, 5·6·7·4 values · 3·3·3·2 products
    assert textbook(nn.Conv3d(2, 4, 3, padding=1), (2, 5, 6, 7)) == 5 * 6 * 7 * 4 * 27 * 2


def test_transposed_conv_counts_input_positions() -> None:
    # ConvTranspose2d(16, 8, 3, stride 2) on 7×7: each of the 7·7·16 input values meets 3·3·8 weights
    assert textbook(nn.ConvTranspose2d(16, 8, 3, stride=2), (16, 7, 7)) == 7 * 7 * 16 * 3 * 3 * 8
    # grouped: 4 groups, each input value meets 4·4·(12/4) weights
    layer = nn.ConvTranspose2d(8, 12, 4, stride=2, padding=1, groups=4)
    assert textbook(layer, (8, 5, 6)) == 5 * 6 * 8 * 4 * 4 * 3
    assert textbook(layers.Conv2DTranspose(8, 3, strides=2), (7, 7, 16)) == 7 * 7 * 16 * 3 * 3 * 8


def test_depthwise_and_separable_per_stage() -> None:
    # DepthwiseConv2D(3, depth_multiplier 2) on 10×12×8: 8·10 outputs · 8 channels · 2 · 3·3 products
    assert textbook(layers.DepthwiseConv2D(3, depth_multiplier=2), (10, 12, 8)) == 8 * 10 * 8 * 2 * 9
    # SeparableConv2D(16, 3, depth_multiplier 3) on 12×12×8: depthwise 10·10·8·3·3·3, then pointwise
    # 10·10·16·(8·3)
    table = cost.table(layers.SeparableConv2D(16, 3, depth_multiplier=3), "textbook", (12, 12, 8))
    depthwise, pointwise = 10 * 10 * 8 * 3 * 9, 10 * 10 * 16 * 24
    assert table.total == depthwise + pointwise == 21_600 + 38_400
    assert table.rows[0].formula.expression == "10·10·8·3·3·3 + 10·10·16·24"


def test_dense_positions_times_in_times_out() -> None:
    assert textbook(layers.Dense(128), (9072,)) == 9072 * 128
    # on a sequence the same weights are used at each of the 5 positions
    assert textbook(nn.Linear(16, 8), (5, 16)) == 5 * 16 * 8
    assert textbook(layers.Dense(8), (3, 5, 16)) == 3 * 5 * 16 * 8


def test_recurrent_is_timesteps_times_gate_products() -> None:
    # LSTM(10 → 20) over 7 steps: per step 4 gates · (10·20 input + 20·20 recurrent) products
    assert textbook(nn.LSTM(10, 20), (7, 10)) == 7 * 4 * (10 * 20 + 20 * 20) == 16_800
    assert textbook(layers.LSTM(20), (7, 10)) == 16_800  # Keras' one bias changes no product
    # GRU: 3 gates; SimpleRNN: 1
    assert textbook(nn.GRU(10, 20, batch_first=True), (7, 10)) == 7 * 3 * (10 * 20 + 20 * 20)
    assert textbook(layers.SimpleRNN(4), (6, 3)) == 6 * (3 * 4 + 4 * 4)
    # two layers, bidirectional: layer 2 reads 2·5 features; both directions
    per_dir = 4 * (6 * 5 + 5 * 5) + 4 * (10 * 5 + 5 * 5)
    assert textbook(nn.LSTM(6, 5, num_layers=2, bidirectional=True), (4, 6)) == 4 * 2 * per_dir
    # a projection P = 3: recurrent products 4·(3·8) and the projection 3·8
    assert textbook(nn.LSTM(6, 8, proj_size=3), (5, 6)) == 5 * (4 * 8 * 6 + 4 * 8 * 3 + 3 * 8)
    # a cell is one step
    assert textbook(nn.LSTMCell(10, 20), (10,)) == 4 * (10 * 20 + 20 * 20)


def test_attention_is_projections_plus_two_parameter_free_products() -> None:
    # MultiheadAttention(8, 2) on T = 5: 4 projections of 8·8 at 5 steps, QKᵀ 5·5·8 and AV 5·5·8
    table = cost.table(nn.MultiheadAttention(8, 2), "textbook", (5, 8))
    assert table.total == 5 * 4 * 8 * 8 + 5 * 5 * 8 + 5 * 5 * 8 == 1_680
    assert "parameter-free products QKᵀ and AV" in table.rows[0].note
    # Keras: 2 heads of key_dim 3 on 5×6: q, k, v projections 6·2·3 each, output 2·3·6; QKᵀ, AV 5·5·6
    keras = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    assert textbook(keras, (5, 6)) == 5 * (3 * 6 * 6 + 6 * 6) + 2 * 5 * 5 * 6


def test_weightless_layers_cost_nothing_and_say_why() -> None:
    for layer, shape in (
        (layers.MaxPooling2D(2), (24, 24, 63)),
        (layers.Dropout(0.5), (10,)),
        (layers.Flatten(), (4, 4, 2)),
        (nn.ReLU(), (3, 4, 4)),
        (nn.BatchNorm2d(3), (3, 4, 4)),
        (nn.Embedding(50, 8), (7,)),
    ):
        row = cost.table(layer, "textbook", shape).rows[0]  # type: ignore[arg-type]
        assert row.mult_adds == 0
        assert "not counted" in row.note


def test_bias_adds_are_not_counted_and_said_so() -> None:
    row = cost.table(nn.Conv2d(32, 63, 3), "textbook", (32, 26, 26)).rows[0]
    assert "bias add is not counted" in row.note
    assert "bias adds" in cost.INCLUDES[Convention.TEXTBOOK]


def test_the_question_model_textbook_and_shares() -> None:
    model = seed.seed_model()
    table = cost.table(model, "textbook")
    # 26·26·32·9 + 24·24·63·288 + 9072·128 + 128·10
    assert table.total == 194_688 + 10_450_944 + 1_161_216 + 1_280 == 11_808_128
    assert [r.name for r in table.rows] == [r.name for r in model.rows]  # aligned with the rows
    assert sum(r.mult_adds for r in table.rows) == table.total
    assert table.flops == 2 * table.total
    shares = dict(zip((r.name for r in table.rows), table.shares()))
    # the walkthrough's teaching point: conv2 1.5 % of the parameters but ~88 % of the cost, dense the reverse
    assert shares["conv2d_1"] == pytest.approx(0.885, abs=0.001)
    assert shares["dense"] == pytest.approx(0.098, abs=0.001)


def test_parameters_do_not_depend_on_the_input_size_the_cost_does() -> None:
    conv = layers.Conv2D(63, 3)
    small, large = conv.describe((26, 26, 32)), conv.describe((52, 52, 32))
    assert small.params == large.params == 18_207
    assert cost.mult_adds(large) / cost.mult_adds(small) == pytest.approx(50**2 / 24**2)


def test_a_convention_that_does_not_define_a_layer_names_both() -> None:
    # torchinfo's figure for an encoder layer depends on batch_first, which a bare description lacks
    info = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16).describe((5, 8))
    with pytest.raises(ConfigError, match=r"torchinfo.*TransformerEncoderLayer"):
        cost.mult_adds(info, "torchinfo")
    keras = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    with pytest.raises(ConfigError, match=r"ptflops.*MultiHeadAttention.*separate matrices"):
        cost.mult_adds(keras, "ptflops", (5, 8))


def test_bad_arguments_are_config_errors_with_a_fix() -> None:
    with pytest.raises(ConfigError, match=r"convention='flops'.*'textbook'"):
        cost.mult_adds(seed.seed_model(), "flops")
    with pytest.raises(ConfigError, match=r"input_shape.*Fix"):
        cost.mult_adds(nn.Conv2d(1, 2, 3))
    with pytest.raises(ConfigError, match="input shape is unknown"):
        cost.mult_adds(nn.Sequential(nn.Conv2d(1, 2, 3)))
    with pytest.raises(ConfigError, match="info_or_model"):
        cost.mult_adds(42)  # type: ignore[arg-type]


def test_a_layer_info_is_accepted_as_is() -> None:
    info = layers.Conv2D(63, 3).describe((26, 26, 32))
    assert cost.mult_adds(info) == 10_450_944
    assert cost.mult_adds(info, "torchinfo") == 18_207 * 24 * 24 == 10_487_232
    assert cost.layer_cost(info, Convention.TORCHINFO).formula.text == "(3·3·32 + 1)·63·24·24 = 10,487,232"
