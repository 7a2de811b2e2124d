"""Say whether a learner's parameter count is right, and if not, which mistake produces it.

    >>> from convwidget import diagnose
    >>> from convwidget.layers import Conv2D
    >>> d = diagnose(630, Conv2D(63, (3, 3)), (26, 26, 32))
    >>> d.mistake
    'forgot_input_channels'
    >>> print(d.guess_formula)
    (3·3 + 1)·63 = 630

Every known mistake is a wrong formula built from the layer's own factors; the
first one whose value equals the guess names the mistake.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from . import _diagnose_seq
from ._candidate import Candidate as _Candidate
from ._checks import fail
from .enums import Dialect, Family
from .formula import Expr, Factor, Product, Sum, Terms, group_digits
from .info import Describable, LayerInfo

__all__ = ["MISTAKES", "Diagnosis", "diagnose", "mistakes", "whole_number"]

# Stable ids of the mistakes recognised, with what each means.
MISTAKES = {
    "forgot_input_channels": "each kernel counted as one F×F slice, without the input channels",
    "forgot_input_channels_and_bias": "kernels counted without input channels and without bias",
    "forgot_bias": "the bias of each kernel left out",
    "bias_per_input_channel": "one bias per input channel instead of one per kernel",
    "swapped_channels": "input and output channels swapped",
    "output_size_for_kernel": "the output's spatial size used instead of the kernel's",
    "input_size_for_kernel": "the input's spatial size used instead of the kernel's",
    "forgot_output_channels": "one kernel counted instead of all of them",
    "dense_without_bias": "a Dense layer counted without its bias",
    "batchnorm_non_trainable": "BatchNormalization's moving statistics counted the other framework's way",
    "depthwise_as_full_conv": "a depthwise kernel counted as spanning all input channels",
    **_diagnose_seq.MISTAKES,
}

_BIAS = Factor("bias", 1, "1")


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on one guessed parameter count.

    Parameters
    ----------
    guess : int
        The learner's number.
    expected : int
        The layer's true count (all parameters, trainable or not).
    correct : bool
        Whether ``guess == expected``.
    mistake : str or None
        Id of the mistake that produces the guess (see :data:`MISTAKES`), or None.
    dropped, added : tuple of str
        Names of the factors the wrong formula leaves out or puts in.
    formula : Terms
        The right formula.
    guess_formula : Terms or None
        The wrong formula that produces the guess, when a mistake was recognised.
    info : LayerInfo
        The layer on the given input shape.
    message : str
        One short sentence for the learner (also ``str(diagnosis)``).
    """

    guess: int
    expected: int
    correct: bool
    mistake: str | None
    dropped: tuple[str, ...]
    added: tuple[str, ...]
    formula: Terms
    guess_formula: Terms | None
    info: LayerInfo
    message: str

    def __str__(self) -> str:
        return self.message


_MAX_DIGITS = 40


def _guess_int(guess: object) -> int:
    """Accept an int, an integral float or a digit string such as "18,207"; refuse the rest."""
    valid = "it must be a whole number >= 0, such as 18207 or '18,207'"
    fix = "type the count as digits, e.g. 630"
    value = guess
    if isinstance(guess, str):
        text = guess.strip().replace(",", "").replace("_", "").replace(" ", "")
        shown = guess if len(guess) <= 40 else guess[:20] + f"… ({len(guess):,} characters)"
        if not text.lstrip("-").isdecimal():  # isdigit() accepts "²", which int() refuses
            raise fail("diagnose", "guess", shown, valid, fix)
        if len(text) > _MAX_DIGITS:
            # Python refuses to read ints of more than 4,300 digits; no layer has even 40.
            raise fail("diagnose", "guess", shown, f"{valid}, of at most {_MAX_DIGITS} digits", fix)
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise fail("diagnose", "guess", guess, valid)
    if isinstance(value, numbers.Integral):
        number = int(value)
    else:
        real = float(value)
        if not math.isfinite(real) or real != int(real):
            raise fail("diagnose", "guess", guess, valid)
        number = int(real)
    if number < 0:
        raise fail("diagnose", "guess", guess, f"{valid} (a count is never negative)")
    return number


def _dot(values: Sequence[int]) -> str:
    return "·".join(str(v) for v in values)


def _conv_candidates(info: LayerInfo) -> list[_Candidate]:
    geo = info.geometry
    if geo is None:
        return []
    terms = info.terms
    kernel = [f for f in terms.factors if f.name.startswith("kernel")]
    cin = terms.factor("input channels") or terms.factor("input channels per group")
    cout = terms.factor("output channels")
    if cin is None or cout is None or not kernel:
        return []
    k = _dot([f.value for f in kernel])
    bias = geo.bias

    def with_bias(items: Sequence[Expr]) -> Expr:
        core = Product(tuple(items))
        return Sum((core, _BIAS)) if bias else core

    right_kernel = _dot([*(f.value for f in kernel), cin.value])
    out: list[_Candidate] = [
        _Candidate(
            "forgot_input_channels",
            Terms(Product((with_bias(kernel), cout))),
            ("input channels",),
            (),
            lambda t: (
                f"{group_digits(t.total)} = {t.expression}: each of the {cout.value} kernels also spans "
                f"the {cin.value} input channels, so it has {right_kernel} weights, not {k}."
            ),
        ),
    ]
    if bias:
        out += [
            _Candidate(
                "forgot_input_channels_and_bias",
                Terms(Product((*kernel, cout))),
                ("input channels", "bias"),
                (),
                lambda t: (
                    f"{group_digits(t.total)} = {t.expression}: each of the {cout.value} kernels spans all "
                    f"{cin.value} input channels ({right_kernel} weights) and has a bias: {terms.text}."
                ),
            ),
            _Candidate(
                "forgot_bias",
                Terms(Product((*kernel, cin, cout))),
                ("bias",),
                (),
                lambda t: (
                    f"{group_digits(t.total)} = {t.expression}: each of the {cout.value} kernels also has "
                    f"one bias, so add {cout.value}: {terms.text}."
                ),
            ),
            _Candidate(
                "bias_per_input_channel",
                Terms(Product((Sum((Product(tuple(kernel)), _BIAS)), cin, cout))),
                (),
                ("a bias per input channel",),
                lambda t: (
                    f"{group_digits(t.total)} = {t.expression}: a kernel has one bias in all, not one per "
                    f"input channel: {terms.text}."
                ),
            ),
        ]
    swapped_in = Factor("output channels", cout.value, "Cout")
    swapped_out = Factor("input channels", cin.value, "Cin")
    out.append(
        _Candidate(
            "swapped_channels",
            Terms(Product((with_bias([*kernel, swapped_in]), swapped_out))),
            (),
            (),
            lambda t: (
                f"{group_digits(t.total)} = {t.expression}: input and output channels are swapped; there are "
                f"{cout.value} kernels (one per output channel) of {right_kernel} weights each: {terms.text}."
            ),
        )
    )
    in_spatial, out_spatial = _spatial(info)
    for mistake, sizes, word in (
        ("output_size_for_kernel", out_spatial, "output"),
        ("input_size_for_kernel", in_spatial, "input"),
    ):
        if not sizes or len(sizes) != len(kernel) or list(sizes) == [f.value for f in kernel]:
            continue
        fake = [
            Factor(f"{word} {f.name.removeprefix('kernel ')}", n, f.symbol) for f, n in zip(kernel, sizes)
        ]

        def image_for_kernel(t: Terms, sizes: tuple[int, ...] = sizes, word: str = word) -> str:
            return (
                f"{group_digits(t.total)} = {t.expression}: the kernel is "
                f"{'×'.join(str(f.value) for f in kernel)}, not the {word}'s "
                f"{'×'.join(str(n) for n in sizes)}; one small kernel slides over the whole image: "
                f"{terms.text}."
            )

        out.append(
            _Candidate(
                mistake,
                Terms(Product((with_bias([*fake, cin]), cout))),
                tuple(f.name for f in kernel),
                tuple(f.name for f in fake),
                image_for_kernel,
            )
        )
    out.append(
        _Candidate(
            "forgot_output_channels",
            Terms(with_bias([*kernel, cin])),
            ("output channels",),
            (),
            lambda t: (
                f"{group_digits(t.total)} = {t.expression} is one kernel; the layer has {cout.value} of them "
                f"(one per output channel): {terms.text}."
            ),
        )
    )
    return out


def _spatial(info: LayerInfo) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Spatial sizes of input and output, split off the channel axis where the layer's layout puts it."""
    geo = info.geometry
    assert geo is not None
    if any(len(shape) != len(geo.kernel_size) + 1 for shape in (info.input_shape, info.output_shape)):
        return (), ()
    return info.split(info.input_shape)[0], info.split(info.output_shape)[0]


def _depthwise_candidates(info: LayerInfo) -> list[_Candidate]:
    geo = info.geometry
    if geo is None:
        return []
    terms = info.terms
    kernel = [f for f in terms.factors if f.name.startswith("kernel")]
    cin = terms.factor("input channels")
    if cin is None or not kernel:
        return []
    cout = Factor("output channels", geo.out_channels, "Cout")
    items = Product((*kernel, cin))
    full = Product((Sum((items, _BIAS)) if geo.bias else items, cout))
    return [
        _Candidate(
            "depthwise_as_full_conv",
            Terms(full),
            (),
            ("input channels per kernel",),
            lambda t: (
                f"{group_digits(t.total)} = {t.expression} would be a full convolution; a depthwise kernel "
                f"sees only its own input channel: {terms.text}."
            ),
        )
    ]


def _dense_candidates(info: LayerInfo) -> list[_Candidate]:
    geo = info.geometry
    if geo is None:
        return []
    terms = info.terms
    n_in = terms.factor("input features")
    units = terms.factor("units")
    if n_in is None or units is None:
        return []
    out: list[_Candidate] = []
    if geo.bias:
        out.append(
            _Candidate(
                "dense_without_bias",
                Terms(Product((n_in, units))),
                ("bias",),
                (),
                lambda t: (
                    f"{group_digits(t.total)} = {t.expression}: each of the {units.value} units also has "
                    f"one bias, so add {units.value}: {terms.text}."
                ),
            )
        )
    swapped = Product(
        (
            Sum((Factor("units", units.value, "units"), _BIAS))
            if geo.bias
            else Factor("units", units.value, "units"),
            Factor("input features", n_in.value, "in"),
        )
    )
    out.append(
        _Candidate(
            "swapped_channels",
            Terms(swapped),
            (),
            (),
            lambda t: (
                f"{group_digits(t.total)} = {t.expression}: inputs and units are swapped; each of the "
                f"{units.value} units has {n_in.value} weights and a bias: {terms.text}."
            ),
        )
    )
    out.append(
        _Candidate(
            "forgot_output_channels",
            Terms(Sum((n_in, _BIAS)) if geo.bias else n_in),
            ("units",),
            (),
            lambda t: (
                f"{group_digits(t.total)} = {t.expression} is one unit; the layer has {units.value} of them: "
                f"{terms.text}."
            ),
        )
    )
    return out


def _batchnorm_candidates(info: LayerInfo) -> list[_Candidate]:
    channels = info.terms.factor("channels")
    if channels is None:
        return []
    c = channels.value
    if info.dialect is Dialect.KERAS and info.non_trainable_params:
        # The learner counted only γ and β (what PyTorch calls parameters).
        kept = [f for f in info.terms.factors if f.name in ("scale γ", "offset β")]
        if not kept:
            return []
        per: Expr = Sum(tuple(kept)) if len(kept) > 1 else kept[0]
        return [
            _Candidate(
                "batchnorm_non_trainable",
                Terms(Product((per, channels))),
                ("moving mean", "moving variance"),
                (),
                lambda t: (
                    f"{group_digits(t.total)} = {t.expression} counts only γ and β; Keras also counts the "
                    f"moving mean and variance ({group_digits(2 * c)} non-trainable parameters): "
                    f"{info.terms.text}."
                ),
            )
        ]
    if info.dialect is Dialect.TORCH:
        stats = (Factor("running mean", 1, "1"), Factor("running variance", 1, "1"))
        expr = info.terms.expr
        first = expr.items[0] if isinstance(expr, Product) else None
        items = first.items if isinstance(first, Sum) else ((first,) if first is not None else ())
        return [
            _Candidate(
                "batchnorm_non_trainable",
                Terms(Product((Sum((*items, *stats)), channels))),
                (),
                ("running mean", "running variance"),
                lambda t: (
                    f"{group_digits(t.total)} = {t.expression} also counts the running mean and variance, "
                    f"which PyTorch keeps as buffers, not parameters: {info.terms.text}."
                ),
            )
        ]
    return []


# The wrong formulas worth trying, by what the layer does. A NORM layer without per-channel statistics
# (LayerNorm) has no "channels" factor, and a framework row no geometry: both have no candidates.
_CANDIDATES: Mapping[Family, Callable[[LayerInfo], list[_Candidate]]] = {
    Family.NORM: _batchnorm_candidates,
    Family.DENSE: _dense_candidates,
    Family.CONV: _conv_candidates,
    Family.TRANSPOSE: _conv_candidates,
    Family.DEPTHWISE: _depthwise_candidates,
    **_diagnose_seq.CANDIDATES,
}


def _candidates(info: LayerInfo) -> list[_Candidate]:
    find = _CANDIDATES.get(info.kind.family) if info.kind is not None else None
    return find(info) if find is not None else []


def diagnose(guess: int | float | str, layer: Describable, input_shape: Sequence[int]) -> Diagnosis:
    """Check a learner's parameter count for ``layer`` on ``input_shape`` and name the mistake behind it.

    Parameters
    ----------
    guess : int or str
        The learner's number (``630``, ``"18,207"``).
    layer : layer
        A layer of either dialect (anything with ``describe(input_shape)``).
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.

    Returns
    -------
    Diagnosis
        Whether the guess is right, which mistake produces it, and the right formula.

    Raises
    ------
    ConfigError
        If ``guess`` is not a whole number >= 0, or the layer cannot take ``input_shape``.
    """
    value = _guess_int(guess)
    if isinstance(layer, type):
        # The class itself (diagnose(630, Conv2D, …)): its describe() would need an instance.
        raise fail(
            "diagnose",
            "layer",
            layer.__name__,
            "it must be a layer instance, not the class",
            f"build the layer first, e.g. diagnose(630, {layer.__name__}(...), input_shape)",
        )
    if not callable(getattr(layer, "describe", None)):
        raise fail(
            "diagnose", "layer", layer, "it must be a convwidget layer (convwidget.layers or convwidget.nn)"
        )
    info = layer.describe(input_shape)
    expected = info.params
    formula = info.terms
    if value == expected:
        message = f"{group_digits(value)} is right: {formula.text}."
        return Diagnosis(value, expected, True, None, (), (), formula, None, info, message)
    for cand in _candidates(info):
        if cand.terms.total == value and cand.terms.total != expected:
            return Diagnosis(
                value,
                expected,
                False,
                cand.mistake,
                cand.dropped,
                cand.added,
                formula,
                cand.terms,
                info,
                cand.explain(cand.terms),
            )
    if isinstance(formula.expr, Factor):
        hint = f"a {info.layer_type} layer has {group_digits(expected)} parameters"
    else:
        hint = f"fill in {formula.symbolic} = {formula.expression}"
    message = f"{group_digits(value)} is not the count of this {info.layer_type}; {hint}."
    return Diagnosis(value, expected, False, None, (), (), formula, None, info, message)


def mistakes(layer: Describable, input_shape: Sequence[int], distinct: bool = True) -> list[Diagnosis]:
    """Every wrong count a named mistake produces for ``layer`` on ``input_shape``, as :func:`diagnose` says.

    Parameters
    ----------
    layer : layer
        A layer of either dialect (anything with ``describe(input_shape)``).
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.
    distinct : bool, default True
        One entry per distinct wrong count, named as :func:`diagnose` names it (the first mistake tried
        that gives it), so ``diagnose(d.guess, layer, input_shape) == d`` for each. False keeps every
        mistake, also when two give the same count (forgetting the bias, and forgetting both the input
        channels and the bias, when Cin = 1): what a learner who makes that one mistake everywhere gets.

    Returns
    -------
    list of Diagnosis
        In the order :func:`diagnose` tries the mistakes; empty for a layer without named mistakes.
        A mistake whose formula gives the right count (e.g. swapped channels when Cin = Cout) is left out.

    Raises
    ------
    ConfigError
        If the layer cannot take ``input_shape``.
    """
    info = layer.describe(input_shape)
    seen = {info.params}
    out: list[Diagnosis] = []
    for cand in _candidates(info):
        value = cand.terms.total
        if value in seen:
            continue
        if distinct:
            seen.add(value)
        message = cand.explain(cand.terms)
        out.append(
            Diagnosis(
                value,
                info.params,
                False,
                cand.mistake,
                cand.dropped,
                cand.added,
                info.terms,
                cand.terms,
                info,
                message,
            )
        )
    return out


def whole_number(guess: object) -> int:
    """A learner's count as an int, read as :func:`diagnose` reads it (``630``, ``630.0``, ``"18,207"``).

    Parameters
    ----------
    guess : object
        The learner's answer.

    Returns
    -------
    int
        The count.

    Raises
    ------
    ConfigError
        If ``guess`` is not a whole number >= 0.
    """
    return _guess_int(guess)
