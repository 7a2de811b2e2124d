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
    keras_model,
    keras_summary,
    random_keras_spec,
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
    # Keras 3 at narrow and wide line lengths (every shape wraps in its cell at 40).
    spec = ISSUE_KERAS["transpose_output_padding"]
    model = keras_model(keras, spec, functional=True)
    for width in (40, 50, 60, 80, 100, 140):
        text = keras_summary(model, line_length=width)
        keep(f"keras3__ll{width}", text, spec, _keras_truth(keras, spec, model), f"line_length={width}")
    # A compiled, trained model prints optimizer parameters in its totals.
    spec = {"input": [8], "layers": [["Dense", [4], {}], ["Dense", [2], {}]]}
    model = keras_model(keras, spec, functional=False)
    model.compile(optimizer="adam", loss="mse")
    model.fit(torch.zeros(4, 8).numpy(), torch.zeros(4, 2).numpy(), epochs=1, verbose=0)
    keep("keras3__trained", keras_summary(model), spec, _keras_truth(keras, spec, model), "compiled and fit")

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
