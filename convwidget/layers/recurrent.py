"""Keras recurrent layers: SimpleRNN, LSTM, GRU and the Bidirectional wrapper.

Input shapes are ``(timesteps, features)`` without the batch axis. The output
shape is the first output's: ``(units,)``, or ``(timesteps, units)`` with
``return_sequences=True`` (``return_state=True`` adds state outputs after it).
"""

from __future__ import annotations

from typing import Any, ClassVar

from .._checks import bool_arg, check_rank, fail, int_arg
from .._counting import Counted
from .._counting_seq import GATES, bidirectional_counts, keras_recurrent_counts
from .._describe import Computed
from ..info import Describable, Shape
from ._base import _RNN_KWARGS, Layer, snake_case

__all__ = ["GRU", "LSTM", "Bidirectional", "SimpleRNN"]


def _sequence(layer: str, shape: Shape) -> tuple[int, int]:
    """``(timesteps, features)`` of a recurrent layer's input, checking its rank."""
    check_rank(
        layer,
        shape,
        (2,),
        "(timesteps, features)",
        "feed a sequence of feature vectors, e.g. the output of an Embedding on (timesteps,)",
    )
    return shape[0], shape[1]


class _RNN(Layer):
    cell: ClassVar[str] = "rnn"
    _kwargs = _RNN_KWARGS

    def _rnn_args(self, units: Any, use_bias: Any, return_sequences: Any, kwargs: dict[str, Any]) -> None:
        label = self._label
        self.units = int_arg(label, "units", units)
        self.use_bias = bool_arg(label, "use_bias", use_bias)
        self.return_sequences = bool_arg(label, "return_sequences", return_sequences)
        self.return_state = bool_arg(label, "return_state", kwargs.get("return_state", False))
        self.reset_after = False

    def counts(self, features: int) -> Counted:
        """The counts of this layer on ``features`` input features (also used by Bidirectional)."""
        return keras_recurrent_counts(GATES[self.cell], features, self.units, self.use_bias, self.reset_after)

    def _compute(self, shape: Shape) -> Computed:
        steps, features = _sequence(self._label, shape)
        out = (steps, self.units) if self.return_sequences else (self.units,)
        return Computed(out, self.counts(features))


class SimpleRNN(_RNN):
    """A fully connected recurrent layer, as ``keras.layers.SimpleRNN``.

    One weight set: the input ``F·U``, the recurrent ``U·U`` (the previous
    state fed back) and ``U`` biases: ``(F + U)·U + U``. Output ``(units,)``,
    or ``(timesteps, units)`` with ``return_sequences=True`` (the first output
    when ``return_state=True``).
    """

    cell = "rnn"
    # one weight set, no gates: Keras refuses the gate arguments here
    _kwargs = _RNN_KWARGS - {"recurrent_activation", "unit_forget_bias", "use_cudnn"}

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        return_sequences: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, **kwargs)
        self._rnn_args(units, use_bias, return_sequences, kwargs)


class LSTM(_RNN):
    """Long short-term memory, as ``keras.layers.LSTM``: ``4·((F + U)·U + U)`` parameters.

    Four gates (input, forget, cell, output), each with input weights
    ``F·U``, recurrent weights ``U·U`` and ``U`` biases; the kernel is
    ``(F, 4U)``, the recurrent kernel ``(U, 4U)``, the bias ``(4U,)``.
    PyTorch's LSTM keeps a second bias per gate (``4·(F·H + H·H + H + H)``).
    Output ``(units,)``, or ``(timesteps, units)`` with ``return_sequences``.
    """

    cell = "lstm"

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        return_sequences: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, recurrent_activation=recurrent_activation, **kwargs)
        self._rnn_args(units, use_bias, return_sequences, kwargs)


class GRU(_RNN):
    """Gated recurrent unit, as ``keras.layers.GRU``: ``3·((F + U)·U + 2·U)`` with ``reset_after=True``.

    Three gates (update, reset, candidate). Keras' default
    ``reset_after=True`` (as PyTorch's GRU) keeps two biases per unit, a bias
    of shape ``(2, 3U)``; ``reset_after=False`` keeps one:
    ``3·((F + U)·U + U)``. Output ``(units,)``, or ``(timesteps, units)``.
    """

    cell = "gru"
    _kwargs = _RNN_KWARGS - {"unit_forget_bias"}

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        return_sequences: bool = False,
        reset_after: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, recurrent_activation=recurrent_activation, **kwargs)
        self._rnn_args(units, use_bias, return_sequences, kwargs)
        self.reset_after = bool_arg(self._label, "reset_after", reset_after)


class Bidirectional(Layer):
    """Run a recurrent layer forwards and backwards, as ``keras.layers.Bidirectional``: ``2·(…)``.

    The wrapped layer is copied, so the count doubles. ``merge_mode`` joins
    the two outputs: ``'concat'`` (default) doubles the last axis, ``'sum'``,
    ``'ave'`` and ``'mul'`` keep it; ``None`` returns both, and the output
    shape here is the first's (the forward layer's).
    """

    _MODES = ("concat", "sum", "ave", "mul", None)

    def __init__(
        self,
        layer: Describable,
        merge_mode: str | None = "concat",
        weights: Any = None,
        backward_layer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        if not isinstance(layer, _RNN):
            raise fail(
                label,
                "layer",
                layer,
                "it must be a recurrent layer (SimpleRNN, LSTM or GRU); Keras refuses other layers",
                "wrap an LSTM, GRU or SimpleRNN",
            )
        if merge_mode not in self._MODES:
            raise fail(
                label,
                "merge_mode",
                merge_mode,
                "it must be 'concat', 'sum', 'ave', 'mul' or None",
                "use merge_mode='concat' (the default) to keep both directions' features",
            )
        if weights is not None or backward_layer is not None:
            given = "weights" if weights is not None else "backward_layer"
            raise fail(
                label,
                given,
                weights if weights is not None else backward_layer,
                "convwidget models Bidirectional with a copy of the forward layer only",
                f"leave {given}=None",
            )
        self.layer: _RNN = layer
        self.merge_mode = merge_mode

    def _compute(self, shape: Shape) -> Computed:
        steps, features = _sequence(self._label, shape)
        inner = self.layer
        stem = inner.name or snake_case(type(inner).__name__)
        counted = bidirectional_counts(inner.counts(features), f"forward_{stem}", f"backward_{stem}")
        units = 2 * inner.units if self.merge_mode == "concat" else inner.units
        out = (steps, units) if inner.return_sequences else (units,)
        return Computed(out, counted)

    def _statistics(self, counted: Counted) -> int:
        # Keras copies the wrapped layer with its trainable flag: a frozen LSTM stays frozen both ways.
        return 0 if self.layer.trainable else counted.terms.total
