"""Summaries and explanations as Markdown and LaTeX (convwidget.export, model.summary(fmt=...)).

Each export is parsed back: a Markdown table has one cell per header on every line, a LaTeX
tabular has one ``&`` fewer than its columns on every row and balanced groups, and it compiles
when a TeX engine is installed. Every number of the text summary is in the export.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import require_program

from convwidget import ConfigError, explain_summary, nn, seed_model, seed_summary
from convwidget.export import explanation_latex, explanation_markdown, latex_escape
from convwidget.export.table import formula_cell
from convwidget.formula import group_digits

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def markdown_table(text: str) -> list[list[str]]:
    """The table lines of a Markdown export, split into cells (header and rule included)."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[c.strip() for c in UNESCAPED_PIPE.split(line)[1:-1]] for line in rows]


def latex_rows(text: str) -> list[str]:
    """The body rows of a LaTeX export's tabular (between \\midrule and \\bottomrule)."""
    body = text.split("\\midrule\n", 1)[1].split("\\bottomrule", 1)[0]
    return body.strip().splitlines()


def assert_balanced_latex(text: str, columns: int) -> None:
    assert text.count("\\begin{") == text.count("\\end{")
    # braces: escaped ones (\{ \}) are text, every other one opens or closes a group
    depth = 0
    for match in re.finditer(r"(?<!\\)[{}]", text):
        depth += 1 if match.group(0) == "{" else -1
        assert depth >= 0
    assert depth == 0
    header = text.split("\\toprule\n", 1)[1].split("\n", 1)[0]
    for row in [header, *latex_rows(text)]:
        assert row.endswith("\\\\"), row
        assert len(re.findall(r"(?<!\\)&", row)) == columns - 1, row
    # every dollar that is not escaped opens or closes math: they pair up
    assert len(re.findall(r"(?<!\\)\$", text)) % 2 == 0


@pytest.mark.parametrize("style", ["keras3", "keras2", "torch"])
@pytest.mark.parametrize("explain", [False, True])
def test_markdown_summary_has_equal_columns_and_every_count(style: str, explain: bool) -> None:
    model = seed_model()
    text = model.summary_text(style, explain=explain, fmt="markdown")
    table = markdown_table(text)
    header, rule, *body = table
    assert all(len(cells) == len(header) for cells in table)
    assert set(rule) <= {":--", "--:"} and rule[header.index("Param #")] == "--:"
    naming = "keras2" if style == "keras2" else None
    rows = model.describe(naming=naming)
    assert len(body) == len(rows)
    for cells, row in zip(body, rows):
        params = cells[header.index("Param #")]
        assert params == (group_digits(row.params) if row.params or style != "torch" else "--")
        if style != "torch":
            assert cells[0] == f"{row.name} ({row.info.layer_type})"
        if explain and row.params:
            assert row.info.terms.text in cells[-1]  # the formula, e.g. (3·3·32 + 1)·63 = 18,207
    assert "- Total params: 1,181,161" in text and "18,207" in text


@pytest.mark.parametrize("style", ["keras3", "torch"])
def test_markdown_carries_every_number_of_the_text_summary(style: str) -> None:
    model = seed_model()
    text = model.summary_text(style, line_length=120, terminal_width=200, explain=True)
    markdown = model.summary_text(style, explain=True, fmt="markdown")
    # torchinfo's batch of 1 and its depth index are in both; the line widths are not numbers
    assert set(NUMBER.findall(text)) <= set(NUMBER.findall(markdown))


def test_torch_markdown_has_buffers_and_dashes() -> None:
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 63, 3), nn.BatchNorm2d(63))
    table = markdown_table(model.summary_text(input_shape=(1, 28, 28), fmt="markdown"))
    header, _, *body = table
    assert header == ["Layer (type:depth-idx)", "Output Shape", "Param #", "Buffers"]
    assert body[1] == ["ReLU: 1-2", "[1, 32, 26, 26]", "--", "--"]
    # BatchNorm2d: γ, β = 2·63 = 126 parameters; running mean, variance and the batch counter = 127
    assert body[3] == ["BatchNorm2d: 1-4", "[1, 63, 24, 24]", "126", "127"]


def test_extra_columns_and_their_footer() -> None:
    model = seed_model()
    text = model.summary_text(columns=("mult_adds", "receptive_field"), fmt="markdown")
    header, _, *body = markdown_table(text)
    assert header[-2:] == ["Mult-adds", "Receptive field"]
    assert body[1][-1] == "5×5"
    footer = next(line for line in text.splitlines() if "Total mult-adds" in line)
    assert footer.startswith("- Total mult-adds (textbook): ")
    plain = model.summary_text(columns=("mult_adds",), line_length=140, terminal_width=200)
    assert footer[2:] in plain


def test_print_fn_gets_the_whole_markdown_once_even_for_keras2() -> None:
    got: list[str] = []
    seed_model().summary(style="keras2", print_fn=got.append, fmt="markdown")
    assert len(got) == 1 and got[0].startswith('**Model: "sequential"**')


def test_summary_prints_the_export(capsys: pytest.CaptureFixture[str]) -> None:
    seed_model().summary(fmt="latex")
    assert capsys.readouterr().out == seed_model().summary_text(fmt="latex")


def test_unknown_fmt_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"fmt.*'html'.*'text', 'markdown', 'latex'"):
        seed_model().summary_text(fmt="html")


@pytest.mark.parametrize("style", ["keras3", "keras2", "torch"])
def test_latex_summary_is_balanced_and_keeps_the_numbers(style: str) -> None:
    model = seed_model()
    text = model.summary_text(style, explain=True, columns=None, fmt="latex")
    assert text.isascii()
    columns = 5 if style == "torch" else 4
    assert_balanced_latex(text, columns)
    body = latex_rows(text)
    assert len(body) == len(model.rows)
    assert "18,207" in body[1] and "(3$\\cdot$3$\\cdot$32 + 1)$\\cdot$63 = 18,207" in body[1]
    assert "\\item Total params: 1,181,161" in text
    # numbers right-aligned, the formula column wrapped; the model's name in TeX quotes
    spec = "llrrp{0.4\\linewidth}" if style == "torch" else "llrp{0.4\\linewidth}"
    assert f"\\begin{{tabular}}{{{spec}}}" in text
    assert text.startswith("\\textbf{sequential}" if style == "torch" else "\\textbf{Model: ``sequential''}")


def test_latex_escape_covers_the_special_characters() -> None:
    escaped = latex_escape("a_b & 50% #1 $x {y} ~z ^w \\ 3×3 · 5−1 …")
    assert escaped == (
        "a\\_b \\& 50\\% \\#1 \\$x \\{y\\} \\textasciitilde{}z \\textasciicircum{}w \\textbackslash{} "
        "3$\\times$3 $\\cdot$ 5$-$1 \\dots{}"
    )


def test_explanation_exports_have_every_formula_row() -> None:
    explanation = explain_summary(seed_summary())
    markdown = explanation_markdown(explanation)
    header, _, *body = markdown_table(markdown)
    assert len(body) == len(explanation.rows)
    assert all(len(cells) == len(header) for cells in body)
    latex = explanation_latex(explanation)
    assert_balanced_latex(latex, len(header))
    for cells, row, tex in zip(body, explanation.rows, latex_rows(latex)):
        assert cells[header.index("Status")] == row.status
        if row.formula:
            assert row.formula in cells[-1]
            assert latex_escape(row.formula) in tex
        if row.printed_count is not None:
            assert cells[header.index("Printed #")] == group_digits(row.printed_count)
    assert "- The rows add up to 1,181,161" in markdown


def test_ambiguous_row_shows_its_alternatives_and_how_many_more() -> None:
    row = explain_summary(seed_summary()).rows[0]
    assert row.status == "ambiguous" and len(row.candidates) > 4
    cell = formula_cell(row)
    assert cell.startswith("(3·3·1 + 1)·32 = 320 (or: ")
    assert all(c.formula in cell for c in row.candidates[1:4])
    assert cell.endswith(f"; {len(row.candidates) - 4} more)")


def test_mismatch_row_says_what_the_shapes_imply() -> None:
    paste = seed_summary().replace("18207", "630  ")
    explanation = explain_summary(paste)
    row = explanation.row("conv2d_2")
    assert row.status == "mismatch"
    assert formula_cell(row) == (
        "the printed count fits no configuration; the shapes imply (3·3·32 + 1)·63 = 18,207"
    )


def test_latex_exports_compile(tmp_path: Path) -> None:
    require_program("pdflatex", "the LaTeX exports must compile")
    model = seed_model()
    parts = [
        model.summary_text(fmt="latex", explain=True, columns=("mult_adds", "receptive_field")),
        model.summary_text("torch", fmt="latex"),
        explanation_latex(explain_summary(seed_summary())),
        "\\begin{tabular}{l}\n"
        + latex_escape("a_b & 50% #1 $x {y} ~z ^w \\ 3×3 · 5−1 …")
        + "\n\\end{tabular}",
    ]
    document = (
        "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage[margin=1cm,landscape]{geometry}\n"
        "\\begin{document}\n" + "\n\n".join(parts) + "\n\\end{document}\n"
    )
    (tmp_path / "export.tex").write_text(document, encoding="ascii")
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "export.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "export.pdf").stat().st_size > 0


PASTED = sorted((Path(__file__).parent / "data" / "pasted").glob("*.txt"))


@pytest.mark.parametrize("path", PASTED, ids=[p.stem for p in PASTED])
def test_every_recorded_paste_exports_with_every_formula(path: Path) -> None:
    explanation = explain_summary(path.read_text(encoding="utf-8"))
    header, _, *body = markdown_table(explanation_markdown(explanation))
    assert len(body) == len(explanation.rows)
    assert all(len(cells) == len(header) for cells in body)
    latex = explanation_latex(explanation)
    assert latex.isascii()
    assert_balanced_latex(latex, len(header))
    for cells, row in zip(body, explanation.rows):
        if row.formula:
            assert cells[-1].startswith(row.formula.replace("|", "\\|"))


def test_every_recorded_paste_compiles(tmp_path: Path) -> None:
    require_program("pdflatex", "the LaTeX exports must compile")
    parts = [explanation_latex(explain_summary(p.read_text(encoding="utf-8"))) for p in PASTED]
    document = (
        "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage[margin=1cm,landscape,a3paper]{geometry}\n"
        "\\begin{document}\n" + "\n\n".join(parts) + "\n\\end{document}\n"
    )
    (tmp_path / "all.tex").write_text(document, encoding="ascii")
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "all.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:]
