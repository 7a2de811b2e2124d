"""Record torchinfo 1.8's Mult-Adds (and ptflops' and fvcore's totals) for layer and model cases.

Usage (needs the ``frameworks`` extra)::

    python scripts/record_costs.py [--seed N] [--random N] [--out tests/data/cost_torchinfo.json]

The cases (the question's model, AlexNet and VGG-16 at 224×224, every layer kind), the recording and
the comparison are :mod:`tests.oracles.cost` (each case fed batch-first or sequence-first as
``convwidget.cost.feed_of`` says); this script only writes the file. VGG-16 at 224×224 takes
a few seconds of CPU: the tests replay the file instead of running it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: make the `tests` package importable

from tests.oracles import cost as oracle  # noqa: E402


def main(argv: list[str]) -> int:
    """Record the cases into a JSON file and print a tally of disagreements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
        "command": "python scripts/record_costs.py",
        "cases": cases,
    }
    opts.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    bad = [(c["id"], oracle.mismatches(c)) for c in cases]
    bad = [b for b in bad if b[1]]
    for cid, problems in bad:
        print(cid, problems)
    print(f"{len(cases)} cases recorded to {opts.out}; {len(bad)} disagree with convwidget.cost")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
