"""Record how real Keras 3 builds and runs the sequence-layer cases, for ``tests/test_seq_cases.py``.

Usage (needs the ``frameworks`` extra)::

    python scripts/record_keras_seq_cases.py [--seed 17] [--out tests/data/keras_cases_seq.json] [--check]

The cases, the recording and the comparison are :mod:`tests.oracles.keras_seq` (sequence layers, issue #17);
this script only writes the file (one case per line, so Keras updates give
small diffs) and, with ``--check``, prints where convwidget disagrees.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: make the `tests` package importable
sys.path.insert(0, str(ROOT / "scripts"))

from record_keras_cases import main  # noqa: E402

from tests.oracles import keras_seq  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], keras_seq, "record_keras_seq_cases.py"))
