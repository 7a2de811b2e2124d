"""The arithmetic of the convolution-volume picture, as pure data: :func:`plan_volume` → :class:`VolumePlan`.

Heights, widths and channels are read from the layer's shapes through
``LayerInfo.layout``, never guessed from them; strides, padding and dilation
are the layer's (or inferred from the shapes), checked against its output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import _arith
from .._checks import fail, int_tuple
from ..enums import Family, Padding
from ..info import LayerInfo
from ._spec import Plane, geometry_of, planes

__all__ = ["FAMILIES", "VolumePlan", "plan_volume"]

_CALLER = "draw_conv_volume"
FAMILIES = frozenset({Family.CONV, Family.DEPTHWISE, Family.SEPARABLE, Family.TRANSPOSE})


@dataclass(frozen=True)
class VolumePlan:
    """The arithmetic behind one convolution-volume picture (pure data).

    ``pad`` is ((top, bottom), (left, right)) in cells; ``window`` lists the
    padded-input cells (row, col) the kernel reads for output ``position``;
    ``channels_first`` is the layer's layout (it decides how shapes are written).
    """

    spatial_in: tuple[int, int]
    spatial_out: tuple[int, int]
    in_channels: int
    out_channels: int
    kernel: tuple[int, int]
    strides: tuple[int, int]
    dilation: tuple[int, int]
    pad: tuple[tuple[int, int], tuple[int, int]]
    padding_name: str
    position: tuple[int, int]
    window: tuple[tuple[int, int], ...]
    formulas: tuple[str, str]
    inferred: bool
    channels_first: bool = False
    transposed: bool = False

    @property
    def step(self) -> tuple[int, int]:
        """How far the kernel moves per output cell on the drawn grid (1 for a transposed layer)."""
        return (1, 1) if self.transposed else self.strides

    @property
    def grid(self) -> tuple[int, int]:
        """Rows and columns of the drawn input grid: padded, and for a transposed layer stretched."""
        (pt, pb), (pl, pr) = self.pad
        (h, w), (sh, sw) = self.spatial_in, self.strides
        if self.transposed:
            return (h - 1) * sh + 1 + pt + pb, (w - 1) * sw + 1 + pl + pr
        return h + pt + pb, w + pl + pr

    def shape_text(self, spatial: Plane, channels: int) -> str:
        """A shape written in the layer's own order: ``H×W×C``, or ``C×H×W (C×H×W)`` channels-first."""
        if self.channels_first:
            return f"{channels:,}×{spatial[0]}×{spatial[1]} (C×H×W)"
        return f"{spatial[0]}×{spatial[1]}×{channels:,}"


def _pads(n: Plane, k: Plane, s: Plane, d: Plane, padding: Any) -> tuple[Plane, Plane]:
    """Cells of padding ((top, bottom), (left, right)) for ``"valid"``, ``"same"`` or cells per side."""
    if padding == Padding.VALID:
        return (0, 0), (0, 0)
    if padding == Padding.SAME:
        return _arith.same_padding(n[0], k[0], s[0], d[0]), _arith.same_padding(n[1], k[1], s[1], d[1])
    if isinstance(padding, str):
        raise fail(_CALLER, "padding", padding, "it must be 'valid', 'same' or the cells added per side")
    ph, pw = int_tuple(_CALLER, "padding", padding, 2, minimum=0)
    return (ph, ph), (pw, pw)


def _output(n: Plane, k: Plane, s: Plane, d: Plane, pads: tuple[Plane, Plane]) -> Plane:
    """Output (height, width) of a convolution with explicit padding, both axes."""
    h, w = (_arith.torch_conv_length(n[i], k[i], s[i], pads[i][0] + pads[i][1], d[i]) for i in range(2))
    return h, w


def _infer(n: Plane, k: Plane, want: Plane) -> tuple[int, str]:
    """The smallest square stride, 'valid' before 'same', that maps ``n`` onto ``want`` with dilation 1."""
    for stride in range(1, max(k) + 3):
        for padding in (Padding.VALID, Padding.SAME):
            pads = _pads(n, k, (stride, stride), (1, 1), padding)
            if _output(n, k, (stride, stride), (1, 1), pads) == want:
                return stride, padding
    raise fail(
        _CALLER,
        "strides/padding/dilation_rate",
        None,
        f"none was given, and the shapes {n[0]}×{n[1]} -> {want[0]}×{want[1]} fit no stride with dilation 1",
        "pass strides=, padding= and dilation_rate= as given to the layer",
    )


def plan_volume(
    info: LayerInfo,
    strides: Any = None,
    padding: Any = None,
    dilation_rate: Any = None,
    position: tuple[int, int] = (0, 0),
) -> VolumePlan:
    """Work out the picture's arithmetic, checked against ``info``'s output shape.

    Parameters
    ----------
    info : LayerInfo
        A 2-D convolution (plain, grouped, depthwise or separable), in either layout.
    strides, padding, dilation_rate : optional
        The layer's; ``padding`` is ``"valid"``, ``"same"`` or cells per side. When all
        three are None they are inferred from the shapes (stride 1 and 'valid' first).
    position : tuple of int
        The output cell (row, column) whose receptive field is shown.

    Raises
    ------
    ConfigError
        If the layer is not a 2-D convolution, if the arguments give another
        output shape than ``info``, or if ``position`` is outside the output.
    """
    valid = "it must be a 2-D convolution (Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose)"
    g = geometry_of(info, _CALLER, FAMILIES, valid)
    (n, cin), (want, cout) = planes(info, _CALLER)
    k = (g.kernel_size[0], g.kernel_size[1])
    inferred = strides is None and padding is None and dilation_rate is None
    if g.kind is Family.TRANSPOSE:
        return _plan_transposed(info, n, k, want, cin, cout, strides, dilation_rate, position)
    if inferred:
        strides, padding = _infer(n, k, want)
    sh, sw = int_tuple(_CALLER, "strides", 1 if strides is None else strides, 2)
    dh, dw = int_tuple(_CALLER, "dilation_rate", 1 if dilation_rate is None else dilation_rate, 2)
    s, d = (sh, sw), (dh, dw)
    padding = Padding.VALID if padding is None else padding
    pads = _pads(n, k, s, d, padding)
    got = _output(n, k, s, d, pads)
    if got != want:
        raise fail(
            _CALLER,
            "strides/padding/dilation_rate",
            (s, padding, d),
            f"they give an output of {got[0]}×{got[1]}, but the layer's output is {want[0]}×{want[1]}",
            "pass the layer's own strides, padding and dilation_rate",
        )
    i, j = position
    if not (0 <= i < want[0] and 0 <= j < want[1]):
        raise fail(
            _CALLER,
            "position",
            position,
            f"it must be an output cell (row, col) with 0 <= row < {want[0]} and 0 <= col < {want[1]}",
        )
    window = tuple((i * s[0] + a * d[0], j * s[1] + b * d[1]) for a in range(k[0]) for b in range(k[1]))

    def formula(axis: int, name: str) -> str:
        pt = pads[axis][0] + pads[axis][1]
        return (
            f"{name}' = ⌊({name} + pad − d·(F − 1) − 1) / s⌋ + 1 = "
            f"⌊({n[axis]} + {pt} − {d[axis]}·({k[axis]} − 1) − 1) / {s[axis]}⌋ + 1 = {got[axis]}"
        )

    name = str(padding) if isinstance(padding, str) else f"{padding} cells"
    return VolumePlan(
        n,
        want,
        cin,
        cout,
        k,
        s,
        d,
        pads,
        name,
        (i, j),
        window,
        (formula(0, "H"), formula(1, "W")),
        inferred,
        info.channels_first,
    )


def _plan_transposed(
    info: LayerInfo,
    n: Plane,
    k: Plane,
    want: Plane,
    cin: int,
    cout: int,
    strides: Any,
    dilation_rate: Any,
    position: tuple[int, int],
) -> VolumePlan:
    """A transposed convolution as the ordinary one it equals: stride-1 on the input stretched by s.

    s − 1 zeros go between the input's cells, a border of zeros around them
    (d·(F − 1) − p before, the same plus any output padding after); an F×F
    kernel then reads it with stride 1. The border is what makes the output
    size come out: ``H' = (H − 1)·s + 1 + border − d·(F − 1)``.
    """
    inferred = strides is None and dilation_rate is None
    dh, dw = int_tuple(_CALLER, "dilation_rate", 1 if dilation_rate is None else dilation_rate, 2)
    d = (dh, dw)

    def border(s: Plane) -> tuple[int, int]:
        """Zeros around the stretched input (both sides together) that give the layer's output."""
        h, w = (want[a] + d[a] * (k[a] - 1) - ((n[a] - 1) * s[a] + 1) for a in range(2))
        return h, w

    if strides is None:
        for stride in range(1, max(k) + 3):
            t = border((stride, stride))
            if all(0 <= t[a] <= 2 * d[a] * (k[a] - 1) + stride - 1 for a in range(2)):
                strides = stride
                break
        else:
            raise fail(
                _CALLER,
                "strides",
                None,
                f"none was given, and the shapes {n[0]}×{n[1]} -> {want[0]}×{want[1]} fit no stride",
                "pass strides= (and dilation_rate=) as given to the layer",
            )
    s = int_tuple(_CALLER, "strides", strides, 2)
    sp = (s[0], s[1])
    total = border(sp)
    if any(t < 0 for t in total):
        raise fail(
            _CALLER,
            "strides/dilation_rate",
            (sp, d),
            f"they cannot give the layer's output of {want[0]}×{want[1]} from {n[0]}×{n[1]}",
            "pass the layer's own strides and dilation_rate",
        )
    pads = ((total[0] // 2, total[0] - total[0] // 2), (total[1] // 2, total[1] - total[1] // 2))
    i, j = position
    if not (0 <= i < want[0] and 0 <= j < want[1]):
        raise fail(
            _CALLER,
            "position",
            position,
            f"it must be an output cell (row, col) with 0 <= row < {want[0]} and 0 <= col < {want[1]}",
        )
    window = tuple((i + a * d[0], j + b * d[1]) for a in range(k[0]) for b in range(k[1]))

    def formula(axis: int, name: str) -> str:
        return (
            f"{name}' = ({name} − 1)·s + 1 + border − d·(F − 1) = "
            f"({n[axis]} − 1)·{sp[axis]} + 1 + {total[axis]} − {d[axis]}·({k[axis]} − 1) = {want[axis]}"
        )

    return VolumePlan(
        n,
        want,
        cin,
        cout,
        k,
        sp,
        d,
        pads,
        f"a border of {total[0]}/{total[1]}",
        (i, j),
        window,
        (formula(0, "H"), formula(1, "W")),
        inferred,
        info.channels_first,
        transposed=True,
    )
