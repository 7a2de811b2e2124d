"""Replay the sequence-layer cases recorded from real Keras 3.15 and PyTorch 2.13 (issue #17), without them.

``tests/data/keras_cases_seq.json`` (:mod:`tests.oracles.keras_seq`) and
``tests/data/torch_cases_seq.json`` (:mod:`tests.oracles.torch_seq`) hold what the
frameworks did with each case; every case must agree in output shape,
trainable and non-trainable parameters, weight names and shapes, buffers, and
refusals (a :class:`convwidget.ConfigError` naming the layer).
Regenerate with ``python scripts/record_keras_seq_cases.py`` /
``python scripts/record_torch_seq_cases.py``.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.oracles import keras_seq, torch_seq
from tests.oracles.base import Case, read_recording, shape_problems

KERAS = read_recording(keras_seq.DATA)
TORCH = read_recording(torch_seq.DATA)
KERAS_CASES: list[Case] = KERAS["cases"]
TORCH_CASES: list[Case] = TORCH["cases"]

_KERAS_CASE_KEYS = {"id", "layer", "kwargs", "input_shape", "source", "note"}

# The classes issue #17 adds, each of which must be recorded (and run) several times.
NEW_KERAS = set(keras_seq.LAYERS)
NEW_TORCH = {
    "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention", "TransformerEncoderLayer",
    "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "MaxPool1d", "AvgPool1d", "AdaptiveMaxPool2d",
    "Upsample", "PixelShuffle", "Dropout2d", "Unflatten", "PReLU",
}  # fmt: skip


@pytest.mark.parametrize("rec", KERAS_CASES, ids=[c["id"] for c in KERAS_CASES])
def test_matches_keras(rec: Case) -> None:
    problems = keras_seq.mismatches(rec)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", TORCH_CASES, ids=[c["id"] for c in TORCH_CASES])
def test_matches_torch(case: Case) -> None:
    problems = torch_seq.mismatches(case)
    assert not problems, (
        f"{case['layer']}(*{case['args']}, **{case['kwargs']}) on {case['input_shape']}: {problems}"
    )


def test_recordings_match_the_generators() -> None:
    # the files were made from the oracles as they are now: same cases, same ids, same order
    fresh = keras_seq.cases(KERAS["seed"])
    assert json.loads(json.dumps(fresh)) == [
        {k: v for k, v in c.items() if k in _KERAS_CASE_KEYS} for c in KERAS_CASES
    ]
    assert TORCH["n_random"] == torch_seq.RANDOM_CASES
    fresh_torch = torch_seq.cases(TORCH["seed"])
    assert json.loads(json.dumps(fresh_torch)) == [
        {k: v for k, v in c.items() if k != "torch"} for c in TORCH_CASES
    ]


def test_recordings_come_from_the_pinned_frameworks() -> None:
    assert KERAS["keras_version"].startswith("3.15") and KERAS["backend"] == "torch"
    assert TORCH["torch_version"].startswith("2.13.0")


def test_every_new_class_is_recorded_valid_and_refused() -> None:
    ok = Counter(c["layer"] for c in KERAS_CASES if c["expect"] == "ok")
    refused = Counter(c["layer"] for c in KERAS_CASES if c["expect"] != "ok")
    assert all(ok[name] >= 5 for name in NEW_KERAS), ok
    # every class also has refused cases (Keras refuses them, or convwidget on purpose)
    assert all(refused[name] >= 1 for name in NEW_KERAS), refused
    ran = Counter(c["layer"] for c in TORCH_CASES if c["torch"]["ok"])
    raised = Counter(c["layer"] for c in TORCH_CASES if not c["torch"]["ok"])
    assert set(ran) == NEW_TORCH and all(ran[name] >= 3 for name in NEW_TORCH), ran
    assert all(raised[name] >= 1 for name in NEW_TORCH), raised
    assert sum(ran.values()) >= 250 and sum(raised.values()) >= 50


def test_the_issues_refusals_are_recorded() -> None:
    # embed_dim not divisible by num_heads, GroupNorm groups not dividing channels, proj_size >= hidden_size
    def raised(layer: str, args: list[int], kwargs: dict[str, int]) -> bool:
        return any(
            c["layer"] == layer and c["args"] == args and c["kwargs"] == kwargs and not c["torch"]["ok"]
            for c in TORCH_CASES
        )

    assert raised("MultiheadAttention", [6, 4], {})
    assert raised("GroupNorm", [3, 4], {})
    assert raised("LSTM", [3, 5], {"proj_size": 5})


def test_deliberate_refusals_are_few_and_named() -> None:
    reasons = Counter(
        torch_seq.refused_on_purpose(c)
        for c in TORCH_CASES
        if c["torch"]["ok"] and torch_seq.refused_on_purpose(c)
    )
    assert sum(reasons.values()) <= 0.06 * len(TORCH_CASES), reasons
    keras_refused = [c for c in KERAS_CASES if c["expect"] == "ConfigError"]
    assert all(c.get("why") for c in keras_refused)


def test_the_comparisons_can_fail() -> None:
    # doctored records must be caught: the replays are not vacuous
    rec = next(c for c in KERAS_CASES if c["id"].startswith("e00-LSTM"))
    assert rec["trainable"] == 24832 and keras_seq.mismatches(rec) == []
    assert keras_seq.mismatches({**rec, "trainable": 24832 - 256})  # one bias fewer
    assert keras_seq.mismatches({**rec, "output_shape": [100, 64]})
    assert keras_seq.mismatches({**rec, "weights": rec["weights"][::-1]})
    assert keras_seq.mismatches({**rec, "expect": "error"})
    case = next(c for c in TORCH_CASES if c["layer"] == "LSTM" and c["args"] == [32, 64])
    ran = case["torch"]
    assert ran["params"] == 25088 and torch_seq.mismatches(case) == []
    assert torch_seq.mismatches({**case, "torch": {**ran, "params": ran["params"] - 256}})
    assert torch_seq.mismatches({**case, "torch": {**ran, "output_shape": [64]}})
    assert torch_seq.mismatches({**case, "torch": {**ran, "param_shapes": ran["param_shapes"][::-1]}})
    assert torch_seq.mismatches({**case, "torch": {"ok": False, "error": "RuntimeError: made up"}})


def test_the_oracles_have_the_shared_shape() -> None:
    assert shape_problems(keras_seq) == []
    assert shape_problems(torch_seq) == []
