"""Explain a pasted summary (compatibility module: the code lives in :mod:`convwidget.reading`).

::

    >>> from convwidget.explain import explain_summary
    >>> result = explain_summary(open("convwidget/data/seed_summary.txt").read())
    >>> result.rows[1].formula
    '(3·3·32 + 1)·63 = 18,207'

:func:`explain_summary` and :data:`MAX_ROWS` come from :mod:`convwidget.reading.explain`, the
result types from :mod:`convwidget.reading.results`.
"""

from __future__ import annotations

from .reading.explain import MAX_ROWS, explain_summary
from .reading.results import Candidate, Explanation, RowExplanation

__all__ = ["MAX_ROWS", "Candidate", "Explanation", "RowExplanation", "explain_summary"]
