"""Keras convolutions: Conv1D/2D/3D, their transposes, DepthwiseConv1D/2D and SeparableConv1D/2D."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .. import _arith
from .._checks import bool_arg, fail, int_arg, int_tuple
from .._counting import (
    Counted,
    conv_counts,
    depthwise_counts,
    separable_counts,
    transpose_counts,
)
from .._describe import Computed
from ..info import KernelGeometry, Shape
from ._base import (
    _CONV_KWARGS,
    _DEPTHWISE_KWARGS,
    Layer,
    _check_stride_dilation,
    _check_valid_fits,
    _data_format,
    _join,
    _padding,
    _split,
)

__all__ = [
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
]


class _Windowed(Layer):
    """A kernel sliding over ``rank`` spatial axes: the arguments and output lengths convolutions share."""

    rank: ClassVar[int] = 2
    paddings: ClassVar[tuple[str, ...]] = ("valid", "same")

    def _window_args(
        self,
        kernel_size: Any,
        strides: Any,
        padding: Any,
        data_format: Any,
        dilation_rate: Any,
        use_bias: Any,
    ) -> None:
        label = self._label
        self.kernel_size = int_tuple(label, "kernel_size", kernel_size, self.rank)
        self.strides = int_tuple(label, "strides", strides, self.rank)
        self.padding = _padding(label, padding, self.paddings)
        self.data_format = _data_format(label, data_format)
        self.dilation_rate = int_tuple(label, "dilation_rate", dilation_rate, self.rank)
        self.use_bias = bool_arg(label, "use_bias", use_bias)

    def _result(
        self,
        out: Sequence[int],
        counted: Counted,
        cin: int,
        cout: int,
        groups: int,
        depth_multiplier: int = 1,
    ) -> Computed:
        """The output in the layer's data format, the counts and the kernel geometry."""
        geometry = KernelGeometry(
            self.kind.family, self.kernel_size, cin, cout, groups, self.use_bias, depth_multiplier
        )
        return Computed(_join(out, cout, self.data_format), counted, geometry)

    def _spatial_out(self, spatial: Shape, what: str = "kernel") -> list[int]:
        """Keras' output lengths, after checking that a 'valid' window fits (``what`` names it)."""
        if self.padding == "valid":
            spans = [_arith.effective_kernel(k, d) for k, d in zip(self.kernel_size, self.dilation_rate)]
            _check_valid_fits(self._label, "kernel_size", spatial, spans, what)
        return [
            _arith.keras_conv_length(n, k, s, self.padding, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        ]


class _Conv(_Windowed):
    _kwargs = _CONV_KWARGS

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, **kwargs)
        label = self._label
        self.filters = int_arg(label, "filters", filters)
        self.groups = int_arg(label, "groups", groups)
        self._window_args(kernel_size, strides, padding, data_format, dilation_rate, use_bias)
        if self.filters % self.groups:
            raise fail(
                label,
                "groups",
                groups,
                f"filters ({self.filters}) must be divisible by groups",
                f"use a divisor of {self.filters}",
            )
        _check_stride_dilation(label, self.strides, self.dilation_rate)

    def _compute(self, shape: Shape) -> Computed:
        label = self._label
        spatial, cin = _split(label, shape, self.rank, self.data_format)
        if cin % self.groups:
            raise fail(
                label,
                "groups",
                self.groups,
                f"the input's {cin} channels must be divisible by groups",
                f"use a divisor of both {cin} and {self.filters}",
            )
        out = self._spatial_out(spatial, "dilated kernel" if max(self.dilation_rate) > 1 else "kernel")
        counted = conv_counts(self.kernel_size, cin, self.filters, self.groups, self.use_bias)
        return self._result(out, counted, cin, self.filters, self.groups)


class Conv1D(_Conv):
    """1-D convolution, as ``keras.layers.Conv1D``; also ``padding='causal'`` (output length ⌈n/s⌉)."""

    rank = 1
    paddings = ("valid", "same", "causal")


class Conv2D(_Conv):
    """2-D convolution, as ``keras.layers.Conv2D``.

    Each of the ``filters`` kernels is ``kh×kw×(Cin/groups)`` plus one bias,
    so the count is ``(kh·kw·Cin/groups + 1)·filters``; strides, padding and
    dilation change the output shape, never the count.
    """

    rank = 2


class Conv3D(_Conv):
    """3-D convolution, as ``keras.layers.Conv3D``."""

    rank = 3


class _ConvTranspose(_Windowed):
    _kwargs = _CONV_KWARGS

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        output_padding: int | Sequence[int] | None = None,
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, **kwargs)
        label = self._label
        self.filters = int_arg(label, "filters", filters)
        self._window_args(kernel_size, strides, padding, data_format, dilation_rate, use_bias)
        self.output_padding = (
            None
            if output_padding is None
            else int_tuple(label, "output_padding", output_padding, self.rank, minimum=0)
        )
        if self.output_padding is not None:
            for op, s in zip(self.output_padding, self.strides):
                if op >= s:
                    raise fail(
                        label,
                        "output_padding",
                        self.output_padding,
                        f"each entry must be smaller than the stride (strides={self.strides})",
                        "use 0 ≤ output_padding < strides, or leave it None",
                    )
        _check_stride_dilation(label, self.strides, self.dilation_rate)

    def _compute(self, shape: Shape) -> Computed:
        spatial, cin = _split(self._label, shape, self.rank, self.data_format)
        ops = self.output_padding or (None,) * self.rank
        out = [
            _arith.keras_deconv_length(n, k, s, self.padding, op, d)
            for n, k, s, op, d in zip(spatial, self.kernel_size, self.strides, ops, self.dilation_rate)
        ]
        counted = transpose_counts(self.kernel_size, cin, self.filters, 1, self.use_bias)
        return self._result(out, counted, cin, self.filters, 1)


class Conv1DTranspose(_ConvTranspose):
    """1-D transposed convolution, as ``keras.layers.Conv1DTranspose``.

    Keras computes the output length in a way that surprises: with
    ``output_padding`` unset and padding 'valid' it is ``(n − 1)·s + max(k, s)``
    (a kernel smaller than the stride still fills the stride), and with
    'same' it is ``n·s``. convwidget follows Keras exactly.
    """

    rank = 1


class Conv2DTranspose(_ConvTranspose):
    """2-D transposed convolution, as ``keras.layers.Conv2DTranspose``.

    The kernel is stored as ``(kh, kw, filters, Cin)``. Output size follows
    Keras exactly: with ``output_padding`` unset, 'valid' gives
    ``(n − 1)·s + max(k, s)`` per axis and 'same' gives ``n·s``.
    """

    rank = 2


class Conv3DTranspose(_ConvTranspose):
    """3-D transposed convolution, as ``keras.layers.Conv3DTranspose`` (same output rule as 2-D)."""

    rank = 3


class _DepthwiseConv(_Windowed):
    _kwargs = _DEPTHWISE_KWARGS

    def __init__(
        self,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, **kwargs)
        self.depth_multiplier = int_arg(self._label, "depth_multiplier", depth_multiplier)
        self._window_args(kernel_size, strides, padding, data_format, dilation_rate, use_bias)

    def _compute(self, shape: Shape) -> Computed:
        spatial, cin = _split(self._label, shape, self.rank, self.data_format)
        out = self._spatial_out(spatial)
        counted = depthwise_counts(self.kernel_size, cin, self.depth_multiplier, self.use_bias)
        cout = cin * self.depth_multiplier
        return self._result(out, counted, cin, cout, cin, self.depth_multiplier)


class DepthwiseConv1D(_DepthwiseConv):
    """Depthwise 1-D convolution, as ``keras.layers.DepthwiseConv1D``: ``(k + 1)·Cin·depth_multiplier``.

    The kernel is ``(k, Cin, depth_multiplier)``; padding is 'valid' or 'same' (Keras refuses
    'causal' here), and strides > 1 go with dilation > 1 as in DepthwiseConv2D.
    """

    rank = 1


class DepthwiseConv2D(_DepthwiseConv):
    """Depthwise 2-D convolution, as ``keras.layers.DepthwiseConv2D``.

    Every input channel gets ``depth_multiplier`` kernels of one ``kh×kw``
    slice each: ``(kh·kw + 1)·Cin·depth_multiplier`` parameters.

    Unlike ``Conv2D``, Keras 3 accepts ``strides > 1`` together with
    ``dilation_rate > 1`` here (and in ``SeparableConv2D``); the output is
    then ``⌊(n − d·(k − 1) − 1) / s⌋ + 1`` under 'valid', as in PyTorch.
    """

    rank = 2


class _SeparableConv(_DepthwiseConv):
    _kwargs = _DEPTHWISE_KWARGS | {"pointwise_initializer", "pointwise_regularizer", "pointwise_constraint"}

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            kernel_size,
            strides=strides,
            padding=padding,
            depth_multiplier=depth_multiplier,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            **kwargs,
        )
        self.filters = int_arg(self._label, "filters", filters)

    def _compute(self, shape: Shape) -> Computed:
        spatial, cin = _split(self._label, shape, self.rank, self.data_format)
        out = self._spatial_out(spatial)
        counted = separable_counts(self.kernel_size, cin, self.depth_multiplier, self.filters, self.use_bias)
        return self._result(out, counted, cin, self.filters, 1, self.depth_multiplier)


class SeparableConv1D(_SeparableConv, DepthwiseConv1D):
    """Depthwise-separable 1-D convolution, as ``keras.layers.SeparableConv1D``.

    ``k·Cin·dm + (Cin·dm + 1)·filters``: a depthwise kernel ``(k, Cin, dm)`` without bias, then a
    pointwise kernel ``(1, Cin·dm, filters)`` with the bias.
    """

    rank = 1


class SeparableConv2D(_SeparableConv, DepthwiseConv2D):
    """Depthwise-separable 2-D convolution, as ``keras.layers.SeparableConv2D``.

    A depthwise stage (``kh·kw·Cin·dm`` weights, no bias) then a 1×1
    convolution to ``filters`` channels with the bias:
    ``kh·kw·Cin·dm + (Cin·dm + 1)·filters``.
    """

    rank = 2
