"""The package's type hints are checked: ``mypy --strict`` (config in pyproject.toml) reports no error.

mypy is pinned in the ``test`` extra, since each release finds new errors;
the frameworks and the notebook stack are treated as untyped in
``[tool.mypy]``, so the result is the same with and without the extras.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import require

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_finds_no_error() -> None:
    require("mypy", "checks the type hints")
    # mypy's own cache (.mypy_cache, which ignores itself in git) keeps reruns fast and is checked by hash
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout, result.stdout
