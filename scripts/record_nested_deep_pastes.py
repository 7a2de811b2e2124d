"""Record Keras 3 summaries of models nested two and three levels deep (issue #16), expanded and collapsed.

Writes ``tests/data/pasted/adv__keras3__nested_deep_*.txt`` and ``nested_deep.json`` beside them: per
file, each printed row's truth from the real model (its depth, whether it holds other rows, its own
count, and for a layer with weights convwidget's formula on its real input, checked against Keras'
own count)::

    KERAS_BACKEND=torch python scripts/record_nested_deep_pastes.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.explain_corpus import keras_layer_truth, keras_summary  # noqa: E402 - after the path is set

OUT = ROOT / "tests" / "data" / "pasted"


def two_levels(keras: Any) -> Any:
    """A Functional model holding a Sequential that holds a Functional (2 levels below the model)."""
    keras.backend.clear_session()
    u_in = keras.Input((12, 12, 8))
    u = keras.layers.Conv2D(8, 3, padding="same", use_bias=False)(u_in)
    u = keras.layers.BatchNormalization()(u)
    unit = keras.Model(u_in, keras.layers.ReLU()(u), name="unit")
    block = keras.Sequential(
        [keras.Input((14, 14, 3)), keras.layers.Conv2D(8, 3), unit, keras.layers.Conv2D(16, 1)], name="block"
    )
    inp = keras.Input((14, 14, 3), name="image")
    x = block(inp)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, keras.layers.Dense(5)(x), name="two_levels")


def three_levels(keras: Any) -> Any:
    """A Sequential model: stage (Sequential) > block (Sequential) > unit (Functional), then a head."""
    keras.backend.clear_session()
    u_in = keras.Input((10, 10, 6))
    u = keras.layers.DepthwiseConv2D(3, padding="same")(u_in)
    unit = keras.Model(u_in, keras.layers.Conv2D(6, 1, use_bias=False)(u), name="unit")
    block = keras.Sequential(
        [keras.Input((12, 12, 4)), keras.layers.Conv2D(6, 3), unit, keras.layers.BatchNormalization()],
        name="block",
    )
    stage = keras.Sequential(
        [keras.Input((12, 12, 4)), block, keras.layers.Conv2D(10, (3, 5), strides=(1, 2))], name="stage"
    )
    return keras.Sequential(
        [
            keras.Input((14, 14, 2)),
            keras.layers.Conv2D(4, 3),
            stage,
            keras.layers.Flatten(),
            keras.layers.Dense(3),
        ],
        name="three_levels",
    )


def _rows(model: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Each row ``summary(expand_nested=True)`` prints below the header, in order, with its truth."""
    out: list[dict[str, Any]] = []
    for layer in model.layers:  # a Functional model lists (and prints) its InputLayer, a Sequential not
        nested = hasattr(layer, "layers")
        row: dict[str, Any] = {
            "name": layer.name,
            "class": type(layer).__name__,
            "depth": depth,
            "container": nested,
            "params": layer.count_params(),
        }
        if not nested and layer.count_params():
            truth = keras_layer_truth(layer)
            row.update(input=truth["input"], formula=truth["formula"])
        out.append(row)
        if nested:
            out += _rows(layer, depth + 1)
    return out


def main() -> None:
    import keras

    files: dict[str, Any] = {}
    for key, build in (("2", two_levels), ("3", three_levels)):
        model = build(keras)
        rows = _rows(model)
        for width in (None, 80):
            for expand in (False, True):
                how = "expanded" if expand else "collapsed"
                name = f"adv__keras3__nested_deep{key}_{how}_{width or 'default'}.txt"
                text = keras_summary(model, line_length=width, expand_nested=expand)
                (OUT / name).write_text(text, encoding="utf-8")
                printed = rows if expand else [r for r in rows if r["depth"] == 0]
                files[name] = {
                    "how": f"line_length={width}, expand_nested={expand}",
                    "total_params": model.count_params(),
                    "rows": printed,
                }
    (OUT / "nested_deep.json").write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
