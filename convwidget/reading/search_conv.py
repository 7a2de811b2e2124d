"""Candidate search for the convolutions: plain, transposed, depthwise and separable.

From a row's printed count and channels, each search works back to the kernel sizes, channel
counts, groups, depth multipliers and bias that give the count; with the input shown, the kernels
are those some stride, padding and dilation (per axis, :mod:`.geometry`) turn into the printed
output, and each setting is built with the dialect's own class through
:meth:`Finder.add <convwidget.reading.finder.Finder.add>`. A channel count the paste shows (the
previous row's, or the 'Connected to' source's) is a fact: no other is tried.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from .. import _counting
from .._counting import Counted
from ..info import Describable
from .finder import (
    Arithmetic,
    Finder,
    divisors,
    input_channel_penalty,
    kernel_penalty,
    kernels,
    known,
    layer_class,
    tuple_text,
)
from .geometry import Setting, axis_fits, layer_settings

__all__ = ["keras_arithmetic", "search_conv", "search_depthwise", "search_separable"]

_MAX_KERNELS = 40  # kernel shapes tried per volume (a prime volume has few; 64 = 2⁶ has many)
_MAX_CIN = 4096  # an unprinted input channel count larger than this is not a lesson model's
_DEPTH_MULTIPLIERS = (1, 2, 3, 4, 6, 8)
_MAX_DEPTH_MULTIPLIER = 32


def _value(values: Sequence[int]) -> str:
    """One argument's value as code: ``2`` when every axis has it, ``(2, 1)`` otherwise."""
    return str(values[0]) if len(set(values)) == 1 else tuple_text(values)


def _fitting_kernels(f: Finder, volume: int, rank: int) -> list[tuple[int, ...]]:
    """Kernels of ``volume`` cells; with the input shown, only those some setting fits on every axis."""
    found = kernels(volume, rank)
    if len(found) > _MAX_KERNELS:
        # A cut keeps the small, usual kernels (a lesson's), not those whose first axis is smallest.
        found.sort(key=lambda k: (max(k), kernel_penalty(k)))
    ins, out = known(f.in_shape), f.out
    if ins is None or out is None:
        return found[:_MAX_KERNELS]
    sp_in, sp_out = f.spatial(ins), f.spatial(out)
    transpose = f.kind.is_transposed
    return [
        k
        for k in found
        if all(
            o is None or (n is not None and axis_fits(n, kk, o, f.torch, transpose))
            for n, kk, o in zip(sp_in, k, sp_out)
        )
    ][:_MAX_KERNELS]


def _setting_args(f: Finder, s: Setting) -> tuple[list[str], dict[str, object]]:
    """A setting's non-default arguments as code, and as keyword arguments for the class."""
    torch = f.torch
    code: list[str] = []
    kwargs: dict[str, object] = {}
    if max(s.strides) > 1:
        code.append(f"{'stride' if torch else 'strides'}={_value(s.strides)}")
    kwargs["stride" if torch else "strides"] = s.strides
    if isinstance(s.padding, str):
        if s.padding != "valid":
            code.append(f"padding='{s.padding}'")
    elif max(s.padding) > 0:
        code.append(f"padding={_value(s.padding)}")
    kwargs["padding"] = s.padding
    if s.output_padding is not None:
        code.append(f"output_padding={_value(s.output_padding)}")
        kwargs["output_padding"] = s.output_padding
    if max(s.dilation) > 1:
        code.append(f"{'dilation' if torch else 'dilation_rate'}={_value(s.dilation)}")
    kwargs["dilation" if torch else "dilation_rate"] = s.dilation
    return code, kwargs


def keras_arithmetic(setting: Setting) -> Arithmetic:
    """How each spatial axis of a Keras convolution gets its length, e.g. ``26 − 3 + 1 = 24``."""

    def step(axis: int, n: int, k: int, o: int) -> str:
        s, d = setting.strides[axis], setting.dilation[axis]
        span = f"{k}" if d == 1 else f"{d}·({k} − 1) + 1"
        if setting.padding == "same":
            return f"{n} (padding='same')" if s == 1 else f"⌈{n} / {s}⌉ = {o}"
        if s == 1:
            return f"{n} − {span} + 1 = {o}"
        return f"⌊({n} − {span}) / {s}⌋ + 1 = {o}"

    return step


def _try_settings(
    f: Finder,
    kernel: tuple[int, ...],
    head: list[str],
    tail: list[str],
    base: list[str],
    build: Callable[..., Describable],
    counted: Callable[[], Counted],
    penalty: int,
) -> None:
    """Try the settings that fit ``kernel`` until one is kept (one per formula is enough)."""
    ins, out = known(f.in_shape), f.out
    if ins is None or out is None:
        return
    transpose = f.kind.is_transposed
    sp_in = tuple(n for n in f.spatial(ins) if n is not None)
    for setting in layer_settings(sp_in, kernel, f.spatial(out), f.torch, transpose):
        extra, kwargs = _setting_args(f, setting)
        arithmetic = None if f.torch or transpose else keras_arithmetic(setting)
        assumed = [a.split("=")[0] for a in extra]
        if f.add(
            f"{f.name}({', '.join([*head, *extra, *tail, *f.layout_code])})",
            partial(build, **kwargs, **f.layout_args),
            counted,
            base + assumed,
            penalty + setting.cost,
            arithmetic,
        ):
            return


def search_conv(f: Finder) -> None:
    """Candidates for a (transposed) convolution row: groups, bias and kernels that give the count."""
    count, out = f.count, f.out
    if out is None or count is None or len(out) < 2:
        return
    rank = len(out) - 1
    cout = f.channels(out)
    cin = f.channels(f.in_shape)
    if not cout:
        return
    for bias in (True, False):
        weights = count - (cout if bias else 0)
        if weights <= 0 or weights % cout:
            continue
        per_out = weights // cout
        cin_options = [cin] if cin is not None else [c for c in divisors(per_out) if c <= _MAX_CIN][:64]
        for c_in in cin_options:
            if c_in <= 0:
                continue
            # Groups are tried only when the input's channels are shown (Keras' transposes have none).
            grouped = cin is not None and (f.torch or not f.kind.is_transposed)
            for groups in [1, *([g for g in divisors(c_in) if g > 1] if grouped else [])]:
                if cout % groups or c_in % groups or per_out % (c_in // groups):
                    continue
                volume = per_out // (c_in // groups)
                # An unprinted input is most often grayscale or RGB, else a usual width.
                f.extra_penalty = 0 if cin is not None else input_channel_penalty(c_in)
                if cin is None and volume == 1:
                    f.extra_penalty += 2  # a 1×1 first layer is rare
                for kernel in _fitting_kernels(f, volume, rank):
                    _conv_configs(f, kernel, c_in, cout, groups, bias)
    f.extra_penalty = 0


def _conv_configs(f: Finder, kernel: tuple[int, ...], cin: int, cout: int, groups: int, bias: bool) -> None:
    """Try the settings for one kernel, channel count, groups and bias."""
    transpose = f.kind.is_transposed
    base = [] if bias else ["no bias"]
    if groups > 1:
        base.append(f"groups={groups}")
    pen = kernel_penalty(kernel)
    counts = _counting.transpose_counts if transpose else _counting.conv_counts

    def counted() -> Counted:
        return counts(kernel, cin, cout, groups, bias)

    kcode = _value(kernel)
    tail = [
        a
        for a, on in (
            (f"groups={groups}", groups > 1),
            ("bias=False" if f.torch else "use_bias=False", not bias),
        )
        if on
    ]
    head = [str(cin), str(cout), kcode] if f.torch else [str(cout), kcode]
    if known(f.in_shape) is None:
        f.add(f"{f.name}({', '.join([*head, *tail, *f.layout_code])})", None, counted, base, pen)
        return
    cls = layer_class(f.kind, f.dialect)
    if cls is None:
        return
    extra: dict[str, object] = {"bias": bias} if f.torch else {"use_bias": bias}
    if groups > 1:
        extra["groups"] = groups
    build = partial(cls, cin, cout, kernel, **extra) if f.torch else partial(cls, cout, kernel, **extra)
    _try_settings(f, kernel, head, tail, base, build, counted, pen)


def _depthwise_pairs(f: Finder, cin: int | None, cout: int) -> list[tuple[int, int]]:
    """(input channels, depth multiplier) pairs: from the shown input, else every usual multiplier."""
    if cin:
        return [(cin, cout // cin)] if cout % cin == 0 else []
    return [(cout // dm, dm) for dm in _DEPTH_MULTIPLIERS if cout % dm == 0]


def search_depthwise(f: Finder) -> None:
    """Candidates for a depthwise convolution row: depth multiplier, bias and kernel that give the count."""
    out, count = f.out, f.count
    if out is None or count is None or len(out) < 2:
        return
    rank = len(out) - 1
    cout = f.channels(out)
    cls = layer_class(f.kind, f.dialect)
    if not cout or count % cout or cls is None:
        return
    for c_in, dm in _depthwise_pairs(f, f.channels(f.in_shape), cout):
        for bias in (True, False):
            volume = count // cout - (1 if bias else 0)
            if volume <= 0:
                continue
            tail = [a for a, on in ((f"depth_multiplier={dm}", dm > 1), ("use_bias=False", not bias)) if on]
            base = [a.split("=")[0] for a in tail if a != "use_bias=False"] + ([] if bias else ["no bias"])
            for kernel in _fitting_kernels(f, volume, rank):
                counted = partial(_counting.depthwise_counts, kernel, c_in, dm, bias)
                pen = kernel_penalty(kernel)
                if known(f.in_shape) is None:
                    code = f"{f.name}({', '.join([_value(kernel), *tail, *f.layout_code])})"
                    f.add(code, None, counted, base, pen)
                    continue
                build = partial(cls, kernel, depth_multiplier=dm, use_bias=bias)
                _try_settings(f, kernel, [_value(kernel)], tail, base, build, counted, pen)


def search_separable(f: Finder) -> None:
    """Candidates for a separable convolution row: depth multiplier, bias and kernel that give the count."""
    out, count = f.out, f.count
    if out is None or count is None or len(out) < 2:
        return
    rank = len(out) - 1
    cout = f.channels(out)
    cin = f.channels(f.in_shape)
    cls = layer_class(f.kind, f.dialect)
    if not cout or cls is None:
        return
    # An unprinted input (a first layer): every channel count up to a lesson model's, RGB and gray first.
    for c_in in [cin] if cin else range(1, 65):
        f.extra_penalty = 0 if cin else input_channel_penalty(c_in)
        # With the input shown any multiplier can be checked; without it, the usual ones.
        for dm in range(1, _MAX_DEPTH_MULTIPLIER + 1) if cin else _DEPTH_MULTIPLIERS:
            mid = c_in * dm
            for bias in (True, False):
                rest = count - (mid + (1 if bias else 0)) * cout
                if rest <= 0 or rest % mid:
                    continue
                tail = [
                    a for a, on in ((f"depth_multiplier={dm}", dm > 1), ("use_bias=False", not bias)) if on
                ]
                base = [a.split("=")[0] for a in tail if a != "use_bias=False"] + (
                    [] if bias else ["no bias"]
                )
                for kernel in _fitting_kernels(f, rest // mid, rank):
                    counted = partial(_counting.separable_counts, kernel, c_in, dm, cout, bias)
                    head = [str(cout), _value(kernel)]
                    if known(f.in_shape) is None:
                        code = f"{f.name}({', '.join([*head, *tail, *f.layout_code])})"
                        f.add(code, None, counted, base, kernel_penalty(kernel))
                        continue
                    build = partial(cls, cout, kernel, depth_multiplier=dm, use_bias=bias)
                    _try_settings(f, kernel, head, tail, base, build, counted, kernel_penalty(kernel))
    f.extra_penalty = 0
