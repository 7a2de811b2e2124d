"""The fast raster path of the kernel stack: cached sprites composited with numpy, encoded once.

:class:`KernelStackFigure` owns a Figure with a
:class:`~convwidget.drawing.kernels.KernelStack`. ``to_png()`` never
re-renders the whole figure: each kind of block (a
:class:`~convwidget.drawing.BlockSpec`) and each label is rendered **once by
matplotlib's own Agg renderer, from the same artists as the vector path**,
into a cached RGBA sprite; a frame is the cached background plus those sprites
at whole-pixel offsets, composited straight into the PNG's scanlines and
encoded by zlib once.

Sprites are keyed by what they look like, never by where they stand: a block
by its BlockSpec, a label by its text, font, colours, alignment and box. A
label's anchor is snapped to a whole pixel (the figure's Text moves by at most
half a pixel, so ``render_reference()`` and ``savefig`` agree), which makes a
label that only moved the same image; its sprite is stored relative to that
anchor. New labels, the cost of a slider step, are drawn in one kept renderer
(:class:`~convwidget.drawing._glyphs.GlyphCachingRenderer`: text layouts and glyph bitmaps cached).
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import partial
from typing import Any, Protocol

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..info import LayerInfo
from ._glyphs import GlyphCachingRenderer, clear_glyphs
from ._savable import Savable
from .blocks import CANVAS, PlacedBlock, fill_blocks, new_block_artists
from .kernel_plan import KernelPlan
from .kernels import draw_kernels

__all__ = ["KernelStackFigure", "encode_png"]


class Pixels:
    """A sprite's RGBA pixels, split once for fast compositing: opaque pixels copied, edges blended."""

    __slots__ = ("inv", "opaque", "pcol", "pre", "prow", "rgb", "rgba")

    def __init__(self, rgba: np.ndarray) -> None:
        self.rgba = rgba
        a = rgba[:, :, 3]
        self.opaque = (a == 255)[:, :, None]
        self.rgb = np.ascontiguousarray(rgba[:, :, :3])
        partial = (a > 0) & (a < 255)
        self.prow, self.pcol = np.nonzero(partial)
        alpha = a[partial].astype(np.uint16)[:, None]
        self.pre = rgba[partial][:, :3].astype(np.uint16) * alpha  # premultiplied once
        self.inv = 255 - alpha

    def over(self, out: np.ndarray, row: int, col: int) -> None:
        """Composite over the RGB image ``out`` with the top-left pixel at (row, col)."""
        h, w = out.shape[:2]
        sh, sw = self.rgb.shape[:2]
        if row < 0 or col < 0 or row + sh > h or col + sw > w:
            _over(out, row, col, self.rgba)  # partly off the image: the general, clipped path
            return
        np.copyto(out[row : row + sh, col : col + sw], self.rgb, where=self.opaque)
        if self.prow.size:
            rr, cc = self.prow + row, self.pcol + col
            v = self.pre + out[rr, cc].astype(np.uint16) * self.inv + 128
            # (v + v // 256) // 256 is v / 255 rounded, as Agg blends straight alpha.
            out[rr, cc] = ((v + (v >> 8)) >> 8).astype(np.uint8)


Sprite = tuple[int, int, Pixels]  # (row, col) of the top-left pixel, and the pixels


class SpriteCache:
    """Sprites by key; beyond ``limit`` the least recently used is dropped.

    Label texts change with every slider stop, so an unbounded cache would
    grow for as long as someone drags; a frame needs a few dozen sprites.
    """

    def __init__(self, limit: int = 512) -> None:
        self.limit = limit
        self._items: OrderedDict[Hashable, Sprite | None] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], Sprite | None]) -> Sprite | None:
        """The sprite under ``key``, made by ``make()`` (and kept) if missing."""
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        sprite = self._items[key] = make()
        if len(self._items) > self.limit:
            self._items.popitem(last=False)
        return sprite

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget every sprite."""
        self._items.clear()


class _Pixels(Protocol):
    """What the Agg canvas and renderer offer (``backend_agg`` has no type hints)."""

    def buffer_rgba(self) -> memoryview: ...


class _AggCanvas(_Pixels, Protocol):
    def draw(self) -> None: ...


# RendererAgg's constructor has no type hints; this is its signature.
_new_renderer: Callable[[int, int, float], RendererAgg] = RendererAgg
# RendererAgg.clear (no type hints either): back to transparent, as a new renderer starts.
_clear: Callable[[RendererAgg], None] = RendererAgg.clear


# The renderer label sprites are drawn in (its constructor has no type hints; this is its signature).
_new_scratch: Callable[[int, int, float], RendererAgg] = GlyphCachingRenderer


def _rgba(source: _Pixels) -> np.ndarray:
    """The RGBA pixels of a canvas or renderer, as an H×W×4 uint8 view."""
    return np.asarray(source.buffer_rgba())


def _rgb(source: _Pixels) -> np.ndarray:
    """A copy of the RGB pixels of a canvas or renderer (H×W×3 uint8)."""
    rgb: np.ndarray = _rgba(source)[:, :, :3].copy()
    return rgb


def _crop(rgba: np.ndarray) -> Sprite | None:
    """Crop an RGBA buffer to its non-transparent pixels: (row, col, sprite) or None."""
    # One pixel as a little-endian 32-bit word has alpha in its top byte, so a row's or column's
    # largest word says whether any pixel in it is visible (~6× faster than reducing the alpha plane).
    words = rgba.view("<u4")[:, :, 0]
    rows = np.flatnonzero(words.max(axis=1) >> 24)
    if rows.size == 0:
        return None
    cols = np.flatnonzero(words[rows[0] : rows[-1] + 1].max(axis=0) >> 24)
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    return int(r0), int(c0), Pixels(rgba[r0:r1, c0:c1].copy())


def _over(out: np.ndarray, row: int, col: int, sprite: np.ndarray) -> None:
    """Composite a straight-alpha RGBA sprite over the RGB image ``out`` at (row, col), clipped."""
    h, w = out.shape[:2]
    r0, c0 = max(row, 0), max(col, 0)
    r1, c1 = min(row + sprite.shape[0], h), min(col + sprite.shape[1], w)
    if r0 >= r1 or c0 >= c1:
        return
    src = sprite[r0 - row : r1 - row, c0 - col : c1 - col]
    a = src[:, :, 3:4].astype(np.uint16)
    dst = out[r0:r1, c0:c1]
    # Integer "over" with rounding, as Agg blends with straight (non-premultiplied) alpha.
    dst[...] = ((src[:, :, :3] * a + dst * (255 - a) + 127) // 255).astype(np.uint8)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_rows(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """A PNG scanline buffer (filter byte 0, then RGB, per row) and its H×W×3 RGB view.

    Compositing into the view and compressing the buffer encodes a frame
    without copying the image once more.
    """
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # filter type 0 (None) on every row
    rgb: np.ndarray = rows[:, 1:].reshape(height, width, 3)
    return rows, rgb


def _png(rows: np.ndarray, compress_level: int) -> bytes:
    """PNG bytes of a scanline buffer made by :func:`png_rows` (8-bit RGB, no interlace)."""
    h, w = rows.shape[0], (rows.shape[1] - 1) // 3
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.data, compress_level))
        + _chunk(b"IEND", b"")
    )


def encode_png(rgb: np.ndarray, compress_level: int = 1) -> bytes:
    """Encode an RGB uint8 image (H×W×3) as PNG: no row filters, one zlib stream.

    These drawings are mostly flat colour, which zlib compresses well without
    PNG's row filters; skipping them makes encoding about twice as fast as
    PIL at the same level.
    """
    rows, view = png_rows(*rgb.shape[:2])
    view[...] = rgb
    return _png(rows, compress_level)


_Row = tuple[float, float, float]
_Affine = tuple[tuple[_Row, _Row], tuple[_Row, _Row]]


def _affine(matrix: np.ndarray) -> _Affine:
    """The top two rows of a 3×3 affine matrix and of its inverse, as plain floats (fast scalar maths)."""
    inverse = np.linalg.inv(matrix)

    def rows(m: np.ndarray) -> tuple[_Row, _Row]:
        top, second = m[0].tolist(), m[1].tolist()
        return (top[0], top[1], top[2]), (second[0], second[1], second[2])

    return rows(matrix), rows(inverse)


class KernelStackFigure(Savable):
    """A Figure holding a kernel stack, with a fast ``to_png()`` for widgets.

    Parameters
    ----------
    info : LayerInfo, optional
        The layer to show (or pass plain numbers as in :func:`draw_kernels`).
    dpi : float
        Resolution; the canvas is 800×450 units, so the PNG is ``8·dpi × 4.5·dpi`` pixels.
    **numbers
        ``kernel_size``, ``in_channels``, ``out_channels``… instead of ``info``.

    Notes
    -----
    ``figure`` holds vector artists (``stack``), always current: ``savefig`` it
    to SVG or PDF. ``to_png()`` does not re-render those artists; it composites
    cached raster sprites of the very same artists (see :mod:`convwidget.drawing`).
    """

    def __init__(self, info: LayerInfo | None = None, *, dpi: float = 100.0, **numbers: Any) -> None:
        w, h = CANVAS
        self.figure = Figure(figsize=(w / 100, h / 100), dpi=dpi, facecolor="white")
        self.canvas: _AggCanvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        self.stack = draw_kernels(self.ax, info, **numbers)
        self._sprites = SpriteCache()
        self._background: np.ndarray | None = None
        # The renderer sprites are drawn in, and the (width, height, dpi) it was made for.
        self._canvas_renderer: tuple[tuple[int, int, float], RendererAgg] | None = None
        # The PNG scanline buffer to_png() composites into, and its RGB view.
        self._rows: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def info(self) -> LayerInfo:
        """The layer shown."""
        return self.stack.info

    @property
    def plan(self) -> KernelPlan:
        """What is drawn, as data."""
        return self.stack.plan

    def update(self, info: LayerInfo | None = None, **numbers: Any) -> KernelStackFigure:
        """Show another layer (same arguments as :meth:`KernelStack.update`)."""
        self.stack.update(info, **numbers)
        return self

    def _size(self) -> tuple[int, int]:
        w, h = self.figure.canvas.get_width_height(physical=True)
        return int(w), int(h)

    def _scratch(self) -> RendererAgg:
        """A cleared renderer of the figure's size, kept between frames.

        One renderer, not a fresh one per sprite: matplotlib caches text
        metrics per renderer, so a label measured (or drawn) once is laid out
        again from that cache; clearing is cheaper than allocating.
        """
        w, h = self._size()
        size = (w, h, float(self.figure.dpi))
        if self._canvas_renderer is None or self._canvas_renderer[0] != size:
            self._canvas_renderer = (size, _new_scratch(w, h, self.figure.dpi))
        return self._canvas_renderer[1]

    def _render_background(self) -> np.ndarray:
        own = self.stack.artists
        visible = [a.get_visible() for a in own]
        for a in own:
            a.set_visible(False)
        try:
            self.canvas.draw()
            rgb = _rgb(self.canvas)
        finally:
            for a, v in zip(own, visible):
                a.set_visible(v)
        return rgb

    def _block_sprite(self, b: PlacedBlock) -> Sprite | None:
        """The sprite of a block kind, rendered once by matplotlib at the block's position.

        The key is the :class:`~convwidget.drawing.BlockSpec` (face, slices and their
        colours, bias): nothing in it says where the block stands, so every block of
        that kind, wherever it is placed, reuses the sprite.
        """
        key = ("block", b.spec, self.figure.dpi)
        return self._sprites.get(key, partial(self._render_block, b))

    def _render_block(self, b: PlacedBlock) -> Sprite | None:
        """Render one block alone by matplotlib; its sprite relative to the block's anchor pixel."""
        polys, lines = new_block_artists(None)
        fill_blocks(polys, lines, (b,))
        renderer = self._scratch()
        try:
            for art in sorted((*polys.values(), lines), key=lambda a: a.get_zorder()):
                art.set_transform(self.ax.transData)
                art.set_figure(self.figure)
                art.axes = self.ax
                art.draw(renderer)
            crop = _crop(_rgba(renderer))
        finally:
            _clear(renderer)
        # Store the sprite relative to the block's anchor pixel, so it can be moved by whole pixels.
        ax_px, ay_px = self._anchor(b)
        return None if crop is None else (crop[0] - ay_px, crop[1] - ax_px, crop[2])

    def _overlay_sprite(self) -> Sprite | None:
        """Panels and dimension lines of the plan, rendered by matplotlib once per distinct set."""
        plan = self.plan
        if not plan.panels and not plan.marks:
            return None
        key = ("overlay", plan.panels, plan.marks, self.figure.dpi)
        return self._sprites.get(key, self._render_overlay)

    def _render_overlay(self) -> Sprite | None:
        """Render the plan's panels and marks by matplotlib; their sprite at its place on the canvas."""
        renderer = self._scratch()
        try:
            for art in (self.stack.panels, self.stack.hatched, self.stack.marks):
                art.draw(renderer)
            return _crop(_rgba(renderer))
        finally:
            _clear(renderer)

    def _anchor(self, b: PlacedBlock) -> tuple[int, int]:
        """Pixel (col, row) of a block's anchor in the Agg buffer (rows count from the top)."""
        x, y = self.ax.transData.transform((b.x, b.y))
        _, h = self._size()
        return round(x), round(h - y)

    def _snap(self, t: Text, affine: _Affine | None = None) -> tuple[int, int]:
        """Move a label's anchor onto the nearest whole pixel; its pixel (col, row from the top).

        Agg places glyphs and box edges to a fraction of a pixel, so a label is
        the same image wherever it stands only if its anchor sits on a pixel
        boundary. The figure's own Text is moved (by at most half a pixel), so
        the sprite, ``render_reference()`` and ``savefig`` all draw it there.
        ``affine`` is ``ax.transData`` as matrices (see :func:`_affine`), when it
        is affine: a label in data coordinates then needs no Transform calls.
        """
        trans = t.get_transform()
        px, py = (float(v) for v in t.get_position())
        if affine is not None and trans is self.ax.transData:
            (a, b, c), (d, e, f) = affine[0]
            x, y = a * px + b * py + c, d * px + e * py + f
        else:
            x, y = (float(v) for v in trans.transform((px, py)))
        col, up = round(x), round(y)
        if (col, up) != (x, y):
            if affine is not None and trans is self.ax.transData:
                (a, b, c), (d, e, f) = affine[1]
                t.set_position((a * col + b * up + c, d * col + e * up + f))
            else:
                data = trans.inverted().transform((col, up))
                t.set_position((float(data[0]), float(data[1])))
        return col, self._size()[1] - up

    def _text_key(self, t: Text) -> Hashable:
        """Everything that decides how a label looks, and nothing that says where it stands."""
        fp = t.get_fontproperties()
        font = (
            tuple(fp.get_family()),
            fp.get_style(),
            fp.get_variant(),
            fp.get_weight(),
            fp.get_stretch(),
            fp.get_size_in_points(),
            fp.get_file(),
            fp.get_math_fontfamily(),
        )
        patch = t.get_bbox_patch()
        box: Hashable = None
        if patch is not None:
            style = patch.get_boxstyle()
            box = (
                type(style).__name__,
                tuple(sorted(vars(style).items())),
                tuple(patch.get_facecolor()),
                tuple(patch.get_edgecolor()),
                patch.get_linewidth(),
                patch.get_alpha(),
            )
        return (
            "text",
            t.get_text(),
            font,
            to_rgba(t.get_color()),
            t.get_alpha(),
            t.get_horizontalalignment(),
            t.get_verticalalignment(),
            t.get_rotation(),
            t.get_rotation_mode(),
            t.get_linespacing(),
            t.get_antialiased(),
            t.get_usetex(),
            t.get_wrap(),
            tuple(map(repr, t.get_path_effects())),
            box,
            self.figure.dpi,
        )

    def _render_text(self, t: Text, col: int, row: int) -> Sprite | None:
        """Render one label alone by matplotlib; its sprite relative to its anchor pixel (col, row)."""
        renderer = self._scratch()
        try:
            t.draw(renderer)
            crop = _crop(_rgba(renderer))
        finally:
            _clear(renderer)
        return None if crop is None else (crop[0] - row, crop[1] - col, crop[2])

    def _compose(self, out: np.ndarray) -> None:
        """Composite the figure from cached sprites into ``out`` (H×W×3 uint8, any strides)."""
        if self._background is None or self._background.shape[:2] != self._size()[::-1]:
            self._sprites.clear()
            self._background = self._render_background()
        out[...] = self._background
        for b in self.plan.blocks:
            sprite = self._block_sprite(b)
            if sprite is not None:
                col, row = self._anchor(b)
                sprite[2].over(out, row + sprite[0], col + sprite[1])
        overlay = self._overlay_sprite()
        if overlay is not None:
            overlay[2].over(out, overlay[0], overlay[1])
        data = self.ax.transData
        affine = _affine(data.get_affine().get_matrix()) if data.is_affine else None
        for t in self.stack.texts.values():
            if not t.get_visible():
                continue
            col, row = self._snap(t, affine)
            sprite = self._sprites.get(self._text_key(t), partial(self._render_text, t, col, row))
            if sprite is not None:
                sprite[2].over(out, row + sprite[0], col + sprite[1])

    def to_rgb(self) -> np.ndarray:
        """The figure as an RGB array (H×W×3, uint8), composited from cached sprites."""
        w, h = self._size()
        out = np.empty((h, w, 3), np.uint8)
        self._compose(out)
        return out

    def render_reference(self) -> np.ndarray:
        """The same figure drawn by matplotlib (``canvas.draw()``), RGB; slower, for checks."""
        for t in self.stack.texts.values():
            self._snap(t)  # where to_rgb() puts the labels (moved by at most half a pixel)
        self.canvas.draw()
        return _rgb(self.canvas)

    def to_png(self, compress_level: int = 1) -> bytes:
        """PNG bytes of the figure, fast: cached sprites composited in numpy, one encode.

        Parameters
        ----------
        compress_level : int
            zlib level, 0–9; 1 is fast and still small for these flat drawings.
        """
        w, h = self._size()
        if self._rows is None or self._rows[1].shape[:2] != (h, w):
            self._rows = png_rows(h, w)
        rows, view = self._rows
        self._compose(view)  # straight into the PNG's scanlines: no copy of the frame to encode it
        return _png(rows, compress_level)

    def clear_cache(self) -> None:
        """Forget every cached sprite (e.g. after changing the figure's style by hand).

        The kept renderer (with its text metrics) and the glyph bitmaps go too,
        so the next frame costs what a first frame costs.
        """
        self._sprites.clear()
        self._background = None
        self._canvas_renderer = None
        clear_glyphs()
