"""Install what the test suite needs into the running Python, then run pytest.

Usage: ``python scripts/test.py [--frameworks] [pytest args...]``

The cross-checks against real Keras and PyTorch need the ``frameworks``
extra (torch 2.13.0, CPU build, and Keras 3). It is installed when ``CI`` is
set or ``--frameworks`` is given; otherwise those tests skip with a reason,
so a learner's machine never downloads gigabytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    """Install the extras and run pytest; return pytest's exit code."""
    frameworks = "--frameworks" in argv or bool(os.environ.get("CI"))
    args = [a for a in argv if a != "--frameworks"]
    extras = "test,frameworks" if frameworks else "test"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run([*pip, "-e", f".[{extras}]"], check=True, cwd=ROOT)
    env = dict(os.environ)
    env.setdefault("KERAS_BACKEND", "torch")
    return subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
