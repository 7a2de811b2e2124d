"""torchinfo's Mult-Adds column reconciled: what torchinfo 1.8 prints, the textbook count, why they differ.

A torchinfo paste may print a "Mult-Adds" column (``col_names=(..., "mult_adds")``) and, under the
table, ``Total mult-adds (M): 11.87``. For a row whose configuration the explainer worked out, the
figure torchinfo 1.8 prints and the textbook count both come from :mod:`convwidget.cost` (its
``"torchinfo"`` and ``"textbook"`` conventions); this module only compares them with the paste and
says, as data, why the two conventions differ::

    conv2 of the question: torchinfo 10,487,232 = 24·24 positions × 63 kernels × (3·3·32 + 1)
                           textbook  10,450,944 = 24·24 positions × 63 kernels × 3·3·32

A printed figure that is not what torchinfo 1.8 prints for the explained layer is reported as such
(a typo, or another torchinfo version), never reconciled. Under torchinfo 1.8's rule the figure
depends only on the layer's type, its parameter count and its output shape, which every candidate of
an ambiguous row shares, so the column cannot narrow a row's candidates (each candidate's figure is
still computed: ``MultAddsCheck.fits`` names those whose figure is the printed one).

Everything here is plain data: :mod:`.render_text` and :mod:`convwidget.html` write the sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import unique

from ..cost import Convention, layer_cost
from ..enums import Family, Status, _Word
from ..errors import ConfigError
from ..info import LayerInfo
from ..kinds import by_name
from .pasted import PastedRow
from .results import Candidate, RowExplanation

__all__ = [
    "Gap",
    "MultAddsCheck",
    "NotChecked",
    "Reading",
    "TotalCheck",
    "Verdict",
    "check_row",
    "check_total",
    "printed_total",
    "torchinfo_total_text",
]


@unique
class Verdict(_Word):
    """Whether a printed Mult-Adds figure is what torchinfo 1.8 prints for the explained layer."""

    MATCHES = "matches"
    """The printed figure is torchinfo 1.8's for this configuration."""
    DIFFERS = "differs"
    """It is not: a typo, or another torchinfo version (never reconciled)."""
    NOT_CHECKED = "not_checked"
    """convwidget cannot tell (:class:`NotChecked` says why)."""


@unique
class NotChecked(_Word):
    """Why a figure could not be checked."""

    NO_FIGURE = "no_figure"
    """The paste has no Mult-Adds figure for the row."""
    NOT_EXPLAINED = "not_explained"
    """The row's configuration is not worked out (unknown type, a count that fits nothing, …)."""
    INPUT_NOT_SHOWN = "input_not_shown"
    """A configuration fits, but without the row's input no layer could be built to count its cost."""
    UNDEFINED = "undefined"
    """convwidget's torchinfo convention does not define this layer (e.g. attention)."""
    COLLAPSED = "collapsed"
    """A module whose layers the paste does not list: torchinfo prints the sum of the layers inside it."""
    REUSED = "reused"
    """A module used again (``(recursive)``): torchinfo prints its figure at every use."""
    ROWS_NOT_CHECKED = "rows_not_checked"
    """(Totals) some row's figure is not known, so the rows cannot be added up."""
    UNKNOWN_UNIT = "unknown_unit"
    """(Totals) the footer's unit is not one torchinfo prints."""


@unique
class Gap(_Word):
    """Why torchinfo's figure and the textbook count differ (or that they do not)."""

    SAME = "same"
    """The two are equal (a convolution or dense layer without bias; a layer without weights)."""
    BIAS_ADD = "bias_add"
    """torchinfo counts the bias add: ``F·F·Cin/groups + 1`` per output value, not ``F·F·Cin/groups``."""
    OUTPUT_POSITIONS = "output_positions"
    """A transposed convolution: torchinfo multiplies every parameter by the output positions."""
    ONCE = "once"
    """A dense layer on a sequence: torchinfo counts each parameter once, not at every position."""
    STEP_BIASES = "step_biases"
    """A recurrent layer: torchinfo counts every parameter, biases too, at every timestep."""
    PARAMETERS = "parameters"
    """Normalisation or an embedding: torchinfo counts each parameter once, the textbook nothing."""
    OTHER = "other"
    """They differ for a reason convwidget does not state."""


@dataclass(frozen=True, kw_only=True)
class Reading:
    """One configuration's two figures (for one sample) and what makes them differ.

    Parameters
    ----------
    layer : str
        The configuration as code, e.g. ``"Conv2d(32, 63, kernel_size=(3, 3))"``.
    torchinfo : int or None
        What torchinfo 1.8 prints for it at batch 1; None when it could not be worked out.
    textbook : int or None
        The textbook count (multiplies of the weights only).
    gap : Gap
        Why the two differ.
    params : int
        The layer's parameters.
    positions : tuple of int
        The positions the gap's arithmetic multiplies by: the output positions per axis (a
        convolution, a transposed one, a dense layer's one position is ``()``), the positions a dense
        layer is applied at (``ONCE``) or the timesteps (``STEP_BIASES``).
    input_positions : tuple of int
        A transposed convolution's input positions per axis (the textbook's).
    channels : int
        Output channels (kernels) or output features.
    per_value : tuple of int
        The factors of the textbook's products per output value, e.g. ``(3, 3, 32)`` (``BIAS_ADD``), or
        of a transposed convolution's per input value (``(16, 4, 4, 8)``: Cin, F, F, Cout/groups).
    why_not : NotChecked or None
        Why ``torchinfo`` is None.
    """

    layer: str
    torchinfo: int | None
    textbook: int | None
    gap: Gap = Gap.OTHER
    params: int = 0
    positions: tuple[int, ...] = ()
    input_positions: tuple[int, ...] = ()
    channels: int = 0
    per_value: tuple[int, ...] = ()
    why_not: NotChecked | None = None


@dataclass(frozen=True, kw_only=True)
class MultAddsCheck:
    """A row's printed Mult-Adds against what torchinfo 1.8 prints for its configuration.

    Parameters
    ----------
    printed : int or None
        The printed figure (None for ``--`` or no column).
    printed_text : str
        The cell as printed ('' when the paste has no Mult-Adds column).
    batch : int
        The batch the paste's shapes print (torchinfo's figure is for the whole batch).
    expected : int or None
        What torchinfo 1.8 prints for the explained configuration, batch included (None when
        convwidget cannot tell, or the readings of an ambiguous row disagree).
    textbook : int or None
        The textbook count of the likeliest reading, for one sample.
    verdict : Verdict
        ``printed`` against ``expected``.
    why_not : NotChecked or None
        Why the verdict is ``NOT_CHECKED``.
    readings : tuple of Reading
        Each configuration's figures, the likeliest first (one for an explained row).
    fits : tuple of str
        The configurations whose torchinfo figure is the printed one.
    """

    printed: int | None
    printed_text: str
    batch: int = 1
    expected: int | None = None
    textbook: int | None = None
    verdict: Verdict = Verdict.NOT_CHECKED
    why_not: NotChecked | None = None
    readings: tuple[Reading, ...] = ()
    fits: tuple[str, ...] = ()

    @property
    def agrees(self) -> bool | None:
        """True when the printed figure is torchinfo 1.8's, False when not, None when not checked."""
        return None if self.verdict is Verdict.NOT_CHECKED else self.verdict is Verdict.MATCHES

    @property
    def best(self) -> Reading | None:
        """The likeliest reading, or None."""
        return self.readings[0] if self.readings else None


# --- one configuration ---------------------------------------------------------------------------------


def _spatial_out(info: LayerInfo) -> tuple[int, ...]:
    return tuple(info.split(info.output_shape)[0])


def _gap(info: LayerInfo, torchinfo: int, textbook: int) -> Reading:
    """The reason the two figures differ, kept only when its arithmetic gives both figures exactly."""
    base = Reading(layer="", torchinfo=torchinfo, textbook=textbook, params=info.params)
    family = info.kind.family if info.kind is not None else None
    g = info.geometry
    if torchinfo == textbook:
        return replace(base, gap=Gap.SAME)
    if family is Family.CONV and g is not None and g.bias:
        out = _spatial_out(info)
        per = (*g.kernel_size, g.channels_per_kernel)
        channels = g.out_channels
        cells = math.prod(out) * channels
        if cells * (math.prod(per) + 1) == torchinfo and cells * math.prod(per) == textbook:
            return replace(base, gap=Gap.BIAS_ADD, positions=out, channels=channels, per_value=per)
    if family is Family.DENSE and g is not None:
        positions = tuple(info.input_shape[:-1])
        each = g.in_channels * g.out_channels
        if not positions and g.bias and torchinfo == each + g.out_channels and textbook == each:
            return replace(base, gap=Gap.BIAS_ADD, channels=g.out_channels, per_value=(g.in_channels,))
        if positions and torchinfo == info.params and textbook == math.prod(positions) * each:
            per = (g.in_channels, g.out_channels)
            return replace(base, gap=Gap.ONCE, positions=positions, channels=g.out_channels, per_value=per)
    if family is Family.TRANSPOSE and g is not None:
        out = _spatial_out(info)
        inp = tuple(info.split(info.input_shape)[0])
        per = (g.in_channels, *g.kernel_size, g.out_channels // g.groups)
        if torchinfo == info.params * math.prod(out) and textbook == math.prod(inp) * math.prod(per):
            return replace(base, gap=Gap.OUTPUT_POSITIONS, positions=out, input_positions=inp, per_value=per)
    if family is Family.RECURRENT and len(info.output_shape) > 1:
        steps = (info.output_shape[0],)
        if torchinfo == steps[0] * info.params:
            return replace(base, gap=Gap.STEP_BIASES, positions=steps)
    if family in (Family.NORM, Family.EMBEDDING) and textbook == 0 and torchinfo == info.params:
        return replace(base, gap=Gap.PARAMETERS)
    return base


def _reading(cand: Candidate) -> Reading:
    """A candidate's two figures (None with the reason when no layer was built on a shown input)."""
    if cand.info is None:
        return Reading(layer=cand.layer, torchinfo=None, textbook=None, why_not=NotChecked.INPUT_NOT_SHOWN)
    try:
        torchinfo = layer_cost(cand.info, Convention.TORCHINFO).mult_adds
        textbook = layer_cost(cand.info, Convention.TEXTBOOK).mult_adds
    except ConfigError:
        return Reading(layer=cand.layer, torchinfo=None, textbook=None, why_not=NotChecked.UNDEFINED)
    return replace(_gap(cand.info, torchinfo, textbook), layer=cand.layer)


# --- one row -------------------------------------------------------------------------------------------


def _collapsed(explained: RowExplanation, row: PastedRow) -> bool:
    """A module shown without its layers (torchinfo at its depth limit): not a leaf, no container mark."""
    kind = by_name(explained.layer_type or "")
    return not row.container and kind is not None and kind.family is Family.CONTAINER


def check_row(explained: RowExplanation, row: PastedRow) -> MultAddsCheck:
    """Check one row's printed Mult-Adds against torchinfo 1.8's figure for its configuration.

    Parameters
    ----------
    explained : RowExplanation
        What the explainer found for the row (its status and candidates).
    row : PastedRow
        The row as read (its Mult-Adds cell, its count as printed, the batch).

    Returns
    -------
    MultAddsCheck
        The printed and expected figures, the textbook count and the verdict. Without a printed
        figure the verdict is ``NOT_CHECKED`` (``NO_FIGURE``) but ``expected`` is still filled in when
        known (the footer's check adds those up).
    """
    batch = row.batch if row.batch is not None and row.batch > 0 else 1
    base = MultAddsCheck(printed=row.mult_adds, printed_text=row.mult_adds_text, batch=batch)
    if row.container:
        # A module whose layers are listed below it: torchinfo prints -- for it.
        return _verdict(replace(base, expected=0, textbook=0))
    if row.count_text == "(recursive)":
        return replace(base, why_not=NotChecked.REUSED)
    if _collapsed(explained, row):
        return replace(base, why_not=NotChecked.COLLAPSED)
    if explained.status is Status.NO_PARAMS:
        # No parameters: torchinfo's count is a sum over parameters, so it prints --.
        return _verdict(replace(base, expected=0, textbook=0))
    if explained.status not in (Status.EXPLAINED, Status.AMBIGUOUS) or not explained.candidates:
        return replace(base, why_not=NotChecked.NOT_EXPLAINED)
    readings = tuple(_reading(c) for c in explained.candidates)
    missing = next((r.why_not for r in readings if r.torchinfo is None), None)
    figures = {r.torchinfo * batch for r in readings if r.torchinfo is not None}
    fits = tuple(
        r.layer for r in readings if r.torchinfo is not None and r.torchinfo * batch == row.mult_adds
    )
    check = replace(base, readings=readings, textbook=readings[0].textbook, fits=fits)
    if missing is not None:
        return replace(check, why_not=missing)
    if len(figures) == 1:
        return _verdict(replace(check, expected=figures.pop()))
    # The readings disagree: the printed figure is one of theirs (fits says whose) or none of them.
    if row.mult_adds_text == "":
        return replace(check, why_not=NotChecked.NO_FIGURE)
    return replace(check, verdict=Verdict.MATCHES if fits else Verdict.DIFFERS)


def _verdict(check: MultAddsCheck) -> MultAddsCheck:
    """Compare the printed figure with the expected one (``--`` prints a figure of 0)."""
    if check.printed_text == "":
        return replace(check, verdict=Verdict.NOT_CHECKED, why_not=NotChecked.NO_FIGURE)
    printed = check.printed or 0
    same = check.expected is not None and printed == check.expected
    return replace(check, verdict=Verdict.MATCHES if same else Verdict.DIFFERS, why_not=None)


# --- the footer: Total mult-adds (M): 11.87 --------------------------------------------------------------

_FOOTER = re.compile(r"Total mult-adds(?:[ \t]*\(([\w.]{1,20})\))?[ \t]*:[ \t]*(\d[\d,]{0,30}(?:\.\d{1,6})?)")
# torchinfo's Units enum: "M" ... and, as Python 3.11+ formats it, "Units.MEGABYTES" ...
_UNITS = {
    "": 1,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "Units.MEGABYTES": 10**6,
    "Units.GIGABYTES": 10**9,
    "Units.TERABYTES": 10**12,
}


@dataclass(frozen=True, kw_only=True)
class TotalCheck:
    """The footer ``Total mult-adds (M): 11.87`` against the rows' figures.

    Parameters
    ----------
    printed_text : str
        The footer's number as printed (``"11.87"``).
    unit : str
        Its unit as printed (``"M"``, ``"Units.MEGABYTES"`` or '' for none).
    rows_sum : int or None
        The rows' figures added up: the printed Mult-Adds column, or without one the figures torchinfo
        1.8 prints for the explained rows. None when some row's figure is not known.
    from_column : bool
        True when ``rows_sum`` adds up the printed column.
    as_printed : str
        ``rows_sum`` as torchinfo prints it in that unit (``"11.87"``), '' when not known.
    verdict : Verdict
        Whether ``as_printed`` is the footer's number.
    why_not : NotChecked or None
        Why the verdict is ``NOT_CHECKED``.
    """

    printed_text: str
    unit: str
    rows_sum: int | None = None
    from_column: bool = False
    as_printed: str = ""
    verdict: Verdict = Verdict.NOT_CHECKED
    why_not: NotChecked | None = None


def printed_total(text: str) -> tuple[str, str] | None:
    """(unit, number) of a ``Total mult-adds (M): 11.87`` line in ``text``, or None without one."""
    m = _FOOTER.search(text)
    return (m.group(1) or "", m.group(2)) if m else None


def torchinfo_total_text(total: int, unit: str) -> str | None:
    """``total`` as torchinfo 1.8 prints it in ``unit`` (its ``format_output_num``), None for an unknown unit.

    The number is divided by the unit; a whole result prints with thousands separators and no
    decimals (``12``), any other with two (``11.87``), as Python's ``format`` rounds them.
    """
    factor = _UNITS.get(unit)
    if factor is None:
        return None
    converted = total / factor
    return f"{int(converted):,d}" if converted.is_integer() else f"{converted:,.2f}"


def check_total(
    footer: tuple[str, str], checks: Sequence[MultAddsCheck | None], rows: Sequence[PastedRow]
) -> TotalCheck:
    """Check the footer against the rows: their printed Mult-Adds, else the figures of their configurations.

    Parameters
    ----------
    footer : (str, str)
        The footer's unit and number (:func:`printed_total`).
    checks : sequence of MultAddsCheck or None
        Each row's check (aligned with ``rows``).
    rows : sequence of PastedRow
        The rows as read.

    Returns
    -------
    TotalCheck
        torchinfo adds up its leaf modules; a module listed with its layers below it is not one.
    """
    unit, number = footer
    base = TotalCheck(printed_text=number, unit=unit)
    if unit not in _UNITS:
        return replace(base, why_not=NotChecked.UNKNOWN_UNIT)
    leaves = [(c, r) for c, r in zip(checks, rows) if not r.container]
    from_column = bool(leaves) and all(r.mult_adds_text for _, r in leaves)
    if from_column:
        total: int | None = sum(r.mult_adds or 0 for _, r in leaves)
    elif leaves and all(c is not None and c.expected is not None and r.batch is not None for c, r in leaves):
        # (The batch must be printed: torchinfo's figures are for the whole batch.)
        total = sum(c.expected or 0 for c, _ in leaves if c is not None)
    else:
        return replace(base, why_not=NotChecked.ROWS_NOT_CHECKED)
    assert total is not None
    shown = torchinfo_total_text(total, unit) or ""
    out = replace(base, rows_sum=total, from_column=from_column, as_printed=shown)
    # torchinfo's footer adds up its leaf modules; a module shown without its layers prints the sum of
    # every leaf inside it, so the rows that are not listed containers add up to the same figure.
    return replace(out, verdict=Verdict.MATCHES if shown == number else Verdict.DIFFERS)
