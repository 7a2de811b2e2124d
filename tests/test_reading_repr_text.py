"""PyTorch's ``print(model)`` text: rows, nesting and constructor arguments."""

from __future__ import annotations

from pathlib import Path

from convwidget.reading.repr_text import literal, repr_rows, split_args

DATA = Path(__file__).parent / "data" / "pasted"


def test_split_args_at_top_level_commas_only() -> None:
    assert split_args("1, 32, kernel_size=(3, 3), stride=(1, 1)") == [
        "1",
        "32",
        "kernel_size=(3, 3)",
        "stride=(1, 1)",
    ]
    assert split_args("normalized_shape=[4, 4], eps=1e-05") == ["normalized_shape=[4, 4]", "eps=1e-05"]
    assert split_args("") == []


def test_literals_are_read_and_anything_else_stays_text() -> None:
    assert literal("(3, 3)") == (3, 3)
    assert literal("True") is True and literal("None") is None and literal("1e-05") == 1e-05
    assert literal("'zeros'") == "zeros"
    assert literal("Units.MEGABYTES") == "Units.MEGABYTES"  # not a literal
    assert literal("(" * 300) == "(" * 300  # too long to try


def test_nested_print_model() -> None:
    rows = repr_rows((DATA / "torch_repr__nested.txt").read_text(encoding="utf-8").split("\n"))
    assert [(r.name, r.layer_type, r.depth, r.container) for r in rows[:3]] == [
        ("Sequential", "Sequential", 0, True),
        ("features", "Sequential", 1, True),
        ("0", "Conv2d", 2, False),
    ]
    conv = rows[2]
    assert dict(conv.args) == {"0": 3, "1": 8, "kernel_size": (3, 3), "stride": (1, 1)}
    assert conv.line == 3 and conv.output_shapes == () and conv.count is None
    depthwise = rows[3]
    assert depthwise.args["groups"] == 8
    # ")" closes "features": "up" is again at depth 1, its children at 2.
    up = next(r for r in rows if r.name == "up")
    assert (up.depth, up.container) == (1, True)
    assert [r.layer_type for r in rows if r.depth == 2] == [
        "Conv2d",
        "Conv2d",
        "Conv2d",
        "BatchNorm2d",
        "MaxPool2d",
        "ConvTranspose2d",
        "ReLU",
        "Flatten",
        "Linear",
    ]
    assert rows[-1].args == {"in_features": 12544, "out_features": 10, "bias": True}


def test_a_hard_wrapped_line_is_rejoined_while_brackets_are_open() -> None:
    lines = ["Net(", "  (conv): Conv2d(1, 32, kernel_size=(3,", "  3), stride=(1, 1))", ")"]
    rows = repr_rows(lines)
    assert rows[1].args == {"0": 1, "1": 32, "kernel_size": (3, 3), "stride": (1, 1)}
    assert rows[1].line == 2
