"""Colours, fonts and text boxes shared by every drawing (matplotlib only)."""

from __future__ import annotations

from typing import Any

from matplotlib.colors import to_rgb

__all__ = [
    "BIAS_COLOR",
    "EDGE_COLOR",
    "FONT_SIZE",
    "HIGHLIGHT",
    "OKABE_ITO",
    "TEXT_COLOR",
    "TITLE_SIZE",
    "channel_color",
    "shade",
    "text_style",
]

# Okabe & Ito's colour-blind-safe palette (without black, kept for text and edges).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
BIAS_COLOR = "#7F7F7F"
HIGHLIGHT = "#D55E00"
EDGE_COLOR = "#1A1A1A"
TEXT_COLOR = "#111111"
BACKGROUND = "#FFFFFF"
# At least 12 pt at the default figure sizes, for slides as well as screens.
FONT_SIZE = 12.0
TITLE_SIZE = 13.0


def channel_color(channel: int) -> str:
    """Colour of input channel ``channel`` (0-based), the same in every drawing.

    Parameters
    ----------
    channel : int
        The input channel.

    Returns
    -------
    str
        A hex colour from the Okabe–Ito palette, cycling after seven channels.
    """
    return OKABE_ITO[channel % len(OKABE_ITO)]


def shade(color: str, amount: float) -> tuple[float, float, float]:
    """Lighten (``amount`` > 0, towards white) or darken (< 0, towards black) a colour."""
    r, g, b = to_rgb(color)
    if amount >= 0:
        return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)
    k = 1 + amount
    return (r * k, g * k, b * k)


def text_style(size: float = FONT_SIZE, **extra: Any) -> dict[str, Any]:
    """Keyword arguments for a label: dark text on an opaque light box.

    The box keeps labels legible whatever is behind them, on light and on dark
    notebook themes alike (the figures also carry their own white background).
    """
    style: dict[str, Any] = {
        "fontsize": size,
        "color": TEXT_COLOR,
        "bbox": {"boxstyle": "round,pad=0.25", "facecolor": BACKGROUND, "edgecolor": "none"},
        "zorder": 10,
    }
    style.update(extra)
    return style
