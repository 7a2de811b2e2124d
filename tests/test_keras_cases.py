"""Replay every case recorded from real Keras 3.15 (``tests/data/keras_cases.json``) through convwidget.

No framework is needed: the expected output shapes, counts and weights are
what Keras produced when ``scripts/record_keras_cases.py`` built each layer
and ran it on zeros. Refused cases must raise :class:`convwidget.ConfigError`.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from keras_cases import LAYERS, mismatches  # noqa: E402

DATA = json.loads((ROOT / "tests" / "data" / "keras_cases.json").read_text(encoding="utf-8"))
CASES = DATA["cases"]


@pytest.mark.parametrize("rec", CASES, ids=[c["id"] for c in CASES])
def test_matches_keras(rec: dict) -> None:
    problems = mismatches(rec)
    assert not problems, "\n".join(problems)


def test_file_covers_every_layer_class_and_both_outcomes() -> None:
    from convwidget import layers

    assert DATA["keras_version"].startswith("3.15")
    assert DATA["backend"] == "torch"
    ok = Counter(c["layer"] for c in CASES if c["expect"] == "ok")
    # every layer class of the dialect (but Input/InputLayer, which only fix a shape) is recorded
    classes = {
        name
        for name in layers.__all__
        if isinstance(getattr(layers, name), type) and name not in ("Layer", "InputLayer")
    }
    assert classes == set(LAYERS)
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
    assert mismatches(rec) == []
    assert mismatches({**rec, "trainable": 630})
    assert mismatches({**rec, "output_shape": [26, 26, 63]})
    assert mismatches({**rec, "weights": [["bias", [63]], ["kernel", [3, 3, 32, 63]]]})
    assert mismatches({**rec, "expect": "error"})
