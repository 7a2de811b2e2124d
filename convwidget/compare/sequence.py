"""Recurrent and attention layers in the other dialect (issue #17), both directions.

Keras and PyTorch agree on what an LSTM computes but not on how it is packed:
PyTorch keeps a second bias per gate, one module holds stacked layers and both
directions, and attention's query, key and value share one packed weight. The
builders here return the closest layers and a :class:`Difference` for each of
those, quoting the case's numbers; the classes come from the kinds table
(:func:`~convwidget.compare._common.class_for`).
"""

from __future__ import annotations

from typing import Any

from .. import layers, nn
from .._counting_seq import GATES
from ..enums import Dialect
from ..formula import group_digits
from ..info import Describable, LayerInfo
from ._common import Built, class_for, other_class
from .differences import Difference, difference

__all__ = ["keras_attention", "keras_recurrent", "torch_attention", "torch_recurrent"]

KerasRecurrent = layers.SimpleRNN | layers.LSTM | layers.GRU
TorchRecurrent = nn.RNN | nn.LSTM | nn.GRU
TorchCell = nn.RNNCell | nn.LSTMCell | nn.GRUCell

# What each cell kind's gates are called, for the sentences (a simple RNN has one weight set).
_GATE_NAMES = {
    "rnn": "one weight set",
    "lstm": "4 gates (input, forget, cell, output)",
    "gru": "3 gates (update, reset, candidate)",
}


def _n(value: int) -> str:
    return group_digits(value)


def _bias_note(cell: str, hidden: int, directions: int, layers_: int, keras: int, torch: int) -> Difference:
    """PyTorch's second bias per gate, with this case's numbers (Keras' SimpleRNN and LSTM have one)."""
    extra = GATES[cell] * hidden
    where = "" if directions * layers_ == 1 else f" for each of {directions * layers_} layer-directions"
    return difference(
        "recurrent_biases",
        f"Keras counts {_n(keras)}, PyTorch {_n(torch)}: PyTorch adds bias_hh, {GATES[cell]}·{hidden} = "
        f"{_n(extra)} more biases{where} (its {_GATE_NAMES[cell]} each get bias_ih and bias_hh; Keras' "
        f"{'LSTM' if cell == 'lstm' else 'SimpleRNN'} has one bias per gate).",
    )


def _gru_note(reset_after: bool, units: int, keras: int, torch: int) -> list[Difference]:
    order = difference("gate_order")
    if reset_after:
        text = (
            f"Keras' GRU uses reset_after=True, as PyTorch's GRU does: both keep two biases per gate, "
            f"{_n(keras)} parameters each."
        )
        return [difference("gru_reset_after", text), order]
    text = (
        f"reset_after=False keeps one bias per gate ({_n(keras)} parameters); PyTorch's GRU always resets "
        f"after the recurrent product with two, {_n(torch)} (3·{units} = {_n(3 * units)} more)."
    )
    return [difference("gru_reset_after", text), order]


# ----------------------------------------------------------------------------- Keras → PyTorch


def keras_recurrent(layer: KerasRecurrent | layers.Bidirectional, info: LayerInfo) -> Built:
    """The PyTorch RNN/LSTM/GRU for a Keras recurrent layer or a Bidirectional around one."""
    inner = layer.layer if isinstance(layer, layers.Bidirectional) else layer
    directions = 2 if isinstance(layer, layers.Bidirectional) else 1
    steps, features = info.input_shape
    # the wrapped layer's kind names the module (Bidirectional's own row points at LSTM only)
    cls = other_class(inner.kind, Dialect.TORCH)
    assert cls is not None  # every Keras recurrent kind has its PyTorch module
    extra: dict[str, Any] = {}
    if isinstance(inner, layers.SimpleRNN):
        activation = inner.config.get("activation", "tanh")
        if activation not in ("tanh", "relu"):
            text = f"activation={activation!r}: PyTorch's RNN has nonlinearity 'tanh' or 'relu' only."
            return [], None, [difference("no_counterpart", text)]
        extra["nonlinearity"] = activation
    module = cls(
        features,
        inner.units,
        bias=inner.use_bias,
        batch_first=True,
        bidirectional=directions == 2,
        **extra,
    )
    torch_params = module.describe(info.input_shape).params
    diffs: list[Difference] = []
    if inner.cell == "gru":
        if inner.use_bias:
            diffs += _gru_note(inner.reset_after, inner.units, info.params, torch_params)
        else:
            diffs.append(difference("gate_order"))
    elif inner.use_bias:
        diffs.append(_bias_note(inner.cell, inner.units, directions, 1, info.params, torch_params))
    if isinstance(layer, layers.Bidirectional) and layer.merge_mode != "concat":
        diffs.append(
            difference(
                "bidirectional_merge",
                f"merge_mode={layer.merge_mode!r} gives {info.output_shape}; PyTorch's bidirectional=True "
                f"concatenates the two directions to {2 * inner.units} features.",
            )
        )
    if not inner.return_sequences:
        width = directions * inner.units
        last = (
            "Keras' output is PyTorch's output[:, -1]"
            if directions == 1
            # the backward direction reads the sequence from the end, so its final state is at step 0
            else "Keras' output joins both directions' final states, PyTorch's h_n (output[:, -1] holds the "
            "backward direction's first step, not its last)"
        )
        diffs.append(
            difference(
                "sequence_output",
                f"Keras returns the last step, {info.output_shape}; PyTorch returns all {steps} steps, "
                f"({steps}, {width}): {last}.",
            )
        )
    return [module], info.input_shape, diffs


def keras_attention(layer: layers.MultiHeadAttention, info: LayerInfo) -> Built:
    """PyTorch's MultiheadAttention for Keras' self-attention, when its heads split E evenly."""
    embed = info.input_shape[-1]
    h, dk = layer.num_heads, layer.key_dim
    fits = (
        len(info.input_shape) == 2
        and h * dk == embed
        and layer.value_dim == dk
        and layer.output_shape in (None, (embed,))
    )
    if not fits:
        text = (
            f"Keras' {h} heads of key_dim={dk} (value_dim={layer.value_dim}) on {info.input_shape} project "
            f"to h·dk = {h * dk} features; PyTorch's MultiheadAttention splits E = {embed} into {h} heads "
            "of E/h features and projects back to E, on (T, E) inputs, so no PyTorch module holds these "
            "weights."
        )
        return [], None, [difference("attention_projections", text)]
    module = nn.MultiheadAttention(embed, h, bias=layer.use_bias, batch_first=True)
    return [module], info.input_shape, [_projections(embed, h, layer.use_bias, info.params)]


def _projections(embed: int, heads: int, bias: bool, params: int) -> Difference:
    """Four Keras kernels against PyTorch's packed in_proj_weight, for E features and h heads."""
    dk = embed // heads
    kb = f", biases ({heads}, {dk})" if bias else ""
    tb = f" and in_proj_bias ({3 * embed},)" if bias else ""
    ob = f" and out_proj.bias ({embed},)" if bias else ""
    return difference(
        "attention_projections",
        f"Keras keeps four kernels: query, key and value ({embed}, {heads}, {dk}){kb}, and attention_output "
        f"({heads}, {dk}, {embed}); PyTorch packs query, key and value into one in_proj_weight "
        f"({3 * embed}, {embed}){tb}, plus out_proj.weight ({embed}, {embed}){ob}. Both hold {_n(params)} "
        f"numbers: {heads} heads of {dk} = {embed} features.",
    )


# ----------------------------------------------------------------------------- PyTorch → Keras


def torch_recurrent(module: TorchRecurrent | TorchCell, info: LayerInfo) -> Built:
    """Keras recurrent layers for a PyTorch RNN/LSTM/GRU (one per stacked layer) or a cell."""
    cls = class_for(info, Dialect.KERAS)
    extra: dict[str, Any] = {}
    if isinstance(module, (nn.RNN, nn.RNNCell)):
        extra["activation"] = module.nonlinearity
    if isinstance(module, (nn.RNNCell, nn.LSTMCell, nn.GRUCell)):
        # one step of the recurrence: a Keras layer on a sequence of one step gives the new state
        keras_shape = (1, module.input_size)
        keras = cls(module.hidden_size, use_bias=module.bias, **extra)
        keras_params = keras.describe(keras_shape).params
        diffs = [
            difference(
                "sequence_output",
                f"A PyTorch cell computes one step; Keras has no cell layer in convwidget, so the "
                f"counterpart is {type(keras).__name__} on a one-step sequence {keras_shape}.",
            )
        ]
        diffs += _torch_count_notes(module, 1, 1, keras_params, info.params)
        return [keras], keras_shape, diffs
    proj = module.proj_size if isinstance(module, nn.LSTM) else 0
    if proj:
        text = f"proj_size={proj} projects each state to {proj} features; Keras' LSTM has no projection."
        return [], None, [difference("lstm_projection", text)]
    directions = 2 if module.bidirectional else 1
    stack: list[Describable] = []
    for _ in range(module.num_layers):
        inner = cls(module.hidden_size, use_bias=module.bias, return_sequences=True, **extra)
        stack.append(layers.Bidirectional(inner) if directions == 2 else inner)
    keras_params = 0
    shape = info.input_shape
    for layer in stack:
        described = layer.describe(shape)
        keras_params += described.params
        shape = described.output_shape
    diffs = []
    if module.num_layers > 1 or directions == 2:
        diffs.append(
            difference(
                "stacked_layers",
                f"num_layers={module.num_layers}, bidirectional={module.bidirectional}: Keras writes "
                f"{len(stack)} layer{'s' if len(stack) > 1 else ''}"
                f"{' wrapped in Bidirectional' if directions == 2 else ''}, each with return_sequences=True.",
            )
        )
    diffs += _torch_count_notes(module, directions, module.num_layers, keras_params, info.params)
    return stack, info.input_shape, diffs


def _torch_count_notes(
    module: TorchRecurrent | TorchCell, directions: int, layers_: int, keras: int, torch: int
) -> list[Difference]:
    if isinstance(module, (nn.GRU, nn.GRUCell)):
        if not module.bias:
            return [difference("gate_order")]
        return _gru_note(True, module.hidden_size, keras, torch)
    if not module.bias:
        return []
    cell = "lstm" if isinstance(module, (nn.LSTM, nn.LSTMCell)) else "rnn"
    return [_bias_note(cell, module.hidden_size, directions, layers_, keras, torch)]


def torch_attention(module: nn.MultiheadAttention | nn.TransformerEncoderLayer, info: LayerInfo) -> Built:
    """Keras' MultiHeadAttention (and, for an encoder block, the layers around it)."""
    if isinstance(module, nn.TransformerEncoderLayer):
        return _encoder(module, info)
    embed, heads = module.embed_dim, module.num_heads
    if module.kdim != embed or module.vdim != embed:
        text = (
            f"kdim={module.kdim}, vdim={module.vdim}: convwidget.layers.MultiHeadAttention describes "
            f"self-attention, keys and values of E = {embed} features like the query."
        )
        return [], None, [difference("no_counterpart", text)]
    keras = layers.MultiHeadAttention(heads, embed // heads, use_bias=module.bias)
    keras_params = keras.describe(info.input_shape).params
    diffs = [_projections(embed, heads, module.bias, keras_params)]
    if module.add_bias_kv:
        diffs.append(
            difference(
                "attention_bias_kv",
                f"add_bias_kv=True adds bias_k and bias_v, 2·{embed} = {_n(2 * embed)} parameters Keras has "
                f"no place for (PyTorch {_n(info.params)}, Keras {_n(keras_params)}).",
            )
        )
    return [keras], info.input_shape, diffs


def _encoder(module: nn.TransformerEncoderLayer, info: LayerInfo) -> Built:
    d, heads, ff, bias = module.d_model, module.nhead, module.dim_feedforward, module.bias
    activation = module.activation if isinstance(module.activation, str) else None
    attention = layers.MultiHeadAttention(heads, d // heads, use_bias=bias)
    first_norm = layers.LayerNormalization(epsilon=module.layer_norm_eps, center=bias)
    up = layers.Dense(ff, activation=activation, use_bias=bias)
    down = layers.Dense(d, use_bias=bias)
    second_norm = layers.LayerNormalization(epsilon=module.layer_norm_eps, center=bias)
    order: list[Describable] = [attention, first_norm, up, down, second_norm]
    if module.norm_first:
        order = [first_norm, attention, second_norm, up, down]
    text = (
        f"Keras writes d_model={d}, nhead={heads}, dim_feedforward={ff} as MultiHeadAttention({heads}, "
        f"key_dim={d // heads}), Dense({ff}) and Dense({d}) and two LayerNormalization layers"
        f"{' (each before its sublayer: norm_first=True)' if module.norm_first else ''}, the residual "
        f"additions in the functional API; together {_n(info.params)} parameters, as PyTorch's."
    )
    return order, info.input_shape, [difference("transformer_block", text)]
