"""Layout for any figure size: canvas units, text sizes, fitting lines, and a last check on the page.

Every drawing works in *canvas units* of 1/100 inch: an Axes of 8×4.5 inches
is 800×450 units (one unit is one pixel at 100 dpi), so a label of a given
point size has the same size in units whatever the figure's dpi. Plans are
laid out for the canvas they are given; text widths are measured from the
font's own glyph advances (cached per character), so a plan knows whether a
label fits before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

__all__ = [
    "PT",
    "canvas_of",
    "fit",
    "font_scale",
    "geometry_scale",
    "line_height",
    "plural",
    "text_width",
    "visible_overlaps",
    "wrap",
]

PT = 100 / 72  # canvas units per typographic point
LINE_SPACING = 1.2  # matplotlib's default line spacing, in font sizes
_BOX_PAD = 0.25  # the labels' box padding (text_style), in font sizes, each side
_PROBE = 100.0  # the size glyph advances are measured at


@lru_cache(maxsize=4096)
def _advance(ch: str) -> float:
    """Width of one character at 1 pt, in points (DejaVu Sans, matplotlib's default font)."""
    w, _, _ = text_to_path.get_text_width_height_descent(ch, FontProperties(size=_PROBE), False)
    return float(w) / _PROBE


def text_width(text: str, size: float, boxed: bool = True) -> float:
    """Width in canvas units of ``text`` at ``size`` points (its widest line), box padding included."""
    widest = max((sum(_advance(ch) for ch in line) for line in text.split("\n")), default=0.0)
    # Agg's hinting makes rendered text up to ~4 % wider than the sum of the advances.
    return (widest * size * 1.05 + (2 * _BOX_PAD * size if boxed else 0.0)) * PT


def line_height(size: float, lines: int = 1, boxed: bool = True) -> float:
    """Height in canvas units of ``lines`` lines at ``size`` points, box padding included."""
    return (size * (1 + LINE_SPACING * (lines - 1)) * 1.16 + (2 * _BOX_PAD * size if boxed else 0.0)) * PT


def geometry_scale(canvas: tuple[float, float]) -> float:
    """How much larger than the 800×450 default a canvas is (its limiting side)."""
    return min(canvas[0] / 800, canvas[1] / 450)


def font_scale(canvas: tuple[float, float]) -> float:
    """Font sizes grow and shrink with the canvas, within limits (12 pt stays 12 pt at 8×4.5 in)."""
    return min(max(geometry_scale(canvas), 0.7), 1.35)


def fit(text: str, size: float, width: float, smallest: float) -> tuple[str, float]:
    """``text`` at the largest size down to ``smallest`` that fits ``width``; else broken into lines.

    Lines break after ``"; "``, ``", "``, ``": "`` or before ``" = "`` / ``" → "``, whichever
    splits the text most evenly; a text that still does not fit is returned at ``smallest``.
    """
    s = size
    # Shrink a little first; a long line is then broken rather than shrunk further.
    while s > max(smallest, size * 0.9) and text_width(text, s) > width:
        s = max(s - 0.5, smallest)
    if text_width(text, s) <= width or "\n" in text:
        return text, s
    best: tuple[float, str] | None = None
    for sep, keep in (("; ", ";"), (", ", ","), (": ", ":"), (" = ", ""), (" → ", ""), (" ", "")):
        start = 0
        while (i := text.find(sep, start)) > 0:
            a = text[:i] + keep
            b = text[i + len(sep) :] if keep else text[i + 1 :]
            score = max(text_width(a, size), text_width(b, size))
            if best is None or score < best[0]:
                best = (score, f"{a}\n{b}")
            start = i + 1
        if best is not None and best[0] <= width:
            break
    if best is None:
        return text, s
    wrapped = best[1]
    s = size
    while s > smallest and text_width(wrapped, s) > width:
        s = max(s - 0.5, smallest)
    return wrapped, s


def canvas_of(ax: Axes) -> tuple[float, float]:
    """The canvas of an Axes: its size in 1/100 inch (so its limits keep an equal aspect)."""
    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure):
        return (800.0, 450.0)
    w, h = fig.get_size_inches()
    pos = ax.get_position(original=True)
    return (max(float(w * pos.width) * 100, 1.0), max(float(h * pos.height) * 100, 1.0))


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 slice"``, ``"32 slices"``, ``"1,024 kernels"``: the count, grouped, and the right noun."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def visible_overlaps(texts: Iterable[Text], renderer: object, page: object) -> list[tuple[Artist, str]]:
    """Problems of the shown labels: ``(text, "outside")`` or ``(text, "overlaps …")``, for checks.

    A label is shown when it and its Axes (if any) are visible and it has text;
    its box is ``get_window_extent(renderer)``, compared with ``page`` (the
    figure's bbox) and with every other shown label.
    """
    shown: list[Text] = []
    for t in texts:
        ax = t.axes
        if t.get_visible() and t.get_text().strip() and (ax is None or ax.get_visible()):
            shown.append(t)
    boxes = [t.get_window_extent(renderer) for t in shown]  # type: ignore[arg-type]
    out: list[tuple[Artist, str]] = []
    x0, y0, x1, y1 = page.x0, page.y0, page.x1, page.y1  # type: ignore[attr-defined]
    for t, b in zip(shown, boxes):
        if b.x0 < x0 - 0.5 or b.y0 < y0 - 0.5 or b.x1 > x1 + 0.5 or b.y1 > y1 + 0.5:
            out.append((t, "outside"))
    for i, (first, box) in enumerate(zip(shown, boxes)):
        for other, other_box in zip(shown[i + 1 :], boxes[i + 1 :]):
            if box.overlaps(other_box):
                out.append((first, f"overlaps {other.get_text()!r}"))
    return out


def first_fitting(options: Sequence[tuple[str, float]], width: float) -> tuple[str, float]:
    """The first ``(text, size)`` whose text fits ``width``, else the last one."""
    for text, size in options:
        if text_width(text, size) <= width:
            return text, size
    return options[-1]


def wrap(
    text: str, size: float, width: float, max_lines: int = 4, smallest: float = 7.0
) -> tuple[str, float]:
    """Break ``text`` into lines no wider than ``width`` at ``size`` (smaller if it needs more lines)."""
    s = size
    while True:
        lines: list[str] = []
        for word in text.split():
            if lines and text_width(f"{lines[-1]} {word}", s) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        if len(lines) <= max_lines or s <= smallest:
            return "\n".join(lines), s
        s = max(s - 0.5, smallest)
