"""Explain a pasted summary: for every row, the hyperparameters that give its shape and its count.

For a row such as ``conv2d_2 (Conv2D)  (None, 24, 24, 63)  18207`` after a row with output
``(None, 26, 26, 32)``, candidate layers (kernel sizes, bias or not, strides, padding) are built with
the dialect's own classes (:mod:`convwidget.layers` or :mod:`convwidget.nn`) and kept when their
``describe()`` gives the printed shape and count, so every formula comes from the counting core::

    >>> from convwidget.reading.explain import explain_summary
    >>> result = explain_summary(open("convwidget/data/seed_summary.txt").read())
    >>> result.rows[1].formula
    '(3·3·32 + 1)·63 = 18,207'

What a printed type name means (its kind, whether it has weights, which search explains it) comes
from :mod:`convwidget.kinds`; the searches are in :mod:`.search`, the result types in :mod:`.results`.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ..enums import Dialect, Family, Status
from ..formula import group_digits
from ..kinds import LayerKind, by_name, names
from .closest import closest_terms, difference_text
from .finder import MAX_COUNT, NOT_CHECKED, known
from .mult_adds import check_row, check_total
from .mult_adds import printed_total as printed_mult_adds
from .parse import parse_summary
from .pasted import PastedRow, PastedSummary, PasteFormat, PShape
from .render_text import shape_text
from .repr_counts import explain_repr_row
from .results import Candidate, Explanation, RowExplanation, printed_total
from .search import SEARCHES, find_candidates

__all__ = ["MAX_ROWS", "explain_summary", "resolve_kind"]

MAX_ROWS = 2000  # rows explained in full; a longer paste gets the rest listed as not explained


# --- what a printed type name stands for ------------------------------------------------------------


def _shown_name(name: str, kind: LayerKind, dialect: Dialect) -> str:
    """The class name to show for ``name``: itself, or for an old alias the kind's current name."""
    if name in (kind.keras, kind.torch):
        return name
    return kind.name_in(dialect) or kind.keras or kind.torch or name


def resolve_kind(
    printed: str | None, complete: bool, ranks: tuple[int | None, ...], dialect: Dialect
) -> tuple[LayerKind | None, str | None]:
    """The kind a printed, possibly cut-off type ('MaxPooling2', 'GlobalAveragePooling…') stands for.

    Parameters
    ----------
    printed : str or None
        The type as printed.
    complete : bool
        False when the paste cut the type off: it is then completed from the names of
        ``dialect`` in :mod:`convwidget.kinds` (the shortest match; among several, those of the
        spatial rank in ``ranks``, tried in order).
    ranks : tuple of int or None
        Spatial ranks to prefer, e.g. the output's, then the input's.
    dialect : Dialect
        The paste's framework.

    Returns
    -------
    (LayerKind or None, str or None)
        The kind and the class name to show, or (None, None) when the name is not known.
    """
    if not printed:
        return None, None
    kind = by_name(printed)
    if kind is not None:
        return kind, _shown_name(printed, kind, dialect)
    if complete:
        return None, None
    options = [n for n in names(dialect) if n.startswith(printed)]
    if len(options) > 1:
        for rank in ranks:
            by_rank = [n for n in options if rank is not None and _rank_of(n) == rank]
            if by_rank:
                options = by_rank
                break
    if not options:
        return None, None
    name = min(options, key=len)  # the first of the shortest
    found = by_name(name)
    return (found, _shown_name(name, found, dialect)) if found is not None else (None, None)


def _rank_of(name: str) -> int | None:
    kind = by_name(name)
    return kind.rank if kind is not None else None


# --- rows with shapes -------------------------------------------------------------------------------


def _rank(shape: PShape | None) -> int | None:
    return len(shape) - 1 if shape else None


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per formula: those that differ only in stride or padding share one."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for c in cands:
        key = c.terms.expression + "|" + "|".join(f.name for f in c.terms.factors)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _explain_row(row: PastedRow, in_shape: PShape | None, dialect: Dialect) -> RowExplanation:
    ranks = (_rank(row.output_shape), _rank(in_shape))
    kind, shown = resolve_kind(row.layer_type, row.type_complete, ranks, dialect)
    base = RowExplanation(
        name=row.name,
        layer_type=shown or row.layer_type,
        input_shape=in_shape,
        output_shape=row.output_shape,
        printed_count=row.count,
        line=row.line,
        depth=row.depth,
        container=row.container,
    )
    if row.container:
        if row.count is None:
            return replace(base, status=Status.NO_PARAMS, note="holds the layers below it")
        return replace(
            base, status=Status.UNKNOWN, note="a container: its count is the sum of the layers inside it"
        )
    if row.count is None and row.count_text not in ("--", ""):
        if row.count_text == "(recursive)":
            note = "a module used again: its weights are counted where it first appears"
            return replace(base, status=Status.NO_PARAMS, note=note)
        return replace(
            base, status=Status.UNKNOWN, note=f"the count is cut off in the paste ({row.count_text!r})"
        )
    if kind is not None and kind.family is Family.CONTAINER and row.count:
        # A nested model or Sequential shown collapsed (Keras' default, torchinfo's depth=…): its count is
        # its layers' sum, which the paste does not break down.
        note = (
            f"a {shown} holding layers the paste does not list: its {group_digits(row.count)} is their sum "
            "(Keras: model.summary(expand_nested=True); torchinfo: a larger depth= lists them)"
        )
        return replace(base, status=Status.UNKNOWN, note=note)
    if kind is not None and not kind.has_weights:
        if row.count:
            note = f"a {shown} layer has no weights, but {group_digits(row.count)} is printed"
            return replace(base, status=Status.MISMATCH, note=note)
        return replace(base, status=Status.NO_PARAMS)
    searchable = kind is not None and kind.family in SEARCHES
    if row.count == 0 and not searchable:
        return replace(base, status=Status.NO_PARAMS)  # the paste says it: no weights
    if kind is None or not searchable:
        if kind is not None:
            what = f"convwidget cannot yet work out a {shown}'s count from the shapes"
        elif row.layer_type:
            what = f"convwidget does not know the layer type {row.layer_type!r}"
        else:
            what = "no type printed"
        return replace(base, status=Status.UNKNOWN, note=f"{what}; its printed count is taken as it is")
    if row.count is None:
        return replace(base, status=Status.UNKNOWN, note="no count printed")
    if row.output_shape is None:
        note = "the paste shows no output shape, so the count cannot be worked out; it is taken as printed"
        return replace(base, status=Status.UNKNOWN, note=note)
    if row.count > MAX_COUNT:
        return replace(base, status=Status.MISMATCH, note="the printed count is too large for one layer")
    return _verdict(base, row, kind, shown or "", in_shape, dialect)


def _flattened(shape: PShape | None) -> PShape | None:
    """A shape flattened to one axis (what ``torch.flatten`` in ``forward()`` gives), if every axis shows."""
    dims = known(shape)
    return (math.prod(dims),) if dims else None


def _kernel_of(cand: Candidate) -> tuple[int, ...] | None:
    """The kernel size a candidate was built with (None when it was not built on a shown input)."""
    geometry = cand.info.geometry if cand.info is not None else None
    return geometry.kernel_size if geometry is not None else None


def _verdict(
    base: RowExplanation,
    row: PastedRow,
    kind: LayerKind,
    shown: str,
    in_shape: PShape | None,
    dialect: Dialect,
) -> RowExplanation:
    """The status of a weighted row from the configurations consistent with every printed fact.

    Explained when exactly one formula fits, ambiguous when several do (all listed, the likeliest
    first), mismatch when none does (with the nearest formula the shapes allow). Keras prints every
    layer, so the previous row's output is the input; torchinfo lists modules only, and code in
    ``forward()`` (``torch.flatten``, a reshape) may change the shape between two rows unseen.
    """
    count = row.count if row.count is not None else 0
    cands = find_candidates(row, kind, in_shape, dialect)
    if row.kernel_size is not None and kind.family in (Family.CONV, Family.TRANSPOSE):
        # A printed kernel size (torchinfo's kernel column) is a fact too.
        cands = [c for c in cands if _kernel_of(c) in (None, row.kernel_size)]
    note = ""
    # A printed input (torchinfo's input column) is a fact: forward() cannot have changed it unseen.
    unseen = dialect is Dialect.TORCH and row.input_shape is None
    if not cands and in_shape is not None and known(in_shape) is not None and unseen:
        flat = _flattened(in_shape)
        if kind.family is Family.DENSE and flat is not None and flat != in_shape:
            cands = find_candidates(row, kind, flat, dialect)
            note = (
                f"read on the previous row's output {shape_text(in_shape)} flattened to {shape_text(flat)} "
                "(torch.flatten or .view in forward())"
            )
        if not cands:
            cands = find_candidates(row, kind, None, dialect)
            note = (
                f"the previous row's output {shape_text(in_shape)} does not lead to this shape (code in "
                "forward() may reshape between modules): these fit the count alone"
            )
            if cands:
                distinct = _distinct(cands)
                return replace(base, status=Status.AMBIGUOUS, candidates=tuple(distinct), note=note)
    if not cands:
        implied = closest_terms(kind, row, in_shape, dialect)
        text = f"the printed count {group_digits(count)} fits no {shown} on these shapes"
        if implied is not None:
            text += f"; {difference_text(count, implied)}"
        return replace(base, status=Status.MISMATCH, note=text, implied=implied)
    distinct = _distinct(cands)
    if not note and known(in_shape) is None:
        note = "the input shape is not shown, so the shape change could not be checked"
    # Every consistent formula is listed, never a first few: a cut list could leave out the truth
    # (a first row's count often fits a hundred channel and kernel readings). Renderers show a few.
    shown_cands = tuple(distinct)
    if len(distinct) == 1 and NOT_CHECKED in distinct[0].assumptions:
        # The count fits, but no class could check it against the printed input: not a certainty.
        unchecked = "the count fits, but convwidget cannot check this layer against its printed input"
        return replace(base, status=Status.AMBIGUOUS, candidates=shown_cands, note=unchecked)
    if len(distinct) > 1:
        more = "more than one configuration fits every printed fact; the likeliest first"
        return replace(
            base, status=Status.AMBIGUOUS, candidates=shown_cands, note=f"{note}; {more}" if note else more
        )
    return replace(base, status=Status.EXPLAINED, candidates=shown_cands, note=note)


class _Sources:
    """The rows' outputs by name, found also from a name cut off with '…' (in linear time)."""

    def __init__(self) -> None:
        self.exact: dict[str, PShape | None] = {}
        self.by_prefix: dict[str, set[PShape | None]] = {}

    def add(self, name: str, shape: PShape | None) -> None:
        clean = name.rstrip("…")
        self.exact[clean] = shape
        for end in range(1, min(len(clean), _MAX_NAME) + 1):
            self.by_prefix.setdefault(clean[:end], set()).add(shape)

    def find(self, printed: str) -> tuple[bool, PShape | None]:
        """(found, shape): a cut-off name found with different shapes is not found."""
        src = printed.rstrip("…")
        if src in self.exact:
            return True, self.exact[src]
        shapes = set(self.by_prefix.get(src, set()))
        # The row's own name may be cut off shorter than the entry naming it.
        shapes |= {self.exact[src[:end]] for end in range(1, len(src)) if src[:end] in self.exact}
        if len(shapes) == 1:
            return True, next(iter(shapes))
        return False, None


_MAX_NAME = 200


def _input_shapes(summary: PastedSummary) -> list[PShape | None]:
    """The input of each row: its 'Connected to' source, else the previous non-ancestor row's output.

    A 'Connected to' entry that names no printed row (or, cut off, several with different shapes)
    leaves the input unknown: the previous row is not the source in a branching model.
    """
    sources = _Sources()
    out: list[PShape | None] = []
    last: PShape | None = None
    open_containers: list[PastedRow] = []
    for row in summary.rows:
        while open_containers and open_containers[-1].depth >= row.depth:
            # Past a nested model's last row: what follows reads the model's output, which a
            # Functional model need not take from its last printed layer.
            closed = open_containers.pop()
            last = closed.output_shape if closed.output_shape is not None else last
        source: PShape | None = last
        if row.input_shape is not None:
            source = row.input_shape  # printed (torchinfo's input column): a fact, whatever came before
        elif row.connected_to:
            found, shape = sources.find(row.connected_to[0])
            source = shape if found else None
        out.append(source)
        sources.add(row.name, row.output_shape)
        if row.container:
            # A container's printed shape is its output: its first child reads the container's input.
            last = source
            open_containers.append(row)
            continue
        last = row.output_shape
    return out


def _explain_table(summary: PastedSummary, costs: bool = False) -> tuple[list[RowExplanation], list[str]]:
    """Explain the rows of a table with shapes (each distinct row once; repeats reuse the result).

    ``costs``: check every row's Mult-Adds (for torchinfo's footer), not only where a figure is printed.
    """
    rows: list[RowExplanation] = []
    cache: dict[object, RowExplanation] = {}
    dialect = summary.dialect
    for i, (row, in_shape) in enumerate(zip(summary.rows, _input_shapes(summary))):
        if i >= MAX_ROWS:
            rows.append(
                RowExplanation(
                    name=row.name,
                    layer_type=row.layer_type,
                    input_shape=in_shape,
                    output_shape=row.output_shape,
                    printed_count=row.count,
                    status=Status.UNKNOWN,
                    note="not explained: the paste is very long",
                    line=row.line,
                )
            )
            continue
        key: tuple[object, ...] = (row.layer_type, row.type_complete, row.output_shapes, row.count)
        key += (row.count_text, in_shape, row.container, row.input_shape is None, row.kernel_size)
        key += (row.mult_adds_text, row.batch)
        if key not in cache:
            cache[key] = _explain_row(row, in_shape, dialect)
            if costs or row.mult_adds_text:
                cache[key] = replace(cache[key], mult_adds=check_row(cache[key], row))
        rows.append(replace(cache[key], name=row.name, line=row.line, depth=row.depth))
    notes = [f"Only the first {MAX_ROWS:,} rows are explained."] if len(summary.rows) > MAX_ROWS else []
    return rows, notes


def explain_summary(text: str) -> Explanation:
    """Explain every row of a pasted model summary.

    Parameters
    ----------
    text : str
        A ``model.summary()`` table (Keras 2, tf.keras, Keras 3), a torchinfo table or PyTorch's
        ``print(model)``, as pasted (mangled alignment, ASCII borders and hard wraps are fine).

    Returns
    -------
    Explanation
        Per row: status, candidate configurations with their formulas (best first), notes; and whether
        the rows add up to the printed totals. ``str()`` gives a text table; notebooks render HTML.

    Raises
    ------
    ParseError
        If no summary row can be recognised in ``text``.
    """
    summary = parse_summary(text)
    notes = list(summary.notes)
    total_check = None
    if summary.format == PasteFormat.TORCH_REPR:
        rows = [explain_repr_row(row) for row in summary.rows]
        notes.append("print(model) shows no shapes: counts are worked out from each layer's arguments.")
    else:
        footer = printed_mult_adds(text) if summary.format == PasteFormat.TORCHINFO else None
        rows, more = _explain_table(summary, costs=footer is not None)
        notes += more
        if footer is not None and not summary.truncated:
            total_check = check_total(footer, [r.mult_adds for r in rows], summary.rows)
    rows_sum = sum(r.params or 0 for r in rows if not r.container)
    totals_ok = None
    if summary.totals is not None and not summary.truncated:
        printed = printed_total(summary.totals)
        totals_ok = printed is not None and printed == rows_sum
        if not totals_ok:
            # A typo in one count shows as a mismatch: with the implied counts, do the rows add up?
            bad = [r for r in rows if r.status == Status.MISMATCH and r.implied is not None]
            fixed = rows_sum + sum(
                r.implied.total - (r.printed_count or 0) for r in bad if r.implied is not None
            )
            if bad and printed == fixed:
                which = ", ".join(r.name for r in bad)
                notes.append(
                    f"With the counts the shapes imply for {which}, the rows add up to the printed total."
                )
    return Explanation(
        format=summary.format,
        dialect=summary.dialect,
        rows=tuple(rows),
        totals=summary.totals,
        rows_sum=rows_sum,
        totals_ok=totals_ok,
        notes=tuple(notes),
        model_name=summary.model_name,
        mult_adds_total=total_check,
    )
