"""Valid ranges for the explorer's controls: numbers in, ranges out, no widgets.

The explorer (:class:`convwidget.widgets.ConvExplorer`) never computes a bound
itself. It asks this module, after every change, which values each control may
take given all the others, in the spirit of ezyang's convolution visualizer:
every slider is bounded so that no value it offers makes the layer invalid.

Two constraints cannot be expressed as slider bounds alone, because a control
that changes them has no bound of its own to respect: a channel count that the
current ``groups`` no longer divides, and a switch to ``padding='valid'`` with a
kernel larger than the input. :func:`settle` resolves those by adjusting the
*other* control (``groups`` down, the input size up) and says so in a note.

    >>> from convwidget.controls import PRESETS, describe, ranges
    >>> ranges(PRESETS["MNIST conv 2"]).groups
    (1,)
    >>> describe(PRESETS["MNIST conv 2"]).terms.text
    '(3·3·32 + 1)·63 = 18,207'
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields, replace

from ._arith import effective_kernel
from ._checks import fail
from .enums import Family, Padding
from .info import LayerInfo
from .layers import Conv2D, DepthwiseConv2D, Layer, SeparableConv2D

__all__ = [
    "BOUNDS",
    "CHANNELS",
    "CHANNEL_STEPS",
    "DEPTH_MULTIPLIER",
    "DILATION",
    "FILTERS",
    "INPUT_SIZE",
    "KERNEL",
    "KINDS",
    "PADDINGS",
    "PRESETS",
    "STRIDE",
    "ConvSettings",
    "Ranges",
    "channel_steps",
    "check",
    "common_divisors",
    "describe",
    "disabled_reasons",
    "input_shape",
    "is_valid",
    "ranges",
    "settle",
    "to_layer",
]

# Absolute bounds of each control, whatever the others say.
KERNEL = (1, 11)
CHANNELS = (1, 512)
FILTERS = (1, 512)
STRIDE = (1, 8)
DILATION = (1, 8)
# 10·8 + 1 = 81 ≤ 256: the widest dilated kernel always fits some offered input size.
INPUT_SIZE = (1, 256)
DEPTH_MULTIPLIER = (1, 8)

# The values the input-channels and filters sliders offer: every count up to 64 (the lesson's 1, 2, 3,
# 32, 63, 64), then the usual widths up to 512. ~80 stops on a ~250 px track leave >= 3 px per stop, so
# a mouse dragged one pixel at a time reaches each of them (1–512 in one-steps would need 512 px).
CHANNEL_STEPS: tuple[int, ...] = (
    *range(1, 65),
    *(72, 80, 96, 112, 128, 144, 160, 192, 224, 256, 288, 320, 384, 448, 511, 512),
)

# The kinds of layer the explorer offers (plain strings are accepted too: Family is a str enum).
KINDS = (Family.CONV, Family.DEPTHWISE, Family.SEPARABLE)
PADDINGS = (Padding.VALID, Padding.SAME)

# The integer fields and their absolute bounds (inclusive), whatever the others say; for clamping.
BOUNDS: dict[str, tuple[int, int]] = {
    "kernel_size": KERNEL,
    "in_channels": CHANNELS,
    "filters": FILTERS,
    "stride": STRIDE,
    "dilation": DILATION,
    "input_size": INPUT_SIZE,
    "depth_multiplier": DEPTH_MULTIPLIER,
}


@dataclass(frozen=True)
class ConvSettings:
    """One configuration of the explorer: a square 2-D convolution on a square input.

    Parameters
    ----------
    kind : Family or str
        ``"conv"`` (Conv2D), ``"depthwise"`` (DepthwiseConv2D) or ``"separable"`` (SeparableConv2D);
        :func:`settle` turns a plain string into its :class:`~convwidget.enums.Family`.
    kernel_size : int
        Kernel height and width.
    in_channels : int
        Channels of the input.
    filters : int
        Output channels (ignored by ``"depthwise"``, whose output has ``in_channels·depth_multiplier``).
    bias : bool
        ``use_bias``.
    stride, dilation : int
        Equal on both axes; Keras refuses both > 1 at once.
    padding : Padding or str
        ``"valid"`` or ``"same"`` (:func:`settle` turns it into a :class:`~convwidget.enums.Padding`).
    groups : int
        Channel groups (``"conv"`` only); must divide both channel counts.
    input_size : int
        Input height and width.
    depth_multiplier : int
        Depthwise kernels per input channel (``"depthwise"`` and ``"separable"`` only).
    """

    kind: Family | str = Family.CONV
    kernel_size: int = 3
    in_channels: int = 32
    filters: int = 63
    bias: bool = True
    stride: int = 1
    padding: Padding | str = Padding.VALID
    dilation: int = 1
    groups: int = 1
    input_size: int = 26
    depth_multiplier: int = 1


@dataclass(frozen=True)
class Ranges:
    """The values each control may take, given the values of all the others.

    Integer ranges are inclusive ``(min, max)``; ``groups`` is the tuple of
    allowed values. The ``*_enabled`` flags say whether a control means
    anything for the current kind of layer.
    """

    kernel_size: tuple[int, int]
    in_channels: tuple[int, int]
    filters: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    input_size: tuple[int, int]
    depth_multiplier: tuple[int, int]
    groups: tuple[int, ...]
    filters_enabled: bool
    groups_enabled: bool
    depth_multiplier_enabled: bool


def common_divisors(a: int, b: int) -> tuple[int, ...]:
    """Return the positive divisors of both ``a`` and ``b``, smallest first.

    Parameters
    ----------
    a, b : int
        Positive integers.

    Returns
    -------
    tuple of int
        For example ``common_divisors(32, 64) == (1, 2, 4, 8, 16, 32)``.
    """
    g = math.gcd(a, b)
    small = [d for d in range(1, math.isqrt(g) + 1) if g % d == 0]
    return tuple(sorted(set(small) | {g // d for d in small}))


def ranges(s: ConvSettings) -> Ranges:
    """Return the valid range of every control, holding the others at their values in ``s``.

    Parameters
    ----------
    s : ConvSettings
        The current configuration (assumed valid, see :func:`settle`).

    Returns
    -------
    Ranges
        Bounds such that changing any single control within its range keeps
        the configuration valid.
    """
    n, k, d = s.input_size, s.kernel_size, s.dilation
    valid = s.padding == Padding.VALID
    # padding='valid' needs the dilated kernel to fit: d·(k − 1) + 1 ≤ n.
    k_max = min(KERNEL[1], (n - 1) // d + 1) if valid else KERNEL[1]
    if s.stride > 1:
        d_max = 1  # Keras refuses strides > 1 together with dilation_rate > 1
    elif valid and k > 1:
        d_max = min(DILATION[1], (n - 1) // (k - 1))
    else:
        d_max = DILATION[1]
    s_max = 1 if d > 1 else STRIDE[1]
    n_min = effective_kernel(k, d) if valid else INPUT_SIZE[0]
    groups = common_divisors(s.in_channels, s.filters) if s.kind == Family.CONV else (1,)
    return Ranges(
        kernel_size=(KERNEL[0], k_max),
        in_channels=CHANNELS,
        filters=FILTERS,
        stride=(STRIDE[0], s_max),
        dilation=(DILATION[0], d_max),
        input_size=(n_min, INPUT_SIZE[1]),
        depth_multiplier=DEPTH_MULTIPLIER,
        groups=groups,
        filters_enabled=s.kind != Family.DEPTHWISE,
        groups_enabled=s.kind == Family.CONV,
        depth_multiplier_enabled=s.kind != Family.CONV,
    )


def channel_steps(*extra: int) -> tuple[int, ...]:
    """Return :data:`CHANNEL_STEPS` with ``extra`` values added (e.g. a layer's 100 filters), sorted."""
    return tuple(sorted(set(CHANNEL_STEPS) | set(extra)))


_WHAT = {
    "kernel_size": ("kernel height and width", 3),
    "in_channels": ("input channels", 32),
    "filters": ("filters (output channels)", 64),
    "stride": ("stride", 1),
    "dilation": ("dilation", 1),
    "input_size": ("input height and width", 28),
    "depth_multiplier": ("depth multiplier", 1),
}


def check(s: ConvSettings, who: str = "ConvExplorer") -> None:
    """Refuse a value no control can take: a non-integer, or an integer outside :data:`BOUNDS`.

    :func:`settle` clamps, which suits a slider that cannot leave its track; a value typed in
    code must not be clamped silently, so the explorer calls this first.

    Parameters
    ----------
    s : ConvSettings
        The wanted configuration, straight from the caller.
    who : str
        The name the error message gives the caller (``"ConvExplorer"``, ``"ConvExplorer.set"``).

    Raises
    ------
    ConfigError
        Naming the argument, its value, the valid range and a fix.
    """
    for name, (lo, hi) in BOUNDS.items():
        value = getattr(s, name)
        what, example = _WHAT[name]
        is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        if not is_int or not lo <= value <= hi:
            raise fail(
                who,
                name,
                value,
                f"it must be an integer from {lo} to {hi} (the {what}, in the explorer's range)",
                f"use e.g. {name}={example}",
            )
    if not isinstance(s.groups, numbers.Integral) or isinstance(s.groups, bool) or s.groups < 1:
        raise fail(
            who,
            "groups",
            s.groups,
            "groups must be a whole number >= 1 that divides both the input channels and the filters",
            "use groups=1",
        )
    if not isinstance(s.bias, bool):
        raise fail(who, "bias", s.bias, "it must be True or False", "use bias=True")
    if s.kind not in KINDS:
        raise fail(who, "kind", s.kind, _one_of(KINDS), "use 'conv' for Conv2D")
    if s.padding not in PADDINGS:
        raise fail(who, "padding", s.padding, _one_of(PADDINGS), "use 'same' to keep the size")


def disabled_reasons(s: ConvSettings, r: Ranges) -> tuple[str, ...]:
    """One line per control that cannot move now, saying why (for the learner, beside the controls).

    Parameters
    ----------
    s : ConvSettings
        The current configuration.
    r : Ranges
        ``ranges(s)``.

    Returns
    -------
    tuple of str
        Empty when every control can move.
    """
    reasons: list[str] = []
    if not r.filters_enabled:
        reasons.append(
            "filters: a depthwise layer has no filters of its own; its output channels are "
            "input channels × depth multiplier."
        )
    if not r.groups_enabled:
        reasons.append(f"groups: only Conv2D splits its channels into groups; a {s.kind} layer does not.")
    elif len(r.groups) == 1:
        reasons.append(
            f"groups: {s.in_channels} input channels and {s.filters} filters have no common divisor "
            "but 1, so groups stays 1."
        )
    if r.dilation == (1, 1):
        if s.stride > 1:
            reasons.append(
                f"dilation: Keras refuses dilation > 1 together with stride {s.stride}; set stride 1."
            )
        else:
            reasons.append(
                f"dilation: with padding 'valid' a dilated {s.kernel_size}×{s.kernel_size} kernel would not "
                f"fit the {s.input_size}-pixel input."
            )
    if r.stride == (1, 1) and s.dilation > 1:
        reasons.append(
            f"stride: Keras refuses stride > 1 together with dilation {s.dilation}; set dilation 1."
        )
    if r.kernel_size[1] == r.kernel_size[0] and s.padding == Padding.VALID:
        reasons.append(
            f"kernel size: with padding 'valid' a larger kernel would not fit the {s.input_size}-pixel input."
        )
    return tuple(reasons)


def is_valid(s: ConvSettings) -> bool:
    """Return True if every value of ``s`` lies in the range :func:`ranges` gives for it."""
    if s.kind not in KINDS or s.padding not in PADDINGS or not isinstance(s.bias, bool):
        return False
    r = ranges(s)
    for name in BOUNDS:
        lo, hi = getattr(r, name)
        if not lo <= getattr(s, name) <= hi:
            return False
    return s.groups in r.groups


def _one_of(words: tuple[str, ...]) -> str:
    return "it must be one of " + ", ".join(repr(str(w)) for w in words)


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


def settle(s: ConvSettings, changed: str | None = None) -> tuple[ConvSettings, tuple[str, ...]]:
    """Return the nearest valid configuration, keeping the control the user just changed.

    Parameters
    ----------
    s : ConvSettings
        A configuration that may be invalid, e.g. right after one control changed.
    changed : str, optional
        The field the user changed; it is kept whenever another field can give way.

    Returns
    -------
    settings : ConvSettings
        A configuration for which :func:`is_valid` is True, with ``kind`` a
        :class:`~convwidget.enums.Family` and ``padding`` a :class:`~convwidget.enums.Padding`.
    notes : tuple of str
        One sentence per value that had to change besides ``changed``, for the learner.

    Raises
    ------
    ConfigError
        If ``changed`` names no field, or ``kind``/``padding`` is unknown.
    """
    names = sorted(f.name for f in fields(ConvSettings))
    if changed is not None and changed not in names:
        raise fail("ConvExplorer", "changed", changed, f"it must be one of {', '.join(names)}")
    if s.kind not in KINDS:
        raise fail("ConvExplorer", "kind", s.kind, _one_of(KINDS), "use 'conv' for Conv2D")
    if s.padding not in PADDINGS:
        raise fail("ConvExplorer", "padding", s.padding, _one_of(PADDINGS), "use 'same' to keep the size")
    notes: list[str] = []
    clamped = {name: _clamp(int(getattr(s, name)), b) for name, b in BOUNDS.items()}
    s = replace(s, kind=Family(s.kind), padding=Padding(s.padding), bias=bool(s.bias), **clamped)

    if s.stride > 1 and s.dilation > 1:
        if changed == "dilation":
            notes.append(f"stride set to 1: Keras refuses stride > 1 together with dilation {s.dilation}.")
            s = replace(s, stride=1)
        else:
            notes.append(f"dilation set to 1: Keras refuses dilation > 1 together with stride {s.stride}.")
            s = replace(s, dilation=1)

    if s.padding == Padding.VALID and effective_kernel(s.kernel_size, s.dilation) > s.input_size:
        if changed == "input_size":
            # The input is what the user wants: shrink the dilation, then the kernel, until it fits.
            d = max(1, min(s.dilation, (s.input_size - 1) // max(s.kernel_size - 1, 1)))
            k = min(s.kernel_size, (s.input_size - 1) // d + 1)
            if d != s.dilation:
                notes.append(f"dilation lowered to {d} so the kernel fits the {s.input_size}-pixel input.")
            if k != s.kernel_size:
                notes.append(f"kernel size lowered to {k} so it fits the {s.input_size}-pixel input.")
            s = replace(s, dilation=d, kernel_size=k)
        else:
            # The input size never changes the count, so it gives way.
            n = effective_kernel(s.kernel_size, s.dilation)
            notes.append(
                f"input size raised to {n}: with padding 'valid' the "
                f"{'dilated ' if s.dilation > 1 else ''}kernel ({n} pixels wide) must fit in the input."
            )
            s = replace(s, input_size=n)

    options = common_divisors(s.in_channels, s.filters) if s.kind == Family.CONV else (1,)
    if s.groups not in options:
        g = max(o for o in options if o <= s.groups) if s.groups > 0 else 1
        if s.kind == Family.CONV:
            notes.append(
                f"groups lowered from {s.groups} to {g}: groups must divide both "
                f"{s.in_channels} input channels and {s.filters} filters."
            )
        s = replace(s, groups=g)
    return s, tuple(notes)


def to_layer(s: ConvSettings) -> Layer:
    """Return the Keras-dialect layer that ``s`` describes.

    Parameters
    ----------
    s : ConvSettings
        The configuration.

    Returns
    -------
    Layer
        A :class:`~convwidget.layers.Conv2D`, :class:`~convwidget.layers.DepthwiseConv2D`
        or :class:`~convwidget.layers.SeparableConv2D`.
    """
    k, pad = (s.kernel_size, s.kernel_size), str(s.padding)
    if s.kind == Family.DEPTHWISE:
        return DepthwiseConv2D(
            kernel_size=k,
            strides=s.stride,
            padding=pad,
            depth_multiplier=s.depth_multiplier,
            dilation_rate=s.dilation,
            use_bias=s.bias,
        )
    if s.kind == Family.SEPARABLE:
        return SeparableConv2D(
            s.filters,
            kernel_size=k,
            strides=s.stride,
            padding=pad,
            depth_multiplier=s.depth_multiplier,
            dilation_rate=s.dilation,
            use_bias=s.bias,
        )
    return Conv2D(
        s.filters,
        kernel_size=k,
        strides=s.stride,
        padding=pad,
        dilation_rate=s.dilation,
        groups=s.groups,
        use_bias=s.bias,
    )


def input_shape(s: ConvSettings) -> tuple[int, int, int]:
    """Return the channels-last input shape ``(n, n, Cin)`` of ``s``."""
    return (s.input_size, s.input_size, s.in_channels)


def describe(s: ConvSettings) -> LayerInfo:
    """Return ``to_layer(s).describe(input_shape(s))``: the core's count, shapes and formula."""
    return to_layer(s).describe(input_shape(s))


# Presets, in the order the explorer offers them. The input sizes are the
# layers' real ones: 26×26×32 is MNIST conv 1's output, 227×227×3 AlexNet's
# input, 56×56×256 a ResNet-50 bottleneck's, 112×112×32 MobileNet's first
# depthwise layer's.
PRESETS: dict[str, ConvSettings] = {
    "MNIST conv 1": ConvSettings(kernel_size=3, in_channels=1, filters=32, input_size=28),
    "MNIST conv 2": ConvSettings(kernel_size=3, in_channels=32, filters=63, input_size=26),
    "AlexNet conv1": ConvSettings(kernel_size=11, in_channels=3, filters=96, stride=4, input_size=227),
    "1×1 conv": ConvSettings(kernel_size=1, in_channels=256, filters=64, input_size=56),
    "depthwise": ConvSettings(
        kind=Family.DEPTHWISE, kernel_size=3, in_channels=32, filters=32, padding=Padding.SAME, input_size=112
    ),
    "separable": ConvSettings(
        kind=Family.SEPARABLE, kernel_size=3, in_channels=32, filters=64, padding=Padding.SAME, input_size=112
    ),
}
