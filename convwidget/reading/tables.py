"""Read the rows of a printed summary table: box-drawn, column-aligned, or a collapsed stream of tokens.

Three readers for the three ways a table reaches us:

* :func:`box_rows`: columns separated by ``|`` (Keras 3's box table, markdown, ASCII art),
  possibly hard-wrapped;
* :func:`column_rows`: an aligned plain table read by the header's column positions (tf.keras
  wraps every column inside its width);
* :func:`stream_rows`: any plain table (Keras 2, tf.keras, torchinfo) whose alignment was lost,
  read as shapes with the tokens before (name and type) and after them (count, 'Connected to').

Each is one pass over the text, so the time is linear in its length.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Iterable

from .pasted import MAX_READ_ROWS, PastedRow, PShape
from .tokens import (
    BETWEEN_SHAPES,
    CONNECTED,
    COUNT,
    HEADER,
    SEPARATOR_TOKEN,
    SHAPE,
    cells,
    column_roles,
    count_of,
    is_separator,
    shape_values,
    split_header,
)

__all__ = [
    "TORCHINFO_HEADER",
    "TORCHINFO_ROW_START",
    "box_rows",
    "column_rows",
    "row_quality",
    "stream_rows",
    "torchinfo_columns",
]

TORCHINFO_HEADER = re.compile(
    r"Layer\s*\(\s*type\s*(?:\(\s*var_name\s*\)\s*(?::\s*depth-idx\s*)?|:\s*depth-idx\s*)\)"
)
"""torchinfo's header, ``Layer (type:depth-idx)`` (``Layer (type (var_name))`` with var_names)."""
TORCHINFO_ROW_START = re.compile(r"(?m)^[ \t|`+\-]*[A-Za-z_]\w*(?:\s*\([^()\n]*\))?:\s*\d+-\d+\s")
"""The start of a torchinfo row, ``├─Conv2d: 1-1 ``, as it stands at the start of a line."""
_TORCHINFO_ROW = re.compile(r"^[\s|`+\-]*([A-Za-z_][\w.]*)(?:\s*\(([^()]*)\))?\s*:\s*(\d+)-(\d+)")
_BARE_TYPE = re.compile(r"[\s|`+\-]*[A-Za-z_][\w.]*")
# torchinfo with row_settings=("var_names",) and no depth index: a tree drawing, then 'Conv2d (in_conv)'.
_TORCHINFO_NAMED = re.compile(r"([ |`+\-]*)([A-Za-z_][\w.]*)\s*\(([^()]*)\)")
_TREE_INDENT = 5  # torchinfo indents each level by a bar and four spaces

# A wrapped box row continues over at most this many lines; more means the text is no table.
_MAX_WRAPPED_LINES = 12


# --- box tables (Keras 3, markdown, ASCII art) ----------------------------------------------------


def _rejoin_wrapped(
    lines: list[str], line_numbers: list[int], row_pipes: int | None = None
) -> list[tuple[str, int]]:
    """Rejoin box lines that a hard wrap split, each with the number of its first line.

    ``row_pipes`` is how many ``|`` a whole row has, when the table's rules say it (the crossings
    of Keras 3's ``├───┼───┤``): a line with fewer continues on the next, whatever it ends with.
    """
    pipe_counts = [line.count("|") for line in lines if 2 <= line.count("|") <= 12 and not is_separator(line)]
    width = row_pipes or max(pipe_counts)
    # With outer borders a complete line ends in "|"; a hard wrap leaves lines that do not.
    bordered = row_pipes is None and any(
        line.strip().startswith("|") and line.strip().endswith("|") and line.count("|") >= 3
        for line in lines
        if not is_separator(line)
    )
    # A content line short of pipes continues on the next content line(s), as long as the pipes do
    # not add up to more than a full row has.
    joined: list[tuple[str, int]] = []
    i = 0
    while i < len(lines):
        line, number = lines[i], line_numbers[i]
        steps = 0
        while (
            (not line.rstrip().endswith("|") if bordered else 1 <= line.count("|") < width)
            and line.count("|") >= 1
            and i + 1 < len(lines)
            and lines[i + 1].strip()
            # Borders of empty cells that a fold put on a line of their own are no rule.
            and (not is_separator(lines[i + 1]) or (row_pipes is not None and _only_borders(lines[i + 1])))
            and (bordered or line.count("|") + lines[i + 1].count("|") <= width)
            and steps < _MAX_WRAPPED_LINES
        ):
            i += 1
            steps += 1
            line = line.rstrip() + " " + lines[i].strip()
        joined.append((line, number))
        i += 1
    return joined


def _only_borders(line: str) -> bool:
    return not line.replace("|", "").strip()


_Block = list[tuple[list[str], int]]


def box_rows(lines: list[str], line_numbers: list[int], row_pipes: int | None = None) -> list[PastedRow]:
    """Read a table whose columns are separated by ``|``.

    Parameters
    ----------
    lines : list of str
        The table's lines (normalised: box characters already ``|`` and ``-``).
    line_numbers : list of int
        The paste's 1-based number of each line.
    row_pipes : int or None
        How many ``|`` a whole row has, when the paste's rules say it (:func:`.tokens.row_pipes`).

    Returns
    -------
    list of PastedRow
        One row per block of lines between rules that has a shape or a count; empty if no line
        looks like a box row.
    """
    if not any(2 <= line.count("|") <= 12 and not is_separator(line) for line in lines):
        return []
    roles: dict[str, int] = {}
    blocks: list[_Block] = []
    current: _Block = []
    for line, number in _rejoin_wrapped(lines, line_numbers, row_pipes):
        if line.count("|") < 2 or is_separator(line):
            if current:
                blocks.append(current)
                current = []
            continue
        line_cells = cells(line)
        if not roles and HEADER.search(line):
            roles = column_roles(line_cells)
            continue
        count_col = roles.get("count", 2)
        has_count = count_col < len(line_cells) and bool(line_cells[count_col])
        # Without rules between rows, a second count starts the next row.
        if has_count and any(count_col < len(c) and c[count_col] for c, _ in current):
            blocks.append(current)
            current = []
        current.append((line_cells, number))
    if current:
        blocks.append(current)

    name_col, shape_col = roles.get("name", 0), roles.get("shape", 1)
    count_col, conn_col = roles.get("count", 2), roles.get("connected", 3 if "count" not in roles else -1)
    rows: list[PastedRow] = []
    for block in blocks[: MAX_READ_ROWS + 1]:

        def column(col: int, sep: str, blk: _Block = block) -> str:
            if col < 0:
                return ""
            return sep.join(c[col] for c, _ in blk if col < len(c) and c[col]).strip()

        shapes = tuple(shape_values(m.group()) for m in SHAPE.finditer(column(shape_col, " ")))
        count_text = column(count_col, "")
        count, recognised = count_of(count_text)
        if not shapes and not recognised:
            continue
        name, typ, complete = split_header(column(name_col, " "))
        rows.append(
            PastedRow(
                name=name,
                layer_type=typ,
                type_complete=complete,
                output_shapes=shapes,
                count=count,
                count_text=count_text if recognised else "",
                connected_to=tuple(CONNECTED.findall(column(conn_col, " "))),
                line=block[0][1],
            )
        )
    return rows


# --- aligned plain tables (tf.keras wraps every column in place) ----------------------------------


def column_rows(lines: list[str], header_index: int, last_index: int) -> list[PastedRow]:
    """Read an aligned plain table by the header's column positions.

    Parameters
    ----------
    lines : list of str
        Every line of the paste.
    header_index : int
        0-based index of the header line (``Layer (type)  Output Shape  Param #``).
    last_index : int
        Index one past the table's last line.

    Returns
    -------
    list of PastedRow
        The rows that have a name, a shape and a count; empty if the header has not 3 to 6 columns.
    """
    header = lines[header_index]
    titles = list(re.finditer(r"\S+(?: \S+)*", header))
    if len(titles) < 3 or len(titles) > 6:
        return []
    starts = [m.start() for m in titles]
    roles = column_roles([m.group() for m in titles])
    bounds: list[int | None] = [*starts[1:], None]
    blocks: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for index in range(header_index + 1, min(last_index, len(lines))):
        if len(blocks) > MAX_READ_ROWS:
            break
        line = lines[index]
        # A type's closing bracket wrapped onto a line of its own is content, not a rule.
        if not line.strip() or (is_separator(line) and line.strip() != ")"):
            if current:
                blocks.append(current)
                current = []
            continue
        # The first cell takes what stands left of its column too (a line indented less than the header).
        row_cells = [line[0 if i == 0 else a : b].strip() for i, (a, b) in enumerate(zip(starts, bounds))]
        current.append((index + 1, row_cells))
    if current:
        blocks.append(current)
    rows = []
    name_col, shape_col = roles.get("name", 0), roles.get("shape", 1)
    count_col, conn_col = roles.get("count", 2), roles.get("connected", -1)
    for block in blocks[: MAX_READ_ROWS + 1]:

        def column(col: int, sep: str, blk: list[tuple[int, list[str]]] = block) -> str:
            return sep.join(c[col] for _, c in blk if 0 <= col < len(c) and c[col]).strip()

        shapes = tuple(shape_values(m.group()) for m in SHAPE.finditer(column(shape_col, " ")))
        count_text = column(count_col, "")
        count, recognised = count_of(count_text)
        name, typ, complete = split_header(column(name_col, ""))
        if not shapes or not recognised or not name:
            continue
        rows.append(
            PastedRow(
                name=name,
                layer_type=typ,
                type_complete=complete,
                output_shapes=shapes,
                count=count,
                count_text=count_text,
                connected_to=tuple(CONNECTED.findall(column(conn_col, ""))),
                line=block[0][0],
            )
        )
    return rows


def row_quality(rows: list[PastedRow]) -> int:
    """How much of each row a reader found (counts and complete types weigh most), to pick a reader."""
    return sum(2 * bool(r.count_text) + bool(r.output_shapes) + 2 * r.type_complete for r in rows)


# --- torchinfo's aligned columns (input size, output size, count, kernel size, mult-adds) ----------

_TORCHINFO_TITLE = re.compile(r"\S+(?: \S+)*")


_KERNEL_CELL = re.compile(r"\[(\d+(?:, \d+){0,2})\]")


def _kernel_cell(text: str) -> tuple[int, ...] | None:
    """torchinfo's "Kernel Shape" of a convolution (``[5, 5]``); None for ``--`` or a weight shape."""
    m = _KERNEL_CELL.fullmatch(text.strip())
    return tuple(int(v) for v in m.group(1).split(", ")) if m else None


def _batch_of(shape_cell: str) -> int | None:
    """The batch axis a torchinfo shape prints first (``[1, 32, 26, 26]`` → 1), or None."""
    m = SHAPE.search(shape_cell)
    first = m.group().strip()[1:-1].split(",")[0].strip() if m else ""
    return int(first) if first.isdigit() else None


def _mult_adds_cell(
    cell: list[str], roles: dict[str, int], lines: list[str], index: int, columns: int
) -> tuple[str, int | None]:
    """(text, value) of a row's Mult-Adds cell: ('', None) without the column, value None for ``--``."""
    if "mult_adds" not in roles:
        return "", None
    text = cell[roles["mult_adds"]]
    if not text and roles["mult_adds"] == columns - 1 and index + 1 < len(lines):
        # A hard wrap put the figure (the last thing the line shows) on a line of its own.
        nxt = lines[index + 1].strip()
        text = nxt if COUNT.fullmatch(nxt) or nxt == "--" else ""
    value, recognised = count_of(text)
    return (text, value) if recognised else ("", None)


def _torchinfo_label(cell: str) -> tuple[str, str, int] | None:
    """(type, name, depth) of torchinfo's first cell: ``├─Conv2d: 1-1``, ``└─Conv2d (conv1)`` or ``Net``."""
    label = _TORCHINFO_ROW.match(cell)
    if label is not None:
        typ = label.group(1)
        return typ, label.group(2) or f"{typ}: {label.group(3)}-{label.group(4)}", int(label.group(3))
    named = _TORCHINFO_NAMED.fullmatch(cell)
    bare = _BARE_TYPE.fullmatch(cell) if cell.strip() else None
    if named is None and bare is None:
        return None
    prefix = named.group(1) if named else cell[: len(cell) - len(cell.lstrip(" |`+-"))]
    # The tree drawing says the depth: a branch is level 1, each bar-and-indent before it one more.
    depth = 0 if not prefix.strip() else (len(prefix) - 2) // _TREE_INDENT + 1
    if named is not None:
        return named.group(2), named.group(3), depth
    typ = cell.strip(" |`+-")
    return typ, typ, depth


# torchinfo's column titles (by how they start) and the role of each column; both torchinfo readers use it.
_TORCHINFO_ROLES = {
    "input shape": "input",
    "output shape": "shape",
    "param": "count",
    "kernel shape": "kernel",
    "mult-adds": "mult_adds",
}


def torchinfo_roles(titles: Iterable[str]) -> dict[str, int]:
    """The column index of each role (``"shape"``, ``"count"``, ...) from torchinfo's header titles."""
    roles: dict[str, int] = {}
    for i, title in enumerate(titles):
        low = title.lower()
        role = next((r for prefix, r in _TORCHINFO_ROLES.items() if low.startswith(prefix)), None)
        if role is not None:
            roles.setdefault(role, i)
    return roles


def torchinfo_columns(lines: list[str], header_index: int, last_index: int) -> list[PastedRow]:
    """Read a torchinfo table by its header's column positions, so each column keeps its role.

    torchinfo's ``col_names`` may add an "Input Shape" column before the output (a row's first shape
    is then its input), a "Kernel Shape" column after the count (``[5, 5]``, not a shape) and
    "Mult-Adds" (a number, not the count: read into ``PastedRow.mult_adds``, with the batch the shapes
    print first, since torchinfo's figure is for the whole batch).

    Parameters
    ----------
    lines : list of str
        Every line of the paste.
    header_index : int
        0-based index of the ``Layer (type:depth-idx)`` header line.
    last_index : int
        Index one past the table's last line.

    Returns
    -------
    list of PastedRow
        One row per ``Type: depth-idx`` line; empty when the header's columns are not recognised
        or the lines are not aligned under them.
    """
    titles = list(_TORCHINFO_TITLE.finditer(lines[header_index]))
    roles = torchinfo_roles(m.group() for m in titles)
    if "count" not in roles or not titles or titles[0].start() != 0:
        return []
    starts = [m.start() for m in titles]
    bounds: list[int | None] = [*starts[1:], None]
    rows: list[PastedRow] = []
    for index in range(header_index + 1, min(last_index, len(lines))):
        if len(rows) > MAX_READ_ROWS:
            break
        line = lines[index]
        found = _torchinfo_label(line[: starts[1]].rstrip() if len(starts) > 1 else line.rstrip())
        if found is None:
            continue
        cell = [line[a:b].strip() for a, b in zip(starts, bounds)]
        if any(line[a - 1 : a].strip() for a in starts[1:] if a <= len(line)):
            return []  # the text under the header is not aligned: let the stream reader try
        count_text = cell[roles["count"]]
        if not count_text and index + 1 < len(lines):
            # A hard wrap put the count (the last thing the line shows) on a line of its own.
            count_text = lines[index + 1].strip() if roles["count"] == len(starts) - 1 else ""
        count, recognised = count_of(count_text)
        if not recognised:
            return []  # not the aligned table this reader expects: let the stream reader try
        shape_cell = cell[roles["shape"]] if "shape" in roles else ""
        shapes = tuple(shape_values(m.group()) for m in SHAPE.finditer(shape_cell))
        inputs = (
            [shape_values(m.group()) for m in SHAPE.finditer(cell[roles["input"]])]
            if "input" in roles
            else []
        )
        typ, name, depth = found
        mult_text, mult = _mult_adds_cell(cell, roles, lines, index, len(starts))
        rows.append(
            PastedRow(
                name=name,
                layer_type=typ,
                type_complete=True,
                output_shapes=shapes,
                count=count,
                count_text=count_text,
                depth=depth,
                line=index + 1,
                input_shape=inputs[0] if inputs else None,
                kernel_size=_kernel_cell(cell[roles["kernel"]]) if "kernel" in roles else None,
                mult_adds=mult,
                mult_adds_text=mult_text,
                batch=_batch_of(shape_cell),
            )
        )
    return _mark_containers(rows) if rows else []


# --- a stream of tokens (collapsed or hard-wrapped plain tables, torchinfo) -----------------------

_Group = tuple[int, int, list[PShape]]
_Token = tuple[int, str]


_Lines = tuple[int, list[int]]
"""Where lines start in a region of the text: (lines before the region, offsets of the region's line
starts); built for the region only, so a huge paste around a small table costs nothing extra."""


def _line_of(starts: _Lines, offset: int) -> int:
    return starts[0] + bisect.bisect_right(starts[1], offset)


def _line_tokens(segment: str, offset: int, starts: _Lines) -> list[_Token]:
    """Return (line number, token) pairs of a segment, without separator tokens."""
    out = []
    for m in re.finditer(r"\S+", segment):
        tok = m.group().strip("'\",").lstrip("[").strip("'\",")
        while tok.endswith("]") and tok.count("]") > tok.count("["):
            tok = tok[:-1].rstrip("'\",")
        if not tok or (SEPARATOR_TOKEN.fullmatch(tok) and tok != "--"):
            continue
        out.append((_line_of(starts, offset + m.start()), tok))
    return out


def _join_fragments(tokens: list[_Token]) -> str:
    """Join name fragments: a space within a line, nothing across lines (Keras wraps mid-word)."""
    out = ""
    last_line = None
    for line, tok in tokens:
        if last_line is None:
            out = tok
        elif line == last_line:
            out += " " + tok
        else:
            out += tok
        last_line = line
    return out


def _shape_groups(region: str) -> list[_Group]:
    """(start, end, shapes) of each run of shapes: one run is one row's output shape(s)."""
    groups: list[_Group] = []
    for m in SHAPE.finditer(region):
        if len(groups) > MAX_READ_ROWS + 1:
            break  # the reader keeps no more rows than that
        shape = shape_values(m.group())
        if groups and BETWEEN_SHAPES.fullmatch(region[groups[-1][1] : m.start()]):
            groups[-1][2].append(shape)
            groups[-1] = (groups[-1][0], m.end(), groups[-1][2])
        else:
            groups.append((m.start(), m.end(), [shape]))
    return groups


def _merge_on_line(groups: list[_Group], region: str, starts: _Lines, start: int) -> list[_Group]:
    # torchinfo may print an input and an output column: two groups on one line make one row.
    merged: list[_Group] = []
    for g in groups:
        if merged and _line_of(starts, start + merged[-1][1]) == _line_of(starts, start + g[0]):
            between = region[merged[-1][1] : g[0]]
            if not re.search(r"[A-Za-z0-9]", between.replace("--", "")):
                merged[-1] = (merged[-1][0], g[1], g[2])
                continue
        merged.append(g)
    return merged


def _heads_and_tails(
    region: str, groups: list[_Group], starts: _Lines, start: int
) -> tuple[list[list[_Token]], list[list[_Token]]]:
    """Header tokens (name and type) of each row, and the tokens that follow each row's shape."""
    segments = [region[: groups[0][0]]]
    for a, b in itertools.pairwise(groups):
        segments.append(region[a[1] : b[0]])
    segments.append(region[groups[-1][1] :])
    seg_offsets = [start] + [start + g[1] for g in groups]
    headers: list[list[_Token]] = [[] for _ in groups]
    tails: list[list[_Token]] = [[] for _ in groups]
    for k, segment in enumerate(segments):
        tokens = _line_tokens(segment, seg_offsets[k], starts)
        if k < len(groups):
            shape_line = _line_of(starts, start + groups[k][0])
            head = [t for t in tokens if t[0] == shape_line]
            rest = [t for t in tokens if t[0] != shape_line]
            if not head and rest:
                # Hard wrap put the name on a line of its own: take the last line's tokens.
                last_line = rest[-1][0]
                head = [t for t in rest if t[0] == last_line]
                rest = [t for t in rest if t[0] != last_line]
                if k > 0 and rest == [] and head and count_of(head[0][1])[1]:
                    rest, head = head[:1], head[1:]
            headers[k] = head
        else:
            rest = tokens
        if k > 0:
            tails[k - 1] = rest
    return headers, tails


def _stream_row(
    header: list[_Token], tail: list[_Token], shapes: list[PShape], line: int, torchinfo: bool
) -> PastedRow | None:
    """One row from its header tokens, its shapes and the tokens after them; None if it is none."""
    count: int | None = None
    count_text = ""
    if tail:
        value, recognised = count_of(tail[0][1])
        if recognised:
            count, count_text = value, tail[0][1]
            tail = tail[1:]
    connected: list[str] = []
    fragments: list[_Token] = []
    for token_line, tok in tail:
        names = CONNECTED.findall(tok)
        if names:
            connected.extend(names)
        elif tok not in ("-", "--") and not COUNT.fullmatch(tok):
            fragments.append((token_line, tok))
    header_text = _join_fragments(header + fragments)
    row = PastedRow(
        name="",
        layer_type=None,
        type_complete=True,
        output_shapes=tuple(shapes),
        count=count,
        count_text=count_text,
        line=line,
    )
    if torchinfo:
        m = _TORCHINFO_ROW.match(header_text)
        if m:
            typ = m.group(1)
            name = m.group(2) or f"{typ}: {m.group(3)}-{m.group(4)}"
            return dataclasses.replace(row, name=name, layer_type=typ, depth=int(m.group(3)))
        if header_text and _BARE_TYPE.fullmatch(header_text):
            typ = header_text.strip(" |`+-")
            return dataclasses.replace(row, name=typ, layer_type=typ)
    if not header_text and not count_text:
        return None
    name, typ, complete = split_header(header_text)
    return dataclasses.replace(
        row, name=name, layer_type=typ, type_complete=complete, connected_to=tuple(connected)
    )


def _mark_containers(rows: list[PastedRow]) -> list[PastedRow]:
    # A torchinfo row whose next row is deeper holds that row.
    return [
        dataclasses.replace(row, container=True) if nxt.depth > row.depth else row
        for row, nxt in itertools.pairwise(rows)
    ] + rows[-1:]


def stream_rows(text: str, start: int, end: int, torchinfo: bool) -> list[PastedRow]:
    """Read the rows of ``text[start:end]`` as a stream of tokens around the printed shapes.

    Parameters
    ----------
    text : str
        The normalised paste.
    start, end : int
        The table's region (after the header, before the totals).
    torchinfo : bool
        Read torchinfo's ``Type: depth-idx`` labels (and mark containers) rather than ``name (Type)``.

    Returns
    -------
    list of PastedRow
        One row per run of shapes that has a header or a count.
    """
    region = text[start:end]
    starts: _Lines = (text.count("\n", 0, start) + 1, [start + m.end() for m in re.finditer("\n", region)])
    groups = _shape_groups(region)
    if not groups:
        return []
    if len(groups) > MAX_READ_ROWS:
        # Read one row more than is kept (so the caller sees the paste is longer), and no further.
        region = region[: groups[MAX_READ_ROWS + 1][0]] if len(groups) > MAX_READ_ROWS + 1 else region
        groups = groups[: MAX_READ_ROWS + 1]
    if torchinfo:
        groups = _merge_on_line(groups, region, starts, start)
    headers, tails = _heads_and_tails(region, groups, starts, start)
    rows: list[PastedRow] = []
    for k, (g_start, _g_end, shapes) in enumerate(groups):
        row = _stream_row(headers[k], tails[k], shapes, _line_of(starts, start + g_start), torchinfo)
        if row is not None:
            rows.append(row)
    return _mark_containers(rows) if torchinfo else rows
