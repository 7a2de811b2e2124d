"""Where Keras and PyTorch disagree: a layer's counterpart in the other dialect, and the differences.

    >>> from convwidget import compare, nn
    >>> c = compare.counterpart(nn.BatchNorm2d(64), (64, 5, 5))
    >>> c.other_info.params, c.info.params, c.info.buffers
    (256, 128, 129)
    >>> c.difference_keys()
    ['batchnorm_counts']

:func:`counterpart` takes a layer of either dialect and its input shape (in
that dialect's layout) and builds the closest layer(s) of the other dialect
on the converted input shape: channels_last ``(H, W, C)`` for Keras,
channels-first ``(C, H, W)`` for PyTorch. Where the two frameworks count,
size, store or order things differently, the result lists a
:class:`Difference` that explains it with this case's numbers.
:data:`DIFFERENCES` holds the general explanation of each kind.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from . import _arith, layers, nn
from ._checks import shape_arg
from .errors import ConfigError
from .info import LayerInfo, Shape

__all__ = ["DIFFERENCES", "Counterpart", "Difference", "counterpart"]


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
        Plain text; in a :class:`Counterpart` it quotes that case's numbers.
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


def _diff(key: str, explanation: str | None = None) -> Difference:
    base = DIFFERENCES[key]
    return Difference(key, base.title, explanation or base.explanation)


@dataclass(frozen=True)
class Counterpart:
    """A layer, its closest equivalent in the other dialect, and where they differ.

    Parameters
    ----------
    layer : object
        The layer given (a :mod:`convwidget.layers` or :mod:`convwidget.nn` object).
    info : LayerInfo
        ``layer.describe(input_shape)``.
    other : tuple
        The other dialect's layers, in order (usually one; empty when there is none).
    other_input_shape : tuple of int or None
        The input shape converted to the other dialect's layout.
    other_infos : tuple of LayerInfo
        Each of ``other`` described on the shape it receives.
    differences : tuple of Difference
        Every way the two disagree for this layer and shape.
    """

    layer: Any
    info: LayerInfo
    other: tuple[Any, ...]
    other_input_shape: Shape | None
    other_infos: tuple[LayerInfo, ...]
    differences: tuple[Difference, ...]

    @property
    def other_dialect(self) -> str:
        """``"torch"`` for a Keras layer, ``"keras"`` for a PyTorch one."""
        return "torch" if self.info.dialect == "keras" else "keras"

    @property
    def other_info(self) -> LayerInfo | None:
        """The main counterpart's info: the last one with weights, else the last one, else None."""
        with_weights = [i for i in self.other_infos if i.params]
        if with_weights:
            return with_weights[-1]
        return self.other_infos[-1] if self.other_infos else None

    @property
    def other_params(self) -> int:
        """All parameters of the counterpart layers together."""
        return sum(i.params for i in self.other_infos)

    @property
    def other_output_shape(self) -> Shape | None:
        """The counterpart's output shape, or None without a counterpart."""
        return self.other_infos[-1].output_shape if self.other_infos else None

    def difference_keys(self) -> list[str]:
        """The keys of the differences, in order."""
        return [d.key for d in self.differences]

    @property
    def text(self) -> str:
        """A plain-text report: both layers, their counts and shapes, and each difference."""
        lines = [
            f"{self.info.dialect}: {self.layer!r} on {self.info.input_shape} -> {self.info.output_shape}, "
            f"params {self.info.terms.text}"
        ]
        for layer, info in zip(self.other, self.other_infos):
            shapes = f"{info.input_shape} -> {info.output_shape}"
            lines.append(f"{info.dialect}: {layer!r} on {shapes}, params {info.terms.text}")
        lines.extend(f"- {d}" for d in self.differences)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text


def counterpart(layer: Any, input_shape: Sequence[int]) -> Counterpart:
    """Build ``layer``'s closest counterpart in the other dialect and explain the differences.

    Parameters
    ----------
    layer : convwidget.layers.Layer or convwidget.nn.Module
        A layer of either dialect.
    input_shape : tuple of int
        Its input shape without the batch axis, in the layer's own layout.

    Returns
    -------
    Counterpart
        Both layers' infos and the list of :class:`Difference` objects.

    Raises
    ------
    ConfigError
        If ``layer`` is not a convwidget layer or cannot take ``input_shape``.
    """
    dialect = getattr(layer, "dialect", None)
    if dialect not in ("keras", "torch"):
        raise ConfigError(
            f"compare.counterpart: layer={layer!r} is invalid; it must be a convwidget.layers or "
            "convwidget.nn layer"
        )
    info = layer.describe(input_shape)
    shape = info.input_shape
    build = _from_keras if dialect == "keras" else _from_torch
    other, other_shape, diffs = build(layer, info, shape)
    infos: list[LayerInfo] = []
    current = other_shape
    try:
        for o in other:
            infos.append(o.describe(current))
            current = infos[-1].output_shape
    except ConfigError as exc:
        # e.g. the k//2 substitute for Keras' 'same' needs a kernel that fits the padded input
        infos = []
        diffs.append(_diff("no_counterpart", f"The closest counterpart fails on this input: {exc}"))
    if infos and info.geometry is not None and any(i.params for i in infos) and info.params:
        diffs.append(_layout_difference(info, infos))
    return Counterpart(layer, info, tuple(other), other_shape, tuple(infos), tuple(diffs))


# --------------------------------------------------------------------------- helpers


def _last(shape: Shape) -> Shape:
    """Channels first → channels last."""
    return (*shape[1:], shape[0])


def _first(shape: Shape) -> Shape:
    """Channels last → channels first."""
    return (shape[-1], *shape[:-1])


def _weights_text(infos: list[LayerInfo], dialect: str) -> str:
    with_weights = [i for i in infos if i.params]
    parts = []
    for n, i in enumerate(with_weights):
        # several modules (a separable conv in PyTorch): name each weight by its module's position
        prefix = f"{n}." if len(with_weights) > 1 else ""
        weights = i.keras_weights if dialect == "keras" else i.torch_weights
        parts.extend(f"{prefix}{k} {v}" for k, v in weights.items())
    return ", ".join(parts)


def _layout_difference(info: LayerInfo, others: list[LayerInfo]) -> Difference:
    keras = _weights_text([info] if info.dialect == "keras" else others, "keras")
    torch = _weights_text([info] if info.dialect == "torch" else others, "torch")
    return _diff(
        "weight_layout",
        f"Keras stores {keras}; PyTorch stores {torch}. "
        f"Both hold {group(info.params)} numbers, in a different order.",
    )


def group(n: int) -> str:
    """Comma-grouped thousands."""
    return f"{n:,}"


def _same_pad(k: int, d: int) -> int:
    # the usual hand-written substitute for 'same': k//2, i.e. half the dilated span
    return _arith.effective_kernel(k, d) // 2


_KERAS_ACTIVATIONS = {
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "gelu": nn.GELU,
    "elu": nn.ELU,
    "selu": nn.SELU,
    "silu": nn.SiLU,
    "swish": nn.SiLU,
    "relu6": nn.ReLU6,
    "mish": nn.Mish,
    "hard_swish": nn.Hardswish,
    "softplus": nn.Softplus,
    "linear": nn.Identity,
}
_TORCH_ACTIVATIONS = {
    "ReLU": "relu",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "GELU": "gelu",
    "ELU": "elu",
    "SELU": "selu",
    "SiLU": "silu",
    "ReLU6": "relu6",
    "Mish": "mish",
    "Hardswish": "hard_swish",
    "Softplus": "softplus",
    "Identity": "linear",
}

Built = tuple[list[Any], Shape | None, list[Difference]]


# --------------------------------------------------------------------------- Keras → PyTorch


def _from_keras(layer: Any, info: LayerInfo, shape: Shape) -> Built:
    kind = type(layer).__name__
    fmt = getattr(layer, "data_format", "channels_last")
    image = _first(shape) if fmt == "channels_last" else shape
    if isinstance(layer, layers._Conv):
        return _keras_conv(layer, info, shape, image)
    if isinstance(layer, layers._ConvTranspose):
        return _keras_transpose(layer, info, shape, image)
    if kind == "DepthwiseConv2D":
        cin = info.geometry.in_channels if info.geometry else image[0]
        pads = _keras_pads(layer, image)
        conv = nn.Conv2d(
            cin,
            cin * layer.depth_multiplier,
            layer.kernel_size,
            layer.strides,
            pads,
            layer.dilation_rate,
            groups=cin,
            bias=layer.use_bias,
        )
        return [conv], image, _stride_note(layer, image, [conv])
    if kind == "SeparableConv2D":
        cin = image[0]
        mid = cin * layer.depth_multiplier
        pads = _keras_pads(layer, image)
        depthwise = nn.Conv2d(
            cin, mid, layer.kernel_size, layer.strides, pads, layer.dilation_rate, groups=cin, bias=False
        )
        pointwise = nn.Conv2d(mid, layer.filters, 1, bias=layer.use_bias)
        diffs = [_diff("separable")]
        return [depthwise, pointwise], image, diffs + _stride_note(layer, image, [depthwise, pointwise])
    if kind == "Dense":
        return [nn.Linear(shape[-1], layer.units, bias=layer.use_bias)], shape, []
    if kind == "BatchNormalization":
        return _keras_batchnorm(layer, info, shape)
    if kind == "LayerNormalization":
        return _keras_layernorm(layer, info, shape)
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        return _keras_pool(layer, info, image)
    if kind == "GlobalAveragePooling2D":
        mods: list[Any] = [nn.AdaptiveAvgPool2d(1)]
        if not layer.keepdims:
            mods.append(nn.Flatten())
        return mods, image, []
    if kind == "Flatten":
        return [nn.Flatten()], image, _flatten_note(image, "keras", info.output_shape[0])
    if kind == "Dropout":
        return [nn.Dropout(layer.rate)], (image if len(shape) > 1 else shape), []
    if kind == "Activation":
        name = layer.activation if isinstance(layer.activation, str) else None
        if name == "softmax":
            return [nn.Softmax(dim=-1)], shape, []
        if name in _KERAS_ACTIVATIONS:
            return [_KERAS_ACTIVATIONS[name]()], (image if len(shape) > 1 else shape), []
    if kind == "Embedding":
        return [nn.Embedding(layer.input_dim, layer.output_dim)], shape, []
    return [], None, [_diff("no_counterpart", f"convwidget.nn has no counterpart of Keras' {kind}.")]


def _keras_pads(layer: Any, image: Shape) -> Any:
    """PyTorch padding for a Keras conv: 'valid', 'same' (stride 1) or the usual d·(k−1)//2 substitute."""
    if layer.padding == "valid":
        return 0
    if max(layer.strides) == 1:
        return "same"
    return tuple(_same_pad(k, d) for k, d in zip(layer.kernel_size, layer.dilation_rate))


def _stride_note(layer: Any, image: Shape, mods: list[Any]) -> list[Difference]:
    if layer.padding != "same" or max(layer.strides) == 1:
        return []
    spatial = image[1:]
    keras = tuple(math.ceil(n / s) for n, s in zip(spatial, layer.strides))
    pads = tuple(_same_pad(k, d) for k, d in zip(layer.kernel_size, layer.dilation_rate))
    try:
        torch = mods[0].describe(image).output_shape[1:]
    except ConfigError as exc:
        torch_text = f"fails ({exc})"
    else:
        torch_text = f"gives {torch}" + (", the same" if torch == keras else ", a different size")
    return [
        _diff(
            "same_padding_stride",
            f"Keras pads 'same' with strides={layer.strides} to ⌈n/s⌉ = {keras}; PyTorch refuses "
            f"padding='same' with a stride, and the usual padding={pads} (k//2 of the dilated kernel) "
            f"{torch_text}.",
        )
    ]


def _keras_conv(layer: Any, info: LayerInfo, shape: Shape, image: Shape) -> Built:
    rank = layer.rank
    cls = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[rank]
    cin = image[0]
    if layer.padding == "causal":
        return [], image, [_diff("causal_padding")]
    conv = cls(
        cin,
        layer.filters,
        layer.kernel_size,
        layer.strides,
        _keras_pads(layer, image),
        layer.dilation_rate,
        layer.groups,
        layer.use_bias,
    )
    return [conv], image, _stride_note(layer, image, [conv])


def _keras_transpose(layer: Any, info: LayerInfo, shape: Shape, image: Shape) -> Built:
    rank = layer.rank
    cls = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}[rank]
    spatial = image[1:]
    pads, ops = [], []
    for k, s, d, op in zip(
        layer.kernel_size, layer.strides, layer.dilation_rate, layer.output_padding or (None,) * rank
    ):
        span = _arith.effective_kernel(k, d)
        if layer.padding == "valid":
            p, o = 0, (max(span, s) - span if op is None else op)
        elif op is not None:
            p, o = span // 2, op
        else:
            p = max(math.ceil((span - s) / 2), 0)
            o = s - span + 2 * p
        if o >= s and o >= d:
            # PyTorch cannot reach Keras' size here; one cell less padding keeps the output
            # non-empty (one larger than Keras' instead of one smaller), as the difference says.
            o = 0
            p = max(p - 1, 0)
        pads.append(p)
        ops.append(o)
    conv = cls(
        image[0],
        layer.filters,
        layer.kernel_size,
        layer.strides,
        tuple(pads),
        tuple(ops),
        bias=layer.use_bias,
        dilation=layer.dilation_rate,
    )
    torch_out = conv.describe(image).output_shape[1:]
    keras_out = tuple(
        info.output_shape[:-1] if layer.data_format == "channels_last" else info.output_shape[1:]
    )
    literal = tuple(
        _arith.torch_deconv_length(n, k, s, 0, 0, d)
        for n, k, s, d in zip(spatial, layer.kernel_size, layer.strides, layer.dilation_rate)
    )
    match = "matches it" if torch_out == keras_out else f"gives {torch_out}, as close as PyTorch gets"
    text = (
        f"Keras gives {keras_out} (padding={layer.padding!r}, output_padding={layer.output_padding}); "
        f"a literal PyTorch translation (padding=0, output_padding=0) gives {literal}; "
        f"padding={tuple(pads)}, output_padding={tuple(ops)} {match}."
    )
    return [conv], image, [_diff("transposed_output_size", text)]


def _keras_batchnorm(layer: Any, info: LayerInfo, shape: Shape) -> Built:
    rank = len(shape)
    axis = layer.axis - 1 if layer.axis > 0 else rank + layer.axis
    if rank > 4 or axis not in (0, rank - 1):
        return [], None, [_diff("no_counterpart", "PyTorch's BatchNorm normalizes the channel axis only.")]
    c = shape[axis]
    torch_shape = shape if axis == 0 else _first(shape)
    cls = {1: nn.BatchNorm1d, 2: nn.BatchNorm1d, 3: nn.BatchNorm2d, 4: nn.BatchNorm3d}[rank]
    affine = layer.center or layer.scale
    bn = cls(c, affine=affine)
    diffs = [_batchnorm_counts(c, info.params if info.dialect == "keras" else None)]
    if layer.center != layer.scale:
        diffs.append(
            _diff(
                "batchnorm_affine",
                f"Keras keeps {'β' if layer.center else 'γ'} only "
                f"(center={layer.center}, scale={layer.scale}); "
                f"PyTorch's affine keeps both or neither, so the counterpart (affine=True) has {c} more.",
            )
        )
    return [bn], torch_shape, diffs


def _batchnorm_counts(c: int, keras_params: int | None) -> Difference:
    keras = 4 * c if keras_params is None else keras_params
    return _diff(
        "batchnorm_counts",
        f"For {c} channels Keras counts {group(keras)} parameters ({group(2 * c)} of them the non-trainable "
        f"moving mean and variance); PyTorch counts {group(2 * c)} parameters (γ, β) plus "
        f"{group(2 * c + 1)} buffer elements (running_mean {c}, running_var {c}, num_batches_tracked 1).",
    )


def _keras_layernorm(layer: Any, info: LayerInfo, shape: Shape) -> Built:
    rank = len(shape)
    items = list(layer.axis) if isinstance(layer.axis, (list, tuple)) else [layer.axis]
    axes = sorted(a - 1 if a > 0 else rank + a for a in items)
    if axes != list(range(rank - len(axes), rank)) or layer.rms_scaling or (layer.center and not layer.scale):
        return (
            [],
            None,
            [_diff("no_counterpart", "nn.LayerNorm normalizes trailing axes with γ, or γ and β.")],
        )
    norm = tuple(shape[a] for a in axes)
    return [nn.LayerNorm(norm, elementwise_affine=layer.scale, bias=layer.center)], shape, []


def _keras_pool(layer: Any, info: LayerInfo, image: Shape) -> Built:
    cls = nn.MaxPool2d if type(layer).__name__ == "MaxPooling2D" else nn.AvgPool2d
    if layer.padding == "valid":
        return [cls(layer.pool_size, layer.strides)], image, []
    pads = tuple(k // 2 for k in layer.pool_size)
    extra = {"count_include_pad": False} if cls is nn.AvgPool2d else {}
    pool = cls(layer.pool_size, layer.strides, pads, **extra)
    keras = tuple(math.ceil(n / s) for n, s in zip(image[1:], layer.strides))
    try:
        torch = pool.describe(image).output_shape[1:]
        outcome = f"gives {torch}" + (", the same" if torch == keras else ", a different size")
    except ConfigError as exc:
        outcome = f"fails ({exc})"
    text = (
        f"Keras pools 'same' to ⌈n/s⌉ = {keras}; PyTorch has no 'same' pooling, and padding={pads} "
        f"(k//2) {outcome}."
    )
    return [pool], image, [_diff("same_padding_stride", text)]


def _flatten_note(image: Shape, source: str, length: int) -> list[Difference]:
    c, spatial = image[0], image[1:]
    if c == 1 or math.prod(spatial) == 1:
        return []
    hwc = ", ".join(["H", "W", "D"][: len(spatial)])
    text = (
        f"Both give {group(length)} values. Keras orders them as {(*spatial, c)} "
        f"({hwc}, C: channels fastest), "
        f"PyTorch as {image} (C, {hwc}: channels slowest), so a {'Dense' if source == 'keras' else 'Linear'} "
        "layer's weights that follow must be permuted to carry over."
    )
    return [_diff("flatten_order", text)]


# --------------------------------------------------------------------------- PyTorch → Keras


def _from_torch(module: Any, info: LayerInfo, shape: Shape) -> Built:
    kind = type(module).__name__
    if isinstance(module, nn._ConvNd):
        return _torch_conv(module, info, shape)
    if isinstance(module, nn._ConvTransposeNd):
        return _torch_transpose(module, info, shape)
    if kind == "Linear":
        return [layers.Dense(module.out_features, use_bias=module.bias)], shape, []
    if isinstance(module, nn._BatchNorm):
        bn = layers.BatchNormalization(axis=-1, center=module.affine, scale=module.affine)
        diffs = [_batchnorm_counts(module.num_features, None)]
        if not module.track_running_stats:
            diffs.append(
                _diff(
                    "batchnorm_affine",
                    "track_running_stats=False keeps no running statistics; Keras always keeps its "
                    "moving mean and variance.",
                )
            )
        return [bn], _last(shape), diffs
    if kind == "LayerNorm":
        k = len(module.normalized_shape)
        axes = list(range(len(shape) - k + 1, len(shape) + 1))
        ln = layers.LayerNormalization(
            axis=axes if k > 1 else -1,
            center=module.elementwise_affine and module.bias,
            scale=module.elementwise_affine,
        )
        return [ln], shape, []
    if kind in ("MaxPool2d", "AvgPool2d"):
        if max(module.padding) or max(module.dilation) > 1 or module.ceil_mode:
            return (
                [],
                _last(shape),
                [
                    _diff(
                        "pooling_options",
                        f"padding={module.padding}, dilation={module.dilation}, ceil_mode={module.ceil_mode} "
                        "have no Keras equivalent: Keras pools 'valid' or 'same' only.",
                    )
                ],
            )
        cls = layers.MaxPooling2D if kind == "MaxPool2d" else layers.AveragePooling2D
        return [cls(module.kernel_size, module.stride)], _last(shape), []
    if kind == "AdaptiveAvgPool2d":
        if tuple(module.output_size) == (1, 1):
            return [layers.GlobalAveragePooling2D(keepdims=True)], _last(shape), []
        return (
            [],
            _last(shape),
            [_diff("no_counterpart", "Keras has no adaptive pooling to sizes other than 1.")],
        )
    if kind == "Flatten":
        rank = len(shape) + 1
        if (module.start_dim % rank, module.end_dim % rank) != (1, rank - 1):
            return (
                [],
                None,
                [_diff("no_counterpart", "Keras' Flatten always flattens every axis but the batch.")],
            )
        return [layers.Flatten()], _last(shape), _flatten_note(shape, "torch", info.output_shape[0])
    if kind == "Dropout":
        return [layers.Dropout(module.p)], (_last(shape) if len(shape) > 1 else shape), []
    if kind in ("Softmax", "LogSoftmax") or kind in _TORCH_ACTIVATIONS:
        if kind in _TORCH_ACTIVATIONS:
            return (
                [layers.Activation(_TORCH_ACTIVATIONS[kind])],
                (_last(shape) if len(shape) > 1 else shape),
                [],
            )
        name = "softmax" if kind == "Softmax" else "log_softmax"
        return [layers.Activation(name)], shape, []
    if kind == "Embedding":
        return [layers.Embedding(module.num_embeddings, module.embedding_dim)], shape, []
    return [], None, [_diff("no_counterpart", f"convwidget.layers has no counterpart of PyTorch's {kind}.")]


def _torch_conv(module: Any, info: LayerInfo, shape: Shape) -> Built:
    rank = module.rank
    diffs: list[Difference] = []
    keras_shape = _last(shape)
    if max(module.stride) > 1 and max(module.dilation) > 1:
        text = (
            f"stride={module.stride} with dilation={module.dilation} works in PyTorch; Keras refuses it, so "
            "there is no single Keras layer (use strides=1 and subsample, or dilation_rate=1)."
        )
        return [], keras_shape, [_diff("stride_with_dilation", text)]
    if module.padding_mode != "zeros":
        diffs.append(
            _diff(
                "padding_mode",
                f"padding_mode={module.padding_mode!r} pads with copies of the input; Keras pads with zeros.",
            )
        )
    cls = {1: layers.Conv1D, 2: layers.Conv2D, 3: layers.Conv3D}[rank]
    pads = module.pads()
    symmetric_same = all(
        a == b == _same_pad(k, d) and d * (k - 1) % 2 == 0
        for (a, b), k, d in zip(pads, module.kernel_size, module.dilation)
    )
    before: list[Any] = []
    if module.padding == "same" or (max(module.stride) == 1 and symmetric_same and any(a for a, _ in pads)):
        padding = "same"
    elif not any(a or b for a, b in pads):
        padding = "valid"
    elif rank == 2:
        padding = "valid"
        before = [layers.ZeroPadding2D(tuple(pads))]
        diffs.append(
            _diff(
                "explicit_padding",
                f"padding={module.padding} becomes ZeroPadding2D({tuple(pads)}) before a 'valid' Conv2D.",
            )
        )
    else:
        return (
            [],
            keras_shape,
            [
                _diff(
                    "explicit_padding",
                    f"padding={module.padding} on a {rank}-D convolution: "
                    "convwidget.layers has no ZeroPadding for it.",
                )
            ],
        )
    conv = cls(
        module.out_channels,
        module.kernel_size,
        module.stride,
        padding,
        dilation_rate=module.dilation,
        groups=module.groups,
        use_bias=module.bias,
    )
    return [*before, conv], keras_shape, diffs


def _torch_transpose(module: Any, info: LayerInfo, shape: Shape) -> Built:
    rank = module.rank
    keras_shape = _last(shape)
    if module.groups > 1:
        return [], keras_shape, [_diff("no_counterpart", "Keras' transposed convolutions have no groups.")]
    if max(module.stride) > 1 and max(module.dilation) > 1:
        return [], keras_shape, [_diff("stride_with_dilation")]
    if any(op >= s for op, s in zip(module.output_padding, module.stride)):
        return (
            [],
            keras_shape,
            [
                _diff(
                    "transposed_output_size",
                    f"output_padding={module.output_padding} reaches the stride {module.stride} (PyTorch "
                    "allows it below the dilation); Keras requires output_padding < strides.",
                )
            ],
        )
    spans = [_arith.effective_kernel(k, d) for k, d in zip(module.kernel_size, module.dilation)]
    if not any(module.padding):
        padding = "valid"
    elif all(p == span // 2 for p, span in zip(module.padding, spans)):
        padding = "same"
    else:
        return (
            [],
            keras_shape,
            [
                _diff(
                    "no_counterpart",
                    f"padding={module.padding} crops the output; Keras has only 'valid' and 'same'.",
                )
            ],
        )
    cls = {1: layers.Conv1DTranspose, 2: layers.Conv2DTranspose, 3: layers.Conv3DTranspose}[rank]
    conv = cls(
        module.out_channels,
        module.kernel_size,
        module.stride,
        padding,
        output_padding=module.output_padding,
        dilation_rate=module.dilation,
        use_bias=module.bias,
    )
    unset = cls(
        module.out_channels,
        module.kernel_size,
        module.stride,
        padding,
        dilation_rate=module.dilation,
        use_bias=module.bias,
    )
    keras_unset = unset.describe(keras_shape).output_shape[:-1]
    torch_out = info.output_shape[1:]
    unset_text = (
        "and so does leaving it unset"
        if keras_unset == torch_out
        else f"but with output_padding left unset it would give {keras_unset}"
    )
    text = (
        f"PyTorch gives {torch_out}; Keras matches it with padding={padding!r} and "
        f"output_padding={module.output_padding}, {unset_text}."
    )
    return [conv], keras_shape, [_diff("transposed_output_size", text)]


def convert_shape(shape: Sequence[int], to: str) -> Shape:
    """Convert an image shape between layouts: ``to="torch"`` (C first) or ``to="keras"`` (C last).

    Parameters
    ----------
    shape : tuple of int
        A shape without the batch axis, rank >= 2.
    to : str
        ``"torch"`` or ``"keras"``.

    Returns
    -------
    tuple of int
    """
    s = shape_arg("compare.convert_shape", shape, min_rank=2)
    if to == "torch":
        return _first(s)
    if to == "keras":
        return _last(s)
    raise ConfigError(f"compare.convert_shape: to={to!r} is invalid; it must be 'torch' or 'keras'.")
