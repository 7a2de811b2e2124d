"""Output-length arithmetic shared by the Keras and PyTorch dialects.

Every function works on one spatial axis. Results may be zero or negative:
the caller turns those into a :class:`~convwidget.errors.ConfigError` that
names its own layer and argument.
"""

from __future__ import annotations

import math

__all__ = [
    "effective_kernel",
    "keras_conv_length",
    "keras_deconv_length",
    "keras_pool_length",
    "same_padding",
    "torch_conv_length",
    "torch_deconv_length",
    "torch_pool_length",
]


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``d·(k − 1) + 1``."""
    return dilation * (kernel - 1) + 1


def torch_conv_length(n: int, kernel: int, stride: int, pad_total: int, dilation: int) -> int:
    """Output length of a convolution with explicit padding (``pad_total`` on both sides together).

    ``⌊(n + pad_total − d·(k − 1) − 1) / s⌋ + 1``, the formula in PyTorch's Conv docs.
    """
    return (n + pad_total - effective_kernel(kernel, dilation)) // stride + 1


def keras_conv_length(n: int, kernel: int, stride: int, padding: str, dilation: int) -> int:
    """Output length of a Keras convolution.

    'valid' is ``⌊(n − d·(k − 1) − 1) / s⌋ + 1``; 'same' and 'causal' are
    ``⌈n / s⌉`` whatever the kernel.
    """
    if padding == "valid":
        return torch_conv_length(n, kernel, stride, 0, dilation)
    return math.ceil(n / stride)


def same_padding(n: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """Padding (before, after) that TensorFlow-style 'same' adds; the extra cell goes after."""
    out = math.ceil(n / stride)
    total = max((out - 1) * stride + effective_kernel(kernel, dilation) - n, 0)
    return total // 2, total - total // 2


def keras_deconv_length(
    n: int, kernel: int, stride: int, padding: str, output_padding: int | None, dilation: int
) -> int:
    """Output length of a Keras transposed convolution, as Keras 3 computes it.

    With ``output_padding`` unset, 'valid' gives ``(n − 1)·s + max(k', s)``
    (``k'`` the dilated kernel), so a kernel smaller than the stride still
    covers the whole stride, and 'same' gives ``n·s``. With it set, 'valid'
    gives ``(n − 1)·s + k' + output_padding`` and 'same' gives
    ``(n − 1)·s + k' mod 2 + output_padding``.
    """
    k = effective_kernel(kernel, dilation)
    if padding == "valid":
        extra = max(k, stride) - k if output_padding is None else output_padding
        return (n - 1) * stride + k + extra
    if output_padding is None:
        return n * stride
    return (n - 1) * stride + k % 2 + output_padding


def torch_deconv_length(
    n: int, kernel: int, stride: int, padding: int, output_padding: int, dilation: int
) -> int:
    """Output length of a PyTorch transposed convolution.

    ``(n − 1)·s − 2·p + d·(k − 1) + output_padding + 1``.
    """
    return (n - 1) * stride - 2 * padding + effective_kernel(kernel, dilation) + output_padding


def keras_pool_length(n: int, pool: int, stride: int, padding: str) -> int:
    """Output length of Keras pooling: 'valid' ``⌊(n − p) / s⌋ + 1``, 'same' ``⌈n / s⌉``."""
    if padding == "valid":
        return (n - pool) // stride + 1
    return math.ceil(n / stride)


def torch_pool_length(n: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """Output length of PyTorch's MaxPool/AvgPool.

    ``⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1`` (``⌈…⌉`` with ``ceil_mode``); in
    ceil mode a last window that would start in the right padding is dropped.
    """
    span = n + 2 * padding - effective_kernel(kernel, dilation)
    if ceil_mode:
        out = -(-span // stride) + 1
        if (out - 1) * stride >= n + padding:
            out -= 1
        return out
    return span // stride + 1
