"""Shared test helpers: optional dependencies skip on a user's machine but must be present in CI."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def require(module: str, why: str) -> ModuleType:
    """Import ``module`` or skip with a reason; when ``CI`` is set, a missing module fails instead."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is required when CI is set ({why}): {exc}")
        pytest.skip(f"{module} is not installed ({why}); run `python scripts/test.py --frameworks`")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.out from the current code (review the diff, note it in CHANGELOG.md)",
    )
