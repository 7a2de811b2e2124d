"""nbgrader: the example assignment's cell metadata is valid, and nbgrader grades it with the diagnosis.

The source notebook in ``notebooks/grading/nbgrader/source/conv-counts/`` is validated against
nbgrader's own metadata schema; then nbgrader's ``generate_assignment`` makes the students' version
(solutions and hidden tests removed) and ``autograde`` grades a wrong and a right submission.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import require

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks" / "grading" / "nbgrader" / "source" / "conv-counts" / "conv-counts.ipynb"

ANSWERS = {
    # (3·3 + 1)·63 = 630: the input channels forgotten; the shape and total right
    "ada": {"q1-answer": "count = 630", "q2-answer": "shape = (24, 24, 63)", "q3-answer": "total = 109257"},
    "bob": {"q1-answer": "count = 18207", "q2-answer": "shape = (24, 24, 63)", "q3-answer": "total = 109257"},
}


@pytest.fixture(scope="module")
def nbgrader() -> object:
    return require("nbgrader", "nbgrader validates and grades the grading example")


def _cells(nb: nbformat.NotebookNode, **flags: bool) -> list[nbformat.NotebookNode]:
    return [
        c
        for c in nb.cells
        if "nbgrader" in c.metadata and all(c.metadata["nbgrader"].get(k) == v for k, v in flags.items())
    ]


def test_cell_metadata_is_valid_for_nbgrader(nbgrader: object) -> None:
    from nbgrader.nbgraderformat import MetadataValidator

    nb = nbformat.read(SOURCE, as_version=4)
    MetadataValidator().validate_nb(nb)  # raises ValidationError on a bad cell
    solutions, tests = _cells(nb, solution=True), _cells(nb, grade=True, solution=False)
    assert [c.metadata["nbgrader"]["grade_id"] for c in solutions] == ["q1-answer", "q2-answer", "q3-answer"]
    assert [c.metadata["nbgrader"]["points"] for c in tests] == [1, 1, 2]
    assert all("### BEGIN SOLUTION" in c.source and "### END SOLUTION" in c.source for c in solutions)
    assert all("### BEGIN HIDDEN TESTS" in c.source and c.metadata["nbgrader"]["locked"] for c in tests)


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # nbgrader runs alembic
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--force", f"--CourseDirectory.root={course}"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ERROR" not in done.stderr, done.stderr


def test_nbgrader_releases_and_autogrades_with_the_diagnosis(nbgrader: object, tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(SOURCE.parent, course / "source" / "conv-counts")
    _nbgrader(course, "generate_assignment", "conv-counts")
    release = nbformat.read(course / "release" / "conv-counts" / "conv-counts.ipynb", as_version=4)
    text = "\n".join(c.source for c in release.cells)
    assert "check_count(count" not in text and "18207" not in text and "(3 * 3 * 32 + 1) * 63" not in text
    assert text.count("raise NotImplementedError()") == 3

    for student, answers in ANSWERS.items():
        nb = nbformat.read(course / "release" / "conv-counts" / "conv-counts.ipynb", as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        folder = course / "submitted" / student / "conv-counts"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "conv-counts.ipynb")
    _nbgrader(course, "autograde", "conv-counts")

    def errors(student: str) -> dict[str, str]:
        graded = nbformat.read(course / "autograded" / student / "conv-counts" / "conv-counts.ipynb", 4)
        return {
            c.metadata["nbgrader"]["grade_id"]: f"{o['ename']}: {o['evalue']}"
            for c in graded.cells
            if "nbgrader" in c.metadata
            for o in c.get("outputs", [])
            if o["output_type"] == "error"
        }

    assert errors("ada") == {
        "q1-test": "WrongAnswerError: 630 = (3·3 + 1)·63: each of the 63 kernels also spans the 32 input "
        "channels, so it has 3·3·32 weights, not 3·3."
    }
    assert errors("bob") == {}

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission("conv-counts", "ada").score == 3  # 0 + 1 + 2
        assert gb.find_submission("conv-counts", "bob").score == 4
