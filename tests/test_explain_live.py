"""Property test against the real frameworks: on random real pastes, every "explained" row's formula is
the framework's configuration and every "ambiguous" list contains it (issue #16).

A fresh random seed each run (printed on failure), bounded to about a minute.
"""

from __future__ import annotations

import os
import random
import time

import pytest

from convwidget import explain_summary
from tests.conftest import require
from tests.explain_corpus import (
    Tally,
    check,
    keras_model,
    keras_summary,
    random_keras_sequence_spec,
    random_keras_spec,
    random_torch_sequence_spec,
    random_torch_spec,
    torch_model,
    truths,
)

pytestmark = pytest.mark.frameworks

_BUDGET_SECONDS = 25.0  # per framework


def _seed() -> int:
    return int(os.environ.get("CONVWIDGET_EXPLAIN_SEED", str(random.SystemRandom().randrange(2**32))))


def test_random_keras_models_are_explained_truthfully():
    keras = require("keras", "the property test builds real Keras models")
    seed = _seed()
    rng = random.Random(seed)
    tally, start, models = Tally(), time.perf_counter(), 0
    while time.perf_counter() - start < _BUDGET_SECONDS:
        spec = random_keras_spec(rng) if models % 3 else random_keras_sequence_spec(rng)
        truth = truths(spec, torch=False)
        functional = rng.random() < 0.5
        model = keras_model(keras, spec, functional=functional)
        weighted = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
        assert [t["params"] for t in truth] == [layer.count_params() for layer in weighted], spec
        tally.add(check(explain_summary(keras_summary(model)), truth, f"seed {seed} model {models} {spec}"))
        models += 1
    assert models > 0 and tally.rows > 0
    assert not tally.problems(), "\n".join(tally.problems())


def test_random_torchinfo_models_are_explained_truthfully():
    torch = require("torch", "the property test builds real PyTorch models")
    torchinfo = require("torchinfo", "the property test prints torchinfo summaries")
    seed = _seed()
    rng = random.Random(seed)
    tally, start, models = Tally(), time.perf_counter(), 0
    while time.perf_counter() - start < _BUDGET_SECONDS:
        spec = random_torch_spec(rng) if models % 3 else random_torch_sequence_spec(rng)
        truth = truths(spec, torch=True)
        model = torch_model(torch, spec)
        leaves = model.layers if hasattr(model, "layers") else model
        real = [sum(p.numel() for p in m.parameters()) for m in leaves]
        assert [t["params"] for t in truth] == real, spec
        text = str(torchinfo.summary(model, input_size=(1, *spec["input"]), verbose=0))
        tally.add(check(explain_summary(text), truth, f"seed {seed} model {models} {spec}"))
        models += 1
    assert models > 0 and tally.rows > 0
    assert not tally.problems(), "\n".join(tally.problems())
