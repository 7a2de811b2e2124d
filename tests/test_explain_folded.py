"""Hard wraps of every recorded paste (issue #16 item 4): a chat box or an e-mail folds each line at a
space, at any width from 30 to 120, and the explainer still reads every row, its depth and the totals.

The reference is the same paste unfolded, whose rows the truth tests (test_explain_adversarial,
test_explain_nested_deep) check against the frameworks.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from convwidget import explain_summary
from convwidget.reading.parse import parse_summary

DATA = Path(__file__).parent / "data" / "pasted"
ALL = sorted(p.name for p in DATA.glob("*.txt") if "torch_repr" not in p.name)
# These lost rows at some widths before the folded readers (convwidget.reading.unwrap): every width.
EVERY_WIDTH = sorted(
    n
    for n in ALL
    if n == "tf_keras__functional__ll60.txt"
    or (n.startswith("adv__torchinfo__cols") and "kernel" in n)
    or n.startswith(("adv__torchinfo__nested", "adv__torchinfo__tutorial_var"))
    or (n.startswith("adv__keras3__nested_deep") and "expanded" in n)
)
WIDTHS = range(30, 121)
_STRIDE = 13  # the other pastes: every 13th width, starting where the paste's index says (all widths in all)


def fold(text: str, width: int) -> str:
    """What a chat box or an e-mail does: fold each line at a space to at most ``width`` characters."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False) or [""]) for line in text.split("\n")
    )


def _reading(text: str) -> tuple[object, ...]:
    e = explain_summary(text)
    counts = [r.params or 0 for r in e.rows if not r.container and r.layer_type != "InputLayer"]
    structure = [(r.depth, r.container) for r in e.rows if r.params or r.container]
    return counts, structure, e.totals_ok


def _lost(name: str, widths: range) -> list[int]:
    text = (DATA / name).read_text(encoding="utf-8")
    unfolded = _reading(text)
    return [w for w in widths if _reading(fold(text, w)) != unfolded]


@pytest.mark.parametrize("name", EVERY_WIDTH)
def test_every_width_keeps_every_row_depth_and_the_totals(name):
    assert not _lost(name, WIDTHS), "rows, depths or totals lost at these widths"


@pytest.mark.parametrize("index", range(len(ALL)))
def test_every_recorded_paste_folded_keeps_its_rows(index):
    name = ALL[index]
    assert not _lost(name, range(30 + index % _STRIDE, 121, _STRIDE)), name


def test_tf_keras_wrapped_in_its_columns_and_folded_again_reads_each_piece_by_what_it_is():
    # At 35 columns the count and 'Connected to' of every row move to a line of their own, and the
    # second half of a count (classifier's '313' / '70') with them: checked by hand against the paste.
    text = (DATA / "tf_keras__functional__ll60.txt").read_text(encoding="utf-8")
    rows = parse_summary(fold(text, 35)).rows
    assert [(r.name, r.layer_type, r.output_shape, r.count, r.connected_to) for r in rows] == [
        ("image", "InputLayer", (28, 28, 1), 0, ()),
        ("branch_3x3", "Conv2D", (28, 28, 8), 80, ("image",)),
        ("branch_5x5", "Conv2D", (28, 28, 8), 208, ("image",)),
        ("merge", "Concatenate", (28, 28, 16), 0, ("branch_3x3", "branch_5x5")),
        ("squeeze", "Conv2D", (28, 28, 4), 68, ("merge",)),
        ("flatten", "Flatten", (3136,), 0, ("squeeze",)),
        ("classifier", "Dense", (10,), 31370, ("flatten",)),
    ]
    e = explain_summary(fold(text, 35))
    assert e.row("classifier").formula == "(3136 + 1)·10 = 31,370" and e.totals_ok is True
    assert e.row("squeeze").formula == "(1·1·16 + 1)·4 = 68"


def test_torchinfo_titles_folded_at_a_space_or_a_hyphen_keep_their_columns():
    # 'Kernel Shape' folds to 'Kernel' / 'Shape', 'Mult-Adds' to 'Mult-' / 'Adds' (textwrap breaks
    # hyphenated words); the kernel column is no shape and the Mult-Adds figure no count.
    text = (DATA / "adv__torchinfo__cols_output_num_kernel_mult.txt").read_text(encoding="utf-8")
    for width in (31, 40, 50, 60):
        folded = fold(text, width)
        rows = [r for r in parse_summary(folded).rows if not r.container]
        assert [(r.output_shape, r.count, r.kernel_size, r.mult_adds) for r in rows] == [
            ((8, 16, 12), 608, (5, 5), 116736),
            ((8, 16, 12), 1032, (4, 4), 198144),
        ], width


def test_a_box_row_whose_empty_cells_a_fold_left_alone_keeps_its_type():
    # At 32 columns the second line of 'input_layer (InputLayer)' folds into '│ (InputLayer)',
    # '│     │' and '│': the borders of empty cells, not a rule between rows.
    text = (DATA / "adv__keras3__nested_deep2_expanded_default.txt").read_text(encoding="utf-8")
    e = explain_summary(fold(text, 32))
    assert e.row("input_layer").layer_type == "InputLayer"
    assert e.row("batch_normalization").formula == "(1 + 1 + 1 + 1)·8 = 32"
    assert e.totals_ok is True
