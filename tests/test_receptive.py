"""Receptive fields through Sequential models: the published figures, the recursion, a property test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convwidget import ConfigError, Sequential, layers, nn, seed
from convwidget.cost import receptive_fields
from tests.oracles import cost as cost_oracle


def keras_alexnet() -> Sequential:
    # torchvision's padding=2 on the first conv is a ZeroPadding2D in Keras; the others are 'same'
    return Sequential(
        [
            layers.ZeroPadding2D(2, input_shape=(224, 224, 3)),
            layers.Conv2D(64, 11, strides=4, activation="relu"),
            layers.MaxPooling2D(3, strides=2),
            layers.Conv2D(192, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(3, strides=2),
            layers.Conv2D(384, 3, padding="same", activation="relu"),
            layers.Conv2D(256, 3, padding="same", activation="relu"),
            layers.Conv2D(256, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(3, strides=2, name="pool5"),
            layers.Flatten(),
            layers.Dense(4096),
        ]
    )


def keras_vgg16() -> Sequential:
    model = Sequential([layers.Input(shape=(224, 224, 3))])
    for block, (filters, convs) in enumerate(((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)), 1):
        for i in range(convs):
            model.add(layers.Conv2D(filters, 3, padding="same", name=f"block{block}_conv{i + 1}"))
        model.add(layers.MaxPooling2D(2, name=f"block{block}_pool"))
    return model


def torch_model(specs: list[list[object]]) -> nn.Sequential:
    case = {"id": "m", "layer": "Sequential", "args": specs, "kwargs": {}, "input_shape": []}
    return cost_oracle.build_convwidget(case)  # type: ignore[arg-type]


def test_alexnet_pool5_sees_195_in_both_dialects() -> None:
    keras = {f.name: f for f in keras_alexnet().receptive_fields()}
    assert keras["pool5"].size == (195, 195)
    assert keras["pool5"].jump == (32, 32)
    torch = torch_model(cost_oracle.ALEXNET).receptive_fields((3, 224, 224))
    pool5 = torch[12]
    assert pool5.size == (195, 195) and pool5.jump == (32, 32)
    # the padding places the field the same way in both: 2 + 2·4 + 1·16 + 1·16 + 1·16 + ... cells before
    assert pool5.start == keras["pool5"].start == (-66, -66)


def test_vgg16_last_pool_sees_212_in_both_dialects() -> None:
    keras = keras_vgg16().receptive_fields()
    assert keras[-1].name == "block5_pool"
    assert keras[-1].size == (212, 212) and keras[-1].jump == (32, 32)
    torch = torch_model(cost_oracle.VGG16).receptive_fields((3, 224, 224))
    assert torch[30].size == (212, 212)
    assert torch[30].start == keras[-1].start == (-90, -90)


def test_the_question_conv2_sees_5x5_with_the_recursion_written_out() -> None:
    model = seed.seed_model()
    fields = model.receptive_fields()
    assert len(fields) == len(model.rows)  # aligned with the rows
    assert receptive_fields(model) == fields  # the function and the method are one computation
    conv2 = fields[1]
    assert conv2.name == "conv2d_1" and conv2.size == (5, 5) and conv2.jump == (1, 1)
    assert conv2.size_formula[0].text == "3 + 2·1·1 = 5"
    assert conv2.size_formula[0].symbolic == "r + (F − 1)·d·j"
    assert conv2.jump_formula[0].symbolic == "j·s"
    pool = fields[2]
    assert pool.size == (6, 6) and pool.jump == (2, 2)
    # after Flatten, the Dense layer reads every value: the whole 28×28 input
    dense = fields[5]
    assert dense.whole_input and dense.size == (28, 28)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), k=st.integers(1, 6), d=st.integers(1, 3), extra=st.integers(0, 4))
def test_a_stride_one_stack_of_n_kxk_convs_sees_1_plus_n_times_k_minus_1(
    n: int, k: int, d: int, extra: int
) -> None:
    # the dilated form of the property: each layer adds (k − 1)·d; d = 1 is the textbook 1 + n·(k − 1)
    side = 1 + n * (k - 1) * d + extra
    model = nn.Sequential(*(nn.Conv2d(1, 1, k, dilation=d) for _ in range(n)))
    last = model.receptive_fields((1, side, side + 1))[-1]
    assert last.size == (1 + n * (k - 1) * d,) * 2
    assert last.jump == (1, 1) and last.start == (0, 0)


def test_strides_multiply_the_jump_and_padding_moves_the_start() -> None:
    # Conv(3, s2, p1) then Conv(3, s2, p1): r = 1 + 2 = 3, j = 2; r = 3 + 2·2 = 7, j = 4; start −1 − 1·2
    model = nn.Sequential(nn.Conv2d(1, 1, 3, stride=2, padding=1), nn.Conv2d(1, 1, 3, stride=2, padding=1))
    fields = model.receptive_fields((1, 16, 12))
    assert [f.size for f in fields] == [(3, 3), (7, 7)]
    assert [f.jump for f in fields] == [(2, 2), (4, 4)]
    assert [f.start for f in fields] == [(-1, -1), (-3, -3)]


def test_non_square_kernels_and_keras_same_padding_with_a_stride() -> None:
    # Keras 'same' with stride 2 on 9: out 5, padding (5 − 1)·2 + 3 − 9 = 2 in all, 1 before
    model = Sequential([layers.Conv2D(4, (3, 1), strides=2, padding="same", input_shape=(9, 8, 1))])
    field = model.receptive_fields()[0]
    assert field.size == (3, 1) and field.jump == (2, 2) and field.start == (-1, 0)


def test_global_pooling_and_recurrent_layers_see_the_whole_input() -> None:
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    fields = model.receptive_fields((3, 10, 12))
    assert [f.whole_input for f in fields] == [False, True, True, True]
    assert fields[1].size == (10, 12)
    # a Linear acts at each timestep on its own; the LSTM mixes all 9
    sequence = nn.Sequential(nn.Linear(4, 8), nn.LSTM(8, 5))
    first, lstm = sequence.receptive_fields((9, 4))
    assert first.size == (1,) and not first.whole_input
    assert lstm.size == (9,) and lstm.whole_input


def test_upsampling_layers_are_refused_with_a_reason() -> None:
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ConvTranspose2d(2, 1, 3, stride=2))
    with pytest.raises(ConfigError, match=r"transposed convolution.*fraction"):
        model.receptive_fields((1, 8, 8))


def test_torch_models_need_the_input_shape() -> None:
    with pytest.raises(ConfigError, match="input shape is unknown"):
        nn.Sequential(nn.Conv2d(1, 2, 3)).receptive_fields()
