"""torch.nn attention: MultiheadAttention and TransformerEncoderLayer, on input ``(T, E)``.

As everywhere in :mod:`convwidget.nn` the batch axis is left out, so the
input is ``(T, E)`` whatever ``batch_first`` says. The output shape is the
first output's (the attention output), ``(T, E)``.
"""

from __future__ import annotations

import math
from typing import Any

from .._checks import bool_arg, check_rank, fail, int_arg, number_arg
from .._counting_seq import torch_attention_counts, transformer_encoder_counts
from .._describe import Computed
from ..info import Shape
from ._base import Module, _out_size

__all__ = ["MultiheadAttention", "TransformerEncoderLayer"]


def _heads(layer: str, embed_arg: str, embed: Any, heads_arg: str, heads: Any) -> tuple[int, int]:
    e = int_arg(layer, embed_arg, embed)
    h = int_arg(layer, heads_arg, heads)
    if e % h:
        divisors = [d for d in range(1, e + 1) if e % d == 0]
        raise fail(
            layer,
            heads_arg,
            heads,
            f"{embed_arg}={e} must be divisible by {heads_arg} (each head gets {embed_arg}/{heads_arg} "
            "features)",
            f"use one of {divisors}" if len(divisors) <= 12 else f"use a divisor of {e}",
        )
    return e, h


def _sequence(layer: str, shape: Shape, arg: str, embed: int) -> None:
    check_rank(
        layer,
        shape,
        (2,),
        f"(timesteps, {arg})",
        "leave the batch axis out; batch_first only says where PyTorch expects it",
    )
    if shape[-1] != embed:
        raise fail(
            layer,
            "input_shape",
            shape,
            f"its last (feature) axis must be {arg}={embed}, not {shape[-1]}",
            f"set {arg}={shape[-1]}",
        )


class MultiheadAttention(Module):
    """Multi-head attention, as ``torch.nn.MultiheadAttention``: ``4·(E + 1)·E`` by default.

    Query, key, value and output projections, each ``E×E`` plus ``E``
    biases, the first three packed into one ``in_proj_weight`` of shape
    ``(3E, E)``. ``describe((T, E))`` takes the input as the query; keys and
    values have ``kdim`` / ``vdim`` features (default ``E``; when they differ,
    three separate ``q/k/v_proj_weight`` replace the packed one).
    ``add_bias_kv`` adds ``bias_k`` and ``bias_v`` (``E`` each); the number of
    heads only splits ``E`` and must divide it. Output (the first, the
    attention output) ``(T, E)``.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.embed_dim, self.num_heads = _heads(label, "embed_dim", embed_dim, "num_heads", num_heads)
        # PyTorch checks MultiheadAttention's dropout only when it trains; any number builds.
        self.dropout = number_arg(label, "dropout", dropout, -math.inf)
        self.bias = bool_arg(label, "bias", bias)
        self.add_bias_kv = bool_arg(label, "add_bias_kv", add_bias_kv)
        self.add_zero_attn = bool_arg(label, "add_zero_attn", add_zero_attn)
        self.kdim = self.embed_dim if kdim is None else int_arg(label, "kdim", kdim)
        self.vdim = self.embed_dim if vdim is None else int_arg(label, "vdim", vdim)
        self.batch_first = bool_arg(label, "batch_first", batch_first)

    def _compute(self, shape: Shape) -> Computed:
        _sequence(self._label, shape, "embed_dim", self.embed_dim)
        counted = torch_attention_counts(
            self.embed_dim, self.num_heads, self.bias, self.add_bias_kv, self.kdim, self.vdim
        )
        return Computed(shape, counted)

    def extra_repr(self) -> str:
        return ""


class TransformerEncoderLayer(Module):
    """One transformer encoder block, as ``torch.nn.TransformerEncoderLayer``.

    Self-attention (``4·(d + 1)·d``), a feed-forward net ``d → ff → d``
    (``(d + 1)·ff + (ff + 1)·d``) and two LayerNorms (``2·(1 + 1)·d``);
    ``bias=False`` drops every bias, the LayerNorms' β included. ``nhead``
    must divide ``d_model``. Input and output ``(T, d_model)``.
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Any = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.d_model, self.nhead = _heads(label, "d_model", d_model, "nhead", nhead)
        self.dim_feedforward = _out_size(label, "dim_feedforward", dim_feedforward)
        self.dropout = number_arg(label, "dropout", dropout, 0.0, 1.0)
        known = activation in ("relu", "gelu") if isinstance(activation, str) else callable(activation)
        if not known:
            raise fail(
                label,
                "activation",
                activation,
                "it must be 'relu', 'gelu' or a function",
                "use activation='relu' (the default) or 'gelu'",
            )
        self.activation = activation
        self.layer_norm_eps = number_arg(label, "layer_norm_eps", layer_norm_eps, 0.0)
        self.batch_first = bool_arg(label, "batch_first", batch_first)
        self.norm_first = bool_arg(label, "norm_first", norm_first)
        self.bias = bool_arg(label, "bias", bias)

    def _compute(self, shape: Shape) -> Computed:
        _sequence(self._label, shape, "d_model", self.d_model)
        counted = transformer_encoder_counts(self.d_model, self.nhead, self.dim_feedforward, self.bias)
        return Computed(shape, counted)
