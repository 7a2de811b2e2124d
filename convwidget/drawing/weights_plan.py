"""Honest pictures of weights that are no kernels: Dense, normalisations and Embedding, as plans.

- Dense: an inputs × units weight matrix and a bias row under it; one column is one unit.
- BatchNormalization: its four length-C vectors, γ and β (trainable) and the moving mean and
  variance (non-trainable, hatched), with what Keras and PyTorch count differently.
- LayerNormalization, GroupNorm, InstanceNorm: γ and β over the normalised axis.
- Embedding: a vocabulary × dimension table; one row is one token's vector.

None of them says "kernel". Lengths are drawn on a compressed scale (a
64-vector is not drawn 64 times longer than a 1-vector) and the true sizes are
written beside every side. Layout is the same as the kernel stack's: title on
top, counts at the bottom, the picture in between, sized for the canvas.
"""

from __future__ import annotations

import math

from .._checks import fail
from ..enums import Family
from ..formula import group_digits
from ..info import LayerInfo
from ._layout import fit, line_height, plural, text_width
from ._style import BIAS_COLOR, HIGHLIGHT, OKABE_ITO
from .kernel_plan import _COUNT_PT, _LABEL_PT, _TITLE_PT, Frame, KernelPlan, Label, Lines, Panel, Point

__all__ = ["STATS_COLOR", "Vector", "plan_vectors", "plan_weights"]

_MATRIX = "#9BC7E8"  # weights
STATS_COLOR = _STATS = "#CFCFCF"  # non-trainable statistics (hatched)
_MAX_GRID = 24  # cells are drawn one by one up to this many per side


def _length(n: int, g: float) -> float:
    """Drawn length of a side of ``n`` numbers: grows with n, compressed (1 → 24, 64 → 106, 9072 → 200)."""
    return g * (24 + 13.7 * math.log2(max(n, 1))) if n > 1 else 24 * g


def _rect(x: float, y: float, w: float, h: float) -> tuple[Point, ...]:
    return ((x, y), (x + w, y), (x + w, y + h), (x, y + h))


def _grid(x: float, y: float, w: float, h: float, rows: int, cols: int) -> list[tuple[Point, ...]]:
    """Cell lines of a w×h rectangle with ``rows``×``cols`` cells (none along a side with too many)."""
    out: list[tuple[Point, ...]] = []
    if rows <= _MAX_GRID:
        out += [((x, y + h * r / rows), (x + w, y + h * r / rows)) for r in range(1, rows)]
    if cols <= _MAX_GRID:
        out += [((x + w * c / cols, y), (x + w * c / cols, y + h)) for c in range(1, cols)]
    return out


def _refuse(info: LayerInfo, why: str) -> Exception:
    return fail(
        "draw_kernels",
        "info",
        info.layer_type,
        f"{why}; this drawing shows convolutions, Dense, normalisation and Embedding layers",
    )


def _size(shape: tuple[int, ...]) -> int:
    out = 1
    for n in shape:
        out *= n
    return out


class _Bare(Lines):
    """Lines that take no text: the picture alone, for a part of another drawing."""

    def down(self, role: str, text: str, base: float) -> None:
        pass

    def up(self, role: str, text: str, base: float) -> None:
        pass


def _lines(f: Frame, bare: bool) -> Lines:
    return _Bare(f) if bare else Lines(f)


def _finish(
    f: Frame, lines: Lines, labels: list[Label], panels: list[Panel], marks: list[tuple[Point, ...]]
) -> KernelPlan:
    return KernelPlan(
        (),
        tuple(lines.labels + labels),
        (),
        (),
        (),
        (),
        panels=tuple(panels),
        marks=tuple(marks),
        canvas=(f.width, f.height),
        scale=f.s,
    )


def _dense(info: LayerInfo, f: Frame, bare: bool) -> KernelPlan:
    g = info.geometry
    assert g is not None  # the caller checked
    n_in, n_out = g.in_channels, g.out_channels
    lines = _lines(f, bare)
    lines.down("title", f"{info.layer_type}: a weight matrix, one column per unit, and a bias row", _TITLE_PT)
    bias_part = f" + {plural(n_out, 'bias', 'biases')}" if g.bias else ", no bias"
    lines.up(
        "total",
        f"{group_digits(n_in)} × {group_digits(n_out)} weights{bias_part} = {group_digits(info.terms.total)}",
        _COUNT_PT,
    )
    small = f.pt(_LABEL_PT)
    lh = line_height(small)
    left_text = f"{group_digits(n_in)}\n{'input' if n_in == 1 else 'inputs'}"
    x = f.margin + text_width(left_text, small) + 6 * f.g
    top = lines.top - lh - 6 * f.g
    bias_h = 12 * f.g if g.bias else 0.0
    room_h = top - lines.bottom - bias_h - 10 * f.g
    right_text = [
        f"one column = one unit: {plural(n_in, 'weight')}" + (" + 1 bias" if g.bias else ""),
        "weights: " + f"{group_digits(n_in)} × {group_digits(n_out)} = {group_digits(n_in * n_out)}",
    ]
    if g.bias:
        right_text.append(f"bias row: {plural(n_out, 'number')}, one per unit")
    right_w = max(text_width(t, small) for t in right_text) + 10 * f.g
    room_w = f.width - f.margin - x - right_w
    if room_w < 40 * f.g:  # no room beside the matrix: the first note only, if it fits
        first = text_width(right_text[0], small) + 10 * f.g
        right_text = right_text[:1] if f.width - f.margin - x - first >= 40 * f.g else []
        right_w = first if right_text else 0.0
        room_w = f.width - f.margin - x - right_w
    k = max(min(room_h / _length(n_in, f.g), room_w / _length(n_out, f.g), 1.8), 0.05)
    h, w = _length(n_in, f.g) * k, _length(n_out, f.g) * k
    y = top - h
    panels = [Panel(_rect(x, y, w, h), _MATRIX)]
    marks = _grid(x, y, w, h, n_in, n_out)
    labels = [
        Label("part0", f"{plural(n_out, 'unit')}", x + w / 2, top + lh / 2 + 2 * f.g, "center", small),
        Label("part1", left_text, x - 4 * f.g, y + h / 2, "right", small),
    ]
    col = w / n_out if n_out <= _MAX_GRID else min(10 * f.g, w / 4)
    if g.bias:
        by = y - 4 * f.g - bias_h
        panels.append(Panel(_rect(x, by, w, bias_h), BIAS_COLOR))
        marks += _grid(x, by, w, bias_h, 1, n_out)
        panels.append(Panel(_rect(x, by, col, y - by + h), "none", edge=HIGHLIGHT))
    else:
        panels.append(Panel(_rect(x, y, col, h), "none", edge=HIGHLIGHT))
    tx = x + w + 10 * f.g
    for i, t in enumerate(right_text):
        text, size = fit(t, small, f.width - f.margin - tx, max(small * 0.72, 7.0))
        labels.append(Label(f"part{i + 2}", text, tx, top - (i + 0.5) * (lh + 8 * f.g), "left", size))
    return _finish(f, lines, labels, panels, marks)


Vector = tuple[str, int, str, str, bool]  # name, length, colour, note, hatched


def plan_vectors(
    f: Frame, title: str | None, rows: list[Vector], bottom: list[str], bare: bool = False
) -> KernelPlan:
    """Vectors one above the other (name, length, colour, note, hatched each); text lines at the bottom."""
    lines = _lines(f, bare)
    if title:
        lines.down("title", title, _TITLE_PT)
    for i, text in enumerate(reversed(bottom)):
        lines.up("total" if i == len(bottom) - 1 else "note" if i == 0 else "per_kernel", text, _LABEL_PT)
    small = f.pt(_LABEL_PT)
    names = [r[0] for r in rows]
    name_w = max(text_width(n, small) for n in names)
    x = f.margin + name_w + 6 * f.g
    pitch = min((lines.top - lines.bottom) / len(rows), 3 * line_height(f.pt(_LABEL_PT)))
    bar_h = min(22 * f.g, pitch * 0.6, line_height(small) * 1.4)
    panels: list[Panel] = []
    marks: list[tuple[Point, ...]] = []
    labels: list[Label] = []
    notes_w = max(text_width(r[3], small) for r in rows) + 10 * f.g
    for i, (name, n, color, note, hatch) in enumerate(rows):
        yc = lines.top - (i + 0.5) * pitch
        w = min(_length(n, f.g) * 1.6, f.width - f.margin - x - notes_w)
        w = max(w, 20 * f.g)
        panels.append(Panel(_rect(x, yc - bar_h / 2, w, bar_h), color, hatch))
        marks += _grid(x, yc - bar_h / 2, w, bar_h, 1, n)
        labels.append(Label(f"part{2 * i}", name, x - 4 * f.g, yc, "right", small))
        text, size = fit(note, small, f.width - f.margin - (x + w + 8 * f.g), max(small * 0.72, 7.0))
        labels.append(Label(f"part{2 * i + 1}", text, x + w + 8 * f.g, yc, "left", size))
    return _finish(f, lines, labels, panels, marks)


def _norm(info: LayerInfo, f: Frame, bare: bool) -> KernelPlan:
    kw = info.keras_weights
    stats = "moving_mean" in kw or info.buffers > 0
    gamma = kw.get("gamma") or kw.get("beta")
    shape = gamma or kw.get("moving_mean") or ()
    n = _size(shape) if shape else 0
    if not stats and gamma is None:
        raise _refuse(info, f"{info.layer_type} has no weights to draw")
    if n == 0:  # PyTorch batch norm without affine: the statistics' length is in the buffers
        n = (info.buffers - 1) // 2
    rows: list[Vector] = []
    axis = "×".join(str(s) for s in shape) if len(shape) > 1 else f"{n:,}"
    if gamma is not None:
        rows.append(("γ (scale)", n, OKABE_ITO[0], f"{axis} — trainable", False))
        rows.append(("β (shift)", n, OKABE_ITO[1], f"{axis} — trainable", False))
    if stats:
        rows.append(
            (
                "moving mean",
                n,
                _STATS,
                f"{axis} — non-trainable" + ("" if bare else " (updated while training)"),
                True,
            )
        )
        rows.append(
            (
                "moving variance",
                n,
                _STATS,
                f"{axis} — non-trainable" + ("" if bare else " (updated while training)"),
                True,
            )
        )
        trained = 2 * n if gamma is not None else 0
        vectors = 4 if gamma is not None else 2
        title = f"{info.layer_type}: four vectors of {plural(n, 'number')}, one number per channel each"
        bottom = [
            f"Keras: {vectors}·{n:,} = {group_digits(vectors * n)}"
            f" parameters ({group_digits(trained)} trainable, {group_digits(2 * n)} non-trainable)",
            f"PyTorch: {group_digits(trained)} parameters; running mean and variance (2·{n:,})"
            f" + num_batches_tracked (1) = {group_digits(2 * n + 1)} buffers",
            f"this layer: {info.terms.text}",
        ]
        if gamma is None:
            title = f"{info.layer_type}: two vectors of moving statistics, {plural(n, 'number')} each"
    else:
        title = f"{info.layer_type}: γ and β, one of each per number of the normalised axis"
        bottom = [
            "no moving statistics: each sample is normalised on its own",
            f"this layer: {info.terms.text}",
        ]
    return plan_vectors(f, title, rows, bottom, bare)


def _embedding(info: LayerInfo, f: Frame, bare: bool) -> KernelPlan:
    table = next(iter(info.keras_weights.values()), None)
    if table is None or len(table) != 2:
        raise _refuse(info, f"{info.layer_type} has no table to draw")
    vocab, dim = table
    lines = _lines(f, bare)
    lines.down(
        "title", f"{info.layer_type}: a table, one row of {plural(dim, 'number')} per token", _TITLE_PT
    )
    lines.up(
        "total",
        f"{group_digits(vocab)} × {group_digits(dim)} = {plural(info.terms.total, 'number')}, no bias",
        _COUNT_PT,
    )
    small = f.pt(_LABEL_PT)
    lh = line_height(small)
    left_text = f"{plural(vocab, 'row')}:\nthe vocabulary"
    x = f.margin + text_width(left_text, small) + 6 * f.g
    top = lines.top - lh - 6 * f.g
    note = f"one row = one token's vector: {plural(dim, 'number')}"
    note_w = text_width(note, small) + 10 * f.g
    k = min(
        (top - lines.bottom - 6 * f.g) / _length(vocab, f.g),
        (f.width - f.margin - x - note_w) / _length(dim, f.g),
        1.8,
    )
    h, w = _length(vocab, f.g) * k, max(_length(dim, f.g) * k, 30 * f.g)
    y = top - h
    row_h = h / vocab if vocab <= _MAX_GRID else min(8 * f.g, h / 6)
    panels = [
        Panel(_rect(x, y, w, h), _MATRIX),
        Panel(_rect(x, top - 2 * row_h, w, row_h), "none", edge=HIGHLIGHT),
    ]
    labels = [
        Label("part0", f"{plural(dim, 'column')}: the dimension", x, top + lh / 2 + 2 * f.g, "left", small),
        Label("part1", left_text, x - 4 * f.g, y + h / 2, "right", small),
    ]
    text, size = fit(note, small, f.width - f.margin - (x + w + 10 * f.g), max(small * 0.72, 7.0))
    labels.append(Label("part2", text, x + w + 10 * f.g, top - 1.5 * row_h, "left", size))
    return _finish(f, lines, labels, panels, _grid(x, y, w, h, vocab, dim))


def plan_weights(info: LayerInfo, f: Frame, bare: bool = False) -> KernelPlan:
    """The plan of a Dense, normalisation or Embedding layer (see :func:`.plan_kernels`)."""
    family = info.kind.family if info.kind is not None else None
    if info.geometry is not None and info.geometry.kind is Family.DENSE:
        return _dense(info, f, bare)
    if family is Family.NORM:
        return _norm(info, f, bare)
    if family is Family.EMBEDDING:
        return _embedding(info, f, bare)
    if info.terms.total == 0:
        raise _refuse(info, f"{info.layer_type} has no weights to draw")
    what = f"{family} layers" if family is not None else f"{info.layer_type} (not modelled)"
    raise _refuse(info, f"this drawing does not show {what}")
