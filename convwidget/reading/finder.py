"""The candidate search's workbench: one row's facts, and the configurations that fit them.

A family's search (:mod:`.search`, :mod:`.search_conv`) proposes configurations; :meth:`Finder.add`
builds each with the dialect's own class, runs ``describe()`` on the row's input, and keeps it
when the printed shape and count come out, so every kept formula is the counting core's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from .. import layers as keras_layers
from .. import nn as torch_nn
from .._counting import Counted
from ..enums import Dialect, Layout
from ..errors import ConfigError
from ..info import Describable, LayerInfo, Shape
from ..kinds import LayerKind
from .pasted import PastedRow, PShape
from .render_text import shape_text
from .results import Candidate

__all__ = [
    "MAX_COUNT",
    "NOT_CHECKED",
    "Arithmetic",
    "Build",
    "Finder",
    "divisors",
    "input_channel_penalty",
    "kernel_penalty",
    "kernels",
    "known",
    "layer_class",
    "tuple_text",
]

MAX_COUNT = 10**13  # beyond this a count is certainly not one layer of a lesson model
_NOT_SHOWN = "input shape not shown"
NOT_CHECKED = "input shape not checked"
"""A candidate's assumption when no class could be built on the printed input."""

Build = Callable[[], Describable]
"""Builds the candidate layer (with the dialect's class), to run ``describe()`` on."""
Arithmetic = Callable[[int, int, int, int], str]
"""How one spatial axis gets its length: (axis, input, kernel, output) → e.g. ``"26 − 3 + 1 = 24"``."""


def divisors(n: int) -> list[int]:
    """The divisors of ``n`` in increasing order (none for n ≤ 0 or absurdly large n)."""
    if n <= 0 or n > MAX_COUNT:
        return []
    small, large = [], []
    i = 1
    while i * i <= n:
        if n % i == 0:
            small.append(i)
            if i * i != n:
                large.append(n // i)
        i += 1
    return small + large[::-1]


def kernels(volume: int, rank: int, limit: int = 64) -> list[tuple[int, ...]]:
    """Every kernel size (k1, …, k_rank), each ≤ limit, whose product is ``volume``."""
    if rank == 0:
        return [()] if volume == 1 else []
    out = []
    for k in divisors(volume):
        if k > limit:
            break
        for rest in kernels(volume // k, rank - 1, limit):
            out.append((k, *rest))
    return out


# Points against a kernel by its largest side: lesson models use 1 to 5, some 7 (a ResNet stem), few
# 9 or 11 (AlexNet's stem), almost none larger; (step, points) for the smallest step the side fits.
_KERNEL_SIZE_POINTS = ((5, 0), (7, 1), (11, 3), (15, 5))
_LARGE_KERNEL_POINTS = 8


def kernel_penalty(kernel: tuple[int, ...]) -> int:
    """Points against an unusual kernel: models use small, square, odd kernels larger than 1.

    Parameters
    ----------
    kernel : tuple of int
        The kernel's sides.

    Returns
    -------
    int
        0 for a usual kernel (3×3, 5×5); more for a non-square, even, 1-sided or large one, so that
        an ambiguous row lists the configuration a model most likely has first.
    """
    square = len(set(kernel)) == 1
    penalty = 0 if square else 1
    penalty += sum(2 for k in kernel if k % 2 == 0)
    penalty += sum(3 for k in kernel if k == 1 and not square)
    largest = max(kernel, default=1)
    return penalty + next((p for step, p in _KERNEL_SIZE_POINTS if largest <= step), _LARGE_KERNEL_POINTS)


def input_channel_penalty(channels: int) -> int:
    """Points against an input channel count the paste does not print (a first layer's input).

    Parameters
    ----------
    channels : int
        The channel count a configuration assumes.

    Returns
    -------
    int
        0 for grayscale or RGB (1, 3), 1 for a usual width (a power of two or a multiple of 8), 3
        for any other count.
    """
    if channels in (1, 3):
        return 0
    return 1 if channels & (channels - 1) == 0 or channels % 8 == 0 else 3


def known(shape: PShape | None) -> Shape | None:
    """The shape as ints, or None when it is missing or has an unprinted (None) dimension."""
    if shape is None:
        return None
    dims = [d for d in shape if d is not None]
    return tuple(dims) if len(dims) == len(shape) else None


def tuple_text(values: Sequence[int]) -> str:
    """Integers as a Python tuple literal: ``(3, 5)``."""
    return f"({', '.join(map(str, values))})"


def layer_class(kind: LayerKind, dialect: Dialect) -> Callable[..., Describable] | None:
    """convwidget's class for ``kind`` in ``dialect`` (from :mod:`convwidget.kinds`), or None."""
    name = kind.name_in(dialect)
    if name is None or dialect not in kind.modelled:
        return None
    module = keras_layers if dialect is Dialect.KERAS else torch_nn
    return cast("Callable[..., Describable]", getattr(module, name))


def _matches(printed: PShape, actual: Shape) -> bool:
    return len(printed) == len(actual) and all(p is None or p == a for p, a in zip(printed, actual))


class Finder:
    """Candidates for one row: tries configurations and keeps those whose ``describe()`` fits.

    Parameters
    ----------
    row : PastedRow
        The row to explain.
    kind : LayerKind
        Its kind (from :mod:`convwidget.kinds`).
    in_shape : tuple or None
        Its input shape, when the paste shows it.
    dialect : Dialect
        The paste's framework: it decides the class names.
    layout : Layout or None
        Where the channels sit; None for the framework's default (Keras channels-last, PyTorch
        channels-first). A Keras candidate in the other layout says ``data_format='channels_first'``.
    """

    def __init__(
        self,
        row: PastedRow,
        kind: LayerKind,
        in_shape: PShape | None,
        dialect: Dialect,
        layout: Layout | None = None,
    ) -> None:
        self.row = row
        self.kind = kind
        self.in_shape = in_shape
        self.out = row.output_shape
        self.count = row.count
        self.dialect = dialect
        default = Layout.CHANNELS_FIRST if dialect is Dialect.TORCH else Layout.CHANNELS_LAST
        self.layout = default if layout is None else layout
        # A Keras layer in the channels-first layout says so in its code and its arguments.
        self.layout_args: dict[str, object] = {}
        self.layout_code: list[str] = []
        if self.layout is not default and dialect is Dialect.KERAS:
            self.layout_args = {"data_format": "channels_first"}
            self.layout_code = ["data_format='channels_first'"]
        self.found: list[Candidate] = []
        self.seen: set[str] = set()
        self.extra_penalty = 0

    @property
    def torch(self) -> bool:
        """The paste is PyTorch's (torchinfo)."""
        return self.dialect is Dialect.TORCH

    @property
    def name(self) -> str:
        """The kind's class name in the paste's framework (for the candidates' code)."""
        return self.kind.name_in(self.dialect) or self.kind.keras or self.kind.torch or self.kind.key

    def channels(self, shape: PShape | None) -> int | None:
        """The channel count of a shape in the paste's layout (None if not shown)."""
        if not shape:
            return None
        if self.layout is Layout.CHANNELS_FIRST and len(shape) > 1:
            return shape[0]
        return shape[-1]

    def spatial(self, shape: PShape | None) -> PShape:
        """The spatial axes of a shape in the paste's layout."""
        if not shape:
            return ()
        return shape[1:] if self.layout is Layout.CHANNELS_FIRST else shape[:-1]

    def add(
        self,
        code: str,
        build: Build | None,
        counted: Callable[[], Counted],
        assumptions: Sequence[str],
        penalty: int,
        arithmetic: Arithmetic | None = None,
    ) -> bool:
        """Keep the configuration ``code`` if it gives the row's shape and count; say whether it did.

        With the input shape shown, ``build()`` makes the layer and its ``describe()`` must give the
        printed output shape and count (a configuration that does not fit the input raises
        :class:`ConfigError` and is skipped); otherwise ``counted()`` alone must give the count.
        """
        if code in self.seen:
            return False
        penalty += self.extra_penalty
        self.seen.add(code)
        in_known = known(self.in_shape)
        info: LayerInfo | None = None
        notes = list(assumptions) + self.layout_code
        if build is not None and in_known is not None:
            try:
                info = build().describe(in_known)
            except ConfigError:
                return False  # this configuration does not fit the input: the search tries the next
            if self.out is not None and not _matches(self.out, info.output_shape):
                return False
            terms = info.terms
            if self.count is not None and info.params != self.count:
                return False
        else:
            terms = counted().terms
            if self.count is not None and terms.total != self.count:
                return False
            # Without a class to build, the printed input could not be checked: say so.
            notes.append(_NOT_SHOWN if in_known is None else NOT_CHECKED)
        check = ""
        if info is not None:
            check = f"{shape_text(info.input_shape)} → {shape_text(info.output_shape)}"
            geometry = info.geometry
            if arithmetic is not None and geometry is not None:
                sp_in, sp_out = info.split(info.input_shape)[0], info.split(info.output_shape)[0]
                steps = [
                    arithmetic(axis, n, k, o)
                    for axis, (n, k, o) in enumerate(zip(sp_in, geometry.kernel_size, sp_out))
                ]
                check = ", ".join(steps)
        score = (3 * sum(1 for a in notes if a not in (_NOT_SHOWN, NOT_CHECKED)) + penalty, 0)
        self.found.append(
            Candidate(
                layer=code,
                terms=terms,
                input_shape=info.input_shape if info else None,
                output_shape=info.output_shape if info else None,
                shape_check=check,
                assumptions=tuple(notes),
                score=score,
                info=info,
            )
        )
        return True
