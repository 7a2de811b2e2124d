"""Read plain tables that were hard-wrapped twice: by their printer inside each column, then by a chat
box or an e-mail that folded every line at a space.

A fold moves the rest of a line to the start of the next one, so the column positions of what it
moved are lost. Two things a fold cannot change still tell each piece's column:

* tf.keras and Keras 2 (:func:`folded_keras_rows`): every line they print starts with a space,
  while a fold drops the space it breaks at, so a line that starts with a space is a line the
  printer wrote (its positions are true) and one that does not continues the line above. What a
  piece is (a shape fragment ``(None, 28,``, a count ``313``, a 'Connected to' entry
  ``['image[0][0]']`` or a name) then says its column, whatever its position.
* torchinfo (:func:`folded_torchinfo_rows`): every row starts with its label (``├─Conv2d: 1-1``)
  and prints a cell in every column (``--`` when empty), so the lines between two labels joined
  again are one row whose cells, in order, are the header's columns.

Each reader is one pass over the table's lines (linear time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .pasted import MAX_READ_ROWS, PastedRow
from .tables import _batch_of, _kernel_cell, _mark_containers, _torchinfo_label, torchinfo_roles
from .tokens import CONNECTED, SHAPE, count_of, shape_values, split_header

__all__ = ["folded_keras_rows", "folded_torchinfo_rows"]

# --- tf.keras / Keras 2 ----------------------------------------------------------------------------

_RUN = re.compile(r"\S+(?: \S+)*")
"""Words separated by single spaces: a printer separates cells by two or more, so a run is in one cell."""
_SHAPE_TOKEN = re.compile(r"\[?\(?(?:None|\?|\d+)(?:\)\]?)?,?")
_COUNT_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|\d+|--")
_CONNECTED_TOKEN = re.compile(r"['\"]|\[\]|\[\d+\]\[\d+\]")
_NAME_COLUMN_END = 2  # a Keras row's name starts after one leading space
_RULE_CHARS = frozenset("-=_~*+|.:# \t")
_RULE_RUN = re.compile(r"[-=_~*+.:#]{3}")


def _is_rule(line: str) -> bool:
    """A rule between rows; a fragment such as "'," or "']" a fold left alone on its line is none."""
    stripped = line.strip()
    return set(stripped) <= _RULE_CHARS and _RULE_RUN.search(stripped) is not None


@dataclass
class _Cell:
    """The fragments of one cell of a row, each with the printed line it came from."""

    parts: list[tuple[int, str]]


def _kind(run: str) -> str:
    """Which column a run of words belongs to, by what it is: shape, count, connected or name."""
    if _CONNECTED_TOKEN.search(run):
        return "connected"
    tokens = run.split(" ")
    if any(c in run for c in "()[],") and all(_SHAPE_TOKEN.fullmatch(t) for t in tokens):
        return "shape"
    if len(tokens) == 1 and _COUNT_TOKEN.fullmatch(run):
        return "count"
    return "name"


def _join(column: str, parts: list[tuple[int, str]]) -> str:
    """A cell's text from its fragments.

    Fragments from the same printed line were split by a fold at a space (joined with a space);
    fragments from the next printed line were cut by the printer at a character (joined with
    nothing), except that a shape keeps the space after its commas.
    """
    out = ""
    last = None
    for line, text in parts:
        if last is None:
            out = text
        elif column == "count" or (line != last and column != "shape"):
            out += text
        elif line != last and out[-1:].isdigit() and text[:1].isdigit():
            out += text  # the printer cut a number in two
        else:
            out += " " + text
        last = line
    return out


def _keras_row(columns: dict[str, _Cell], line: int) -> PastedRow | None:
    def text(column: str) -> str:
        cell = columns.get(column)
        return _join(column, cell.parts) if cell else ""

    shapes = tuple(shape_values(m.group()) for m in SHAPE.finditer(text("shape")))
    count_text = text("count")
    count, recognised = count_of(count_text)
    name, typ, complete = split_header(text("name"))
    if not shapes or not recognised or not name:
        return None
    return PastedRow(
        name=name,
        layer_type=typ,
        type_complete=complete,
        output_shapes=shapes,
        count=count,
        count_text=count_text,
        connected_to=tuple(CONNECTED.findall(text("connected"))),
        line=line,
    )


def folded_keras_rows(lines: list[str], first: int, last: int) -> list[PastedRow]:
    """Read the rows of a hard-wrapped tf.keras / Keras 2 plain table by what each piece is.

    Parameters
    ----------
    lines : list of str
        Every line of the (normalised) paste.
    first : int
        0-based index of the table's first row line (after the header and its rule).
    last : int
        Index one past the table's last line.

    Returns
    -------
    list of PastedRow
        The rows that have a name, a shape and a count. Rows are separated by blank lines or rules
        (as the printers separate them), or by a new name line once a row has its shape and count.
    """
    rows: list[PastedRow] = []
    columns: dict[str, _Cell] = {}
    row_line = 0
    printed = 0  # the number of the printed line the current fragment belongs to

    def close() -> None:
        nonlocal columns
        if columns and len(rows) <= MAX_READ_ROWS:
            row = _keras_row(columns, row_line)
            if row is not None:
                rows.append(row)
        columns = {}

    for index in range(first, min(last, len(lines))):
        line = lines[index]
        if not line.strip() or _is_rule(line):
            close()
            continue
        if line.startswith(" "):
            printed += 1  # the printer's own line; otherwise a fold continues the line above
        runs = list(_RUN.finditer(line))
        starts_name = line.startswith(" ") and runs[0].start() <= _NAME_COLUMN_END
        if (
            starts_name
            and "count" in columns
            and "shape" in columns
            and any(m.group().startswith(("(", "[(")) and _kind(m.group()) == "shape" for m in runs)
        ):
            close()  # no rule between two rows: a new name line with a new shape starts the next
        if not columns:
            row_line = index + 1
        for k, m in enumerate(runs):
            kind = _kind(m.group())
            # A name line's first run is the name (a type's tail, 'er)', reads as one too); a fold
            # that kept its space may start a line with a shape or count fragment there.
            column = "name" if k == 0 and starts_name and kind in ("name", "shape") else kind
            columns.setdefault(column, _Cell([])).parts.append((printed, m.group()))
    close()
    return rows


# --- torchinfo ------------------------------------------------------------------------------------

_CELL_GAP = re.compile(r"\s{2,}")
_TREE = re.compile(r"[ |`+\-]*")
_HYPHEN_BREAK = re.compile(r"[A-Za-z]-$")
_TITLE = re.compile(r"(?:Input|Output|Kernel)\s+Shape|Param\s+#|Mult-Adds|Trainable")


def _is_label(line: str) -> bool:
    """Whether a line starts a torchinfo row (its label), not a cell a fold moved."""
    head = _TREE.match(line)
    rest = line[head.end() if head else 0 :]
    if not rest[:1].isalpha() or rest.split(" ", 1)[0] in ("True", "False", "Partial"):
        return False
    first = _CELL_GAP.split(rest.strip(), maxsplit=1)[0]
    return _torchinfo_label(line[: len(line) - len(rest)] + first) is not None


def _joined(parts: list[str]) -> str:
    # A fold inside a shape ('[1, 8,' / '16, 12]') broke at one of its spaces; elsewhere at a cell gap.
    out = [parts[0].rstrip()]
    depth = out[0].count("[") - out[0].count("]")
    for part in parts[1:]:
        part = part.strip()
        if _HYPHEN_BREAK.search(out[-1][-2:]) and part[:1].isalpha():
            out.append(part)  # folded after a word's hyphen ('Mult-' / 'Adds'), not at a space
        else:
            out.append((" " if depth > 0 else "   ") + part)
        depth += part.count("[") - part.count("]")
    return "".join(out)


def folded_torchinfo_rows(lines: list[str], header_index: int, last: int) -> list[PastedRow]:
    """Read a hard-wrapped torchinfo table: rejoin each row's lines, then read its cells in order.

    Parameters
    ----------
    lines : list of str
        Every line of the (normalised) paste.
    header_index : int
        0-based index of the ``Layer (type:depth-idx)`` header line.
    last : int
        Index one past the table's last line.

    Returns
    -------
    list of PastedRow
        One row per label; empty when a row's cells do not match the header's columns (then the
        table is not one this reader can read).
    """
    end = min(last, len(lines))
    header = [lines[header_index]]
    index = header_index + 1
    while index < end and not _is_rule(lines[index]):
        header.append(lines[index])  # the header's folded titles, up to the rule under it
        index += 1
    # A fold may break a title at its space ('Kernel' / 'Shape'): find the titles torchinfo prints.
    titles = ["layer", *(" ".join(m.group().lower().split()) for m in _TITLE.finditer(_joined(header)))]
    roles = torchinfo_roles(titles)
    if "count" not in roles:
        return []
    grouped: list[tuple[int, list[str]]] = []
    for at in range(index, end):
        line = lines[at]
        if _is_rule(line) and grouped:
            break  # the rule under the last row
        if not line.strip() or _is_rule(line):
            continue
        if _is_label(line):
            if len(grouped) > MAX_READ_ROWS:
                break
            grouped.append((at + 1, [line]))
        elif grouped:
            grouped[-1][1].append(line)
    rows: list[PastedRow] = []
    for number, parts in grouped:
        text = _joined(parts)
        head = _TREE.match(text)
        prefix = text[: head.end() if head else 0]
        found = _CELL_GAP.split(text[len(prefix) :].strip())
        label = _torchinfo_label(prefix + found[0])
        if label is None or len(found) != len(titles):
            return []
        count, recognised = count_of(found[roles["count"]])
        if not recognised:
            return []
        typ, name, depth = label
        shape_cell = found[roles["shape"]] if "shape" in roles else ""
        shapes = tuple(shape_values(m.group()) for m in SHAPE.finditer(shape_cell))
        mult_adds, mult_ok = count_of(found[roles["mult_adds"]]) if "mult_adds" in roles else (None, False)
        input_cell = found[roles["input"]] if "input" in roles else ""
        inputs = [shape_values(m.group()) for m in SHAPE.finditer(input_cell)]
        rows.append(
            PastedRow(
                name=name,
                layer_type=typ,
                type_complete=True,
                output_shapes=shapes,
                count=count,
                count_text=found[roles["count"]],
                depth=depth,
                line=number,
                input_shape=inputs[0] if inputs else None,
                kernel_size=_kernel_cell(found[roles["kernel"]]) if "kernel" in roles else None,
                mult_adds=mult_adds if mult_ok else None,
                mult_adds_text=found[roles["mult_adds"]] if mult_ok else "",
                batch=_batch_of(shape_cell),
            )
        )
    return _mark_containers(rows) if rows else []
