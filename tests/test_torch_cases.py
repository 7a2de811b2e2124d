"""Replay what real PyTorch 2.13 did with ~600 module cases (recorded by scripts/record_torch_cases.py).

No torch is needed: the expected output shapes, counts, parameter and buffer
shapes and refusals come from ``tests/data/torch_cases.json``; regenerate it
with ``python scripts/record_torch_cases.py`` when torch changes.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = json.loads((ROOT / "tests" / "data" / "torch_cases.json").read_text())


def load_recorder() -> ModuleType:
    """Import scripts/record_torch_cases.py (its generator and comparison need no torch)."""
    spec = importlib.util.spec_from_file_location(
        "record_torch_cases", ROOT / "scripts" / "record_torch_cases.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RECORDER = load_recorder()
CASES = DATA["cases"]


def test_recording_is_from_torch_2_13_and_large_enough() -> None:
    assert DATA["torch_version"].startswith("2.13.0")
    kinds = Counter(c["kind"] for c in CASES)
    assert kinds["random"] >= 400 and kinds["edge"] >= 40 and kinds["invalid"] >= 40
    ran = sum(c["torch"]["ok"] for c in CASES)
    # both sides of the line are well represented
    assert ran >= 300 and len(CASES) - ran >= 100


def test_recording_matches_the_generator() -> None:
    # the file was made by the script as it is now: same cases in the same order
    fresh = RECORDER.generate_cases(DATA["seed"], DATA["n_random"])
    strip = [{k: v for k, v in c.items() if k != "torch"} for c in CASES]
    assert json.loads(json.dumps(fresh)) == strip


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_agrees_with_torch(case: dict) -> None:
    problems = RECORDER.compare(case, case["torch"])
    assert not problems, (
        f"{case['layer']}(*{case['args']}, **{case['kwargs']}) on {case['input_shape']}: {problems}"
    )


def test_deliberate_refusals_are_few_and_named() -> None:
    reasons = Counter(
        RECORDER.deliberate_refusal(c, c["torch"])
        for c in CASES
        if c["torch"]["ok"] and RECORDER.deliberate_refusal(c, c["torch"])
    )
    # every refusal of a case torch runs is one of the documented kinds, and they stay rare
    assert sum(reasons.values()) <= 0.05 * len(CASES), reasons
    assert set(reasons) <= {
        "zero-size output",
        "zero output features",
        "Flatten over the batch axis",
        "BatchNorm num_features differs from the input's channels",
        "wrong input rank (PyTorch reads the batch axis of an unbatched input as channels)",
    }, reasons


def test_comparison_can_fail() -> None:
    # a doctored record must be caught: the replay is not vacuous
    case = next(c for c in CASES if c["id"].startswith("edge") and c["layer"] == "Conv2d")
    wrong = dict(case["torch"], params=case["torch"]["params"] + 1)
    assert RECORDER.compare(case, wrong)
    refused = {"ok": False, "error": "RuntimeError: made up"}
    assert RECORDER.compare(case, refused)
