"""Compare convwidget.layers with live Keras 3.15 (torch backend) on a fresh random sample of ~200 cases.

The seed changes every run (set ``CONVWIDGET_KERAS_SEED`` to repeat one); a
failure names it and every case id carries it. The hand-picked edge and
invalid cases are run live too, so a new Keras release that changes them
fails here before anyone re-records ``tests/data/keras_cases.json``.
Skipped without Keras, failing instead when ``CI`` is set.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from types import ModuleType

import pytest
from conftest import require

from tests.oracles import keras as keras_oracle
from tests.oracles.base import Case

pytestmark = pytest.mark.frameworks

# LAYERS sums to 382 cases at scale 1; half of that is ~190 (about 5 s here, most of it importing Keras)
SCALE = 0.5


@pytest.fixture(scope="module")
def keras() -> ModuleType:
    # the backend is chosen once, at Keras' first import; only torch is in the 'frameworks' extra
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "torch"
    module = require("keras", "live cross-check of convwidget.layers against Keras 3")
    assert module.__version__.startswith("3.15"), module.__version__
    return module


def _failures(cases: list[Case]) -> tuple[list[str], Counter]:
    failures = []
    outcomes: Counter = Counter()
    for case in cases:
        rec = keras_oracle.record(case)
        outcomes[rec["expect"]] += 1
        problems = keras_oracle.mismatches(rec)
        if problems:
            said = rec.get("keras_error", {}).get("message", "")[:160]
            failures.append(f"{rec['id']} [{rec['expect']}] {'; '.join(problems)} {said}".rstrip())
    return failures, outcomes


def test_fresh_sample_agrees_with_live_keras(keras: ModuleType) -> None:
    seed = int(os.environ.get("CONVWIDGET_KERAS_SEED", random.randrange(2**31)))
    cases = keras_oracle.random_cases(seed, SCALE)
    assert len(cases) >= 180
    failures, outcomes = _failures(cases)
    assert not failures, f"CONVWIDGET_KERAS_SEED={seed}:\n" + "\n".join(failures)
    # most random cases are valid layers, so the sample really compares counts and shapes
    assert outcomes["ok"] >= 0.8 * len(cases), (seed, outcomes)


def test_edge_and_invalid_cases_agree_with_live_keras(keras: ModuleType) -> None:
    failures, outcomes = _failures([*keras_oracle.edge_cases(), *keras_oracle.invalid_cases()])
    assert not failures, "\n".join(failures)
    assert outcomes["ok"] and outcomes["error"] and outcomes["ConfigError"], outcomes
