"""Compare convwidget.nn with real PyTorch on a fresh random sample of ~200 module cases.

The seed changes every run (set ``CONVWIDGET_TORCH_SEED`` to repeat one); a
failure names it. Skipped without torch, failing instead when ``CI`` is set.
"""

from __future__ import annotations

import os
import random

import pytest
from conftest import require
from test_torch_cases import RECORDER

pytestmark = pytest.mark.frameworks

N_CASES = 200


def test_fresh_sample_agrees_with_live_torch() -> None:
    torch = require("torch", "live cross-check of convwidget.nn against PyTorch")
    assert torch.__version__.startswith("2.13.0"), torch.__version__
    torch.set_num_threads(1)
    seed = int(os.environ.get("CONVWIDGET_TORCH_SEED", random.randrange(2**31)))
    cases = RECORDER.random_cases(seed, N_CASES)
    failures = []
    ran = 0
    for k, case in enumerate(cases):
        record = RECORDER.run_in_torch(case)
        ran += record["ok"]
        problems = RECORDER.compare(case, record)
        if problems:
            call = f"{case['layer']}(*{case['args']}, **{case['kwargs']})"
            failures.append(f"#{k} {call} on {case['input_shape']}: {problems}")
    assert not failures, f"CONVWIDGET_TORCH_SEED={seed}: " + "\n".join(failures)
    # the sample exercised both valid and invalid configurations
    assert 0 < ran < N_CASES, (seed, ran)


def test_edge_and_invalid_cases_agree_with_live_torch() -> None:
    require("torch", "live cross-check of convwidget.nn against PyTorch")
    cases = [*RECORDER.edge_cases(), *RECORDER.invalid_cases()]
    failures = []
    for case in cases:
        problems = RECORDER.compare(case, RECORDER.run_in_torch(case))
        if problems:
            failures.append(
                f"{case['layer']}(*{case['args']}, **{case['kwargs']}) on {case['input_shape']}: {problems}"
            )
    assert not failures, "\n".join(failures)
