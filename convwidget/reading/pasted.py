"""What a pasted model summary holds, as plain data: rows, totals, and the summary around them.

These are the results of :func:`convwidget.reading.parse.parse_summary`; they never format
themselves (the explainer and :mod:`convwidget.html` turn them into text and HTML).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, unique
from types import MappingProxyType

from ..enums import Dialect

__all__ = [
    "EXPECTED",
    "MAX_READ_ROWS",
    "Dim",
    "PShape",
    "PasteFormat",
    "PastedRow",
    "PastedSummary",
    "PastedTotals",
]

MAX_READ_ROWS = 10_000
"""Rows read from one paste: no lesson model has more, and reading stops there so that a huge paste
costs no more than a long one (the rest is reported as not read)."""

Dim = int | None
"""One dimension of a pasted shape; None where the paste prints ``None`` or ``?``."""

PShape = tuple[Dim, ...]
"""A pasted shape without the batch axis."""

EXPECTED = (
    "Expected a model summary: rows such as 'conv2d_1 (Conv2D)  (None, 26, 26, 32)  320' "
    "(Keras' model.summary()), '├─Conv2d: 1-1  [1, 32, 26, 26]  320' (torchinfo) or "
    "'(conv1): Conv2d(1, 32, kernel_size=(3, 3))' (PyTorch's print(model))"
)


@unique
class PasteFormat(str, Enum):
    """Which printer made a pasted summary (a str enum: ``fmt == "keras3"`` keeps working)."""

    KERAS2 = "keras2"
    """Keras 2's or tf.keras' plain table."""
    KERAS3 = "keras3"
    """Keras 3's box-drawn table (or any table whose columns are separated by ``|``)."""
    TORCHINFO = "torchinfo"
    """torchinfo's ``summary()`` table."""
    TORCH_REPR = "torch_repr"
    """PyTorch's ``print(model)``."""

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return repr(self.value)


def _no_args() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True)
class PastedRow:
    """One layer as the paste shows it.

    Parameters
    ----------
    name : str
        The layer's name as printed (possibly cut off, ending in ``…``).
    layer_type : str or None
        The type as printed (``"Conv2D"``, ``"MaxPooling2"`` when cut off), or None if not printed.
    type_complete : bool
        False when the type was cut off in the paste.
    output_shapes : tuple of shapes
        Output shape(s) without the batch axis; a dimension printed as ``None`` stays None.
    count : int or None
        The printed parameter count; None when printed as ``--``, cut off, or missing.
    count_text : str
        The count exactly as printed ('' if missing).
    connected_to : tuple of str
        Names in a 'Connected to' column (functional Keras models).
    depth : int
        Nesting depth (torchinfo and ``print(model)``; 0 elsewhere).
    line : int
        1-based line of the paste where the row starts.
    args : Mapping
        Constructor arguments (``print(model)`` only): ``"0"``, ``"1"``… for positional ones. A value
        is the Python literal printed (int, float, bool, None, str, tuple…), or its text when it is
        not a literal.
    container : bool
        True for a module that holds other rows (torchinfo and ``print(model)``).
    input_shape : tuple or None
        The input shape, when the paste prints it (torchinfo's "Input Shape" column); None otherwise.
    kernel_size : tuple of int or None
        The kernel size, when the paste prints it (torchinfo's "Kernel Shape" column, ``[5, 5]``).
    mult_adds : int or None
        torchinfo's "Mult-Adds" cell (``10,487,232``); None for ``--`` or when there is no such column.
    mult_adds_text : str
        That cell exactly as printed ('' when the paste has no Mult-Adds column).
    batch : int or None
        The batch axis the shapes print first (torchinfo's ``[1, 32, 26, 26]``: its Mult-Adds are for
        the whole batch); None when the paste does not show it.
    """

    name: str
    layer_type: str | None
    type_complete: bool
    output_shapes: tuple[PShape, ...] = ()
    count: int | None = None
    count_text: str = ""
    connected_to: tuple[str, ...] = ()
    depth: int = 0
    line: int = 0
    args: Mapping[str, object] = field(default_factory=_no_args)
    container: bool = False
    input_shape: PShape | None = None
    kernel_size: tuple[int, ...] | None = None
    mult_adds: int | None = None
    mult_adds_text: str = ""
    batch: int | None = None

    @property
    def output_shape(self) -> PShape | None:
        """The first output shape, or None if none was printed."""
        return self.output_shapes[0] if self.output_shapes else None


@dataclass(frozen=True)
class PastedTotals:
    """The totals printed under the table (None for a line that is absent)."""

    total: int | None = None
    trainable: int | None = None
    non_trainable: int | None = None
    optimizer: int | None = None


@dataclass(frozen=True)
class PastedSummary:
    """What :func:`~convwidget.reading.parse.parse_summary` read.

    Parameters
    ----------
    format : PasteFormat
        ``"keras2"`` (plain table, Keras 2 or tf.keras), ``"keras3"`` (box table), ``"torchinfo"``
        or ``"torch_repr"``.
    dialect : Dialect
        ``"keras"`` (channels last) or ``"torch"`` (channels first).
    rows : tuple of PastedRow
        The layers, in order.
    totals : PastedTotals or None
        None when the paste stops before the totals.
    model_name : str or None
        The name in a ``Model: "…"`` line.
    notes : tuple of str
        What the parser had to assume or skip.
    truncated : bool
        True when the paste holds more than :data:`MAX_READ_ROWS` rows and the rest was not read.
    """

    format: PasteFormat
    dialect: Dialect
    rows: tuple[PastedRow, ...]
    totals: PastedTotals | None
    model_name: str | None = None
    notes: tuple[str, ...] = ()
    truncated: bool = False
