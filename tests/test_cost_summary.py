"""summary(columns=("mult_adds", "receptive_field")) in the keras3 and torch styles."""

from __future__ import annotations

import pytest

from convwidget import ConfigError, seed
from tests.oracles import cost as cost_oracle


def test_without_columns_the_table_is_unchanged() -> None:
    model = seed.seed_model()
    plain = model.summary_text(line_length=88, terminal_width=200)
    assert model.summary_text(line_length=88, terminal_width=200, columns=None) == plain
    assert "Mult-adds" not in plain and "mult-adds" not in plain


def test_keras3_columns_show_each_row_and_the_total() -> None:
    text = seed.seed_model().summary_text(
        line_length=110, terminal_width=200, columns=("mult_adds", "receptive_field")
    )
    lines = text.splitlines()
    conv2 = next(line for line in lines if line.startswith("│ conv2d_1 "))
    assert "10,450,944" in conv2 and "5×5" in conv2
    dense = next(line for line in lines if line.startswith("│ dense (Dense)"))
    assert "1,161,216" in dense and "all (28×28)" in dense
    assert lines[-1] == " Total mult-adds (textbook): 11,808,128"
    # the printed column adds up to the printed total (the invariant torchinfo's tests check)
    printed = [line.split("│")[4].strip() for line in lines if line.startswith("│ ") and "(" in line]
    assert sum(int(c.replace(",", "")) for c in printed if c != "--") == 11_808_128


def test_torch_style_with_the_torchinfo_convention() -> None:
    case = {"id": "q", "layer": "Sequential", "args": cost_oracle.QUESTION, "kwargs": {}, "input_shape": []}
    model = cost_oracle.build_convwidget(case)  # type: ignore[arg-type]
    text = model.summary_text(input_shape=(1, 28, 28), columns=("mult_adds",), convention="torchinfo")
    lines = text.splitlines()
    assert lines[1].split() == [
        "Layer",
        "(type:depth-idx)",
        "Output",
        "Shape",
        "Param",
        "#",
        "Buffers",
        "Mult-Adds",
    ]
    assert "10,487,232" in next(line for line in lines if line.startswith("├─Conv2d: 1-3"))
    assert "Total mult-adds (torchinfo): 11,866,186" in lines
    assert len(lines[0]) == 90 + 16


def test_column_errors_name_the_argument() -> None:
    model = seed.seed_model()
    with pytest.raises(ConfigError, match=r"columns=.*'mult_adds'"):
        model.summary_text(columns=("flops",))
    with pytest.raises(ConfigError, match="Keras 2 table"):
        model.summary_text(style="keras2", columns=("mult_adds",))
    with pytest.raises(ConfigError, match="convention="):
        model.summary_text(line_length=88, columns=("mult_adds",), convention="nonsense")


@pytest.mark.parametrize("terminal", [80, 120])
def test_extra_columns_never_cut_a_count_the_console_has_room_for(terminal: int) -> None:
    text = seed.seed_model().summary_text(columns=("mult_adds",), terminal_width=terminal)
    # the Dense row: 1,161,344 parameters and 1,161,216 multiply-adds, both whole
    assert "1,161,344" in text and "1,161,216" in text and "1,161,…" not in text
    wide = seed.seed_model().summary_text(columns=("mult_adds", "receptive_field"), terminal_width=120)
    assert "10,450,944" in wide and "1,161,344" in wide and "…" not in wide
