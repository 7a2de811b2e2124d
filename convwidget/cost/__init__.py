"""What a layer costs: multiply-adds under each tool's convention, memory, receptive fields.

Parameters do not depend on the input's size; the cost does. The same 3×3×32
kernel of the question's second convolution is used at all 24×24 output
positions (weight sharing), so its 18,207 parameters cost 10,450,944
multiply-adds (textbook) — and torchinfo prints 10,487,232 for it, because it
counts the bias add too (289 products per output value, not 288).

Modules: :mod:`~convwidget.cost.conventions` (the conventions and what each
includes), :mod:`~convwidget.cost.rules` (the per-family rules),
:mod:`~convwidget.cost.sequence_rules` (recurrent and attention layers under the tools' conventions),
:mod:`~convwidget.cost.table` (rows and totals), :mod:`~convwidget.cost.feed` (how a
PyTorch model's input is laid out: one rule, batch-first or sequence-first), :mod:`~convwidget.cost.memory`
(bytes), :mod:`~convwidget.cost.receptive` (receptive fields).
"""

from __future__ import annotations

from .conventions import FLOPS_NOTE, INCLUDES, Convention
from .feed import Feed, feed_of, torch_input_shape
from .memory import DTYPE_BYTES, MemoryRow, MemoryTable, memory
from .receptive import ReceptiveField, receptive_fields
from .rules import Cost, TorchCall, layer_cost, layer_cost_called
from .table import CostRow, CostTable, mult_adds, table, table_of_rows

__all__ = [
    "DTYPE_BYTES",
    "FLOPS_NOTE",
    "INCLUDES",
    "Convention",
    "Cost",
    "CostRow",
    "CostTable",
    "Feed",
    "MemoryRow",
    "MemoryTable",
    "ReceptiveField",
    "TorchCall",
    "feed_of",
    "layer_cost",
    "layer_cost_called",
    "memory",
    "mult_adds",
    "receptive_fields",
    "table",
    "table_of_rows",
    "torch_input_shape",
]
