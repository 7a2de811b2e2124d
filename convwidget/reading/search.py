"""Candidate search: which configurations of a row's layer kind give its printed shape and count.

The search for a row is chosen by its kind's :class:`~convwidget.enums.Family` in
:mod:`convwidget.kinds` (:data:`SEARCHES`); the convolutions' searches live in
:mod:`.search_conv`, the dense, normalization and embedding ones here. When no configuration
fits, :func:`.closest.closest_terms` names the nearest one the shapes allow (to point at a typo).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType

from .. import _counting
from .._counting import Counted
from ..enums import Dialect, Family, Layout
from ..info import Describable, Shape
from ..kinds import LayerKind
from .finder import Finder, known, layer_class, tuple_text
from .pasted import PastedRow, PShape
from .results import Candidate
from .search_conv import search_conv, search_depthwise, search_separable
from .search_seq import search_attention, search_recurrent

__all__ = ["SEARCHES", "find_candidates"]


def _search_dense(f: Finder) -> None:
    out, count = f.out, f.count
    if out is None or count is None or not out or not out[-1]:
        return
    units = out[-1]
    cin = f.in_shape[-1] if f.in_shape else None
    cls = layer_class(f.kind, f.dialect)
    for bias in (True, False):
        fin = (
            cin if cin is not None else (count // units - (1 if bias else 0) if count % units == 0 else None)
        )
        if not fin or fin < 1:
            continue
        extra = "" if bias else (", bias=False" if f.torch else ", use_bias=False")
        code = f"{f.name}({fin}, {units}{extra})" if f.torch else f"{f.name}({units}{extra})"
        if cls is None or f.in_shape is None:
            build = None
        elif f.torch:
            build = partial(cls, fin, units, bias=bias)
        else:
            build = partial(cls, units, use_bias=bias)
        f.add(code, build, partial(_counting.dense_counts, fin, units, bias), [] if bias else ["no bias"], 0)


def _search_norm(f: Finder) -> None:
    out, count = f.out, f.count
    if out is None or count is None or not out:
        return
    if f.kind.count is _counting.batchnorm_counts:
        _search_batchnorm(f, out)
    elif f.kind.count is _counting.layernorm_counts:
        _search_layernorm(f, out)
    else:
        # Any other normalization (Keras' Normalization keeps mean, variance and a count): its
        # default configuration, built on the input, has the last word.
        cls = layer_class(f.kind, f.dialect)
        ins = known(f.in_shape)
        if cls is not None and ins is not None:
            layer = cls()
            f.add(f"{f.name}()", partial(cls), partial(_described_counts, layer, ins), [], 0)


def _described_counts(layer: Describable, shape: Shape) -> Counted:
    info = layer.describe(shape)
    return Counted(info.terms, {}, {})


def _search_batchnorm(f: Finder, out: PShape) -> None:
    c = f.channels(out)
    if not c:
        return
    cls = layer_class(f.kind, f.dialect)
    buildable = cls is not None and known(f.in_shape) is not None
    # A kind that takes a number of groups (GroupNorm) does not show it: any divisor fits the count.
    grouped = "num_groups" in f.kind.torch_args
    if f.torch:
        # PyTorch keeps the running statistics as buffers: only γ and β (with affine) are parameters.
        channel_arg = "num_channels" if grouped else "num_features"
        head = f"{f.name}({'num_groups, ' if grouped else ''}{c}"
        default = f.kind.weights_by_default
        for affine in (default, not default):
            extra = "" if affine == default else f"affine={affine}"
            kwargs: dict[str, object] = {channel_arg: c, "affine": affine}
            if grouped:
                kwargs["num_groups"] = 1
            f.add(
                f"{head}{', ' + extra if extra else ''})",
                partial(cls, **kwargs) if buildable and cls is not None else None,
                partial(_counting.batchnorm_counts, c, affine, affine, False),
                [extra] if extra else [],
                0,
            )
        return
    # A channels-first Keras model normalises axis 1 (BatchNormalization takes no data_format).
    axis = ["axis=1"] if f.layout_code else []
    groups = ["groups=…"] if grouped else []
    for extra, center, scale in (
        ("", True, True),
        ("scale=False", True, False),
        ("center=False", False, True),
        ("center=False, scale=False", False, False),
    ):
        kwargs = {"axis": 1 if axis else -1, "center": center, "scale": scale}
        if grouped:
            kwargs["groups"] = -1  # one group per channel: valid for any channel count
        f.add(
            f"{f.name}({', '.join([*groups, *axis, *([extra] if extra else [])])})",
            partial(cls, **kwargs) if buildable and cls is not None else None,
            # Keras' BatchNormalization also keeps moving statistics; GroupNormalization none.
            partial(_counting.batchnorm_counts, c, center, scale, not grouped),
            [extra] if extra else [],
            0,
        )


def _search_layernorm(f: Finder, out: PShape) -> None:
    # γ and β have the shape of the normalised axes: the last one, or (Keras' axis=[1, 2, 3], PyTorch's
    # normalized_shape=(…)) several trailing ones.
    cls = layer_class(f.kind, f.dialect)
    for width in range(1, len(out) + 1):
        dims = out[-width:]
        if any(d is None or d < 1 for d in dims):
            break
        shape = tuple(d for d in dims if d is not None)
        axes = list(range(len(out) - width + 1, len(out) + 1))  # Keras counts the batch axis as 0
        for extra, beta in (("", True), ("bias=False" if f.torch else "center=False", False)):
            if f.torch:
                size = str(shape[0]) if width == 1 else tuple_text(shape)
                code = f"{f.name}({size}{', ' + extra if extra else ''})"
                build = None
                if cls is not None and known(f.in_shape) is not None:
                    build = partial(cls, shape if width > 1 else shape[0], bias=beta)
            else:
                axis = [] if width == 1 else [f"axis={axes}"]
                code = f"{f.name}({', '.join([*axis, *([extra] if extra else [])])})"
                build = None
                if cls is not None and known(f.in_shape) is not None:
                    build = partial(cls, axis=axes if width > 1 else -1, center=beta)
            assumed = ([extra] if extra else []) + (["normalised axes"] if width > 1 else [])
            f.add(code, build, partial(_counting.layernorm_counts, shape, True, beta), assumed, 0)


def _search_embedding(f: Finder) -> None:
    out, count = f.out, f.count
    if out is None or count is None or not out or not out[-1] or count % out[-1]:
        return
    d = out[-1]
    v = count // d
    cls = layer_class(f.kind, f.dialect)
    build = partial(cls, v, d) if cls is not None and known(f.in_shape) is not None else None
    f.add(f"{f.name}({v}, {d})", build, partial(_counting.embedding_counts, v, d), [], 0)


SEARCHES: Mapping[Family, Callable[[Finder], None]] = MappingProxyType(
    {
        Family.CONV: search_conv,
        Family.TRANSPOSE: search_conv,
        Family.DEPTHWISE: search_depthwise,
        Family.SEPARABLE: search_separable,
        Family.DENSE: _search_dense,
        Family.NORM: _search_norm,
        Family.EMBEDDING: _search_embedding,
        Family.RECURRENT: search_recurrent,
        Family.ATTENTION: search_attention,
    }
)
"""The candidate search of each family whose layers have weights."""


def find_candidates(
    row: PastedRow, kind: LayerKind, in_shape: PShape | None, dialect: Dialect
) -> list[Candidate]:
    """Every configuration of ``kind`` that gives the row's printed shape and count, likeliest first.

    Parameters
    ----------
    row : PastedRow
        The row (its output shape and count).
    kind : LayerKind
        Its kind; a family without a search in :data:`SEARCHES` gives no candidates.
    in_shape : tuple or None
        The row's input shape, or None to explain the count alone.
    dialect : Dialect
        The paste's framework.

    Returns
    -------
    list of Candidate
        Sorted by score (fewest assumptions and most usual kernels first).
    """
    search = SEARCHES.get(kind.family)
    if search is None:
        return []
    layouts: list[Layout | None] = [None]
    if (
        dialect is Dialect.KERAS
        and kind.family in _LAYOUT_FAMILIES
        and kind.count is not _counting.layernorm_counts
    ):
        # Keras layers take data_format='channels_first' (BatchNormalization axis=1): the paste cannot say.
        layouts.append(Layout.CHANNELS_FIRST)
    found: list[Candidate] = []
    for layout in layouts:
        finder = Finder(row, kind, in_shape, dialect, layout)
        search(finder)
        found += finder.found
    return sorted(found, key=lambda c: c.score)


_LAYOUT_FAMILIES = frozenset({Family.CONV, Family.TRANSPOSE, Family.DEPTHWISE, Family.SEPARABLE, Family.NORM})
