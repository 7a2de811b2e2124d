"""Which strides, paddings, dilations and output paddings turn a printed input length into the output's.

A convolution's count depends on its kernel, channels, groups and bias only; the output shape
depends on the rest. :func:`layer_settings` lists, for one kernel, the whole-layer settings (the
least unusual first) that give every spatial axis its printed length, using the output-length
arithmetic of :mod:`convwidget._arith` (the one place those formulas are written). The search then
builds each setting with the dialect's own class, so ``describe()`` has the last word.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .. import _arith

__all__ = ["Setting", "axis_fits", "layer_settings"]

_MAX_STRIDE = 6
_MAX_LONG_STRIDE = 64
_MAX_DILATION = 4
_PER_AXIS = 4  # settings kept per axis (the least unusual)
_MAX_SETTINGS = 24  # whole-layer settings tried per kernel


@dataclass(frozen=True)
class Setting:
    """The arguments, besides the kernel, that give every axis its printed length.

    ``padding`` is Keras' ``'valid'``/``'same'`` or PyTorch's ``'same'`` or one integer per axis;
    ``output_padding`` is None when it is left unset. ``cost`` counts the unusual arguments.
    """

    strides: tuple[int, ...]
    padding: str | tuple[int, ...]
    dilation: tuple[int, ...]
    output_padding: tuple[int, ...] | None
    cost: int


_Axis = tuple[int, int | str, int, int | None, int]
"""(stride, padding, dilation, output padding, cost) on one axis."""


def _kept(options: list[_Axis]) -> tuple[_Axis, ...]:
    """The least unusual options of one axis, and the least unusual with each dilation.

    Every axis of a layer shares its dilation as a rule (Keras refuses a dilation with a stride, and a
    dilation of (2, 1) is rare), so a cut that kept dilation 1 on one axis but only dilation 2 can
    fit the other would leave no setting for the whole layer.
    """
    ranked = sorted(options, key=lambda a: (a[-1], a[0]))
    kept = ranked[:_PER_AXIS]
    for d in sorted({a[2] for a in ranked}):
        first = next(a for a in ranked if a[2] == d)
        if first not in kept:
            kept.append(first)
    return tuple(kept)


def _max_stride(n: int, o: int) -> int:
    """Strides worth trying: usual ones, and up to the longer length (a stride longer skips it all)."""
    return max(_MAX_STRIDE, min(max(n, o), _MAX_LONG_STRIDE))


@lru_cache(maxsize=4096)
def _keras_axis(n: int, k: int, o: int, padding: str, transpose: bool) -> tuple[_Axis, ...]:
    out: list[_Axis] = []
    for s in range(1, _max_stride(n, o) + 1):
        for d in range(1, _MAX_DILATION + 1):
            cost = (s > 1) + 2 * (d > 1)
            if transpose:
                for op in (None, *range(s)):
                    if _arith.keras_deconv_length(n, k, s, padding, op, d) == o:
                        out.append((s, padding, d, op, cost + (op is not None)))
            elif (padding != "valid" or _arith.effective_kernel(k, d) <= n) and _arith.keras_conv_length(
                n, k, s, padding, d
            ) == o:
                out.append((s, padding, d, None, cost))
    return _kept(out)


@lru_cache(maxsize=4096)
def _torch_axis(n: int, k: int, o: int, transpose: bool) -> tuple[_Axis, ...]:
    out: list[_Axis] = []
    for s in range(1, _max_stride(n, o) + 1):
        for d in range(1, _MAX_DILATION + 1):
            span = _arith.effective_kernel(k, d)
            for p in range(0, max(span, 4) + 1):
                # Padding half the kernel ('same'-like) is as usual as none.
                cost = (s > 1) + 2 * (d > 1) + (p not in (0, (span - 1) // 2))
                if transpose:
                    for op in range(max(s, d)):
                        if _arith.torch_deconv_length(n, k, s, p, op, d) == o:
                            out.append((s, p, d, op, cost + (op > 0)))
                elif n + 2 * p >= span and _arith.torch_conv_length(n, k, s, 2 * p, d) == o:
                    out.append((s, p, d, None, cost))
    return _kept(out)


def _axis_options(n: int, k: int, o: int, torch: bool, transpose: bool, padding: str) -> tuple[_Axis, ...]:
    if torch:
        return _torch_axis(n, k, o, transpose)
    return _keras_axis(n, k, o, padding, transpose)


def axis_fits(n: int, k: int, o: int, torch: bool, transpose: bool) -> bool:
    """Whether some stride, padding and dilation turn length ``n`` into ``o`` with kernel ``k``."""
    if torch:
        return bool(_torch_axis(n, k, o, transpose)) or (not transpose and n == o)
    return any(_keras_axis(n, k, o, p, transpose) for p in ("valid", "same"))


def _combine(per_axis: Sequence[tuple[_Axis, ...]], padding: str | None) -> Iterator[Setting]:
    for combo in itertools.product(*per_axis):
        strides = tuple(a[0] for a in combo)
        dilation = tuple(a[2] for a in combo)
        ops = [a[3] for a in combo]
        if any(op is None for op in ops) and not all(op is None for op in ops):
            continue  # Keras takes output_padding for every axis or for none
        output_padding = None if ops[0] is None else tuple(int(op or 0) for op in ops)
        pad: str | tuple[int, ...] = padding if padding is not None else tuple(int(a[1]) for a in combo)
        # The most unusual axis, and one more for each argument whose axes differ.
        cost = max(a[-1] for a in combo)
        cost += sum(1 for values in (strides, dilation, pad) if len(set(values)) > 1)
        yield Setting(strides, pad, dilation, output_padding, cost)


def layer_settings(
    spatial_in: Sequence[int],
    kernel: Sequence[int],
    spatial_out: Sequence[int | None],
    torch: bool,
    transpose: bool,
) -> list[Setting]:
    """Whole-layer settings that give each axis of ``spatial_in`` the printed length, least unusual first.

    Parameters
    ----------
    spatial_in : sequence of int
        The input's spatial lengths.
    kernel : sequence of int
        The kernel size per axis.
    spatial_out : sequence of int or None
        The printed output lengths (None where the paste prints ``None``: any length fits).
    torch : bool
        PyTorch's arguments (integer padding per axis, or ``'same'``) rather than Keras'.
    transpose : bool
        A transposed convolution.

    Returns
    -------
    list of Setting
        At most a few dozen; empty when no setting fits some axis.
    """
    settings: list[Setting] = []
    if not kernel or not len(spatial_in) == len(kernel) == len(spatial_out):
        return settings  # the input's rank is not the layer's: nothing fits
    modes: tuple[str | None, ...] = (None,) if torch else ("valid", "same")
    for mode in modes:
        per_axis = [
            # An unprinted length (None) is taken as kept: 'same' for Keras, half-kernel padding for PyTorch.
            _axis_options(n, k, n if o is None else o, torch, transpose, mode or "valid")
            for n, k, o in zip(spatial_in, kernel, spatial_out)
        ]
        if all(per_axis):
            # The least unusual combinations (a shared dilation before a mixed one), not the first few.
            settings.extend(heapq.nsmallest(_MAX_SETTINGS, _combine(per_axis, mode), key=lambda s: s.cost))
    if torch and not transpose and all(o is None or o == n for n, o in zip(spatial_in, spatial_out)):
        # PyTorch's padding='same' keeps the length for any kernel (even ones pad one more cell after).
        rank = len(spatial_in)
        settings.append(Setting((1,) * rank, "same", (1,) * rank, None, 1))
    return sorted(settings, key=lambda s: s.cost)
