"""A lesson notebook's key results as a Markdown handout folder, read from its saved outputs.

The notebooks are executed before they are committed, so a handout needs no kernel: it is
read from what the notebook printed and drew. Its key results are

- the title and the question the lesson opens with (the first paragraph);
- every printed formula and count, gathered at the top (the lines with a ``·`` formula and a
  ``=``, and ``label: number`` lines such as ``total: 1,181,161``);
- section by section, the heading, the section's first paragraph, what its code printed
  (verbatim, in code blocks: the numbers are the notebook's own) and its figures (the PNGs
  the notebook shows, written to ``figures/``).

Interactive widgets are left out (a handout is paper); errors and stderr too. Usage::

    python -m convwidget.export notebooks/01-mnist-walkthrough.ipynb out/

writes ``out/01-mnist-walkthrough.md`` and ``out/figures/01-mnist-walkthrough-1.png``, …
Reading the notebook needs ``nbformat`` (installed with Jupyter), imported only here.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, cast

from .._checks import fail

__all__ = [
    "Lesson",
    "Picture",
    "Printed",
    "Section",
    "handout_markdown",
    "key_results",
    "read_lesson",
    "write_handout",
]

_WIDGET = "application/vnd.jupyter.widget-view+json"
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# A link to a file next to the notebook would break in the handout folder: keep its text only.
_LOCAL_IMAGE = re.compile(r"!\[[^\]]*\]\((?!https?://)[^)]*\)")
_LOCAL_LINK = re.compile(r"\[([^\]]+)\]\((?!https?://)[^)]*\)")
_COUNT_LINE = re.compile(r"^[A-Za-z][\w '’-]*: [\d,.]+%?$")


@dataclass(frozen=True)
class Printed:
    """Text a code cell printed (its stdout, or a result's plain text), without the last newline."""

    text: str


@dataclass(frozen=True)
class Picture:
    """A figure a code cell showed, as PNG bytes."""

    png: bytes


Output = Union[Printed, Picture]


@dataclass(frozen=True)
class Section:
    """One heading of the lesson, its first paragraph and what its code cells printed and drew."""

    heading: str
    lead: str
    outputs: tuple[Output, ...]


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook's title, opening paragraph and sections (those with outputs)."""

    title: str
    intro: str
    sections: tuple[Section, ...]


def _first_paragraph(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not _HEADING.match(line))
    for block in re.split(r"\n\s*\n", body.strip()):
        if block.strip():
            return _LOCAL_LINK.sub(r"\1", _LOCAL_IMAGE.sub("", block)).strip()
    return ""


def _text(value: Any) -> str:
    # nbformat keeps multi-line text either as one string or as a list of lines.
    return "".join(value) if isinstance(value, list) else str(value)


def _outputs(cell: Any) -> list[Output]:
    out: list[Output] = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            text = _text(output.get("text", "")).rstrip("\n")
        elif kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            if "image/png" in data:
                out.append(Picture(base64.b64decode(_text(data["image/png"]))))
                continue
            if _WIDGET in data or "text/plain" not in data:
                continue  # a widget is interactive: nothing to print on a handout
            text = _text(data["text/plain"]).rstrip("\n")
        else:
            continue  # errors and stderr are not results
        if out and isinstance(out[-1], Printed):
            # one cell's stdout arrives in pieces: keep it as one block
            out[-1] = Printed(out[-1].text + "\n" + text)
        elif text:
            out.append(Printed(text))
    return out


def read_lesson(notebook: str | Path) -> Lesson:
    """Read a lesson's title, opening paragraph and sections from an executed notebook.

    Parameters
    ----------
    notebook : str or Path
        An ``.ipynb`` file with its outputs saved.

    Returns
    -------
    Lesson
        The sections that printed or drew something, in order.

    Raises
    ------
    ConfigError
        If the file does not exist, or nbformat is not installed.
    """
    path = Path(notebook)
    if not path.is_file():
        raise fail("handout", "notebook", str(notebook), "it must be an existing .ipynb file")
    try:
        import nbformat
    except ImportError as exc:
        raise fail(
            "handout", "notebook", str(notebook), "reading it needs nbformat", "pip install nbformat"
        ) from exc
    # nbformat has no type hints: its reader is typed here as what it is, a function returning a notebook.
    reader = cast("Callable[..., Any]", nbformat.read)
    nb = reader(str(path), as_version=4)
    title, intro = path.stem, ""
    sections: list[Section] = []
    heading, lead = "", ""  # the part before the first "##" heading
    outputs: list[Output] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = _text(cell.source).strip()
            match = _HEADING.match(source.splitlines()[0]) if source else None
            if match and len(match.group(1)) == 1 and not sections and not outputs and not heading:
                title, intro = match.group(2).strip(), _first_paragraph(source)
            elif match:
                if outputs:
                    sections.append(Section(heading, lead, tuple(outputs)))
                heading, lead, outputs = match.group(2).strip(), _first_paragraph(source), []
            elif not lead:
                lead = _first_paragraph(source)
        elif cell.cell_type == "code":
            outputs += _outputs(cell)
    if outputs:
        sections.append(Section(heading, lead, tuple(outputs)))
    return Lesson(title, intro, tuple(sections))


def key_results(lesson: Lesson) -> tuple[str, ...]:
    """Every printed formula and count of the lesson, once each, in order.

    Parameters
    ----------
    lesson : Lesson
        From :func:`read_lesson`.

    Returns
    -------
    tuple of str
        Lines with a ``·`` formula and an ``=`` (``(3·3·32 + 1)·63 = 18,207``, diagnoses) and
        ``label: number`` lines (``total: 1,181,161``), stripped.
    """
    found: list[str] = []
    for section in lesson.sections:
        for output in section.outputs:
            if not isinstance(output, Printed):
                continue
            for line in output.text.splitlines():
                line = line.strip()
                key = ("·" in line and "=" in line) or _COUNT_LINE.match(line)
                if key and line not in found:
                    found.append(line)
    return tuple(found)


def _fence(text: str) -> str:
    # A fence longer than any run of backticks in the text, so the text cannot close it.
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def handout_markdown(lesson: Lesson, figures: dict[int, str]) -> str:
    """The handout's Markdown: title, opening question, key results, then the sections.

    Parameters
    ----------
    lesson : Lesson
        From :func:`read_lesson`.
    figures : dict of int to str
        For the n-th :class:`Picture` of the lesson (from 0), the relative path it is saved at.

    Returns
    -------
    str
        Markdown ending with a newline; printed text verbatim in code blocks.
    """
    lines = [f"# {lesson.title}", ""]
    if lesson.intro:
        lines += [lesson.intro, ""]
    results = key_results(lesson)
    if results:
        lines += ["## Key results", "", *(f"- {_inline(r)}" for r in results), ""]
    n = 0
    for section in lesson.sections:
        lines += [f"## {section.heading or lesson.title}", ""]
        if section.lead:
            lines += [section.lead, ""]
        for output in section.outputs:
            if isinstance(output, Printed):
                lines += [_fence(output.text), ""]
            else:
                lines += [f"![{section.heading or lesson.title}, figure {n + 1}]({figures[n]})", ""]
                n += 1
    return "\n".join(lines).rstrip("\n") + "\n"


def _inline(text: str) -> str:
    # A code span, so Markdown reads "*", "_" and "|" in a printed line as text.
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def write_handout(notebook: str | Path, out_dir: str | Path) -> Path:
    """Write a lesson's handout folder: ``<stem>.md`` and its figures under ``figures/``.

    Parameters
    ----------
    notebook : str or Path
        An executed lesson notebook.
    out_dir : str or Path
        The folder (created if missing; files of the same names are replaced).

    Returns
    -------
    Path
        The Markdown file.
    """
    lesson = read_lesson(notebook)
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    stem = Path(notebook).stem
    pictures = [o for s in lesson.sections for o in s.outputs if isinstance(o, Picture)]
    figures: dict[int, str] = {}
    for i, picture in enumerate(pictures):
        name = f"figures/{stem}-{i + 1}.png"
        (out / name).write_bytes(picture.png)
        figures[i] = name
    target = out / f"{stem}.md"
    target.write_text(handout_markdown(lesson, figures), encoding="utf-8")
    return target
