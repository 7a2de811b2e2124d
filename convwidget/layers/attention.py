"""Keras attention: MultiHeadAttention, described on self-attention input ``(T, E)``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._checks import _is_int, bool_arg, fail, int_arg, int_tuple, rank_error
from .._counting_seq import keras_attention_counts
from .._describe import Computed
from ..info import Shape
from ._base import _CONV_KWARGS, Layer

__all__ = ["MultiHeadAttention"]


class MultiHeadAttention(Layer):
    """Multi-head attention, as ``keras.layers.MultiHeadAttention``, used as self-attention.

    ``describe((T, E))`` takes ``(T, E)`` as query, key and value (Keras'
    ``layer(x, x)``). Four projections: query and key, ``E → h·dk``; value,
    ``E → h·dv`` (``dv = value_dim``, default ``key_dim``); and the output,
    ``h·dv → O`` (``O = E`` unless ``output_shape`` is given), each with a
    bias: ``3·(E + 1)·h·dk + (h·dv + 1)·E`` for the defaults. Unlike
    PyTorch, ``num_heads·key_dim`` need not equal ``E``. The output shape
    is the attention output's, ``(T, O)``.
    """

    _kwargs = (_CONV_KWARGS - {"activation"}) | {"dropout", "attention_axes", "flash_attention", "seed"}

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: int | Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(dropout=dropout, **kwargs)
        label = self._label
        self.num_heads = int_arg(label, "num_heads", num_heads)
        self.key_dim = int_arg(label, "key_dim", key_dim)
        self.value_dim = self.key_dim if value_dim is None else int_arg(label, "value_dim", value_dim)
        self.use_bias = bool_arg(label, "use_bias", use_bias)
        if output_shape is None:
            self.output_shape: tuple[int, ...] | None = None
        elif _is_int(output_shape):
            self.output_shape = (int_arg(label, "output_shape", output_shape),)
        elif isinstance(output_shape, Sequence) and not isinstance(output_shape, str) and output_shape:
            self.output_shape = int_tuple(label, "output_shape", output_shape, len(output_shape))
        else:
            raise fail(
                label,
                "output_shape",
                output_shape,
                "it must be None, an int or a tuple of ints >= 1",
                "leave it None to project back to the input's features",
            )

    def _compute(self, shape: Shape) -> Computed:
        if len(shape) < 2:
            raise rank_error(
                self._label, shape, ">= 2", "(timesteps, features)", "feed a sequence of feature vectors"
            )
        embed = shape[-1]
        out = self.output_shape or (embed,)
        counted = keras_attention_counts(
            embed, self.num_heads, self.key_dim, self.value_dim, out, self.use_bias
        )
        return Computed((*shape[:-1], *out), counted)
