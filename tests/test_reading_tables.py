"""The table readers: box-drawn (Keras 3), column-aligned (tf.keras), token streams (Keras 2, torchinfo)."""

from __future__ import annotations

from pathlib import Path

from convwidget.reading.pasted import PastedRow
from convwidget.reading.tables import box_rows, column_rows, row_quality, stream_rows
from convwidget.reading.tokens import normalise

DATA = Path(__file__).parent / "data" / "pasted"

KERAS3 = normalise(
    """\
┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃ Layer (type)    ┃ Output     ┃ Param ┃
┃                 ┃ Shape      ┃     # ┃
┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ conv2d (Conv2D) │ (None, 26, │   320 │
│                 │ 26, 32)    │       │
├─────────────────┼────────────┼───────┤
│ conv2d_1        │ (None, 24, │ 18,2… │
│ (Conv2D)        │ 24, 63)    │       │
├─────────────────┼────────────┼───────┤
│ max_pooling2d   │ (None, 12, │     0 │
│ (MaxPooling2D)  │ 12, 63)    │       │
└─────────────────┴────────────┴───────┘"""
)


def _table(text: str) -> tuple[list[str], list[int]]:
    lines = text.split("\n")
    return lines, list(range(1, len(lines) + 1))


def test_box_rows_join_the_lines_of_each_cell() -> None:
    rows = box_rows(*_table(KERAS3))
    assert [(r.name, r.layer_type, r.type_complete) for r in rows] == [
        ("conv2d", "Conv2D", True),
        ("conv2d_1", "Conv2D", True),
        ("max_pooling2d", "MaxPooling2D", True),
    ]
    assert [r.output_shapes for r in rows] == [((26, 26, 32),), ((24, 24, 63),), ((12, 12, 63),)]
    # "18,2…" is a count Keras cut: recognised, but its value is unknown.
    assert [(r.count, r.count_text) for r in rows] == [(320, "320"), (None, "18,2…"), (0, "0")]
    # Each row starts on the paste's line of its first cell line.
    assert [r.line for r in rows] == [5, 8, 11]


def test_box_rows_rejoin_a_hard_wrapped_line() -> None:
    # A copy that wrapped the row inside its shape: the rest moved to a line of its own.
    text = "| Layer (type) | Output Shape | Param # |\n| conv2d (Conv2D) | (None, 26, 26,\n32) | 320 |"
    (row,) = box_rows(*_table(text))
    assert (row.name, row.output_shapes, row.count) == ("conv2d", ((26, 26, 32),), 320)


def test_box_rows_without_rules_split_where_a_second_count_starts() -> None:
    text = (
        "| Layer (type) | Output Shape | Param # |\n"
        "| a (Dense) | (None, 4) | 20 |\n"
        "| b (Dense) | (None, 2) | 10 |"
    )
    assert [(r.name, r.count) for r in box_rows(*_table(text))] == [("a", 20), ("b", 10)]


def test_box_rows_read_connected_to() -> None:
    text = (
        "| Layer (type) | Output Shape | Param # | Connected to |\n"
        "| merge (Concatenate) | (None, 28, 28, 16) | 0 | branch_3x3[0][0], |\n"
        "|  |  |  | branch_5x5[0][0] |"
    )
    (row,) = box_rows(*_table(text))
    assert row.connected_to == ("branch_3x3", "branch_5x5")


def test_column_rows_read_tf_keras_wrapped_names_by_column() -> None:
    lines = (DATA / "tf_keras__long_names__ll60.txt").read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if "Layer (type)" in line)
    end = next(i for i, line in enumerate(lines) if "Total params" in line)
    rows = column_rows(lines, header, end)
    # tf.keras wrapped "a_very_long_convolution_layer_name_indeed (Conv2D)" over three lines of its column.
    assert (rows[0].name, rows[0].layer_type, rows[0].count) == (
        "a_very_long_convolution_layer_name_indeed",
        "Conv2D",
        448,
    )
    assert rows[0].output_shapes == ((26, 26, 16),)
    assert rows[3].layer_type == "GlobalAveragePooling2D" and rows[3].type_complete


def test_column_rows_need_a_header_of_three_to_six_columns() -> None:
    assert column_rows(["Layer (type)  Param #", "a (Dense)  20"], 0, 2) == []


def test_stream_rows_read_a_collapsed_keras2_table() -> None:
    text = (
        "Layer (type) Output Shape Param #\n"
        "conv2d_1 (Conv2D) (None, 26, 26, 32) 320\n"
        "max_pooling2d_1 (MaxPooling2 (None, 13, 13, 32) 0\n"
        "dense_1 (Dense) (None, 10) 54090\n"
    )
    rows = stream_rows(text, text.index("\n") + 1, len(text), torchinfo=False)
    assert [(r.name, r.layer_type, r.type_complete, r.count) for r in rows] == [
        ("conv2d_1", "Conv2D", True, 320),
        ("max_pooling2d_1", "MaxPooling2", False, 0),
        ("dense_1", "Dense", True, 54090),
    ]
    assert [r.line for r in rows] == [2, 3, 4]


def test_stream_rows_rejoin_a_name_keras_wrapped_mid_word() -> None:
    # Keras 2 wraps a long name inside its column: the fragments join without a space.
    text = "Layer (type) Output Shape Param #\nvery_long_na (None, 4) 20\nme (Dense)\n"
    (row,) = stream_rows(text, text.index("\n") + 1, len(text), torchinfo=False)
    assert (row.name, row.layer_type, row.count) == ("very_long_name", "Dense", 20)


def test_stream_rows_mark_torchinfo_containers_by_depth() -> None:
    text = normalise((DATA / "torchinfo__nested.txt").read_text(encoding="utf-8"))
    start = text.index("Sequential ")
    rows = stream_rows(text, start, text.index("Total params"), torchinfo=True)
    assert [(r.layer_type, r.depth, r.container) for r in rows[:3]] == [
        ("Sequential", 0, True),
        ("Sequential", 1, True),
        ("Conv2d", 2, False),
    ]
    assert rows[2].name == "Conv2d: 2-1" and rows[2].count == 224 and rows[2].output_shapes == ((8, 30, 30),)
    # The last row of each block is no container (nothing deeper follows it).
    assert not rows[-1].container and rows[-1].layer_type == "Linear" and rows[-1].count == 125450


def test_row_quality_prefers_counts_and_complete_types() -> None:
    full = PastedRow(name="a", layer_type="Dense", type_complete=True, output_shapes=((4,),), count_text="20")
    cut = PastedRow(name="a", layer_type="Den", type_complete=False, output_shapes=((4,),))
    assert row_quality([full]) == 5 and row_quality([cut]) == 1
