"""What a kernel stack shows, as pure data: :func:`plan_kernels` turns a LayerInfo into a :class:`KernelPlan`.

The plan says which blocks (kernels) to draw, where, with which slices and
cells, every label's text, size and place, and the dimension lines, in
canvas units (1/100 inch, see :mod:`convwidget.drawing._layout`) of the
canvas it is laid out for. Both ways of drawing it — the vector artists of
:mod:`convwidget.drawing.kernels` and the sprite compositor of
:mod:`convwidget.drawing.raster` — read the same plan, so they cannot disagree.

Size means size: a block's depth is the number of input channels its kernel
spans (to scale up to 8, then compressed, with the true number written on the
depth edge) and its face grows with the kernel size. The first kernel of a
row is dimensioned like a technical drawing (F, F and Cin on its three edges,
its bias cube labelled) and its front slice is outlined: one F×F slice per
input channel. Layers whose weights are no kernels (Dense, normalisations,
Embedding) are planned by :mod:`convwidget.drawing.weights_plan`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..enums import Family
from ..formula import group_digits
from ..info import KernelGeometry, LayerInfo
from ._layout import fit, font_scale, geometry_scale, line_height, plural, text_width
from ._style import FONT_SIZE
from .blocks import (
    CANVAS,
    FULL_DEPTH,
    MAX_CELLS,
    MAX_KERNELS,
    BlockSpec,
    PlacedBlock,
    bias_center,
    face_length,
    kernel_slices,
)

__all__ = ["KernelPlan", "Label", "Panel", "plan_kernels"]

_STEP = (6.0, 4.5)  # offset of one slice thickness at scale 1 (canvas units)
_TITLE_PT = 15.0
_COUNT_PT = 15.0
_LABEL_PT = 12.0

Align = Literal["left", "center", "right"]
Point = tuple[float, float]


@dataclass(frozen=True)
class Label:
    """One label's role, text and anchor (canvas units); ``va`` is always "center"."""

    role: str
    text: str
    x: float
    y: float
    ha: Align = "left"
    size: float = FONT_SIZE


@dataclass(frozen=True)
class Panel:
    """A flat polygon of a picture that is no kernel block (a weight matrix, a vector's cell run)."""

    verts: tuple[Point, ...]
    color: str
    hatch: bool = False  # non-trainable numbers are hatched
    edge: str | None = None  # outline colour; None: the usual dark edge (a highlight is thicker)


@dataclass(frozen=True)
class KernelPlan:
    """Everything a kernel-stack drawing shows, as data.

    ``kernels`` and ``slices`` are the true numbers of the layer (per row; for
    separable layers the depthwise stage first); ``kernels_drawn`` and
    ``slices_drawn`` what the bounded drawing shows; ``depths`` the drawn
    depth of a row's blocks in slice thicknesses (:func:`~convwidget.drawing.blocks.depth_units`
    of ``slices``), ``elided`` whether that depth is compressed, ``faces`` the
    (width, height) of a row's front faces in canvas units.
    """

    blocks: tuple[PlacedBlock, ...]
    labels: tuple[Label, ...]
    kernels: tuple[int, ...]
    kernels_drawn: tuple[int, ...]
    slices: tuple[int, ...]
    slices_drawn: tuple[int, ...]
    depths: tuple[float, ...] = ()
    faces: tuple[tuple[float, float], ...] = ()
    elided: tuple[bool, ...] = ()
    panels: tuple[Panel, ...] = ()
    marks: tuple[tuple[Point, ...], ...] = ()  # dimension lines and leaders
    canvas: tuple[float, float] = (float(CANVAS[0]), float(CANVAS[1]))
    scale: float = 1.0  # font scale the labels were sized with
    notes: tuple[str, ...] = field(default=())  # what the picture leaves out, said in words

    def label(self, role: str) -> str | None:
        """Text of the label with ``role``, or None."""
        for lab in self.labels:
            if lab.role == role:
                return lab.text
        return None


def _row_roles(row: str) -> tuple[str, ...]:
    return (
        f"depth_{row}",
        f"height_{row}",
        f"width_{row}",
        f"bias_{row}",
        f"gap_{row}",
        *(f"index_{row}{i}" for i in range(MAX_KERNELS)),
    )


# Label roles; every drawing of a plan owns one Text per role (weights_plan's included).
ROLES = (
    "title",
    "stage_a",
    "stage_b",
    "per_kernel",
    "total",
    "note",
    *_row_roles("a"),
    *_row_roles("b"),
    *(f"part{i}" for i in range(12)),
)


@dataclass(frozen=True)
class Frame:
    """The canvas a plan is laid out on, and its derived sizes."""

    width: float
    height: float
    g: float  # geometry scale: 1 on the 800×450 default
    s: float  # font scale
    margin: float

    @classmethod
    def of(cls, canvas: tuple[float, float]) -> Frame:
        g = geometry_scale(canvas)
        return cls(float(canvas[0]), float(canvas[1]), g, font_scale(canvas), max(6.0, 10 * g))

    def pt(self, base: float) -> float:
        return round(base * self.s * 2) / 2

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin


class Lines:
    """Text lines stacked from the top and from the bottom of a frame, each fitted to its width."""

    def __init__(self, frame: Frame) -> None:
        self.f = frame
        self.top = frame.height - frame.margin
        self.bottom = frame.margin
        self.labels: list[Label] = []

    def _fitted(self, text: str, base: float) -> tuple[str, float, float]:
        size = self.f.pt(base)
        text, size = fit(text, size, self.f.inner, max(size * 0.72, 7.0))
        return text, size, line_height(size, text.count("\n") + 1)

    def down(self, role: str, text: str, base: float) -> None:
        """A line under the previous top line."""
        text, size, h = self._fitted(text, base)
        self.labels.append(Label(role, text, self.f.margin, self.top - h / 2, "left", size))
        self.top -= h + 2 * self.f.g

    def up(self, role: str, text: str, base: float) -> None:
        """A line above the previous bottom line."""
        text, size, h = self._fitted(text, base)
        self.labels.append(Label(role, text, self.f.margin, self.bottom + h / 2, "left", size))
        self.bottom += h + 2 * self.f.g


def _ids(n: int, drawn: int) -> list[int]:
    """Kernels drawn out of ``n``: all if they fit, else the first ``drawn − 1`` and the last."""
    if n <= drawn:
        return list(range(n))
    return [*range(drawn - 1), n - 1]


@dataclass(frozen=True)
class RowSpec:
    """What one row of kernels is: how many, their shape, and what the first one's edges say."""

    count: int
    cells: tuple[int, int]  # Fh, Fw
    channels: int  # slices of one kernel
    first_channel: Callable[[int], int]  # kernel → its first input channel
    bias: bool
    depth_text: str  # written on the first kernel's depth edge


def _spec(r: RowSpec, k: int, f: Frame, sc: float) -> BlockSpec:
    fh, fw = r.cells
    channels, thick, compressed = kernel_slices(r.first_channel(k), r.channels)
    return BlockSpec(
        min(fh, MAX_CELLS),
        min(fw, MAX_CELLS),
        round(face_length(fw) * f.g * sc, 1),
        round(face_length(fh) * f.g * sc, 1),
        channels,
        r.bias,
        (round(_STEP[0] * f.g * sc, 2), round(_STEP[1] * f.g * sc, 2)),
        thick,
        highlight=True,
        bias_edge=round(12 * f.g * sc, 1),
        compressed=compressed,
    )


@dataclass
class PlacedRow:
    """A row laid out: its blocks, labels and dimension lines."""

    ids: list[int]
    blocks: list[PlacedBlock]
    labels: list[Label]
    marks: list[tuple[Point, ...]]


def _place_row(r: RowSpec, f: Frame, row: str, y_lo: float, y_hi: float) -> PlacedRow:
    """Lay out one row of kernels between heights ``y_lo`` and ``y_hi`` (canvas units)."""
    small = f.pt(_LABEL_PT)
    lh = line_height(small)
    gap = 3 * f.g
    tick = 4 * f.g
    index_on = (y_hi - y_lo) - 3 * lh > 60 * f.g  # the "#k" row only where the blocks keep room
    below = lh + gap + (lh if index_on else 0.0) + tick
    above = lh + 2 * gap + tick
    left = f.margin + text_width(str(r.cells[0]), small) + tick + gap
    avail_w = f.width - f.margin - left
    avail_h = max(y_hi - y_lo - below - above, 8.0)
    spacing = 22 * f.g
    dots = 34 * f.g

    bias_label = text_width("+1 bias", small) if r.bias else 0.0

    def width(sc: float, drawn: int) -> float:
        # Every kernel of a row has the same size (only its slices' colours differ).
        spec = _spec(r, 0, f, sc)
        n = len(_ids(r.count, drawn))
        extra = dots if r.count > drawn else 0.0
        first = max(spec.footprint, spec.width / 2 + bias_label + gap)
        return first + spec.footprint * (n - 1) + spacing * (n - 1) + extra

    sc = min(1.0, avail_h / _spec(r, 0, f, 1.0).top)
    drawn = min(r.count, MAX_KERNELS)
    while drawn > min(r.count, 2) and width(sc, drawn) > avail_w:
        drawn -= 1
    if width(sc, drawn) > avail_w:
        sc *= avail_w / width(sc, drawn)
    ids = _ids(r.count, drawn)
    slack = max(avail_h - _spec(r, 0, f, sc).top, 0.0)
    y0 = round(y_lo + below + slack / 2)
    x = left
    blocks: list[PlacedBlock] = []
    labels: list[Label] = []
    for slot, k in enumerate(ids):
        if r.count > drawn and slot == len(ids) - 1:
            x += dots
        spec = _spec(r, k, f, sc)
        b = PlacedBlock(spec, round(x), y0, k)
        blocks.append(b)
        if index_on:
            labels.append(
                Label(
                    f"index_{row}{slot}",
                    f"#{k + 1}",
                    b.x + spec.width / 2,
                    y0 - below + lh / 2,
                    "center",
                    small,
                )
            )
        step = spec.footprint
        if slot == 0 and r.bias:
            step = max(step, spec.width / 2 + text_width("+1 bias", small) + gap)
        x += step + spacing
    if r.count > drawn:
        before, last = blocks[-2], blocks[-1]
        right = before.x + before.spec.footprint
        mid_y = y0 + last.spec.top / 2
        labels.append(Label(f"gap_{row}", "…", (right + last.x) / 2, mid_y, "center", f.pt(20)))
    first = blocks[0]
    s = first.spec
    x0, y0f, w, h = first.x, first.y, s.width, s.height
    ex, ey = s.extent
    marks: list[tuple[Point, ...]] = []
    # Width: a dimension line under the front face, its number under it.
    yd = y0f - tick
    marks += [
        ((x0, yd), (x0 + w, yd)),
        ((x0, yd - tick / 2), (x0, yd + tick / 2)),
        ((x0 + w, yd - tick / 2), (x0 + w, yd + tick / 2)),
    ]
    wy = yd - gap / 2 - lh / 2
    labels.append(Label(f"width_{row}", str(r.cells[1]), x0 + w / 2, wy, "center", small))
    # Height: left of the front face.
    xd = x0 - tick
    marks += [
        ((xd, y0f), (xd, y0f + h)),
        ((xd - tick / 2, y0f), (xd + tick / 2, y0f)),
        ((xd - tick / 2, y0f + h), (xd + tick / 2, y0f + h)),
    ]
    labels.append(Label(f"height_{row}", str(r.cells[0]), xd - gap, y0f + h / 2, "right", small))
    # Depth: along the top-left receding edge, lifted off it; the number above, with a leader.
    ox, oy = -tick * 0.6, tick * 0.8
    a, b_ = (x0 + ox, y0f + h + oy), (x0 + ex + ox, y0f + h + ey + oy)
    nx, ny = 0.6 * tick, -0.45 * tick  # a tick across the line
    marks += [
        (a, b_),
        ((a[0] - nx, a[1] - ny), (a[0] + nx, a[1] + ny)),
        ((b_[0] - nx, b_[1] - ny), (b_[0] + nx, b_[1] + ny)),
    ]
    depth_y = y0f + s.top + 2 * gap + tick + lh / 2
    mid = ((a[0] + b_[0]) / 2, (a[1] + b_[1]) / 2)
    dw = text_width(r.depth_text, small)
    dx = min(max(mid[0] - dw * 0.25, f.margin), f.width - f.margin - dw)
    marks.append((mid, (mid[0], depth_y - lh / 2)))
    labels.append(Label(f"depth_{row}", r.depth_text, dx, depth_y, "left", small))
    if r.bias:
        bx, _ = bias_center(first)
        bw = text_width("+1 bias", small)
        width_right = x0 + w / 2 + text_width(str(r.cells[1]), small) / 2
        lx = max(bx - bw / 2, width_right + gap)
        labels.append(Label(f"bias_{row}", "+1 bias", lx, wy, "left", small))
    return PlacedRow(ids, blocks, labels, marks)


def _dims(g: KernelGeometry) -> tuple[int, int]:
    fh = g.kernel_size[-2] if len(g.kernel_size) >= 2 else 1
    fw = g.kernel_size[-1] if g.kernel_size else 1
    return fh, fw


def _cells(g: KernelGeometry) -> str:
    return "×".join(str(k) for k in g.kernel_size) or "1"


def _bias_text(g: KernelGeometry) -> str:
    return " + 1 bias" if g.bias else ", no bias"


def _plan_rows(
    info: LayerInfo,
    f: Frame,
    title: str,
    rows: Sequence[tuple[str, str | None, RowSpec]],
    bottom: list[tuple[str, str, float]],
) -> KernelPlan:
    """Title on top, ``bottom`` lines at the bottom, and each row (with its stage line) in between."""
    lines = Lines(f)
    lines.down("title", title, _TITLE_PT)
    for role, text, base in reversed(bottom):
        lines.up(role, text, base)
    labels = list(lines.labels)
    blocks: list[PlacedBlock] = []
    marks: list[tuple[Point, ...]] = []
    kernels, drawn, slices, slices_drawn, depths, faces, elided = [], [], [], [], [], [], []
    top = lines.top
    band = (top - lines.bottom) / len(rows)
    for i, (row, stage, spec) in enumerate(rows):
        hi, lo = top - i * band, top - (i + 1) * band
        if stage is not None:
            text, size = fit(stage, f.pt(_LABEL_PT + 1), f.inner, max(f.pt(_LABEL_PT) * 0.72, 7.0))
            h = line_height(size, text.count("\n") + 1)
            labels.append(Label(f"stage_{row}", text, f.margin, hi - h / 2, "left", size))
            hi -= h + 2 * f.g
        placed = _place_row(spec, f, row, lo, hi)
        blocks += placed.blocks
        labels += placed.labels
        marks += placed.marks
        kernels.append(spec.count)
        drawn.append(len(placed.ids))
        slices.append(spec.channels)
        slices_drawn.append(len(placed.blocks[0].spec.channels))
        depths.append(placed.blocks[0].spec.units)
        faces.append((placed.blocks[0].spec.width, placed.blocks[0].spec.height))
        elided.append(spec.channels > FULL_DEPTH)
    return KernelPlan(
        tuple(blocks),
        tuple(labels),
        tuple(kernels),
        tuple(drawn),
        tuple(slices),
        tuple(slices_drawn),
        tuple(depths),
        tuple(faces),
        tuple(elided),
        marks=tuple(marks),
        canvas=(f.width, f.height),
        scale=f.s,
    )


def _conv(info: LayerInfo, g: KernelGeometry, f: Frame) -> KernelPlan:
    """Conv and transpose: Cout kernels of F×F×(Cin/groups), grouped kernels on their group's channels."""
    cpk = g.channels_per_kernel
    per = g.kernel_volume * cpk + (1 if g.bias else 0)
    per_group = g.out_channels // g.groups
    depth = f"{plural(cpk, 'slice')} = {plural(cpk, 'input channel')}"
    # No count in the title: it stays the same while a slider moves, so its sprite is reused.
    title = f"{info.layer_type}: every kernel has one {_cells(g)} slice (outlined) per input channel"
    if g.groups > 1:
        depth = f"{plural(cpk, 'slice')} = {cpk:,} of the {plural(g.in_channels, 'input channel')}"
        sees = f"each kernel sees the {plural(cpk, 'channel')} of its group"
        title = f"{info.layer_type}, groups={g.groups}: {sees}"
    row = RowSpec(g.out_channels, _dims(g), cpk, lambda k: (k // per_group) * cpk, g.bias, depth)
    bottom = [
        (
            "per_kernel",
            f"each kernel: {_cells(g)}×{cpk:,} weights{_bias_text(g)} = {group_digits(per)}",
            _COUNT_PT,
        ),
        (
            "total",
            f"{plural(g.out_channels, 'kernel')} × {group_digits(per)} = {group_digits(info.terms.total)}",
            _COUNT_PT,
        ),
    ]
    return _with_note(info, f, title, [("a", None, row)], bottom)


def _depthwise(info: LayerInfo, g: KernelGeometry, f: Frame) -> KernelPlan:
    per = g.kernel_volume + (1 if g.bias else 0)
    dm = g.depth_multiplier
    row = RowSpec(g.out_channels, _dims(g), 1, lambda k: k // dm, g.bias, "1 slice = its own input channel")
    times = f" × {dm} (depth multiplier)" if dm > 1 else ""
    title = f"{info.layer_type}: one {_cells(g)}×1 kernel per input channel{times}"
    bottom = [
        ("per_kernel", f"each kernel: {_cells(g)}×1 weights{_bias_text(g)} = {group_digits(per)}", _COUNT_PT),
        (
            "total",
            f"{plural(g.in_channels, 'channel')} × {dm} = {plural(g.out_channels, 'kernel')}"
            f" × {group_digits(per)}"
            f" = {group_digits(info.terms.total)}",
            _COUNT_PT,
        ),
    ]
    return _with_note(info, f, title, [("a", None, row)], bottom)


def _separable(info: LayerInfo, g: KernelGeometry, f: Frame) -> KernelPlan:
    """Two rows: Cin·dm depthwise kernels of F×F×1, then Cout pointwise kernels of 1×1×(Cin·dm)."""
    dm = g.depth_multiplier
    mid = g.in_channels * dm  # the depthwise stage's outputs, the pointwise stage's inputs
    dw = RowSpec(mid, _dims(g), 1, lambda k: k // dm, False, "1 slice = its own input channel")
    source = (
        f"{g.in_channels:,} input channels × {dm} (depth multiplier)"
        if dm > 1
        else plural(mid, "input channel")
    )
    pw = RowSpec(g.out_channels, (1, 1), mid, lambda k: 0, g.bias, f"{plural(mid, 'slice')} = {source}")
    pw_per = mid + (1 if g.bias else 0)
    rows = [
        (
            "a",
            f"depthwise: {plural(mid, 'kernel')} of {_cells(g)}×1, no bias"
            f" = {group_digits(g.kernel_volume * mid)}",
            dw,
        ),
        (
            "b",
            f"pointwise: {plural(g.out_channels, 'kernel')} of 1×1×{mid:,}{_bias_text(g)}"
            f" = {group_digits(g.out_channels * pw_per)}",
            pw,
        ),
    ]
    title = f"{info.layer_type}: a depthwise stage, then a 1×1 stage"
    if dm > 1:
        title = f"{info.layer_type}: depthwise ({dm} kernels per input channel), then 1×1"
    total = [("total", f"total: {info.terms.text}", _COUNT_PT)]
    return _with_note(info, f, title, rows, total, ("depthwise kernel", "pointwise kernel"))


def _with_note(
    info: LayerInfo,
    f: Frame,
    title: str,
    rows: Sequence[tuple[str, str | None, RowSpec]],
    bottom: list[tuple[str, str, float]],
    nouns: tuple[str, ...] = ("kernel",),
) -> KernelPlan:
    """Plan once to learn what is left out, then again with a line saying so (if anything is)."""
    plan = _plan_rows(info, f, title, rows, bottom)
    more = [
        f"{k - d:,} more {noun if k - d == 1 else noun + 's'}"
        for k, d, noun in zip(plan.kernels, plan.kernels_drawn, nouns)
        if k > d
    ]
    parts = [f"… {' and '.join(more)} not drawn"] if more else []
    if any(plan.elided):
        parts.append(f"depth compressed beyond {FULL_DEPTH} slices")
    if not parts:
        return plan
    return _plan_rows(info, f, title, rows, [*bottom, ("note", "; ".join(parts), _LABEL_PT)])


_PLANS: dict[Family, Callable[[LayerInfo, KernelGeometry, Frame], KernelPlan]] = {
    Family.CONV: _conv,
    Family.TRANSPOSE: _conv,
    Family.DEPTHWISE: _depthwise,
    Family.SEPARABLE: _separable,
}


def has_plan(info: LayerInfo) -> bool:
    """Whether :func:`plan_kernels` draws this layer's weights (convolutions, Dense, norms, Embedding)."""
    g = info.geometry
    if g is not None and (g.kind in _PLANS or g.kind is Family.DENSE):
        return True
    family = info.kind.family if info.kind is not None else None
    return family in (Family.NORM, Family.EMBEDDING) and info.terms.total > 0


def plan_kernels(
    info: LayerInfo, canvas: tuple[float, float] | None = None, *, bare: bool = False
) -> KernelPlan:
    """Lay out the picture of a layer's weights (pure data, no drawing).

    Parameters
    ----------
    info : LayerInfo
        A convolution (plain, grouped, transposed, depthwise, separable), a
        Dense layer, a normalisation (BatchNormalization, LayerNormalization,
        GroupNorm…) or an Embedding.
    canvas : (float, float), optional
        Size of the drawing area in 1/100 inch (default 800×450, an 8×4.5-inch Axes).
    bare : bool
        For a layer without kernels: the picture and its own labels only, without
        title and count lines (for a part of another drawing).

    Returns
    -------
    KernelPlan
        Blocks, panels and labels in canvas units; counts in labels are the layer's true ones.

    Raises
    ------
    ConfigError
        If the layer has no weights this drawing shows (e.g. Flatten, LSTM).
    """
    from .weights_plan import plan_weights

    f = Frame.of(canvas or (float(CANVAS[0]), float(CANVAS[1])))
    g = info.geometry
    if g is not None and g.kind in _PLANS:
        return _PLANS[g.kind](info, g, f)
    return plan_weights(info, f, bare)
