"""torch.nn pooling: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool2d and AdaptiveMaxPool2d."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .. import _arith
from .._checks import _is_int, bool_arg, check_rank, fail, int_arg, int_tuple
from .._describe import NOTHING, Computed
from ..info import Shape
from ._base import Module, _tuple_repr

__all__ = [
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "MaxPool1d",
    "MaxPool2d",
]


class _Pool(Module):
    """Max and average pooling over the ``rank`` axes after the channels; stride defaults to the kernel."""

    rank: ClassVar[int] = 2

    def _pool_args(self, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: Any) -> None:
        label, rank = self._label, self.rank
        self.kernel_size = int_tuple(label, "kernel_size", kernel_size, rank)
        self.stride = self.kernel_size if stride is None else int_tuple(label, "stride", stride, rank)
        self.padding = int_tuple(label, "padding", padding, rank, minimum=0)
        self.dilation = int_tuple(label, "dilation", dilation, rank)
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
        one = self.rank == 1
        check_rank(self._label, shape, (self.rank + 1,), "(C, L)" if one else "(C, H, W)")
        out = [
            _arith.torch_pool_length(n, k, s, p, d, self.ceil_mode)
            for n, k, s, p, d in zip(shape[1:], self.kernel_size, self.stride, self.padding, self.dilation)
        ]
        if any(o < 1 for o in out):
            raise fail(
                self._label,
                "kernel_size",
                self.kernel_size,
                f"the pooled length would be {out[0]}; the window must fit in the input length {shape[1]} "
                f"plus padding {self.padding}"
                if one
                else f"the pooled size would be {tuple(out)}; the window must fit in the padded input "
                f"{shape[1:]} plus padding {self.padding}",
                f"use a smaller kernel, more padding or a {'longer' if one else 'larger'} input",
            )
        return Computed((shape[0], *out), NOTHING)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={_tuple_repr(self.kernel_size)}, stride={_tuple_repr(self.stride)}, "
            f"padding={_tuple_repr(self.padding)}"
        )


class _MaxPool(_Pool):
    """Max pooling: torch's MaxPool1d and MaxPool2d take the same arguments."""

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


class MaxPool2d(_MaxPool):
    """2-D max pooling, as ``torch.nn.MaxPool2d``; ``stride`` defaults to ``kernel_size``.

    Output ``⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1`` (``⌈…⌉`` with ``ceil_mode``, a
    last window that would start in the right padding dropped); padding at
    most half the kernel. Keras pools only 'valid' or 'same' (``⌈n/s⌉``).
    """

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, dilation={_tuple_repr(self.dilation)}, ceil_mode={self.ceil_mode}"


class AvgPool2d(_Pool):
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


class _AdaptivePool2d(Module):
    def _output_size(self, output_size: Any) -> None:
        label = self._label
        valid = "it must be an int >= 1 or a tuple of 2 entries, each an int >= 1 or None"
        items: Any = (output_size, output_size) if _is_int(output_size) else output_size
        if not isinstance(items, Sequence) or isinstance(items, str) or len(items) != 2:
            raise fail(label, "output_size", output_size, valid)
        for v in items:
            if v is not None and not (_is_int(v) and v >= 1):
                raise fail(label, "output_size", output_size, valid)
        self.output_size: tuple[int | None, ...] = tuple(items)

    def _compute(self, shape: Shape) -> Computed:
        check_rank(self._label, shape, (3,), "(C, H, W)")
        out = [n if o is None else o for n, o in zip(shape[1:], self.output_size)]
        return Computed((shape[0], *out), NOTHING)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size!r}"


class AdaptiveAvgPool2d(_AdaptivePool2d):
    """Average pooling to a fixed size, as ``torch.nn.AdaptiveAvgPool2d``; input ``(C, H, W)``.

    ``output_size`` is an int or ``(h, w)``; a ``None`` entry keeps that
    input axis. ``AdaptiveAvgPool2d(1)`` is Keras'
    ``GlobalAveragePooling2D(keepdims=True)``.
    """

    def __init__(self, output_size: int | Sequence[int | None], **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self._output_size(output_size)


class AdaptiveMaxPool2d(_AdaptivePool2d):
    """Max pooling to a fixed size, as ``torch.nn.AdaptiveMaxPool2d``; input ``(C, H, W)``.

    ``output_size`` as in :class:`AdaptiveAvgPool2d`; ``AdaptiveMaxPool2d(1)``
    is Keras' ``GlobalMaxPooling2D(keepdims=True)``. ``return_indices`` adds
    a second output; the shape here is the first's.
    """

    def __init__(
        self, output_size: int | Sequence[int | None], return_indices: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self._output_size(output_size)
        self.return_indices = bool_arg(self._label, "return_indices", return_indices)


class MaxPool1d(_MaxPool):
    """1-D max pooling over ``(C, L)``, as ``torch.nn.MaxPool1d``; ``stride`` defaults to ``kernel_size``.

    Output length ``⌊(L + 2p − d·(k − 1) − 1)/s⌋ + 1`` (``⌈…⌉`` with ``ceil_mode``).
    """

    rank = 1


class AvgPool1d(_Pool):
    """1-D average pooling over ``(C, L)``, as ``torch.nn.AvgPool1d``; length as MaxPool1d, undilated."""

    rank = 1

    def __init__(
        self,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] | None = None,
        padding: int | Sequence[int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self._pool_args(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = bool_arg(self._label, "count_include_pad", count_include_pad)
