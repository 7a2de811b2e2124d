"""The shared pieces of the paste reader: normalised text, shapes, counts, totals and ``name (Type)``."""

from __future__ import annotations

import pytest

from convwidget.reading.pasted import PastedTotals
from convwidget.reading.tokens import (
    SHAPE,
    cells,
    column_roles,
    count_of,
    is_separator,
    normalise,
    shape_values,
    split_header,
    totals,
)


def test_normalise_maps_box_characters_and_line_breaks_keeping_the_line_count() -> None:
    text = "┃ a ┃\r\n┡━━╇━━┩\r\n│\tb\u00a0│\u2028c"
    out = normalise(text)
    assert out == "| a |\n-------\n|    b |\nc"
    # Three line breaks in, three out: line numbers in notes stay the paste's.
    assert out.count("\n") == 3


@pytest.mark.parametrize(
    ("printed", "dims"),
    [
        ("(None, 26, 26, 32)", (26, 26, 32)),  # Keras: the batch axis None dropped
        ("[1, 32, 26, 26]", (32, 26, 26)),  # torchinfo: the batch size dropped
        ("(None, None, 64)", (None, 64)),  # a dimension printed None stays None
        ("(None, ?, 8)", (None, 8)),
        ("(None, 9072)", (9072,)),
        ("(None,\n 26, 26,\n 32)", (26, 26, 32)),  # Keras 3 wrapped the shape inside its cell
    ],
)
def test_printed_shapes_lose_their_batch_axis(printed: str, dims: tuple) -> None:
    (match,) = SHAPE.finditer(printed)
    assert shape_values(match.group()) == dims


def test_connected_to_entries_are_not_shapes() -> None:
    assert SHAPE.findall("conv2d[0][0]  branch_3x3[0][0]") == []


@pytest.mark.parametrize(
    ("token", "read"),
    [
        ("18,207", (18207, True)),
        ("1161344", (1161344, True)),
        ("--", (None, True)),  # torchinfo: no weights
        ("(recursive)", (None, True)),
        ("1,16…", (None, True)),  # Keras 3 cut the count: recognised, value unknown
        ("1,2345", (None, False)),  # not a count: the thousands separator is misplaced
        ("Conv2D", (None, False)),
    ],
)
def test_count_cells(token: str, read: tuple) -> None:
    assert count_of(token) == read


def test_totals_under_a_table() -> None:
    text = " Total params: 1,181,161 (4.51 MB)\n Trainable params: 1,181,097\n Non-trainable params: 64\n"
    assert totals(text) == PastedTotals(total=1181161, trainable=1181097, non_trainable=64)
    # "Non-trainable params" alone is no "Trainable params" line.
    assert totals("Non-trainable params: 64") is None
    assert totals("Optimizer params: 3\nTotal params: 7").optimizer == 3


@pytest.mark.parametrize(
    ("cell", "split"),
    [
        ("conv2d_1 (Conv2D)", ("conv2d_1", "Conv2D", True)),
        ("max_pooling2d_1 (MaxPooling2", ("max_pooling2d_1", "MaxPooling2", False)),  # Keras 2's cut
        ("dense (Dens…)", ("dense", "Dens", False)),  # Keras 3's ellipsis
        ("a_very_long   layer_name  (Conv2D)", ("a_very_long layer_name", "Conv2D", True)),  # spaces collapse
        ("flatten", ("flatten", None, False)),
        ("(InputLayer)", ("InputLayer", "InputLayer", True)),
    ],
)
def test_name_and_type_cells(cell: str, split: tuple) -> None:
    assert split_header(cell) == split


def test_table_lines() -> None:
    assert is_separator("+----+=====+") and is_separator(" |---|---| ")
    assert not is_separator("") and not is_separator("| 0 |")
    assert cells("| conv2d (Conv2D) | (None, 26, 26, 32) | 320 |") == [
        "conv2d (Conv2D)",
        "(None, 26, 26, 32)",
        "320",
    ]
    assert cells("a | b") == ["a", "b"]
    roles = column_roles(["Layer (type)", "Output Shape", "Param #", "Connected to"])
    assert roles == {"name": 0, "shape": 1, "count": 2, "connected": 3}
    # tf.keras prints "Param #" before the shape when asked to: roles follow the header, not the order.
    assert column_roles(["Layer (type)", "Param #", "Output Shape"]) == {"name": 0, "count": 1, "shape": 2}
