"""Record real Keras 3.15 and torchinfo 1.8 summaries of the sequence models of issue #17.

``tests/data/summaries/models_seq.json`` lists the models: an IMDB-style text
classifier (Embedding → LSTM → Dense), a bidirectional GRU, and a small
transformer-ish block. Keras Sequential models are recorded at the same widths as
``scripts/record_keras_summaries.py`` (``<id>__<variant>.txt``); the transformer
block needs the functional API (attention takes query and value), so it is
recorded once, wide (``<id>__functional.txt``). The PyTorch versions are small
modules whose forward runs the same layers and keeps the last step's output;
torchinfo's tables are written to ``<id>__torchinfo.txt`` (default depth) and
``<id>__torchinfo_depth1.txt``.

Run: ``KERAS_BACKEND=torch python scripts/record_seq_summaries.py`` (needs the 'frameworks' extra).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")

HERE = Path(__file__).resolve().parent.parent / "tests" / "data" / "summaries"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from record_keras_summaries import VARIANTS  # noqa: E402  (the same widths as the conv models)


def keras_model(keras: Any, spec: dict[str, Any]) -> Any:
    """The spec's Keras model: Sequential, or functional when a layer is attention (called on (x, x))."""
    keras.backend.clear_session()  # Keras numbers layers per session; start every model afresh
    if spec.get("functional"):
        inputs = keras.Input(shape=tuple(spec["input_shape"]))
        x = inputs
        for cls, args, kwargs in spec["layers"]:
            layer = getattr(keras.layers, cls)(*args, **_keras_kwargs(keras, kwargs))
            x = layer(x, x) if cls == "MultiHeadAttention" else layer(x)
        return keras.Model(inputs, x, name=spec["name"])
    model = keras.Sequential(name=spec["name"])
    model.add(keras.Input(shape=tuple(spec["input_shape"])))
    for cls, args, kwargs in spec["layers"]:
        model.add(getattr(keras.layers, cls)(*args, **_keras_kwargs(keras, kwargs)))
    return model


def _keras_kwargs(keras: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    out = dict(kwargs)
    if "layer" in out:  # Bidirectional's wrapped layer: [class, args, kwargs]
        cls, args, inner = out["layer"]
        out["layer"] = getattr(keras.layers, cls)(*args, **inner)
    return out


def torch_model(torch: Any, spec: dict[str, Any]) -> Any:
    """The spec's PyTorch modules, run in order; recurrent outputs' first element; the last step kept."""
    nn = torch.nn

    class Model(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            # children named 0, 1, 2 as nn.Sequential names them: torchinfo rows "├─LSTM: 1-2"
            for i, (cls, args, kwargs) in enumerate(spec["torch_layers"]):
                self.add_module(str(i), getattr(nn, cls)(*args, **kwargs))

        def forward(self, x: Any) -> Any:
            for layer in self.children():
                x = layer(x)
                if isinstance(x, tuple):  # RNN/LSTM/GRU: (output, state)
                    x = x[0]
            return x[:, -1]

    Model.__name__ = Model.__qualname__ = spec["torch_name"]
    return Model()


def main() -> int:
    import keras
    import torch
    import torchinfo

    if not keras.__version__.startswith("3.15") or torchinfo.__version__ != "1.8.0":
        print(f"warning: keras {keras.__version__}, torchinfo {torchinfo.__version__}", file=sys.stderr)
    specs = json.loads((HERE / "models_seq.json").read_text())["models"]
    for spec in specs:
        model = keras_model(keras, spec)
        variants = [("functional", 150, 200)] if spec.get("functional") else VARIANTS
        for variant, line_length, columns in variants:
            os.environ["COLUMNS"] = str(columns)
            captured: list[str] = []
            model.summary(line_length=line_length, print_fn=captured.append)
            _write(f"{spec['id']}__{variant}.txt", "".join(captured))
        torch.manual_seed(0)
        module = torch_model(torch, spec)
        x = torch.zeros((1, *spec["input_shape"]), dtype=torch.long)
        for name, depth in (("torchinfo", 3), ("torchinfo_depth1", 1)):
            stats = torchinfo.summary(module, input_data=[x], depth=depth, verbose=0)
            _write(f"{spec['id']}__{name}.txt", str(stats) + "\n")
    return 0


def _write(name: str, text: str) -> None:
    path = HERE / name
    path.write_text(text, encoding="utf-8")
    print("wrote", path.relative_to(HERE.parent.parent.parent))


if __name__ == "__main__":
    raise SystemExit(main())
