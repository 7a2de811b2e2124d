"""Read a pasted model summary: sniff which printer made it and hand it to the reader of that format.

:func:`parse_summary` turns the text into data (:class:`~convwidget.reading.pasted.PastedSummary`):
one row per layer with its name, type, output shape(s) and printed count, plus the printed totals.
It copes with what copying does to a table: collapsed alignment, box characters replaced by ``|``
and ``-``, lines hard-wrapped at a space, and Keras' own wrapping of long names and shapes.

Every step is a single pass of simple regular expressions (no nested repetition), so the time is
linear in the length of the text; text with no recognisable row raises
:class:`~convwidget.errors.ParseError`, and nothing else is ever raised.
"""

from __future__ import annotations

import dataclasses
import re

from .._checks import fail
from ..enums import Dialect, Family
from ..errors import ParseError
from ..kinds import by_name
from .pasted import EXPECTED, MAX_READ_ROWS, PastedRow, PastedSummary, PasteFormat
from .repr_text import REPR_LINE, repr_rows
from .tables import (
    TORCHINFO_HEADER,
    TORCHINFO_ROW_START,
    box_rows,
    column_rows,
    row_quality,
    stream_rows,
    torchinfo_columns,
)
from .tokens import HEADER, MODEL_NAME, SHAPE, TOTALS_START, is_separator, normalise, row_pipes, totals
from .unwrap import folded_keras_rows, folded_torchinfo_rows

__all__ = ["parse_summary"]

# The rule of '=' (or '-', '+', '|') under a header, which may wrap over a few lines above it.
_RULE = re.compile(r"(?m)^[ |]*[=+\-|]{5,}[ |=+\-]*$")
_HEADER_WRAP_LINES = 3
_HEADER_WRAP_CHARS = 2000
# Sniffing looks at the start of the text only, so a huge paste costs no more than reading it.
_SNIFF_LINES = 5000
_SNIFF_CHARS = 200_000

_NO_TOTALS = (
    "The paste stops before the totals ('Total params: …'): rows are explained one by one, "
    "but their sum cannot be checked."
)
_NO_HEADER = "No header line ('Layer (type) … Param #') was found; rows were recognised by their shape."


def _is_torch_repr(text: str, lines: list[str]) -> bool:
    return any(REPR_LINE.match(line) for line in lines[:_SNIFF_LINES]) and not HEADER.search(text)


def _is_torchinfo(text: str) -> bool:
    if TORCHINFO_HEADER.search(text):
        return True
    return len(TORCHINFO_ROW_START.findall(text[:_SNIFF_CHARS])) >= 2


def _table_start(text: str, header: re.Match[str] | None) -> int:
    """Offset where the rows begin: after the header line and the rule under it, if any."""
    if header is None:
        return 0
    line_end = text.find("\n", header.end())
    start = len(text) if line_end < 0 else line_end + 1
    # The header may wrap; skip to the rule of '=' under it when there is one within a few lines.
    rule = _RULE.search(text, start, min(len(text), start + _HEADER_WRAP_CHARS))
    if (
        rule
        and text.count("\n", start, rule.start()) <= _HEADER_WRAP_LINES
        and not SHAPE.search(text, start, rule.start())
    ):
        return rule.end()
    return start


def _is_boxed(lines: list[str], pipes: int | None) -> bool:
    # A box table: at least half the lines with a shape also have two '|' (a box row's borders).
    shape_lines = [line for line in lines if SHAPE.search(line)]
    with_pipes = sum(1 for line in shape_lines if line.count("|") >= 2)
    has_box_line = any(line.count("|") >= 2 and not is_separator(line) for line in lines)
    if pipes is not None:
        return has_box_line  # the rules drew a box (a hard wrap may have split every row)
    # Keras 3 at a narrow line_length wraps every shape inside its cell: no line holds a whole shape.
    return has_box_line and with_pipes * 2 >= len(shape_lines)


def _table_rows(
    text: str, lines: list[str], header: re.Match[str] | None, end: int, torchinfo: bool, pipes: int | None
) -> tuple[list[PastedRow], PasteFormat]:
    """The rows of a table (any format but ``print(model)``), and the format they were read in."""
    start = _table_start(text, header)
    # Only the table's lines (header to totals) are looked at: text around it costs nothing more.
    first = text.count("\n", 0, header.start()) if header else 0
    last = text.count("\n", 0, end)
    region_lines = lines[first : last + 1]
    boxed = not torchinfo and _is_boxed(region_lines, pipes)
    if boxed:
        rows = box_rows(region_lines, list(range(first + 1, first + 1 + len(region_lines))), pipes)
        if rows:
            return rows, PasteFormat.KERAS3
    # A box table whose borders were lost, or any plain table: read it as a stream of tokens.
    if torchinfo and header:
        header_index = text.count("\n", 0, header.start())
        by_column = torchinfo_columns(lines, header_index, text.count("\n", 0, end) + 1)
        if by_column:
            return by_column, PasteFormat.TORCHINFO
        # A fold moved cells off their columns: rejoin each row's lines and read its cells in order.
        folded = folded_torchinfo_rows(lines, header_index, text.count("\n", 0, end) + 1)
        if folded:
            return folded, PasteFormat.TORCHINFO
    # Only the region is flattened ('|' → ' ' keeps every offset, so line numbers stay the paste's).
    flat = text[:end].replace("|", " ") if boxed or not torchinfo else text
    rows = stream_rows(flat, start, end, torchinfo)
    if torchinfo:
        return rows, PasteFormat.TORCHINFO
    if boxed:
        return rows, PasteFormat.KERAS3
    if header:
        header_index = text.count("\n", 0, header.start())
        by_column = column_rows(lines, header_index, text.count("\n", 0, end) + 1)
        if row_quality(by_column) > row_quality(rows):
            rows = by_column
        # Folded again after the printer wrapped each column: read each piece by what it is.
        folded = folded_keras_rows(lines, text.count("\n", 0, start), text.count("\n", 0, end) + 1)
        if row_quality(folded) > row_quality(rows):
            return folded, PasteFormat.KERAS2
    return rows, PasteFormat.KERAS2


_NESTED = re.compile(r"^(?:- ?)+")
_MARKER_INDENT = re.compile(r"( *)- ")
_KERAS_INDENT = 3  # Keras 3 indents a nested model's rows by three spaces a level: "   └ ", "      └ "


def _marker_depth(line: str, marker: str) -> tuple[int, bool]:
    """The depth of a row marked ``└`` (``-`` once normalised), and whether its indent said it.

    The depth is read from the marker's indent in its cell (inside a box, the cell's one space of
    padding comes first). When copying lost the indent, only the marker itself is left to say the row
    is nested: one level, or as many as markers are printed.
    """
    cell = line.lstrip()
    cell = cell[1:] if cell.startswith("|") else line
    m = _MARKER_INDENT.match(cell)
    level = len(m.group(1)) // _KERAS_INDENT if m else 0
    return max(level, marker.count("-")), level > 0


def _is_model(row: PastedRow) -> bool:
    kind = by_name(row.layer_type) if row.type_complete else None
    return kind is not None and kind.family is Family.CONTAINER


def _depths_from_counts(rows: list[PastedRow], marked: list[bool]) -> list[int] | None:
    """Depths that make every nested model's count the sum of the rows inside it; None if none do.

    For a paste whose indents were lost (spaces collapsed): each marked row goes into the innermost
    open model that still has room for its count (a model whose count is used up closes when a row
    with weights comes); an unmarked row is at the top. Rows without weights stay in the innermost
    model, where the count cannot place them.
    """
    stack: list[list[int]] = []  # [depth, count not yet accounted for] of each open model
    depths: list[int] = []
    for row, nested in zip(rows, marked):
        count = row.count or 0
        if not nested:
            if any(left for _, left in stack):
                return None
            stack, depth = [], 0
        else:
            while stack and stack[-1][1] < count:
                if stack[-1][1]:
                    return None  # a model left short of its count
                stack.pop()
            if not stack:
                return None
            depth = stack[-1][0] + 1
            stack[-1][1] -= count
        depths.append(depth)
        if _is_model(row):
            stack.append([depth, count])
    return None if any(left for _, left in stack) else depths


def _nested_keras(rows: list[PastedRow], lines: list[str]) -> list[PastedRow]:
    """Keras' ``summary(expand_nested=True)`` marks a nested model's layers ``└ conv2d``: give them a depth.

    A nested model's row is a container, whose printed count is the sum of the rows below it that
    are one level deeper (so it is not added again); models nest at any depth, each level indented
    three spaces more. Without the indents, the counts place the rows when exactly they add up.
    """
    names: list[str] = []
    depths: list[int] = []
    marked: list[bool] = []
    indented = False
    for row in rows:
        marker = _NESTED.match(row.name)
        nested = marker is not None and len(marker.group()) < len(row.name)
        marked.append(nested)
        if marker is None or not nested:
            names.append(row.name)
            depths.append(row.depth)
            continue
        line = lines[row.line - 1] if 0 < row.line <= len(lines) else ""
        depth, from_indent = _marker_depth(line, marker.group())
        indented |= from_indent
        names.append(row.name[marker.end() :].strip())
        depths.append(depth)
    if not any(marked):
        return rows
    if not indented:
        depths = _depths_from_counts(rows, marked) or depths
    return [
        dataclasses.replace(
            row,
            name=name,
            depth=depth,
            # A row followed by a deeper one is the nested model holding it.
            container=row.container or (i + 1 < len(rows) and depths[i + 1] > depth),
        )
        for i, (row, name, depth) in enumerate(zip(rows, names, depths))
    ]


_TRUNCATED = (
    f"The paste holds more than {MAX_READ_ROWS:,} rows: only the first {MAX_READ_ROWS:,} were read, "
    "so the totals cannot be checked."
)


def _cut(rows: list[PastedRow]) -> tuple[tuple[PastedRow, ...], bool]:
    """The rows to keep (at most MAX_READ_ROWS), and whether the paste had more."""
    return tuple(rows[:MAX_READ_ROWS]), len(rows) > MAX_READ_ROWS


def _preview(text: str, limit: int = 40) -> str:
    """The start of a paste, for an error message (a 10 MB paste must not be quoted whole)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def parse_summary(text: str) -> PastedSummary:
    """Read a pasted model summary into rows and totals.

    Parameters
    ----------
    text : str
        What the learner pasted: a Keras 2, tf.keras or Keras 3 ``model.summary()`` table, a torchinfo
        table or PyTorch's ``print(model)``, possibly mangled by copying.

    Returns
    -------
    PastedSummary
        The rows in order, the totals (None when the paste stops before them) and notes.

    Raises
    ------
    ParseError
        If ``text`` is not a string or holds no row that can be recognised.
    """
    if not isinstance(text, str):
        raise fail(
            "explain_summary",
            "text",
            type(text).__name__,
            f"it must be a str. {EXPECTED}",
            "pass the summary's text, e.g. the string model.summary(print_fn=...) received",
            ParseError,
        )
    pipes = row_pipes(text)
    text = normalise(text)
    lines = text.split("\n")
    name_match = MODEL_NAME.search(text)
    empty = PastedSummary(
        format=PasteFormat.KERAS2,
        dialect=Dialect.KERAS,
        rows=(),
        totals=None,
        model_name=name_match.group(1) if name_match else None,
    )

    if _is_torch_repr(text, lines):
        rows = repr_rows(lines)
        if any(not r.container for r in rows):
            kept, cut = _cut(rows)
            return dataclasses.replace(
                empty,
                format=PasteFormat.TORCH_REPR,
                dialect=Dialect.TORCH,
                rows=kept,
                truncated=cut,
                notes=(_TRUNCATED,) if cut else (),
            )

    torchinfo = _is_torchinfo(text)
    header = (TORCHINFO_HEADER if torchinfo else HEADER).search(text)
    totals_start = TOTALS_START.search(text, _table_start(text, header))
    end = totals_start.start() if totals_start else len(text)
    rows, fmt = _table_rows(text, lines, header, end, torchinfo, pipes)
    if not torchinfo:
        rows = _nested_keras(rows, lines)
    if not header:
        # Without a header any bracketed numbers could be a row: keep only rows that look like one.
        rows = [r for r in rows if r.count_text and (r.layer_type or torchinfo)]
    if not rows:
        raise fail(
            "explain_summary",
            "text",
            _preview(text),
            f"no summary row was found in it. {EXPECTED}",
            "paste the whole table, from its 'Layer (type)' header to the totals under it",
            ParseError,
        )
    summary_totals = totals(text[end:]) if totals_start else None
    kept, cut = _cut(rows)
    notes = ([_NO_TOTALS] if summary_totals is None else []) + ([] if header else [_NO_HEADER])
    return dataclasses.replace(
        empty,
        format=fmt,
        dialect=Dialect.TORCH if torchinfo else Dialect.KERAS,
        rows=kept,
        totals=summary_totals,
        notes=tuple(notes + ([_TRUNCATED] if cut else [])),
        truncated=cut,
    )
