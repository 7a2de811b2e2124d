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
    return difference(
        "weight_layout",
        f"Keras stores {keras}; PyTorch stores {torch}. "
        f"Both hold {group_digits(info.params)} numbers, in a different order.",
    )


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
