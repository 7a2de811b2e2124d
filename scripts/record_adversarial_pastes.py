"""Record the explainer's adversarial corpus (issue #16) from the real frameworks.

Writes ``tests/data/pasted/adv__*.txt`` and ``tests/data/pasted/adversarial.json`` (per file: the model
spec and each layer's truth: convwidget's formula on its real input, checked here against the
framework's own per-layer count). The corpus: the issue's numbered cases, fixed-seed random models,
Keras 3 at several ``line_length`` values, functional and nested models, channels-first, a trained
model's summary, and torchinfo with each ``col_names`` combination::

    KERAS_BACKEND=torch python scripts/record_adversarial_pastes.py
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.explain_corpus import (  # noqa: E402 - after the path is set
    Spec,
    keras_layer_truth,
    keras_model,
    keras_summary,
    random_keras_sequence_spec,
    random_keras_spec,
    random_torch_sequence_spec,
    random_torch_spec,
    torch_model,
    truths,
)

OUT = ROOT / "tests" / "data" / "pasted"

ISSUE_KERAS: dict[str, Spec] = {
    "depthwise_dilated": {
        "input": [16, 16, 8],
        "layers": [["DepthwiseConv2D", [2], {"dilation_rate": 2, "depth_multiplier": 4}]],
    },
    "transpose_output_padding": {
        "input": [7, 9, 16],
        "layers": [
            ["Conv2DTranspose", [8, 3], {"strides": [3, 2], "output_padding": [1, 1]}],
            ["Conv2DTranspose", [4, [4, 2]], {"strides": [3, 2]}],
        ],
    },
    "per_axis_strides": {
        "input": [40, 40, 1],
        "layers": [
            ["Conv2D", [32, [3, 1]], {"strides": [2, 1]}],
            ["Conv2D", [32, [1, 7]], {}],
            ["Conv2D", [32, [7, 1]], {}],
        ],
    },
    "channels_first": {
        "input": [3, 32, 20],
        "layers": [
            ["Conv2D", [16, 3], {"data_format": "channels_first"}],
            ["BatchNormalization", [], {"axis": 1}],
            ["Conv2D", [8, [3, 5]], {"data_format": "channels_first", "padding": "same"}],
        ],
    },
    "layernorm_axes": {
        "input": [6, 5, 4],
        "layers": [["LayerNormalization", [], {"axis": [1, 2, 3]}], ["LayerNormalization", [], {}]],
    },
}

TORCH_COLUMNS = ("input_size", "output_size", "num_params", "kernel_size", "mult_adds")


def _keras_truth(keras: Any, spec: Spec, model: Any) -> list[dict[str, Any]]:
    truth = truths(spec, torch=False)
    weighted = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    real = [layer.count_params() for layer in weighted]
    if [t["params"] for t in truth] != real:
        raise SystemExit(f"convwidget and Keras disagree on {spec}: {truth} vs {real}")
    return truth


def _nested_keras(keras: Any) -> Any:
    keras.backend.clear_session()
    inner = keras.Sequential(
        [keras.Input((16, 16, 3)), keras.layers.Conv2D(8, 3), keras.layers.Conv2D(4, (1, 5))], name="block"
    )
    inp = keras.Input((16, 16, 3), name="image")
    x = inner(inp)
    a = keras.layers.Conv2D(6, 3, name="left_branch_convolution_with_long_name")(x)
    b = keras.layers.Conv2D(6, (3, 3), name="right_branch_convolution", use_bias=False)(x)
    y = keras.layers.Flatten()(keras.layers.Add()([a, b]))
    return keras.Model(inp, keras.layers.Dense(3)(y))


def _keras_leaves(model: Any) -> list[Any]:
    out = []
    for layer in model.layers:
        if hasattr(layer, "layers"):
            out += _keras_leaves(layer)
        elif layer.count_params():
            out.append(layer)
    return out


def _collapsed_truth(model: Any) -> list[dict[str, Any]]:
    # A collapsed nested model's row is no layer to explain: only the top-level layers are checked.
    return [
        keras_layer_truth(layer)
        for layer in model.layers
        if not hasattr(layer, "layers") and layer.count_params()
    ]


TORCH_NESTED = """
import torch
from torch import nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.in_conv = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)

    def forward(self, x):
        return self.bn(self.in_conv(x))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())
        self.blocks = nn.ModuleList([Block() for _ in range(3)])
        self.head = nn.Linear(8 * 14 * 14, 10)

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.head(torch.flatten(x, 1))

class Tutorial(nn.Module):
    # PyTorch's 60-minute blitz CNN: torch.flatten in forward() between conv2 and fc1.
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
"""


def _torch_structures(torch: Any, torchinfo: Any, keep: Any) -> None:
    """Nested torch models: torchinfo at full depth, depth=1 and with var_names; print(model) folds."""
    namespace: dict[str, Any] = {}
    exec(TORCH_NESTED, namespace)
    net, tutorial = namespace["Net"](), namespace["Tutorial"]()
    for name, model, size in (("nested", net, (1, 3, 16, 16)), ("tutorial", tutorial, (1, 3, 32, 32))):
        total = sum(p.numel() for p in model.parameters())
        how = {"total_params": total, "source": TORCH_NESTED}
        keep(
            f"torchinfo__{name}",
            str(torchinfo.summary(model, input_size=size, verbose=0)),
            how,
            [],
            "full depth",
        )
        text = str(torchinfo.summary(model, input_size=size, depth=1, verbose=0))
        keep(f"torchinfo__{name}_depth1", text, how, [], "depth=1")
        text = str(torchinfo.summary(model, input_size=size, verbose=0, row_settings=("var_names",)))
        keep(f"torchinfo__{name}_var_names", text, how, [], "row_settings=('var_names',)")
        keep(f"torch_repr__{name}", str(model), how, [], "print(model)")


def record() -> dict[str, Any]:
    import keras
    import torch
    import torchinfo

    files: dict[str, Any] = {}

    def keep(name: str, text: str, spec: Spec, truth: list[dict[str, Any]], how: str) -> None:
        (OUT / f"adv__{name}.txt").write_text(text, encoding="utf-8")
        files[f"adv__{name}.txt"] = {"how": how, "spec": spec, "layers": truth}

    for name, spec in ISSUE_KERAS.items():
        model = keras_model(keras, spec, functional=True)
        keep(f"keras3__{name}", keras_summary(model), spec, _keras_truth(keras, spec, model), "functional")
    rng = random.Random(16)
    for i in range(40):
        spec = random_keras_spec(rng)
        functional = i % 2 == 0
        model = keras_model(keras, spec, functional=functional)
        how = "functional" if functional else "sequential"
        keep(f"keras3__random{i:02d}", keras_summary(model), spec, _keras_truth(keras, spec, model), how)
    # Keras 3 at every line length from 40 to 140 (every shape wraps in its cell at 40), in a
    # terminal as wide as the table (a narrower one crops it).
    spec = ISSUE_KERAS["transpose_output_padding"]
    model = keras_model(keras, spec, functional=True)
    for width in range(40, 141, 5):
        os.environ["COLUMNS"] = str(width + 10)
        text = keras_summary(model, line_length=width)
        keep(f"keras3__ll{width}", text, spec, _keras_truth(keras, spec, model), f"line_length={width}")
    os.environ["COLUMNS"] = "120"
    # A nested model, collapsed and expanded, in a branching functional model whose 'Connected to'
    # entries are cut off.
    nested = _nested_keras(keras)
    leaves = _keras_leaves(nested)
    truth = [keras_layer_truth(layer) for layer in leaves]
    for width in (None, 80):
        for expand in (False, True):
            how = f"line_length={width}, expand_nested={expand}"
            text = keras_summary(nested, line_length=width, expand_nested=expand)
            layers_truth = truth if expand else _collapsed_truth(nested)
            keep(
                f"keras3__nested_{'expanded' if expand else 'collapsed'}_{width or 'default'}",
                text,
                {},
                layers_truth,
                how,
            )
    # A compiled, trained model prints optimizer parameters in its totals.
    spec = {"input": [8], "layers": [["Dense", [4], {}], ["Dense", [2], {}]]}
    model = keras_model(keras, spec, functional=False)
    model.compile(optimizer="adam", loss="mse")
    model.fit(torch.zeros(4, 8).numpy(), torch.zeros(4, 2).numpy(), epochs=1, verbose=0)
    keep("keras3__trained", keras_summary(model), spec, _keras_truth(keras, spec, model), "compiled and fit")

    # Recurrent and attention layers (issue #17's), under the same truth rule.
    rng = random.Random(17)
    for i in range(12):
        spec = random_keras_sequence_spec(rng)
        model = keras_model(keras, spec, functional=i % 2 == 0)
        keep(
            f"keras3__sequence{i:02d}",
            keras_summary(model),
            spec,
            _keras_truth(keras, spec, model),
            "keras sequence",
        )
    for i in range(12):
        spec = random_torch_sequence_spec(rng)
        model = torch_model(torch, spec)
        text = str(torchinfo.summary(model, input_size=(1, *spec["input"]), verbose=0))
        keep(f"torchinfo__sequence{i:02d}", text, spec, truths(spec, torch=True), "torch sequence")
    _torch_structures(torch, torchinfo, keep)
    rng = random.Random(1616)
    for i in range(30):
        spec = random_torch_spec(rng)
        model = torch_model(torch, spec)
        truth = truths(spec, torch=True)
        real = [sum(p.numel() for p in m.parameters()) for m in model]
        if [t["params"] for t in truth] != real:
            raise SystemExit(f"convwidget and PyTorch disagree on {spec}")
        text = str(torchinfo.summary(model, input_size=(1, *spec["input"]), verbose=0))
        keep(f"torchinfo__random{i:02d}", text, spec, truth, "torchinfo.summary")
    spec = {
        "input": [3, 16, 12],
        "layers": [["Conv2d", [3, 8, 5], {"padding": 2}], ["Conv2d", [8, 8, 4], {"padding": "same"}]],
    }
    model = torch_model(torch, spec)
    truth = truths(spec, torch=True)
    for n in range(1, len(TORCH_COLUMNS) + 1):
        for cols in itertools.combinations(TORCH_COLUMNS, n):
            if "num_params" not in cols:
                continue
            text = str(torchinfo.summary(model, input_size=(1, 3, 16, 12), col_names=cols, verbose=0))
            keep(
                f"torchinfo__cols_{'_'.join(c.split('_')[0] for c in cols)}",
                text,
                spec,
                truth,
                f"col_names={cols}",
            )
    return files


def main() -> None:
    files = record()
    manifest = OUT / "adversarial.json"
    manifest.write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(files)} pastes and {manifest.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
