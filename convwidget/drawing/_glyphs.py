"""Text drawn from cached glyph bitmaps and layouts: the same pixels as Agg, without FreeType on every frame.

Since matplotlib 3.11, Agg draws text glyph by glyph: FreeType lays the string
out (``FT2Font._layout``), renders each glyph at its position to 1/64 pixel
and the bitmap is blitted at the whole pixel. Rendered at the fractional part
only and blitted whole pixels further, a glyph is the same image, so its bitmap
is cached by font, size, dpi, glyph, phase and hinting; a string's layout is
cached by font, size, dpi and text. Those two FreeType calls were most of the
cost of redrawing a drawing whose labels change at every slider stop.

Two users:

- :class:`GlyphCachingRenderer`, the raster path's scratch renderer (label sprites);
- :class:`CachedText`, the Text every drawing's labels are, so a user's own
  ``fig.canvas.draw()`` on an Agg canvas (a script, an interactive backend)
  gets the caches too. On any other renderer (PDF, SVG, Cairo) it is a plain Text.

``tests/test_drawing_glyphs.py`` checks both against RendererAgg pixel for
pixel. Rotated, math or aliased text, and matplotlib versions without these
internals, are drawn by RendererAgg itself.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

try:  # matplotlib >= 3.11 renders text glyph by glyph
    from matplotlib.ft2font import RenderMode

    _ANTIALIASED: object | None = RenderMode.NORMAL
except ImportError:  # pragma: no cover - older matplotlib
    _ANTIALIASED = None

__all__ = ["CachedText", "GlyphCachingRenderer", "add_label", "clear_glyphs"]

# The internals followed here (matplotlib >= 3.11); without them text is drawn by RendererAgg itself.
GLYPH_BY_GLYPH = (
    _ANTIALIASED is not None
    and all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform"))
    and hasattr(RendererAgg, "_prepare_font")
    and hasattr(Text, "get_fontfeatures")
)
_IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])  # FreeType's 16.16 identity matrix
# backend_agg.get_hinting_flag (untyped): the FreeType load flags rcParams["text.hinting"] asks for.
_hinting_flag: Callable[[], Any] = get_hinting_flag
_LIMIT = 20_000  # entries per cache (a few MB of small bitmaps); cleared, not grown, beyond
_glyphs: dict[Hashable, tuple[np.ndarray, int, int]] = {}
_layouts: dict[Hashable, tuple[Any, ...]] = {}
_agg_draw_text: Callable[..., None] = RendererAgg.draw_text


def clear_glyphs() -> None:
    """Forget every cached glyph bitmap and text layout (shared by every renderer and label)."""
    _glyphs.clear()
    _layouts.clear()


def _draw_text_cached(
    renderer: RendererAgg,
    gc: GraphicsContextBase,
    x: float,
    y: float,
    s: str,
    prop: FontProperties,
    angle: float,
    ismath: bool | Literal["TeX"] = False,
    mtext: Text | None = None,
) -> None:
    """``RendererAgg.draw_text`` (matplotlib 3.11) from the caches: the same pixels."""
    if not GLYPH_BY_GLYPH or ismath or angle != 0 or not gc.get_antialiased():
        _agg_draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)
        return
    font: FT2Font = renderer._prepare_font(prop)  # type: ignore[no-untyped-call]
    flags = _hinting_flag()
    size = prop.get_size_in_points()
    hinting = mpl.rcParams["text.hinting_factor"]
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    # The layout depends on the font file, its size at this dpi, the flags and the text only.
    layout_key = (font.fname, font.face_index, size, renderer.dpi, s, flags, hinting, features, language)
    items = _layouts.get(layout_key)
    if items is None:
        items = tuple(font._layout(s, flags=flags, features=features, language=language))
        if len(_layouts) >= _LIMIT:
            _layouts.clear()
        _layouts[layout_key] = items
    height = renderer.height
    draw_image = renderer._renderer.draw_text_image
    for item in items:
        ft = item.ft_object
        ox, oy = round(0x40 * (x + item.x)), round(0x40 * (height - y + item.y))  # 26.6 fixed point
        phase = [ox & 63, oy & 63]  # where in its first pixel the glyph starts, in 1/64
        key = (ft.fname, ft.face_index, size, renderer.dpi, item.glyph_index, *phase, flags, hinting)
        glyph = _glyphs.get(key)
        if glyph is None:
            ft.set_size(size, renderer.dpi)
            ft._set_transform(_IDENTITY, phase)
            bitmap = ft._render_glyph(item.glyph_index, flags, _ANTIALIASED)
            if len(_glyphs) >= _LIMIT:
                _glyphs.clear()
            glyph = _glyphs[key] = (np.array(bitmap.buffer), bitmap.left, bitmap.top)
        buffer, left, top = glyph
        top += oy >> 6
        draw_image(buffer, left + (ox >> 6), int(height) - top + buffer.shape[0], 0, gc)


class GlyphCachingRenderer(RendererAgg):
    """A RendererAgg whose text comes from the glyph and layout caches; pixel-identical to RendererAgg."""

    # RendererAgg.draw_text, from the caches (the function takes the renderer as its first argument).
    draw_text = _draw_text_cached


class CachedText(Text):
    """A Text that, drawn by an Agg renderer, takes its glyphs from the caches (same pixels, less time).

    Only the renderer's ``draw_text`` is routed, for the duration of this Text's
    own ``draw``; every other renderer, and every other artist, is untouched.
    """

    def draw(self, renderer: RendererBase) -> None:
        # Routed only when draw_text is the class's own: matplotlib itself swaps renderer methods for
        # a while (``bbox_inches="tight"`` draws once with every draw_* a no-op), and those stay as set.
        if type(renderer) is not RendererAgg or not GLYPH_BY_GLYPH or "draw_text" in vars(renderer):
            super().draw(renderer)
            return

        renderer.draw_text = partial(_draw_text_cached, renderer)  # type: ignore[method-assign]
        try:
            super().draw(renderer)
        finally:
            del renderer.draw_text


def add_label(ax: Axes, x: float, y: float, text: str, **kwargs: Any) -> CachedText:
    """``ax.text(x, y, text, **kwargs)``, as a :class:`CachedText` (unclipped, as ``ax.text``)."""
    label = CachedText(x, y, text, **{"clip_on": False, **kwargs})
    ax.add_artist(label)  # sets the data transform and the Axes' clip path, as ax.text does
    return label
