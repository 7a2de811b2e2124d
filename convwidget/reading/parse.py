"""Read a pasted model summary: sniff its format and hand it to the reader of that format."""

from __future__ import annotations

import ast
import bisect
import itertools
import re
from types import MappingProxyType
from typing import Any

from ..enums import Dialect
from ..errors import ParseError
from .pasted import EXPECTED, Dim, PasteFormat, PShape, PastedRow, PastedSummary, PastedTotals

__all__ = ["parse_summary"]


# --- normalising --------------------------------------------------------------------------------

_VERTICAL = "│┃║╎╏┆┇┊┋¦"
_BOX = "".join(chr(c) for c in range(0x2500, 0x2580) if chr(c) not in _VERTICAL)
_TRANSLATE = str.maketrans(
    {
        **{c: "|" for c in _VERTICAL},
        **{c: "-" for c in _BOX},
        "\t": "    ",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
        "\r": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
        "\x0b": "\n",
        "\x0c": "\n",
        "\x1c": "\n",
        "\x1d": "\n",
        "\x1e": "\n",
        "\x85": "\n",
    }
)


def _normalise(text: str) -> str:
    # A Windows paste has \r\n: make it one newline, then map every other line break and box character.
    return text.replace("\r\n", "\n").translate(_TRANSLATE)


# --- small token helpers ------------------------------------------------------------------------

_WS = r"[ \n]*"
_DIM = r"(?:None|\?|\d+)"
_SHAPE = re.compile(rf"(?<![\w\]])[(\[]{_WS}{_DIM}(?:{_WS},{_WS}{_DIM})*{_WS},?{_WS}[)\]]")
_BETWEEN_SHAPES = re.compile(r"[\s,\[\]]*")
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_TRUNCATED_COUNT = re.compile(r"[\d,]+(?:…|\.\.\.)")
_SEPARATOR_TOKEN = re.compile(r"[-_=+|~*.:#]{2,}|[|+=_]")
_CONNECTED = re.compile(r"([\w./-]+)\[(?:\d+\]\[\d+\]|\d*…)")
_TOTALS = {
    "total": re.compile(r"Total\s+params:?\s*([\d,]+)"),
    "trainable": re.compile(r"(?<![-\w])Trainable\s+params:?\s*([\d,]+)"),
    "non_trainable": re.compile(r"Non-trainable\s+params:?\s*([\d,]+)"),
    "optimizer": re.compile(r"Optimizer\s+params:?\s*([\d,]+)"),
}
_TOTALS_START = re.compile(r"Total\s+params")
_HEADER = re.compile(r"Layer\s*\(\s*type")
_MODEL_NAME = re.compile(r"Model:\s*\"([^\"\n]{0,200})\"")
_TORCHINFO_HEADER = re.compile(r"Layer\s*\(\s*type\s*:\s*depth-idx\s*\)")
_TORCHINFO_ROW = re.compile(r"^[\s|`+\-]*([A-Za-z_][\w.]*)(?:\s*\(([^()]*)\))?\s*:\s*(\d+)-(\d+)")
_KERAS_HEADER = re.compile(r"^(.*?)\s*\(\s*([^()\s]*)\s*(\)?)\s*$")
_REPR_LINE = re.compile(r"^\s*\(([^()\n]{1,200})\):\s*([A-Za-z_][\w.]*)\(")
_REPR_ROOT = re.compile(r"^\s*([A-Za-z_][\w.]*)\($")


def _to_int(text: str) -> int | None:
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) < 40 else None


def _shape_values(text: str) -> PShape:
    items = [t.strip() for t in text.strip()[1:-1].split(",")]
    dims: list[Dim] = [int(t) if t.isdigit() else None for t in items if t]
    return tuple(dims)


def _drop_batch(shape: PShape) -> PShape:
    # Every format prints the batch axis first (None in Keras, the batch size in torchinfo).
    return shape[1:]


def _count_of(token: str) -> tuple[int | None, bool]:
    """Return (count, recognised) for a count token."""
    if _COUNT.fullmatch(token):
        return _to_int(token), True
    if token in ("--", "-", "(recursive)") or _TRUNCATED_COUNT.fullmatch(token):
        return None, True
    return None, False


def _totals(text: str) -> PastedTotals | None:
    found: dict[str, int | None] = {}
    for key, rx in _TOTALS.items():
        m = rx.search(text)
        if m:
            found[key] = _to_int(m.group(1))
    if "total" not in found and "trainable" not in found:
        return None
    return PastedTotals(**found)


# --- the type as printed ------------------------------------------------------------------------


def _split_header(text: str) -> tuple[str, str | None, bool]:
    """Split 'name (Type)' into (name, type, type_complete); cut-off types keep what is printed."""
    text = " ".join(text.split())
    m = _KERAS_HEADER.match(text)
    if m and m.group(2):
        name = m.group(1).strip() or m.group(2)
        typ = m.group(2)
        complete = bool(m.group(3)) and not typ.endswith(("…", "..."))
        return name, typ.rstrip("….").strip() or None, complete
    return text, None, False


# --- box tables (Keras 3, markdown, ASCII art) --------------------------------------------------


def _is_separator(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not any(c.isalnum() for c in stripped)


def _cells(line: str) -> list[str]:
    stripped = line.strip()
    parts = stripped.split("|")
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and parts:
        parts = parts[:-1]
    return [p.strip() for p in parts]


def _column_roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for i, cell in enumerate(header):
        low = cell.lower()
        if "layer" in low and "name" not in roles:
            roles["name"] = i
        elif "shape" in low and "shape" not in roles:
            roles["shape"] = i
        elif "param" in low and "count" not in roles:
            roles["count"] = i
        elif "connected" in low:
            roles["connected"] = i
    return roles


def _box_rows(lines: list[str], line_numbers: list[int]) -> list[PastedRow]:
    pipe_counts = [
        line.count("|") for line in lines if 2 <= line.count("|") <= 12 and not _is_separator(line)
    ]
    if not pipe_counts:
        return []
    width = max(pipe_counts)
    # With outer borders a complete line ends in "|"; a hard wrap leaves lines that do not.
    bordered = any(
        line.strip().startswith("|") and line.strip().endswith("|") and line.count("|") >= 3
        for line in lines
        if not _is_separator(line)
    )
    # Rejoin box lines that a hard wrap split: a content line short of pipes continues on the next
    # content line(s), as long as the pipes do not add up to more than a full row has.
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
            and not _is_separator(lines[i + 1])
            and (bordered or line.count("|") + lines[i + 1].count("|") <= width)
            and steps < 12
        ):
            i += 1
            steps += 1
            line = line.rstrip() + " " + lines[i].strip()
        joined.append((line, number))
        i += 1

    roles: dict[str, int] = {}
    blocks: list[list[tuple[list[str], int]]] = []
    current: list[tuple[list[str], int]] = []
    for line, number in joined:
        if line.count("|") < 2 or _is_separator(line):
            if current:
                blocks.append(current)
                current = []
            continue
        cells = _cells(line)
        if not roles and _HEADER.search(line):
            roles = _column_roles(cells)
            continue
        count_col = roles.get("count", 2)
        has_count = count_col < len(cells) and bool(cells[count_col])
        if has_count and any(count_col < len(c) and c[count_col] for c, _ in current):
            blocks.append(current)
            current = []
        current.append((cells, number))
    if current:
        blocks.append(current)

    name_col, shape_col = roles.get("name", 0), roles.get("shape", 1)
    count_col, conn_col = roles.get("count", 2), roles.get("connected", 3 if "count" not in roles else -1)
    rows: list[PastedRow] = []
    for block in blocks:

        def column(col: int, sep: str, blk: list[tuple[list[str], int]] = block) -> str:
            if col < 0:
                return ""
            return sep.join(c[col] for c, _ in blk if col < len(c) and c[col]).strip()

        shape_text = column(shape_col, " ")
        shapes = tuple(_drop_batch(_shape_values(m.group())) for m in _SHAPE.finditer(shape_text))
        count_text = column(count_col, "")
        count, recognised = _count_of(count_text)
        if not shapes and not recognised:
            continue
        name, typ, complete = _split_header(column(name_col, " "))
        connected = tuple(_CONNECTED.findall(column(conn_col, " ")))
        rows.append(
            PastedRow(
                name,
                typ,
                complete,
                shapes,
                count,
                count_text if recognised else "",
                connected,
                line=block[0][1],
            )
        )
    return rows


# --- plain tables (Keras 2, tf.keras, torchinfo), possibly collapsed or hard-wrapped -------------


def _line_tokens(segment: str, offset: int, starts: list[int]) -> list[tuple[int, str]]:
    """Return (line number, token) pairs of a segment, without separator tokens."""
    out = []
    for m in re.finditer(r"\S+", segment):
        tok = m.group().strip("'\",").lstrip("[").strip("'\",")
        while tok.endswith("]") and tok.count("]") > tok.count("["):
            tok = tok[:-1].rstrip("'\",")
        if not tok or (_SEPARATOR_TOKEN.fullmatch(tok) and tok != "--"):
            continue
        out.append((bisect.bisect_right(starts, offset + m.start()), tok))
    return out


def _join_fragments(tokens: list[tuple[int, str]]) -> str:
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


def _stream_rows(text: str, start: int, end: int, torchinfo: bool) -> list[PastedRow]:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    region = text[start:end]
    groups: list[tuple[int, int, list[PShape]]] = []
    for m in _SHAPE.finditer(region):
        shape = _drop_batch(_shape_values(m.group()))
        if groups and not _BETWEEN_SHAPES.fullmatch(region[groups[-1][1] : m.start()]):
            groups.append((m.start(), m.end(), [shape]))
        elif groups:
            groups[-1][2].append(shape)
            groups[-1] = (groups[-1][0], m.end(), groups[-1][2])
        else:
            groups.append((m.start(), m.end(), [shape]))
    if not groups:
        return []
    # torchinfo may print an input and an output column: two groups on one line make one row.
    if torchinfo:
        merged: list[tuple[int, int, list[PShape]]] = []
        for g in groups:
            if merged and _line_of(starts, start + merged[-1][1]) == _line_of(starts, start + g[0]):
                between = region[merged[-1][1] : g[0]]
                if not re.search(r"[A-Za-z0-9]", between.replace("--", "")):
                    merged[-1] = (merged[-1][0], g[1], g[2])
                    continue
            merged.append(g)
        groups = merged

    segments = [region[: groups[0][0]]]
    for a, b in itertools.pairwise(groups):
        segments.append(region[a[1] : b[0]])
    segments.append(region[groups[-1][1] :])
    seg_offsets = [start] + [start + g[1] for g in groups]

    # Header tokens (name and type) of each row, and what follows each row's shape.
    headers: list[list[tuple[int, str]]] = [[] for _ in groups]
    tails: list[list[tuple[int, str]]] = [[] for _ in groups]
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
                if k > 0 and rest == [] and head and _count_of(head[0][1])[1]:
                    rest, head = head[:1], head[1:]
            headers[k] = head
        else:
            rest = tokens
        if k > 0:
            tails[k - 1] = rest

    rows: list[PastedRow] = []
    for k, (g_start, _g_end, shapes) in enumerate(groups):
        tail = tails[k]
        count: int | None = None
        count_text = ""
        if tail:
            value, recognised = _count_of(tail[0][1])
            if recognised:
                count, count_text = value, tail[0][1]
                tail = tail[1:]
        connected: list[str] = []
        fragments: list[tuple[int, str]] = []
        for line, tok in tail:
            names = _CONNECTED.findall(tok)
            if names:
                connected.extend(names)
            elif tok not in ("-", "--") and not _COUNT.fullmatch(tok):
                fragments.append((line, tok))
        header_text = _join_fragments(headers[k] + fragments)
        line = _line_of(starts, start + g_start)
        if torchinfo:
            m = _TORCHINFO_ROW.match(header_text)
            if m:
                typ = m.group(1)
                name = m.group(2) or f"{typ}: {m.group(3)}-{m.group(4)}"
                rows.append(
                    PastedRow(name, typ, True, tuple(shapes), count, count_text, (), int(m.group(3)), line)
                )
                continue
            if header_text and re.fullmatch(r"[\s|`+\-]*[A-Za-z_][\w.]*", header_text):
                typ = header_text.strip(" |`+-")
                rows.append(PastedRow(typ, typ, True, tuple(shapes), count, count_text, (), 0, line))
                continue
        if not header_text and not count_text:
            continue
        name, typ, complete = _split_header(header_text)
        rows.append(
            PastedRow(name, typ, complete, tuple(shapes), count, count_text, tuple(connected), 0, line)
        )
    if torchinfo:
        rows = _mark_containers(rows)
    return rows


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)


def _mark_containers(rows: list[PastedRow]) -> list[PastedRow]:
    out = []
    for i, row in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        is_container = nxt is not None and nxt.depth > row.depth
        if is_container:
            row = PastedRow(
                row.name,
                row.layer_type,
                row.type_complete,
                row.output_shapes,
                row.count,
                row.count_text,
                row.connected_to,
                row.depth,
                row.line,
                row.args,
                True,
            )
        out.append(row)
    return out


def _column_rows(lines: list[str], header_index: int, last_index: int) -> list[PastedRow]:
    """Read an aligned plain table by the header's column positions (tf.keras wraps every column)."""
    header = lines[header_index]
    starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", header)]
    if len(starts) < 3 or len(starts) > 6:
        return []
    roles = _column_roles([m.group() for m in re.finditer(r"\S+(?: \S+)*", header)])
    bounds = [*starts[1:], None]
    blocks: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for index in range(header_index + 1, min(last_index, len(lines))):
        line = lines[index]
        if not line.strip() or _is_separator(line):
            if current:
                blocks.append(current)
                current = []
            continue
        cells = [line[0 if i == 0 else a : b].strip() for i, (a, b) in enumerate(zip(starts, bounds))]
        current.append((index + 1, cells))
    if current:
        blocks.append(current)
    rows = []
    name_col, shape_col = roles.get("name", 0), roles.get("shape", 1)
    count_col, conn_col = roles.get("count", 2), roles.get("connected", -1)
    for block in blocks:

        def column(col: int, sep: str, blk: list[tuple[int, list[str]]] = block) -> str:
            return sep.join(c[col] for _, c in blk if 0 <= col < len(c) and c[col]).strip()

        shapes = tuple(_drop_batch(_shape_values(m.group())) for m in _SHAPE.finditer(column(shape_col, " ")))
        count_text = column(count_col, "")
        count, recognised = _count_of(count_text)
        name, typ, complete = _split_header(column(name_col, ""))
        if not shapes or not recognised or not name:
            continue
        connected = tuple(_CONNECTED.findall(column(conn_col, "")))
        rows.append(PastedRow(name, typ, complete, shapes, count, count_text, connected, line=block[0][0]))
    return rows


def _row_quality(rows: list[PastedRow]) -> int:
    return sum(2 * bool(r.count_text) + bool(r.output_shapes) + 2 * r.type_complete for r in rows)


# --- print(model) ---------------------------------------------------------------------------------


def _split_args(text: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def _literal(text: str) -> Any:
    if len(text) > 200:
        return text
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def _repr_rows(lines: list[str]) -> list[PastedRow]:
    # Hard wraps split long repr lines: rejoin while the brackets are open (a container line ends in "(").
    logical: list[tuple[str, int]] = []
    i = 0
    while i < len(lines):
        line, number = lines[i], i + 1
        steps = 0
        while (
            line.count("(") > line.count(")")
            and not line.rstrip().endswith("(")
            and i + 1 < len(lines)
            and steps < 20
        ):
            i += 1
            steps += 1
            line = line.rstrip() + " " + lines[i].strip()
        logical.append((line, number))
        i += 1
    rows: list[PastedRow] = []
    depth = 0
    for line, number in logical:
        stripped = line.strip()
        if len(stripped) > 2000:
            continue
        m = _REPR_LINE.match(line)
        if m:
            name, typ = m.group(1).strip(), m.group(2)
            body = stripped[m.end() - (len(line) - len(line.lstrip())) :]
            if body == "":
                rows.append(PastedRow(name, typ, True, (), None, "", (), depth + 1, number, container=True))
                depth += 1
                continue
            inner = body[:-1] if body.endswith(")") else body
            args: dict[str, Any] = {}
            for j, part in enumerate(_split_args(inner)):
                key, eq, value = part.partition("=")
                if eq and re.fullmatch(r"[A-Za-z_]\w*", key.strip()):
                    args[key.strip()] = _literal(value.strip())
                else:
                    args[str(j)] = _literal(part)
            rows.append(
                PastedRow(name, typ, True, (), None, "", (), depth + 1, number, MappingProxyType(args))
            )
        elif _REPR_ROOT.match(line) and not rows:
            rows.append(
                PastedRow(
                    _REPR_ROOT.match(line).group(1),
                    _REPR_ROOT.match(line).group(1),
                    True,  # type: ignore[union-attr]
                    (),
                    None,
                    "",
                    (),
                    0,
                    number,
                    container=True,
                )
            )
        elif stripped == ")" and depth > 0:
            depth -= 1
    return rows


# --- entry point ----------------------------------------------------------------------------------


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
        raise ParseError(f"explain_summary: text={type(text).__name__} is invalid; {EXPECTED}, as a str.")
    text = _normalise(text)
    lines = text.split("\n")
    notes: list[str] = []
    name_match = _MODEL_NAME.search(text)
    model_name = name_match.group(1) if name_match else None

    if sum(1 for line in lines[:5000] if _REPR_LINE.match(line)) >= 1 and not _HEADER.search(text):
        rows = _repr_rows(lines)
        if any(not r.container for r in rows):
            return PastedSummary(PasteFormat.TORCH_REPR, Dialect.TORCH, tuple(rows), None, model_name, ())

    torchinfo = (
        bool(_TORCHINFO_HEADER.search(text))
        or len(re.findall(r"(?m)^[\s|`+\-]*[A-Za-z_]\w*(?:\s*\([^()\n]*\))?:\s*\d+-\d+\s", text[:200000]))
        >= 2
    )
    header = (_TORCHINFO_HEADER if torchinfo else _HEADER).search(text)
    start = 0
    if header:
        line_end = text.find("\n", header.end())
        start = len(text) if line_end < 0 else line_end + 1
        # The header may wrap; skip to the rule of '=' under it when there is one within a few lines.
        rule = re.compile(r"(?m)^[ |]*[=+\-|]{5,}[ |=+\-]*$").search(
            text, start, min(len(text), start + 2000)
        )
        if (
            rule
            and text.count("\n", start, rule.start()) <= 3
            and not _SHAPE.search(text, start, rule.start())
        ):
            start = rule.end()
    totals_start = _TOTALS_START.search(text, start)
    end = totals_start.start() if totals_start else len(text)
    totals = _totals(text[end:]) if totals_start else None

    box_lines = [line for line in lines if line.count("|") >= 2 and not _is_separator(line)]
    shape_lines = [line for line in lines if _SHAPE.search(line)]
    boxed = (
        not torchinfo
        and len(box_lines) >= 1
        and sum(1 for line in shape_lines if line.count("|") >= 2) * 2 >= max(1, len(shape_lines))
    )
    rows: list[PastedRow] = []
    fmt = "keras2"
    if boxed:
        first = text.count("\n", 0, header.start()) if header else 0
        last = text.count("\n", 0, end)
        region_lines = lines[first : last + 1]
        rows = _box_rows(region_lines, list(range(first + 1, first + 1 + len(region_lines))))
        fmt = "keras3"
    if not rows:
        # A box table whose borders were lost, or any plain table: read it as a stream of tokens.
        flat = text.replace("|", " ") if boxed or not torchinfo else text
        rows = _stream_rows(flat, start, end, torchinfo)
        if torchinfo:
            fmt = "torchinfo"
        elif boxed:
            fmt = "keras3"
        elif header:
            header_index = text.count("\n", 0, header.start())
            by_column = _column_rows(lines, header_index, text.count("\n", 0, end) + 1)
            if _row_quality(by_column) > _row_quality(rows):
                rows = by_column
    if not header and rows:
        # Without a header any bracketed numbers could be a row: keep only rows that look like one.
        rows = [r for r in rows if r.count_text and (r.layer_type or torchinfo)]
    if not rows:
        raise ParseError(f"explain_summary: no summary row found in the text; {EXPECTED}.")
    if totals is None:
        notes.append(
            "The paste stops before the totals ('Total params: …'): rows are explained one by one, "
            "but their sum cannot be checked."
        )
    if not header:
        notes.append(
            "No header line ('Layer (type) … Param #') was found; rows were recognised by their shape."
        )
    dialect = Dialect.TORCH if torchinfo else Dialect.KERAS
    return PastedSummary(PasteFormat(fmt), dialect, tuple(rows), totals, model_name, tuple(notes))
