"""Compare the sequence layers (issue #17) with live Keras 3.15 and PyTorch 2.13 on fresh random samples.

The seeds change every run (set ``CONVWIDGET_KERAS_SEQ_SEED`` / ``CONVWIDGET_TORCH_SEQ_SEED`` to
repeat one); a failure names them. The hand-picked edge and invalid cases run live too. Skipped
without the frameworks, failing instead when ``CI`` is set.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from types import ModuleType

import pytest
from conftest import require

from tests.oracles import keras_seq, torch_seq
from tests.oracles.base import Case

pytestmark = pytest.mark.frameworks


@pytest.fixture(scope="module")
def keras() -> ModuleType:
    # the backend is chosen once, at Keras' first import; only torch is in the 'frameworks' extra
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "torch"
    module = require("keras", "live cross-check of convwidget.layers' sequence layers against Keras 3")
    assert module.__version__.startswith("3.15"), module.__version__
    return module


def _keras_failures(cases: list[Case]) -> tuple[list[str], Counter]:
    failures, outcomes = [], Counter()
    for case in cases:
        rec = keras_seq.record(case)
        outcomes[rec["expect"]] += 1
        problems = keras_seq.mismatches(rec)
        if problems:
            said = rec.get("keras_error", {}).get("message", "")[:160]
            failures.append(f"{rec['id']} [{rec['expect']}] {'; '.join(problems)} {said}".rstrip())
    return failures, outcomes


def test_fresh_keras_sample_agrees(keras: ModuleType) -> None:
    seed = int(os.environ.get("CONVWIDGET_KERAS_SEQ_SEED", random.randrange(2**31)))
    cases = keras_seq.random_cases(seed, 0.5)
    assert len(cases) >= 120
    failures, outcomes = _keras_failures(cases)
    assert not failures, f"CONVWIDGET_KERAS_SEQ_SEED={seed}:\n" + "\n".join(failures)
    assert outcomes["ok"] >= 0.8 * len(cases), (seed, outcomes)


def test_keras_edge_and_invalid_cases_agree(keras: ModuleType) -> None:
    failures, outcomes = _keras_failures([*keras_seq.edge_cases(), *keras_seq.invalid_cases()])
    assert not failures, "\n".join(failures)
    assert outcomes["error"] >= 20


def test_fresh_torch_sample_agrees() -> None:
    torch = require("torch", "live cross-check of convwidget.nn's sequence modules against PyTorch")
    assert torch.__version__.startswith("2.13.0"), torch.__version__
    torch.set_num_threads(1)
    seed = int(os.environ.get("CONVWIDGET_TORCH_SEQ_SEED", random.randrange(2**31)))
    cases = torch_seq.random_cases(seed, 150 / torch_seq.RANDOM_CASES)
    failures, ran = [], 0
    for case in cases:
        rec = torch_seq.record(case)
        ran += rec["torch"]["ok"]
        problems = torch_seq.mismatches(rec)
        if problems:
            failures.append(
                f"{case['id']} {case['layer']}(*{case['args']}, **{case['kwargs']}) "
                f"on {case['input_shape']}: {problems}"
            )
    assert not failures, f"CONVWIDGET_TORCH_SEQ_SEED={seed}: " + "\n".join(failures)
    assert 0 < ran < len(cases), (seed, ran)


def test_torch_edge_and_invalid_cases_agree() -> None:
    require("torch", "live cross-check of convwidget.nn's sequence modules against PyTorch")
    failures = []
    for case in [*torch_seq.edge_cases(), *torch_seq.invalid_cases()]:
        problems = torch_seq.mismatches(torch_seq.record(case))
        if problems:
            failures.append(
                f"{case['layer']}(*{case['args']}, **{case['kwargs']}) on {case['input_shape']}: {problems}"
            )
    assert not failures, "\n".join(failures)
