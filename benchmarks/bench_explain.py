"""Benchmark: ``explain_summary`` on 10 MB of each adversarial text (issue #16, item 9).

Run by hand or in CI: ``python benchmarks/bench_explain.py [--megabytes 10]``.
It prints one line per text (seconds, and MB/s) and asserts nothing (tests never time anything).

The texts: the seed summary repeated, followed by blank lines, by lines of box characters, by
``\\r`` (old Mac line breaks); Keras 3 functional tables with 'Connected to' repeated; torchinfo
tables repeated; ``print(model)`` with folded blocks repeated; a hard-wrapped Keras 3 table
repeated; and random prose with brackets and numbers. A parser with one quadratic step takes
minutes on some of these (``\\s`` crossing newlines in a ``(?m)^`` pattern did).

Target on a 2-core machine: every text under 5 s.
"""

from __future__ import annotations

import argparse
import random
import textwrap
import time
from pathlib import Path

from convwidget import ParseError, explain_summary

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "pasted"


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _repeat(text: str, size: int) -> str:
    return (text + "\n") * max(1, size // (len(text) + 1))


def texts(size: int) -> dict[str, str]:
    seed = _read("keras2__seed.txt")
    wrapped = "\n".join(
        "\n".join(textwrap.wrap(line, 45, break_long_words=False) or [""])
        for line in _read("adv__keras3__random01.txt").split("\n")
    )
    rng = random.Random(9)
    words = ["the", "(None,", "26,", "32)", "[1,", "3]", "18207", "Conv2D", "│", "params:", "\n"]
    prose = " ".join(rng.choice(words) for _ in range(size // 5))
    return {
        "seed repeated": _repeat(seed, size),
        "seed rows, no totals, repeated": _repeat(seed[: seed.index("Total params")], size),
        "keras3 rows, no totals, repeated": _repeat(
            _read("adv__keras3__random01.txt").split(" Total params")[0], size
        ),
        "seed + blank lines": seed + "\n" * (size - len(seed)),
        "seed + box characters": seed + "│\n" * ((size - len(seed)) // 2),
        "seed + carriage returns": seed + "\r" * (size - len(seed)),
        "keras3 functional repeated": _repeat(_read("adv__keras3__nested_expanded_80.txt"), size),
        "torchinfo nested repeated": _repeat(_read("adv__torchinfo__nested_var_names.txt"), size),
        "print(model) repeated": _repeat(_read("adv__torch_repr__nested.txt"), size),
        "hard-wrapped keras3 repeated": _repeat(wrapped, size),
        "random prose": prose[:size],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    print(f"{'text':32} {'MB':>6} {'seconds':>8} {'MB/s':>7}  result")
    for name, text in texts(size).items():
        start = time.perf_counter()
        try:
            result = f"{len(explain_summary(text).rows):,} rows"
        except ParseError:
            result = "ParseError"
        took = time.perf_counter() - start
        mb = len(text) / 1e6
        print(f"{name:32} {mb:6.1f} {took:8.2f} {mb / took:7.1f}  {result}")


if __name__ == "__main__":
    main()
