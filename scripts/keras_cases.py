"""TEMPORARY: the Keras oracle moved to :mod:`tests.oracles.keras`; delete this file once
``tests/test_keras_live.py`` imports that module itself (nothing else imports this one)."""

from __future__ import annotations

from types import ModuleType

from tests.oracles.base import Case
from tests.oracles.keras import (
    LAYERS,
    edge_cases,
    invalid_cases,
    mismatches,
    random_cases,
    random_layer,
)
from tests.oracles.keras import record as _record

__all__ = ["LAYERS", "edge_cases", "invalid_cases", "mismatches", "random_cases", "random_layer", "record"]


def record(case: Case, keras: ModuleType) -> Case:
    """The old signature: ``keras`` is imported by the oracle itself now."""
    return _record(case)
