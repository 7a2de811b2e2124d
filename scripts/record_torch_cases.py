"""Record what real PyTorch does with several hundred module configurations, for tests without torch.

Usage (needs the ``frameworks`` extra)::

    python scripts/record_torch_cases.py [--seed N] [--random N] [--out tests/data/torch_cases.json]

The cases, the recording and the comparison are :mod:`tests.oracles.torch`;
this script only writes the file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: make the `tests` package importable

from types import ModuleType  # noqa: E402

from tests.oracles import torch as torch_oracle  # noqa: E402


def main(argv: list[str], oracle: ModuleType = torch_oracle, script: str = "record_torch_cases.py") -> int:
    """Record ``oracle``'s cases into its JSON file and print a tally (the seq script passes its oracle)."""
    parser = argparse.ArgumentParser(description=(oracle.__doc__ or script).splitlines()[0])
    parser.add_argument("--seed", type=int, default=oracle.DEFAULT_SEED)
    parser.add_argument("--random", type=int, default=oracle.RANDOM_CASES, help="number of random cases")
    parser.add_argument("--out", type=Path, default=oracle.DATA)
    opts = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    cases = [oracle.record(c) for c in oracle.cases(opts.seed, opts.random / oracle.RANDOM_CASES)]
    payload = {
        "torch_version": torch.__version__,
        "seed": opts.seed,
        "n_random": opts.random,
        "command": f"python scripts/{script}",
        "cases": cases,
    }
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(payload, indent=None, separators=(",", ":")) + "\n")
    ok = sum(c["torch"]["ok"] for c in cases)
    print(f"torch {torch.__version__}: {len(cases)} cases, {ok} ran, {len(cases) - ok} raised -> {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
