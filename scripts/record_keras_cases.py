"""Record how real Keras 3 builds and runs several hundred layer cases, for ``tests/test_keras_cases.py``.

Usage (needs the ``frameworks`` extra)::

    python scripts/record_keras_cases.py [--seed 0] [--out tests/data/keras_cases.json] [--check]

The cases, the recording and the comparison are :mod:`tests.oracles.keras`;
this script only writes the file (one case per line, so Keras updates give
small diffs) and, with ``--check``, prints where convwidget disagrees.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: make the `tests` package importable

from types import ModuleType  # noqa: E402

from tests.oracles import keras as keras_oracle  # noqa: E402


def main(argv: list[str], oracle: ModuleType = keras_oracle, script: str = "record_keras_cases.py") -> int:
    """Record ``oracle``'s cases and write its JSON file; return 1 if ``--check`` finds disagreements."""
    parser = argparse.ArgumentParser(description=(oracle.__doc__ or script).splitlines()[0])
    parser.add_argument("--seed", type=int, default=oracle.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=oracle.DATA)
    parser.add_argument("--check", action="store_true", help="compare every case with convwidget too")
    args = parser.parse_args(argv)

    keras = keras_oracle.import_keras()
    cases = oracle.cases(args.seed)
    duplicates = [i for i, n in Counter(c["id"] for c in cases).items() if n > 1]
    if duplicates:
        raise SystemExit(f"duplicate case ids: {duplicates}")
    records = [oracle.record(c) for c in cases]

    payload = {
        "about": f"Layer cases run in real Keras; written by scripts/{script}, do not edit.",
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
        problems = oracle.mismatches(r)
        if problems:
            bad += 1
            print(f"MISMATCH {r['id']} [{r['expect']}]: {'; '.join(problems)}")
            if "keras_error" in r:
                print(f"    keras: {r['keras_error']['type']}: {r['keras_error']['message'][:200]!r}")
    print(f"{bad} of {len(records)} cases disagree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
