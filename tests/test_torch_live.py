"""Compare convwidget.nn with real PyTorch on a fresh random sample of ~200 module cases.

The seed changes every run (set ``CONVWIDGET_TORCH_SEED`` to repeat one); a
failure names it. Skipped without torch, failing instead when ``CI`` is set.
"""

from __future__ import annotations

import os
import random

import pytest
from conftest import require

from tests.oracles import torch as torch_oracle

pytestmark = pytest.mark.frameworks

N_CASES = 200


def test_fresh_sample_agrees_with_live_torch() -> None:
    torch = require("torch", "live cross-check of convwidget.nn against PyTorch")
    assert torch.__version__.startswith("2.13.0"), torch.__version__
    torch.set_num_threads(1)
    seed = int(os.environ.get("CONVWIDGET_TORCH_SEED", random.randrange(2**31)))
    cases = torch_oracle.random_cases(seed, N_CASES / torch_oracle.RANDOM_CASES)
    assert len(cases) == N_CASES
    failures = []
    ran = 0
    for case in cases:
        rec = torch_oracle.record(case)
        ran += rec["torch"]["ok"]
        problems = torch_oracle.mismatches(rec)
        if problems:
            call = f"{case['layer']}(*{case['args']}, **{case['kwargs']})"
            failures.append(f"{case['id']} {call} on {case['input_shape']}: {problems}")
    assert not failures, f"CONVWIDGET_TORCH_SEED={seed}: " + "\n".join(failures)
    # the sample exercised both valid and invalid configurations
    assert 0 < ran < N_CASES, (seed, ran)


def test_edge_and_invalid_cases_agree_with_live_torch() -> None:
    require("torch", "live cross-check of convwidget.nn against PyTorch")
    cases = [*torch_oracle.edge_cases(), *torch_oracle.invalid_cases()]
    failures = []
    for case in cases:
        problems = torch_oracle.mismatches(torch_oracle.record(case))
        if problems:
            failures.append(
                f"{case['layer']}(*{case['args']}, **{case['kwargs']}) on {case['input_shape']}: {problems}"
            )
    assert not failures, "\n".join(failures)
