"""python -m convwidget.export: a lesson notebook's handout, read from its saved outputs (no kernel)."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from convwidget.export.__main__ import main
from convwidget.export.handout import Picture, Printed, handout_markdown, key_results, read_lesson

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "01-mnist-walkthrough.ipynb"
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def printed_and_pictures(path: Path) -> tuple[list[str], list[bytes]]:
    """What the notebook printed (stdout) and the PNGs it showed, read straight from its JSON."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    printed: list[str] = []
    pictures: list[bytes] = []
    for cell in cells:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream" and output["name"] == "stdout":
                printed.append("".join(output["text"]))
            elif "image/png" in output.get("data", {}):
                pictures.append(base64.b64decode("".join(output["data"]["image/png"])))
    return printed, pictures


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The handout of a copy of notebook 01, written by the command line in a temporary folder."""
    work = tmp_path_factory.mktemp("handout")
    copy = work / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    result = subprocess.run(
        [sys.executable, "-m", "convwidget.export", str(copy), str(work / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    target = Path(result.stdout.strip())
    assert target == work / "out" / "01-mnist-walkthrough.md"
    return copy, target


def test_every_printed_line_and_number_is_in_the_handout(handout: tuple[Path, Path]) -> None:
    copy, target = handout
    markdown = target.read_text(encoding="utf-8")
    printed, _ = printed_and_pictures(copy)
    assert printed  # the notebook is executed
    for text in printed:
        for line in text.splitlines():
            assert line in markdown, line
    numbers = {n for text in printed for n in NUMBER.findall(text)}
    assert {"320", "18,207", "630", "1,161,344", "1,181,161", "98.3"} <= numbers
    assert numbers <= set(NUMBER.findall(markdown))


def test_key_results_gather_the_formulas_and_counts(handout: tuple[Path, Path]) -> None:
    markdown = handout[1].read_text(encoding="utf-8")
    key = markdown.split("## Key results\n", 1)[1].split("\n## ", 1)[0]
    for line in (
        "(3·3·1 + 1)·32 = 320",
        "(3·3·32 + 1)·63 = 18,207",
        "630 = (3·3 + 1)·63: each of the 63 kernels also spans the 32 input channels",
        "(9072 + 1)·128 = 1,161,344",
        "total: 1,181,161",
    ):
        assert line in key, line
    assert key.count("(3·3·32 + 1)·63 = 18,207`") == 1  # printed twice in the lesson, listed once


def test_figures_are_the_notebooks_own_and_linked(handout: tuple[Path, Path]) -> None:
    copy, target = handout
    markdown = target.read_text(encoding="utf-8")
    _, pictures = printed_and_pictures(copy)
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert len(links) == len(pictures) == 3
    for link, png in zip(links, pictures):
        assert (target.parent / link).read_bytes() == png


def test_widgets_and_local_links_are_left_out(handout: tuple[Path, Path]) -> None:
    markdown = handout[1].read_text(encoding="utf-8")
    assert "ModelWalkthrough(" not in markdown  # interactive: not on paper
    assert "SOURCES.md" not in markdown and "asked why (the question, Stack Overflow" in markdown


def test_a_missing_notebook_is_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.ipynb"), str(tmp_path / "out")]) == 2
    assert "notebook=" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_outputs_are_read_as_results_only(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n not decoded, only copied"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Lesson\nThe question, see [here](data.md)."),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="(3·3 + 1)·2 = 20\n"),
                nbformat.v4.new_output("stream", name="stderr", text="a warning 99\n"),
                nbformat.v4.new_output("stream", name="stdout", text="code ``` inside\n"),
                nbformat.v4.new_output("error", ename="E", evalue="boom 77", traceback=[]),
                nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(png).decode()}),
            ],
        ),
    ]
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, str(path))
    lesson = read_lesson(path)
    assert lesson.title == "Lesson" and lesson.intro == "The question, see here."
    (section,) = lesson.sections
    # one cell's stdout pieces as one block; stderr and errors left out; the figure kept
    assert section.outputs == (Printed("(3·3 + 1)·2 = 20\ncode ``` inside"), Picture(png))
    assert key_results(lesson) == ("(3·3 + 1)·2 = 20",)
    markdown = handout_markdown(lesson, {0: "figures/lesson-1.png"})
    assert "````text\n(3·3 + 1)·2 = 20\ncode ``` inside\n````" in markdown  # the fence outlasts the text's
    assert "99" not in markdown and "77" not in markdown
