"""Weight counts, formulas and weight layouts shared by both dialects.

Each function takes the geometry of one kind of layer and returns its
formula (:class:`Terms`) and its weights in Keras' and in PyTorch's layout,
so the dialects differ only in names, defaults and shape rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .formula import Expr, Factor, Product, Sum, Terms
from .info import Shape

__all__ = [
    "NO_WEIGHTS",
    "Counted",
    "batchnorm_counts",
    "conv_counts",
    "dense_counts",
    "depthwise_counts",
    "embedding_counts",
    "layernorm_counts",
    "separable_counts",
    "transpose_counts",
]

NO_WEIGHTS = Terms(Factor("no weights", 0, "0"))

_AXIS_NAMES = {
    1: ("kernel length",),
    2: ("kernel height", "kernel width"),
    3: ("kernel depth", "kernel height", "kernel width"),
}
_AXIS_SYMBOLS = {1: ("F",), 2: ("Fh", "Fw"), 3: ("Fd", "Fh", "Fw")}
_BIAS = Factor("bias", 1, "1")


@dataclass(frozen=True)
class Counted:
    """A layer's formula and its weights in both frameworks' layouts."""

    terms: Terms
    keras: dict[str, Shape]
    torch: dict[str, Shape]


def _kernel_factors(kernel_size: Shape) -> list[Factor]:
    names = _AXIS_NAMES.get(len(kernel_size), tuple(f"kernel axis {i}" for i in range(len(kernel_size))))
    symbols = _AXIS_SYMBOLS.get(len(kernel_size), tuple(f"F{i}" for i in range(len(kernel_size))))
    return [Factor(n, k, s) for n, k, s in zip(names, kernel_size, symbols)]


def _with_bias(weights: Sequence[Expr], bias: bool) -> Product | Sum:
    core = Product(tuple(weights))
    return Sum((core, _BIAS)) if bias else core


def _kernel_and_bias(terms: Terms, kernel: Shape, weight: Shape, bias: int | None) -> Counted:
    """One kernel (Keras ``kernel``, PyTorch ``weight``) and, unless ``bias`` is None, ``bias`` biases."""
    keras: dict[str, Shape] = {"kernel": kernel}
    torch: dict[str, Shape] = {"weight": weight}
    if bias is not None:
        keras["bias"] = torch["bias"] = (bias,)
    return Counted(terms, keras, torch)


def _scale_offset(shape: Shape, scale: bool, offset: bool) -> tuple[dict[str, Shape], dict[str, Shape]]:
    """A norm's γ (Keras ``gamma``, PyTorch ``weight``) and β (``beta``, ``bias``), each of ``shape``."""
    keras: dict[str, Shape] = {}
    torch: dict[str, Shape] = {}
    if scale:
        keras["gamma"] = torch["weight"] = shape
    if offset:
        keras["beta"] = torch["bias"] = shape
    return keras, torch


def _one_per(kept: Sequence[Factor]) -> Expr:
    """What a norm keeps per channel or feature: ``1 + 1`` for γ and β, ``1`` for one of them."""
    return Sum(tuple(kept)) if len(kept) > 1 else kept[0]


def conv_counts(kernel_size: Shape, in_channels: int, out_channels: int, groups: int, bias: bool) -> Counted:
    """Counts of a convolution: ``(Fh·Fw·Cin/groups + 1)·Cout``."""
    cin_g = in_channels // groups
    cin_name = "input channels per group" if groups > 1 else "input channels"
    per_kernel = [*_kernel_factors(kernel_size), Factor(cin_name, cin_g, "Cin/g" if groups > 1 else "Cin")]
    expr = Product((_with_bias(per_kernel, bias), Factor("output channels", out_channels, "Cout")))
    return _kernel_and_bias(
        Terms(expr),
        (*kernel_size, cin_g, out_channels),
        (out_channels, cin_g, *kernel_size),
        out_channels if bias else None,
    )


def transpose_counts(
    kernel_size: Shape, in_channels: int, out_channels: int, groups: int, bias: bool
) -> Counted:
    """Counts of a transposed convolution: ``(Fh·Fw·Cin/groups + 1)·Cout``, laid out differently.

    Keras stores the kernel as ``(*k, Cout, Cin)``; PyTorch as ``(Cin, Cout/groups, *k)``.
    """
    return _kernel_and_bias(
        conv_counts(kernel_size, in_channels, out_channels, groups, bias).terms,
        (*kernel_size, out_channels // groups, in_channels),
        (in_channels, out_channels // groups, *kernel_size),
        out_channels if bias else None,
    )


def depthwise_counts(kernel_size: Shape, in_channels: int, depth_multiplier: int, bias: bool) -> Counted:
    """Counts of a depthwise convolution: ``(Fh·Fw + 1)·Cin·depth_multiplier``.

    Each input channel gets its own ``depth_multiplier`` kernels of one slice
    each; PyTorch writes it as a Conv2d with ``groups=Cin``.
    """
    out = in_channels * depth_multiplier
    expr = Product(
        (
            _with_bias(_kernel_factors(kernel_size), bias),
            Factor("input channels", in_channels, "Cin"),
            Factor("depth multiplier", depth_multiplier, "dm"),
        )
    )
    return _kernel_and_bias(
        Terms(expr),
        (*kernel_size, in_channels, depth_multiplier),
        (out, 1, *kernel_size),
        out if bias else None,
    )


def separable_counts(
    kernel_size: Shape, in_channels: int, depth_multiplier: int, filters: int, bias: bool
) -> Counted:
    """Counts of a separable convolution: ``Fh·Fw·Cin·dm + (Cin·dm + 1)·Cout``.

    A depthwise stage without bias, then a 1×1 convolution with the bias.
    """
    mid = in_channels * depth_multiplier
    depthwise = Product(
        (
            *_kernel_factors(kernel_size),
            Factor("input channels", in_channels, "Cin"),
            Factor("depth multiplier", depth_multiplier, "dm"),
        )
    )
    pointwise = Product(
        (
            _with_bias([Factor("depthwise channels", mid, "Cin·dm")], bias),
            Factor("output channels", filters, "Cout"),
        )
    )
    ones = (1,) * len(kernel_size)
    keras = {
        "depthwise_kernel": (*kernel_size, in_channels, depth_multiplier),
        "pointwise_kernel": (*ones, mid, filters),
    }
    torch = {"depthwise.weight": (mid, 1, *kernel_size), "pointwise.weight": (filters, mid, *ones)}
    if bias:
        keras["bias"] = (filters,)
        torch["pointwise.bias"] = (filters,)
    return Counted(Terms(Sum((depthwise, pointwise))), keras, torch)


def dense_counts(in_features: int, units: int, bias: bool) -> Counted:
    """Counts of a dense layer: ``(in + 1)·units``."""
    expr = Product(
        (_with_bias([Factor("input features", in_features, "in")], bias), Factor("units", units, "units"))
    )
    return _kernel_and_bias(Terms(expr), (in_features, units), (units, in_features), units if bias else None)


def batchnorm_counts(channels: int, center: bool, scale: bool, moving_stats: bool) -> Counted:
    """Counts of batch normalization: one value per channel for each vector it keeps.

    Keras counts four vectors (γ, β, moving mean, moving variance); PyTorch
    counts γ and β as parameters and keeps the running statistics as buffers
    (``moving_stats=False`` leaves those out of the formula).
    """
    vectors = [
        ("scale γ", scale),
        ("offset β", center),
        ("moving mean", moving_stats),
        ("moving variance", moving_stats),
    ]
    kept = [Factor(n, 1, "1") for n, on in vectors if on]
    channels_f = Factor("channels", channels, "C")
    if not kept:
        return Counted(NO_WEIGHTS, {}, {})
    expr = Product((_one_per(kept), channels_f))
    keras, torch = _scale_offset((channels,), scale, center)
    if moving_stats:
        keras["moving_mean"] = keras["moving_variance"] = (channels,)
    return Counted(Terms(expr), keras, torch)


def layernorm_counts(shape: Shape, gamma: bool, beta: bool) -> Counted:
    """Counts of layer normalization: γ and β, each the shape of the normalized axes."""
    size = 1
    for d in shape:
        size *= d
    kept = [Factor(n, 1, "1") for n, on in (("scale γ", gamma), ("offset β", beta)) if on]
    if not kept:
        return Counted(NO_WEIGHTS, {}, {})
    expr = Product((_one_per(kept), Factor("normalized features", size, "N")))
    keras, torch = _scale_offset(tuple(shape), gamma, beta)
    return Counted(Terms(expr), keras, torch)


def embedding_counts(input_dim: int, output_dim: int) -> Counted:
    """Counts of an embedding table: ``vocabulary·dimension``."""
    expr = Product((Factor("vocabulary size", input_dim, "V"), Factor("embedding size", output_dim, "D")))
    return Counted(Terms(expr), {"embeddings": (input_dim, output_dim)}, {"weight": (input_dim, output_dim)})
