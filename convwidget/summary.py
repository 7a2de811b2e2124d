"""Model summaries as text: rows in, strings out.

Counting lives in the layers and :mod:`convwidget.model`; this module only lays
rows out as text (:mod:`convwidget.html` writes the HTML), in three formats:

* ``keras2_lines``: the classic Keras 2 table (fixed columns, names cut at the
  column edge, raw per-layer counts), byte for byte;
* ``keras3_text``: the box-drawn table Keras 3 prints through rich, with rich's
  column-width arithmetic and word wrapping reproduced, so it matches Keras 3.15
  character for character without importing rich;
* ``torch_text``: a torchinfo-like table with the buffers BatchNorm carries.

For slides and handouts, :mod:`convwidget.export` lays the same rows, numbers
and totals (:func:`totals_lines`) out as Markdown or LaTeX (``summary(fmt="markdown")``).

A row is a :class:`convwidget.model.Row`: a name and a :class:`LayerInfo`.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._checks import fail
from .cost.feed import Feed, feed_of, torch_input_shape
from .enums import Dialect, SummaryStyle
from .formula import Factor, group_digits
from .info import LayerInfo

if TYPE_CHECKING:
    # model.py imports this module to print its rows; the Row type is needed for checking only.
    from .model import Row

__all__ = [
    "COLUMNS",
    "FORMATS",
    "STYLES",
    "Extra",
    "explain_lines",
    "extra_headers",
    "keras2_lines",
    "keras3_text",
    "keras_shape",
    "model_totals",
    "readable_memory_size",
    "receptive_cell",
    "row_cells",
    "torch_shape",
    "torch_text",
    "totals_lines",
]

STYLES: tuple[SummaryStyle, ...] = tuple(SummaryStyle)
"""The summary styles, ``"keras3"``, ``"keras2"`` and ``"torch"`` (str enums)."""

FORMATS: tuple[str, ...] = ("text", "markdown", "latex")
"""What ``summary(fmt=...)`` writes: the framework's text table, a Markdown table or a LaTeX tabular."""

# Keras stores every weight as float32 by default: 4 bytes per parameter.
_BYTES_PER_PARAM = 4

COLUMNS: tuple[str, ...] = ("mult_adds", "receptive_field")
"""The extra columns ``summary(columns=...)`` can add after Param #."""

_HEADERS = {"mult_adds": "Mult-adds", "receptive_field": "Receptive field"}
_TORCH_HEADERS = {"mult_adds": "Mult-Adds", "receptive_field": "Receptive field"}
_TORCH_EXTRA_WIDTH = 16


@dataclass(frozen=True)
class Extra:
    """Extra summary columns, already as text: their names, one cell per row each, and footer lines.

    Parameters
    ----------
    columns : tuple of str
        Names from :data:`COLUMNS`, in the order shown.
    cells : Mapping[str, tuple of str]
        Each column's cells, aligned with the rows.
    footer : tuple of str
        Lines printed under the totals (``Total mult-adds (textbook): 11,808,128``).
    """

    columns: tuple[str, ...]
    cells: Mapping[str, tuple[str, ...]]
    footer: tuple[str, ...] = ()

    def row(self, index: int) -> list[str]:
        """The extra cells of row ``index``."""
        return [self.cells[c][index] for c in self.columns]


def receptive_cell(size: Sequence[int], whole_input: bool = False) -> str:
    """A receptive field as a summary cell: ``(5, 5)`` → ``"5×5"``; the whole input → ``"all (28×28)"``."""
    text = "×".join(str(n) for n in size) or "all"
    return f"all ({text})" if whole_input and size else text


# -- small pure helpers ---------------------------------------------------------------------------
def readable_memory_size(n_bytes: float) -> str:
    """Format a size in bytes as Keras 3 does, in 1024-based units: ``4719484`` → ``"4.50 MB"``.

    Parameters
    ----------
    n_bytes : float
        The size in bytes.

    Returns
    -------
    str
        Two decimals and the unit (B, KB, MB, GB, TB, PB).
    """
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    size = float(n_bytes)
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def model_totals(rows: Sequence[Row]) -> tuple[int, int, int]:
    """The (trainable, non-trainable, buffers) sums of ``rows``, as the totals under a summary print them."""
    trainable = sum(r.info.trainable_params for r in rows)
    non_trainable = sum(r.info.non_trainable_params for r in rows)
    buffers = sum(r.info.buffers for r in rows)
    return trainable, non_trainable, buffers


def totals_lines(rows: Sequence[Row], style: SummaryStyle) -> list[str]:
    """The totals under a summary of ``style``, e.g. ``"Total params: 1,181,161 (4.51 MB)"`` for Keras 3.

    Parameters
    ----------
    rows : sequence of Row
        The model's rows.
    style : SummaryStyle
        Keras 3 adds memory sizes, torchinfo the buffers; Keras 2 gives the three counts.

    Returns
    -------
    list of str
        One line per total, without the leading space Keras 3 prints.
    """
    trainable, non_trainable, buffers = model_totals(rows)
    counts = (
        ("Total", trainable + non_trainable),
        ("Trainable", trainable),
        ("Non-trainable", non_trainable),
    )
    if style is SummaryStyle.KERAS3:
        return [
            f"{label} params: {group_digits(n)} ({readable_memory_size(n * _BYTES_PER_PARAM)})"
            for label, n in counts
        ]
    lines = [f"{label} params: {group_digits(n)}" for label, n in counts]
    if style is SummaryStyle.TORCH:
        lines.append(f"Buffers (not parameters): {group_digits(buffers)}")
    return lines


def extra_headers(extra: Extra, style: SummaryStyle) -> list[str]:
    """The headers of ``extra``'s columns as a summary of ``style`` prints them (torchinfo says Mult-Adds)."""
    headers = _TORCH_HEADERS if style is SummaryStyle.TORCH else _HEADERS
    return [headers[c] for c in extra.columns]


def keras_shape(shape: Sequence[int]) -> str:
    """A shape as Keras prints it, with its batch axis: ``(26, 26, 32)`` → ``"(None, 26, 26, 32)"``."""
    return "(" + ", ".join(["None", *(str(d) for d in shape)]) + ")"


def _input_factor(info: LayerInfo) -> Factor | None:
    # The factor of a formula that the layer's input provides (Cin, or Fin for a dense layer).
    for name in ("input channels", "input channels per group", "input features"):
        f = info.terms.factor(name)
        if f is not None:
            return f
    return None


def explain_lines(row: Row, previous: Row | None) -> list[str]:
    """The explanation of one row: its formula with numbers, and where its input channels come from.

    Parameters
    ----------
    row : Row
        The row to explain.
    previous : Row or None
        The row before it (None for the first layer, which reads the model's input).

    Returns
    -------
    list of str
        Empty for a layer without parameters, else e.g.
        ``["(3·3·32 + 1)·63 = 18,207", "Cin = 32: channels of conv2d's output (None, 26, 26, 32)"]``.
    """
    info = row.info
    if info.params == 0:
        return []
    lines = [info.terms.text]
    factor = _input_factor(info)
    if factor is not None:
        what = "features" if factor.name == "input features" else "channels"
        torch = info.dialect is Dialect.TORCH
        shape = torch_shape if torch else keras_shape
        if previous is None:
            source = f"the model's input {shape(info.input_shape)}"
        else:
            # PyTorch names children "0", "1", …: say "layer 1 (ReLU)" rather than a bare number.
            name = f"layer {previous.name} ({previous.info.layer_type})" if torch else previous.name
            source = f"{name}'s output {shape(previous.info.output_shape)}"
        value, split = str(factor.value), ""
        geometry = info.geometry
        if factor.name == "input channels per group" and geometry is not None:
            # The source shows all Cin channels; each kernel spans one group's share of them.
            value = f"{geometry.in_channels}/{geometry.groups} = {factor.value}"
            split = f", split into {geometry.groups} groups"
        lines.append(f"{factor.symbol} = {value}: {what} of {source}{split}")
    return lines


def row_cells(rows: Sequence[Row], style: SummaryStyle, extra: Extra | None = None) -> list[list[str]]:
    """Each row's cells as a summary of ``style`` shows them (Keras 2's raw counts aside).

    Parameters
    ----------
    rows : sequence of Row
        The model's rows.
    style : SummaryStyle
        ``"torch"``: ``Conv2d: 1-1``, ``[1, 32, 26, 26]``, Param # and Buffers (``--`` for none);
        the Keras styles: ``conv2d (Conv2D)``, ``(None, 26, 26, 32)``, Param #.
    extra : Extra, optional
        Its cells are added after those.

    Returns
    -------
    list of list of str
        One list per row, counts comma-grouped (``18,207``); the text tables and
        :mod:`convwidget.export` lay them out.
    """
    out: list[list[str]] = []
    feed = model_feed(rows)
    for i, row in enumerate(rows):
        info = row.info
        if style == SummaryStyle.TORCH:
            # torchinfo prints "--" for a layer without parameters or buffers.
            params = group_digits(info.params) if info.params else "--"
            buffers = group_digits(info.buffers) if info.buffers else "--"
            shape = torch_shape(info.output_shape, feed)
            cells = [f"{info.layer_type}: 1-{i + 1}", shape, params, buffers]
        else:
            cells = [
                f"{row.name} ({info.layer_type})",
                keras_shape(info.output_shape),
                group_digits(info.params),
            ]
        out.append(cells + (extra.row(i) if extra is not None else []))
    return out


# -- Keras 2 ------------------------------------------------------------------------------------------
def _keras2_row(fields: Sequence[str], positions: Sequence[int]) -> str:
    # Keras 2's print_row: each field is cut at its column's end, and the cut field's last
    # character gives way to one space before the next field (hence "(MaxPooling2 ").
    line = ""
    for i, text in enumerate(fields):
        if i > 0:
            line = line[:-1] + " "
        line += text
        line = line[: positions[i]]
        line += " " * (positions[i] - len(line))
    return line


def keras2_lines(rows: Sequence[Row], line_length: int | None = None, explain: bool = False) -> list[str]:
    """Lay rows out as the classic Keras 2 ``model.summary()`` table.

    Parameters
    ----------
    rows : sequence of Row
        The model's rows, named the Keras 2 way (``conv2d_1``, …).
    line_length : int, optional
        Total width (default 65, Keras 2's).
    explain : bool
        Add an indented formula line under each row with parameters.

    Returns
    -------
    list of str
        The lines, trailing spaces included as Keras 2 printed them.
    """
    width = 65 if line_length is None else line_length
    if width < 20:
        raise fail("summary", "line_length", line_length, "it must be at least 20 for the Keras 2 table")
    positions = [int(width * p) for p in (0.45, 0.85, 1.0)]
    lines = ["_" * width, _keras2_row(["Layer (type)", "Output Shape", "Param #"], positions), "=" * width]
    for i, row in enumerate(rows):
        label = f"{row.name} ({row.info.layer_type})"
        lines.append(
            _keras2_row([label, keras_shape(row.info.output_shape), str(row.info.params)], positions)
        )
        if explain:
            lines.extend("    " + text for text in explain_lines(row, rows[i - 1] if i else None))
        lines.append("=" * width if i == len(rows) - 1 else "_" * width)
    if not rows:
        lines.append("=" * width)
    lines += [*totals_lines(rows, SummaryStyle.KERAS2), "_" * width]
    return lines


# -- Keras 3 (rich's table, reproduced) ------------------------------------------------------------
def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [r if m else 0 for r, m in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            given = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - given)
            remaining -= given
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _ratio_distribute(total: int, ratios: list[int]) -> list[int]:
    total_ratio = sum(ratios)
    remaining = total
    out = []
    for ratio in ratios:
        given = math.ceil(ratio * remaining / total_ratio) if total_ratio > 0 else remaining
        out.append(given)
        total_ratio -= ratio
        remaining -= given
    return out


def _rich_widths(line_length: int, positions: Sequence[float]) -> list[int]:
    """Cell widths (padding included) of Keras 3's rich table of total width ``line_length``."""
    widths: list[int] = []
    current = 0
    for pos in positions:
        w = int(pos * line_length) - current
        if w < 4:
            raise fail(
                "summary",
                "line_length",
                line_length,
                "it is too narrow: Keras needs every column at least 4 characters wide",
            )
        widths.append(w)
        current += w
    # rich: fixed-width columns get one space of padding each side; the table is exactly
    # line_length wide (Table(width=...) implies expand), borders taking len + 1 characters.
    max_width = line_length - (len(widths) + 1)
    cells = [min(w + 2, max_width) for w in widths]
    if sum(cells) > max_width:
        cells = _ratio_reduce(sum(cells) - max_width, [1] * len(cells), cells, cells)
    if sum(cells) < max_width:
        pads = _ratio_distribute(max_width - sum(cells), cells)
        cells = [c + p for c, p in zip(cells, pads)]
    return cells


_WORD = re.compile(r"\s*\S+\s*")


def _divide_line(text: str, width: int) -> list[str]:
    # rich's divide_line with fold=False: greedy word wrap; a word too long for any line
    # stays whole on its own line (and is cut with an ellipsis later).
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if start:
                breaks.append(start)
            offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    cuts = [0, *breaks, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def _fit(piece: str, width: int, justify: str) -> str:
    piece = piece.rstrip()
    if len(piece) > width:
        piece = piece[: max(width - 1, 0)] + "…"
    return piece.rjust(width) if justify == "right" else piece.ljust(width)


def _cell_lines(text: str, width: int, justify: str) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_fit(piece, width, justify) for piece in _divide_line(paragraph, width) or [""])
    return out


def _box_row(
    cells: Sequence[str], widths: Sequence[int], justify: Sequence[str], bar: str, vertical: str
) -> list[str]:
    columns = [_cell_lines(text, w - 2, j) for text, w, j in zip(cells, widths, justify)]
    height = max(len(c) for c in columns)
    for c, w in zip(columns, widths):
        blank = [" " * (w - 2)] * (height - len(c))
        c[:] = blank + c if vertical == "bottom" else c + blank
    return [bar + bar.join(f" {c[i]} " for c in columns) + bar for i in range(height)]


def _rule(left: str, fill: str, mid: str, right: str, widths: Sequence[int]) -> str:
    return left + mid.join(fill * w for w in widths) + right


def _console_width(terminal: int) -> int:
    # rich gives a Jupyter kernel 115 columns (JUPYTER_COLUMNS overrides), whatever the terminal says,
    # while Keras takes its default width from the terminal: reproduce both.
    try:
        shell = sys.modules["IPython"].get_ipython()
    except (KeyError, AttributeError):
        shell = None
    if type(shell).__name__ == "ZMQInteractiveShell":
        value = os.environ.get("JUPYTER_COLUMNS", "")
        return int(value) if value.isdigit() else 115
    return terminal


def keras3_text(
    model_name: str,
    rows: Sequence[Row],
    line_length: int | None = None,
    explain: bool = False,
    terminal_width: int | None = None,
    extra: Extra | None = None,
) -> str:
    """Lay rows out as Keras 3.15's ``model.summary()`` prints them (captured with ``print_fn``).

    Parameters
    ----------
    model_name : str
        Shown as ``Model: "name"``.
    rows : sequence of Row
        The model's rows.
    line_length : int, optional
        Table width; Keras' default is ``min(88, terminal_width − 4)``.
    explain : bool
        Add each row's formula and input-channel source inside its first cell.
    terminal_width : int, optional
        Width of the terminal (default: ``shutil.get_terminal_size()``, which honours
        ``COLUMNS``); rich cuts every table line off at this width.
    extra : Extra, optional
        Columns after Param # (convwidget's, not Keras'); None keeps Keras' table exactly.

    Returns
    -------
    str
        The text, ending with a newline.
    """
    terminal = shutil.get_terminal_size().columns
    columns = terminal_width if terminal_width is not None else _console_width(terminal)
    if line_length is not None and (isinstance(line_length, bool) or not isinstance(line_length, int)):
        raise fail("summary", "line_length", line_length, "it must be a positive integer or None")
    width = line_length or min(88, (terminal_width or terminal) - 4)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    positions: tuple[float, ...] = (0.45, 0.80, 1.0)
    justify: tuple[str, ...] = ("left", "left", "right")
    if extra is not None:
        # convwidget's own columns: narrower name and shape columns; Param # and the extras share the
        # rest equally, so no count is cut to "1,161,…" while a wider column has room.
        n = len(extra.columns) + 1
        positions = (0.30, 0.52, *(0.52 + 0.48 * (i + 1) / n for i in range(n)))
        headers += extra_headers(extra, SummaryStyle.KERAS3)
        justify += ("right",) * n
        if line_length is None:
            # Widen the default table until the widest count fits its share, as far as the console
            # shows (rich cuts lines at its width); a given line_length is kept.
            body = row_cells(rows, SummaryStyle.KERAS3, extra)
            longest = max((len(c) for r in body for c in r[2:]), default=0)
            longest = max(longest, *(len(h) for h in headers[2:]))
            width = max(width, min(math.ceil((longest + 3) * n / 0.48), columns))
    widths = _rich_widths(width, positions)
    table = [_rule("┏", "━", "┳", "┓", widths)]
    table += _box_row(headers, widths, justify, "┃", "bottom")
    table.append(_rule("┡", "━", "╇", "┩", widths))
    for i, (row, cells) in enumerate(zip(rows, row_cells(rows, SummaryStyle.KERAS3, extra))):
        if explain:
            cells[0] = "\n".join([cells[0], *explain_lines(row, rows[i - 1] if i else None)])
        table += _box_row(cells, widths, justify, "│", "top")
        table.append(_rule("├", "─", "┼", "┤", widths) if i < len(rows) - 1 else "")
    if rows:
        table[-1] = _rule("└", "─", "┴", "┘", widths)
    else:
        table.append(_rule("└", "─", "┴", "┘", widths))
    lines = [f'Model: "{model_name}"', *(line[:columns] for line in table)]
    lines += [f" {line}" for line in totals_lines(rows, SummaryStyle.KERAS3)]
    if extra is not None:
        lines += [f" {line}" for line in extra.footer]
    return "\n".join(lines) + "\n"


# -- PyTorch (torchinfo-like) ------------------------------------------------------------------------
def torch_shape(shape: Sequence[int], feed: Feed = Feed.BATCH_FIRST) -> str:
    """A shape as torchinfo prints it at batch 1: ``(32, 26, 26)`` → ``"[1, 32, 26, 26]"``.

    In a model fed sequence-first (its first layer a PyTorch sequence layer with
    ``batch_first=False``, see :func:`convwidget.cost.feed_of`) the batch axis is second:
    ``(5, 8)`` → ``"[5, 1, 8]"``, as torchinfo prints that model's rows.
    """
    return "[" + ", ".join(str(d) for d in torch_input_shape(feed, tuple(shape))) + "]"


def model_feed(rows: Sequence[Row]) -> Feed:
    """How the model of ``rows`` is fed to PyTorch: decided by its first layer (``cost.feed_of``)."""
    return feed_of(rows[0].layer) if rows else Feed.BATCH_FIRST


def torch_text(
    model_label: str,
    rows: Sequence[Row],
    line_length: int | None = None,
    explain: bool = False,
    extra: Extra | None = None,
) -> str:
    """Lay rows out as a torchinfo-like table: layer, output shape (batch 1), Param #, buffers.

    Parameters
    ----------
    model_label : str
        The first row's label (``"Sequential"``).
    rows : sequence of Row
        The model's rows.
    line_length : int, optional
        Total width (default 90, torchinfo's).
    explain : bool
        Add an indented formula line under each row with parameters.
    extra : Extra, optional
        Columns after Buffers, 16 characters each (and their footer lines); None
        keeps the table as it was.

    Returns
    -------
    str
        The text, ending with a newline.
    """
    n_extra = len(extra.columns) if extra is not None else 0
    added = _TORCH_EXTRA_WIDTH * n_extra
    width = 90 + added if line_length is None else line_length
    if width - added < 40:
        raise fail(
            "summary",
            "line_length",
            line_length,
            f"it must be at least {40 + added} for the torch table with these columns",
        )
    # torchinfo's columns: a 40-wide name column then 25-wide ones; the last one is narrower here.
    base = width - added
    cols = [int(base * 40 / 90), int(base * 25 / 90), int(base * 13 / 90)]
    cols.append(base - sum(cols))
    cols += [_TORCH_EXTRA_WIDTH] * n_extra
    more = extra_headers(extra, SummaryStyle.TORCH) if extra is not None else []

    def fmt(fields: Sequence[str]) -> str:
        return "".join(f.ljust(w) if len(f) < w else f[: w - 1] + " " for f, w in zip(fields, cols)).rstrip()

    out_shape = torch_shape(rows[-1].info.output_shape, model_feed(rows)) if rows else "--"
    headers = ["Layer (type:depth-idx)", "Output Shape", "Param #", "Buffers", *more]
    lines = ["=" * width, fmt(headers), "=" * width]
    lines.append(fmt([model_label, out_shape, "--", "--", *(["--"] * n_extra)]))
    for i, (row, cells) in enumerate(zip(rows, row_cells(rows, SummaryStyle.TORCH, extra))):
        lines.append(fmt(["├─" + cells[0], *cells[1:]]))
        if explain:
            lines.extend("│    " + t for t in explain_lines(row, rows[i - 1] if i else None))
    lines += ["=" * width, *totals_lines(rows, SummaryStyle.TORCH)]
    if extra is not None:
        lines += list(extra.footer)
    lines.append("=" * width)
    return "\n".join(lines) + "\n"
