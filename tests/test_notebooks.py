"""The course notebooks: executed with outputs saved, and guarded by nbval.

nbval itself runs the notebooks (``--nbval`` in pytest's options, ``notebooks``
in ``testpaths``). These tests check what nbval cannot: that the saved
notebooks were executed top to bottom, that the key numbers are printed as
text, and that nbval really fails when a printed count changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
WALKTHROUGH = ROOT / "notebooks" / "01-mnist-walkthrough.ipynb"


def _code_cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def _text_outputs(path: Path) -> str:
    parts = []
    for cell in _code_cells(path):
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append("".join(out["text"]))
            plain = out.get("data", {}).get("text/plain")
            if plain:
                parts.append("".join(plain))
    return "\n".join(parts)


def test_the_lessons_are_numbered_without_gaps() -> None:
    numbered = [p.name for p in NOTEBOOKS if p.parent.name == "notebooks"]
    # 01–05 are the course; later lessons (06: sequences) extend it without a gap in the numbers.
    assert len(numbered) >= 5, numbered
    assert [n[:3] for n in numbered] == [f"{i:02d}-" for i in range(1, len(numbered) + 1)], numbered


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_was_executed_top_to_bottom(path: Path) -> None:
    cells = _code_cells(path)
    assert cells, "a lesson without code cells"
    counts = [c.get("execution_count") for c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        "saved notebook was not executed top to bottom in a fresh kernel: "
        "run `python scripts/execute_notebooks.py` and commit the result"
    )
    assert any(c.get("outputs") for c in cells), "no saved outputs: nbval would pass trivially"
    for cell in cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"saved error output in {path.name}"


def test_walkthrough_prints_the_key_numbers() -> None:
    text = _text_outputs(WALKTHROUGH)
    for number in ("320", "18,207", "1,161,344", "1,181,161"):
        assert number in text, number


def test_nbval_fails_when_a_printed_count_changes(tmp_path: Path) -> None:
    nb = json.loads(WALKTHROUGH.read_text())
    changed = False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "text" in out and any("18,207" in line for line in out["text"]):
                out["text"] = [line.replace("18,207", "18,208") for line in out["text"]]
                changed = True
                break
        if changed:
            break
    assert changed, "no stream output with 18,207 in the walkthrough"
    target = tmp_path / WALKTHROUGH.name
    target.write_text(json.dumps(nb))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
            "--nbval-sanitize-with", str(ROOT / "convwidget" / "data" / "nbval_sanitize.cfg"),
            "--rootdir", str(tmp_path), "-c", str(tmp_path / "pytest.ini"), str(target),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode != 0, result.stdout[-2000:]
    assert "18,208" in result.stdout, result.stdout[-2000:]
