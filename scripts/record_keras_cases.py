"""Record how real Keras 3 builds and runs several hundred layer cases, for ``tests/test_keras_cases.py``.

Usage (needs the ``frameworks`` extra)::

    python scripts/record_keras_cases.py [--seed 0] [--out tests/data/keras_cases.json] [--check]

Each case is built with ``keras.layers.<Name>(**kwargs)``, called on a zeros
tensor of shape ``(1, *input_shape)`` (so the shape is the one Keras really
produces with the torch backend, not only ``compute_output_shape``) and
recorded with its output shape, trainable and non-trainable counts and
weights; refused cases are recorded with Keras' error message. ``--check``
also describes every case with convwidget and prints the disagreements.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from keras_cases import edge_cases, invalid_cases, mismatches, random_cases, record  # noqa: E402

DEFAULT_SEED = 0


def main(argv: list[str]) -> int:
    """Record every case and write the JSON file; return 1 if ``--check`` finds disagreements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "keras_cases.json")
    parser.add_argument("--check", action="store_true", help="compare every case with convwidget too")
    args = parser.parse_args(argv)

    os.environ["KERAS_BACKEND"] = "torch"
    import keras  # the backend must be chosen before this import

    cases = random_cases(args.seed) + edge_cases() + invalid_cases()
    ids = [c["id"] for c in cases]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    if duplicates:
        raise SystemExit(f"duplicate case ids: {duplicates}")
    records = [record(c, keras) for c in cases]

    payload = {
        "about": "Layer cases run in real Keras; written by scripts/record_keras_cases.py, do not edit.",
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "seed": args.seed,
        "cases": records,
    }
    # one case per line: small diffs when Keras changes, and still valid JSON
    head = json.dumps({k: v for k, v in payload.items() if k != "cases"}, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f'{head}, "cases": [\n{lines}\n]}}\n', encoding="utf-8")

    counts = Counter(r["expect"] for r in records)
    print(
        f"wrote {len(records)} cases to {args.out} ({args.out.stat().st_size / 1024:.0f} KiB): {dict(counts)}"
    )
    print("per layer:", dict(Counter(r["layer"] for r in records)))
    if not args.check:
        return 0
    bad = 0
    for r in records:
        problems = mismatches(r)
        if problems:
            bad += 1
            print(f"MISMATCH {r['id']} [{r['expect']}]: {'; '.join(problems)}")
            if r["expect"] == "error":
                print(f"    keras: {r['keras_error']['type']}: {r['keras_error']['message'][:200]!r}")
    print(f"{bad} of {len(records)} cases disagree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
