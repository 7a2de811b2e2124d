"""from_keras / from_torch against the real frameworks; importing convwidget never imports them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import require

from convwidget import ConfigError, from_keras, from_torch


def test_importing_convwidget_imports_no_framework():
    code = (
        "import sys, convwidget, convwidget.explain, convwidget.paste, convwidget.frameworks;"
        "heavy = ('torch', 'keras', 'tensorflow', 'matplotlib', 'ipywidgets');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return require("keras", "from_keras is compared with real Keras")


@pytest.fixture(scope="module")
def torch():
    return require("torch", "from_torch is compared with real PyTorch")


def test_from_keras_matches_keras_counts_and_keeps_unknown_layers(keras):
    L = keras.layers
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            L.Conv2D(32, 3, activation="relu"),
            L.Conv2D(63, (3, 3)),
            L.MaxPooling2D(),
            L.Rescaling(0.5),  # not modelled by convwidget: must be kept, with Keras' count
            L.Flatten(),
            L.Dense(128, use_bias=False),
            L.Dense(10),
        ]
    )
    mine = from_keras(model)
    rows = mine.rows
    assert [r.info.params for r in rows] == [int(layer.count_params()) for layer in model.layers]
    assert [r.info.output_shape for r in rows] == [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert rows[1].info.terms.text == "(3·3·32 + 1)·63 = 18,207"
    assert rows[3].info.layer_type == "Rescaling"
    assert rows[5].info.terms.expression == "9072·128"  # 12·12·63 = 9072 inputs, no bias


def test_from_torch_matches_torch_counts_and_keeps_unknown_layers(torch):
    nn = torch.nn
    module = nn.Sequential(
        nn.Conv2d(1, 32, 3),
        nn.Softsign(),  # not modelled by convwidget
        nn.Conv2d(32, 63, 3, bias=False),
        nn.BatchNorm2d(63),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(9072, 10),
    )
    mine = from_torch(module, (1, 28, 28))
    rows = mine.rows
    expected = [sum(p.numel() for p in m.parameters()) for m in module]
    assert [r.info.params for r in rows] == expected
    assert rows[1].info.layer_type == "Softsign"
    assert rows[2].info.terms.expression == "3·3·32·63"  # no bias


def test_wrong_objects_raise_config_error(torch):
    with pytest.raises(ConfigError, match="from_keras"):
        from_keras(object())
    with pytest.raises(ConfigError, match="from_torch"):
        from_torch(object(), (1, 28, 28))


def test_from_keras_keeps_activation_layers_as_convwidget_layers(keras):
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4), keras.layers.Activation("relu")])
    rows = from_keras(model).rows
    assert type(rows[1].layer).__name__ == "Activation"
    assert rows[1].layer.activation == "relu"


def test_from_keras_model_starting_with_an_unknown_layer_knows_its_input(keras):
    # the first row is a FrameworkLayer: the model still knows its input shape, (28, 28, 1)
    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.GaussianNoise(0.1), keras.layers.Flatten()]
    )
    mine = from_keras(model)
    assert type(mine.rows[0].layer).__name__ == "FrameworkLayer"
    assert mine.rows[0].info.input_shape == (28, 28, 1)
    assert mine.count_params() == 0 and mine.rows[1].info.output_shape == (784,)


def test_from_torch_keeps_modules_convwidget_counts_differently_as_they_are(torch):
    # PyTorch 2.13's BatchNorm2d(bias=False) keeps γ only: 6 parameters, not convwidget's 2·6 = 12
    module = torch.nn.Sequential(torch.nn.BatchNorm2d(6, bias=False))
    (row,) = from_torch(module, (6, 4, 4)).rows
    assert type(row.layer).__name__ == "FrameworkLayer" and row.info.params == 6
    assert row.info.kind is not None and row.info.kind.torch == "BatchNorm2d"


# --- issue #16 item 8 ---------------------------------------------------------------------------


def test_from_torch_tutorial_cnn_with_flatten_in_forward(torch):
    nn = torch.nn

    class Tutorial(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.pool, self.conv2 = nn.Conv2d(3, 6, 5), nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5)
            self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(torch.relu(self.conv1(x)))
            x = self.pool(torch.relu(self.conv2(x)))
            x = torch.flatten(x, 1)
            return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))

    model = Tutorial()
    rows = from_torch(model, (3, 32, 32)).rows  # used to raise a ConfigError advising in_features=5
    assert sum(r.info.params for r in rows) == sum(p.numel() for p in model.parameters()) == 62006
    reshape = next(r for r in rows if r.info.layer_type == "forward()")
    assert reshape.info.input_shape == (16, 5, 5) and reshape.info.output_shape == (400,)
    fc1 = next(r for r in rows if r.info.input_shape == (400,))
    assert fc1.info.terms.text == "(400 + 1)·120 = 48,120"


def test_from_torch_keeps_an_lstms_output_and_batchnorm3d_buffers(torch):
    nn = torch.nn

    class Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(8, 16, batch_first=True)
            self.head = nn.Linear(16, 2)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out)

    rows = from_torch(Seq(), (5, 8)).rows
    assert [r.info.output_shape for r in rows] == [(5, 16), (5, 2)]
    rows = from_torch(nn.Sequential(nn.BatchNorm3d(4)), (4, 3, 3, 3)).rows
    assert rows[0].info.buffers == sum(b.numel() for b in nn.BatchNorm3d(4).buffers()) == 9


def test_from_torch_wrong_or_huge_input_shapes_are_config_errors(torch):
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3))
    with pytest.raises(ConfigError, match=r"input_shape.*forward\(\) refused.*Fix"):
        from_torch(model, (1, 28, 28))
    with pytest.raises(ConfigError, match=r"input_shape.*at most.*Fix"):
        from_torch(torch.nn.Sequential(torch.nn.Linear(3, 2)), (10**9, 3))


def test_from_keras_refuses_branching_models_clearly(keras):
    inp = keras.Input((8, 8, 3))
    a = keras.layers.Conv2D(4, 3)(inp)
    b = keras.layers.Conv2D(4, 3)(inp)
    model = keras.Model(inp, keras.layers.Add()([a, b]))
    with pytest.raises(ConfigError, match=r"run one after another.*explain_summary"):
        from_keras(model)


def test_from_torch_attention_rows_add_up_to_the_model(torch):
    # A MultiheadAttention holds its input projections itself and prints out_proj as a child: hooking
    # only out_proj (a leaf) dropped 3·8·8 + 3·8 = 216 of its 288 parameters.
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.att = torch.nn.MultiheadAttention(8, 2, batch_first=True)
            self.enc = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)

        def forward(self, x):
            return self.enc(self.att(x, x, x)[0])

    model = Net()
    rows = from_torch(model, (5, 8)).rows
    assert [r.info.params for r in rows] == [288, 600]
    assert sum(r.info.params for r in rows) == sum(p.numel() for p in model.parameters())
    assert rows[0].info.terms.text == "4·(8 + 1)·8 = 288"


def test_from_torch_maps_a_transformer_encoder_layer_read_from_its_submodules() -> None:
    torch = require("torch", "from_torch needs PyTorch")
    from convwidget import from_torch, nn

    class Block(torch.nn.Module):
        def __init__(self, **kwargs: object) -> None:
            super().__init__()
            self.t = torch.nn.TransformerEncoderLayer(64, 4, 128, batch_first=True, **kwargs)

        def forward(self, x: object) -> object:
            return self.t(x)

    # d_model, nhead and dim_feedforward live only in torch's submodules (self_attn, linear1)
    for kwargs, expected in (({}, 33_472), ({"bias": False}, 32_896)):
        block = Block(**kwargs)
        (row,) = from_torch(block, (10, 64)).rows
        assert isinstance(row.layer, nn.TransformerEncoderLayer)
        assert row.info.params == expected == sum(p.numel() for p in block.parameters())
