"""The explainer's results as text: the table ``str(explanation)`` prints, its cells and sentences.

:mod:`convwidget.html` builds the notebook table from the same cells (:func:`explanation_cells`),
so the two views never say different things.
"""

from __future__ import annotations

from typing import NamedTuple

from ..enums import Family, Status
from ..formula import group_digits
from ..kinds import by_name
from .mult_adds import Gap, MultAddsCheck, NotChecked, Reading, TotalCheck, Verdict
from .pasted import PShape
from .results import Explanation, RowExplanation, printed_total

__all__ = [
    "STATUS_WORDS",
    "Cells",
    "explanation_cells",
    "explanation_text",
    "mult_adds_sentence",
    "mult_adds_total_sentence",
    "shape_text",
    "totals_sentence",
]

_HEAD = ("Layer (type)", "Output shape", "Printed #", "Status", "Formula")
_MAX_WIDTH = 40  # a column wider than this is cut (the formula column never is)


# What a learner reads for each status in a table (display only: ``row.status`` keeps its value).
STATUS_WORDS = {
    Status.EXPLAINED: "fits",
    Status.AMBIGUOUS: "several fit",
    Status.MISMATCH: "count fits nothing",
    Status.NO_PARAMS: "no weights",
    Status.UNKNOWN: "unknown layer",
}


class Cells(NamedTuple):
    """One row of the explained table, as text."""

    label: str
    shape: str
    params: str
    status: str
    what: str


def shape_text(shape: PShape) -> str:
    """A pasted shape with the batch axis, as Keras prints it: ``(None, 26, 26, 32)``."""
    inner = ", ".join("None" if d is None else str(d) for d in (None, *shape))
    return f"({inner})"


def _what(row: RowExplanation) -> str:
    """The formula column: the best formula and its shape check, or why there is none."""
    if row.status in (Status.EXPLAINED, Status.AMBIGUOUS):
        what = row.formula
        if row.best is not None and " = " in row.best.shape_check:
            what += f"   [shape: {row.best.shape_check}]"
        if row.status == Status.AMBIGUOUS:
            what += "  (or: " + "; ".join(c.formula for c in row.candidates[1:4]) + ")"
        return what
    if row.status == Status.MISMATCH:
        what = "printed count fits no configuration"
        if row.implied is not None:
            what += f"; the shapes imply {row.implied.text}"
        return what
    if row.status == Status.NO_PARAMS:
        return "no weights"
    if by_name(row.layer_type or "") is not None:
        # A known type whose count the paste does not let convwidget work out (the note says why).
        return "count not worked out (see the note)"
    return "unknown layer type"


def explanation_cells(explanation: Explanation) -> list[Cells]:
    """The table's cells, one :class:`Cells` per row (nested rows indented by their depth).

    Parameters
    ----------
    explanation : Explanation
        The explained summary.

    Returns
    -------
    list of Cells
        Label, output shape, printed count, status and formula column of every row.
    """
    out = []
    for r in explanation.rows:
        shape = "" if r.output_shape is None else shape_text(r.output_shape)
        count = "" if r.printed_count is None else group_digits(r.printed_count)
        label = f"{r.name} ({r.layer_type})" if r.layer_type and r.layer_type != r.name else r.name
        label = "  " * max(r.depth - 1, 0) + label
        out.append(Cells(label, shape, count, str(r.status), _what(r)))
    return out


def totals_sentence(explanation: Explanation) -> str:
    """One sentence on whether the rows add up to the printed totals.

    Parameters
    ----------
    explanation : Explanation
        The explained summary.

    Returns
    -------
    str
        E.g. ``"The rows add up to 1,181,161, as the printed totals say."``.
    """
    rows_sum = group_digits(explanation.rows_sum)
    if explanation.totals is None:
        return f"The rows add up to {rows_sum}; the paste shows no totals to check."
    totals = explanation.totals
    if explanation.totals_ok and totals.optimizer:
        # A compiled, trained Keras model: the Total also counts the optimizer's state.
        return (
            f"The rows add up to {rows_sum} = Trainable {group_digits(totals.trainable or 0)} + "
            f"Non-trainable {group_digits(totals.non_trainable or 0)}, as printed; the Total "
            f"{group_digits(totals.total or 0)} also counts the optimizer's {group_digits(totals.optimizer)} "
            "(its state, such as Adam's moments: not layer weights)."
        )
    if explanation.totals_ok:
        return f"The rows add up to {rows_sum}, as the printed totals say."
    printed = printed_total(explanation.totals)
    said = group_digits(printed) if printed is not None else "?"
    return f"The rows add up to {rows_sum}, but the totals say {said}."


def explanation_text(explanation: Explanation) -> str:
    """The explanation as a plain-text table, then the totals sentence, row notes and notes.

    Parameters
    ----------
    explanation : Explanation
        The explained summary.

    Returns
    -------
    str
        What ``str(explanation)`` prints.
    """
    lines: list[tuple[str, ...]] = [_HEAD, *explanation_cells(explanation)]
    widths = [min(_MAX_WIDTH, max(len(line[i]) for line in lines)) for i in range(4)]
    text = []
    for n, line in enumerate(lines):
        cells = [line[i][: widths[i]].ljust(widths[i]) for i in range(4)]
        text.append("  ".join(cells) + "  " + line[4])
        if n == 0:
            text.append("-" * (sum(widths) + 8 + 30))
    text.append("")
    text.append(totals_sentence(explanation))
    text.extend(f"{r.name}: {r.note}" for r in explanation.rows if r.note)
    text.extend(f"{r.name}: {s}" for r in explanation.rows if (s := mult_adds_sentence(r)))
    if total := mult_adds_total_sentence(explanation):
        text.append(total)
    text.extend(explanation.notes)
    return "\n".join(text)


# --- torchinfo's Mult-Adds (the checks of :mod:`.mult_adds`) ----------------------------------------------


def _many(n: int, word: str) -> str:
    """``1 kernel``, ``63 kernels`` (grouped digits)."""
    return f"{group_digits(n)} {word}{'' if n == 1 else 's'}"


def _dots(values: tuple[int, ...]) -> str:
    """Factors as a formula writes them, ``24·24`` (no digit grouping, like ``(3·3·32 + 1)·63``)."""
    return "·".join(str(v) for v in values)


def _positions(values: tuple[int, ...], word: str = "position") -> str:
    """``24·24 positions``, ``1 position``, ``7 positions``."""
    total = 1
    for v in values:
        total *= v
    if total == 1:
        return f"1 {word}"
    return f"{_dots(values) if len(values) > 1 else group_digits(total)} {word}s"


_NOT_CHECKED = {
    NotChecked.INPUT_NOT_SHOWN: (
        "the paste does not show this layer's input, so convwidget cannot build the layer to count its cost"
    ),
    NotChecked.UNDEFINED: "convwidget does not reproduce torchinfo's figure for this kind of layer",
    NotChecked.NOT_EXPLAINED: "the layer's configuration is not worked out",
    NotChecked.COLLAPSED: "it is the sum of the layers inside this module, which the paste does not list",
    NotChecked.REUSED: "the module is used again, and torchinfo prints its figure at every use",
}


def _how(reading: Reading, batch: int) -> str:
    """How torchinfo's figure is made, e.g. ``24·24 positions × 63 kernels × 289`` (no leading ``=``)."""
    samples = f"{_many(batch, 'sample')} × " if batch != 1 else ""
    per = 1
    for v in reading.per_value:
        per *= v
    if reading.gap is Gap.BIAS_ADD and reading.positions:
        where = _positions(reading.positions)
        return f"{samples}{where} × {_many(reading.channels, 'kernel')} × {group_digits(per + 1)}"
    if reading.gap is Gap.BIAS_ADD:
        return f"{samples}{_many(reading.channels, 'output')} × {group_digits(per + 1)}"
    if reading.gap is Gap.OUTPUT_POSITIONS:
        where = _positions(reading.positions, "output position")
        return f"{samples}{_many(reading.params, 'parameter')} × {where}"
    if reading.gap is Gap.STEP_BIASES:
        return f"{samples}{_many(reading.positions[0], 'timestep')} × {_many(reading.params, 'parameter')}"
    if reading.gap in (Gap.ONCE, Gap.PARAMETERS):
        return f"{samples}the layer's {_many(reading.params, 'parameter')}, each counted once"
    return ""


def _why(reading: Reading, textbook: str, layer_type: str | None) -> str:
    """Why torchinfo's figure is not the textbook count (after a colon), for a figure that matches."""
    per = "·".join(str(v) for v in reading.per_value)
    whole = 1
    for v in reading.per_value:
        whole *= v
    weights_only = f"the textbook count, multiplies of the weights only, is {textbook}"
    if reading.gap is Gap.BIAS_ADD:
        return (
            f"it counts the bias add ({per} + 1 = {group_digits(whole + 1)} per output value); {weights_only}"
        )
    if reading.gap is Gap.OUTPUT_POSITIONS:
        cin, *rest = reading.per_value
        return (
            "for a transposed convolution it multiplies every weight by the output positions, which "
            f"over-counts; the textbook count, {_positions(reading.input_positions, 'input position')} × "
            f"{_many(cin, 'channel')} × {'·'.join(str(v) for v in rest)} weights each, is {textbook}"
        )
    if reading.gap is Gap.ONCE:
        where = _positions(reading.positions)
        return (
            f"it does not multiply by the {where} the layer is applied at; the textbook count is {textbook}"
        )
    if reading.gap is Gap.STEP_BIASES:
        return f"it counts the biases at every step too; {weights_only}"
    if reading.gap is Gap.PARAMETERS:
        kind = by_name(layer_type or "")
        what = (
            "an embedding (a lookup)" if kind and kind.family is Family.EMBEDDING else "a normalisation layer"
        )
        return f"the textbook counts no multiply-adds for {what}"
    return f"the textbook count is {textbook}"


def mult_adds_sentence(row: RowExplanation) -> str:
    """One sentence on the row's printed Mult-Adds: how torchinfo makes it and the textbook count.

    Parameters
    ----------
    row : RowExplanation
        An explained row (its ``mult_adds`` check).

    Returns
    -------
    str
        E.g. ``"torchinfo's Mult-Adds 10,487,232 = 24·24 positions × 63 kernels × 289: it counts the
        bias add (3·3·32 + 1 = 289 per output value); the textbook count, multiplies of the weights
        only, is 10,450,944."``; '' when the paste prints no figure, or ``--`` as torchinfo does.
    """
    check: MultAddsCheck | None = row.mult_adds
    if check is None or not check.printed_text:
        return ""
    if check.verdict is Verdict.MATCHES and check.printed is None:
        return ""  # '--' for a layer without parameters: nothing to reconcile
    printed = f"torchinfo's Mult-Adds {check.printed_text}"
    if check.verdict is Verdict.NOT_CHECKED:
        why = _NOT_CHECKED.get(
            check.why_not or NotChecked.NOT_EXPLAINED, _NOT_CHECKED[NotChecked.NOT_EXPLAINED]
        )
        return f"{printed} is not checked: {why}."
    # The likeliest reading, or when the readings disagree, the likeliest whose figure is the printed one.
    reading = next((r for r in check.readings if r.layer in check.fits), check.best)
    one_sample = " for one sample" if check.batch != 1 else ""
    count = reading.textbook if reading is not None else check.textbook
    textbook = "" if count is None else group_digits(count) + one_sample
    if check.verdict is Verdict.DIFFERS:
        if check.expected is None:
            return f"{printed} is not what torchinfo 1.8 prints for any configuration that fits this row."
        how = _how(reading, check.batch) if reading is not None else ""
        said = group_digits(check.expected) + (f" = {how}" if how else "")
        if check.expected == 0:
            # torchinfo sums over a leaf module's own parameters: none, or a module listed with its layers.
            whose = (
                "a module whose layers are listed below it" if row.container else "a layer without parameters"
            )
            said = f"it prints -- for {whose}"
        text = (
            f"{printed} is not what torchinfo 1.8 prints for this layer ({said}): a typo, or another version?"
        )
        if (
            check.printed is not None
            and check.textbook is not None
            and check.printed == check.textbook * check.batch
        ):
            text += " It equals the textbook count."
        return text
    if reading is None or reading.torchinfo is None or reading.gap is Gap.OTHER:
        also = f"; the textbook count is {textbook}" if textbook else ""
        return f"{printed} is what torchinfo 1.8 prints for this layer{also}."
    if reading.gap is Gap.SAME:
        if check.batch != 1:
            samples = _many(check.batch, "sample")
            return f"{printed} = {samples} × {textbook}, the textbook count (the layer has no bias to add)."
        return (
            f"{printed} is the textbook count: the layer has no bias, so only the weights' multiplies count."
        )
    how = _how(reading, check.batch)
    text = f"{printed}{f' = {how}' if how else ''}: {_why(reading, textbook, row.layer_type)}."
    if 0 < len(check.fits) < len(check.readings):
        text += f" Only {len(check.fits)} of the {len(check.readings)} readings give this figure."
    if len({r.textbook for r in check.readings}) > 1:
        text += " (The textbook count is the likeliest reading's; it differs between the readings.)"
    return text


# What torchinfo's footer units mean (it prints "M", or "Units.MEGABYTES" under Python 3.11+).
_UNIT_WORDS = {
    "M": "million",
    "G": "billion",
    "T": "trillion",
    "Units.MEGABYTES": "million",
    "Units.GIGABYTES": "billion",
    "Units.TERABYTES": "trillion",
}


def mult_adds_total_sentence(explanation: Explanation) -> str:
    """One sentence on torchinfo's ``Total mult-adds`` footer against the rows ('' without the footer).

    Parameters
    ----------
    explanation : Explanation
        The explained summary.

    Returns
    -------
    str
        E.g. ``"The Mult-Adds column adds up to 11,866,186, which torchinfo rounds to 11.87 million: the
        footer 'Total mult-adds (M): 11.87' agrees."``; '' without the footer, or when the paste has no
        Mult-Adds column and some row's figure is not known.
    """
    total: TotalCheck | None = explanation.mult_adds_total
    if total is None:
        return ""
    unit = f" ({total.unit})" if total.unit else ""
    footer = f"'Total mult-adds{unit}: {total.printed_text}'"
    if total.verdict is Verdict.NOT_CHECKED and total.why_not is NotChecked.ROWS_NOT_CHECKED:
        return ""  # no Mult-Adds column, and some row's figure is not known: nothing to say
    if total.verdict is Verdict.NOT_CHECKED and total.why_not is NotChecked.UNKNOWN_UNIT:
        return f"The footer {footer} is not checked: its unit is not one torchinfo prints."
    what = (
        "The Mult-Adds column adds up to"
        if total.from_column
        else "The rows' multiply-adds, as torchinfo 1.8 counts them, add up to"
    )
    rounded = f"{total.as_printed} {_UNIT_WORDS.get(total.unit, '')}".rstrip()
    said = f"{what} {group_digits(total.rows_sum or 0)}, which torchinfo rounds to {rounded}"
    if total.verdict is Verdict.MATCHES:
        return f"{said}: the footer {footer} agrees."
    return f"{said}, but the footer says {footer}."
