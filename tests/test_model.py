"""Sequential models: building, Keras' automatic names, rows as data, errors that name the layer."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from conftest import require

from convwidget import ConfigError, Sequential, nn
from convwidget.layers import (
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Input,
    MaxPooling2D,
)
from convwidget.model import Row, layer_names


def seed_layers() -> list:
    return [
        Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)),
        Conv2D(63, (3, 3), activation="relu"),
        MaxPooling2D(pool_size=(2, 2)),
        Dropout(0.25),
        Flatten(),
        Dense(128, name="dense", activation="relu"),
        Dropout(0.5),
        Dense(10, activation="softmax"),
    ]


def test_seed_rows_as_data() -> None:
    model = Sequential(seed_layers())
    rows = model.rows
    assert all(isinstance(r, Row) for r in rows)
    assert [r.name for r in rows] == [
        "conv2d",
        "conv2d_1",
        "max_pooling2d",
        "dropout",
        "flatten",
        "dense",
        "dropout_1",
        "dense_1",  # Keras 3 would raise here ('dense' is taken); convwidget skips to the next name
    ]
    # counts worked out by hand: (3·3·1+1)·32 = 320, (3·3·32+1)·63 = 18,207, 12·12·63 = 9072,
    # (9072+1)·128 = 1,161,344, (128+1)·10 = 1,290
    assert [r.info.params for r in rows] == [320, 18207, 0, 0, 0, 1161344, 0, 1290]
    # running totals: 320, 320+18,207 = 18,527, …, 18,527+1,161,344 = 1,179,871, +1,290 = 1,181,161
    assert [r.running_total for r in rows] == [320, 18527, 18527, 18527, 18527, 1179871, 1179871, 1181161]
    assert [r.index for r in rows] == list(range(8))
    assert rows[1].source == "conv2d" and rows[0].source is None
    assert rows[4].info.output_shape == (9072,)
    assert rows[1].info.name == "conv2d_1"  # the describe result carries the model's name
    assert model.count_params() == 1181161


def test_add_and_list_build_the_same_model() -> None:
    a = Sequential(seed_layers())
    b = Sequential()
    for layer in seed_layers():
        b.add(layer)
    b.compile(loss="categorical_crossentropy", optimizer="adadelta", metrics=["accuracy"])
    assert a.rows == b.rows


def test_names_are_counted_per_model() -> None:
    first = [r.name for r in Sequential(seed_layers()).rows]
    second = [r.name for r in Sequential(seed_layers()).rows]
    assert first == second


def test_keras2_naming_numbers_from_one() -> None:
    names = layer_names(seed_layers(), "keras2")
    # exactly the names of the seed's printed summary
    assert names == [
        "conv2d_1",
        "conv2d_2",
        "max_pooling2d_1",
        "dropout_1",
        "flatten_1",
        "dense",
        "dropout_2",
        "dense_1",
    ]


def test_automatic_names_skip_taken_names() -> None:
    layers = [Dense(4, name="dense_1", input_shape=(3,)), Dense(4), Dense(4), Dense(4, name="dense_3")]
    assert layer_names(layers, "keras3") == ["dense_1", "dense", "dense_2", "dense_3"]
    assert layer_names(layers, "keras2") == ["dense_1", "dense_2", "dense_4", "dense_3"]


def test_duplicate_explicit_names_are_refused() -> None:
    layers = [Dense(4, name="head", input_shape=(3,)), Dense(4, name="head")]
    with pytest.raises(
        ConfigError, match=r"layer 1 \(Dense\): name='head' is invalid; layer 0 \(Dense\) already has it"
    ):
        Sequential(layers).rows


def test_input_layer_gives_input_shape_and_is_no_row() -> None:
    model = Sequential([Input(shape=(28, 28, 1)), Conv2D(32, 3)])
    assert [r.name for r in model.rows] == ["conv2d"]
    assert model.rows[0].info.input_shape == (28, 28, 1)


def test_input_only_first() -> None:
    model = Sequential([Conv2D(32, 3, input_shape=(28, 28, 1))])
    with pytest.raises(ConfigError, match="only be the first layer"):
        model.add(Input(shape=(3,)))
    assert len(model) == 1


def test_build_and_input_dim() -> None:
    model = Sequential([Dense(8)])
    model.build((None, 5))
    # (5 + 1)·8 = 48
    assert model.count_params() == 48
    assert Sequential([Dense(8, input_dim=5)]).count_params() == 48
    with pytest.raises(ConfigError, match="batch axis first"):
        model.build((5,))


def test_unknown_input_shape() -> None:
    with pytest.raises(ConfigError, match=r"input shape is unknown.*input_shape=\(28, 28, 1\)"):
        Sequential([Dense(8)]).rows


def test_error_names_layer_index_name_and_shape() -> None:
    model = Sequential([Conv2D(8, 3, input_shape=(28, 28, 1)), Flatten(), Conv2D(4, 3)])
    # Flatten gives (26·26·8,) = (5408,), which a Conv2D cannot take
    with pytest.raises(ConfigError) as err:
        model.rows
    msg = str(err.value)
    assert "layer 2 'conv2d_1' (Conv2D)" in msg
    assert "(5408,)" in msg
    assert "the output of layer 1 'flatten'" in msg
    assert "rank 3" in msg


def test_error_for_shrinking_too_far() -> None:
    model = Sequential([Conv2D(8, 3, input_shape=(5, 5, 1)), MaxPooling2D(), Conv2D(8, 3)])
    # 5 − 3 + 1 = 3, pooled to 1: a 3×3 kernel no longer fits
    with pytest.raises(
        ConfigError, match=r"layer 2 'conv2d_1' \(Conv2D\) cannot take the input shape \(1, 1, 8\)"
    ):
        model.rows


def test_not_a_layer() -> None:
    with pytest.raises(ConfigError, match=r"layers\[0\]"):
        Sequential(["conv"])


def test_unknown_sequential_argument() -> None:
    with pytest.raises(ConfigError, match="unknown argument"):
        Sequential(layer=[])


def test_batchnorm_totals() -> None:
    model = Sequential([Input(shape=(8, 8, 3)), Conv2D(16, 3), BatchNormalization()])
    # conv: (3·3·3 + 1)·16 = 448; BN: 4·16 = 64, of which 2·16 = 32 non-trainable
    assert model.count_params() == 512
    assert sum(r.info.non_trainable_params for r in model.rows) == 32


def test_torch_sequential() -> None:
    nn = require("convwidget.nn", "the PyTorch-style layers")
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Flatten(), nn.Linear(32 * 26 * 26, 10))
    rows = model.describe((1, 28, 28))
    assert [r.name for r in rows] == ["0", "1", "2", "3"]
    # (3·3·1 + 1)·32 = 320; 32·26·26 = 21,632 features, (21,632 + 1)·10 = 216,330
    assert [r.info.params for r in rows] == [320, 0, 0, 216330]
    assert rows[-1].running_total == 216650


def test_torch_sequential_ordered_dict_and_errors() -> None:
    nn = require("convwidget.nn", "the PyTorch-style layers")
    model = nn.Sequential(OrderedDict([("conv", nn.Conv2d(3, 8, 3)), ("fc", nn.Linear(10, 2))]))
    with pytest.raises(ConfigError) as err:
        model.describe((3, 10, 10))
    assert "layer 1 'fc' (Linear)" in str(err.value) and "(8, 8, 8)" in str(err.value)
    with pytest.raises(ConfigError, match="dialect"):
        Sequential([nn.Conv2d(3, 8, 3)])
    with pytest.raises(ConfigError, match="dialect"):
        nn.Sequential(Conv2D(8, 3))


def test_styles_and_namings_are_enums_that_accept_their_words() -> None:
    from convwidget.enums import SummaryStyle
    from convwidget.model import NAMINGS
    from convwidget.summary import STYLES

    assert STYLES == ("keras3", "keras2", "torch") and all(isinstance(s, SummaryStyle) for s in STYLES)
    assert NAMINGS == ("keras3", "keras2")
    model = Sequential([Conv2D(32, 3, input_shape=(28, 28, 1)), Dense(4)])
    for style in STYLES:
        assert model.summary_text(style) == model.summary_text(str(style))
    # keras2 numbers automatic names from _1, whether asked by word or by enum.
    assert layer_names(model.layers, SummaryStyle.KERAS2) == layer_names(model.layers, "keras2")
    assert layer_names(model.layers, "keras2") == ["conv2d_1", "dense_1"]
    with pytest.raises(ConfigError, match=r"naming='torch'.*'keras3' or 'keras2'"):
        layer_names(model.layers, "torch")


def test_framework_rows_are_layers_too() -> None:
    from convwidget.frameworks import FrameworkLayer

    # A layer convwidget does not model, as from_keras keeps it: its count is the framework's.
    odd = FrameworkLayer("keras", "MultiHeadAttention", "mha", (10, 16), (10, 16), 1088)
    model = Sequential([Input(shape=(10, 16)), odd, Dense(4)])
    assert [(r.name, r.params) for r in model.rows] == [("mha", 1088), ("dense", 68)]
    assert model.rows[1].source == "mha" and model.rows[1].layer is model.layers[2]


def test_a_model_inside_a_model_is_a_config_error_naming_the_fix() -> None:
    inner = nn.Sequential(nn.Linear(4, 3))
    with pytest.raises(ConfigError, match=r"layers\[0\].*a model inside a model.*add the inner model's"):
        nn.Sequential(inner)
    with pytest.raises(ConfigError, match="a model inside a model"):
        Sequential([Sequential([Dense(3, input_shape=(4,))])])
