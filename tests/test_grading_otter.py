"""otter-grader runs the assignment in notebooks/grading/otter/ and shows convwidget's diagnosis on failure.

``otter check`` (the command a teacher or student runs) executes a submission and the exception-based
test files in ``tests/``; each calls :mod:`convwidget.grading`, so a wrong answer's failure message is
the diagnosis sentence. (The example notebook runs otter's in-notebook ``grader.check`` under nbval,
with the failed first try saved in its output.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = ROOT / "notebooks" / "grading" / "otter"

RIGHT = 'count = 18207\nshape = (None, 24, 24, 63)\ntotal = "109,257"\n'
# the classic mistakes: Cin forgotten (630), the input's channels kept (32), the Dense layer left out
WRONG = "count = (3 * 3 + 1) * 63\nshape = (24, 24, 32)\ntotal = 320 + 18207\n"


def _otter_check(submission: Path, cwd: Path) -> str:
    """Run ``otter check SUBMISSION -t tests`` as a user would; return what it prints."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "otter", "check", str(submission), "-t", str(ASSIGNMENT / "tests")],
        cwd=cwd,  # otter writes its .OTTER_LOG here
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def otter_installed() -> None:
    require("otter", "otter-grader runs the grading example")


def test_a_right_submission_passes(otter_installed: None, tmp_path: Path) -> None:
    submission = tmp_path / "right.py"
    submission.write_text(RIGHT)
    assert _otter_check(submission, tmp_path).strip() == "All tests passed!"


def test_a_wrong_submission_fails_with_the_diagnosis(otter_installed: None, tmp_path: Path) -> None:
    submission = tmp_path / "wrong.py"
    submission.write_text(WRONG)
    out = _otter_check(submission, tmp_path)
    assert (
        "WrongAnswerError: 630 = (3·3 + 1)·63: each of the 63 kernels also spans the 32 input channels, "
        "so it has 3·3·32 weights, not 3·3."
    ) in out
    assert (
        "WrongAnswerError: (24, 24, 32) is wrong: the layer makes 63 output channels (one per kernel), "
        "not the input's 32, so the output is (24, 24, 63)."
    ) in out
    assert (
        "WrongAnswerError: 18,527 is not the total: layer 'dense' (Dense) is left out; "
        "it has (9072 + 1)·10 = 90,730 parameters."
    ) in out
    assert out.count("❌ Test case failed") == 3  # q3's first case (a number was given) passes
