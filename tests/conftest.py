"""Shared test helpers: optional dependencies skip on a user's machine but must be present in CI."""

from __future__ import annotations

import importlib
import os
import shutil
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


def require_program(name: str, why: str) -> str:
    """The path of program ``name``, or skip with a reason; with ``CI`` set, a missing program fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required when CI is set ({why}); .ci/run installs it")
        pytest.skip(f"{name} is not installed ({why})")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.out from the current code (review the diff, note it in CHANGELOG.md)",
    )
