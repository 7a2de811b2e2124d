"""The small pieces every summary format shares: normalised text, shapes, counts, totals, ``name (Type)``.

Each pattern is a simple regular expression without nested repetition, so matching is linear in
the length of the text.
"""

from __future__ import annotations

import re

from .pasted import Dim, PastedTotals, PShape

__all__ = [
    "BETWEEN_SHAPES",
    "CONNECTED",
    "COUNT",
    "HEADER",
    "MODEL_NAME",
    "SEPARATOR_TOKEN",
    "SHAPE",
    "TOTALS_START",
    "cells",
    "column_roles",
    "count_of",
    "is_separator",
    "normalise",
    "row_pipes",
    "shape_values",
    "split_header",
    "to_int",
    "totals",
]

# --- normalising ----------------------------------------------------------------------------------

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


def normalise(text: str) -> str:
    """Map every line break to ``\\n``, vertical box characters to ``|`` and the others to ``-``.

    Parameters
    ----------
    text : str
        The paste as given.

    Returns
    -------
    str
        The text every reader works on: its line numbers are the paste's.
    """
    # A Windows paste has \r\n: make it one newline, then map every other line break and box character.
    return text.replace("\r\n", "\n").translate(_TRANSLATE)


_CROSSINGS = "┳╇┼╋┿╂┬╈"
_RULE_LINE = re.compile(r"(?m)^[ \t]*[┏┡├┌╞╟╠┣+|][━─═┳╇┼╋┿╂┬╈+|\-]{4,}[┓┩┤┐╡╢╣┫+|][ \t]*$")
_SCAN_CHARS = 200_000


def row_pipes(raw: str) -> int | None:
    """How many column borders a box table's row has, read off its first rule (before normalising).

    Keras 3's ``├─────┼─────┤`` (or an ASCII ``+-----+-----+``) has a crossing per inner border: a
    row has that many ``|`` plus the two outer ones. None when no such rule is found.
    """
    for m in _RULE_LINE.finditer(raw, 0, min(len(raw), _SCAN_CHARS)):
        rule = m.group().strip()
        inner = sum(rule.count(c) for c in _CROSSINGS) + rule[1:-1].count("+") + rule[1:-1].count("|")
        if inner:
            return inner + 2
    return None


# --- patterns -------------------------------------------------------------------------------------

_WS = r"[ \n]*"
_DIM = r"(?:None|\?|\d+)"
SHAPE = re.compile(rf"(?<![\w\]])[(\[]{_WS}{_DIM}(?:{_WS},{_WS}{_DIM})*{_WS},?{_WS}[)\]]")
"""A printed shape, ``(None, 26, 26, 32)`` or ``[1, 32, 26, 26]``, possibly wrapped over lines."""
BETWEEN_SHAPES = re.compile(r"[\s,\[\]]*")
"""What may stand between the shapes of one row (a multi-output layer prints a list of shapes)."""
COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
"""A parameter count, with or without thousands separators."""
_TRUNCATED_COUNT = re.compile(r"[\d,]+(?:…|\.\.\.)")
SEPARATOR_TOKEN = re.compile(r"[-_=+|~*.:#]{2,}|[|+=_]")
"""A token of a rule or border (``====``, ``|``), never a cell's content."""
CONNECTED = re.compile(r"([\w./-]+?)(?:\[(?:\d+\]\[\d+\]|\d*\]?\[?\d*…)|…)")
"""One entry of a 'Connected to' column, ``conv2d[0][0]``, or cut off (``image[0][…``,
``left_branch_convo…``); group 1 is the layer's name (or what is printed of it)."""
_TOTALS = {
    "total": re.compile(r"Total\s+params:?\s*([\d,]+)"),
    "trainable": re.compile(r"(?<![-\w])Trainable\s+params:?\s*([\d,]+)"),
    "non_trainable": re.compile(r"Non-trainable\s+params:?\s*([\d,]+)"),
    "optimizer": re.compile(r"Optimizer\s+params:?\s*([\d,]+)"),
}
TOTALS_START = re.compile(r"Total\s+params")
"""Where the totals under the table begin."""
HEADER = re.compile(r"Layer\s*\(\s*type")
"""The header of a Keras table, ``Layer (type)``."""
MODEL_NAME = re.compile(r"Model:\s*\"([^\"\n]{0,200})\"")
"""Keras' ``Model: "name"`` line."""
_KERAS_HEADER = re.compile(r"^(.*?)\s*\(\s*([^()\s]*)\s*(\)?)\s*$")


# --- tokens ---------------------------------------------------------------------------------------


def to_int(text: str) -> int | None:
    """The integer a count prints (``"18,207"`` → 18207), or None if it is not one."""
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) < 40 else None


def shape_values(text: str) -> PShape:
    """The dimensions of a printed shape without its batch axis (every format prints that first).

    Parameters
    ----------
    text : str
        A match of :data:`SHAPE`.

    Returns
    -------
    tuple
        One int per dimension, None where the paste prints ``None`` or ``?``.
    """
    items = [t.strip() for t in text.strip()[1:-1].split(",")]
    dims: list[Dim] = [int(t) if t.isdigit() else None for t in items if t]
    return tuple(dims[1:])


def count_of(token: str) -> tuple[int | None, bool]:
    """Read a Param # cell.

    Parameters
    ----------
    token : str
        The cell's text.

    Returns
    -------
    tuple
        (count, recognised): count is None for ``--``, ``(recursive)`` or a count cut off with
        ``…``; recognised is False when the token is no count at all.
    """
    if COUNT.fullmatch(token):
        return to_int(token), True
    if token in ("--", "-", "(recursive)") or _TRUNCATED_COUNT.fullmatch(token):
        return None, True
    return None, False


def totals(text: str) -> PastedTotals | None:
    """The totals printed in ``text`` (the part of the paste after the table).

    Returns
    -------
    PastedTotals or None
        None when neither a total nor a trainable count is printed.
    """
    found: dict[str, int | None] = {}
    for key, rx in _TOTALS.items():
        m = rx.search(text)
        if m:
            found[key] = to_int(m.group(1))
    if "total" not in found and "trainable" not in found:
        return None
    return PastedTotals(
        total=found.get("total"),
        trainable=found.get("trainable"),
        non_trainable=found.get("non_trainable"),
        optimizer=found.get("optimizer"),
    )


def split_header(text: str) -> tuple[str, str | None, bool]:
    """Split a Keras ``name (Type)`` cell.

    Parameters
    ----------
    text : str
        The cell, possibly wrapped or cut off (``"max_pooling2d (MaxPooling2"``).

    Returns
    -------
    tuple
        (name, type, type_complete); a cut-off type keeps what is printed and is not complete.
    """
    text = " ".join(text.split())
    m = _KERAS_HEADER.match(text)
    if m and m.group(2):
        name = m.group(1).strip() or m.group(2)
        typ = m.group(2)
        complete = bool(m.group(3)) and not typ.endswith(("…", "..."))
        return name, typ.rstrip("….").strip() or None, complete
    return text, None, False


# --- table lines ----------------------------------------------------------------------------------


_ALNUM = re.compile(r"[^\W_]")


def is_separator(line: str) -> bool:
    """A rule or border line: something printed, but no letter or digit."""
    stripped = line.strip()
    if not stripped or _ALNUM.search(stripped):
        return False
    # A lone '-' or '--' is a cell (Keras' empty 'Connected to', torchinfo's count of a container)
    # that a hard wrap left on a line of its own, not a rule.
    # So is a row's closing border alone on a line.
    return stripped != "|" and not any(token in ("-", "--") for token in stripped.split())


def cells(line: str) -> list[str]:
    """The cells of a ``|``-separated line, outer borders dropped."""
    stripped = line.strip()
    parts = stripped.split("|")
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and parts:
        parts = parts[:-1]
    return [p.strip() for p in parts]


def column_roles(header: list[str]) -> dict[str, int]:
    """Which header cell is the name, shape, count and 'Connected to' column (keys of the result)."""
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
