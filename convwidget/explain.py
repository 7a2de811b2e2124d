"""Explain a pasted summary: for every row, the hyperparameters that give its shape and its count.

For a row such as ``conv2d_2 (Conv2D)  (None, 24, 24, 63)  18207`` after a row with output
``(None, 26, 26, 32)``, candidate layers (kernel sizes, bias or not, strides, padding) are built with
the dialect's own classes (:mod:`convwidget.layers` or :mod:`convwidget.nn`) and kept when their
``describe()`` gives the printed shape and count, so every formula comes from the counting core::

    >>> from convwidget.explain import explain_summary
    >>> result = explain_summary(open("convwidget/data/seed_summary.txt").read())
    >>> result.rows[1].formula
    '(3·3·32 + 1)·63 = 18,207'
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import _counting
from . import layers as keras_layers
from . import nn as torch_nn
from .errors import ConfigError
from .formula import Terms, group_digits
from .info import LayerInfo, Shape
from .paste import PastedRow, PastedSummary, PastedTotals, PShape, parse_summary

__all__ = ["Candidate", "Explanation", "RowExplanation", "explain_summary"]

STATUSES = ("explained", "ambiguous", "mismatch", "no_params", "unknown")
MAX_ROWS = 2000  # rows explained in full; a longer paste gets the rest listed as not explained
_MAX_COUNT = 10**13  # beyond this a count is certainly not one layer of a lesson model


@dataclass(frozen=True)
class Candidate:
    """One configuration that explains a row.

    Parameters
    ----------
    layer : str
        The layer as code, e.g. ``"Conv2D(63, (3, 3))"``.
    terms : Terms
        Its parameter count as a formula (from the counting core).
    input_shape : tuple or None
        The input shape it was checked on (None when the paste does not show it).
    output_shape : tuple or None
        The output shape ``describe()`` gives.
    shape_check : str
        How the shape change agrees, e.g. ``"26 − 3 + 1 = 24"``; '' if it could not be checked.
    assumptions : tuple of str
        What the candidate needs that the paste does not show (non-default arguments, unknown input).
    score : tuple of int
        Lower is likelier: non-default arguments and unusual kernels cost points.
    info : LayerInfo or None
        The ``describe()`` result, when the input shape was shown (for drawings).
    """

    layer: str
    terms: Terms
    input_shape: Shape | None
    output_shape: Shape | None
    shape_check: str
    assumptions: tuple[str, ...] = ()
    score: tuple[int, int] = (0, 0)
    info: LayerInfo | None = field(default=None, compare=False, repr=False)

    @property
    def formula(self) -> str:
        """The formula with its result, e.g. ``(3·3·32 + 1)·63 = 18,207``."""
        return self.terms.text


@dataclass(frozen=True)
class RowExplanation:
    """What one row's printed shape and count say about the layer.

    ``status`` is ``"explained"`` (one formula fits), ``"ambiguous"`` (several fit; all are listed,
    the most likely first), ``"mismatch"`` (the printed count fits no configuration: ``implied`` is
    what the shapes suggest), ``"no_params"`` (a layer without weights) or ``"unknown"`` (a layer
    type convwidget does not know).
    """

    name: str
    layer_type: str | None
    input_shape: PShape | None
    output_shape: PShape | None
    printed_count: int | None
    candidates: tuple[Candidate, ...]
    status: str
    note: str = ""
    implied: Terms | None = None
    line: int = 0
    depth: int = 0
    container: bool = False

    @property
    def formula(self) -> str:
        """The best candidate's formula, or '' if none fits."""
        return self.candidates[0].formula if self.candidates else ""

    @property
    def best(self) -> Candidate | None:
        """The most likely candidate, or None."""
        return self.candidates[0] if self.candidates else None

    @property
    def params(self) -> int | None:
        """The printed count, or the best candidate's when the paste shows none."""
        if self.printed_count is not None:
            return self.printed_count
        return self.candidates[0].terms.total if self.candidates else None


@dataclass(frozen=True)
class Explanation:
    """The explained summary: rows, totals check and notes; ``str()`` is a text table."""

    format: str
    dialect: str
    rows: tuple[RowExplanation, ...]
    totals: PastedTotals | None
    rows_sum: int
    totals_ok: bool | None
    notes: tuple[str, ...] = ()
    model_name: str | None = None

    def row(self, name: str) -> RowExplanation:
        """Return the row called ``name``.

        Raises
        ------
        ConfigError
            If no row has that name.
        """
        for r in self.rows:
            if r.name == name:
                return r
        names = ", ".join(r.name for r in self.rows[:20])
        raise ConfigError(
            f"Explanation: name={name!r} is invalid; it must be one of the row names ({names})."
        )

    def __iter__(self) -> Iterator[RowExplanation]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _lines(self) -> list[tuple[str, str, str, str, str]]:
        out = []
        for r in self.rows:
            shape = "" if r.output_shape is None else _shape_text(r.output_shape)
            count = "" if r.printed_count is None else group_digits(r.printed_count)
            label = f"{r.name} ({r.layer_type})" if r.layer_type and r.layer_type != r.name else r.name
            label = "  " * max(r.depth - 1, 0) + label
            if r.status in ("explained", "ambiguous"):
                what = r.formula
                if r.best is not None and " = " in r.best.shape_check:
                    what += f"   [shape: {r.best.shape_check}]"
                if r.status == "ambiguous":
                    what += "  (or: " + "; ".join(c.formula for c in r.candidates[1:4]) + ")"
            elif r.status == "mismatch":
                what = "printed count fits no configuration"
                if r.implied is not None:
                    what += f"; the shapes imply {r.implied.text}"
            elif r.status == "no_params":
                what = "no weights"
            else:
                what = "unknown layer type"
            out.append((label, shape, count, r.status, what))
        return out

    def __str__(self) -> str:
        head = ("Layer (type)", "Output shape", "Printed #", "Status", "Formula")
        lines = [head, *self._lines()]
        widths = [min(40, max(len(line[i]) for line in lines)) for i in range(4)]
        text = []
        for line in lines:
            cells = [line[i][: widths[i]].ljust(widths[i]) for i in range(4)]
            text.append("  ".join(cells) + "  " + line[4])
            if line is head:
                text.append("-" * (sum(widths) + 8 + 30))
        text.append("")
        text.append(self.totals_text)
        for r in self.rows:
            if r.note:
                text.append(f"{r.name}: {r.note}")
        text.extend(self.notes)
        return "\n".join(text)

    @property
    def totals_text(self) -> str:
        """One sentence on whether the rows add up to the printed totals."""
        if self.totals is None:
            return f"The rows add up to {group_digits(self.rows_sum)}; the paste shows no totals to check."
        printed = _printed_total(self.totals)
        if self.totals_ok:
            return f"The rows add up to {group_digits(self.rows_sum)}, as the printed totals say."
        return (
            f"The rows add up to {group_digits(self.rows_sum)}, but the totals say "
            f"{group_digits(printed) if printed is not None else '?'}."
        )

    def _repr_html_(self) -> str:
        colours = {
            "explained": "#e6f4ea",
            "ambiguous": "#fff8e1",
            "mismatch": "#fde7e9",
            "no_params": "#ffffff",
            "unknown": "#eeeeee",
        }
        rows = []
        for (label, shape, count, status, what), r in zip(self._lines(), self.rows):
            note = f"<br><small>{html.escape(r.note)}</small>" if r.note else ""
            rows.append(
                f'<tr style="background:{colours.get(status, "#fff")}">'
                f"<td><code>{html.escape(label)}</code></td><td><code>{html.escape(shape)}</code></td>"
                f"<td style='text-align:right'>{html.escape(count)}</td>"
                f"<td>{html.escape(status)}</td><td>{html.escape(what)}{note}</td></tr>"
            )
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in (self.totals_text, *self.notes))
        return (
            '<div class="convwidget-explanation"><table>'
            "<thead><tr><th>Layer (type)</th><th>Output shape</th><th>Printed #</th><th>Status</th>"
            "<th>Formula</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + notes + "</div>"
        )


def _shape_text(shape: PShape) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in (None, *shape))
    return f"({inner})"


def _printed_total(totals: PastedTotals) -> int | None:
    if totals.trainable is not None and totals.non_trainable is not None:
        return totals.trainable + totals.non_trainable
    if totals.total is not None and totals.optimizer is not None:
        return totals.total - totals.optimizer
    return totals.total


# --- layer families -------------------------------------------------------------------------------

_NO_PARAMS = (  # noqa: SIM905 (a word list reads better as one string)
    "InputLayer Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D GaussianNoise GaussianDropout "
    "AlphaDropout Flatten Reshape Permute RepeatVector Activation ReLU LeakyReLU PReLU0 ELU Softmax "
    "MaxPooling1D MaxPooling2D MaxPooling3D AveragePooling1D AveragePooling2D AveragePooling3D "
    "GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D GlobalMaxPooling1D "
    "GlobalMaxPooling2D GlobalMaxPooling3D MaxPool1D MaxPool2D MaxPool3D AvgPool1D AvgPool2D AvgPool3D "
    "ZeroPadding1D ZeroPadding2D ZeroPadding3D UpSampling1D UpSampling2D UpSampling3D Cropping1D "
    "Cropping2D Cropping3D Concatenate Add Subtract Multiply Average Maximum Minimum Dot Rescaling "
    "Resizing CenterCrop Identity Lambda TFOpLambda SlicingOpLambda "
    # PyTorch
    "ReLU6 GELU SiLU Sigmoid Tanh Hardtanh Hardswish Hardsigmoid Mish Softplus LogSoftmax Softmax2d "
    "Dropout1d Dropout2d Dropout3d Unflatten MaxPool1d MaxPool2d MaxPool3d AvgPool1d AvgPool2d "
    "AvgPool3d AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d "
    "AdaptiveMaxPool3d Upsample UpsamplingNearest2d UpsamplingBilinear2d ZeroPad1d ZeroPad2d ZeroPad3d "
    "ConstantPad1d ConstantPad2d ConstantPad3d ReflectionPad2d ReplicationPad2d PixelShuffle "
    "PixelUnshuffle ChannelShuffle Threshold"
).split()
_CONTAINERS = {"Sequential", "ModuleList", "ModuleDict", "Functional", "Model"}
_PARAMETRIC = [
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "DepthwiseConv2D",
    "SeparableConv2D",
    "Dense",
    "BatchNormalization",
    "LayerNormalization",
    "Embedding",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Linear",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "LayerNorm",
]
_ALIASES = {"Convolution2D": "Conv2D", "Convolution1D": "Conv1D", "Deconvolution2D": "Conv2DTranspose"}
_KNOWN = [*_PARAMETRIC, *_NO_PARAMS]


def _resolve_type(typ: str | None, complete: bool, rank: int | None) -> str | None:
    """Map a printed, possibly cut-off type ('MaxPooling2', 'GlobalAveragePooling…') to a known one."""
    if not typ:
        return None
    typ = _ALIASES.get(typ, typ)
    if typ in _KNOWN:
        return typ
    if complete:
        return None
    options = [k for k in _KNOWN if k.startswith(typ)]
    if rank is not None and len(options) > 1:
        by_rank = [k for k in options if k.endswith((f"{rank}D", f"{rank}d"))]
        options = by_rank or options
    return options[0] if len(options) == 1 else (min(options, key=len) if options else None)


# --- enumerating candidates -------------------------------------------------------------------------


def _divisors(n: int) -> list[int]:
    if n <= 0 or n > _MAX_COUNT:
        return []
    small, large = [], []
    i = 1
    while i * i <= n:
        if n % i == 0:
            small.append(i)
            if i * i != n:
                large.append(n // i)
        i += 1
    return small + large[::-1]


def _kernels(volume: int, rank: int, limit: int = 64) -> list[tuple[int, ...]]:
    """Every kernel size (k1, …, k_rank), each ≤ limit, whose product is ``volume``."""
    if rank == 0:
        return [()] if volume == 1 else []
    out = []
    for k in _divisors(volume):
        if k > limit:
            break
        for rest in _kernels(volume // k, rank - 1, limit):
            out.append((k, *rest))
    return out


def _kernel_penalty(kernel: tuple[int, ...]) -> int:
    # Square, odd, >1 kernels are what models use; the rest are listed after them.
    penalty = 0 if len(set(kernel)) == 1 else 1
    penalty += sum(2 for k in kernel if k % 2 == 0) + sum(
        3 for k in kernel if k == 1 and len(set(kernel)) > 1
    )
    return penalty


def _matches(printed: PShape, actual: Shape) -> bool:
    return len(printed) == len(actual) and all(p is None or p == a for p, a in zip(printed, actual))


def _known(shape: PShape | None) -> Shape | None:
    if shape is None or any(d is None for d in shape):
        return None
    return tuple(int(d) for d in shape)  # type: ignore[arg-type]


def _tuple_text(values: tuple[int, ...]) -> str:
    return f"({', '.join(map(str, values))})"


class _Finder:
    """Candidates for one row: tries configurations and keeps those whose describe() fits."""

    def __init__(self, row: PastedRow, typ: str, in_shape: PShape | None, dialect: str) -> None:
        self.row = row
        self.typ = typ
        self.in_shape = in_shape
        self.out = row.output_shape
        self.count = row.count
        self.dialect = dialect
        self.found: list[Candidate] = []
        self.seen: set[str] = set()
        self.extra_penalty = 0

    def channels(self, shape: PShape | None) -> int | None:
        if not shape:
            return None
        c = shape[0] if self.dialect == "torch" and len(shape) > 1 else shape[-1]
        return c

    def spatial(self, shape: PShape | None) -> PShape:
        if not shape:
            return ()
        return shape[1:] if self.dialect == "torch" else shape[:-1]

    def add(
        self,
        code: str,
        build: Callable[[], Any] | None,
        counted: Callable[[], _counting.Counted],
        assumptions: list[str],
        penalty: int,
        arithmetic: Callable[[int, int, int], str] | None = None,
    ) -> None:
        if code in self.seen:
            return
        penalty += self.extra_penalty
        self.seen.add(code)
        in_known = _known(self.in_shape)
        info = None
        if build is not None and in_known is not None:
            try:
                info = build().describe(in_known)
            except ConfigError:
                return
            if self.out is not None and not _matches(self.out, info.output_shape):
                return
            terms = info.terms
            if self.count is not None and info.params != self.count:
                return
        else:
            terms = counted().terms
            if self.count is not None and terms.total != self.count:
                return
            if in_known is None:
                assumptions = [*assumptions, "input shape not shown"]
        check = ""
        if info is not None:
            check = f"{_shape_text(info.input_shape)} → {_shape_text(info.output_shape)}"
            geometry = info.geometry
            if arithmetic is not None and geometry is not None:
                sp_in, sp_out = self.spatial(info.input_shape), self.spatial(info.output_shape)
                steps = [arithmetic(n, k, o) for n, k, o in zip(sp_in, geometry.kernel_size, sp_out)]  # type: ignore[arg-type]
                check = ", ".join(steps)
        score = (3 * sum(1 for a in assumptions if a != "input shape not shown") + penalty, 0)
        self.found.append(
            Candidate(
                code,
                terms,
                info.input_shape if info else None,
                info.output_shape if info else None,
                check,
                tuple(assumptions),
                score,
                info,
            )
        )


def _conv_like(f: _Finder) -> None:
    typ, count, out = f.typ, f.count, f.out
    if out is None or count is None or len(out) < 2:
        return
    torch = f.dialect == "torch"
    rank = len(out) - 1
    transpose = "Transpose" in typ
    cout = f.channels(out)
    cin = f.channels(f.in_shape)
    if not cout:
        return
    in_spatial = f.spatial(f.in_shape)
    out_spatial = f.spatial(out)
    group_options = [1]
    for bias in (True, False):
        per_out = (count - (cout if bias else 0)) // cout if count % cout == 0 else 0
        cin_options = [cin] if cin is not None else [c for c in _divisors(per_out) if c <= 4096][:64]
        for c_in in cin_options:
            for groups in group_options + ([g for g in _divisors(c_in) if g > 1] if cin is not None else []):
                if cout % groups or c_in % groups:
                    continue
                weights = count - (cout if bias else 0)
                if weights <= 0 or weights % (cout * (c_in // groups)):
                    continue
                volume = weights // (cout * (c_in // groups))
                # An unprinted input is most often grayscale or RGB.
                f.extra_penalty = 0 if cin is not None or c_in in (1, 3) else 2
                if cin is None and volume == 1:
                    f.extra_penalty += 2  # a 1×1 first layer is rare
                for kernel in _kernels(volume, rank)[:40]:
                    _conv_configs(
                        f, kernel, c_in, cout, groups, bias, transpose, torch, in_spatial, out_spatial
                    )


def _conv_configs(
    f: _Finder,
    kernel: tuple[int, ...],
    cin: int,
    cout: int,
    groups: int,
    bias: bool,
    transpose: bool,
    torch: bool,
    in_spatial: PShape,
    out_spatial: PShape,
) -> None:
    base = []
    if not bias:
        base.append("no bias")
    if groups > 1:
        base.append(f"groups={groups}")
    pen = _kernel_penalty(kernel)
    kt = kernel[0] if len(set(kernel)) == 1 else kernel
    kcode = str(kt) if isinstance(kt, int) else _tuple_text(kt)
    counts = _counting.transpose_counts if transpose else _counting.conv_counts
    counted = lambda: counts(kernel, cin, cout, groups, bias)  # noqa: E731
    if f.in_shape is None or _known(f.in_shape) is None:
        extra = "" if bias else ", use_bias=False" if not torch else ", bias=False"
        code = f"{f.typ}({cin}, {cout}, {kcode}{extra})" if torch else f"{f.typ}({cout}, {kcode}{extra})"
        f.add(code, None, counted, base, pen)
        return
    strides = range(1, 5)
    for s in strides:
        if torch:
            pads = range(0, max(kernel) + 1)
            for p in pads:
                ops = range(0, s) if transpose else [0]
                for op in ops:
                    args = [str(cin), str(cout), kcode]
                    extra = []
                    if s > 1:
                        extra.append(f"stride={s}")
                    if p:
                        extra.append(f"padding={p}")
                    if op:
                        extra.append(f"output_padding={op}")
                    if groups > 1:
                        extra.append(f"groups={groups}")
                    if not bias:
                        extra.append("bias=False")
                    code = f"{f.typ}({', '.join(args + extra)})"
                    cls = getattr(torch_nn, f.typ, None)
                    if cls is None:
                        return
                    kwargs: dict[str, Any] = {"stride": s, "padding": p, "groups": groups, "bias": bias}
                    if transpose:
                        kwargs["output_padding"] = op
                    f.add(
                        code,
                        lambda cls=cls, kwargs=kwargs: cls(cin, cout, kernel, **kwargs),
                        counted,
                        base + [a for a in extra if not a.startswith(("groups", "bias"))],
                        pen,
                    )
        else:
            cls = getattr(keras_layers, f.typ, None)
            if cls is None:
                return
            for padding in ("valid", "same"):
                extra = []
                if s > 1:
                    extra.append(f"strides={s}")
                if padding == "same":
                    extra.append("padding='same'")
                if not bias:
                    extra.append("use_bias=False")
                kwargs = {"strides": s, "padding": padding, "use_bias": bias}
                if groups > 1:
                    kwargs["groups"] = groups
                    extra.append(f"groups={groups}")
                code = f"{f.typ}({', '.join([str(cout), kcode, *extra])})"
                f.add(
                    code,
                    lambda cls=cls, kwargs=kwargs: cls(cout, kernel, **kwargs),
                    counted,
                    base + [a for a in extra if not a.startswith(("use_bias", "groups"))],
                    pen,
                    None if transpose else _keras_arithmetic(s, padding),
                )


def _keras_arithmetic(stride: int, padding: str) -> Callable[[int, int, int], str]:
    """How one spatial axis of a Keras convolution gets its length, e.g. ``26 − 3 + 1 = 24``."""

    def step(n: int, k: int, o: int) -> str:
        if padding == "same":
            return f"{n} (padding='same')" if stride == 1 else f"⌈{n} / {stride}⌉ = {o}"
        if stride == 1:
            return f"{n} − {k} + 1 = {o}"
        return f"⌊({n} − {k}) / {stride}⌋ + 1 = {o}"

    return step


def _depthwise(f: _Finder) -> None:
    out, count = f.out, f.count
    if out is None or count is None or len(out) != 3:
        return
    cout = out[-1]
    cin = f.channels(f.in_shape)
    if not cout:
        return
    pairs = (
        [(cin, cout // cin)]
        if cin and cout % cin == 0
        else [(cout // dm, dm) for dm in (1, 2, 3, 4) if cout % dm == 0]
    )
    for c_in, dm in pairs:
        for bias in (True, False):
            if count % cout:
                continue
            volume = count // cout - (1 if bias else 0)
            for kernel in _kernels(volume, 2)[:40]:
                kcode = _kernel_code(kernel)
                for extra, kwargs in _depthwise_variants(dm, bias):
                    f.add(
                        f"DepthwiseConv2D({', '.join([kcode, *extra])})",
                        lambda kernel=kernel, kwargs=kwargs: keras_layers.DepthwiseConv2D(kernel, **kwargs),
                        lambda kernel=kernel, c_in=c_in, dm=dm, bias=bias: _counting.depthwise_counts(
                            kernel, c_in, dm, bias
                        ),
                        [a.split("=")[0] if a != "use_bias=False" else "no bias" for a in extra],
                        _kernel_penalty(kernel),
                    )


def _kernel_code(kernel: tuple[int, ...]) -> str:
    """Keras source for a 2-D kernel size: ``3`` for a square one, ``(3, 5)`` otherwise."""
    return str(kernel[0]) if kernel[0] == kernel[1] else _tuple_text(kernel)


def _depthwise_variants(dm: int, bias: bool) -> Iterator[tuple[list[str], dict[str, Any]]]:
    """Strides and padding to try for a depthwise or separable row: (arguments as code, kwargs)."""
    for s in (1, 2):
        for padding in ("valid", "same"):
            shown = (
                (f"strides={s}", s > 1),
                ("padding='same'", padding == "same"),
                (f"depth_multiplier={dm}", dm > 1),
                ("use_bias=False", not bias),
            )
            extra = [a for a, on in shown if on]
            yield extra, {"strides": s, "padding": padding, "depth_multiplier": dm, "use_bias": bias}


def _separable(f: _Finder) -> None:
    out, count = f.out, f.count
    cin = f.channels(f.in_shape)
    if out is None or count is None or len(out) != 3 or cin is None:
        return
    cout = out[-1]
    if not cout:
        return
    for dm in (1, 2, 3, 4):
        mid = cin * dm
        for bias in (True, False):
            rest = count - (mid + (1 if bias else 0)) * cout
            if rest <= 0 or rest % mid:
                continue
            for kernel in _kernels(rest // mid, 2)[:40]:
                kcode = _kernel_code(kernel)
                for extra, kwargs in _depthwise_variants(dm, bias):
                    f.add(
                        f"SeparableConv2D({', '.join([str(cout), kcode, *extra])})",
                        lambda kernel=kernel, kwargs=kwargs: keras_layers.SeparableConv2D(
                            cout, kernel, **kwargs
                        ),
                        lambda kernel=kernel, dm=dm, bias=bias: _counting.separable_counts(
                            kernel, cin, dm, cout, bias
                        ),
                        [a.split("=")[0] if a != "use_bias=False" else "no bias" for a in extra],
                        _kernel_penalty(kernel),
                    )


def _dense(f: _Finder) -> None:
    out, count = f.out, f.count
    if out is None or count is None or not out or not out[-1]:
        return
    units = out[-1]
    cin = f.in_shape[-1] if f.in_shape else None
    torch = f.dialect == "torch"
    for bias in (True, False):
        fin = (
            cin if cin is not None else (count // units - (1 if bias else 0) if count % units == 0 else None)
        )
        if not fin or fin < 1:
            continue
        extra = "" if bias else (", bias=False" if torch else ", use_bias=False")
        code = f"Linear({fin}, {units}{extra})" if torch else f"Dense({units}{extra})"
        build = (
            (lambda fin=fin, bias=bias: torch_nn.Linear(fin, units, bias=bias))
            if torch
            else (lambda bias=bias: keras_layers.Dense(units, use_bias=bias))
        )
        f.add(
            code,
            build if f.in_shape is not None else None,
            lambda fin=fin, bias=bias: _counting.dense_counts(fin, units, bias),
            [] if bias else ["no bias"],
            0,
        )


def _norm(f: _Finder) -> None:
    out, count = f.out, f.count
    if out is None or count is None or not out:
        return
    torch = f.dialect == "torch"
    if f.typ in ("BatchNormalization", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"):
        c = f.channels(out)
        if not c:
            return
        if torch:
            options = [("", True, True, []), (", affine=False", False, False, ["affine=False"])]
            for extra, center, scale, assume in options:
                f.add(
                    f"{f.typ}({c}{extra})",
                    None,
                    lambda center=center, scale=scale: _counting.batchnorm_counts(c, center, scale, False),
                    assume,
                    0,
                )
            return
        options2 = [
            ("", True, True),
            ("scale=False", True, False),
            ("center=False", False, True),
            ("center=False, scale=False", False, False),
        ]
        for extra, center, scale in options2:
            f.add(
                f"BatchNormalization({extra})",
                (
                    lambda center=center, scale=scale: keras_layers.BatchNormalization(
                        center=center, scale=scale
                    )
                )
                if f.in_shape is not None
                else None,
                lambda center=center, scale=scale: _counting.batchnorm_counts(c, center, scale, True),
                [extra] if extra else [],
                0,
            )
        return
    n = out[-1]
    if not n:
        return
    for extra, gamma, beta in (
        ("", True, True),
        ("center=False" if not torch else "bias=False", True, False),
    ):
        name = "LayerNorm" if torch else "LayerNormalization"
        f.add(
            f"{name}({extra})" if not torch else f"LayerNorm({n}{', ' + extra if extra else ''})",
            None,
            lambda gamma=gamma, beta=beta: _counting.layernorm_counts((n,), gamma, beta),
            [extra] if extra else [],
            0,
        )


def _embedding(f: _Finder) -> None:
    out, count = f.out, f.count
    if out is None or count is None or not out or not out[-1] or count % out[-1]:
        return
    d = out[-1]
    v = count // d
    f.add(f"Embedding({v}, {d})", None, lambda: _counting.embedding_counts(v, d), [], 0)


_FAMILY = {
    "Conv1D": _conv_like, "Conv2D": _conv_like, "Conv3D": _conv_like,
    "Conv1DTranspose": _conv_like, "Conv2DTranspose": _conv_like, "Conv3DTranspose": _conv_like,
    "Conv1d": _conv_like, "Conv2d": _conv_like, "Conv3d": _conv_like,
    "ConvTranspose1d": _conv_like, "ConvTranspose2d": _conv_like, "ConvTranspose3d": _conv_like,
    "DepthwiseConv2D": _depthwise, "SeparableConv2D": _separable,
    "Dense": _dense, "Linear": _dense,
    "BatchNormalization": _norm, "BatchNorm1d": _norm, "BatchNorm2d": _norm, "BatchNorm3d": _norm,
    "LayerNormalization": _norm, "LayerNorm": _norm,
    "Embedding": _embedding,
}  # fmt: skip


# --- what the shapes imply when the count fits nothing ---------------------------------------------


def _implied(typ: str, row: PastedRow, in_shape: PShape | None, dialect: str) -> Terms | None:
    out = row.output_shape
    ins = _known(in_shape)
    if out is None or ins is None or any(d is None for d in out):
        return None
    torch = dialect == "torch"
    try:
        if typ in ("Dense", "Linear"):
            return _counting.dense_counts(ins[-1], int(out[-1]), True).terms  # type: ignore[arg-type]
        if _FAMILY.get(typ) is _conv_like and "Transpose" not in typ and len(out) == len(ins):
            cin, cout = (ins[0], out[0]) if torch else (ins[-1], out[-1])
            sp_in = ins[1:] if torch else ins[:-1]
            sp_out = out[1:] if torch else out[:-1]
            kernel = tuple(a - int(b) + 1 for a, b in zip(sp_in, sp_out))  # type: ignore[arg-type]
            if all(k > 1 for k in kernel):
                return _counting.conv_counts(kernel, cin, int(cout), 1, True).terms  # type: ignore[arg-type]
            if row.count is not None and cout:
                # 'same' padding hides the kernel: take the square kernel nearest the printed count.
                volume = max(1, round((row.count / int(cout) - 1) / cin))
                side = max(1, round(math.sqrt(volume)))
                return _counting.conv_counts((side,) * len(sp_in), cin, int(cout), 1, True).terms
        if typ == "BatchNormalization":
            return _counting.batchnorm_counts(int(out[-1]), True, True, True).terms  # type: ignore[arg-type]
        if typ in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"):
            return _counting.batchnorm_counts(int(out[0]), True, True, False).terms  # type: ignore[arg-type]
    except (ConfigError, ValueError, ZeroDivisionError, TypeError):
        return None
    return None


# --- print(model) rows ------------------------------------------------------------------------------


def _arg(args: Any, key: str, pos: int, default: Any = None) -> Any:
    if key in args:
        return args[key]
    return args.get(str(pos), default)


def _ints(value: Any, rank: int) -> tuple[int, ...] | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return (value,) * rank
    if isinstance(value, tuple) and len(value) == rank and all(isinstance(v, int) and v > 0 for v in value):
        return value
    return None


def _repr_candidate(row: PastedRow) -> tuple[Candidate | None, str]:
    typ, args = row.layer_type or "", row.args
    code = f"{typ}({', '.join(f'{k}={v!r}' if not k.isdigit() else repr(v) for k, v in args.items())})"
    try:
        if typ.rstrip("123d") in ("Conv", "ConvTranspose") and typ[-2:] in ("1d", "2d", "3d"):
            rank = int(typ[-2])
            cin, cout = _arg(args, "in_channels", 0), _arg(args, "out_channels", 1)
            kernel = _ints(_arg(args, "kernel_size", 2), rank)
            groups = _arg(args, "groups", 99, 1)
            bias = _arg(args, "bias", 99, True) is not False
            if not (isinstance(cin, int) and isinstance(cout, int) and kernel and isinstance(groups, int)):
                return None, "its arguments could not be read"
            if groups < 1 or cin % groups or cout % groups:
                return None, f"groups={groups} does not divide the channels"
            fn = _counting.transpose_counts if "Transpose" in typ else _counting.conv_counts
            return Candidate(code, fn(kernel, cin, cout, groups, bias).terms, None, None, ""), ""
        if typ == "Linear":
            fin, fout = _arg(args, "in_features", 0), _arg(args, "out_features", 1)
            bias = _arg(args, "bias", 2, True) is not False
            if isinstance(fin, int) and isinstance(fout, int) and fin > 0 and fout > 0:
                return Candidate(code, _counting.dense_counts(fin, fout, bias).terms, None, None, ""), ""
            return None, "its arguments could not be read"
        if typ in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm", "InstanceNorm2d"):
            c = _arg(args, "num_features", 0) if typ != "GroupNorm" else _arg(args, "num_channels", 1)
            affine = _arg(args, "affine", 99, typ != "InstanceNorm2d") is not False
            if isinstance(c, int) and c > 0:
                return Candidate(
                    code, _counting.batchnorm_counts(c, affine, affine, False).terms, None, None, ""
                ), ""
            return None, "its arguments could not be read"
        if typ == "LayerNorm":
            shape = _arg(args, "normalized_shape", 0)
            shape = (shape,) if isinstance(shape, int) else shape
            affine = _arg(args, "elementwise_affine", 99, True) is not False
            beta = affine and _arg(args, "bias", 99, True) is not False
            if isinstance(shape, tuple) and all(isinstance(d, int) and d > 0 for d in shape):
                return Candidate(
                    code, _counting.layernorm_counts(shape, affine, beta).terms, None, None, ""
                ), ""
            return None, "its arguments could not be read"
        if typ == "Embedding":
            v, d = _arg(args, "num_embeddings", 0), _arg(args, "embedding_dim", 1)
            if isinstance(v, int) and isinstance(d, int) and v > 0 and d > 0:
                return Candidate(code, _counting.embedding_counts(v, d).terms, None, None, ""), ""
            return None, "its arguments could not be read"
    except (ConfigError, ValueError, TypeError, ZeroDivisionError):
        return None, "its arguments could not be read"
    return None, ""


def _explain_repr(summary: PastedSummary) -> list[RowExplanation]:
    out = []
    for row in summary.rows:
        typ = row.layer_type or ""
        if row.container:
            out.append(
                RowExplanation(
                    row.name,
                    typ,
                    None,
                    None,
                    None,
                    (),
                    "no_params",
                    "holds the layers below it",
                    line=row.line,
                    depth=row.depth,
                    container=True,
                )
            )
            continue
        cand, why = _repr_candidate(row)
        if cand is not None:
            out.append(
                RowExplanation(
                    row.name, typ, None, None, None, (cand,), "explained", line=row.line, depth=row.depth
                )
            )
        elif typ in _NO_PARAMS:
            out.append(
                RowExplanation(
                    row.name, typ, None, None, None, (), "no_params", line=row.line, depth=row.depth
                )
            )
        else:
            note = why or f"convwidget does not know {typ}; its count cannot be worked out from print(model)"
            out.append(
                RowExplanation(
                    row.name, typ, None, None, None, (), "unknown", note, line=row.line, depth=row.depth
                )
            )
    return out


# --- rows with shapes -------------------------------------------------------------------------------


def _explain_row(row: PastedRow, in_shape: PShape | None, dialect: str) -> RowExplanation:
    rank = len(row.output_shape) - 1 if row.output_shape else None
    typ = _resolve_type(row.layer_type, row.type_complete, rank)
    shown_type = typ or row.layer_type

    def result(status: str, cands: tuple[Candidate, ...] = (), note: str = "", implied: Terms | None = None):
        return RowExplanation(
            row.name,
            shown_type,
            in_shape,
            row.output_shape,
            row.count,
            cands,
            status,
            note,
            implied,
            row.line,
            row.depth,
            row.container,
        )

    if row.container:
        if row.count is None:
            return result("no_params", note="holds the layers below it")
        return result("unknown", note="a container: its count is the sum of the layers inside it")
    if row.count is None and row.count_text not in ("--", ""):
        if row.count_text == "(recursive)":
            return result(
                "no_params", note="a module used again: its weights are counted where it first appears"
            )
        note = f"the count is cut off in the paste ({row.count_text!r})"
        return result("unknown", note=note)
    if typ in _NO_PARAMS or (typ is None and row.layer_type and row.layer_type in _CONTAINERS):
        if row.count:
            return result(
                "mismatch", note=f"a {typ} layer has no weights, but {group_digits(row.count)} is printed"
            )
        return result("no_params")
    if row.count == 0 and typ not in _FAMILY:
        return result("no_params")
    if typ is None or typ not in _FAMILY:
        what = (
            f"convwidget does not know the layer type {row.layer_type!r}"
            if row.layer_type
            else "no type printed"
        )
        return result("unknown", note=f"{what}; its printed count is taken as it is")
    if row.count is None:
        return result("unknown", note="no count printed")
    if row.count > _MAX_COUNT:
        return result("mismatch", note="the printed count is too large for one layer")
    finder = _Finder(row, typ, in_shape, dialect)
    _FAMILY[typ](finder)
    loose = ""
    if not finder.found and in_shape is not None:
        # Code between the layers (a reshape or mean in forward()) can change the shape unseen: try the
        # count alone, and say that the previous row's shape did not lead here.
        finder = _Finder(row, typ, None, dialect)
        _FAMILY[typ](finder)
        if finder.found:
            loose = (
                f"the previous row's output {_shape_text(in_shape)} does not lead to this shape; "
                "explained from the count alone"
            )
    cands = sorted(finder.found, key=lambda c: c.score)
    if not cands:
        implied = _implied(typ, row, in_shape, dialect)
        note = f"the printed count {group_digits(row.count)} fits no {typ} on these shapes"
        if implied is not None:
            note += f"; the shapes imply {implied.text}"
            diff = row.count - implied.total
            note += f" (printed is {'+' if diff > 0 else '−'}{group_digits(abs(diff))} off: a typo?)"
        return result("mismatch", note=note, implied=implied)
    # Keep distinct formulas; candidates that differ only in stride or padding share one.
    distinct: list[Candidate] = []
    formulas: set[str] = set()
    for c in cands:
        key = c.terms.expression + "|" + "|".join(f.name for f in c.terms.factors)
        if key not in formulas:
            formulas.add(key)
            distinct.append(c)
    best_score = distinct[0].score[0]
    top = [c for c in distinct if c.score[0] == best_score]
    note = loose
    if not note and (in_shape is None or _known(in_shape) is None):
        note = "the input shape is not shown, so the shape change could not be checked"
    if len(top) > 1:
        return result(
            "ambiguous", tuple(distinct[:8]), note or "more than one configuration fits; the likeliest first"
        )
    return result("explained", tuple(distinct[:8]), note)


def _input_shapes(summary: PastedSummary) -> list[PShape | None]:
    """The input of each row: its 'Connected to' source, else the previous non-ancestor row's output."""
    by_name: dict[str, PShape | None] = {}
    out: list[PShape | None] = []
    stack: list[int] = []  # indices of rows still open as ancestors (torchinfo nesting)
    last: PShape | None = None
    for i, row in enumerate(summary.rows):
        while stack and summary.rows[stack[-1]].depth >= row.depth:
            stack.pop()
        source: PShape | None = None
        if row.connected_to:
            src = row.connected_to[0].rstrip("…")
            source = by_name.get(src)
            if source is None:
                for name, shape in by_name.items():
                    if name.rstrip("…").startswith(src) or src.startswith(name.rstrip("…")):
                        source = shape
                        break
        if source is None:
            source = last
        out.append(source)
        by_name[row.name] = row.output_shape
        if row.container:
            stack.append(i)
            if summary.format == "torchinfo":
                # A container's printed shape is its output: its first child reads the container's input.
                continue
        last = row.output_shape
    return out


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
    if summary.format == "torch_repr":
        rows = _explain_repr(summary)
        notes.append("print(model) shows no shapes: counts are worked out from each layer's arguments.")
    else:
        rows = []
        cache: dict[Any, RowExplanation] = {}
        for i, (row, in_shape) in enumerate(zip(summary.rows, _input_shapes(summary))):
            if i >= MAX_ROWS:
                rows.append(
                    RowExplanation(
                        row.name,
                        row.layer_type,
                        in_shape,
                        row.output_shape,
                        row.count,
                        (),
                        "unknown",
                        "not explained: the paste is very long",
                        line=row.line,
                    )
                )
                continue
            key = (
                row.layer_type,
                row.type_complete,
                row.output_shapes,
                row.count,
                row.count_text,
                in_shape,
                row.container,
                summary.dialect,
            )
            if key not in cache:
                cache[key] = _explain_row(row, in_shape, summary.dialect)
            e = cache[key]
            rows.append(
                RowExplanation(
                    row.name,
                    e.layer_type,
                    e.input_shape,
                    e.output_shape,
                    e.printed_count,
                    e.candidates,
                    e.status,
                    e.note,
                    e.implied,
                    row.line,
                    row.depth,
                    row.container,
                )
            )
        if len(summary.rows) > MAX_ROWS:
            notes.append(f"Only the first {MAX_ROWS:,} rows are explained.")
    rows_sum = sum(r.params or 0 for r in rows if not r.container)
    totals_ok = None
    if summary.totals is not None:
        printed = _printed_total(summary.totals)
        totals_ok = printed is not None and printed == rows_sum
        if not totals_ok:
            bad = [r for r in rows if r.status == "mismatch" and r.implied is not None]
            fixed = rows_sum + sum(r.implied.total - (r.printed_count or 0) for r in bad if r.implied)
            if bad and printed == fixed:
                names = ", ".join(r.name for r in bad)
                notes.append(
                    f"With the counts the shapes imply for {names}, the rows add up to the printed total."
                )
    return Explanation(
        summary.format,
        summary.dialect,
        tuple(rows),
        summary.totals,
        rows_sum,
        totals_ok,
        tuple(notes),
        summary.model_name,
    )
