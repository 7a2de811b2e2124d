"""torch.nn convolutions: Conv1d/2d/3d and ConvTranspose1d/2d/3d."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .. import _arith
from .._checks import bool_arg, check_rank, choice_arg, fail, int_arg, int_tuple
from .._counting import Counted, conv_counts, transpose_counts
from .._describe import Computed
from ..info import KernelGeometry, Shape
from ._base import (
    _PADDING_MODES,
    Module,
    _check_channels,
    _out_size,
    _spatial_layout,
    _tuple_repr,
)

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


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
        check_rank(self._label, shape, (self.rank + 1,), _spatial_layout(self.rank))
        _check_channels(self._label, shape, "in_channels", self.in_channels)
        return shape[1:]

    def _result(self, out: Sequence[int], counted: Counted) -> Computed:
        geometry = KernelGeometry(
            self.kind.family, self.kernel_size, self.in_channels, self.out_channels, self.groups, self.bias
        )
        return Computed((self.out_channels, *out), counted, geometry)

    def _repr(self, padding: str) -> str:
        """PyTorch's extra_repr: channels, kernel, stride, ``padding`` (formatted) and non-default rest."""
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={_tuple_repr(self.kernel_size)}, "
            f"stride={_tuple_repr(self.stride)}{padding}"
        )
        if self.dilation != (1,) * self.rank:
            s += f", dilation={_tuple_repr(self.dilation)}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if not self.bias:
            s += ", bias=False"
        return s


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
        self.padding_mode = choice_arg(label, "padding_mode", padding_mode, _PADDING_MODES)

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
        assert not isinstance(self.padding, str)  # 'valid' and 'same' are the only strings accepted
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
        return self._result(out, counted)

    def extra_repr(self) -> str:
        padding = ""
        if self.padding != (0,) * self.rank:
            padding = (
                f", padding={self.padding!r}"
                if isinstance(self.padding, str)
                else (f", padding={_tuple_repr(self.padding)}")
            )
        s = self._repr(padding)
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
        return self._result(out, counted)

    def extra_repr(self) -> str:
        padding = ""
        zero = (0,) * self.rank
        if self.padding != zero:
            padding += f", padding={_tuple_repr(self.padding)}"
        if self.output_padding != zero:
            padding += f", output_padding={_tuple_repr(self.output_padding)}"
        return self._repr(padding)


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
