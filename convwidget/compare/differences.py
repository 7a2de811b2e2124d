"""The catalogue of ways Keras and PyTorch disagree, and the texts that quote one case's numbers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ..enums import Dialect
from ..formula import group_digits
from ..info import LayerInfo, Shape

__all__ = [
    "DIFFERENCES",
    "Difference",
    "batchnorm_counts",
    "difference",
    "flatten_order",
    "weight_layout",
]


@dataclass(frozen=True)
class Difference:
    """One way the frameworks disagree.

    Parameters
    ----------
    key : str
        The kind of difference, a key of :data:`DIFFERENCES`.
    title : str
        A short heading.
    explanation : str
        Plain text; in a :class:`~convwidget.compare.Counterpart` it quotes that case's numbers.
    """

    key: str
    title: str
    explanation: str

    def __str__(self) -> str:
        return f"{self.title}: {self.explanation}"


DIFFERENCES: Mapping[str, Difference] = MappingProxyType(
    {
        d.key: d
        for d in [
            Difference(
                "batchnorm_counts",
                "BatchNorm counts",
                "Keras counts 4·C parameters for C channels: γ and β (trainable) and the moving mean and "
                "variance (2·C non-trainable). PyTorch counts only γ and β (2·C parameters) and keeps "
                "running_mean, running_var and num_batches_tracked as buffers (2·C + 1 elements), "
                "which are not parameters.",
            ),
            Difference(
                "batchnorm_affine",
                "BatchNorm options",
                "Keras drops γ and β separately (scale=False, center=False) and always keeps moving "
                "statistics; PyTorch keeps or drops both with affine, and the running statistics with "
                "track_running_stats.",
            ),
            Difference(
                "same_padding_stride",
                "'same' padding with a stride",
                "Keras' padding='same' gives ⌈n/s⌉ with any stride, padding the odd cell after. PyTorch "
                "refuses padding='same' when stride > 1; the usual substitute padding=k//2 gives "
                "⌊(n + 2·(k//2) − k)/s⌋ + 1, which equals ⌈n/s⌉ for odd kernels but not always for even "
                "ones.",
            ),
            Difference(
                "explicit_padding",
                "Explicit padding",
                "PyTorch pads a number of cells on both sides (padding=1); Keras convolutions know only "
                "'valid' and 'same', so explicit padding needs a ZeroPadding2D layer before them.",
            ),
            Difference(
                "padding_mode",
                "Padding mode",
                "PyTorch can pad by reflecting, replicating or wrapping the input (padding_mode); Keras "
                "pads with zeros only. Shapes and counts agree, values near the border do not.",
            ),
            Difference(
                "causal_padding",
                "Causal padding",
                "Keras' Conv1D has padding='causal' (all padding before the sequence); PyTorch's Conv1d "
                "has no such option, it needs an explicit one-sided pad first.",
            ),
            Difference(
                "transposed_output_size",
                "Transposed-convolution output size",
                "Without output_padding, Keras gives (n − 1)·s + max(k, s) for 'valid' and n·s for 'same'; "
                "PyTorch gives (n − 1)·s − 2·p + d·(k − 1) + output_padding + 1, so a literal translation "
                "differs when the kernel is smaller than the stride, and 'same' needs padding and "
                "output_padding chosen to match.",
            ),
            Difference(
                "stride_with_dilation",
                "Stride with dilation",
                "Keras refuses strides > 1 together with dilation_rate > 1; PyTorch allows them.",
            ),
            Difference(
                "weight_layout",
                "Weight layout",
                "The same numbers, stored in a different order: a Keras conv kernel is (kh, kw, Cin/g, "
                "Cout), PyTorch's weight is (Cout, Cin/g, kh, kw); transposed convs are (kh, kw, Cout, Cin) "
                "vs (Cin, Cout/g, kh, kw); Dense is (in, units) vs Linear's (out, in).",
            ),
            Difference(
                "flatten_order",
                "Flatten element order",
                "Keras flattens a channels_last (H, W, C) tensor in H, W, C order (NHWC); PyTorch "
                "flattens (C, H, W) in C, H, W order (NCHW). The length is the same, the order is not, "
                "so the next Dense/Linear weights must be permuted to carry over.",
            ),
            Difference(
                "pooling_options",
                "Pooling options",
                "PyTorch pooling takes explicit padding, dilation and ceil_mode; Keras pooling knows "
                "only 'valid' and 'same' (⌈n/s⌉, with padding not counted in averages).",
            ),
            Difference(
                "separable",
                "Separable convolution",
                "Keras has one SeparableConv2D layer; PyTorch writes it as two Conv2d modules: a "
                "depthwise one (groups=Cin, bias=False) and a 1×1 pointwise one. The counts add up the same.",
            ),
            Difference(
                "recurrent_biases",
                "Recurrent biases",
                "PyTorch's RNN, LSTM and GRU keep two bias vectors per gate, bias_ih (added to the input's "
                "product) and bias_hh (added to the recurrent product); Keras' SimpleRNN and LSTM keep "
                "one, so PyTorch counts gates·H more per layer and direction. Keras' GRU with "
                "reset_after=True (its default) keeps two as well.",
            ),
            Difference(
                "gru_reset_after",
                "GRU reset_after",
                "Keras' GRU applies the reset gate after the recurrent product by default "
                "(reset_after=True), as PyTorch does, and keeps two biases per gate (a bias of shape "
                "(2, 3U)); reset_after=False applies it before and keeps one. PyTorch's GRU has only the "
                "first form.",
            ),
            Difference(
                "gate_order",
                "Gate order",
                "Both frameworks stack the gates' matrices side by side in one weight: an LSTM in the "
                "same order (input, forget, cell, output), a GRU in a different one — Keras update, "
                "reset, candidate (z, r, h), PyTorch reset, update, new (r, z, n) — so carrying GRU "
                "weights over swaps the first two blocks.",
            ),
            Difference(
                "sequence_output",
                "Sequence output",
                "PyTorch's RNN, LSTM and GRU always return every step's output (T, D·H) and the final "
                "state; a Keras recurrent layer returns the last step's output only, unless "
                "return_sequences=True. Keras' output is PyTorch's output[:, -1] (batch_first=True).",
            ),
            Difference(
                "stacked_layers",
                "Stacked and bidirectional layers",
                "One PyTorch module holds num_layers stacked layers (and both directions with "
                "bidirectional=True); Keras writes one layer per level, with return_sequences=True on all "
                "but the last, and Bidirectional(...) around it for two directions.",
            ),
            Difference(
                "bidirectional_merge",
                "Merging two directions",
                "Keras' Bidirectional joins the two directions with merge_mode ('concat', 'sum', 'ave', "
                "'mul'); PyTorch's bidirectional=True always concatenates them (2·H features).",
            ),
            Difference(
                "lstm_projection",
                "LSTM projection",
                "PyTorch's LSTM(proj_size=P) projects each hidden state down to P features with a P×H "
                "weight_hr per layer and direction; Keras' LSTM has no projection.",
            ),
            Difference(
                "attention_projections",
                "Attention projections",
                "Keras' MultiHeadAttention keeps four kernels — query, key and value (E, h, dk), each with "
                "a bias (h, dk), and attention_output (h, dk, E) with a bias (E,). PyTorch's "
                "MultiheadAttention packs query, key and value into one in_proj_weight (3E, E) and "
                "in_proj_bias (3E,), plus out_proj.weight (E, E) and out_proj.bias (E,). PyTorch fixes "
                "each head's size at E/h; Keras chooses key_dim freely, so they hold the same numbers only "
                "when h·dk = E.",
            ),
            Difference(
                "attention_bias_kv",
                "Added key and value biases",
                "PyTorch's add_bias_kv=True appends a learned bias_k and bias_v (1, 1, E) to the keys and "
                "values; Keras has no such option.",
            ),
            Difference(
                "norm_affine",
                "Normalization scale and offset",
                "Keras' GroupNormalization drops β and γ separately (center=False, scale=False); PyTorch's "
                "GroupNorm and InstanceNorm keep both or neither (affine).",
            ),
            Difference(
                "instance_norm",
                "Instance normalization",
                "PyTorch's InstanceNorm normalizes each channel of each example on its own; Keras writes "
                "it as GroupNormalization(groups=-1), one group per channel. InstanceNorm has no weights "
                "by default (affine=False), and track_running_stats=True keeps running_mean and "
                "running_var buffers that Keras has no place for.",
            ),
            Difference(
                "transformer_block",
                "Transformer encoder block",
                "PyTorch's TransformerEncoderLayer is one module; Keras writes it as MultiHeadAttention, "
                "LayerNormalization, a Dense feed-forward pair and a second LayerNormalization, with the "
                "residual additions (and dropout) in the functional API. The weights are the same.",
            ),
            Difference(
                "reshape_axes",
                "Reshaping",
                "Keras' Reshape takes the whole target shape (without the batch axis); PyTorch's Unflatten "
                "splits one axis into several, and any other reshape is x.reshape(...) in forward, with no "
                "module. The element order is the same (row-major) in both.",
            ),
            Difference(
                "upsampling",
                "Upsampling",
                "Keras' UpSampling2D repeats rows and columns a whole number of times (size) with "
                "'nearest' or an interpolation; PyTorch's Upsample also takes a target size or a "
                "fractional scale_factor, which Keras' UpSampling has no place for.",
            ),
            Difference(
                "no_counterpart",
                "No counterpart",
                "The other framework (or convwidget's version of it) has no single layer for this.",
            ),
        ]
    }
)


def difference(key: str, explanation: str | None = None) -> Difference:
    """The catalogue's difference ``key``, its explanation replaced by one that quotes this case."""
    base = DIFFERENCES[key]
    return Difference(key, base.title, explanation or base.explanation)


def _weights_text(infos: Sequence[LayerInfo], dialect: Dialect) -> str:
    with_weights = [i for i in infos if i.params]
    parts: list[str] = []
    for n, i in enumerate(with_weights):
        # several modules (a separable conv in PyTorch): name each weight by its module's position
        prefix = f"{n}." if len(with_weights) > 1 else ""
        weights = i.keras_weights if dialect is Dialect.KERAS else i.torch_weights
        parts.extend(f"{prefix}{k} {v}" for k, v in weights.items())
    return ", ".join(parts)


def weight_layout(info: LayerInfo, others: Sequence[LayerInfo]) -> Difference:
    """The same weights in both frameworks' shapes, for a layer and its counterpart(s)."""
    keras = _weights_text([info] if info.dialect is Dialect.KERAS else others, Dialect.KERAS)
    torch = _weights_text([info] if info.dialect is Dialect.TORCH else others, Dialect.TORCH)
    other = sum(i.params for i in others)
    if other == info.params:
        held = f"Both hold {group_digits(info.params)} numbers, in a different order."
    else:
        # a recurrent layer: PyTorch's second bias per gate has no place in Keras' weights
        counts = {info.dialect: info.params, info.dialect.other: other}
        held = (
            f"Keras holds {group_digits(counts[Dialect.KERAS])} numbers, "
            f"PyTorch {group_digits(counts[Dialect.TORCH])}."
        )
    return difference("weight_layout", f"Keras stores {keras}; PyTorch stores {torch}. {held}")


def batchnorm_counts(c: int, keras_params: int | None) -> Difference:
    """BatchNorm's counts for ``c`` channels in both frameworks (Keras' own count when known)."""
    keras = 4 * c if keras_params is None else keras_params
    return difference(
        "batchnorm_counts",
        f"For {c} channels Keras counts {group_digits(keras)} parameters ({group_digits(2 * c)} of them the "
        f"non-trainable moving mean and variance); PyTorch counts {group_digits(2 * c)} parameters (γ, β) "
        f"plus {group_digits(2 * c + 1)} buffer elements (running_mean {c}, running_var {c}, "
        "num_batches_tracked 1).",
    )


def flatten_order(image: Shape, source: Dialect, length: int) -> list[Difference]:
    """The element orders of a flattened channels-first ``image``, unless there is only one order."""
    c, spatial = image[0], image[1:]
    if c == 1 or math.prod(spatial) == 1:
        return []
    hwc = ", ".join(["H", "W", "D"][: len(spatial)])
    text = (
        f"Both give {group_digits(length)} values. Keras orders them as {(*spatial, c)} "
        f"({hwc}, C: channels fastest), "
        f"PyTorch as {image} (C, {hwc}: channels slowest), so a "
        f"{'Dense' if source is Dialect.KERAS else 'Linear'} layer's weights that follow must be permuted "
        "to carry over."
    )
    return [difference("flatten_order", text)]
