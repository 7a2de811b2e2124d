"""Record what real PyTorch does with the sequence-module configurations, for tests without torch.

Usage (needs the ``frameworks`` extra)::

    python scripts/record_torch_seq_cases.py [--seed N] [--random N] [--out tests/data/torch_cases_seq.json]

The cases, the recording and the comparison are :mod:`tests.oracles.torch_seq` (sequence modules, issue #17);
this script only writes the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: make the `tests` package importable
sys.path.insert(0, str(ROOT / "scripts"))

from record_torch_cases import main  # noqa: E402

from tests.oracles import torch_seq  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], torch_seq, "record_torch_seq_cases.py"))
