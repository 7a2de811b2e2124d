"""The gates of a recurrent layer: each gate's input weights, recurrent weights and biases, sizes written.

An LSTM has four gates (input, forget, cell candidate, output); each reads the
input through an ``F×U`` matrix and the previous state through a ``U×U`` matrix
and adds ``U`` biases (PyTorch two bias vectors, ``bias_ih`` and ``bias_hh``).
The picture puts the gates side by side, as both frameworks store them in one
weight, with every matrix's true size written on it, and the count below.

:func:`plan_recurrent` computes what is drawn as plain data (:class:`GatesPlan`),
from the layer's :class:`~convwidget.info.LayerInfo` only; :func:`draw_recurrent`
turns the plan into matplotlib artists (:class:`RecurrentGates`), whose
``update(info)`` changes them in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.text import Text

from .._checks import fail
from ..enums import Dialect, Family
from ..formula import group_digits
from ..info import LayerInfo
from ._glyphs import add_label
from ._savable import Savable
from ._style import BIAS_COLOR, EDGE_COLOR, FONT_SIZE, OKABE_ITO, TITLE_SIZE, shade, text_style

__all__ = [
    "Caption",
    "GatesPlan",
    "Matrix",
    "RecurrentGates",
    "draw_recurrent",
    "fits",
    "font_size",
    "plan_recurrent",
]

# Gate names in the order each framework stacks them in one weight (Keras' GRU z, r, h; PyTorch's r, z, n).
_GATE_NAMES = {
    (Dialect.KERAS, 1): ("state",),
    (Dialect.TORCH, 1): ("state",),
    (Dialect.KERAS, 3): ("update z", "reset r", "candidate h"),
    (Dialect.TORCH, 3): ("reset r", "update z", "new n"),
    (Dialect.KERAS, 4): ("input i", "forget f", "cell c", "output o"),
    (Dialect.TORCH, 4): ("input i", "forget f", "cell g", "output o"),
}

# Plot units: a gate column is 1.4 wide and a U×U recurrent matrix square, an F×U one F/U as tall (kept
# between these bounds so a tiny or huge input stays visible; its label gives the true size).
_GAP = 0.3
_COLUMN = 1.4
_LABEL_WIDTH = 3.0
_STORED_WIDTH = 3.8  # right of the blocks: the stored weight each row is
_BIAS_HEIGHT = 0.22
_MIN_RATIO, _MAX_RATIO = 0.3, 2.2


@dataclass(frozen=True)
class Matrix:
    """One drawn block: a gate's weight matrix or bias vector.

    Parameters
    ----------
    gate : str
        The gate's name (``"forget f"``).
    role : str
        ``"input"``, ``"recurrent"``, ``"bias"`` or ``"bias_hh"`` (PyTorch's and a reset_after GRU's second).
    shape : tuple of int
        Its true size: ``(F, U)``, ``(U, U)`` or ``(U,)``.
    x, y, width, height : float
        Where it is drawn (plot units, y up).
    color : tuple of float
        Its RGB fill.
    """

    gate: str
    role: str
    shape: tuple[int, ...]
    x: float
    y: float
    width: float
    height: float
    color: tuple[float, float, float]

    @property
    def label(self) -> str:
        """The size written on it: ``"32×64"`` or ``"64"``."""
        return "×".join(str(n) for n in self.shape)

    @property
    def corners(self) -> list[tuple[float, float]]:
        """The rectangle's four corners, counter-clockwise from the bottom left."""
        x, y, w, h = self.x, self.y, self.width, self.height
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


@dataclass(frozen=True)
class Caption:
    """A text placed on the picture: its text, position, alignment, largest size and the room it has.

    ``room`` and ``height`` are the plot units it may fill across and up; :func:`font_size`
    shrinks ``size`` until the text fits them on a given figure.
    """

    text: str
    x: float
    y: float
    ha: Literal["left", "center", "right"] = "center"
    size: float = FONT_SIZE
    room: float = _COLUMN
    height: float = 0.45
    group: str = "gate"  # captions of one group share one size (the smallest that fits them all)


# A character of the default sans-serif font is at most about 0.62 em wide, a line 1.2 em tall.
_EM_WIDTH, _EM_HEIGHT = 0.62, 1.2
_MIN_FONT = 4.0


def font_size(text: str, size: float, room: float, height: float, points_per_unit: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``room`` × ``height`` plot units.

    Parameters
    ----------
    text : str
        The label.
    size : float
        Its size on a large figure (points).
    room, height : float
        The plot units it may take across and up.
    points_per_unit : float
        How many points one plot unit is on the figure.

    Returns
    -------
    float
        The font size in points (never below 4).
    """
    return max(min(size, _room_size(text, room, height, points_per_unit)), _MIN_FONT)


def _room_size(text: str, room: float, height: float, points_per_unit: float) -> float:
    """The font size at which ``text`` fills ``room`` × ``height`` plot units (no bounds)."""
    across = room * points_per_unit / (_EM_WIDTH * max(len(text), 1))
    up = height * points_per_unit / _EM_HEIGHT
    return min(across, up)


def fits(text: str, room: float, height: float, points_per_unit: float) -> bool:
    """Whether ``text`` fits its room at the smallest font size drawn (else it is hidden, not clipped)."""
    return _room_size(text, room, height, points_per_unit) >= _MIN_FONT


@dataclass(frozen=True)
class GatesPlan:
    """Everything the gates picture shows, as data.

    Parameters
    ----------
    matrices : tuple of Matrix
        Every gate's blocks, gate by gate.
    captions : tuple of Caption
        Gate names, row names, the storage line and the count.
    xlim, ylim : tuple of float
        The plot's extent.
    """

    matrices: tuple[Matrix, ...]
    captions: tuple[Caption, ...]
    xlim: tuple[float, float]
    ylim: tuple[float, float]


def _factor(info: LayerInfo, *names: str) -> int | None:
    for name in names:
        f = info.terms.factor(name)
        if f is not None:
            return f.value
    return None


def plan_recurrent(info: LayerInfo) -> GatesPlan:
    """What the gates picture of a recurrent layer shows.

    Parameters
    ----------
    info : LayerInfo
        A recurrent layer's ``describe`` result (Keras SimpleRNN, LSTM, GRU,
        Bidirectional; PyTorch RNN, LSTM, GRU and their cells).

    Returns
    -------
    GatesPlan
        One layer-direction's gates (the caption says how many there are).

    Raises
    ------
    ConfigError
        For a layer that is not recurrent.
    """
    features = _factor(info, "input features")
    units = _factor(info, "units", "hidden units")
    if info.kind is None or info.kind.family is not Family.RECURRENT or features is None or units is None:
        raise fail(
            "draw_recurrent",
            "info",
            info.layer_type,
            "this drawing shows recurrent layers (SimpleRNN, LSTM, GRU; RNN, LSTM, GRU and their cells)",
            "draw a convolution or Dense layer with draw_kernels",
        )
    gates = _factor(info, "gates") or 1
    two_biases = _factor(info, "biases per unit", "input bias") is not None
    bias = two_biases or _factor(info, "biases") is not None
    torch = info.dialect is Dialect.TORCH
    rows: list[tuple[str, tuple[int, ...], float]] = [
        ("input", (features, units), _COLUMN * min(max(features / units, _MIN_RATIO), _MAX_RATIO)),
        ("recurrent", (units, units), _COLUMN),
    ]
    if bias:
        rows.append(("bias", (units,), _BIAS_HEIGHT))
    if two_biases:
        rows.append(("bias_hh", (units,), _BIAS_HEIGHT))
    u = "H" if torch else "U"  # PyTorch's hidden_size
    row_names = {
        "input": f"{'weight_ih' if torch else 'input W'}  F×{u}",
        "recurrent": f"{'weight_hh' if torch else 'recurrent U'}  {u}×{u}",
        # Keras' GRU(reset_after=True) keeps its two biases as the rows of one (2, 3U) bias
        "bias": f"bias_ih  {u}" if torch else ("input bias  U" if two_biases else "bias b  U"),
        "bias_hh": f"bias_hh  {u}" if torch else "recurrent bias  U",
    }
    names = _GATE_NAMES[(info.dialect, gates)]
    matrices: list[Matrix] = []
    captions: list[Caption] = []
    top = 0.0
    y = top - 0.45  # below the gate names
    row_y: dict[str, tuple[float, float]] = {}
    for role, _, height in rows:
        row_y[role] = (y - height, height)
        y -= height + (_GAP if role in ("input", "recurrent") else 0.16)
    for g, name in enumerate(names):
        x = _LABEL_WIDTH + g * (_COLUMN + _GAP)
        color = OKABE_ITO[g % len(OKABE_ITO)]
        captions.append(Caption(name, x + _COLUMN / 2, top - 0.2, room=_COLUMN + _GAP * 0.8, group="gate"))
        for role, shape, _ in rows:
            y0, height = row_y[role]
            if role.startswith("bias"):
                fill = shade(BIAS_COLOR, 0.2 if role == "bias" else 0.5)
            else:
                fill = shade(color, 0.0 if role == "input" else 0.45)  # recurrent: the same gate, lighter
            matrices.append(Matrix(name, role, shape, x, y0, _COLUMN, height, fill))
    right = _LABEL_WIDTH + len(names) * (_COLUMN + _GAP) - _GAP
    # each row of blocks is one stored weight: the frameworks keep the gates side by side in it
    stored = list((info.torch_weights if torch else info.keras_weights).items())
    for i, (role, _, _) in enumerate(rows):
        y0, height = row_y[role]
        # a bias bar is thin, but the next row is a bias bar's height and a gap away
        tall = max(height, _BIAS_HEIGHT + 0.14)
        captions.append(
            Caption(
                row_names[role],
                _LABEL_WIDTH - 0.12,
                y0 + height / 2,
                "right",
                room=_LABEL_WIDTH - 0.2,
                height=tall,
                group="row",
            )
        )
        # past the stored weights: Keras' GRU keeps both biases in one (2, 3U) weight
        where = f"= {stored[i][0]} {stored[i][1]}" if i < len(stored) else f"= 2nd row of {stored[-1][0]}"
        captions.append(
            Caption(
                where,
                right + 0.12,
                y0 + height / 2,
                "left",
                FONT_SIZE - 1,
                _STORED_WIDTH - 0.2,
                tall,
                "stored",
            )
        )
    middle = right / 2 + _STORED_WIDTH / 2
    copies = (_factor(info, "directions") or 1) * (1 + (_factor(info, "layers above the first") or 0))
    n_bias = (2 if two_biases else 1) if bias else 0
    bias_text = {0: "", 1: f" + {units}", 2: f" + {units} + {units}"}[n_bias]
    per_gate = features * units + units * units + n_bias * units
    what = f"each of the {gates} gates" if gates > 1 else "the one weight set"
    lines = [
        f"{what}: {features}·{units} + {units}·{units}{bias_text} = {group_digits(per_gate)}",
        f"{info.layer_type}: {info.terms.text}",
    ]
    if copies > 1:
        lines.insert(1, f"one of {copies} copies (layers × directions); layers above the first read D·H")
    y -= 0.35
    for line in lines:
        size = TITLE_SIZE if line is lines[-1] else FONT_SIZE
        group = "total" if line is lines[-1] else "lines"
        captions.append(Caption(line, middle, y, "center", size, right + _STORED_WIDTH - 0.1, 0.42, group))
        y -= 0.5
    xlim = (-0.1, right + _STORED_WIDTH)
    return GatesPlan(tuple(matrices), tuple(captions), xlim, (y + 0.15, top + 0.05))


class RecurrentGates(Savable):
    """Artists of the gates picture, updated in place; made by :func:`draw_recurrent`."""

    def __init__(self, ax: Axes, info: LayerInfo) -> None:
        self.ax = ax
        ax.set_axis_off()
        ax.set_aspect("equal")  # square plot units: a U×U matrix is drawn square
        self.blocks = PolyCollection([], edgecolors=EDGE_COLOR, linewidths=1.0)
        ax.add_collection(self.blocks)
        self.sizes: list[Text] = []
        self.texts: list[Text] = []
        self.update(info)

    def _pool(self, pool: list[Text], n: int) -> list[Text]:
        while len(pool) < n:
            pool.append(add_label(self.ax, 0, 0, "", va="center", **text_style()))
        for extra in pool[n:]:
            extra.set_visible(False)
        return pool[:n]

    def update(self, info: LayerInfo) -> RecurrentGates:
        """Show another recurrent layer; the artists change in place, text sized for the Axes."""
        self.plan = plan = plan_recurrent(info)
        scale = self._points_per_unit(plan)
        self.blocks.set_verts([m.corners for m in plan.matrices])
        self.blocks.set_facecolor([m.color for m in plan.matrices])
        # one size per kind of label, the smallest that fits every label of that kind
        # On a small figure a label with no room even at the smallest size is hidden, never clipped.
        rooms = [(m.label, m.width * 0.85, max(m.height, _BIAS_HEIGHT + 0.14)) for m in plan.matrices]
        block_shown = [fits(*room, scale) for room in rooms]
        block = min((font_size(t, FONT_SIZE, w, h, scale) for t, w, h in rooms), default=FONT_SIZE)
        shown = [fits(c.text, c.room, c.height, scale) for c in plan.captions]
        group: dict[str, float] = {}
        for c, ok in zip(plan.captions, shown):
            if ok:
                fitted = font_size(c.text, c.size, c.room, c.height, scale)
                group[c.group] = min(group.get(c.group, fitted), fitted)
        for text, m, ok in zip(self._pool(self.sizes, len(plan.matrices)), plan.matrices, block_shown):
            text.set_visible(ok)
            text.set_position((m.x + m.width / 2, m.y + m.height / 2))
            text.set_text(m.label)
            text.set_horizontalalignment("center")
            text.set_fontsize(block)
        for text, c, ok in zip(self._pool(self.texts, len(plan.captions)), plan.captions, shown):
            text.set_visible(ok)
            if not ok:
                continue
            text.set_position((c.x, c.y))
            text.set_text(c.text)
            text.set_horizontalalignment(c.ha)
            text.set_fontsize(min(group[c.group], c.size))
        self.ax.set_xlim(*plan.xlim)
        self.ax.set_ylim(*plan.ylim)
        return self

    def _points_per_unit(self, plan: GatesPlan) -> float:
        """Points per plot unit once the equal aspect fits the plan into the Axes' box."""
        box = self.ax.get_position(original=True)
        figure = self.ax.figure
        points = 72.0 / float(figure.dpi)  # the figure's bbox is in pixels
        width = float(box.width * figure.bbox.width) * points / (plan.xlim[1] - plan.xlim[0])
        height = float(box.height * figure.bbox.height) * points / (plan.ylim[1] - plan.ylim[0])
        return min(width, height)


def draw_recurrent(ax: Axes, info: LayerInfo) -> RecurrentGates:
    """Draw a recurrent layer's gates: input and recurrent weight matrices and biases, sizes written.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (its contents are owned by the returned object).
    info : LayerInfo
        A recurrent layer's ``describe`` result.

    Returns
    -------
    RecurrentGates
        The artists; ``update(info)`` redraws them for another layer in place.

    Raises
    ------
    ConfigError
        For a layer that is not recurrent.
    """
    return RecurrentGates(ax, info)
