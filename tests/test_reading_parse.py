"""Sniffing which printer made a paste, and the result types parse_summary returns.

tests/test_paste.py reads every recorded summary (and mangled copies) through the compatibility
module convwidget.paste; this module checks the format sniffing and the data types themselves.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import convwidget.paste
import convwidget.reading
from convwidget.enums import Dialect
from convwidget.reading import PastedRow, PasteFormat, parse_summary

DATA = Path(__file__).parent / "data" / "pasted"
FILES = sorted(json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))["files"])
# The recorded file's printer (its name's prefix) → the format and dialect the paste must be read as.
PRINTERS = {
    "keras2": (PasteFormat.KERAS2, Dialect.KERAS),
    "tf_keras": (PasteFormat.KERAS2, Dialect.KERAS),
    "keras3": (PasteFormat.KERAS3, Dialect.KERAS),
    "torchinfo": (PasteFormat.TORCHINFO, Dialect.TORCH),
    "torch_repr": (PasteFormat.TORCH_REPR, Dialect.TORCH),
}


@pytest.mark.parametrize("fname", FILES)
def test_each_printer_is_recognised(fname: str) -> None:
    summary = parse_summary((DATA / fname).read_text(encoding="utf-8"))
    assert (summary.format, summary.dialect) == PRINTERS[fname.split("__")[0]]


def test_formats_and_dialects_compare_equal_to_their_words() -> None:
    summary = parse_summary((DATA / "keras3__mnist__default.txt").read_text(encoding="utf-8"))
    assert summary.format == "keras3" and str(summary.format) == "keras3"
    assert summary.dialect == "keras" and isinstance(summary.dialect, Dialect)
    assert summary.model_name == "sequential"


def test_a_table_without_header_is_read_by_its_shapes_and_says_so() -> None:
    summary = parse_summary(
        "conv2d (Conv2D)  (None, 26, 26, 32)  320\nTotal params: 320\nTrainable params: 320\n"
    )
    assert [(r.name, r.count) for r in summary.rows] == [("conv2d", 320)]
    assert summary.totals is not None and summary.totals.total == 320
    assert len(summary.notes) == 1 and "No header line" in summary.notes[0]


def test_without_a_header_bracketed_numbers_alone_are_no_row() -> None:
    # A row needs a count and a type: "x = (1, 2, 3)" in prose is not one.
    summary = parse_summary("x = (1, 2, 3) 4\nconv2d (Conv2D)  (None, 26, 26, 32)  320\n")
    assert [r.name for r in summary.rows] == ["conv2d"]


def test_the_compatibility_module_re_exports_the_same_objects() -> None:
    for name in ("parse_summary", "PastedRow", "PastedTotals", "PastedSummary", "EXPECTED", "PShape"):
        assert getattr(convwidget.paste, name) is getattr(convwidget.reading, name)


def test_rows_are_frozen_data_built_by_keyword() -> None:
    row = PastedRow(name="conv2d", layer_type="Conv2D", type_complete=True)
    assert row.output_shape is None and row.args == {} and not row.container
    two = dataclasses.replace(row, output_shapes=((26, 26, 32), (13, 13, 32)))
    assert two.output_shape == (26, 26, 32)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.name = "x"  # type: ignore[misc]
