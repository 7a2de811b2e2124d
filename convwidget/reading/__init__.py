"""Reading pasted model summaries (Keras 2, tf.keras, Keras 3, torchinfo, ``print(model)``) into data.

One job per module: :mod:`.pasted` holds the result types, :mod:`.parse` sniffs the format and
orchestrates.
"""

from __future__ import annotations

from .parse import parse_summary
from .pasted import EXPECTED, PasteFormat, PastedRow, PastedSummary, PastedTotals, PShape

__all__ = [
    "EXPECTED",
    "PShape",
    "PasteFormat",
    "PastedRow",
    "PastedSummary",
    "PastedTotals",
    "parse_summary",
]
