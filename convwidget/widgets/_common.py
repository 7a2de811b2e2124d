"""Helpers shared by the widgets: formula HTML, shape text, error messages and PNG rendering.

Private: the public names are re-exported by :mod:`convwidget.widgets`. Only this module
knows the drawing module's API; it imports :mod:`convwidget.drawing` (and so matplotlib)
lazily, at the first picture.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..formula import Expr, Factor, Product, Sum, Terms, group_digits
from ..info import LayerInfo

# The explorer's two pictures; the first is also the one the other widgets draw.
VIEWS = ("kernel stack", "convolution volume")

# Bold, underlined and with a background: colour is never the only sign of a mark.
MARK_STYLE = "font-weight:bold;text-decoration:underline;background:#ffe08a;color:inherit;padding:0 2px"


# --------------------------------------------------------------------------- text


def _render_html(expr: Expr, highlight: set[str], parent: str) -> str:
    if isinstance(expr, Factor):
        value = html.escape(str(expr.value))
        name = html.escape(expr.name)
        if expr.name in highlight:
            attrs = f'class="convwidget-changed" title="{name} (changed)" style="{MARK_STYLE}"'
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


def formula_block(terms: Terms, font_size: str, highlight: Iterable[str] = ()) -> str:
    """The formula with numbers (at ``font_size``) above its symbolic form, as two HTML divs."""
    return (
        f'<div style="font-size:{font_size}">{formula_html(terms, highlight)}</div>'
        f'<div style="font-size:0.9em">{html.escape(terms.symbolic)}</div>'
    )


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as Python prints a tuple, e.g. ``(26, 26, 32)``."""
    return str(tuple(shape))


def dims_text(dims: Iterable[int]) -> str:
    """Sizes joined by ``×``, e.g. ``3×3``."""
    return "×".join(str(v) for v in dims)


def error_text(exc: BaseException) -> str:
    """What a learner reads when a callback fails: our own messages as they are, others in short."""
    if isinstance(exc, ConfigError):
        return str(exc)
    # Not our error: keep it short, a traceback helps no learner.
    return f"Something went wrong ({type(exc).__name__}: {exc}). The last valid state is kept."


def message_html(text: str, kind: str = "note") -> str:
    """``text`` as a status note (``kind="note"``) or an alert (``kind="error"``); empty text gives ``""``."""
    if not text:
        return ""
    sign = "⚠ " if kind == "error" else "ℹ "
    role = "alert" if kind == "error" else "status"
    return f'<div role="{role}">{sign}{html.escape(text)}</div>'


def error_html(exc: BaseException) -> str:
    """The alert shown in place of an exception raised inside a callback."""
    return message_html(error_text(exc), "error")


def guarded(fn: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> Callable[[Any], None]:
    """Wrap the callback ``fn`` so that an exception goes to ``on_error`` instead of the notebook."""

    def run(arg: Any) -> None:
        try:
            fn(arg)
        except Exception as exc:  # a callback must never raise into the notebook
            on_error(exc)

    return run


# --------------------------------------------------------------------------- picture


class Picture:
    """Figures, one per view, updated in place and rendered to PNG bytes.

    The kernel stack uses :class:`convwidget.drawing.KernelStackFigure`, whose
    ``to_png`` composites cached sprites (the < 50 ms path); the convolution
    volume is drawn with ``draw_conv_volume`` on its own Agg figure.
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
        opts = dict(options or {}) if view == VIEWS[1] else {}
        fig = self._figures.get(view)
        if fig is None:
            fig = self._figures[view] = _new_figure(info, view, opts)
        else:
            fig.update(info, **opts)
        return fig.to_png()


def _new_figure(info: LayerInfo, view: str, options: Mapping[str, Any]) -> Any:
    from .. import drawing

    if view == VIEWS[0] and hasattr(drawing, "KernelStackFigure"):
        return drawing.KernelStackFigure(info)
    if view == VIEWS[1] and hasattr(drawing, "draw_conv_volume"):
        return AggFigure(info, lambda ax, i: drawing.draw_conv_volume(ax, i, **options))
    return AggFigure(info, _draw_numbers)


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


class AggFigure:
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


def png_of(draw: Callable[[Any], Any]) -> bytes:
    """Draw on a fresh Agg figure with ``draw(ax)`` and return PNG bytes (for pictures drawn once)."""
    fig = AggFigure(None, lambda ax, _info: draw(ax))  # type: ignore[arg-type]
    return fig.to_png()
