"""What a kernel stack shows, as pure data: :func:`plan_kernels` turns a LayerInfo into a :class:`KernelPlan`.

The plan says which blocks (kernels) to draw, where, with which slices and
cells, and every label's text, in canvas units of ``CANVAS``. Both ways of
drawing it — the vector artists of :mod:`convwidget.drawing.kernels` and the
sprite compositor of :mod:`convwidget.drawing.raster` — read the same plan,
so they cannot disagree. Every number in a label comes from the layer's
:class:`~convwidget.info.KernelGeometry` and ``terms``; what is drawn is
bounded by ``MAX_KERNELS`` and ``MAX_SLICES``, what is written is not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..enums import Family
from ..formula import group_digits
from ..info import KernelGeometry, LayerInfo
from ._spec import geometry_of
from ._style import FONT_SIZE
from .blocks import BIAS_EDGE, CANVAS, MAX_CELLS, MAX_KERNELS, MAX_SLICES, BlockSpec, PlacedBlock

__all__ = ["KernelPlan", "Label", "plan_kernels"]

_FACE = 64  # front face of a kernel, canvas units
# Kernel blocks step slices back by 4 units instead of 5: six blocks of eight slices and a bias
# cube then fit the canvas width with a 64-unit face (a row is width-bound, not height-bound).
_KERNEL_DEPTH = (4, 4)
_PITCH = 122  # distance between kernels in a row
_GAP = 38  # extra room before the last kernel when some are left out
_LEFT = 14
_TEXT_X = 16  # left edge of the text lines
# Label sizes: the counts are the message, so they are the largest text (classroom projectors).
_TITLE_PT = 15.0
_COUNT_PT = 16.0
_INDEX_PT = 13.0

# Label roles; every drawing of a plan owns one Text per role.
ROLES = (
    "title",
    "stage_a",
    "stage_b",
    "per_kernel",
    "total",
    "more_kernels_a",
    "more_kernels_b",
    "gap_a",
    "gap_b",
    "bias_a",
    "bias_b",
    "more_slices",
    *(f"index_a{i}" for i in range(MAX_KERNELS)),
    *(f"index_b{i}" for i in range(MAX_KERNELS)),
)

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Label:
    """One label's role, text and anchor (canvas units)."""

    role: str
    text: str
    x: float
    y: float
    ha: Align = "left"
    size: float = FONT_SIZE


@dataclass(frozen=True)
class KernelPlan:
    """Everything a kernel-stack drawing shows, as data.

    ``kernels`` and ``slices`` are the true numbers of the layer;
    ``kernels_drawn`` and ``slices_drawn`` are what the bounded drawing shows
    (for separable layers, the depthwise stage first).
    """

    blocks: tuple[PlacedBlock, ...]
    labels: tuple[Label, ...]
    kernels: tuple[int, ...]
    kernels_drawn: tuple[int, ...]
    slices: tuple[int, ...]
    slices_drawn: tuple[int, ...]

    def label(self, role: str) -> str | None:
        """Text of the label with ``role``, or None."""
        for lab in self.labels:
            if lab.role == role:
                return lab.text
        return None


def _kernel_ids(n: int) -> list[int]:
    """Kernels drawn out of ``n``: all if few, else the first ones and the last."""
    if n <= MAX_KERNELS:
        return list(range(n))
    return [*range(MAX_KERNELS - 1), n - 1]


def _face(kernel_size: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Grid rows, cols and face width, height for a kernel's last two axes."""
    fh = kernel_size[-2] if len(kernel_size) >= 2 else 1
    fw = kernel_size[-1] if kernel_size else 1
    big = max(fh, fw)
    # Rectangular kernels keep their aspect; the larger side gets the full face.
    return min(fh, MAX_CELLS), min(fw, MAX_CELLS), round(_FACE * fw / big), round(_FACE * fh / big)


def _slices(channels: range | list[int]) -> tuple[int, ...]:
    return tuple(channels[:MAX_SLICES])


def _bias_text(g: KernelGeometry) -> str:
    return " + 1 bias" if g.bias else ""


SpecOf = Callable[[int], BlockSpec]


def _row(
    n: int, y: int, spec_of: SpecOf, row: str, noun: str
) -> tuple[list[int], list[PlacedBlock], list[Label]]:
    """Place the drawn kernels of ``n`` in one row at height ``y``, with index labels."""
    ids = _kernel_ids(n)
    blocks: list[PlacedBlock] = []
    labels: list[Label] = []
    index_y = y - 17  # just under the front faces
    for slot, k in enumerate(ids):
        x = _LEFT + slot * _PITCH
        if n > MAX_KERNELS and slot == len(ids) - 1:
            x += _GAP  # leave room for the ellipsis
        spec = spec_of(k)
        blocks.append(PlacedBlock(spec, x, y, k))
        labels.append(
            Label(f"index_{row}{slot}", f"#{k + 1}", x + spec.width / 2, index_y, "center", _INDEX_PT)
        )
        if slot == 0 and spec.bias:
            bias_x = x + spec.width + len(spec.channels) * spec.depth[0] + 4 + BIAS_EDGE / 2
            labels.append(Label(f"bias_{row}", "bias", bias_x, index_y, "center"))
    if n > MAX_KERNELS:
        # The ellipsis sits midway between the right edge of the next-to-last block and the last block.
        before, last = blocks[-2], blocks[-1]
        right = before.x + before.spec.footprint
        mid_y = y + (last.spec.height + len(last.spec.channels) * last.spec.depth[1]) / 2
        labels.append(Label(f"gap_{row}", "…", (right + last.x) / 2, mid_y, "center", size=20))
        more = f"… {group_digits(n - len(ids))} more {noun} not drawn"
        labels.append(Label(f"more_kernels_{row}", more, CANVAS[0] - 14, y - 42, "right"))
    return ids, blocks, labels


def _plan_separable(info: LayerInfo, g: KernelGeometry) -> KernelPlan:
    """Two rows: Cin·dm depthwise kernels of F×F×1, then Cout pointwise kernels of 1×1×(Cin·dm)."""
    rows, cols, fw, fh = _face(g.kernel_size)
    dims = "×".join(str(k) for k in g.kernel_size)
    mid = g.in_channels * g.depth_multiplier  # the depthwise stage's outputs, the pointwise stage's inputs

    def dw_spec(k: int) -> BlockSpec:
        # Depthwise kernel k reads input channel k // dm (dm kernels per channel).
        return BlockSpec(rows, cols, fw, fh, (k // g.depth_multiplier,), False, _KERNEL_DEPTH)

    pw_channels = _slices([c // g.depth_multiplier for c in range(mid)])

    def pw_spec(k: int) -> BlockSpec:
        return BlockSpec(1, 1, _FACE // 2, _FACE // 2, pw_channels, g.bias, _KERNEL_DEPTH)

    dw_count = g.kernel_volume * mid
    pw_per = mid + (1 if g.bias else 0)
    title_y = CANVAS[1] - 24
    labels = [
        Label(
            "title",
            f"{info.layer_type}: a depthwise stage, then a 1×1 stage",
            _TEXT_X,
            title_y,
            size=_TITLE_PT,
        ),
        Label(
            "stage_a",
            f"depthwise: {group_digits(mid)} kernels of {dims}×1, no bias = {group_digits(dw_count)}",
            _TEXT_X,
            title_y - 32,
        ),
    ]
    dw_ids, blocks, row_labels = _row(mid, 300, dw_spec, "a", "kernels")
    labels += row_labels
    labels.append(
        Label(
            "stage_b",
            f"pointwise: {group_digits(g.out_channels)} kernels of 1×1×{group_digits(mid)}{_bias_text(g)}"
            f" = {group_digits(g.out_channels * pw_per)}",
            _TEXT_X,
            232,
        )
    )
    pw_ids, pw_blocks, row_labels = _row(g.out_channels, 150, pw_spec, "b", "kernels")
    blocks += pw_blocks
    labels += row_labels
    labels.append(Label("total", f"total: {info.terms.text}", _TEXT_X, 70, size=_COUNT_PT))
    if mid > MAX_SLICES:
        more = f"… {group_digits(mid - MAX_SLICES)} more slices per 1×1 kernel"
        labels.append(Label("more_slices", more, _TEXT_X, 34))
    return KernelPlan(
        tuple(blocks),
        tuple(labels),
        (mid, g.out_channels),
        (len(dw_ids), len(pw_ids)),
        (1, mid),
        (1, len(pw_channels)),
    )


@dataclass(frozen=True)
class _OneRow:
    """What a one-row kernel stack (conv, transpose, depthwise, dense) says and draws."""

    title: str
    per_kernel: str
    total: str
    spec_of: SpecOf
    per_kernel_channels: int  # slices of one kernel (inputs of one unit)
    noun: str = "kernels"  # what the blocks are
    slice_noun: str = "slices"  # what a block's slices are


def _depthwise_row(info: LayerInfo, g: KernelGeometry) -> _OneRow:
    rows, cols, fw, fh = _face(g.kernel_size)
    dims = "×".join(str(k) for k in g.kernel_size)
    per = g.kernel_volume + (1 if g.bias else 0)

    def spec(k: int) -> BlockSpec:
        return BlockSpec(rows, cols, fw, fh, (k // g.depth_multiplier,), g.bias, _KERNEL_DEPTH)

    return _OneRow(
        f"{info.layer_type}: one {dims} kernel per input channel (× depth multiplier)",
        f"each kernel: {dims}×1 weights{_bias_text(g)} = {group_digits(per)}",
        f"{group_digits(g.in_channels)} channels × {g.depth_multiplier} = {group_digits(g.out_channels)} "
        f"kernels × {group_digits(per)} = {group_digits(info.terms.total)}",
        spec,
        1,
    )


def _dense_row(info: LayerInfo, g: KernelGeometry) -> _OneRow:
    channels = _slices(range(g.in_channels))
    per = g.in_channels + (1 if g.bias else 0)

    def spec(k: int) -> BlockSpec:
        return BlockSpec(1, 1, _FACE // 2, _FACE // 2, channels, g.bias, _KERNEL_DEPTH)

    return _OneRow(
        f"{info.layer_type}: one kernel per unit, spanning all {group_digits(g.in_channels)} inputs",
        f"each unit: {group_digits(g.in_channels)} weights{_bias_text(g)} = {group_digits(per)}",
        f"{group_digits(g.out_channels)} units × {group_digits(per)} = {group_digits(info.terms.total)}",
        spec,
        g.in_channels,
        "units",
        "inputs",
    )


def _conv_row(info: LayerInfo, g: KernelGeometry) -> _OneRow:
    """Conv and transpose: Cout kernels of F×F×(Cin/groups)."""
    rows, cols, fw, fh = _face(g.kernel_size)
    dims = "×".join(str(k) for k in g.kernel_size)
    cpk = g.channels_per_kernel
    per = g.kernel_volume * cpk + (1 if g.bias else 0)
    per_group = g.out_channels // g.groups

    def spec(k: int) -> BlockSpec:
        first = (k // per_group) * cpk  # a grouped kernel spans only its group's channels
        return BlockSpec(rows, cols, fw, fh, _slices(range(first, first + cpk)), g.bias, _KERNEL_DEPTH)

    # No count in the title: it stays the same while a slider moves, so its sprite is reused.
    title = f"{info.layer_type}: one slice per input channel in every kernel"
    if g.groups > 1:
        title = (
            f"{info.layer_type}, groups={g.groups}: each kernel sees {group_digits(cpk)} "
            f"of {group_digits(g.in_channels)} channels"
        )
    return _OneRow(
        title,
        f"each kernel: {dims}×{group_digits(cpk)} weights{_bias_text(g)} = {group_digits(per)}",
        f"{group_digits(g.out_channels)} kernels × {group_digits(per)} = {group_digits(info.terms.total)}",
        spec,
        cpk,
    )


_ONE_ROW: dict[Family, Callable[[LayerInfo, KernelGeometry], _OneRow]] = {
    Family.CONV: _conv_row,
    Family.TRANSPOSE: _conv_row,
    Family.DEPTHWISE: _depthwise_row,
    Family.DENSE: _dense_row,
}


def plan_kernels(info: LayerInfo) -> KernelPlan:
    """Lay out the kernel stack of a layer (pure data, no drawing).

    Parameters
    ----------
    info : LayerInfo
        A convolution (plain, grouped, transposed, depthwise, separable) or Dense layer.

    Returns
    -------
    KernelPlan
        Blocks and labels in canvas units; counts in labels are the layer's true ones.

    Raises
    ------
    ConfigError
        If the layer has no kernels (``info.geometry`` is None).
    """
    g = geometry_of(info, "draw_kernels")
    if g.kind is Family.SEPARABLE:
        return _plan_separable(info, g)
    one = _ONE_ROW[g.kind](info, g)
    labels = [Label("title", one.title, _TEXT_X, CANVAS[1] - 24, size=_TITLE_PT)]
    ids, blocks, row_labels = _row(g.out_channels, 276, one.spec_of, "a", one.noun)
    labels += row_labels
    labels.append(Label("per_kernel", one.per_kernel, _TEXT_X, 172, size=_COUNT_PT))
    labels.append(Label("total", one.total, _TEXT_X, 126, size=_COUNT_PT))
    cpk = one.per_kernel_channels
    if cpk > MAX_SLICES:
        more = f"… {group_digits(cpk - MAX_SLICES)} more {one.slice_noun} per kernel"
        labels.append(Label("more_slices", more, _TEXT_X, 80, size=_INDEX_PT))
    return KernelPlan(
        tuple(blocks), tuple(labels), (g.out_channels,), (len(ids),), (cpk,), (min(cpk, MAX_SLICES),)
    )
