"""Compatibility module: the paste reader now lives in :mod:`convwidget.reading`.

``from convwidget.paste import parse_summary`` keeps working; new code imports from
:mod:`convwidget.reading`.
"""

from __future__ import annotations

from .reading.parse import parse_summary
from .reading.pasted import EXPECTED, Dim, PastedRow, PastedSummary, PastedTotals, PasteFormat, PShape

__all__ = [
    "EXPECTED",
    "Dim",
    "PShape",
    "PasteFormat",
    "PastedRow",
    "PastedSummary",
    "PastedTotals",
    "parse_summary",
]
