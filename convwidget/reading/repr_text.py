"""Read PyTorch's ``print(model)`` text: one row per ``(name): Type(arguments)`` line, with its arguments.

``print(model)`` shows no shapes and no counts, but every layer's constructor arguments, which
the explainer counts from. Containers (``(features): Sequential(``) open a level of nesting that
a line holding only ``)`` closes.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from types import MappingProxyType

from .pasted import PastedRow

__all__ = ["REPR_LINE", "literal", "repr_rows", "split_args"]

REPR_LINE = re.compile(r"^\s*\(([^()\n]{1,200})\):\s*([A-Za-z_][\w.]*)\(")
"""A child line, ``(conv1): Conv2d(`` …: group 1 is the name, group 2 the type."""
_REPR_ROOT = re.compile(r"^\s*([A-Za-z_][\w.]*)\($")
_KEYWORD = re.compile(r"[A-Za-z_]\w*")

# Longer argument texts are kept as text: ast would spend time on what is no literal a layer takes.
_MAX_LITERAL = 200
# A hard-wrapped line is rejoined over at most this many lines, and a longer logical line is skipped.
_MAX_WRAPPED_LINES = 20
_MAX_LINE = 2000


def split_args(text: str) -> list[str]:
    """Split an argument list at its top-level commas (``"1, 32, kernel_size=(3, 3)"`` → 3 parts)."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
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


def literal(text: str) -> object:
    """The Python literal ``text`` prints (``"(3, 3)"`` → ``(3, 3)``), or ``text`` itself if it is none."""
    if len(text) > _MAX_LITERAL:
        return text
    try:
        value: object = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        # ast's ways of saying "not a literal" (and of refusing a deeply nested one): keep the text.
        return text
    return value


def _arguments(inner: str) -> MappingProxyType[str, object]:
    args: dict[str, object] = {}
    for j, part in enumerate(split_args(inner)):
        key, eq, value = part.partition("=")
        if eq and _KEYWORD.fullmatch(key.strip()):
            args[key.strip()] = literal(value.strip())
        else:
            args[str(j)] = literal(part)
    return MappingProxyType(args)


def _logical_lines(lines: list[str]) -> list[tuple[str, int]]:
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
            and steps < _MAX_WRAPPED_LINES
        ):
            i += 1
            steps += 1
            line = line.rstrip() + " " + lines[i].strip()
        logical.append((line, number))
        i += 1
    return logical


def repr_rows(lines: list[str]) -> list[PastedRow]:
    """Read ``print(model)`` lines into rows.

    Parameters
    ----------
    lines : list of str
        Every line of the (normalised) paste.

    Returns
    -------
    list of PastedRow
        The root module (if printed) and every child, with ``depth``, ``args`` and ``container``
        set; no shapes or counts (the text has none).
    """
    rows: list[PastedRow] = []
    depth = 0
    for line, number in _logical_lines(lines):
        stripped = line.strip()
        if len(stripped) > _MAX_LINE:
            continue
        child = REPR_LINE.match(line)
        root = _REPR_ROOT.match(line)
        if child:
            row = PastedRow(
                name=child.group(1).strip(), layer_type=child.group(2), type_complete=True, line=number
            )
            body = stripped[child.end() - (len(line) - len(line.lstrip())) :]
            if body == "":
                rows.append(dataclasses.replace(row, depth=depth + 1, container=True))
                depth += 1
                continue
            inner = body[:-1] if body.endswith(")") else body
            rows.append(dataclasses.replace(row, depth=depth + 1, args=_arguments(inner)))
        elif root and not rows:
            name = root.group(1)
            rows.append(
                PastedRow(name=name, layer_type=name, type_complete=True, line=number, container=True)
            )
        elif stripped == ")" and depth > 0:
            depth -= 1
    return rows
