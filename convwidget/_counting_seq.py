"""Weight counts, formulas and layouts of sequence layers: recurrent, attention, their normalisations.

The same contract as :mod:`convwidget._counting`: each function returns a
:class:`~convwidget._counting.Counted` (the formula with every factor named,
and the weights in Keras' and in PyTorch's names and layouts). Where one
framework keeps a weight the other has no place for (PyTorch's second bias of
an LSTM gate, its LSTM projection, ``bias_k``), the other layout names it in
the first framework's words, so both layouts list every weight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ._counting import NO_WEIGHTS, Counted
from .formula import Expr, Factor, Product, Sum, Terms
from .info import Shape

__all__ = [
    "GATES",
    "bidirectional_counts",
    "keras_attention_counts",
    "keras_recurrent_counts",
    "normalization_stats_counts",
    "prelu_counts",
    "torch_attention_counts",
    "torch_recurrent_counts",
    "transformer_encoder_counts",
]

# Weight matrices per recurrent unit kind: a simple RNN has one, a GRU three (update, reset,
# candidate), an LSTM four (input, forget, cell, output).
GATES = {"rnn": 1, "gru": 3, "lstm": 4}

_ONE = Factor("bias", 1, "1")


def _gated(gates: int, per_gate: Expr) -> Expr:
    """``gates·(per_gate)``; a simple RNN's one weight set is written without the factor 1."""
    return Product((Factor("gates", gates, str(gates)), per_gate)) if gates > 1 else per_gate


def _with_bias(items: Sequence[Expr], bias: bool) -> Expr:
    core: Expr = Product(tuple(items)) if len(items) > 1 else items[0]
    return Sum((core, _ONE)) if bias else core


# ----------------------------------------------------------------------------------- recurrent


def keras_recurrent_counts(
    gates: int, in_features: int, units: int, bias: bool, reset_after: bool = False
) -> Counted:
    """Counts of a Keras SimpleRNN (1 gate), GRU (3) or LSTM (4): ``gates·((F + U)·U + U)``.

    Each gate reads the input (``F·U`` weights) and the previous state
    (``U·U`` recurrent weights) and adds one bias per unit; a GRU with
    ``reset_after=True`` (Keras' default) keeps two biases per unit, ``2·U``.
    """
    g = gates * units
    reads = Sum((Factor("input features", in_features, "F"), Factor("recurrent units", units, "U")))
    weights = Product((reads, Factor("units", units, "U")))
    biases = Factor("biases", units, "U")
    two = reset_after and bias
    bias_expr: Expr = Product((Factor("biases per unit", 2, "2"), biases)) if two else biases
    per_gate = Sum((weights, bias_expr)) if bias else weights
    keras: dict[str, Shape] = {"kernel": (in_features, g), "recurrent_kernel": (units, g)}
    torch: dict[str, Shape] = {"weight_ih_l0": (g, in_features), "weight_hh_l0": (g, units)}
    if bias:
        keras["bias"] = (2, g) if two else (g,)
        torch["bias_ih_l0"] = (g,)
        if two:
            torch["bias_hh_l0"] = (g,)
    return Counted(Terms(_gated(gates, per_gate)), keras, torch)


def bidirectional_counts(inner: Counted, forward: str, backward: str) -> Counted:
    """Counts of Keras' Bidirectional wrapper: two copies of the wrapped layer, ``2·(…)``.

    ``forward`` and ``backward`` are the two copies' names (``forward_lstm``),
    which prefix their Keras weights; the PyTorch layout is that of
    ``bidirectional=True`` (the backward copy's weights end in ``_reverse``).
    """
    expr = Product((Factor("directions", 2, "2"), inner.terms.expr))
    keras = {f"{forward}/{k}": v for k, v in inner.keras.items()}
    keras.update({f"{backward}/{k}": v for k, v in inner.keras.items()})
    torch = dict(inner.torch)
    torch.update({f"{k}_reverse": v for k, v in inner.torch.items()})
    return Counted(Terms(expr), keras, torch)


def _torch_layer_expr(gates: int, in_expr: Factor, hidden: int, proj: int, bias: bool) -> Expr:
    h = Factor("hidden units", hidden, "H")
    rec = Factor("projection size", proj, "P") if proj else Factor("recurrent units", hidden, "H")
    parts: list[Expr] = [Product((in_expr, h)), Product((rec, h))]
    if bias:
        parts += [Factor("input bias", hidden, "H"), Factor("recurrent bias", hidden, "H")]
    expr = _gated(gates, Sum(tuple(parts)))
    if proj:
        expr = Sum((expr, Product((Factor("projection size", proj, "P"), h))))
    return expr


def torch_recurrent_counts(
    gates: int,
    input_size: int,
    hidden_size: int,
    bias: bool,
    num_layers: int = 1,
    bidirectional: bool = False,
    proj_size: int = 0,
    cell: bool = False,
) -> Counted:
    """Counts of a PyTorch RNN (1 gate), GRU (3) or LSTM (4): ``gates·(F·H + H·H + H + H)`` per layer.

    PyTorch keeps two bias vectors per gate (``bias_ih`` and ``bias_hh``), one
    more than Keras' LSTM. Layers above the first read the ``D·H`` outputs
    of the layer below (``D`` = 2 directions when bidirectional); an LSTM with
    ``proj_size=P`` feeds back ``P`` projected units and adds a ``P×H``
    projection per layer and direction. ``cell=True`` names the weights as
    the ``*Cell`` modules do (no ``_l0`` suffix).
    """
    dirs = 2 if bidirectional else 1
    real = proj_size or hidden_size
    g = gates * hidden_size
    first = _torch_layer_expr(gates, Factor("input features", input_size, "F"), hidden_size, proj_size, bias)
    d = Factor("directions", 2, "2")
    expr: Expr = Product((d, first)) if dirs == 2 else first
    if num_layers > 1:
        upper_in = Factor("inputs from the layer below", dirs * real, "D·H" if not proj_size else "D·P")
        upper = _torch_layer_expr(gates, upper_in, hidden_size, proj_size, bias)
        above = Factor("layers above the first", num_layers - 1, "L−1")
        expr = Sum((expr, Product((above, d, upper) if dirs == 2 else (above, upper))))
    torch: dict[str, Shape] = {}
    keras: dict[str, Shape] = {}
    for layer in range(num_layers):
        fin = input_size if layer == 0 else dirs * real
        for direction in range(dirs):
            suffix = "" if cell else f"_l{layer}" + ("_reverse" if direction else "")
            torch[f"weight_ih{suffix}"] = (g, fin)
            torch[f"weight_hh{suffix}"] = (g, real)
            if bias:
                torch[f"bias_ih{suffix}"] = torch[f"bias_hh{suffix}"] = (g,)
            if proj_size:
                torch[f"weight_hr{suffix}"] = (proj_size, hidden_size)
            prefix = ""
            if num_layers > 1 or dirs > 1:
                prefix = f"{'backward' if direction else 'forward'}_{layer}/"
            keras[f"{prefix}kernel"] = (fin, g)
            keras[f"{prefix}recurrent_kernel"] = (real, g)
            if bias and gates == 3:
                keras[f"{prefix}bias"] = (2, g)  # Keras' GRU(reset_after=True) keeps both biases
            elif bias:
                keras[f"{prefix}bias"] = (g,)
                keras[f"{prefix}recurrent_bias"] = (g,)  # no Keras counterpart: Keras has one bias
            if proj_size:
                keras[f"{prefix}projection_kernel"] = (hidden_size, proj_size)  # no Keras counterpart
    return Counted(Terms(expr), keras, torch)


# ----------------------------------------------------------------------------------- attention


def keras_attention_counts(
    embed: int, num_heads: int, key_dim: int, value_dim: int, output_shape: Shape, bias: bool
) -> Counted:
    """Counts of Keras' MultiHeadAttention on self-attention input of ``E`` features.

    Four projections: query and key ``(E + 1)·h·dk`` each, value
    ``(E + 1)·h·dv``, and the output ``(h·dv + 1)·O`` back to ``O`` features
    (``E`` unless ``output_shape`` says otherwise); written
    ``3·(E + 1)·h·dk + (h·dv + 1)·O`` when ``dv = dk``.
    """
    e = Factor("embedding size", embed, "E")
    h = Factor("heads", num_heads, "h")
    dk = Factor("key size", key_dim, "dk")
    dv = Factor("value size", value_dim, "dv")
    out = math.prod(output_shape)
    o = Factor("output features", out, "O")
    if value_dim == key_dim:
        inputs: Expr = Product(
            (Factor("projections (query, key, value)", 3, "3"), _with_bias([e], bias), h, dk)
        )
    else:
        qk = Product((Factor("projections (query, key)", 2, "2"), _with_bias([e], bias), h, dk))
        inputs = Sum((qk, Product((_with_bias([e], bias), h, dv))))
    output = Product((_with_bias([h, dv], bias), o))
    keras: dict[str, Shape] = {}
    for name, size in (("query", key_dim), ("key", key_dim), ("value", value_dim)):
        keras[f"{name}/kernel"] = (embed, num_heads, size)
        if bias:
            keras[f"{name}/bias"] = (num_heads, size)
    keras["attention_output/kernel"] = (num_heads, value_dim, *output_shape)
    if bias:
        keras["attention_output/bias"] = tuple(output_shape)
    torch: dict[str, Shape] = {
        "q_proj_weight": (num_heads * key_dim, embed),
        "k_proj_weight": (num_heads * key_dim, embed),
        "v_proj_weight": (num_heads * value_dim, embed),
    }
    if bias:
        torch["in_proj_bias"] = (num_heads * (2 * key_dim + value_dim),)
    torch["out_proj.weight"] = (out, num_heads * value_dim)
    if bias:
        torch["out_proj.bias"] = (out,)
    return Counted(Terms(Sum((inputs, output))), keras, torch)


def _torch_attention_parts(
    embed: int, num_heads: int, bias: bool, add_bias_kv: bool, kdim: int, vdim: int, prefix: str = ""
) -> tuple[Expr, dict[str, Shape], dict[str, Shape]]:
    e = Factor("embedding size", embed, "E")
    packed = kdim == embed and vdim == embed
    if packed:
        expr: Expr = Product((Factor("projections (Q, K, V, output)", 4, "4"), _with_bias([e], bias), e))
    else:
        expr = Sum(
            (
                Product((_with_bias([Factor("query features", embed, "E")], bias), e)),
                Product((_with_bias([Factor("key features", kdim, "kdim")], bias), e)),
                Product((_with_bias([Factor("value features", vdim, "vdim")], bias), e)),
                Product((_with_bias([Factor("attention features", embed, "E")], bias), e)),
            )
        )
    if add_bias_kv:
        expr = Sum((expr, Product((Factor("added key and value biases", 2, "2"), e))))
    torch: dict[str, Shape] = {}
    if packed:
        torch[f"{prefix}in_proj_weight"] = (3 * embed, embed)
    else:
        torch[f"{prefix}q_proj_weight"] = (embed, embed)
        torch[f"{prefix}k_proj_weight"] = (embed, kdim)
        torch[f"{prefix}v_proj_weight"] = (embed, vdim)
    if bias:
        torch[f"{prefix}in_proj_bias"] = (3 * embed,)
    if add_bias_kv:
        torch[f"{prefix}bias_k"] = torch[f"{prefix}bias_v"] = (1, 1, embed)
    torch[f"{prefix}out_proj.weight"] = (embed, embed)
    if bias:
        torch[f"{prefix}out_proj.bias"] = (embed,)
    head = embed // num_heads
    keras: dict[str, Shape] = {}
    kp = prefix.replace(".", "/")
    for name, size in (("query", embed), ("key", kdim), ("value", vdim)):
        keras[f"{kp}{name}/kernel"] = (size, num_heads, head)
        if bias:
            keras[f"{kp}{name}/bias"] = (num_heads, head)
    if add_bias_kv:
        keras[f"{kp}bias_k"] = keras[f"{kp}bias_v"] = (1, 1, embed)  # no Keras counterpart
    keras[f"{kp}attention_output/kernel"] = (num_heads, head, embed)
    if bias:
        keras[f"{kp}attention_output/bias"] = (embed,)
    return expr, keras, torch


def torch_attention_counts(
    embed: int, num_heads: int, bias: bool, add_bias_kv: bool, kdim: int, vdim: int
) -> Counted:
    """Counts of PyTorch's MultiheadAttention: ``4·(E + 1)·E`` when keys and values have ``E`` features.

    Query, key, value and output projections are each ``E×E`` plus a bias of
    ``E``; PyTorch packs the first three into one ``in_proj_weight``
    (``3E×E``). With ``kdim``/``vdim`` other than ``E`` it keeps three
    separate ``q/k/v_proj_weight`` instead; ``add_bias_kv`` adds ``bias_k``
    and ``bias_v`` (``E`` each). The head count splits ``E`` and changes no count.
    """
    expr, keras, torch = _torch_attention_parts(embed, num_heads, bias, add_bias_kv, kdim, vdim)
    return Counted(Terms(expr), keras, torch)


def transformer_encoder_counts(d_model: int, nhead: int, dim_feedforward: int, bias: bool) -> Counted:
    """Counts of PyTorch's TransformerEncoderLayer: attention, a two-layer feed-forward net, two LayerNorms.

    ``4·(d + 1)·d + (d + 1)·ff + (ff + 1)·d + 2·(1 + 1)·d``; ``bias=False``
    removes every bias, the LayerNorms' β included.
    """
    attn, keras, torch = _torch_attention_parts(d_model, nhead, bias, False, d_model, d_model, "self_attn.")
    d = Factor("model size", d_model, "d")
    ff = Factor("feed-forward size", dim_feedforward, "ff")
    up = Product((_with_bias([d], bias), ff))
    down = Product((_with_bias([ff], bias), d))
    norm_per: Expr = (
        Sum((Factor("scale γ", 1, "1"), Factor("offset β", 1, "1"))) if bias else Factor("scale γ", 1, "1")
    )
    norms = Product((Factor("layer norms", 2, "2"), norm_per, d))
    for name, (fin, fout) in (
        ("linear1", (d_model, dim_feedforward)),
        ("linear2", (dim_feedforward, d_model)),
    ):
        torch[f"{name}.weight"] = (fout, fin)
        keras[f"{name}/kernel"] = (fin, fout)
        if bias:
            torch[f"{name}.bias"] = keras[f"{name}/bias"] = (fout,)
    for name in ("norm1", "norm2"):
        torch[f"{name}.weight"] = keras[f"{name}/gamma"] = (d_model,)
        if bias:
            torch[f"{name}.bias"] = keras[f"{name}/beta"] = (d_model,)
    return Counted(Terms(Sum((attn, up, down, norms))), keras, torch)


# ------------------------------------------------------------------------- statistics, slopes


def normalization_stats_counts(shape: Shape) -> Counted:
    """Counts of Keras' Normalization: a mean and a variance per kept feature, and one count.

    All three are non-trainable weights: ``(1 + 1)·N + 1``.
    """
    size = math.prod(shape)
    per = Sum((Factor("mean", 1, "1"), Factor("variance", 1, "1")))
    expr = Sum((Product((per, Factor("normalized features", size, "N"))), Factor("count", 1, "1")))
    keras: dict[str, Shape] = {"mean": tuple(shape), "variance": tuple(shape), "count": ()}
    return Counted(Terms(expr), keras, {})


def prelu_counts(num_parameters: int) -> Counted:
    """Counts of PyTorch's PReLU: one learned negative slope per channel (or one in all)."""
    if num_parameters < 1:
        return Counted(NO_WEIGHTS, {}, {})
    expr = Factor("learned slopes", num_parameters, "n")
    return Counted(Terms(expr), {"alpha": (num_parameters,)}, {"weight": (num_parameters,)})
