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
from .seed import seed_model

__all__ = ["FRAME_SECONDS", "ConvExplorer", "GuessQuiz", "ModelWalkthrough", "formula_html", "seed_model"]

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

    def render(self, info: LayerInfo, view: str, options: Mapping[str, Any] | None = None) -> bytes:
        """Update the figure of ``view`` to ``info`` and return it as PNG bytes.

        ``options`` (strides, padding, dilation_rate) go to the convolution volume,
        which cannot always infer them from the shapes.
        """
        opts = dict(options or {}) if view == _VIEWS[1] else {}
        fig = self._figures.get(view)
        if fig is None:
            fig = self._figures[view] = _new_figure(info, view, opts)
        else:
            fig.update(info, **opts)
        return fig.to_png()


def _new_figure(info: LayerInfo, view: str, options: Mapping[str, Any]) -> Any:
    from . import drawing

    if view == _VIEWS[0] and hasattr(drawing, "KernelStackFigure"):
        return drawing.KernelStackFigure(info)
    if view == _VIEWS[1] and hasattr(drawing, "draw_conv_volume"):
        return _AggFigure(info, lambda ax, i: drawing.draw_conv_volume(ax, i, **options))
    return _AggFigure(info, _draw_numbers)


def _draw_numbers(ax: Any, info: LayerInfo) -> Any:
    """Last resort when a drawing is missing: the formula as text, so the view is never blank."""

    class _Numbers:
        def __init__(self) -> None:
            ax.set_axis_off()
            self.text = ax.text(0.02, 0.5, "", va="center", fontsize=14)
            self.update(info)

        def update(self, new: LayerInfo, **_options: Any) -> None:
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

    def update(self, info: LayerInfo, **options: Any) -> None:
        self.drawn.update(info, **options)

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
            s = self._settings
            options = {"strides": s.stride, "padding": s.padding, "dilation_rate": s.dilation}
            png = self._picture.render(self._info, self.view.value, options)
        except Exception as exc:  # also runs from the event loop
            self.message.value = _message_html(_error_text(exc), "error")
            return
        self.picture.value = png
        self.picture_text.value = f"<p>{html.escape(_picture_text(self._info, self.view.value))}</p>"
        self.render_count += 1


def _png_of(draw: Callable[[Any], Any]) -> bytes:
    """Draw on a fresh Agg figure with ``draw(ax)`` and return PNG bytes (for pictures drawn once)."""
    fig = _AggFigure(None, lambda ax, _info: draw(ax))  # type: ignore[arg-type]
    return fig.to_png()


def _layer_text(info: LayerInfo) -> str:
    g = info.geometry
    shape = _shape(info.input_shape)
    if g is None:
        return f"a {info.layer_type} layer on an input of shape {shape}"
    # The bias changes the answer, so the question must say when there is none.
    bias = "" if g.bias else " and no bias"
    if g.kind == "dense":
        return f"a {info.layer_type} layer with {g.out_channels} units{bias} on an input of shape {shape}"
    k = "×".join(str(v) for v in g.kernel_size)
    groups = f", groups={g.groups}" if g.kind == "conv" and g.groups > 1 else ""
    if g.kind == "depthwise":
        what = f"{k} kernels{groups}{bias}"
    else:
        what = f"{g.out_channels} filters of {k}{groups}{bias}"
    return f"a {info.layer_type} layer with {what} on an input of shape {shape}"


class GuessQuiz(ipw.VBox):
    """Ask for a layer's parameter count, say whether the answer is right and which term it dropped.

    Parameters
    ----------
    layer : layer
        A convwidget layer of either dialect, e.g. ``Conv2D(63, (3, 3))``.
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.

    Attributes
    ----------
    answer : ipywidgets.Text
        Where the learner types a count ("18207" or "18,207"); Enter checks it.
    check_button, show_button : ipywidgets.Button
    feedback, formula, question : ipywidgets.HTML
    picture : ipywidgets.Image
        The misconception drawing for the last answer (empty until then).
    diagnosis : Diagnosis or None
        The verdict on the last answer.
    info : LayerInfo
        The layer's ``describe`` result.

    Raises
    ------
    ConfigError
        If the layer cannot take ``input_shape``.
    """

    def __init__(self, layer: Any, input_shape: Iterable[int]) -> None:
        if not callable(getattr(layer, "describe", None)):
            raise ConfigError(
                f"GuessQuiz: layer={layer!r} is invalid; it must be a convwidget layer "
                "(convwidget.layers or convwidget.nn)."
            )
        self.layer = layer
        self.input_shape = tuple(input_shape)
        self.info: LayerInfo = layer.describe(self.input_shape)
        self.diagnosis: Any = None
        self.question = ipw.HTML(
            f"<p>How many parameters does {html.escape(_layer_text(self.info))} have?</p>"
        )
        self.question.add_class("convwidget-question")
        self.answer = ipw.Text(
            description="your count",
            placeholder="e.g. 630",
            continuous_update=False,
            style={"description_width": "7em"},
        )
        self.answer.add_class("convwidget-guess")
        self.check_button = ipw.Button(description="Check", tooltip="check your count", icon="check")
        self.check_button.add_class("convwidget-check")
        self.show_button = ipw.Button(description="Show me", tooltip="reveal the formula", icon="eye")
        self.show_button.add_class("convwidget-show")
        self.feedback = ipw.HTML()
        self.feedback.add_class("convwidget-feedback")
        self.formula = ipw.HTML()
        self.formula.add_class("convwidget-formula")
        self.picture = ipw.Image(format="png", layout=ipw.Layout(max_width="640px", display="none"))
        self.picture.add_class("convwidget-misconception")
        self.answer.observe(self._guarded(lambda change: self._check_text(change["new"])), "value")
        self.check_button.on_click(self._guarded(lambda _b: self._check_text(self.answer.value)))
        self.show_button.on_click(self._guarded(lambda _b: self.reveal()))
        super().__init__(
            [
                self.question,
                ipw.HBox([self.answer, self.check_button, self.show_button]),
                self.feedback,
                self.formula,
                self.picture,
            ]
        )
        self.add_class("convwidget-quiz")

    def __repr__(self) -> str:
        return f"GuessQuiz({self.info.layer_type} on {_shape(self.input_shape)})"

    def _guarded(self, fn: Callable[[Any], None]) -> Callable[[Any], None]:
        def run(arg: Any) -> None:
            try:
                fn(arg)
            except Exception as exc:  # a callback must never raise into the notebook
                self.feedback.value = _message_html(_error_text(exc), "error")

        return run

    def _check_text(self, text: str) -> None:
        if not str(text).strip():
            return
        self.check(text)

    def check(self, guess: int | str) -> Any:
        """Check ``guess`` as if the learner had typed it, and show the verdict.

        Parameters
        ----------
        guess : int or str
            A count such as ``630`` or ``"18,207"``.

        Returns
        -------
        Diagnosis
            The verdict (also kept in :attr:`diagnosis`).

        Raises
        ------
        ConfigError
            If ``guess`` is not a whole number >= 0 (from code; typed answers show the message instead).
        """
        from .diagnose import diagnose

        d = diagnose(guess, self.layer, self.input_shape)
        self.diagnosis = d
        sign = "✓ Right." if d.correct else "✗ Not quite."
        self.feedback.value = f'<div role="status"><b>{sign}</b> {html.escape(str(d))}</div>'
        if d.correct:
            self.reveal()
        self._draw(d)
        return d

    def reveal(self) -> None:
        """Show the formula with the numbers filled in."""
        terms = self.info.terms
        self.formula.value = (
            f'<div style="font-size:1.4em">{formula_html(terms)}</div>'
            f'<div style="font-size:0.9em">{html.escape(terms.symbolic)}</div>'
        )

    def _draw(self, d: Any) -> None:
        from . import drawing

        draw = getattr(drawing, "draw_misconception", None)
        if draw is None or d.correct:
            self.picture.layout.display = "none"
            return
        self.picture.value = _png_of(lambda ax: draw(ax, d))
        self.picture.layout.display = None


_SEED_LAYERS = "the MNIST model of the seed question"


def _explorer_settings(row: Any) -> ConvSettings | None:
    """The explorer's settings for a Keras 2-D conv row, or None if the explorer cannot show it."""
    from . import layers as keras_layers

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
        def run(arg: Any) -> None:
            try:
                self.message.value = ""
                fn(arg)
            except Exception as exc:  # a callback must never raise into the notebook
                self.message.value = _message_html(_error_text(exc), "error")

        return run

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
        if self._explorer is None:
            self._explorer = ConvExplorer(**{f.name: getattr(settings, f.name) for f in fields(settings)})
            self.explorer_box.children = (
                ipw.HTML("<p><b>Explore this layer</b> (changes here do not change the model):</p>"),
                self._explorer,
            )
        else:
            self._explorer.set(**{f.name: getattr(settings, f.name) for f in fields(settings)})
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
            shape_cells[axis] = f"<mark style='{_MARK_STYLE}'>{shape_cells[axis]}</mark>"
            source = f"the output of {html.escape(self.rows[i - 1].name)}" if i else "the model's input"
            what = "features" if g.kind == "dense" else "channels"
            inherited = (
                f"<br>Its {g.in_channels:,} input {what} (underlined) are not a choice: "
                f"they come from {source}."
            )
        shape_html = "(" + ", ".join(shape_cells) + ("," if len(shape_cells) == 1 else "") + ")"
        share = 100 * info.params / self.total if self.total else 0.0
        formula = formula_html(info.terms, {"input channels", "input channels per group", "input features"})
        return (
            f"<div>input {shape_html} → output {_shape(info.output_shape)}{inherited}</div>"
            f"<div style='font-size:1.3em;margin:0.3em 0'>{formula}</div>"
            f"<div>{group_digits(info.params)} of {group_digits(self.total)} parameters "
            f"({share:.1f} %); running total {group_digits(row.running_total)}"
            f"{' = the model total' if i == len(self.rows) - 1 else ''}.</div>"
        )

    def _bars(self, current: int) -> str:
        head = (
            "<tr><th></th><th style='text-align:left'>layer</th><th style='text-align:left'>output</th>"
            "<th style='text-align:right'>params</th><th style='text-align:left'>share of total</th>"
            "<th style='text-align:right'>running total</th></tr>"
        )
        body = []
        current_attr = ' aria-current="step"'
        for j, r in enumerate(self.rows):
            share = 100 * r.info.params / self.total if self.total else 0.0
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
                f"<td>{_shape(r.info.output_shape)}</td>"
                f"<td style='text-align:right'>{group_digits(r.info.params)}</td><td>{bar}</td>"
                f"<td style='text-align:right'>{group_digits(r.running_total)}</td></tr>"
            )
        total = (
            f"<tr><td></td><td colspan='2'><b>Total</b></td><td style='text-align:right'>"
            f"<b>{group_digits(self.total)}</b></td><td></td><td></td></tr>"
        )
        return f"<table>{head}{''.join(body)}{total}</table>"
