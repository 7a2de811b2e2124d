"""The PyTorch dialect: modules built with ``torch.nn``'s arguments, counted without PyTorch.

Shapes are channels_first and never include the batch axis, so ``Conv2d``
takes ``(C, H, W)``::

    >>> from convwidget import nn
    >>> nn.Conv2d(32, 63, 3).describe((32, 26, 26)).terms.text
    '(3·3·32 + 1)·63 = 18,207'

Every argument keeps its PyTorch meaning and default. Impossible arguments
raise :class:`~convwidget.ConfigError` when the module is built; a mismatch
with the input raises it from :meth:`Module.describe`. Where PyTorch and
Keras disagree (BatchNorm counts, 'same' padding with a stride, transposed
output sizes, weight layouts, Flatten's element order),
:mod:`convwidget.compare` says how.

Deliberate refusals, although PyTorch would build and run them: zero-size
outputs (``out_channels=0``, ``out_features=0``, ``embedding_dim=0``,
``output_size=0``), ``Flatten(start_dim=0)`` (it merges the batch axis, which
our shapes leave out), a BatchNorm whose ``num_features`` differs from the
input's channels (PyTorch only notices when it keeps γ, β or running
statistics), and inputs of the wrong rank (PyTorch would read the batch axis
of an unbatched input as channels).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, ClassVar

from . import _arith
from ._checks import _is_int, bool_arg, fail, int_arg, int_tuple
from ._counting import (
    batchnorm_counts,
    conv_counts,
    dense_counts,
    embedding_counts,
    layernorm_counts,
    transpose_counts,
)
from ._describe import NOTHING, Computed, DescribedLayer
from .enums import Dialect, Layout
from .errors import ConfigError
from .info import KernelGeometry, Shape

__all__ = [
    "ELU",
    "GELU",
    "SELU",
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Dropout",
    "Embedding",
    "Flatten",
    "Hardswish",
    "Identity",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MaxPool2d",
    "Mish",
    "Module",
    "ReLU",
    "ReLU6",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
]

# Keyword arguments every torch.nn module with weights accepts that change neither a count nor a shape.
_FACTORY_KWARGS = frozenset(["device", "dtype"])
_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _number(layer: str, arg: str, value: Any, low: float, high: float | None = None) -> float:
    """Return ``value`` as a float in ``[low, high]``; bools are refused (they are flags, not numbers)."""
    rng = f"a number >= {low}" if high is None else f"a number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise fail(layer, arg, value, f"it must be {rng}")
    if value < low or (high is not None and value > high):
        raise fail(layer, arg, value, f"it must be {rng}")
    return float(value)


def _out_size(layer: str, arg: str, value: Any) -> int:
    """An output size: PyTorch accepts 0 and builds an empty layer; we refuse it on purpose."""
    if _is_int(value) and value == 0:
        raise fail(
            layer,
            arg,
            value,
            "it must be an integer >= 1 (PyTorch builds a zero-size layer, which only ever means a mistake)",
        )
    return int_arg(layer, arg, value)


def _tuple_repr(values: Sequence[Any]) -> str:
    return "(" + ", ".join(repr(v) for v in values) + ("," if len(values) == 1 else "") + ")"


class Module(DescribedLayer):
    """Base of every PyTorch-dialect module.

    Subclasses mirror one ``torch.nn`` class each: same positional order,
    same keyword names and defaults. ``device`` and ``dtype`` are accepted
    and ignored, as they change no count.

    Attributes
    ----------
    dialect : Dialect
        ``"torch"`` (``"keras"`` for :mod:`convwidget.layers`), for summary code.
    torch_class : str
        The ``torch.nn`` class this module mirrors, e.g. ``"Conv2d"``.
    name : str or None
        Set by a model (PyTorch names children ``"0"``, ``"1"``… in a Sequential).
    """

    dialect = Dialect.TORCH
    _too_small_fix = "use a larger input, a smaller kernel or more padding"

    def __init__(self, *, _allowed: frozenset[str] = _FACTORY_KWARGS, **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - _allowed)
        if unknown:
            raise ConfigError(
                f"{type(self).__name__}: unknown argument(s) {', '.join(unknown)}; "
                f"use the argument names of torch.nn.{type(self).__name__}."
            )
        self.name: str | None = None

    @property
    def torch_class(self) -> str:
        """The mirrored ``torch.nn`` class name."""
        return type(self).__name__

    @property
    def _label(self) -> str:
        return f"{type(self).__name__} '{self.name}'" if self.name else f"nn.{type(self).__name__}"

    def _layout(self, shape: Shape) -> Layout:
        return Layout.CHANNELS_LAST if self.kind.features_last else Layout.CHANNELS_FIRST

    def extra_repr(self) -> str:
        """The arguments as PyTorch prints them inside ``Name(...)``."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


def _check_rank(layer: str, shape: Shape, ranks: Sequence[int], layout: str) -> None:
    if len(shape) not in ranks:
        want = " or ".join(str(r) for r in ranks)
        raise fail(
            layer,
            "input_shape",
            shape,
            f"it must have rank {want} {layout} without the batch axis, not rank {len(shape)}",
        )


def _check_channels(layer: str, shape: Shape, arg: str, expected: int) -> None:
    if shape[0] != expected:
        raise fail(
            layer,
            "input_shape",
            shape,
            f"its first (channel) axis must be {arg}={expected}, not {shape[0]} (shapes are channels first)",
            f"set {arg}={shape[0]} or feed {expected} channels",
        )


def _spatial_layout(rank: int) -> str:
    return "(channels, " + ", ".join(["spatial"] * rank) + ")"


class _ConvBase(Module):
    rank: ClassVar[int] = 2

    def _common(
        self,
        in_channels: Any,
        out_channels: Any,
        kernel_size: Any,
        stride: Any,
        dilation: Any,
        groups: Any,
        bias: Any,
    ) -> None:
        label = self._label
        self.in_channels = int_arg(label, "in_channels", in_channels)
        self.out_channels = _out_size(label, "out_channels", out_channels)
        self.kernel_size = int_tuple(label, "kernel_size", kernel_size, self.rank)
        self.stride = int_tuple(label, "stride", stride, self.rank)
        self.dilation = int_tuple(label, "dilation", dilation, self.rank)
        self.groups = int_arg(label, "groups", groups)
        self.bias = bool_arg(label, "bias", bias)
        for arg, value in (("in_channels", self.in_channels), ("out_channels", self.out_channels)):
            if value % self.groups:
                raise fail(
                    label,
                    "groups",
                    groups,
                    f"{arg} ({value}) must be divisible by groups",
                    f"use a divisor of both in_channels={self.in_channels} and "
                    f"out_channels={self.out_channels}",
                )

    def _input(self, shape: Shape) -> Shape:
        _check_rank(self._label, shape, (self.rank + 1,), _spatial_layout(self.rank))
        _check_channels(self._label, shape, "in_channels", self.in_channels)
        return shape[1:]


class _ConvNd(_ConvBase):
    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        padding: str | int | Sequence[int] = 0,
        dilation: int | Sequence[int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._common(in_channels, out_channels, kernel_size, stride, dilation, groups, bias)
        label = self._label
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise fail(label, "padding", padding, "a string padding must be 'same' or 'valid'")
            if padding == "same" and max(self.stride) > 1:
                raise fail(
                    label,
                    "padding",
                    padding,
                    f"PyTorch refuses padding='same' for strided convolutions (stride={self.stride})",
                    "use stride=1, or an explicit padding such as kernel_size // 2 (Keras' 'same' "
                    "with a stride gives ⌈n/s⌉, which that only matches for odd kernels)",
                )
            self.padding: str | tuple[int, ...] = padding
        else:
            self.padding = int_tuple(label, "padding", padding, self.rank, minimum=0)
        if padding_mode not in _PADDING_MODES:
            raise fail(
                label,
                "padding_mode",
                padding_mode,
                "it must be one of " + ", ".join(map(repr, _PADDING_MODES)),
            )
        self.padding_mode = padding_mode

    def pads(self) -> tuple[tuple[int, int], ...]:
        """Padding (before, after) per spatial axis, as PyTorch applies it.

        'same' pads ``d·(k − 1)`` in total, the odd cell after, as PyTorch does.
        """
        if self.padding == "valid":
            return ((0, 0),) * self.rank
        if self.padding == "same":
            out = []
            for k, d in zip(self.kernel_size, self.dilation):
                total = d * (k - 1)
                out.append((total // 2, total - total // 2))
            return tuple(out)
        return tuple((p, p) for p in self.padding)

    def _compute(self, shape: Shape) -> Computed:
        label = self._label
        spatial = self._input(shape)
        pads = self.pads()
        if self.padding_mode in ("reflect", "circular"):
            # reflect mirrors without repeating the edge, so it needs pad < n; circular may wrap once.
            for n, (a, b) in zip(spatial, pads):
                limit_ok = max(a, b) < n if self.padding_mode == "reflect" else max(a, b) <= n
                if not limit_ok:
                    bound = "smaller than" if self.padding_mode == "reflect" else "at most"
                    raise fail(
                        label,
                        "padding",
                        self.padding,
                        f"with padding_mode={self.padding_mode!r} each side's padding ({max(a, b)}) must be "
                        f"{bound} the input's spatial size {tuple(spatial)}",
                        "use less padding or padding_mode='zeros'",
                    )
        out = []
        for n, k, s, d, (a, b) in zip(spatial, self.kernel_size, self.stride, self.dilation, pads):
            span = _arith.effective_kernel(k, d)
            if span > n + a + b:
                what = "dilated kernel" if d > 1 else "kernel"
                raise fail(
                    label,
                    "kernel_size",
                    self.kernel_size if self.rank > 1 else k,
                    f"the {what} ({span}) must fit in the padded input ({n} + {a + b} = {n + a + b})",
                    "use a smaller kernel, more padding or a larger input",
                )
            out.append(_arith.torch_conv_length(n, k, s, a + b, d))
        counted = conv_counts(self.kernel_size, self.in_channels, self.out_channels, self.groups, self.bias)
        geometry = KernelGeometry(
            self.kind.family, self.kernel_size, self.in_channels, self.out_channels, self.groups, self.bias
        )
        return Computed((self.out_channels, *out), counted, geometry)

    def extra_repr(self) -> str:
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={_tuple_repr(self.kernel_size)}, "
            f"stride={_tuple_repr(self.stride)}"
        )
        if self.padding != (0,) * self.rank:
            s += (
                f", padding={self.padding!r}"
                if isinstance(self.padding, str)
                else (f", padding={_tuple_repr(self.padding)}")
            )
        if self.dilation != (1,) * self.rank:
            s += f", dilation={_tuple_repr(self.dilation)}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if not self.bias:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd):
    """1-D convolution, as ``torch.nn.Conv1d``; input ``(C, L)``.

    Each of the ``out_channels`` kernels is ``k×(Cin/groups)`` plus one bias.
    The weight is stored as ``(Cout, Cin/groups, k)``; Keras' Conv1D stores
    ``(k, Cin/groups, Cout)``.
    """

    rank = 1


class Conv2d(_ConvNd):
    """2-D convolution, as ``torch.nn.Conv2d``; input ``(C, H, W)``.

    Each of the ``out_channels`` kernels is ``kh×kw×(Cin/groups)`` plus one
    bias: ``(kh·kw·Cin/groups + 1)·Cout`` parameters, the same count as
    Keras' Conv2D. Differences from Keras: the weight is ``(Cout, Cin/groups,
    kh, kw)`` (Keras: ``(kh, kw, Cin/groups, Cout)``); ``padding`` may be an
    int, and 'same' is refused with a stride (Keras gives ``⌈n/s⌉``);
    stride and dilation may both exceed 1 (Keras refuses).
    """

    rank = 2


class Conv3d(_ConvNd):
    """3-D convolution, as ``torch.nn.Conv3d``; input ``(C, D, H, W)``; weight ``(Cout, Cin/g, *k)``."""

    rank = 3


class _ConvTransposeNd(_ConvBase):
    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        output_padding: int | Sequence[int] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | Sequence[int] = 1,
        padding_mode: str = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._common(in_channels, out_channels, kernel_size, stride, dilation, groups, bias)
        label = self._label
        if padding_mode != "zeros":
            raise fail(
                label, "padding_mode", padding_mode, f"PyTorch's {type(self).__name__} supports only 'zeros'"
            )
        self.padding_mode = padding_mode
        if isinstance(padding, str):
            raise fail(
                label,
                "padding",
                padding,
                "a transposed convolution takes integer padding only ('same' and 'valid' are refused)",
                "use padding=0 and output_padding to size the output",
            )
        self.padding = int_tuple(label, "padding", padding, self.rank, minimum=0)
        self.output_padding = int_tuple(label, "output_padding", output_padding, self.rank, minimum=0)
        for op, s, d in zip(self.output_padding, self.stride, self.dilation):
            if op >= s and op >= d:
                raise fail(
                    label,
                    "output_padding",
                    self.output_padding if self.rank > 1 else op,
                    f"each entry must be smaller than either the stride ({self.stride}) or the "
                    f"dilation ({self.dilation})",
                    "use 0 ≤ output_padding < max(stride, dilation)",
                )

    def _compute(self, shape: Shape) -> Computed:
        spatial = self._input(shape)
        out = [
            _arith.torch_deconv_length(n, k, s, p, op, d)
            for n, k, s, p, op, d in zip(
                spatial, self.kernel_size, self.stride, self.padding, self.output_padding, self.dilation
            )
        ]
        if any(o < 1 for o in out):
            raise fail(
                self._label,
                "padding",
                self.padding if self.rank > 1 else self.padding[0],
                f"the output size would be {tuple(out)}: (n − 1)·stride − 2·padding + dilation·(k − 1) "
                "+ output_padding + 1 must be >= 1",
                "use less padding or a larger input",
            )
        counted = transpose_counts(
            self.kernel_size, self.in_channels, self.out_channels, self.groups, self.bias
        )
        geometry = KernelGeometry(
            self.kind.family, self.kernel_size, self.in_channels, self.out_channels, self.groups, self.bias
        )
        return Computed((self.out_channels, *out), counted, geometry)

    def extra_repr(self) -> str:
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={_tuple_repr(self.kernel_size)}, "
            f"stride={_tuple_repr(self.stride)}"
        )
        zero = (0,) * self.rank
        if self.padding != zero:
            s += f", padding={_tuple_repr(self.padding)}"
        if self.output_padding != zero:
            s += f", output_padding={_tuple_repr(self.output_padding)}"
        if self.dilation != (1,) * self.rank:
            s += f", dilation={_tuple_repr(self.dilation)}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if not self.bias:
            s += ", bias=False"
        return s


class ConvTranspose1d(_ConvTransposeNd):
    """1-D transposed convolution, as ``torch.nn.ConvTranspose1d``; input ``(C, L)``.

    Output length ``(n − 1)·s − 2·p + d·(k − 1) + output_padding + 1``; Keras
    with ``output_padding`` unset gives ``(n − 1)·s + max(k, s)`` instead.
    """

    rank = 1


class ConvTranspose2d(_ConvTransposeNd):
    """2-D transposed convolution, as ``torch.nn.ConvTranspose2d``; input ``(C, H, W)``.

    The weight is ``(Cin, Cout/groups, kh, kw)`` — input channels first, unlike
    Conv2d — and Keras' is ``(kh, kw, Cout, Cin)``; the count is
    ``(kh·kw·Cin/groups + 1)·Cout`` either way. Output size per axis is
    ``(n − 1)·s − 2·p + d·(k − 1) + output_padding + 1``; with
    ``output_padding`` unset Keras gives ``(n − 1)·s + max(k, s)`` ('valid')
    or ``n·s`` ('same'), so the two differ when the kernel is smaller than
    the stride.
    """

    rank = 2


class ConvTranspose3d(_ConvTransposeNd):
    """3-D transposed convolution, as ``torch.nn.ConvTranspose3d``; input ``(C, D, H, W)``."""

    rank = 3


class Linear(Module):
    """Fully connected layer, as ``torch.nn.Linear``: ``(in_features + 1)·out_features`` parameters.

    It acts on the last axis of an input of any rank. The weight is
    ``(out_features, in_features)``, the transpose of Keras' Dense kernel.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.in_features = int_arg(self._label, "in_features", in_features)
        self.out_features = _out_size(self._label, "out_features", out_features)
        self.bias = bool_arg(self._label, "bias", bias)

    def _compute(self, shape: Shape) -> Computed:
        if shape[-1] != self.in_features:
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"its last axis must be in_features={self.in_features}, not {shape[-1]}",
                f"set in_features={shape[-1]}",
            )
        counted = dense_counts(self.in_features, self.out_features, self.bias)
        geometry = KernelGeometry(self.kind.family, (), self.in_features, self.out_features, 1, self.bias)
        return Computed((*shape[:-1], self.out_features), counted, geometry)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias}"


class _BatchNorm(Module):
    ranks: ClassVar[tuple[int, ...]] = (3,)
    layout: ClassVar[str] = "(C, H, W)"

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.num_features = int_arg(label, "num_features", num_features)
        self.eps = _number(label, "eps", eps, 0.0)
        self.momentum = None if momentum is None else _number(label, "momentum", momentum, 0.0, 1.0)
        self.affine = bool_arg(label, "affine", affine)
        self.track_running_stats = bool_arg(label, "track_running_stats", track_running_stats)

    def _compute(self, shape: Shape) -> Computed:
        _check_rank(self._label, shape, self.ranks, self.layout)
        _check_channels(self._label, shape, "num_features", self.num_features)
        c = self.num_features
        counted = batchnorm_counts(c, self.affine, self.affine, moving_stats=False)
        buffers: dict[str, Shape] = {}
        if self.track_running_stats:
            buffers = {"running_mean": (c,), "running_var": (c,), "num_batches_tracked": ()}
        return Computed(shape, counted, None, buffers)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization, as ``torch.nn.BatchNorm1d``; input ``(C,)`` or ``(C, L)``.

    See :class:`BatchNorm2d` for the counts. (PyTorch refuses a batch of one
    ``(C,)`` vector in training mode; shapes here leave the batch out.)
    """

    ranks = (1, 2)
    layout = "(C,) or (C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalization, as ``torch.nn.BatchNorm2d``; input ``(C, H, W)``.

    PyTorch counts ``2·C`` parameters (γ ``weight`` and β ``bias``, none with
    ``affine=False``) and keeps ``running_mean``, ``running_var`` (``C`` each)
    and the scalar ``num_batches_tracked`` as buffers, ``2·C + 1`` elements
    that are not parameters. Keras' BatchNormalization counts ``4·C``
    parameters instead, ``2·C`` of them non-trainable (its moving statistics).
    """

    ranks = (3,)
    layout = "(C, H, W)"


class BatchNorm3d(_BatchNorm):
    """Batch normalization, as ``torch.nn.BatchNorm3d``; input ``(C, D, H, W)``; counts as BatchNorm2d."""

    ranks = (4,)
    layout = "(C, D, H, W)"


class LayerNorm(Module):
    """Layer normalization, as ``torch.nn.LayerNorm`` over the last axes, ``normalized_shape``.

    γ (``weight``) and β (``bias``) each have shape ``normalized_shape``;
    ``elementwise_affine=False`` drops both, ``bias=False`` drops β.
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        if _is_int(normalized_shape):
            normalized_shape = (normalized_shape,)
        if (
            not isinstance(normalized_shape, Sequence)
            or isinstance(normalized_shape, str)
            or not normalized_shape
        ):
            raise fail(
                label, "normalized_shape", normalized_shape, "it must be an int or a tuple of ints >= 1"
            )
        self.normalized_shape = int_tuple(
            label, "normalized_shape", normalized_shape, len(normalized_shape), minimum=1
        )
        self.eps = _number(label, "eps", eps, 0.0)
        self.elementwise_affine = bool_arg(label, "elementwise_affine", elementwise_affine)
        self.bias = bool_arg(label, "bias", bias)

    def _compute(self, shape: Shape) -> Computed:
        k = len(self.normalized_shape)
        if len(shape) < k or shape[-k:] != self.normalized_shape:
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"its last {k} axes must be normalized_shape={self.normalized_shape}",
            )
        counted = layernorm_counts(
            self.normalized_shape, self.elementwise_affine, self.elementwise_affine and self.bias
        )
        return Computed(shape, counted)

    def extra_repr(self) -> str:
        shape = _tuple_repr(self.normalized_shape)
        return f"{shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class _Pool2d(Module):
    def _pool_args(self, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: Any) -> None:
        label = self._label
        self.kernel_size = int_tuple(label, "kernel_size", kernel_size, 2)
        self.stride = self.kernel_size if stride is None else int_tuple(label, "stride", stride, 2)
        self.padding = int_tuple(label, "padding", padding, 2, minimum=0)
        self.dilation = int_tuple(label, "dilation", dilation, 2)
        self.ceil_mode = bool_arg(label, "ceil_mode", ceil_mode)
        for p, k in zip(self.padding, self.kernel_size):
            # PyTorch checks pad <= k/2 against the undilated kernel (and the dilated one, which is larger).
            if 2 * p > k:
                raise fail(
                    label,
                    "padding",
                    self.padding,
                    f"PyTorch pads pooling by at most half the kernel size (kernel_size={self.kernel_size})",
                    "use padding <= kernel_size // 2",
                )

    def _compute(self, shape: Shape) -> Computed:
        _check_rank(self._label, shape, (3,), "(C, H, W)")
        out = [
            _arith.torch_pool_length(n, k, s, p, d, self.ceil_mode)
            for n, k, s, p, d in zip(shape[1:], self.kernel_size, self.stride, self.padding, self.dilation)
        ]
        if any(o < 1 for o in out):
            raise fail(
                self._label,
                "kernel_size",
                self.kernel_size,
                f"the pooled size would be {tuple(out)}; the window must fit in the padded input "
                f"{shape[1:]} plus padding {self.padding}",
                "use a smaller kernel, more padding or a larger input",
            )
        return Computed((shape[0], *out), NOTHING)


class MaxPool2d(_Pool2d):
    """2-D max pooling, as ``torch.nn.MaxPool2d``; ``stride`` defaults to ``kernel_size``.

    Output ``⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1`` (``⌈…⌉`` with ``ceil_mode``, a
    last window that would start in the right padding dropped); padding at
    most half the kernel. Keras pools only 'valid' or 'same' (``⌈n/s⌉``).
    """

    def __init__(
        self,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] | None = None,
        padding: int | Sequence[int] = 0,
        dilation: int | Sequence[int] = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self._pool_args(kernel_size, stride, padding, dilation, ceil_mode)
        self.return_indices = bool_arg(self._label, "return_indices", return_indices)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={_tuple_repr(self.kernel_size)}, stride={_tuple_repr(self.stride)}, "
            f"padding={_tuple_repr(self.padding)}, dilation={_tuple_repr(self.dilation)}, "
            f"ceil_mode={self.ceil_mode}"
        )


class AvgPool2d(_Pool2d):
    """2-D average pooling, as ``torch.nn.AvgPool2d``; output as MaxPool2d without dilation.

    ``count_include_pad`` and ``divisor_override`` change the values, not the shape.
    """

    def __init__(
        self,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] | None = None,
        padding: int | Sequence[int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self._pool_args(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = bool_arg(self._label, "count_include_pad", count_include_pad)
        self.divisor_override = (
            None if divisor_override is None else int_arg(self._label, "divisor_override", divisor_override)
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={_tuple_repr(self.kernel_size)}, stride={_tuple_repr(self.stride)}, "
            f"padding={_tuple_repr(self.padding)}"
        )


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed size, as ``torch.nn.AdaptiveAvgPool2d``; input ``(C, H, W)``.

    ``output_size`` is an int or ``(h, w)``; a ``None`` entry keeps that
    input axis. ``AdaptiveAvgPool2d(1)`` is Keras'
    ``GlobalAveragePooling2D(keepdims=True)``.
    """

    def __init__(self, output_size: int | Sequence[int | None], **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        label = self._label
        valid = "it must be an int >= 1 or a tuple of 2 entries, each an int >= 1 or None"
        items = (output_size, output_size) if _is_int(output_size) else output_size
        if not isinstance(items, Sequence) or isinstance(items, str) or len(items) != 2:
            raise fail(label, "output_size", output_size, valid)
        for v in items:
            if v is not None and not (_is_int(v) and v >= 1):
                raise fail(label, "output_size", output_size, valid)
        self.output_size: tuple[int | None, ...] = tuple(items)

    def _compute(self, shape: Shape) -> Computed:
        _check_rank(self._label, shape, (3,), "(C, H, W)")
        out = [n if o is None else o for n, o in zip(shape[1:], self.output_size)]
        return Computed((shape[0], *out), NOTHING)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size!r}"


class Flatten(Module):
    """Flatten axes ``start_dim``..``end_dim``, as ``torch.nn.Flatten``.

    The dims count the batch axis, as in PyTorch: the default ``(1, -1)``
    flattens everything but the batch. ``start_dim=0`` (merging the batch
    axis) is refused, since shapes here leave the batch out. PyTorch flattens
    a channels-first ``(C, H, W)`` tensor in C, H, W order, Keras a
    channels_last one in H, W, C order: the same length, a different order, so
    the next Linear/Dense weights do not carry over without a permutation.
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1, **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        if not _is_int(start_dim):
            raise fail(self._label, "start_dim", start_dim, "it must be an integer")
        if not _is_int(end_dim):
            raise fail(self._label, "end_dim", end_dim, "it must be an integer")
        self.start_dim = int(start_dim)
        self.end_dim = int(end_dim)

    def _dim(self, arg: str, value: int, rank: int) -> int:
        if not -rank <= value < rank:
            raise fail(
                self._label,
                arg,
                value,
                f"with the batch axis the input has rank {rank}, so it must be in {-rank}..{rank - 1}",
            )
        return value % rank

    def _compute(self, shape: Shape) -> Computed:
        full = (1, *shape)
        rank = len(full)
        start = self._dim("start_dim", self.start_dim, rank)
        end = self._dim("end_dim", self.end_dim, rank)
        if start > end:
            raise fail(
                self._label,
                "start_dim",
                self.start_dim,
                f"start_dim (axis {start}) cannot come after end_dim (axis {end})",
            )
        if start == 0:
            raise fail(
                self._label,
                "start_dim",
                self.start_dim,
                "it must not be the batch axis 0: shapes here leave the batch out, and flattening it "
                "into the features only ever means a mistake",
                "use start_dim=1",
            )
        size = 1
        for d in full[start : end + 1]:
            size *= d
        out = (*full[1:start], size, *full[end + 1 :])
        return Computed(out, NOTHING)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """Dropout, as ``torch.nn.Dropout``: no weights, shape unchanged; ``p`` from 0 to 1."""

    def __init__(self, p: float = 0.5, inplace: bool = False, **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self.p = _number(self._label, "p", p, 0.0, 1.0)
        self.inplace = bool_arg(self._label, "inplace", inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Embedding(Module):
    """Embedding table, as ``torch.nn.Embedding``: ``num_embeddings·embedding_dim`` parameters.

    The input holds integer ids of any shape; the output appends
    ``embedding_dim``. ``padding_idx`` (``-num_embeddings`` up to
    ``num_embeddings − 1``) keeps its row out of the gradient but still counts
    it; ``max_norm`` renormalises rows and changes no count.
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.num_embeddings = int_arg(label, "num_embeddings", num_embeddings)
        self.embedding_dim = _out_size(label, "embedding_dim", embedding_dim)
        if padding_idx is not None:
            n = self.num_embeddings
            if not _is_int(padding_idx) or not -n <= padding_idx < n:
                raise fail(
                    label,
                    "padding_idx",
                    padding_idx,
                    f"it must be None or an integer from {-n} to {n - 1} (within num_embeddings={n})",
                )
        self.padding_idx = padding_idx
        self.max_norm = None if max_norm is None else _number(label, "max_norm", max_norm, 0.0)
        self.norm_type = _number(label, "norm_type", norm_type, 0.0)
        self.scale_grad_by_freq = bool_arg(label, "scale_grad_by_freq", scale_grad_by_freq)
        self.sparse = bool_arg(label, "sparse", sparse)

    def _compute(self, shape: Shape) -> Computed:
        counted = embedding_counts(self.num_embeddings, self.embedding_dim)
        return Computed((*shape, self.embedding_dim), counted)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        return s


class _Elementwise(Module):
    """A parameter-free activation: no weights, shape unchanged.

    Subclasses list torch's arguments, in torch's order, with their defaults in
    ``_defaults``; anything else is refused with a ConfigError, as torch refuses it.
    """

    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        label = f"nn.{type(self).__name__}"
        names = list(self._defaults)
        if len(args) > len(names):
            raise ConfigError(
                f"{label}: takes at most {len(names)} positional argument(s) "
                f"({', '.join(names) or 'none'}), got {len(args)}."
            )
        unknown = sorted(set(kwargs) - set(names))
        if unknown:
            raise ConfigError(
                f"{label}: unknown argument(s) {', '.join(unknown)}; "
                f"torch.nn.{type(self).__name__} takes {', '.join(names) or 'no arguments'}."
            )
        self.config = {**self._defaults, **dict(zip(names, args)), **kwargs}
        if "inplace" in self.config:
            bool_arg(label, "inplace", self.config["inplace"])

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self.config.items() if k != "inplace" or v)


class ReLU(_Elementwise):
    """``torch.nn.ReLU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class ReLU6(_Elementwise):
    """``torch.nn.ReLU6``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class LeakyReLU(_Elementwise):
    """``torch.nn.LeakyReLU``: no parameters (the slope is a fixed number, unlike PReLU's)."""

    _defaults: ClassVar[dict[str, Any]] = {"negative_slope": 0.01, "inplace": False}


class ELU(_Elementwise):
    """``torch.nn.ELU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"alpha": 1.0, "inplace": False}


class SELU(_Elementwise):
    """``torch.nn.SELU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class GELU(_Elementwise):
    """``torch.nn.GELU``: no parameters; ``approximate`` is 'none' or 'tanh'."""

    _defaults: ClassVar[dict[str, Any]] = {"approximate": "none"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.config["approximate"] not in ("none", "tanh"):
            raise fail("nn.GELU", "approximate", self.config["approximate"], "it must be 'none' or 'tanh'")


class SiLU(_Elementwise):
    """``torch.nn.SiLU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class Mish(_Elementwise):
    """``torch.nn.Mish``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class Hardswish(_Elementwise):
    """``torch.nn.Hardswish``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class Sigmoid(_Elementwise):
    """``torch.nn.Sigmoid``: no parameters."""


class Tanh(_Elementwise):
    """``torch.nn.Tanh``: no parameters."""


class Softplus(_Elementwise):
    """``torch.nn.Softplus``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"beta": 1.0, "threshold": 20.0}


class Identity(_Elementwise):
    """``torch.nn.Identity``: passes its input through; any arguments are ignored, as in PyTorch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()


class _SoftmaxBase(_Elementwise):
    _defaults: ClassVar[dict[str, Any]] = {"dim": None}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dim = self.config["dim"]
        if dim is not None and not _is_int(dim):
            raise fail(f"nn.{type(self).__name__}", "dim", dim, "it must be an integer or None")

    def _compute(self, shape: Shape) -> Computed:
        dim = self.config["dim"]
        rank = len(shape) + 1  # dim counts the batch axis, as in PyTorch
        if dim is not None and not -rank <= dim < rank:
            raise fail(
                self._label,
                "dim",
                dim,
                f"with the batch axis the input has rank {rank}, so it must be in {-rank}..{rank - 1}",
            )
        return Computed(shape, NOTHING)


class Softmax(_SoftmaxBase):
    """``torch.nn.Softmax``: no parameters; ``dim`` counts the batch axis."""


class LogSoftmax(_SoftmaxBase):
    """``torch.nn.LogSoftmax``: no parameters; ``dim`` counts the batch axis."""


# torch.nn.Sequential: the model class lives with the Keras Sequential in convwidget.model.
from .model import TorchSequential as Sequential  # noqa: E402 (after the classes it holds)
