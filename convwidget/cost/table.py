"""A model's multiply-adds row by row: plain dataclasses, one row per model row.

``table(model, convention, input_shape)`` lines the figures up with
``model.rows``; ``mult_adds(...)`` returns one int, for a layer or a whole
model. Text and HTML are written elsewhere (:mod:`convwidget.summary`,
:mod:`convwidget.html`); these objects only hold the numbers and formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from .._checks import fail
from ..enums import Family
from ..formula import Terms
from ..info import Describable, LayerInfo
from .conventions import FLOPS_NOTE, INCLUDES, Convention
from .conventions import convention as as_convention
from .feed import Feed, feed_of
from .rules import TorchCall, layer_cost_called

if TYPE_CHECKING:
    from ..model import Model, Row

__all__ = ["CostRow", "CostTable", "Costable", "mult_adds", "rows_of", "table", "table_of_rows", "torch_call"]

Costable = Union[LayerInfo, Describable, "Model"]
"""What the cost functions take: a described layer, a layer (with ``input_shape``) or a model."""


@dataclass(frozen=True)
class CostRow:
    """One row's multiply-adds.

    Parameters
    ----------
    index : int
        The row's position in ``model.rows``.
    name : str
        The row's name.
    layer_type : str
        The layer's class name.
    family : Family or None
        What the layer does (None for a layer convwidget does not know).
    formula : Terms
        The figure as a formula with named factors; ``formula.total`` is the figure.
    note : str
        What the convention includes for this layer.
    """

    index: int
    name: str
    layer_type: str
    family: Family | None
    formula: Terms
    note: str

    @property
    def mult_adds(self) -> int:
        """The row's multiply-adds."""
        return self.formula.total


@dataclass(frozen=True)
class CostTable:
    """Every row's multiply-adds under one convention, and what the convention includes.

    Parameters
    ----------
    convention : Convention
        Whose way of counting.
    rows : tuple of CostRow
        Aligned with ``model.rows``.
    """

    convention: Convention
    rows: tuple[CostRow, ...]

    @property
    def total(self) -> int:
        """The model's multiply-adds: the rows added up."""
        return sum(r.mult_adds for r in self.rows)

    @property
    def flops(self) -> int:
        """FLOPs = 2 × multiply-adds (one multiply and one add each)."""
        return 2 * self.total

    @property
    def includes(self) -> str:
        """One sentence of what the convention counts."""
        return INCLUDES[self.convention]

    @property
    def flops_note(self) -> str:
        """How FLOPs relate to multiply-adds, for wherever FLOPs are shown."""
        return FLOPS_NOTE

    def shares(self) -> tuple[float, ...]:
        """Each row's share of the total (0.0 everywhere when the total is 0)."""
        total = self.total
        return tuple(r.mult_adds / total if total else 0.0 for r in self.rows)


def rows_of(target: Costable, input_shape: Sequence[int] | None = None) -> tuple[Row, ...] | LayerInfo:
    """The model's rows, or the one described layer, that ``target`` stands for."""
    from ..model import Model

    if isinstance(target, LayerInfo):
        return target
    if isinstance(target, Model):
        return target.describe(input_shape)
    if isinstance(target, Describable):
        if input_shape is None:
            raise fail(
                f"cost of {type(target).__name__}",
                "input_shape",
                None,
                "a layer's multiply-adds depend on the shape it receives",
                "pass input_shape without the batch axis, or pass layer.describe(shape)",
            )
        return target.describe(input_shape)
    raise fail(
        "cost",
        "info_or_model",
        target,
        "it must be a LayerInfo, a convwidget layer or a convwidget model",
    )


def table(
    target: Costable, convention: Convention | str = "textbook", input_shape: Sequence[int] | None = None
) -> CostTable:
    """Multiply-adds of every row, each with its formula.

    Parameters
    ----------
    target : LayerInfo, layer or model
        A model (``convwidget.Sequential`` or ``convwidget.nn.Sequential``), one
        layer with ``input_shape``, or a described layer.
    convention : {"textbook", "torchinfo", "ptflops", "fvcore"}
        Whose way of counting (see :data:`convwidget.cost.INCLUDES`).
    input_shape : tuple of int, optional
        Without the batch axis; needed for PyTorch models, as in ``summary()``.

    Returns
    -------
    CostTable
        One :class:`CostRow` per model row (one row for a single layer).

    Raises
    ------
    ConfigError
        If the convention does not define a layer (the message names the
        convention and the layer), or the input shape is missing or wrong.
    """
    conv = as_convention(convention)
    described = rows_of(target, input_shape)
    if isinstance(described, LayerInfo):
        # a layer passed with input_shape knows how it is called; a bare LayerInfo does not
        layer = None if isinstance(target, LayerInfo) else target
        return table_of_rows([(0, described.name or described.layer_type, described, layer)], conv)
    return table_of_rows([(r.index, r.name, r.info, r.layer) for r in described], conv)


def torch_call(layer: object, feed: Feed | None = None) -> TorchCall | None:
    """How a layer is called: its ``batch_first`` and the model's feed; None when neither says anything.

    Parameters
    ----------
    layer : layer or None
        The row's layer; a PyTorch sequence layer has a ``batch_first``.
    feed : Feed, optional
        How the model is fed (:func:`~convwidget.cost.feed.feed_of` its first layer); None: the layer
        is counted on its own, fed as its own ``batch_first`` says.

    Returns
    -------
    TorchCall or None
        None for a layer without ``batch_first`` in a batch-first (or no) model: nothing to add.
    """
    batch_first = getattr(layer, "batch_first", None)
    if not isinstance(batch_first, bool):
        return TorchCall(feed=feed) if feed is Feed.SEQUENCE_FIRST else None
    add_zero_attn = getattr(layer, "add_zero_attn", False) is True
    return TorchCall(batch_first=batch_first, add_zero_attn=add_zero_attn, feed=feed)


def table_of_rows(
    rows: Sequence[tuple[int, str, LayerInfo, object]], convention: Convention | str = "textbook"
) -> CostTable:
    """Multiply-adds of already described rows, each ``(index, name, info, layer or None)``.

    Parameters
    ----------
    rows : sequence of (int, str, LayerInfo, layer or None)
        The rows, as ``model.describe()`` gives them (``(r.index, r.name, r.info, r.layer)``), all of
        the model's, first row first: the first layer decides how the model is fed
        (:func:`~convwidget.cost.feed.feed_of`: sequence-first after ``batch_first=False``), and each
        layer says how a PyTorch sequence layer is called (``batch_first``).
    convention : {"textbook", "torchinfo", "ptflops", "fvcore"}
        Whose way of counting.

    Returns
    -------
    CostTable
        One :class:`CostRow` per row.

    Raises
    ------
    ConfigError
        If the convention does not define a layer, naming the convention and the layer, or a layer of
        a sequence-first model would receive another tensor than its description says (a convolution
        after ``LSTM(batch_first=False)``), naming the row and the fix.
    """
    conv = as_convention(convention)
    feed = feed_of(rows[0][3]) if rows else Feed.BATCH_FIRST
    out = []
    for index, name, info, layer in rows:
        cost = layer_cost_called(info, conv, torch_call(layer, feed))
        family = info.kind.family if info.kind is not None else None
        out.append(CostRow(index, name, info.layer_type, family, cost.formula, cost.note))
    return CostTable(conv, tuple(out))


def mult_adds(
    info_or_model: Costable,
    convention: Convention | str = "textbook",
    input_shape: Sequence[int] | None = None,
) -> int:
    """The multiply-adds of one layer, or the total of a model, for one sample.

    Parameters
    ----------
    info_or_model : LayerInfo, layer or model
        What to count (a layer needs ``input_shape``; so does a PyTorch model).
    convention : {"textbook", "torchinfo", "ptflops", "fvcore"}
        Whose way of counting.
    input_shape : tuple of int, optional
        Without the batch axis.

    Returns
    -------
    int
        For the question's model: 11,808,128 (textbook), 11,866,186 (torchinfo).

    Raises
    ------
    ConfigError
        If the convention does not define a layer, naming the convention and the layer.
    """
    return table(info_or_model, convention, input_shape).total
