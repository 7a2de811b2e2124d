"""The model walkthrough: step through a model's layers with their shapes, formulas and running total."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import ipywidgets as ipw

from .. import controls
from ..controls import ConvSettings
from ..errors import ConfigError
from ..formula import group_digits
from ..seed import seed_model
from ._common import MARK_STYLE, error_html, formula_html, guarded, shape_text
from .explorer import ConvExplorer


def _explorer_settings(row: Any) -> ConvSettings | None:
    """The explorer's settings for a Keras 2-D conv row, or None if the explorer cannot show it."""
    from .. import layers as keras_layers

    layer, info = row.layer, row.info
    if (
        not isinstance(layer, (keras_layers.Conv2D, keras_layers.DepthwiseConv2D))
        or getattr(layer, "data_format", "") != "channels_last"
    ):
        return None
    kh, kw = layer.kernel_size
    h, w, cin = info.input_shape
    if kh != kw or h != w or len(set(layer.strides)) != 1 or len(set(layer.dilation_rate)) != 1:
        return None
    kind = (
        "separable"
        if isinstance(layer, keras_layers.SeparableConv2D)
        else ("depthwise" if isinstance(layer, keras_layers.DepthwiseConv2D) else "conv")
    )
    s = ConvSettings(
        kind=kind,
        kernel_size=kh,
        in_channels=cin,
        filters=getattr(layer, "filters", cin),
        bias=layer.use_bias,
        stride=layer.strides[0],
        padding=layer.padding,
        dilation=layer.dilation_rate[0],
        groups=getattr(layer, "groups", 1),
        input_size=h,
        depth_multiplier=getattr(layer, "depth_multiplier", 1),
    )
    settled, notes = controls.settle(s)
    return s if settled == s and not notes else None


class ModelWalkthrough(ipw.VBox):
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
    explorer : ConvExplorer
        Shown for 2-D convolution layers, set to the current layer.
    rows : tuple of Row
        The model's layers as data.
    row : Row
        The current layer.
    total : int
        The model's total parameter count.

    Raises
    ------
    ConfigError
        If the model has no layers or a layer cannot take the shape it receives.
    """

    def __init__(self, model: Any = None) -> None:
        self.model = seed_model() if model is None else model
        rows = getattr(self.model, "rows", None)
        if rows is None:
            raise ConfigError(
                f"ModelWalkthrough: model={model!r} is invalid; it must be a convwidget Sequential model."
            )
        self.rows: tuple[Any, ...] = tuple(rows)
        if not self.rows:
            raise ConfigError("ModelWalkthrough: the model has no layers; add at least one layer.")
        self.total = self.rows[-1].running_total
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
        self._explorer: ConvExplorer | None = None
        self.explorer_box = ipw.VBox(layout=ipw.Layout(display="none"))
        self.step.observe(self._guarded(lambda _c: self._show()), "value")
        self.previous_button.on_click(self._guarded(lambda _b: self._move(-1)))
        self.next_button.on_click(self._guarded(lambda _b: self._move(+1)))
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
    def row(self) -> Any:
        """The current layer's Row."""
        return self.rows[self.step.value - 1]

    @property
    def explorer(self) -> ConvExplorer | None:
        """The ConvExplorer of the current layer, or None if it is not a 2-D convolution."""
        return self._explorer if self.explorer_box.layout.display != "none" else None

    def __repr__(self) -> str:
        return (
            f"ModelWalkthrough({len(self.rows)} layers, {group_digits(self.total)} parameters; "
            f"layer {self.step.value}: {self.row.name})"
        )

    def _guarded(self, fn: Callable[[Any], None]) -> Callable[[Any], None]:
        def clearing_the_message(arg: Any) -> None:
            self.message.value = ""
            fn(arg)

        return guarded(clearing_the_message, self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        self.message.value = error_html(exc)

    def _move(self, delta: int) -> None:
        self.step.value = max(1, min(len(self.rows), self.step.value + delta))

    def _show(self) -> None:
        i = self.step.value - 1
        row = self.rows[i]
        info = row.info
        self.previous_button.disabled = i == 0
        self.next_button.disabled = i == len(self.rows) - 1
        self.title.value = (
            f"<h4 style='margin:0.3em 0'>Layer {i + 1} of {len(self.rows)}: {html.escape(row.name)} "
            f"({html.escape(info.layer_type)})</h4>"
        )
        self.detail.value = self._detail(i)
        self.bars.value = self._bars(i)
        settings = _explorer_settings(row)
        if settings is None:
            self.explorer_box.layout.display = "none"
            return
        values = {f.name: getattr(settings, f.name) for f in fields(settings)}
        if self._explorer is None:
            self._explorer = ConvExplorer(**values)
            self.explorer_box.children = (
                ipw.HTML("<p><b>Explore this layer</b> (changes here do not change the model):</p>"),
                self._explorer,
            )
        else:
            self._explorer.set(**values)
        self.explorer_box.layout.display = None

    def _detail(self, i: int) -> str:
        row = self.rows[i]
        info = row.info
        g = info.geometry
        shape_cells = [str(d) for d in info.input_shape]
        inherited = ""
        if g is not None:
            # The axis the layer reads its channels (or features) from: last in Keras, first in PyTorch.
            axis = len(shape_cells) - 1 if info.dialect == "keras" or len(shape_cells) == 1 else 0
            shape_cells[axis] = f"<mark style='{MARK_STYLE}'>{shape_cells[axis]}</mark>"
            source = f"the output of {html.escape(self.rows[i - 1].name)}" if i else "the model's input"
            what = "features" if g.kind == "dense" else "channels"
            inherited = (
                f"<br>Its {g.in_channels:,} input {what} (underlined) are not a choice: "
                f"they come from {source}."
            )
        shape_html = "(" + ", ".join(shape_cells) + ("," if len(shape_cells) == 1 else "") + ")"
        share = self._share(info.params)
        formula = formula_html(info.terms, {"input channels", "input channels per group", "input features"})
        return (
            f"<div>input {shape_html} → output {shape_text(info.output_shape)}{inherited}</div>"
            f"<div style='font-size:1.3em;margin:0.3em 0'>{formula}</div>"
            f"<div>{group_digits(info.params)} of {group_digits(self.total)} parameters "
            f"({share:.1f} %); running total {group_digits(row.running_total)}"
            f"{' = the model total' if i == len(self.rows) - 1 else ''}.</div>"
        )

    def _share(self, params: int) -> float:
        """``params`` as a percentage of the model total."""
        return 100 * params / self.total if self.total else 0.0

    def _bars(self, current: int) -> str:
        head = (
            "<tr><th></th><th style='text-align:left'>layer</th><th style='text-align:left'>output</th>"
            "<th style='text-align:right'>params</th><th style='text-align:left'>share of total</th>"
            "<th style='text-align:right'>running total</th></tr>"
        )
        body = []
        current_attr = ' aria-current="step"'
        for j, r in enumerate(self.rows):
            share = self._share(r.info.params)
            here = j == current
            # The current row is marked by an arrow, bold text and aria-current, not only by colour.
            style = "font-weight:bold;background:#eef3ff" if here else ""
            bar = (
                "<div style='display:inline-block;vertical-align:middle;height:0.8em;"
                f"width:{share * 2:.1f}px;background:#0072B2'></div> {share:.1f} %"
            )
            body.append(
                f"<tr style='{style}'{current_attr if here else ''}><td>{'▶' if here else ''}</td>"
                f"<td>{html.escape(r.name)} ({html.escape(r.info.layer_type)})</td>"
                f"<td>{shape_text(r.info.output_shape)}</td>"
                f"<td style='text-align:right'>{group_digits(r.info.params)}</td><td>{bar}</td>"
                f"<td style='text-align:right'>{group_digits(r.running_total)}</td></tr>"
            )
        total = (
            f"<tr><td></td><td colspan='2'><b>Total</b></td><td style='text-align:right'>"
            f"<b>{group_digits(self.total)}</b></td><td></td><td></td></tr>"
        )
        return f"<table>{head}{''.join(body)}{total}</table>"
