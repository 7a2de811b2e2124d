"""The model walkthrough: step through a model's layers with their shapes, formulas and running total.

Beside each layer's share of the parameters it shows its share of the multiply-adds (textbook
convention, :mod:`convwidget.cost`): in the seed model the Dense layer holds 98 % of the parameters
but does ~10 % of the work, and the second convolution the reverse (1.5 % and ~88 %).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import ipywidgets as ipw

from .. import controls
from .._checks import fail
from ..controls import ConvSettings
from ..cost import Convention, CostTable, table
from ..enums import Dialect, Family
from ..errors import ConfigError
from ..formula import group_digits
from ..html import caption_html, layer_detail_html, layer_title_html, share_bars_html, static_html
from ..seed import seed_model
from ._guard import GuardedBox
from .explorer import ConvExplorer

if TYPE_CHECKING:
    from ..model import Row

# The kinds the explorer can show (it builds Keras 2-D layers of these families).
_EXPLORABLE = frozenset(controls.KINDS)
# Factors a layer inherits from the one before it: marked in the formula, not a choice.
_INHERITED = frozenset({"input channels", "input channels per group", "input features"})


@runtime_checkable
class _Sliding(Protocol):
    """A Keras convolution's arguments that its ``describe`` result does not carry."""

    strides: tuple[int, ...]
    dilation_rate: tuple[int, ...]
    padding: str


def _explorer_settings(row: Row) -> ConvSettings | None:
    """The explorer's settings for a Keras 2-D convolution row, or None if the explorer cannot show it."""
    info, layer = row.info, row.layer
    kind, g = info.kind, info.geometry
    if (
        kind is None
        or g is None
        or kind.family not in _EXPLORABLE
        or kind.rank != 2
        or info.dialect is not Dialect.KERAS
        or info.channels_first
        or not isinstance(layer, _Sliding)
    ):
        return None
    strides, dilation = tuple(layer.strides), tuple(layer.dilation_rate)
    (h, w), cin = info.split(info.input_shape)
    kh, kw = g.kernel_size
    if kh != kw or h != w or len(set(strides)) != 1 or len(set(dilation)) != 1:
        return None
    s = ConvSettings(
        kind=kind.family,
        kernel_size=kh,
        in_channels=cin,
        # A depthwise layer has no filters of its own: the explorer holds Cin there.
        filters=cin if kind.family is Family.DEPTHWISE else g.out_channels,
        bias=g.bias,
        stride=strides[0],
        padding=layer.padding,
        dilation=dilation[0],
        # The explorer's groups split a Conv2D; a depthwise layer's Cin groups are its kind, not a choice.
        groups=g.groups if kind.family is Family.CONV else 1,
        input_size=h,
        depth_multiplier=g.depth_multiplier,
    )
    settled, notes = controls.settle(s)
    return settled if settled == s and not notes else None


def _costs(model: Any) -> tuple[CostTable | None, str]:
    """The model's textbook multiply-adds, or None and why (a layer convwidget cannot cost)."""
    try:
        return table(model, Convention.TEXTBOOK), ""
    except ConfigError as exc:  # the walkthrough still shows the parameters, and says why no cost
        return None, str(exc)


class ModelWalkthrough(GuardedBox):
    """Step through a model's layers: shapes, formula, share of the total and the running total.

    Parameters
    ----------
    model : Sequential, optional
        A convwidget model of either dialect; default the seed question's MNIST model.

    Attributes
    ----------
    step : ipywidgets.IntSlider
        The layer shown (1-based); ``w.step.value = 6`` jumps to the sixth layer.
    previous_button, next_button : ipywidgets.Button
    title, detail, bars : ipywidgets.HTML
    message : ipywidgets.HTML
        The error area: what went wrong showing a layer (empty otherwise).
    explorer : ConvExplorer
        Shown for 2-D convolution layers, set to the current layer.
    rows : tuple of Row
        The model's layers as data.
    row : Row
        The current layer.
    total : int
        The model's total parameter count.
    costs : CostTable or None
        The model's multiply-adds per row (textbook convention), or None if a layer has no textbook
        figure (``cost_note`` says which).
    cost_note : str
        Why the multiply-adds are not shown (empty when they are).

    Raises
    ------
    ConfigError
        If the model has no layers or a layer cannot take the shape it receives.
    """

    def __init__(self, model: Any = None) -> None:
        self.model = seed_model() if model is None else model
        rows = getattr(self.model, "rows", None)
        if rows is None:
            raise fail(
                "ModelWalkthrough",
                "model",
                model,
                "it must be a convwidget Sequential model",
                "build it with convwidget.model.Sequential([...])",
            )
        self.rows: tuple[Row, ...] = tuple(rows)
        if not self.rows:
            raise fail("ModelWalkthrough", "model", model, "it has no layers", "add at least one layer")
        self.total = self.rows[-1].running_total
        self.costs, self.cost_note = _costs(self.model)
        self.step = ipw.IntSlider(
            value=1,
            min=1,
            max=len(self.rows),
            description="layer",
            continuous_update=True,
            style={"description_width": "5em"},
        )
        self.step.add_class("convwidget-step")
        self.previous_button = ipw.Button(description="previous", icon="arrow-left", tooltip="previous layer")
        self.previous_button.add_class("convwidget-previous")
        self.next_button = ipw.Button(description="next", icon="arrow-right", tooltip="next layer")
        self.next_button.add_class("convwidget-next")
        self.title = ipw.HTML()
        self.title.add_class("convwidget-layer-title")
        self.detail = ipw.HTML()
        self.detail.add_class("convwidget-layer-detail")
        self.bars = ipw.HTML()
        self.bars.add_class("convwidget-bars")
        self.message = ipw.HTML()
        self.message.add_class("convwidget-message")
        self.error_area = self.message
        self._explorer: ConvExplorer | None = None
        self.explorer_box = ipw.VBox(layout=ipw.Layout(display="none"))
        self.step.observe(self._guard(lambda _c: self._show()), "value")
        self.previous_button.on_click(self._guard(lambda _b: self._move(-1)))
        self.next_button.on_click(self._guard(lambda _b: self._move(+1)))
        super().__init__(
            [
                ipw.HBox([self.previous_button, self.step, self.next_button]),
                self.title,
                self.detail,
                self.bars,
                self.message,
                self.explorer_box,
            ]
        )
        self.add_class("convwidget-walkthrough")
        self._show()

    @property
    def row(self) -> Row:
        """The current layer's Row."""
        return self.rows[int(self.step.value) - 1]

    @property
    def explorer(self) -> ConvExplorer | None:
        """The ConvExplorer of the current layer, or None if it is not a 2-D convolution."""
        return self._explorer if self.explorer_box.layout.display != "none" else None

    def __repr__(self) -> str:
        return (
            f"ModelWalkthrough({len(self.rows)} layers, {group_digits(self.total)} parameters; "
            f"layer {self.step.value}: {self.row.name})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = super()._repr_mimebundle_(**kwargs)
        # Before the cell runs (Binder's first open, GitHub): the layer shown, as plain HTML.
        data["text/html"] = static_html(self.title.value + self.detail.value + self.bars.value)
        data["text/plain"] = repr(self)
        return data

    def _restore(self) -> None:
        # The title, detail and bars are written before the explorer: only the explorer can be stale.
        self.explorer_box.layout.display = "none"

    def _move(self, delta: int) -> None:
        self.step.value = max(1, min(len(self.rows), self.step.value + delta))

    def _show(self) -> None:
        self.message.value = ""
        i = self.step.value - 1
        row = self.rows[i]
        last = i == len(self.rows) - 1
        self.previous_button.disabled = i == 0
        self.next_button.disabled = last
        self.title.value = layer_title_html(row, len(self.rows))
        self.detail.value = layer_detail_html(row, self.total, last, _INHERITED, self.costs or self.cost_note)
        self.bars.value = share_bars_html(self.rows, i, self.total, self.costs)
        settings = _explorer_settings(row)
        if settings is None:
            self.explorer_box.layout.display = "none"
            return
        values = {f.name: getattr(settings, f.name) for f in fields(settings)}
        if self._explorer is None:
            self._explorer = ConvExplorer(**values)
            self.explorer_box.children = (
                ipw.HTML(caption_html("Explore this layer", "changes here do not change the model.")),
                self._explorer,
            )
        else:
            self._explorer.set(**values)
        self.explorer_box.layout.display = None
