"""Replay what real PyTorch 2.13 did with ~600 module cases (recorded by scripts/record_torch_cases.py).

No torch is needed: the expected output shapes, counts, parameter and buffer
shapes and refusals come from ``tests/data/torch_cases.json``
(:func:`tests.oracles.torch.record`); regenerate it with
``python scripts/record_torch_cases.py`` when torch changes.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.oracles import torch as torch_oracle
from tests.oracles.base import Case, read_recording, shape_problems

DATA = read_recording(torch_oracle.DATA)
CASES: list[Case] = DATA["cases"]


def test_recording_is_from_torch_2_13_and_large_enough() -> None:
    assert DATA["torch_version"].startswith("2.13.0")
    kinds = Counter(c["kind"] for c in CASES)
    assert kinds["random"] >= 400 and kinds["edge"] >= 40 and kinds["invalid"] >= 40
    ran = sum(c["torch"]["ok"] for c in CASES)
    # both sides of the line are well represented
    assert ran >= 300 and len(CASES) - ran >= 100


def test_recording_matches_the_generator() -> None:
    # the file was made from the oracle as it is now: same cases, same ids, same order
    assert DATA["n_random"] == torch_oracle.RANDOM_CASES
    fresh = torch_oracle.cases(DATA["seed"])
    strip = [{k: v for k, v in c.items() if k != "torch"} for c in CASES]
    assert json.loads(json.dumps(fresh)) == strip


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_agrees_with_torch(case: Case) -> None:
    problems = torch_oracle.mismatches(case)
    assert not problems, (
        f"{case['layer']}(*{case['args']}, **{case['kwargs']}) on {case['input_shape']}: {problems}"
    )


def test_deliberate_refusals_are_few_and_named() -> None:
    reasons = Counter(
        torch_oracle.refused_on_purpose(c)
        for c in CASES
        if c["torch"]["ok"] and torch_oracle.refused_on_purpose(c)
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
    assert torch_oracle.mismatches(case) == []
    ran = case["torch"]
    assert torch_oracle.mismatches({**case, "torch": {**ran, "params": ran["params"] + 1}})
    assert torch_oracle.mismatches({**case, "torch": {**ran, "output_shape": ran["output_shape"][::-1]}})
    assert torch_oracle.mismatches({**case, "torch": {**ran, "param_shapes": ran["param_shapes"][::-1]}})
    assert torch_oracle.mismatches({**case, "torch": {"ok": False, "error": "RuntimeError: made up"}})


def test_random_sample_is_numbered_after_the_hand_picked_cases() -> None:
    # a live sample's ids say where such a case would sit in the recording
    sample = torch_oracle.random_cases(DATA["seed"], 0.1)
    assert len(sample) == 48
    assert [c["id"] for c in sample] == [c["id"] for c in CASES if c["kind"] == "random"][:48]


def test_the_oracle_has_the_shape_both_oracles_share() -> None:
    # cases, random_cases, edge_cases, invalid_cases, record, mismatches, DATA, DEFAULT_SEED
    assert shape_problems(torch_oracle) == []
