"""Replay every case recorded from real Keras 3.15 (``tests/data/keras_cases.json``) through convwidget.

No framework is needed: the expected output shapes, counts and weights are
what Keras produced when ``scripts/record_keras_cases.py`` built each layer
and ran it on zeros (:func:`tests.oracles.keras.record`). Refused cases must
raise :class:`convwidget.ConfigError`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.oracles import keras as keras_oracle
from tests.oracles import keras_seq
from tests.oracles.base import Case, read_recording, shape_problems

DATA = read_recording(keras_oracle.DATA)
CASES: list[Case] = DATA["cases"]

# what the generators make; the rest of a record is what Keras did
_CASE_KEYS = {"id", "layer", "kwargs", "input_shape", "source", "note"}


@pytest.mark.parametrize("rec", CASES, ids=[c["id"] for c in CASES])
def test_matches_keras(rec: Case) -> None:
    problems = keras_oracle.mismatches(rec)
    assert not problems, "\n".join(problems)


def test_recording_matches_the_generator() -> None:
    # the file was made from the oracle as it is now: same cases, same ids, same order
    fresh = keras_oracle.cases(DATA["seed"])
    recorded = [{k: v for k, v in c.items() if k in _CASE_KEYS} for c in CASES]
    assert json.loads(json.dumps(fresh)) == recorded


def test_file_covers_every_layer_class_and_both_outcomes() -> None:
    from convwidget import layers

    assert DATA["keras_version"].startswith("3.15")
    assert DATA["backend"] == "torch"
    # the sequence layers of issue #17 are recorded in their own file (tests/test_seq_cases.py replays it)
    seq_cases: list[Case] = read_recording(keras_seq.DATA)["cases"]
    ok = Counter(c["layer"] for c in [*CASES, *seq_cases] if c["expect"] == "ok")
    # every layer class of the dialect (but Input/InputLayer, which only fix a shape) is recorded
    classes = {
        name
        for name in layers.__all__
        if isinstance(getattr(layers, name), type) and name not in ("Layer", "InputLayer")
    }
    assert not set(keras_oracle.LAYERS) & set(keras_seq.LAYERS)
    assert classes == set(keras_oracle.LAYERS) | set(keras_seq.LAYERS)
    assert all(ok[name] >= 5 for name in classes), ok
    outcomes = Counter(c["expect"] for c in CASES)
    assert outcomes["ok"] >= 400
    assert outcomes["error"] >= 50
    assert outcomes["ConfigError"] >= 5
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_on_purpose_refusals_say_why() -> None:
    refused = [c for c in CASES if c["expect"] == "ConfigError"]
    assert refused
    assert all(c.get("why") for c in refused)


def test_mismatches_notices_a_wrong_record() -> None:
    # the comparison itself must be able to fail: corrupt one recorded number of the seed model
    rec = next(c for c in CASES if c.get("note") == "seed model conv 2")
    assert rec["trainable"] == 18207  # (3·3·32 + 1)·63
    assert keras_oracle.mismatches(rec) == []
    assert keras_oracle.mismatches({**rec, "trainable": 630})
    assert keras_oracle.mismatches({**rec, "non_trainable": 1})
    assert keras_oracle.mismatches({**rec, "output_shape": [26, 26, 63]})
    assert keras_oracle.mismatches({**rec, "weights": [["bias", [63]], ["kernel", [3, 3, 32, 63]]]})
    assert keras_oracle.mismatches({**rec, "expect": "error"})
    # a refused case is only right when convwidget refuses it too
    refused = next(c for c in CASES if c["expect"] == "ConfigError")
    assert keras_oracle.mismatches(refused) == []
    assert keras_oracle.mismatches({**rec, "kwargs": {**rec["kwargs"], "filters": 0}, "expect": "ok"})


def test_the_oracles_import_no_framework() -> None:
    # replaying must work on a machine without Keras or PyTorch: only record() imports them
    code = (
        "import sys; from tests.oracles import keras, torch; "
        "keras.mismatches(keras.edge_cases()[0] | {'expect': 'error'}); "
        "torch.mismatches(torch.edge_cases()[0] | {'torch': {'ok': False, 'error': 'made up'}}); "
        "assert 'keras' not in sys.modules and 'torch' not in sys.modules, sorted(sys.modules)"
    )
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_oracle_has_the_shape_both_oracles_share() -> None:
    # cases, random_cases, edge_cases, invalid_cases, record, mismatches, DATA, DEFAULT_SEED
    assert shape_problems(keras_oracle) == []
