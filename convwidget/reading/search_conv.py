"""Candidate search for the convolutions: plain, transposed, depthwise and separable.

From a row's printed count and shapes, each search works back to the kernel sizes, channel counts,
groups and bias that could give the count, then tries strides and paddings against the shapes
through :meth:`Finder.add <convwidget.reading.finder.Finder.add>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from .. import _counting
from .._counting import Counted
from .finder import Arithmetic, Finder, divisors, kernel_penalty, kernels, known, layer_class, tuple_text

__all__ = ["search_conv", "search_depthwise", "search_separable"]

_MAX_KERNELS = 40  # kernel shapes tried per volume (a prime volume has few; 64 = 2⁶ has many)
_MAX_CIN = 4096  # an unprinted input channel count larger than this is not a lesson model's
_DEPTH_MULTIPLIERS = (1, 2, 3, 4)


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
        per_out = weights // cout if count % cout == 0 else 0
        cin_options = [cin] if cin is not None else [c for c in divisors(per_out) if c <= _MAX_CIN][:64]
        for c_in in cin_options:
            if c_in <= 0:
                continue
            # Groups are tried only when the input's channels are shown.
            groups_options = [1, *([g for g in divisors(c_in) if g > 1] if cin is not None else [])]
            for groups in groups_options:
                if cout % groups or c_in % groups:
                    continue
                if weights <= 0 or weights % (cout * (c_in // groups)):
                    continue
                volume = weights // (cout * (c_in // groups))
                # An unprinted input is most often grayscale or RGB.
                f.extra_penalty = 0 if cin is not None or c_in in (1, 3) else 2
                if cin is None and volume == 1:
                    f.extra_penalty += 2  # a 1×1 first layer is rare
                for kernel in kernels(volume, rank)[:_MAX_KERNELS]:
                    _conv_configs(f, kernel, c_in, cout, groups, bias)


def _conv_configs(f: Finder, kernel: tuple[int, ...], cin: int, cout: int, groups: int, bias: bool) -> None:
    """Try strides, paddings (and output paddings) for one kernel, channel count, groups and bias."""
    transpose = f.kind.is_transposed
    base = []
    if not bias:
        base.append("no bias")
    if groups > 1:
        base.append(f"groups={groups}")
    pen = kernel_penalty(kernel)
    kcode = str(kernel[0]) if len(set(kernel)) == 1 else tuple_text(kernel)
    counts = _counting.transpose_counts if transpose else _counting.conv_counts

    def counted() -> Counted:
        return counts(kernel, cin, cout, groups, bias)

    if known(f.in_shape) is None:
        no_bias = "" if bias else ", bias=False" if f.torch else ", use_bias=False"
        code = (
            f"{f.name}({cin}, {cout}, {kcode}{no_bias})" if f.torch else f"{f.name}({cout}, {kcode}{no_bias})"
        )
        f.add(code, None, counted, base, pen)
        return
    cls = layer_class(f.kind, f.dialect)
    if cls is None:
        return
    for s in range(1, 5):
        if f.torch:
            for p in range(0, max(kernel) + 1):
                for op in range(0, s) if transpose else [0]:
                    shown = [
                        (f"stride={s}", s > 1),
                        (f"padding={p}", p > 0),
                        (f"output_padding={op}", op > 0),
                        (f"groups={groups}", groups > 1),
                        ("bias=False", not bias),
                    ]
                    extra = [a for a, on in shown if on]
                    kwargs: dict[str, object] = {"stride": s, "padding": p, "groups": groups, "bias": bias}
                    if transpose:
                        kwargs["output_padding"] = op
                    f.add(
                        f"{f.name}({', '.join([str(cin), str(cout), kcode, *extra])})",
                        partial(cls, cin, cout, kernel, **kwargs),
                        counted,
                        base + [a for a in extra if not a.startswith(("groups", "bias"))],
                        pen,
                    )
            continue
        for padding in ("valid", "same"):
            shown = [
                (f"strides={s}", s > 1),
                ("padding='same'", padding == "same"),
                ("use_bias=False", not bias),
                (f"groups={groups}", groups > 1),
            ]
            extra = [a for a, on in shown if on]
            kwargs = {"strides": s, "padding": padding, "use_bias": bias}
            if groups > 1:
                kwargs["groups"] = groups
            f.add(
                f"{f.name}({', '.join([str(cout), kcode, *extra])})",
                partial(cls, cout, kernel, **kwargs),
                counted,
                base + [a for a in extra if not a.startswith(("use_bias", "groups"))],
                pen,
                None if transpose else keras_arithmetic(s, padding),
            )


def keras_arithmetic(stride: int, padding: str) -> Arithmetic:
    """How one spatial axis of a Keras convolution gets its length, e.g. ``26 − 3 + 1 = 24``."""

    def step(n: int, k: int, o: int) -> str:
        if padding == "same":
            return f"{n} (padding='same')" if stride == 1 else f"⌈{n} / {stride}⌉ = {o}"
        if stride == 1:
            return f"{n} − {k} + 1 = {o}"
        return f"⌊({n} − {k}) / {stride}⌋ + 1 = {o}"

    return step


def _kernel_code(kernel: tuple[int, ...]) -> str:
    """Keras source for a 2-D kernel size: ``3`` for a square one, ``(3, 5)`` otherwise."""
    return str(kernel[0]) if kernel[0] == kernel[1] else tuple_text(kernel)


def _depthwise_variants(dm: int, bias: bool) -> Iterator[tuple[list[str], dict[str, object]]]:
    """Strides and padding to try for a depthwise or separable row: (arguments as code, kwargs)."""
    for s in (1, 2):
        for padding in ("valid", "same"):
            shown = (
                (f"strides={s}", s > 1),
                ("padding='same'", padding == "same"),
                (f"depth_multiplier={dm}", dm > 1),
                ("use_bias=False", not bias),
            )
            extra = [a for a, on in shown if on]
            yield extra, {"strides": s, "padding": padding, "depth_multiplier": dm, "use_bias": bias}


def _assumed(extra: list[str]) -> list[str]:
    """What a depthwise or separable candidate assumes: the names of its non-default arguments."""
    return [a.split("=")[0] if a != "use_bias=False" else "no bias" for a in extra]


def search_depthwise(f: Finder) -> None:
    """Candidates for a DepthwiseConv2D row: depth multiplier, bias and kernel that give the count."""
    out, count = f.out, f.count
    if out is None or count is None or len(out) != 3:
        return
    cout = f.channels(out)
    cin = f.channels(f.in_shape)
    cls = layer_class(f.kind, f.dialect)
    if not cout or count % cout or cls is None:
        return
    pairs = (
        [(cin, cout // cin)]
        if cin and cout % cin == 0
        else [(cout // dm, dm) for dm in _DEPTH_MULTIPLIERS if cout % dm == 0]
    )
    for c_in, dm in pairs:
        for bias in (True, False):
            volume = count // cout - (1 if bias else 0)
            for kernel in kernels(volume, 2)[:_MAX_KERNELS]:
                for extra, kwargs in _depthwise_variants(dm, bias):
                    f.add(
                        f"DepthwiseConv2D({', '.join([_kernel_code(kernel), *extra])})",
                        partial(cls, kernel, **kwargs),
                        partial(_counting.depthwise_counts, kernel, c_in, dm, bias),
                        _assumed(extra),
                        kernel_penalty(kernel),
                    )


def search_separable(f: Finder) -> None:
    """Candidates for a SeparableConv2D row: depth multiplier, bias and kernel that give the count."""
    out, count = f.out, f.count
    cin = f.channels(f.in_shape)
    if out is None or count is None or len(out) != 3 or not cin:
        return
    cout = f.channels(out)
    cls = layer_class(f.kind, f.dialect)
    if not cout or cls is None:
        return
    for dm in _DEPTH_MULTIPLIERS:
        mid = cin * dm
        for bias in (True, False):
            rest = count - (mid + (1 if bias else 0)) * cout
            if rest <= 0 or rest % mid:
                continue
            for kernel in kernels(rest // mid, 2)[:_MAX_KERNELS]:
                for extra, kwargs in _depthwise_variants(dm, bias):
                    f.add(
                        f"SeparableConv2D({', '.join([str(cout), _kernel_code(kernel), *extra])})",
                        partial(cls, cout, kernel, **kwargs),
                        partial(_counting.separable_counts, kernel, cin, dm, cout, bias),
                        _assumed(extra),
                        kernel_penalty(kernel),
                    )
