"""Record summaries as learners paste them: real Keras 3, tf_keras 2, torchinfo and ``print(model)``.

Every model below is built with the real framework; its summary is captured as printed and written to
``tests/data/pasted/<framework>__<model>__<variant>.txt``. ``tests/data/pasted/manifest.json`` records, for
each file, how the model was built and each layer's true count, taken from the framework's own per-layer
numbers (``layer.count_params()``, ``sum(p.numel() for p in module.parameters())``), with the formula the
framework's weight shapes give for plain convolutions and dense layers.

Keras 3 and torchinfo are installed in the shared environment; tf_keras lives in a separate venv so
TensorFlow cannot disturb it::

    KERAS_BACKEND=torch python scripts/record_pasted_summaries.py keras3 torch
    python -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu tf_keras
    /tmp/tfenv/bin/python scripts/record_pasted_summaries.py tf_keras

The seed's classic Keras 2 table is ``convwidget/data/seed_summary.txt`` (standalone Keras 2 cannot be
installed on Python 3.11); its layers are listed in the manifest by hand from the Stack Overflow question.
"""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "pasted"
MANIFEST = OUT / "manifest.json"

# (class, args, kwargs); the first entry of each model is its input.
KERAS_MODELS: dict[str, dict[str, Any]] = {
    "mnist": {
        "input": {"shape": [28, 28, 1]},
        "layers": [
            ["Conv2D", [32, [3, 3]], {"activation": "relu"}],
            ["Conv2D", [63, [3, 3]], {"activation": "relu"}],
            ["MaxPooling2D", [], {"pool_size": [2, 2]}],
            ["Dropout", [0.25], {}],
            ["Flatten", [], {}],
            ["Dense", [128], {"name": "dense", "activation": "relu"}],
            ["Dropout", [0.5], {}],
            ["Dense", [10], {"name": "dense_1", "activation": "softmax"}],
        ],
    },
    "kernels": {
        "input": {"shape": [32, 32, 3]},
        "layers": [
            ["Conv2D", [16, [5, 3]], {}],
            ["Conv2D", [8, [1, 7]], {"use_bias": False}],
            ["Conv2D", [24, 3], {"padding": "same"}],
            ["Conv2D", [12, [3, 3]], {"strides": 2}],
            ["Conv2D", [10, [2, 4]], {"use_bias": False, "padding": "same"}],
            ["GlobalAveragePooling2D", [], {}],
            ["Dense", [7], {"use_bias": False}],
        ],
    },
    "depthwise_separable": {
        "input": {"shape": [28, 28, 8]},
        "layers": [
            ["DepthwiseConv2D", [3], {}],
            ["DepthwiseConv2D", [[3, 5]], {"depth_multiplier": 2, "use_bias": False}],
            ["SeparableConv2D", [32, 3], {}],
            ["SeparableConv2D", [16, [5, 5]], {"padding": "same", "depth_multiplier": 2, "use_bias": False}],
            ["GlobalAveragePooling2D", [], {}],
            ["Dense", [5], {}],
        ],
    },
    "transpose": {
        "input": {"shape": [7, 7, 64]},
        "layers": [
            ["Conv2DTranspose", [32, 3], {"strides": 2, "padding": "same"}],
            ["Conv2DTranspose", [16, [4, 4]], {"strides": 2}],
            ["Conv2DTranspose", [1, [3, 3]], {"use_bias": False}],
        ],
    },
    "batchnorm": {
        "input": {"shape": [28, 28, 1]},
        "layers": [
            ["Conv2D", [32, 3], {"use_bias": False}],
            ["BatchNormalization", [], {}],
            ["MaxPooling2D", [], {}],
            ["Conv2D", [64, 3], {}],
            ["BatchNormalization", [], {"center": False}],
            ["AveragePooling2D", [2], {}],
            ["Flatten", [], {}],
            ["Dense", [100], {}],
            ["BatchNormalization", [], {}],
            ["Dense", [10], {}],
        ],
    },
    "embedding": {
        "input": {"shape": [20], "dtype": "int32"},
        "layers": [
            ["Embedding", [5000, 32], {}],
            ["Conv1D", [16, 5], {}],
            ["GlobalMaxPooling1D", [], {}],
            ["Dense", [1], {}],
        ],
    },
    "long_names": {
        "input": {"shape": [28, 28, 3]},
        "layers": [
            ["Conv2D", [16, 3], {"name": "a_very_long_convolution_layer_name_indeed"}],
            ["MaxPooling2D", [], {"name": "pooling_layer_with_a_long_name"}],
            ["Conv2D", [32, [3, 3]], {"name": "second_convolution_with_quite_a_long_name"}],
            ["GlobalAveragePooling2D", [], {}],
            ["Dense", [10], {"name": "the_classifier_dense_layer_at_the_end"}],
        ],
    },
}

# (line_length or None, COLUMNS of the pretend terminal)
KERAS_VARIANTS = {"default": (None, 100), "ll60": (60, 200)}


def _kw(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}


def _args(args: list[Any]) -> list[Any]:
    return [tuple(a) if isinstance(a, list) else a for a in args]


def keras_formula(layer: Any) -> str | None:
    """The true formula of a plain conv or dense layer, from the framework's own weight shapes."""
    cls = type(layer).__name__
    weights = {w.name.split("/")[-1].split(":")[0]: tuple(int(d) for d in w.shape) for w in layer.weights}
    kernel = weights.get("kernel")
    bias = " + 1" if "bias" in weights else ""
    if kernel is None:
        return None
    if cls in ("Conv1D", "Conv2D", "Conv3D"):
        *k, cin, cout = kernel
        inner = "·".join(str(v) for v in (*k, cin))
        return f"({inner}{bias})·{cout}" if bias else f"{inner}·{cout}"
    if cls == "Dense":
        cin, units = kernel
        return f"({cin}{bias})·{units}" if bias else f"{cin}·{units}"
    return None


def build_keras(keras: Any, spec: dict[str, Any]) -> Any:
    keras.backend.clear_session()
    inp = spec["input"]
    model = keras.Sequential()
    model.add(keras.Input(shape=tuple(inp["shape"]), dtype=inp.get("dtype", "float32")))
    for cls, args, kwargs in spec["layers"]:
        model.add(getattr(keras.layers, cls)(*_args(args), **_kw(kwargs)))
    return model


def build_keras_functional(keras: Any) -> Any:
    """A two-branch model, so the summary has a 'Connected to' column."""
    keras.backend.clear_session()
    layers = keras.layers
    x = keras.Input(shape=(28, 28, 1), name="image")
    a = layers.Conv2D(8, 3, padding="same", name="branch_3x3")(x)
    b = layers.Conv2D(8, (5, 5), padding="same", name="branch_5x5")(x)
    c = layers.Concatenate(name="merge")([a, b])
    d = layers.Conv2D(4, 1, name="squeeze")(c)
    e = layers.Flatten(name="flatten")(d)
    out = layers.Dense(10, name="classifier")(e)
    return keras.Model(x, out, name="two_branches")


FUNCTIONAL_CODE = (
    "x = Input((28, 28, 1), name='image'); a = Conv2D(8, 3, padding='same', name='branch_3x3')(x); "
    "b = Conv2D(8, (5, 5), padding='same', name='branch_5x5')(x); c = Concatenate(name='merge')([a, b]); "
    "d = Conv2D(4, 1, name='squeeze')(c); e = Flatten(name='flatten')(d); "
    "out = Dense(10, name='classifier')(e); Model(x, out)"
)


def keras_layers_manifest(model: Any) -> list[dict[str, Any]]:
    rows = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        rows.append(
            {
                "name": layer.name,
                "class": type(layer).__name__,
                "params": int(layer.count_params()),
                "formula": keras_formula(layer),
            }
        )
    return rows


def record_keras(framework: str, manifest: dict[str, Any]) -> None:
    if framework == "tf_keras":
        import tf_keras as keras
    else:
        import keras
    models = {mid: (lambda s=spec: build_keras(keras, s), spec) for mid, spec in KERAS_MODELS.items()}
    models["functional"] = (lambda: build_keras_functional(keras), {"code": FUNCTIONAL_CODE})
    for mid, (builder, spec) in models.items():
        model = builder()
        for variant, (line_length, columns) in KERAS_VARIANTS.items():
            os.environ["COLUMNS"] = str(columns)
            captured: list[str] = []

            def grab(text: str, *args: Any, sink: list[str] = captured, **kwargs: Any) -> None:
                sink.append(text if framework == "keras3" else text + "\n")

            model.summary(line_length=line_length, print_fn=grab)
            fname = f"{framework}__{mid}__{variant}.txt"
            (OUT / fname).write_text("".join(captured), encoding="utf-8")
            manifest["files"][fname] = {
                "framework": framework,
                "version": keras.__version__,
                "model": mid,
                "built_with": spec,
                "summary_call": f"model.summary(line_length={line_length}) with COLUMNS={columns}",
                "total_params": int(model.count_params()),
                "layers": keras_layers_manifest(model),
            }
            print("wrote", fname)


def torch_models() -> dict[str, tuple[Any, tuple[int, ...], str]]:
    from torch import nn

    class Net(nn.Module):
        """The seed's MNIST model in PyTorch, written as the PyTorch MNIST example writes it."""

        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(1, 32, 3, 1)
            self.conv2 = nn.Conv2d(32, 63, 3, 1)
            self.pool = nn.MaxPool2d(2)
            self.dropout1 = nn.Dropout(0.25)
            self.flatten = nn.Flatten()
            self.fc1 = nn.Linear(9072, 128)
            self.dropout2 = nn.Dropout(0.5)
            self.fc2 = nn.Linear(128, 10)

        def forward(self, x: Any) -> Any:
            x = self.pool(self.conv2(self.conv1(x).relu()).relu())
            x = self.fc1(self.flatten(self.dropout1(x))).relu()
            return self.fc2(self.dropout2(x))

    kernels = nn.Sequential(
        nn.Conv2d(3, 16, (5, 3)),
        nn.Conv2d(16, 8, (1, 7), bias=False),
        nn.Conv2d(8, 24, 3, padding=1),
        nn.Conv2d(24, 12, 3, stride=2),
        nn.BatchNorm2d(12),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(12, 7, bias=False),
    )
    nested = nn.Sequential()
    nested.add_module(
        "features",
        nn.Sequential(
            nn.Conv2d(3, 8, 3, groups=1),
            nn.Conv2d(8, 8, 3, groups=8),
            nn.Conv2d(8, 32, 1),
            nn.BatchNorm2d(32),
            nn.MaxPool2d(2),
        ),
    )
    nested.add_module(
        "up",
        nn.Sequential(nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU()),
    )
    nested.add_module("classifier", nn.Sequential(nn.Flatten(), nn.Linear(16 * 28 * 28, 10)))

    class TextNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(5000, 32)
            self.norm = nn.LayerNorm(32)
            self.fc = nn.Linear(32, 1)

        def forward(self, x: Any) -> Any:
            return self.fc(self.norm(self.embedding(x)).mean(dim=1))

    return {
        "mnist": (Net(), (1, 1, 28, 28), "class Net: conv1=Conv2d(1, 32, 3, 1), conv2=Conv2d(32, 63, 3, 1)…"),
        "kernels": (kernels, (1, 3, 32, 32), repr(kernels)),
        "nested": (nested, (1, 3, 32, 32), repr(nested)),
        "embedding": (TextNet(), (1, 20), "Embedding(5000, 32), LayerNorm(32), Linear(32, 1)"),
    }


def torch_formula(module: Any) -> str | None:
    from torch import nn

    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        cout, cin_g, *k = module.weight.shape
        inner = "·".join(str(int(v)) for v in (*k, cin_g))
        return f"({inner} + 1)·{cout}" if module.bias is not None else f"{inner}·{cout}"
    if isinstance(module, nn.Linear):
        units, cin = module.weight.shape
        return f"({cin} + 1)·{units}" if module.bias is not None else f"{cin}·{units}"
    return None


def record_torch(manifest: dict[str, Any]) -> None:
    import torch
    import torchinfo

    for mid, (model, input_size, code) in torch_models().items():
        leaves = [
            {
                "name": name,
                "class": type(m).__name__,
                "params": int(sum(p.numel() for p in m.parameters())),
                "formula": torch_formula(m),
            }
            for name, m in model.named_modules()
            if name and not list(m.children())
        ]
        dtypes = [torch.long] if mid == "embedding" else None
        buf = io.StringIO()
        with redirect_stdout(buf):
            stats = torchinfo.summary(model, input_size=input_size, dtypes=dtypes, verbose=1)
        total = int(stats.total_params)
        common = {"version": torchinfo.__version__, "model": mid, "built_with": code, "total_params": total}
        files = {
            f"torchinfo__{mid}.txt": (buf.getvalue(), f"torchinfo.summary(model, input_size={input_size})"),
            f"torch_repr__{mid}.txt": (repr(model) + "\n", "print(model)"),
        }
        for fname, (text, call) in files.items():
            (OUT / fname).write_text(text, encoding="utf-8")
            framework = fname.split("__")[0]
            entry = {"framework": framework, **common, "summary_call": call, "layers": leaves}
            manifest["files"][fname] = entry
            print("wrote", fname)


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {"files": {}}
    manifest["files"]["keras2__seed.txt"] = {
        "framework": "keras2",
        "version": "standalone Keras 2 (as pasted in the Stack Overflow question)",
        "model": "mnist",
        "built_with": "convwidget/data/seed_model.py.txt",
        "summary_call": "model.summary()",
        "source": "convwidget/data/seed_summary.txt",
        "total_params": 1181161,
        # worked out by hand: (3·3·1 + 1)·32 = 320, (3·3·32 + 1)·63 = 18,207, (9072 + 1)·128 = 1,161,344,
        # (128 + 1)·10 = 1,290
        "layers": [
            {"name": "conv2d_1", "class": "Conv2D", "params": 320, "formula": "(3·3·1 + 1)·32"},
            {"name": "conv2d_2", "class": "Conv2D", "params": 18207, "formula": "(3·3·32 + 1)·63"},
            {"name": "max_pooling2d_1", "class": "MaxPooling2D", "params": 0, "formula": None},
            {"name": "dropout_1", "class": "Dropout", "params": 0, "formula": None},
            {"name": "flatten_1", "class": "Flatten", "params": 0, "formula": None},
            {"name": "dense", "class": "Dense", "params": 1161344, "formula": "(9072 + 1)·128"},
            {"name": "dropout_2", "class": "Dropout", "params": 0, "formula": None},
            {"name": "dense_1", "class": "Dense", "params": 1290, "formula": "(128 + 1)·10"},
        ],
    }
    for what in argv or ["keras3", "torch"]:
        if what in ("keras3", "tf_keras"):
            record_keras(what, manifest)
        elif what == "torch":
            record_torch(manifest)
        else:
            print(f"unknown target {what!r}; use keras3, tf_keras or torch", file=sys.stderr)
            return 2
    manifest["files"] = dict(sorted(manifest["files"].items()))
    MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
