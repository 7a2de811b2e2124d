"""Jupyter widgets: the convolution explorer, the guessing quiz and the model walkthrough.

The widgets are thin. Every bound comes from :mod:`convwidget.controls`, every
count, shape and formula from the core (``describe``), every picture from
:mod:`convwidget.drawing`; this module only links them, with plain ipywidgets 8
core widgets so the same code runs in JupyterLab 4, Notebook 7 and Voilà.

How updates work
----------------
* Observers run synchronously in the kernel. A value set from code
  (``w.filters.value = 63``) updates the count, the formula and the picture
  before the assignment returns.
* The picture is PNG bytes on an :class:`ipywidgets.Image`, rendered in full
  before it is assigned, so the front end receives data (no lazy ``draw_idle``)
  and a saved notebook keeps the last picture in its widget state.
* A value changed from the browser (a slider being dragged) updates the text
  at once, but the picture at most once per :data:`FRAME_SECONDS`: when several
  changes arrive within one frame, a single render is scheduled on the kernel's
  event loop and draws whatever the controls hold *when it runs*. The values in
  between are skipped, never queued, so the picture cannot lag behind the hand.
* Any exception inside a callback is caught and shown in the widget as a short
  message; the controls go back to the last valid state and stay usable.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, replace
from typing import Any

import ipywidgets as ipw
import numpy as np

from . import controls
from .controls import PRESETS, ConvSettings, Ranges
from .errors import ConfigError
from .formula import Expr, Factor, Product, Sum, Terms, group_digits
from .info import LayerInfo

__all__ = ["FRAME_SECONDS", "ConvExplorer", "GuessQuiz", "ModelWalkthrough", "formula_html"]

# One frame at ~30 fps: a dragged slider gets at most one picture per frame.
FRAME_SECONDS = 1 / 30

_CHOOSE = "choose a preset…"
_KIND_LABELS = {"conv": "Conv2D", "depthwise": "DepthwiseConv2D", "separable": "SeparableConv2D"}
_VIEWS = ("kernel stack", "convolution volume")

# Which factors of the formula each control changes, to highlight them.
_FACTORS_OF = {
    "kernel_size": {"kernel height", "kernel width"},
    "in_channels": {"input channels", "input channels per group"},
    "filters": {"output channels"},
    "bias": {"bias"},
    "groups": {"input channels per group"},
    "depth_multiplier": {"depth multiplier"},
}
# Controls that move the output shape but never the count.
_SHAPE_ONLY = {"stride", "padding", "dilation", "input_size"}

_MARK_STYLE = "font-weight:bold;text-decoration:underline;background:#ffe08a;color:inherit;padding:0 2px"


# --------------------------------------------------------------------------- text


def _render_html(expr: Expr, highlight: set[str], parent: str) -> str:
    if isinstance(expr, Factor):
        value = html.escape(str(expr.value))
        name = html.escape(expr.name)
        if expr.name in highlight:
            attrs = f'class="convwidget-changed" title="{name} (changed)" style="{_MARK_STYLE}"'
            return f"<mark {attrs}>{value}</mark>"
        return f'<span title="{name}">{value}</span>'
    if isinstance(expr, Product):
        return "·".join(_render_html(i, highlight, "product") for i in expr.items)
    assert isinstance(expr, Sum)
    text = " + ".join(_render_html(i, highlight, "sum") for i in expr.items)
    # Same bracket rule as Terms.expression, so the visible text is identical.
    if parent == "product" and len(expr.items) > 1:
        return f"({text})"
    return text


def formula_html(terms: Terms, highlight: Iterable[str] = ()) -> str:
    """Return ``terms`` as HTML whose visible text is exactly ``terms.text``.

    Parameters
    ----------
    terms : Terms
        The formula.
    highlight : iterable of str
        Factor names (e.g. ``"input channels"``) to mark as just changed. They are
        marked in bold, underlined and with a background, and named in a
        ``title``, so colour is never the only sign.

    Returns
    -------
    str
        HTML; stripping its tags gives e.g. ``(3·3·32 + 1)·63 = 18,207``.
    """
    wanted = set(highlight)
    if isinstance(terms.expr, Factor):
        return html.escape(terms.text)
    return f"{_render_html(terms.expr, wanted, 'top')} = {group_digits(terms.total)}"


def _shape(shape: tuple[int, ...]) -> str:
    return str(tuple(shape))


def _weights_text(weights: Mapping[str, tuple[int, ...]]) -> str:
    if not weights:
        return "no weights"
    return ", ".join(f"{html.escape(name)} {_shape(shape)}" for name, shape in weights.items())


def _picture_text(info: LayerInfo, view: str) -> str:
    """Say in words what the picture shows, for screen readers and for anyone who reads first."""
    g = info.geometry
    if g is None:
        return f"{info.layer_type}: no kernels."
    k = "×".join(str(v) for v in g.kernel_size)
    bias = " + 1 bias" if g.bias else " (no bias)"
    if g.kind == "depthwise":
        kernels = f"{g.out_channels} kernels, each {k}×1 weights{bias}: one per input channel and multiplier"
    elif g.kind == "separable":
        mid = g.in_channels * g.depth_multiplier
        kernels = (
            f"{mid} depthwise kernels of {k}×1 weights, then {g.out_channels} pointwise kernels, "
            f"each 1×1×{mid} weights{bias}"
        )
    else:
        kernels = f"{g.out_channels} kernels, each {k}×{g.channels_per_kernel} weights{bias}"
        if g.groups > 1:
            kernels += (
                f" (groups={g.groups}: each kernel sees {g.channels_per_kernel} of {g.in_channels} channels)"
            )
    if view == _VIEWS[1]:
        i = "×".join(str(v) for v in info.input_shape)
        o = "×".join(str(v) for v in info.output_shape)
        return f"Input {i} → {kernels} → output {o}."
    return kernels + "."


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ConfigError):
        return str(exc)
    # Not our error: keep it short, a traceback helps no learner.
    return f"Something went wrong ({type(exc).__name__}: {exc}). The last valid state is kept."


def _message_html(text: str, kind: str = "note") -> str:
    if not text:
        return ""
    sign = "⚠ " if kind == "error" else "ℹ "
    role = "alert" if kind == "error" else "status"
    return f'<div role="{role}">{sign}{html.escape(text)}</div>'


# --------------------------------------------------------------------------- picture


class _Picture:
    """The explorer's figures, one per view, updated in place and rendered to PNG bytes.

    This is the only place that knows the drawing module's API. The kernel
    stack uses :class:`convwidget.drawing.KernelStackFigure`, whose ``to_png``
    composites cached sprites (the < 50 ms path); the convolution volume is
    drawn with ``draw_conv_volume`` on its own Agg figure.
    """

    def __init__(self) -> None:
        self._figures: dict[str, Any] = {}

    def figure(self, view: str) -> Any:
        """The matplotlib Figure of ``view`` (None before its first render)."""
        fig = self._figures.get(view)
        return None if fig is None else fig.figure

    def render(self, info: LayerInfo, view: str) -> bytes:
        """Update the figure of ``view`` to ``info`` and return it as PNG bytes."""
        fig = self._figures.get(view)
        if fig is None:
            fig = self._figures[view] = _new_figure(info, view)
        else:
            fig.update(info)
        return fig.to_png()


def _new_figure(info: LayerInfo, view: str) -> Any:
    from . import drawing

    if view == _VIEWS[0] and hasattr(drawing, "KernelStackFigure"):
        return drawing.KernelStackFigure(info)
    if view == _VIEWS[1] and hasattr(drawing, "draw_conv_volume"):
        return _AggFigure(info, drawing.draw_conv_volume)
    return _AggFigure(info, _draw_numbers)


def _draw_numbers(ax: Any, info: LayerInfo) -> Any:
    """Last resort when a drawing is missing: the formula as text, so the view is never blank."""

    class _Numbers:
        def __init__(self) -> None:
            ax.set_axis_off()
            self.text = ax.text(0.02, 0.5, "", va="center", fontsize=14)
            self.update(info)

        def update(self, new: LayerInfo) -> None:
            self.text.set_text(new.terms.text)

    return _Numbers()


class _AggFigure:
    """A Figure drawn by ``draw(ax, info)`` (an object with ``update(info)``), rendered by Agg."""

    def __init__(self, info: LayerInfo, draw: Callable[[Any, LayerInfo], Any]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        # A bare Figure, not pyplot: nothing leaks into the cell's output.
        self.figure = Figure(figsize=(8, 4.5), dpi=100, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        self.drawn = draw(ax, info)

    def update(self, info: LayerInfo) -> None:
        self.drawn.update(info)

    def to_png(self) -> bytes:
        import io

        from PIL import Image  # a matplotlib dependency

        self.canvas.draw()
        rgb = np.asarray(self.canvas.buffer_rgba())[:, :, :3]
        buf = io.BytesIO()
        # Level 1: these flat drawings stay small, and encoding is 3× faster than the default.
        Image.fromarray(rgb).save(buf, format="PNG", compress_level=1)
        return buf.getvalue()


# --------------------------------------------------------------------------- throttle


class _FrameThrottle:
    """Call ``render`` for the latest state, at most once per ``interval`` for front-end changes.

    ``request(now=True)`` (a change from code) renders immediately and cancels
    any pending render. ``request(now=False)`` (a change from the browser)
    renders immediately if the last render is older than ``interval``; otherwise
    it makes sure one render is scheduled for the end of the interval and
    returns. ``render`` always draws the current state, so every change in
    between is skipped rather than queued.

    Parameters
    ----------
    render : callable
        Draws the current state.
    interval : float
        Seconds between two renders triggered from the browser.
    clock : callable
        Monotonic seconds.
    schedule : callable
        ``schedule(delay, callback)`` returns an object with ``cancel()``, or None
        when there is no event loop to schedule on (then the render happens now).
    """

    def __init__(
        self,
        render: Callable[[], None],
        interval: float = FRAME_SECONDS,
        clock: Callable[[], float] = time.perf_counter,
        schedule: Callable[[float, Callable[[], None]], Any] | None = None,
    ) -> None:
        self._render = render
        self.interval = interval
        self._clock = clock
        self._schedule = schedule or _schedule_on_loop
        self._last = -float("inf")
        self._pending: Any = None

    @property
    def pending(self) -> bool:
        """Whether a render is scheduled and not yet done."""
        return self._pending is not None

    def request(self, now: bool) -> None:
        """Ask for the current state to be drawn; see the class docstring."""
        if now:
            self._cancel()
            self._fire()
            return
        if self._pending is not None:
            return  # the pending render will draw the latest state
        wait = self._last + self.interval - self._clock()
        if wait <= 0:
            self._fire()
            return
        handle = self._schedule(wait, self._fire_pending)
        if handle is None:
            self._fire()
        else:
            self._pending = handle

    def _cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def _fire_pending(self) -> None:
        self._pending = None
        self._fire()

    def _fire(self) -> None:
        self._render()
        self._last = self._clock()


def _schedule_on_loop(delay: float, callback: Callable[[], None]) -> Any:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None  # no kernel event loop (plain Python, tests): draw synchronously
    return loop.call_later(delay, callback)


def _from_browser(widget: ipw.Widget) -> bool:
    # ipywidgets holds _property_lock while it applies a state update from the front end.
    return bool(getattr(widget, "_property_lock", None))


def _set_bounds(slider: ipw.IntSlider, bounds: tuple[int, int], enabled: bool = True) -> None:
    lo, hi = bounds
    # ipywidgets refuses min > max at every step, so order the two assignments.
    if lo > slider.max:
        slider.max = hi
        slider.min = lo
    else:
        slider.min = lo
        slider.max = hi
    slider.disabled = not enabled or lo == hi


def _slider(description: str, value: int, bounds: tuple[int, int], css: str, tooltip: str) -> ipw.IntSlider:
    s = ipw.IntSlider(
        value=value,
        min=bounds[0],
        max=bounds[1],
        description=description,
        description_allow_html=False,
        tooltip=tooltip,
        continuous_update=True,
        style={"description_width": "9em"},
        layout=ipw.Layout(width="26em"),
    )
    s.add_class(css)
    return s


# --------------------------------------------------------------------------- explorer


class ConvExplorer(ipw.VBox):
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
    padding : str
        ``"valid"`` or ``"same"``.
    groups : int
        A common divisor of ``in_channels`` and ``filters``.
    input_size : int
        Input height and width.
    kind : str
        ``"conv"``, ``"depthwise"`` or ``"separable"``.
    depth_multiplier : int
        For ``"depthwise"`` and ``"separable"``.

    Attributes
    ----------
    kernel_size, in_channels, filters, stride, dilation, input_size, depth_multiplier : ipywidgets.IntSlider
    bias : ipywidgets.Checkbox
    padding, kind, view : ipywidgets.ToggleButtons
    groups, preset : ipywidgets.Dropdown
    count_label, formula, shapes, message, picture_text : ipywidgets.HTML
    picture : ipywidgets.Image
        PNG bytes of the current drawing.
    count : int
        The current total parameter count.
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
    """

    def __init__(
        self,
        kernel_size: int = 3,
        in_channels: int = 32,
        filters: int = 63,
        *,
        bias: bool = True,
        stride: int = 1,
        padding: str = "valid",
        dilation: int = 1,
        groups: int = 1,
        input_size: int = 26,
        kind: str = "conv",
        depth_multiplier: int = 1,
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
        for f in fields(wanted):
            value = getattr(wanted, f.name)
            if not isinstance(value, (int, str)):
                raise ConfigError(
                    f"ConvExplorer: {f.name}={value!r} is invalid; it must be an int, bool or str."
                )
        s, notes = controls.settle(wanted)
        if notes or s != wanted:
            raise ConfigError(
                "ConvExplorer: the arguments do not make a valid layer; "
                + (
                    " ".join(notes)
                    or "a value is outside its range (kernel 1–11, channels and filters 1–512)."
                )
            )
        r = controls.ranges(s)
        self._syncing = False
        self._settings = s
        self._picture = _Picture()
        self._throttle = _FrameThrottle(self._render_picture)
        self._highlight: set[str] = set()
        self.render_count = 0

        self.kernel_size = _slider(
            "kernel size", s.kernel_size, r.kernel_size, "convwidget-kernel-size", "kernel height and width F"
        )
        self.in_channels = _slider(
            "input channels",
            s.in_channels,
            r.in_channels,
            "convwidget-in-channels",
            "channels of the input, Cin",
        )
        self.filters = _slider(
            "filters", s.filters, r.filters, "convwidget-filters", "output channels, Cout: one kernel each"
        )
        self.depth_multiplier = _slider(
            "depth multiplier",
            s.depth_multiplier,
            r.depth_multiplier,
            "convwidget-depth-multiplier",
            "depthwise kernels per input channel",
        )
        self.stride = _slider("stride", s.stride, r.stride, "convwidget-stride", "step of the kernel")
        self.dilation = _slider(
            "dilation", s.dilation, r.dilation, "convwidget-dilation", "gap between kernel taps"
        )
        self.input_size = _slider(
            "input size", s.input_size, r.input_size, "convwidget-input-size", "input height and width"
        )
        self.bias = ipw.Checkbox(value=s.bias, description="bias (one per filter)", indent=False)
        self.bias.add_class("convwidget-bias")
        self.padding = ipw.ToggleButtons(
            options=list(controls.PADDINGS),
            value=s.padding,
            description="padding",
            tooltips=["no padding: the kernel must fit", "pad so output = ⌈n/stride⌉"],
            style={"description_width": "9em", "button_width": "6em"},
        )
        self.padding.add_class("convwidget-padding")
        self.groups = ipw.Dropdown(
            options=list(r.groups),
            value=s.groups,
            description="groups",
            style={"description_width": "9em"},
            layout=ipw.Layout(width="18em"),
        )
        self.groups.add_class("convwidget-groups")
        self.kind = ipw.ToggleButtons(
            options=[(v, k) for k, v in _KIND_LABELS.items()],
            value=s.kind,
            description="layer",
            style={"description_width": "9em", "button_width": "10em"},
        )
        self.kind.add_class("convwidget-kind")
        self.preset = ipw.Dropdown(
            options=[_CHOOSE, *PRESETS],
            value=_CHOOSE,
            description="preset",
            style={"description_width": "9em"},
            layout=ipw.Layout(width="22em"),
        )
        self.preset.add_class("convwidget-preset")
        self.view = ipw.ToggleButtons(
            options=list(_VIEWS),
            value=_VIEWS[0],
            description="picture",
            style={"description_width": "9em", "button_width": "11em"},
        )
        self.view.add_class("convwidget-view")

        self.count_label = ipw.HTML()
        self.count_label.add_class("convwidget-count")
        self.formula = ipw.HTML()
        self.formula.add_class("convwidget-formula")
        self.shapes = ipw.HTML()
        self.shapes.add_class("convwidget-shapes")
        self.message = ipw.HTML()
        self.message.add_class("convwidget-message")
        self.picture = ipw.Image(format="png", layout=ipw.Layout(max_width="640px"))
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
            widget.observe(self._guarded(lambda change, name=name: self._on_control(name, change)), "value")
        self.preset.observe(self._guarded(self._on_preset), "value")
        self.view.observe(self._guarded(lambda change: self._throttle.request(now=True)), "value")

        left = ipw.VBox(
            [
                self.preset,
                self.kind,
                self.kernel_size,
                self.in_channels,
                self.filters,
                self.depth_multiplier,
                self.bias,
                self.groups,
                self.stride,
                self.padding,
                self.dilation,
                self.input_size,
            ],
            layout=ipw.Layout(min_width="28em"),
        )
        right = ipw.VBox(
            [self.count_label, self.formula, self.shapes, self.message], layout=ipw.Layout(padding="0 1em")
        )
        super().__init__(
            [
                ipw.HBox([left, right], layout=ipw.Layout(flex_flow="row wrap")),
                self.view,
                ipw.HBox(
                    [self.picture, self.picture_text],
                    layout=ipw.Layout(flex_flow="row wrap", align_items="center"),
                ),
            ]
        )
        self.add_class("convwidget-explorer")
        self._info = controls.describe(s)
        self._apply_ranges(r)
        self._update_text(None)
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
    def figure(self) -> Any:
        """The matplotlib Figure behind the current picture."""
        return self._picture.figure(self.view.value)

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
        names = {f.name for f in fields(ConvSettings)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ConfigError(f"ConvExplorer.set: unknown control(s) {unknown}; use {sorted(names)}.")
        wanted = replace(self._settings, **values)
        self._change(wanted, None, highlight_from=values, frontend=False)

    def __repr__(self) -> str:
        # Stable and short: nbval compares a widget's text/plain.
        s = self._settings
        last = f"depth_multiplier={s.depth_multiplier}" if s.kind == "depthwise" else f"filters={s.filters}"
        return (
            f"ConvExplorer({_KIND_LABELS[s.kind]}, kernel_size={s.kernel_size}, in_channels={s.in_channels}, "
            f"{last}: {self._info.terms.text})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs)
        # Where no widget front end runs (GitHub, nbconvert without widget state) the picture still shows.
        if self.picture.value:
            data["image/png"] = bytes(self.picture.value)
        data["text/plain"] = repr(self)
        return data

    # -- callbacks ---------------------------------------------------------

    def _guarded(self, fn: Callable[[Any], None]) -> Callable[[Any], None]:
        def run(change: Any) -> None:
            if self._syncing:
                return
            try:
                fn(change)
            except Exception as exc:  # a callback must never raise into the notebook
                self._recover(exc)

        return run

    def _recover(self, exc: BaseException) -> None:
        try:
            self._push(self._settings, controls.ranges(self._settings))
        finally:
            self.message.value = _message_html(_error_text(exc), "error")

    def _on_control(self, name: str, change: Any) -> None:
        wanted = replace(self._settings, **{name: change["new"]})
        self._change(
            wanted, name, highlight_from={name: change["new"]}, frontend=_from_browser(self._controls[name])
        )

    def _on_preset(self, change: Any) -> None:
        if change["new"] == _CHOOSE:
            return
        target = PRESETS[change["new"]]
        changed = {
            f.name: getattr(target, f.name)
            for f in fields(ConvSettings)
            if getattr(target, f.name) != getattr(self._settings, f.name)
        }
        self._change(target, None, highlight_from=changed, frontend=False)
        self._syncing = True
        try:
            # Back to the prompt, so choosing the same preset again works.
            self.preset.value = _CHOOSE
        finally:
            self._syncing = False

    def _change(
        self, wanted: ConvSettings, changed: str | None, highlight_from: Mapping[str, Any], frontend: bool
    ) -> None:
        s, notes = controls.settle(wanted, changed)
        info = controls.describe(s)  # raises ConfigError before any state changes
        old = self._info
        self._settings, self._info = s, info
        r = controls.ranges(s)
        self._push(s, r)
        self._apply_ranges(r)
        self._highlight = (
            set().union(*(_FACTORS_OF.get(n, set()) for n in highlight_from)) if highlight_from else set()
        )
        shape_note = ""
        if set(highlight_from) & _SHAPE_ONLY and old.params == info.params:
            shape_note = (
                f"{', '.join(sorted(set(highlight_from) & _SHAPE_ONLY)).replace('_', ' ')} changed the "
                f"output shape to {_shape(info.output_shape)}, not the count."
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
                if isinstance(widget, ipw.IntSlider):
                    # Widen first so the value is never clamped on the way.
                    widget.min, widget.max = min(widget.min, value), max(widget.max, value)
                if widget.value != value:
                    widget.value = value
        finally:
            self._syncing = False

    def _apply_ranges(self, r: Ranges) -> None:
        self._syncing = True
        try:
            _set_bounds(self.kernel_size, r.kernel_size)
            _set_bounds(self.in_channels, r.in_channels)
            _set_bounds(self.filters, r.filters, r.filters_enabled)
            _set_bounds(self.depth_multiplier, r.depth_multiplier, r.depth_multiplier_enabled)
            _set_bounds(self.stride, r.stride)
            _set_bounds(self.dilation, r.dilation)
            _set_bounds(self.input_size, r.input_size)
            if list(self.groups.options) != list(r.groups):
                self.groups.options = list(r.groups)
            self.groups.value = self._settings.groups
            self.groups.disabled = not r.groups_enabled or len(r.groups) == 1
            self.depth_multiplier.layout.display = None if r.depth_multiplier_enabled else "none"
        finally:
            self._syncing = False

    def _update_text(self, note: str) -> None:
        info = self._info
        n = info.params
        self.count_label.value = (
            f'<span style="font-size:2.4em;font-weight:bold;line-height:1.1">{group_digits(n)}</span> '
            f"parameter{'s' if n != 1 else ''}"
        )
        changed = ""
        if self._highlight:
            names = sorted(self._highlight & {f.name for f in info.terms.factors})
            if names:
                listed = html.escape(", ".join(names))
                changed = f'<div style="font-size:0.9em">changed (underlined): {listed}</div>'
        self.formula.value = (
            f'<div style="font-size:1.5em">{formula_html(info.terms, self._highlight)}</div>'
            f'<div style="font-size:0.9em">{html.escape(info.terms.symbolic)}</div>{changed}'
        )
        self.shapes.value = (
            "<table>"
            f"<tr><th style='text-align:left'>Keras</th><td>{_weights_text(info.keras_weights)}</td></tr>"
            f"<tr><th style='text-align:left'>PyTorch</th><td>{_weights_text(info.torch_weights)}</td></tr>"
            f"<tr><th style='text-align:left'>output</th><td>{_shape(info.input_shape)} → "
            f"{_shape(info.output_shape)}</td></tr></table>"
        )
        self.message.value = _message_html(note)
        self.picture_text.value = f"<p>{html.escape(_picture_text(info, self.view.value))}</p>"

    def _render_picture(self) -> None:
        try:
            png = self._picture.render(self._info, self.view.value)
        except Exception as exc:  # also runs from the event loop
            self.message.value = _message_html(_error_text(exc), "error")
            return
        self.picture.value = png
        self.picture_text.value = f"<p>{html.escape(_picture_text(self._info, self.view.value))}</p>"
        self.render_count += 1


class GuessQuiz(ipw.VBox):
    """Placeholder, see below."""


class ModelWalkthrough(ipw.VBox):
    """Placeholder, see below."""
