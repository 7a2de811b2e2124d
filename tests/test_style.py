"""The code base stays ruff clean (lint and format), as the contributing rules ask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import require

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["convwidget", "tests", "scripts", "benchmarks"]


def test_ruff_lint() -> None:
    require("ruff", "lints the code base")
    paths = [p for p in PATHS if (ROOT / p).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_format() -> None:
    require("ruff", "checks formatting")
    paths = [p for p in PATHS if (ROOT / p).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
