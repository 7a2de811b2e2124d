"""Memory of a model's tensors: parameter bytes and activation (output) bytes per row.

An estimate of what the tensors hold for one sample at a given dtype, each
figure a formula (``elements · bytes per element``) — not a measurement of a
framework's peak memory, which adds gradients, optimizer state, workspace and
the allocator's rounding.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from .._checks import choice_arg, fail
from ..formula import Factor, Product, Terms
from ..info import LayerInfo
from .table import Costable, rows_of

__all__ = ["DTYPE_BYTES", "MemoryRow", "MemoryTable", "memory"]

DTYPE_BYTES: Mapping[str, int] = MappingProxyType(
    {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}
)
"""Bytes per element of the dtypes :func:`memory` takes."""

ESTIMATE = (
    "an estimate of what the tensors hold for one sample (parameters and each row's output), "
    "not a measurement of a framework's peak memory"
)


@dataclass(frozen=True)
class MemoryRow:
    """One row's parameter and activation bytes.

    Parameters
    ----------
    index : int
        The row's position in ``model.rows``.
    name : str
        The row's name.
    param_bytes : Terms
        ``parameters · bytes per element`` (buffers such as BatchNorm's running
        statistics included).
    activation_bytes : Terms
        ``output elements · bytes per element`` for one sample.
    """

    index: int
    name: str
    param_bytes: Terms
    activation_bytes: Terms


@dataclass(frozen=True)
class MemoryTable:
    """Every row's memory at one dtype, and the model's totals.

    Parameters
    ----------
    dtype : str
        The element type, e.g. ``"float32"``.
    input_bytes : Terms
        The input's elements · bytes per element.
    rows : tuple of MemoryRow
        Aligned with ``model.rows``.
    """

    dtype: str
    input_bytes: Terms
    rows: tuple[MemoryRow, ...]

    @property
    def param_bytes(self) -> int:
        """All parameter (and buffer) bytes."""
        return sum(r.param_bytes.total for r in self.rows)

    @property
    def activation_bytes(self) -> int:
        """All rows' output bytes for one sample."""
        return sum(r.activation_bytes.total for r in self.rows)

    @property
    def total_bytes(self) -> int:
        """Input, parameters and every output held at once: an upper estimate for inference."""
        return self.input_bytes.total + self.param_bytes + self.activation_bytes

    @property
    def note(self) -> str:
        """What the figures are (an estimate) and are not (a framework's peak)."""
        return ESTIMATE


def _bytes(elements: int, what: str, size: int) -> Terms:
    return Terms(Product((Factor(what, elements, "n"), Factor("bytes per element", size, "b"))))


def _row(index: int, name: str, info: LayerInfo, size: int) -> MemoryRow:
    params = info.params + info.buffers
    return MemoryRow(
        index,
        name,
        _bytes(params, "parameters", size),
        _bytes(math.prod(info.output_shape), "output elements", size),
    )


def memory(target: Costable, dtype: str = "float32", input_shape: Sequence[int] | None = None) -> MemoryTable:
    """Parameter and activation bytes of every row, with formulas.

    Parameters
    ----------
    target : LayerInfo, layer or model
        What to measure (a layer needs ``input_shape``; so does a PyTorch model).
    dtype : str
        One of :data:`DTYPE_BYTES` (default ``"float32"``, 4 bytes).
    input_shape : tuple of int, optional
        Without the batch axis.

    Returns
    -------
    MemoryTable
        Rows and totals; ``note`` says it is an estimate.
    """
    choice_arg("memory", "dtype", dtype, DTYPE_BYTES)
    size = DTYPE_BYTES[dtype]
    described = rows_of(target, input_shape)
    if isinstance(described, LayerInfo):
        first = described
        rows: tuple[MemoryRow, ...] = (_row(0, described.name or described.layer_type, described, size),)
    else:
        if not described:
            raise fail("memory", "model", target, "it has no layers", "add layers first")
        first = described[0].info
        rows = tuple(_row(r.index, r.name, r.info, size) for r in described)
    return MemoryTable(dtype, _bytes(math.prod(first.input_shape), "input elements", size), rows)
