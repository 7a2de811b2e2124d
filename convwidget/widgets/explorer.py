"""The convolution explorer: sliders for one layer, its count, formula, cost, shapes and kernel picture.

The cost is the layer's textbook multiply-adds (:mod:`convwidget.cost`), shown under the count's
formula: the input size moves it, never the parameter count.

The picture is the kernel stack or the convolution volume; a dragged slider redraws it at most once
per frame (:mod:`convwidget.widgets._throttle`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw

from .. import controls
from .._checks import fail
from ..controls import PRESETS, ConvSettings, Ranges
from ..enums import Family, Padding
from ..errors import ConfigError
from ..html import (
    changed_html,
    cost_html,
    count_html,
    formula_block_html,
    note_html,
    notes_html,
    paragraph_html,
    shape_text,
    weights_html,
)
from ..info import LayerInfo
from ._explorer_words import changed_factors, cost_change, not_a_layer, picture_text, textbook_cost
from ._guard import GuardedBox
from ._picture import Picture, View
from ._sliders import DESCRIPTION_WIDTH, ChannelSlider, channel_slider, set_bounds, slider
from ._throttle import FRAME_SECONDS, Clock, FrameThrottle, Schedule, from_browser

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_CHOOSE = "choose a preset…"
_KIND_LABELS = {
    Family.CONV: "Conv2D",
    Family.DEPTHWISE: "DepthwiseConv2D",
    Family.SEPARABLE: "SeparableConv2D",
}

# Controls that move the output shape but never the count.
_SHAPE_ONLY = {"stride", "padding", "dilation", "input_size"}
# What the collapsed section holds, in its title, so a learner knows what is inside before opening it.
_MORE_TITLE = (
    "more: layer type, preset, bias, depth multiplier, groups, stride, padding, dilation, input size, picture"
)


class ConvExplorer(GuardedBox):
    """Sliders for one convolution layer, with its parameter count, formula, shapes and kernel picture.

    Parameters
    ----------
    kernel_size : int
        Kernel height and width (1–11).
    in_channels : int
        Input channels (1–512).
    filters : int
        Output channels (1–512).
    bias : bool
        ``use_bias``.
    stride, dilation : int
        Equal on both axes.
    padding : Padding or str
        ``"valid"`` or ``"same"``.
    groups : int
        A common divisor of ``in_channels`` and ``filters``.
    input_size : int
        Input height and width.
    kind : Family or str
        ``"conv"``, ``"depthwise"`` or ``"separable"``.
    depth_multiplier : int
        For ``"depthwise"`` and ``"separable"``.
    clock : callable, optional
        Monotonic seconds for the picture's frame throttle (default :func:`time.perf_counter`).
    schedule : callable, optional
        ``schedule(delay, callback)`` runs ``callback`` after ``delay`` seconds and returns an object
        with ``cancel()``, or None when it cannot (then the picture is drawn at once). Default: the
        running asyncio loop's ``call_later`` (the kernel's), drawing at once when no loop runs.
        Tests pass a fake clock and scheduler to step through a drag frame by frame.
    frame_seconds : float, optional
        The least time between two pictures drawn for changes from the browser.

    Attributes
    ----------
    kernel_size, in_channels, filters, stride, dilation, input_size, depth_multiplier : ipywidgets.IntSlider
    bias : ipywidgets.Checkbox
    padding, kind, view : ipywidgets.ToggleButtons
    groups, preset : ipywidgets.Dropdown
    count_label, formula, cost_label, shapes, picture_text : ipywidgets.HTML
        ``cost_label`` holds the layer's textbook multiply-adds with their formula.
    message : ipywidgets.HTML
        Notes on values that had to give way, and the error area: a change the core refuses
        (a :class:`~convwidget.errors.ConfigError`) is shown here and the controls go back.
    picture : ipywidgets.Image
        PNG bytes of the current drawing.
    picture_pending : bool
        Whether a picture for a change from the browser is scheduled and not yet drawn.
    count : int
        The current total parameter count.
    mult_adds : int
        The current multiply-adds for one sample (textbook convention: no bias adds).
    info : LayerInfo
        The current ``describe`` result.
    figure : matplotlib.figure.Figure
        The figure behind the current picture.

    Raises
    ------
    ConfigError
        If the arguments cannot be made into a valid configuration.

    Examples
    --------
    >>> w = ConvExplorer(kernel_size=3, in_channels=32, filters=63)
    >>> w.count
    18207
    >>> w.filters.value = 64
    >>> w.count
    18496
    >>> w.mult_adds  # 24·24 output positions · 64 filters · 3·3·32 products each
    10616832
    """

    def __init__(
        self,
        kernel_size: int = 3,
        in_channels: int = 32,
        filters: int = 63,
        *,
        bias: bool = True,
        stride: int = 1,
        padding: Padding | str = Padding.VALID,
        dilation: int = 1,
        groups: int = 1,
        input_size: int = 26,
        kind: Family | str = Family.CONV,
        depth_multiplier: int = 1,
        clock: Clock = time.perf_counter,
        schedule: Schedule | None = None,
        frame_seconds: float = FRAME_SECONDS,
    ) -> None:
        wanted = ConvSettings(
            kind=kind,
            kernel_size=kernel_size,
            in_channels=in_channels,
            filters=filters,
            bias=bias,
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=groups,
            input_size=input_size,
            depth_multiplier=depth_multiplier,
        )
        controls.check(wanted)
        s, notes = controls.settle(wanted)
        if notes or s != wanted:
            raise not_a_layer(wanted, s, notes)
        r = controls.ranges(s)
        self._syncing = False
        self._settings = s
        self._picture = Picture()
        self._throttle = FrameThrottle(self._render_picture, frame_seconds, clock, schedule)
        self._highlight: set[str] = set()
        self._cost_highlight: set[str] = set()

        self.kernel_size = slider(
            "kernel size", s.kernel_size, r.kernel_size, "convwidget-kernel-size", "kernel height and width F"
        )
        self.in_channels = channel_slider(
            "in_channels",
            "input channels",
            s.in_channels,
            "convwidget-in-channels",
            "channels of the input, Cin",
        )
        self.filters = channel_slider(
            "filters",
            "filters",
            s.filters,
            "convwidget-filters",
            "filters = kernels = output channels, Cout: one kernel per output channel",
        )
        self.depth_multiplier = slider(
            "depth multiplier",
            s.depth_multiplier,
            r.depth_multiplier,
            "convwidget-depth-multiplier",
            "depthwise kernels per input channel",
        )
        self.stride = slider("stride", s.stride, r.stride, "convwidget-stride", "step of the kernel")
        self.dilation = slider(
            "dilation", s.dilation, r.dilation, "convwidget-dilation", "gap between kernel taps"
        )
        self.input_size = slider(
            "input size", s.input_size, r.input_size, "convwidget-input-size", "input height and width"
        )
        self.bias = ipw.Checkbox(value=s.bias, description="bias (one per filter)", indent=False)
        self.bias.add_class("convwidget-bias")
        self.padding = ipw.ToggleButtons(
            options=[(str(p), p) for p in controls.PADDINGS],
            value=s.padding,
            description="padding",
            tooltips=["no padding: the kernel must fit", "pad so output = ⌈n/stride⌉"],
            style={"description_width": DESCRIPTION_WIDTH, "button_width": "auto"},
        )
        self.padding.add_class("convwidget-padding")
        self.groups = ipw.Dropdown(
            options=list(r.groups),
            value=s.groups,
            description="groups",
            style={"description_width": DESCRIPTION_WIDTH},
            layout=ipw.Layout(width="18em"),
        )
        self.groups.add_class("convwidget-groups")
        self.kind = ipw.ToggleButtons(
            options=[(v, k) for k, v in _KIND_LABELS.items()],
            value=s.kind,
            description="layer",
            style={"description_width": DESCRIPTION_WIDTH, "button_width": "auto"},
        )
        self.kind.add_class("convwidget-kind")
        self.preset = ipw.Dropdown(
            options=[_CHOOSE, *PRESETS],
            value=_CHOOSE,
            description="preset",
            style={"description_width": DESCRIPTION_WIDTH},
            layout=ipw.Layout(width="22em"),
        )
        self.preset.add_class("convwidget-preset")
        self.view = ipw.ToggleButtons(
            options=[(str(v), v) for v in View],
            value=View.KERNEL_STACK,
            description="picture",
            style={"description_width": DESCRIPTION_WIDTH, "button_width": "auto"},
        )
        self.view.add_class("convwidget-view")

        self.count_label = ipw.HTML()
        self.count_label.add_class("convwidget-count")
        self.formula = ipw.HTML()
        self.formula.add_class("convwidget-formula")
        self.cost_label = ipw.HTML()
        self.cost_label.add_class("convwidget-cost")
        self.shapes = ipw.HTML()
        self.shapes.add_class("convwidget-shapes")
        self.message = ipw.HTML()
        self.message.add_class("convwidget-message")
        self.error_area = self.message
        self.why_disabled = ipw.HTML()
        self.why_disabled.add_class("convwidget-why-disabled")
        # Beside the sliders at a projector's 1280×720; under them in a narrow column (the box wraps).
        self.picture = ipw.Image(
            format="png", layout=ipw.Layout(width="100%", max_width="720px", height="auto", min_width="0")
        )
        self.picture.add_class("convwidget-picture")
        self.picture_text = ipw.HTML()
        self.picture_text.add_class("convwidget-picture-text")

        self._controls: dict[str, ipw.ValueWidget] = {
            "kind": self.kind,
            "kernel_size": self.kernel_size,
            "in_channels": self.in_channels,
            "filters": self.filters,
            "depth_multiplier": self.depth_multiplier,
            "bias": self.bias,
            "stride": self.stride,
            "padding": self.padding,
            "dilation": self.dilation,
            "groups": self.groups,
            "input_size": self.input_size,
        }
        for name, widget in self._controls.items():
            widget.observe(self._observer(self._control_changed(name)), "value")
        self.preset.observe(self._observer(self._on_preset), "value")
        self.view.observe(self._observer(lambda _change: self._throttle.request(now=True)), "value")

        # The projector view: the three sliders, the count, the formula and the (smaller) cost beside the
        # picture; the rest in a collapsed section, so the lesson fits 1280×720 without scrolling. The
        # column stays shorter than the 16:9 picture beside it, so the cost line adds no height.
        left = ipw.VBox(
            [
                self.kernel_size,
                self.in_channels,
                self.filters,
                self.count_label,
                self.formula,
                self.cost_label,
                self.message,
            ],
            layout=ipw.Layout(flex="0 1 31em", min_width="20em", padding="0 1em 0 0"),
        )
        # At least 400 px wide: narrower, it wraps under the sliders (an ~800 px column) rather than shrink.
        right = ipw.Box(
            [self.picture], layout=ipw.Layout(flex="1 1 400px", max_width="720px", min_width="400px")
        )
        more = ipw.VBox(
            [
                self.kind,
                self.preset,
                self.bias,
                self.depth_multiplier,
                self.groups,
                self.stride,
                self.padding,
                self.dilation,
                self.input_size,
                self.why_disabled,
                self.view,
                self.shapes,
                self.picture_text,
            ]
        )
        self.more = ipw.Accordion(children=[more], titles=(_MORE_TITLE,), selected_index=None)
        self.more.add_class("convwidget-more")
        super().__init__(
            [
                ipw.HBox([left, right], layout=ipw.Layout(flex_flow="row wrap", align_items="flex-start")),
                self.more,
            ]
        )
        self.add_class("convwidget-explorer")
        self._info = controls.describe(s)
        self._cost = textbook_cost(self._info)
        self._apply_ranges(r)
        self._update_text("")
        self._throttle.request(now=True)

    # -- public state ------------------------------------------------------

    @property
    def settings(self) -> ConvSettings:
        """The current configuration."""
        return self._settings

    @property
    def info(self) -> LayerInfo:
        """The current ``describe`` result."""
        return self._info

    @property
    def count(self) -> int:
        """The current total parameter count."""
        return self._info.params

    @property
    def mult_adds(self) -> int:
        """The current multiply-adds for one sample (textbook: weight products, no bias adds)."""
        return self._cost.mult_adds

    @property
    def figure(self) -> Figure | None:
        """The matplotlib Figure behind the current picture."""
        return self._picture.figure(self.view.value)

    @property
    def picture_pending(self) -> bool:
        """Whether a picture for a change from the browser is scheduled and not yet drawn."""
        return self._throttle.pending

    def set(self, **values: Any) -> None:
        """Set several controls at once, drawing once, e.g. ``w.set(kernel_size=5, filters=8)``.

        Parameters
        ----------
        **values
            Field names of :class:`~convwidget.controls.ConvSettings`.

        Raises
        ------
        ConfigError
            If a name is unknown.
        """
        names = sorted(f.name for f in fields(ConvSettings))
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise fail(
                "ConvExplorer.set", unknown[0], values[unknown[0]], f"the controls are {', '.join(names)}"
            )
        wanted = replace(self._settings, **values)
        try:
            controls.check(wanted, "ConvExplorer.set")
        except ConfigError as exc:
            # Said in the widget too, since a lesson may call set() from a cell the learner never reads.
            self._report(exc)
            raise
        self._change(wanted, None, frontend=False)

    def __repr__(self) -> str:
        # Stable and short: nbval compares a widget's text/plain.
        s = self._settings
        last = (
            f"depth_multiplier={s.depth_multiplier}" if s.kind is Family.DEPTHWISE else f"filters={s.filters}"
        )
        label = _KIND_LABELS[Family(s.kind)]
        return (
            f"ConvExplorer({label}, kernel_size={s.kernel_size}, in_channels={s.in_channels}, "
            f"{last}: {self._info.terms.text})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = super()._repr_mimebundle_(**kwargs)
        # Where no widget front end runs (GitHub, nbconvert without widget state) the picture still shows.
        if self.picture.value:
            data["image/png"] = bytes(self.picture.value)
        data["text/plain"] = repr(self)
        return data

    # -- callbacks ---------------------------------------------------------

    def _observer(self, fn: Callable[[Any], None]) -> Callable[[Any], None]:
        """``fn`` guarded, and silent while the explorer itself puts values into its controls."""

        def unless_syncing(change: Any) -> None:
            if not self._syncing:
                fn(change)

        return self._guard(unless_syncing)

    def _restore(self) -> None:
        # A refused change leaves the control showing it: put every control back.
        self._push(self._settings, controls.ranges(self._settings))
        self._syncing = True
        try:
            self.preset.value = _CHOOSE
        finally:
            self._syncing = False

    def _control_changed(self, name: str) -> Callable[[Any], None]:
        """The observer of the control ``name``."""

        def on_change(change: Any) -> None:
            wanted = replace(self._settings, **{name: change["new"]})
            self._change(wanted, name, frontend=from_browser(self._controls[name]))

        return on_change

    def _on_preset(self, change: Any) -> None:
        if change["new"] == _CHOOSE:
            return
        target = PRESETS[change["new"]]
        self._change(target, None, frontend=False)
        self._syncing = True
        try:
            # Back to the prompt, so choosing the same preset again works.
            self.preset.value = _CHOOSE
        finally:
            self._syncing = False

    def _change(self, wanted: ConvSettings, changed: str | None, frontend: bool) -> None:
        s, notes = controls.settle(wanted, changed)
        info = controls.describe(s)  # raises ConfigError before any state changes
        cost = textbook_cost(info)
        old, old_settings, old_cost = self._info, self._settings, self._cost
        self._settings, self._info, self._cost = s, info, cost
        r = controls.ranges(s)
        self._push(s, r)
        self._apply_ranges(r)
        # Underline what changed in the formula, not what was passed: the truth is in the numbers.
        self._highlight = changed_factors(old.terms, info.terms)
        self._cost_highlight = changed_factors(old_cost.formula, cost.formula)
        moved = {f.name for f in fields(ConvSettings) if getattr(s, f.name) != getattr(old_settings, f.name)}
        shape_note = ""
        if moved & _SHAPE_ONLY and old.params == info.params:
            shape_note = (
                f"{', '.join(sorted(moved & _SHAPE_ONLY)).replace('_', ' ')} changed the "
                f"output shape to {shape_text(info.output_shape)}, not the count"
                f"{cost_change(old_cost.mult_adds, cost.mult_adds)}."
            )
        self._update_text(" ".join([*notes, shape_note]).strip())
        self._throttle.request(now=not frontend)

    def _push(self, s: ConvSettings, r: Ranges) -> None:
        """Put the values of ``s`` into the controls without triggering the observers."""
        self._syncing = True
        try:
            self.groups.options = list(r.groups)
            for name, widget in self._controls.items():
                value = getattr(s, name)
                if isinstance(widget, ChannelSlider):
                    widget.offer(value)  # a count the slider has no stop for gets one
                elif isinstance(widget, ipw.IntSlider):
                    # Widen first so the value is never clamped on the way.
                    widget.min, widget.max = min(widget.min, value), max(widget.max, value)
                if widget.value != value:
                    widget.value = value
        finally:
            self._syncing = False

    def _apply_ranges(self, r: Ranges) -> None:
        self._syncing = True
        try:
            set_bounds(self.kernel_size, r.kernel_size)
            self.filters.disabled = not r.filters_enabled
            set_bounds(self.depth_multiplier, r.depth_multiplier, r.depth_multiplier_enabled)
            set_bounds(self.stride, r.stride)
            set_bounds(self.dilation, r.dilation)
            set_bounds(self.input_size, r.input_size)
            if list(self.groups.options) != list(r.groups):
                self.groups.options = list(r.groups)
            self.groups.value = self._settings.groups
            self.groups.disabled = not r.groups_enabled or len(r.groups) == 1
            self.depth_multiplier.layout.display = None if r.depth_multiplier_enabled else "none"
            self.why_disabled.value = notes_html(controls.disabled_reasons(self._settings, r))
        finally:
            self._syncing = False

    def _update_text(self, note: str) -> None:
        info = self._info
        self.count_label.value = count_html(info.params)
        changed = sorted(self._highlight & {f.name for f in info.terms.factors})
        self.formula.value = formula_block_html(info.terms, "1.7em", self._highlight) + changed_html(changed)
        self.cost_label.value = cost_html(self._cost.formula, self._cost.note, self._cost_highlight)
        self.shapes.value = weights_html(info)
        self.message.value = note_html(note)
        self._updatepicture_text()

    def _render_picture(self) -> None:
        # Also runs from the event loop, after a frame: guarded like a callback, with nothing to restore.
        s = self._settings
        options = {"strides": s.stride, "padding": str(s.padding), "dilation_rate": s.dilation}
        try:
            png = self._picture.render(self._info, self.view.value, options)
        except ConfigError as exc:
            self._report(exc)
            return
        self.picture.value = png
        self._updatepicture_text()

    def _updatepicture_text(self) -> None:
        self.picture_text.value = paragraph_html(picture_text(self._info, self.view.value))
