"""Labels drawn from cached glyphs and layouts (drawing/_glyphs.py) are the pixels Agg draws.

The vector path (a user's ``fig.canvas.draw()``) and the raster path's label
sprites both take text from these caches; if a cached glyph, phase or layout
were wrong, the pictures here would differ from RendererAgg's by some pixels.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from convwidget.drawing import _glyphs, draw_conv_volume, draw_kernels
from convwidget.drawing._glyphs import CachedText, GlyphCachingRenderer, add_label
from convwidget.layers import BatchNormalization, Conv2D, Dense

LABELS = [
    ("each kernel: 3×3×32 weights + 1 bias = 289", "left", 15.0),
    ("63 kernels × 289 = 18,207", "left", 15.0),
    ("#12", "center", 12.0),
    ("… 59 more kernels not drawn", "left", 12.0),
    ("11", "right", 12.0),
    ("Conv2D: every kernel has one 3×3 slice", "left", 14.5),
]


def _labelled(cached: bool) -> Figure:
    """Labels whose anchors are a fraction of a pixel apart, in three alignments and sizes (many phases)."""
    fig = Figure(figsize=(8, 4.5), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 800)
    ax.set_ylim(0, 450)
    for i, (text, ha, size) in enumerate(LABELS):
        style = {"ha": ha, "va": "center", "fontsize": size, "bbox": {"facecolor": "w"}}
        x, y = 110 + i * 0.37, 40 + 33 * i
        if cached:
            add_label(ax, x, y, text, **style)
        else:
            ax.text(x, y, text, **style)
    return fig


def _pixels(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_glyph_caching_renderer_draws_labels_exactly_as_agg() -> None:
    fig = _labelled(cached=False)
    labels = fig.axes[0].texts
    ref, cached = RendererAgg(800, 450, 100), GlyphCachingRenderer(800, 450, 100)
    for t in labels:
        t.draw(ref)
    for _ in range(2):  # first from FreeType, then from the glyph cache
        cached.clear()
        for t in labels:
            t.draw(cached)
        assert np.array_equal(np.asarray(cached.buffer_rgba()), np.asarray(ref.buffer_rgba()))


def test_cached_labels_on_a_users_agg_canvas_are_the_pixels_of_plain_text() -> None:
    _glyphs.clear_glyphs()
    plain = _pixels(_labelled(cached=False))
    fig = _labelled(cached=True)
    assert all(isinstance(t, CachedText) for t in fig.axes[0].texts)
    assert np.array_equal(_pixels(fig), plain)  # glyphs rendered by FreeType into the caches
    assert _glyphs._layouts and _glyphs._glyphs  # the premise: the caches were filled, not bypassed
    assert np.array_equal(_pixels(fig), plain)  # now every glyph and layout from the caches


def test_the_renderer_is_left_as_it_was() -> None:
    fig = _labelled(cached=True)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    assert "draw_text" not in vars(renderer)  # routed for the label's own draw only


def test_a_tight_savefig_keeps_the_renderer_methods_matplotlib_swaps() -> None:
    # savefig(bbox_inches="tight") first draws with every draw_* method replaced by a no-op and then
    # restores them; a label that routed draw_text itself broke that (AttributeError in notebooks).
    out = {}
    for cached in (False, True):
        buf = io.BytesIO()
        _labelled(cached).savefig(buf, format="png", bbox_inches="tight")
        out[cached] = buf.getvalue()
    assert out[True] == out[False]


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_other_renderers_draw_cached_labels_as_plain_text(fmt: str) -> None:
    out = {}
    for cached in (False, True):
        buf = io.BytesIO()
        _labelled(cached).savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else {})
        out[cached] = buf.getvalue()
    if fmt == "svg":  # deterministic apart from the ids matplotlib numbers from a counter
        assert len(out[True]) == len(out[False]) and b"63 kernels" in out[True]
    else:
        assert abs(len(out[True]) - len(out[False])) < 64


@pytest.mark.parametrize(
    "info",
    [
        Conv2D(63, 3).describe((26, 26, 32)),
        Conv2D(512, 11).describe((32, 32, 512)),
        Dense(128).describe((9072,)),
        BatchNormalization().describe((24, 24, 64)),
    ],
    ids=["conv2", "11-512-512", "dense", "batchnorm"],
)
def test_whole_drawings_are_pixel_identical_with_and_without_the_caches(info, monkeypatch) -> None:
    def render() -> np.ndarray:
        fig = Figure(figsize=(10, 6), dpi=100)
        draw_kernels(fig.add_axes((0, 0, 1, 1)), info)
        if info.kind.family == "conv":
            draw_conv_volume(fig.add_axes((0.5, 0.0, 0.5, 0.5)), info)
        return _pixels(fig)

    cached = render()
    monkeypatch.setattr(_glyphs, "GLYPH_BY_GLYPH", False)
    assert np.array_equal(cached, render())
