"""Cross-check convwidget.cost live against torchinfo 1.8, ptflops and fvcore on PyTorch 2.13.

A fresh seeded sample of random layers and sequence models (each fed as ``cost.feed_of`` says; set
``CONVWIDGET_COST_SEED`` to repeat one) and every hand-picked case but VGG-16 (heavy on two shared
cores: it is in the recording, replayed by test_cost_replay.py) are run in the real tools; 0
disagreements are allowed. Skipped without the frameworks, failing instead when ``CI`` is set.
"""

from __future__ import annotations

import os
import random

import pytest
from conftest import require

from tests.oracles import cost as cost_oracle

pytestmark = pytest.mark.frameworks


def _tools() -> None:
    torch = require("torch", "live cross-check of convwidget.cost")
    assert torch.__version__.startswith("2.13.0"), torch.__version__
    torchinfo = require("torchinfo", "live cross-check of the torchinfo convention")
    assert torchinfo.__version__ == "1.8.0", torchinfo.__version__
    require("ptflops", "live cross-check of the ptflops convention")
    require("fvcore", "live cross-check of the fvcore convention")
    torch.set_num_threads(1)


def test_fresh_random_sample_agrees_live() -> None:
    _tools()
    seed = int(os.environ.get("CONVWIDGET_COST_SEED", random.randrange(2**31)))
    failures = []
    for case in cost_oracle.random_cases(seed) + cost_oracle.random_feed_cases(seed):
        problems = cost_oracle.mismatches(cost_oracle.record(case))
        if problems:
            failures.append(f"{case['id']} {case['layer']}({case.get('args')}, {case['kwargs']}): {problems}")
    assert not failures, f"CONVWIDGET_COST_SEED={seed}: " + "\n".join(failures)


def test_hand_picked_cases_and_models_agree_live() -> None:
    _tools()
    cases = [c for c in cost_oracle.edge_cases() if c["id"] != "vgg16"]
    failures = {c["id"]: cost_oracle.mismatches(cost_oracle.record(c)) for c in cases}
    assert {k: v for k, v in failures.items() if v} == {}
    question = cost_oracle.record(cases[0])
    assert question["torch"]["torchinfo_total"] == 11_866_186
