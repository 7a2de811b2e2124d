"""Reading pasted model summaries (Keras 2, tf.keras, Keras 3, torchinfo, ``print(model)``) into data.

One job per module. Reading the text into data:

* :mod:`.pasted`: the result types (rows, totals, the summary, the format enum);
* :mod:`.tokens`: normalised text, shapes, counts, totals and ``name (Type)`` cells;
* :mod:`.tables`: the table readers (box-drawn, column-aligned, a stream of tokens);
* :mod:`.repr_text`: PyTorch's ``print(model)`` text and its constructor arguments;
* :mod:`.parse`: sniffing the format and orchestrating (:func:`parse_summary`).

Explaining the data (:func:`convwidget.explain_summary`), under one rule: a row is "explained" only
when exactly one configuration fits every printed fact, "ambiguous" when several do (all listed),
"mismatch" when none does (naming the nearest):

* :mod:`.results`: the result types;
* :mod:`.finder`: one row's facts and the configurations kept (built with the dialect's classes);
* :mod:`.geometry`: strides, paddings, dilations, output paddings that give each axis its length;
* :mod:`.search` (by family), :mod:`.search_conv`, :mod:`.search_seq` (recurrent, attention);
* :mod:`.closest`: the nearest consistent formula for a mismatch ("18,270 is 63 more than …");
* :mod:`.repr_counts`: counts of ``print(model)`` rows from their arguments;
* :mod:`.render_text` (the text table) and :mod:`.explain` (orchestration); the HTML is written by
  :mod:`convwidget.html`.
"""

from __future__ import annotations

from .parse import parse_summary
from .pasted import EXPECTED, PastedRow, PastedSummary, PastedTotals, PasteFormat, PShape

__all__ = [
    "EXPECTED",
    "PShape",
    "PasteFormat",
    "PastedRow",
    "PastedSummary",
    "PastedTotals",
    "parse_summary",
]
