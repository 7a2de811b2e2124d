"""Record what real Keras 3 prints for ``model.summary()``, so tests can compare convwidget with it.

Each model in ``tests/data/summaries/models.json`` is built with ``keras.layers`` (``KERAS_BACKEND=torch``)
and its summary is captured with ``print_fn`` at several widths; one file per (model, width) is written to
``tests/data/summaries/<model>__<variant>.txt``. The same JSON is read by ``tests/test_summary.py`` to build
each model again with ``convwidget.layers``.

Keras' default width is ``min(88, terminal columns - 4)`` and its rich console is as wide as the terminal
(lines beyond it are cut off), so the "default" variants are recorded under a fixed ``COLUMNS``.

Run: ``KERAS_BACKEND=torch python scripts/record_keras_summaries.py`` (needs the 'frameworks' extra).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

HERE = Path(__file__).resolve().parent.parent / "tests" / "data" / "summaries"

# (variant name, line_length or None for Keras' default, COLUMNS of the pretend terminal)
VARIANTS = [
    ("default_cols80", None, 80),
    ("default_cols200", None, 200),
    ("default_cols60", None, 60),
    ("ll65_cols200", 65, 200),
    ("ll88_cols200", 88, 200),
    ("ll100_cols80", 100, 80),
    ("ll120_cols200", 120, 200),
    ("ll40_cols200", 40, 200),
]


def build(keras, spec: dict):
    """Build one model of ``models.json`` with real Keras."""
    keras.backend.clear_session()  # Keras numbers layers per session; start every model afresh
    model = keras.Sequential(name=spec.get("name", "sequential"))
    model.add(keras.Input(shape=tuple(spec["input_shape"])))
    for cls, args, kwargs in spec["layers"]:
        kwargs = dict(kwargs)
        kwargs.update(spec.get("keras_only_kwargs", {}).get(str(len(model.layers)), {}))
        model.add(getattr(keras.layers, cls)(*args, **kwargs))
    return model


def main() -> int:
    import keras

    if not keras.__version__.startswith("3.15"):
        print(f"warning: recorded with keras {keras.__version__}, the tests expect 3.15", file=sys.stderr)
    specs = json.loads((HERE / "models.json").read_text())["models"]
    for spec in specs:
        model = build(keras, spec)
        for variant, line_length, columns in VARIANTS:
            os.environ["COLUMNS"] = str(columns)
            captured: list[str] = []
            model.summary(line_length=line_length, print_fn=captured.append)
            path = HERE / f"{spec['id']}__{variant}.txt"
            path.write_text("".join(captured), encoding="utf-8")
            print("wrote", path.relative_to(HERE.parent.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
