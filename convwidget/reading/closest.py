"""When a printed count fits no configuration: the formula, consistent with the shapes, nearest to it.

A mistyped count (``18270`` for ``18207``) fits no layer on the printed shapes. The explainer then
names the configuration the shapes and channels allow whose count is nearest the printed one, so
the learner reads "18,270 is 63 more than (3·3·32 + 1)·63 = 18,207: a typo?". Every formula here
comes from the counting core; the shape check is :func:`.geometry.axis_fits`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .. import _counting
from .._counting import Counted
from ..enums import Dialect, Family, Layout
from ..formula import Terms, group_digits
from ..kinds import LayerKind
from .finder import Finder, kernel_penalty, known
from .geometry import axis_fits
from .pasted import PastedRow, PShape

__all__ = ["closest_terms", "difference_text"]

_MAX_SIDE = 11  # kernels tried per axis when only the shapes speak
_MAX_KERNELS = 200


def _kernels(f: Finder, ins: tuple[int, ...], out: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    transpose = f.kind.is_transposed
    per_axis = [
        [
            k
            for k in range(1, _MAX_SIDE + 1)
            if n is not None and o is not None and axis_fits(n, k, o, f.torch, transpose)
        ]
        for n, o in zip(f.spatial(ins), f.spatial(out))
    ]
    return itertools.islice(itertools.product(*per_axis), _MAX_KERNELS)


def _options(f: Finder, ins: tuple[int, ...], out: tuple[int, ...]) -> Iterator[tuple[Counted, int]]:
    """(counted, unusualness) of each configuration the shapes and channels allow."""
    cin, cout = f.channels(ins), f.channels(out)
    if not cin or not cout:
        return
    family = f.kind.family
    if family is Family.DENSE:
        for bias in (True, False):
            yield _counting.dense_counts(ins[-1], out[-1], bias), int(not bias)
        return
    if family is Family.NORM and f.kind.count is _counting.batchnorm_counts:
        for center, scale in ((True, True), (True, False), (False, True), (False, False)):
            yield _counting.batchnorm_counts(cout, center, scale, not f.torch), 2 - center - scale
        return
    if family is Family.NORM and f.kind.count is _counting.layernorm_counts:
        for beta in (True, False):
            yield _counting.layernorm_counts((out[-1],), True, beta), int(not beta)
        return
    if len(ins) != len(out) or family not in (
        Family.CONV,
        Family.TRANSPOSE,
        Family.DEPTHWISE,
        Family.SEPARABLE,
    ):
        return
    for kernel in _kernels(f, ins, out):
        pen = kernel_penalty(kernel)
        for bias in (True, False):
            if family is Family.CONV:
                yield _counting.conv_counts(kernel, cin, cout, 1, bias), pen + (not bias)
            elif family is Family.TRANSPOSE:
                yield _counting.transpose_counts(kernel, cin, cout, 1, bias), pen + (not bias)
            elif family is Family.DEPTHWISE and cout % cin == 0:
                yield _counting.depthwise_counts(kernel, cin, cout // cin, bias), pen + (not bias)
            elif family is Family.SEPARABLE:
                yield _counting.separable_counts(kernel, cin, 1, cout, bias), pen + (not bias)


def closest_terms(kind: LayerKind, row: PastedRow, in_shape: PShape | None, dialect: Dialect) -> Terms | None:
    """The formula the shapes and channels allow whose count is nearest the printed one.

    Parameters
    ----------
    kind : LayerKind
        The row's kind.
    row : PastedRow
        The row (its output shape and printed count).
    in_shape : tuple or None
        Its input shape as the paste shows it.
    dialect : Dialect
        The paste's framework.

    Returns
    -------
    Terms or None
        None when the shapes do not pin down the channels (or the family has no rule here).
    """
    ins, out, count = known(in_shape), known(row.output_shape), row.count
    if ins is None or out is None or count is None or not ins or not out:
        return None
    layouts: list[Layout | None] = [None]
    if dialect is Dialect.KERAS and kind.family is not Family.DENSE:
        layouts.append(Layout.CHANNELS_FIRST)
    # A typo changes a digit or two (or swaps two): the fewest typos first, then the usual configuration.
    best: tuple[int, int, int] | None = None
    terms: Terms | None = None
    for rank, layout in enumerate(layouts):
        finder = Finder(row, kind, in_shape, dialect, layout)
        for counted, unusual in _options(finder, ins, out):
            total = counted.terms.total
            key = (_typos(str(count), str(total)), unusual + 2 * rank, abs(total - count))
            if best is None or key < best:
                best, terms = key, counted.terms
    return terms


def _typos(a: str, b: str) -> int:
    """Edits (a digit changed, added, dropped, or two neighbours swapped) that turn ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 3 or len(a) > 40:
        return 99
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def difference_text(printed: int, implied: Terms) -> str:
    """``"18,270 is 63 more than (3·3·32 + 1)·63 = 18,207: a typo?"``."""
    diff = printed - implied.total
    more = "more" if diff > 0 else "less"
    return f"{group_digits(printed)} is {group_digits(abs(diff))} {more} than {implied.text}: a typo?"
