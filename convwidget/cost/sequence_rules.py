"""Recurrent and attention layers under the tools' conventions (torchinfo 1.8, ptflops 0.7.5, fvcore 0.1.5).

Each figure here was recorded from the real tool on PyTorch 2.13 at batch 1, in eval mode under
``torch.no_grad()`` (``tests/data/cost_torchinfo.json``). Where a tool counts nothing of a layer the
note says why, so a 0 never reads as "free". Some figures depend on how the layer is called, which a
:class:`~convwidget.info.LayerInfo` does not carry (:class:`~convwidget.cost._pieces.TorchCall`):
torchinfo's for a TransformerEncoderLayer (the model's feed) and fvcore's for attention (the layer's
batch_first); without it they are refused with both possible figures in the message. A layer fed in the
layout opposite to its batch_first (:mod:`~convwidget.cost.feed`) reads its T timesteps as T sequences of
one step: its attention spans 1 key, not T (recorded: the ``feed-*`` cases).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..formula import Expr, Factor, Product, Sum, Terms
from ..info import LayerInfo
from ._pieces import ZERO, Cost, TorchCall, elements, heads, undefined
from .conventions import Convention
from .feed import Feed

__all__ = [
    "fvcore_attention",
    "fvcore_recurrent",
    "keys_factor",
    "misfed_note",
    "ptflops_attention",
    "ptflops_recurrent",
    "torchinfo_attention",
]

_ENCODER = "transformer_encoder_layer"
_SELF_ATTN = "self_attn."


def _product(items: list[Expr]) -> Expr:
    return items[0] if len(items) == 1 else Product(tuple(items))


def keys_factor(steps: int, call: TorchCall | None) -> Factor:
    """The keys each query meets: the T timesteps, or 1 when the layer is misfed (T sequences of one step)."""
    if call is not None and call.misfed:
        return Factor("keys (one-step sequences)", 1, "1")
    return Factor("keys", steps, "T")


def misfed_note(call: TorchCall | None) -> str:
    """The clause saying a sequence layer is fed in the layout opposite to its batch_first ("" if not)."""
    if call is None or not call.misfed:
        return ""
    return (
        f"; this layer has batch_first={call.batch_first} but the model is fed {call.model_feed} (its "
        "first layer decides), so PyTorch reads its T timesteps as T sequences of one step"
    )


def _attention_prefix(info: LayerInfo) -> str:
    """Where the attention block's weights sit: ``self_attn.`` inside an encoder layer, nowhere else."""
    assert info.kind is not None
    return _SELF_ATTN if info.kind.key == _ENCODER else ""


def _separate(info: LayerInfo, convention: Convention) -> Exception:
    return undefined(
        info,
        convention,
        "its query, key and value projections are separate matrices (q/k/v_proj_weight: a Keras layer, or "
        "PyTorch's kdim or vdim other than embed_dim), and convwidget reproduces the tool's figure only "
        "for PyTorch's packed self-attention (in_proj_weight), as recorded",
    )


def _modules_outside_attention(info: LayerInfo) -> dict[str, int]:
    """An encoder layer's leaf modules other than the attention block, with their parameters in order."""
    out: dict[str, int] = {}
    for name, shape in info.torch_weights.items():
        if not name.startswith(_SELF_ATTN):
            module = name.rsplit(".", 1)[0]
            out[module] = out.get(module, 0) + elements(shape)
    return out


# -- torchinfo 1.8 --------------------------------------------------------------------------------------
def torchinfo_attention(info: LayerInfo, call: TorchCall | None) -> Cost:
    """torchinfo's total adds leaf modules only: nothing of MultiheadAttention, an encoder's other leaves."""
    assert info.kind is not None
    if info.kind.key != _ENCODER:
        return Cost(
            ZERO,
            "torchinfo prints -- for MultiheadAttention: it sums leaf modules only, and this one is no leaf "
            "(its out_proj Linear is never called as a module), so none of this layer's work is in its total",
        )
    modules = _modules_outside_attention(info)
    parts = Sum(tuple(Factor(f"{m} parameters", n, m) for m, n in modules.items()))
    n = parts.evaluate()
    t = info.output_shape[0]
    leaves = " and ".join(modules)
    if call is None:
        raise undefined(
            info,
            Convention.TORCHINFO,
            f"torchinfo's total adds the leaf rows it prints ({leaves}: {n:,} parameters; the attention "
            "block is no leaf and adds nothing), each parameter times the output's first axis, which "
            f"the model's feed decides: T·{n:,} = {t * n:,} fed sequence-first (T, 1, E), {n:,} fed "
            "batch-first (1, T, E), and a layer description does not say which",
            "count the layer or its model (cost.table(layer_or_model, 'torchinfo', input_shape)), which "
            "knows batch_first and the feed",
        )
    batch_first_fed = call.model_feed is Feed.BATCH_FIRST
    where = (
        "the batch (1): the model is fed batch-first"
        if batch_first_fed
        else "the timesteps T: the model is fed sequence-first"
    )
    note = (
        f"torchinfo adds up the leaf rows it prints ({leaves}), each parameter times the output's first "
        f"axis, {where}; the attention block is no leaf, so none of its work is in the total"
        + misfed_note(call)
    )
    if batch_first_fed:
        return Cost(Terms(parts), note)
    return Cost(Terms(Product((Factor("timesteps (output's first axis)", t, "T"), parts))), note)


# -- ptflops 0.7.5 (default pytorch backend) ------------------------------------------------------------
# Recurrent kinds: (gate matrices, elementwise operations per hidden unit that ptflops adds per step).
PTFLOPS_RNN: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "simple_rnn": (1, 1),
        "rnn_cell": (1, 1),
        "gru": (3, 7),
        "gru_cell": (3, 7),
        "lstm": (4, 10),
        "lstm_cell": (4, 10),
    }
)


def ptflops_recurrent(info: LayerInfo, call: TorchCall | None = None) -> Cost:
    """ptflops' rnn hook: the forward weights' products, the gates' elementwise work and the bias adds."""
    assert info.kind is not None
    if info.kind.key not in PTFLOPS_RNN:
        raise undefined(info, Convention.PTFLOPS, "convwidget does not reproduce ptflops' recurrent rule")
    # per layer, the forward direction's weight_ih and weight_hh elements, the gates' elementwise work,
    # both biases; times the steps, doubled when bidirectional.
    gates, extra = PTFLOPS_RNN[info.kind.key]
    weights = info.torch_weights
    forward = {n: s for n, s in weights.items() if not n.endswith("_reverse")}
    matrices = sum(elements(s) for n, s in forward.items() if n.startswith(("weight_ih", "weight_hh")))
    biases = sum(elements(s) for n, s in forward.items() if n.startswith(("bias_ih", "bias_hh")))
    layers = sum(1 for n in forward if n.startswith("weight_ih"))
    hidden = next(s[0] for n, s in forward.items() if n.startswith("weight_ih")) // gates
    per_step: list[Expr] = [
        Factor("input and recurrent weights", matrices, "Wih + Whh"),
        Product(
            (
                Factor("layers", layers, "L"),
                Factor("elementwise per unit", extra, "e"),
                Factor("hidden units", hidden, "H"),
            )
        ),
    ]
    if biases:
        per_step.append(Factor("bias adds", biases, "bih + bhh"))
    items: list[Expr] = [Sum(tuple(per_step))]
    if len(info.input_shape) > 1:
        items.insert(0, Factor("timesteps", info.input_shape[0], "T"))
    if len(forward) < len(weights):
        items.insert(0, Factor("directions", 2, "2"))
    return Cost(
        Terms(_product(items)),
        "the forward weights' products, the gates' elementwise work and the bias adds, per step"
        + misfed_note(call)
        + (
            "" if call is None or not call.misfed else " (ptflops multiplies batch by steps: the same figure)"
        ),
    )


def _ptflops_attention_parts(info: LayerInfo, prefix: str, call: TorchCall | None) -> list[Expr]:
    # ptflops' MultiheadAttention hook: query scaling, the three input projections (and their biases),
    # QKᵀ, softmax and AV per head, and the output projection with one add per output value (counted
    # with bias=False too); all per sequence, times the batch. Misfed, T sequences of length 1: the
    # same terms with 1 key per query (recorded: feed-linear-mha-linear, feed-mha-mha-bf-linear).
    t = info.input_shape[0]
    e = info.input_shape[1]
    tf, ef = Factor("timesteps", t, "T"), Factor("embedding size", e, "E")
    keys = keys_factor(t, call)
    parts: list[Expr] = [
        Product((tf, ef)),
        Product((Factor("projections", 3, "3"), tf, ef, ef)),
    ]
    if f"{prefix}in_proj_bias" in info.torch_weights:
        parts.append(Product((Factor("projections", 3, "3"), tf, ef)))
    parts += [
        Product((tf, keys, ef)),
        Product((tf, keys, Factor("heads", heads(info, prefix.replace(".", "/")), "h"))),
        Product((tf, keys, ef)),
        Product((tf, ef, Sum((ef, Factor("bias", 1, "1"))))),
    ]
    return parts


def ptflops_attention(info: LayerInfo, call: TorchCall | None = None) -> Cost:
    """ptflops' attention hook, and for an encoder layer its Linear and LayerNorm hooks too."""
    prefix = _attention_prefix(info)
    if f"{prefix}in_proj_weight" not in info.torch_weights:
        raise _separate(info, Convention.PTFLOPS)
    parts = _ptflops_attention_parts(info, prefix, call)
    if not prefix:
        return Cost(
            Terms(Sum(tuple(parts))),
            "ptflops' attention hook: projections, QKᵀ, softmax, AV, output" + misfed_note(call),
        )
    t = Factor("timesteps", info.input_shape[0], "T")
    weights = info.torch_weights
    for linear in ("linear1", "linear2"):
        fout, fin = weights[f"{linear}.weight"]
        per: Expr = Product(
            (Factor(f"{linear} inputs", fin, "Fin"), Factor(f"{linear} outputs", fout, "Fout"))
        )
        if f"{linear}.bias" in weights:
            per = Sum((per, Factor(f"{linear} bias adds", fout, "Fout")))
        parts.append(Product((t, per)))
    values = Factor("values per LayerNorm", elements(info.input_shape), "T·E")
    parts.append(Product((Factor("LayerNorms", 2, "2"), values)))
    return Cost(
        Terms(Sum(tuple(parts))),
        "ptflops' hooks on the submodules: the attention hook (projections, QKᵀ, softmax, AV, output), "
        "both Linears with their bias adds, one per value for each LayerNorm; the activation (a function) "
        "and the dropouts are not counted" + misfed_note(call),
    )


# -- fvcore 0.1.5 ---------------------------------------------------------------------------------------
# The aten operator a whole-sequence recurrent module traces to; fvcore has no handle for any of them.
_FVCORE_RNN_OPS = MappingProxyType(
    {
        "lstm": "aten::lstm",
        "gru": "aten::gru",
        "simple_rnn": "aten::rnn_tanh (aten::rnn_relu with nonlinearity='relu')",
        "bidirectional": "the recurrent operator (aten::lstm, aten::gru or aten::rnn_tanh)",
    }
)


def _weight_matrices(info: LayerInfo, prefix: str = "") -> int:
    """Elements of the weight matrices under ``prefix`` (bias_k and bias_v, of rank 3, are no matrices)."""
    return sum(
        elements(s)
        for n, s in info.torch_weights.items()
        if n.startswith(prefix) and len(s) >= 2 and "bias" not in n.rsplit(".", 1)[-1]
    )


def fvcore_recurrent(info: LayerInfo, call: TorchCall | None = None) -> Cost:
    """fvcore counts a cell's two matrix products and skips a whole-sequence recurrent operator."""
    assert info.kind is not None
    op = _FVCORE_RNN_OPS.get(info.kind.key)
    if op is not None:
        return Cost(
            ZERO,
            f"fvcore skips {op} (no handle, with a warning): 0 of this layer's work is counted"
            + misfed_note(call),
        )
    expr = Factor("input and recurrent weights", _weight_matrices(info), "Wih + Whh")
    return Cost(
        Terms(expr),
        "fvcore counts the cell's input and recurrent matrix products and skips its gates' elementwise "
        "operators (no handle); the bias adds are not counted",
    )


def _fast_path(info: LayerInfo, prefix: str, call: TorchCall) -> bool:
    # MultiheadAttention.forward's fast-path conditions that a description or the call can show (self-
    # attention, eval mode and torch.no_grad() are how the figures are recorded).
    w = info.torch_weights
    return (
        call.batch_first is True
        and not call.add_zero_attn
        and f"{prefix}in_proj_bias" in w
        and f"{prefix}bias_k" not in w
        and heads(info, prefix.replace(".", "/")) % 2 == 0
    )


def fvcore_attention(info: LayerInfo, call: TorchCall | None) -> Cost:
    """fvcore's projections (QKᵀ and AV skipped), or 0 when PyTorch's fused fast path runs."""
    prefix = _attention_prefix(info)
    if f"{prefix}in_proj_weight" not in info.torch_weights:
        raise _separate(info, Convention.FVCORE)
    if call is not None:
        # misfed or not, the fast path follows the layer's own batch_first and the projections are the
        # same N·L = T rows (recorded: feed-linear-encoder-linear, feed-gru-norm-encoder-bf-linear)
        called = _fvcore_called(info, prefix, call)
        return Cost(called.formula, called.note + misfed_note(call))
    ordinary = _fvcore_called(info, prefix, TorchCall(batch_first=False))
    fast = _fvcore_called(info, prefix, TorchCall(batch_first=True))
    if ordinary.mult_adds == fast.mult_adds:
        return ordinary  # PyTorch's fast path is ruled out by what the description shows
    flag = "" if prefix else " and add_zero_attn=False"
    raise undefined(
        info,
        Convention.FVCORE,
        f"fvcore's figure depends on batch_first, which a layer description does not say: "
        f"{ordinary.mult_adds:,} with batch_first=False (the attention's projections counted, "
        f"aten::scaled_dot_product_attention skipped), {fast.mult_adds:,} with batch_first=True{flag}, where "
        "PyTorch's fast path in eval mode under torch.no_grad() runs aten::_native_multi_head_attention, "
        "which fvcore skips",
        "count the layer or its model (cost.table(layer_or_model, 'fvcore', input_shape)), which knows "
        "batch_first",
    )


def _fvcore_called(info: LayerInfo, prefix: str, call: TorchCall) -> Cost:
    t = Factor("timesteps", info.input_shape[0], "T")
    projections = Product((t, Factor("projection weights", _weight_matrices(info, prefix), "Wproj")))
    fast = _fast_path(info, prefix, call)
    if fast:
        attention: Expr = Factor("attention (skipped)", 0, "0")
        whose = "the attention's" if prefix else "this layer's"
        said = (
            "fvcore skips aten::_native_multi_head_attention (no handle; PyTorch's fast path, taken with "
            f"batch_first=True in eval mode under torch.no_grad()): 0 of {whose} work is counted"
        )
    else:
        attention = projections
        said = (
            "fvcore counts the four projections' matrix products and skips "
            "aten::scaled_dot_product_attention (no handle): QKᵀ, AV and the bias adds are not counted"
        )
    if not prefix:
        return Cost(ZERO if fast else Terms(attention), said)
    weights = info.torch_weights
    parts: list[Expr] = [attention]
    for linear in ("linear1", "linear2"):
        fout, fin = weights[f"{linear}.weight"]
        parts.append(
            Product((t, Factor(f"{linear} inputs", fin, "Fin"), Factor(f"{linear} outputs", fout, "Fout")))
        )
    values = Factor("values per LayerNorm", elements(info.input_shape), "T·E")
    parts.append(Product((Factor("LayerNorms", 2, "2"), Factor("per value", 5, "5"), values)))
    return Cost(
        Terms(Sum(tuple(parts))),
        f"{said}; both Linears' products and fvcore's estimate of 5 per value for each LayerNorm are "
        "counted, the residual adds and the activation are skipped (no handle)",
    )
