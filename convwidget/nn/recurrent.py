"""torch.nn recurrent modules: RNN, LSTM, GRU and their single-step cells.

A recurrent module's ``input_shape`` is ``(T, F)`` — timesteps, features —
whatever ``batch_first`` says (it only moves the batch axis, which shapes
here leave out); a cell's is ``(F,)``. The output shape is the first
output's: the sequence output ``(T, D·H)`` of RNN/LSTM/GRU (``D`` = 2 when
bidirectional, ``H`` replaced by ``proj_size`` when it is set), and the new
hidden state ``(H,)`` of a cell.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .._checks import bool_arg, check_rank, fail, int_arg, number_arg
from .._counting_seq import GATES, torch_recurrent_counts
from .._describe import Computed
from ..info import Shape
from ._base import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNCell"]

_NONLINEARITIES = ("tanh", "relu")


def _features(layer: str, shape: Shape, rank: int, input_size: int) -> None:
    layout = "(timesteps, features)" if rank == 2 else "(features,)"
    check_rank(
        layer,
        shape,
        (rank,),
        layout,
        "leave the batch axis out; batch_first only says where PyTorch expects it",
    )
    if shape[-1] != input_size:
        raise fail(
            layer,
            "input_shape",
            shape,
            f"its last (feature) axis must be input_size={input_size}, not {shape[-1]}",
            f"set input_size={shape[-1]}",
        )


def _nonlinearity(layer: str, value: Any) -> str:
    if value not in _NONLINEARITIES:
        raise fail(
            layer,
            "nonlinearity",
            value,
            "it must be 'tanh' or 'relu'",
            "use nonlinearity='tanh' (the default); LSTM and GRU have gated units instead",
        )
    return str(value)


class _RNNBase(Module):
    cell: ClassVar[str] = "rnn"

    def _rnn_args(
        self,
        input_size: Any,
        hidden_size: Any,
        num_layers: Any,
        bias: Any,
        batch_first: Any,
        dropout: Any,
        bidirectional: Any,
        proj_size: Any = 0,
    ) -> None:
        label = self._label
        self.input_size = int_arg(label, "input_size", input_size)
        self.hidden_size = int_arg(label, "hidden_size", hidden_size)
        self.num_layers = int_arg(label, "num_layers", num_layers)
        self.bias = bool_arg(label, "bias", bias)
        self.batch_first = bool_arg(label, "batch_first", batch_first)
        self.dropout = number_arg(label, "dropout", dropout, 0.0, 1.0)
        self.bidirectional = bool_arg(label, "bidirectional", bidirectional)
        self.proj_size = int_arg(label, "proj_size", proj_size, minimum=0)
        if self.proj_size >= self.hidden_size:
            raise fail(
                label,
                "proj_size",
                proj_size,
                f"it must be smaller than hidden_size={self.hidden_size} (0 for no projection)",
                f"use 0 <= proj_size < {self.hidden_size}",
            )

    def _compute(self, shape: Shape) -> Computed:
        _features(self._label, shape, 2, self.input_size)
        counted = torch_recurrent_counts(
            GATES[self.cell],
            self.input_size,
            self.hidden_size,
            self.bias,
            self.num_layers,
            self.bidirectional,
            self.proj_size,
        )
        directions = 2 if self.bidirectional else 1
        return Computed((shape[0], directions * (self.proj_size or self.hidden_size)), counted)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class RNN(_RNNBase):
    """Elman RNN, as ``torch.nn.RNN``: ``F·H + H·H + H + H`` per layer and direction.

    Input weights ``F·H``, recurrent weights ``H·H`` and two bias vectors
    (``bias_ih``, ``bias_hh``: PyTorch keeps one more than Keras'
    SimpleRNN). Layers above the first read ``D·H`` features. Input
    ``(T, F)`` whatever ``batch_first`` says; output (the first, the
    sequence) ``(T, D·H)``.
    """

    cell = "rnn"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._rnn_args(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)
        self.nonlinearity = _nonlinearity(self._label, nonlinearity)

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else f"{s}, nonlinearity={self.nonlinearity}"


class LSTM(_RNNBase):
    """Long short-term memory, as ``torch.nn.LSTM``: ``4·(F·H + H·H + H + H)`` for one layer.

    Four gates, each with input weights ``F·H``, recurrent weights ``H·H``
    and two biases (Keras' LSTM has one: ``4·((F + H)·H + H)``).
    ``proj_size=P`` (``0 <= P < H``) projects the hidden state to ``P``
    units: the recurrent weights become ``H·P`` per gate, plus a ``P×H``
    ``weight_hr``, and the output has ``P`` features. Input ``(T, F)``;
    output (the first, the sequence) ``(T, D·H)`` or ``(T, D·P)``.
    """

    cell = "lstm"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._rnn_args(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size
        )


class GRU(_RNNBase):
    """Gated recurrent unit, as ``torch.nn.GRU``: ``3·(F·H + H·H + H + H)`` for one layer.

    The same count as Keras' ``GRU(reset_after=True)``, its default. Input
    ``(T, F)``; output (the first, the sequence) ``(T, D·H)``.
    """

    cell = "gru"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._rnn_args(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)


class _Cell(Module):
    cell: ClassVar[str] = "rnn"

    def _cell_args(self, input_size: Any, hidden_size: Any, bias: Any) -> None:
        label = self._label
        self.input_size = int_arg(label, "input_size", input_size)
        self.hidden_size = int_arg(label, "hidden_size", hidden_size)
        self.bias = bool_arg(label, "bias", bias)

    def _compute(self, shape: Shape) -> Computed:
        _features(self._label, shape, 1, self.input_size)
        counted = torch_recurrent_counts(
            GATES[self.cell], self.input_size, self.hidden_size, self.bias, cell=True
        )
        return Computed((self.hidden_size,), counted)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        return s if self.bias else f"{s}, bias=False"


class RNNCell(_Cell):
    """One Elman RNN step, as ``torch.nn.RNNCell``: ``F·H + H·H + H + H``; input ``(F,)``, output ``(H,)``."""

    cell = "rnn"

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._cell_args(input_size, hidden_size, bias)
        self.nonlinearity = _nonlinearity(self._label, nonlinearity)

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else f"{s}, nonlinearity={self.nonlinearity}"


class LSTMCell(_Cell):
    """One LSTM step, as ``torch.nn.LSTMCell``: ``4·(F·H + H·H + H + H)``; output the new ``h``, ``(H,)``."""

    cell = "lstm"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cell_args(input_size, hidden_size, bias)


class GRUCell(_Cell):
    """One GRU step, as ``torch.nn.GRUCell``: ``3·(F·H + H·H + H + H)``; input ``(F,)``, output ``(H,)``."""

    cell = "gru"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cell_args(input_size, hidden_size, bias)
