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

from .pasted import MAX_READ_ROWS, PastedRow

__all__ = ["REPR_LINE", "literal", "repr_rows", "split_args"]

REPR_LINE = re.compile(r"^\s*\(([^()\n]{1,200})\):\s*(?:(\d{1,6}) x )?([A-Za-z_][\w.]*)\(")
"""A child line, ``(conv1): Conv2d(`` …: group 1 is the name, group 3 the type; group 2 the repeat
of a line PyTorch folds, ``(0-2): 3 x Block(`` (three identical modules printed once)."""
_RANGE = re.compile(r"(\d+)-(\d+)")
_REPR_ROOT = re.compile(r"^\s*([A-Za-z_][\w.]*)\($")
_KEYWORD = re.compile(r"[A-Za-z_]\w*")

# Longer argument texts are kept as text: ast would spend time on what is no literal a layer takes.
_MAX_LITERAL = 200
# A hard-wrapped line is rejoined over at most this many lines, and a longer logical line is skipped.
_MAX_WRAPPED_LINES = 20
_MAX_LINE = 2000
_MAX_REPEAT = 10_000  # a folded line standing for more modules is not a lesson model's


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
            # print(model) puts spaces only after ',' and ':': any other fold split a word (bias=Fal|se).
            sep = " " if line.rstrip().endswith((",", ":")) else ""
            line = line.rstrip() + sep + lines[i].strip()
        logical.append((line, number))
        i += 1
    return logical


def _copies(name: str, repeat: int) -> list[str]:
    """The names of a folded line's modules: ``"0-2"`` → 0, 1, 2; otherwise ``name[0]`` …"""
    m = _RANGE.fullmatch(name)
    if m and int(m.group(2)) - int(m.group(1)) + 1 == repeat:
        return [str(i) for i in range(int(m.group(1)), int(m.group(2)) + 1)]
    return [f"{name}[{i}]" for i in range(repeat)]


def _unfold(block: list[PastedRow], repeat: int) -> list[PastedRow]:
    """A folded block (its first row names it) as ``repeat`` copies, each named after its index."""
    out: list[PastedRow] = []
    for name in _copies(block[0].name, repeat):
        if len(out) > MAX_READ_ROWS:
            break  # the reader keeps no more rows than that anyway
        out.append(dataclasses.replace(block[0], name=name))
        out.extend(block[1:])
    return out


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
        set; no shapes or counts (the text has none). A folded line (``(0-2): 3 x Block(``) gives
        one copy of its rows per module it stands for.
    """
    rows: list[PastedRow] = []
    # Open containers: (index of the container's row, how many modules its line stands for).
    stack: list[tuple[int, int]] = []
    for line, number in _logical_lines(lines):
        if len(rows) > MAX_READ_ROWS:
            break
        stripped = line.strip()
        if len(stripped) > _MAX_LINE:
            continue
        child = REPR_LINE.match(line)
        root = _REPR_ROOT.match(line)
        if child:
            repeat = min(int(child.group(2) or 1), _MAX_REPEAT)
            row = PastedRow(
                name=child.group(1).strip(), layer_type=child.group(3), type_complete=True, line=number
            )
            body = stripped[child.end() - (len(line) - len(line.lstrip())) :]
            if body == "":
                stack.append((len(rows), repeat))
                rows.append(dataclasses.replace(row, depth=len(stack), container=True))
                continue
            inner = body[:-1] if body.endswith(")") else body
            leaf = dataclasses.replace(row, depth=len(stack) + 1, args=_arguments(inner))
            rows.extend(_unfold([leaf], repeat) if repeat > 1 else [leaf])
        elif root and not rows:
            name = root.group(1)
            rows.append(
                PastedRow(name=name, layer_type=name, type_complete=True, line=number, container=True)
            )
        elif stripped == ")" and stack:
            start, repeat = stack.pop()
            if repeat > 1:
                rows[start:] = _unfold(rows[start:], repeat)
    return rows
