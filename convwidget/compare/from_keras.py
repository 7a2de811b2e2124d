"""Keras → PyTorch: the convwidget.nn modules closest to a convwidget.layers layer.

Each builder handles one :class:`~convwidget.enums.Family` of the kinds
table; the PyTorch class comes from the table too (a kind's ``torch`` name,
or its ``counterpart``), so a new kind needs a table row, not a name here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .. import _arith, kinds, layers, nn
from ..enums import Dialect, Family, Layout
from ..errors import ConfigError
from ..info import Describable, LayerInfo, Shape
from ..kinds import LayerKind
from . import sequence
from ._common import Builders, Built, by_class, class_for, other_class, relayout
from .differences import Difference, batchnorm_counts, difference, flatten_order

__all__ = ["BUILDERS"]

KerasConv = layers.Conv1D | layers.Conv2D | layers.Conv3D
KerasTranspose = layers.Conv1DTranspose | layers.Conv2DTranspose | layers.Conv3DTranspose
KerasStrided = KerasConv | layers.DepthwiseConv2D


def _first(info: LayerInfo, shape: Shape) -> Shape:
    return relayout(info, shape, Layout.CHANNELS_FIRST)


def _half_span(k: int, d: int) -> int:
    # The usual hand-written substitute for 'same' with a stride: half the dilated kernel. It is not
    # _arith.same_padding (which depends on n and s): it is what people type, and the difference says
    # where it falls short.
    return _arith.effective_kernel(k, d) // 2


def _pads(layer: KerasStrided) -> str | int | tuple[int, ...]:
    """PyTorch padding for a Keras conv: 'valid', 'same' (stride 1) or the usual d·(k−1)//2 substitute."""
    if layer.padding == "valid":
        return 0
    if max(layer.strides) == 1:
        return "same"
    return tuple(_half_span(k, d) for k, d in zip(layer.kernel_size, layer.dilation_rate))


def _stride_note(layer: KerasStrided, image: Shape, first: Describable) -> list[Difference]:
    if layer.padding != "same" or max(layer.strides) == 1:
        return []
    spatial = image[1:]
    keras = tuple(math.ceil(n / s) for n, s in zip(spatial, layer.strides))
    pads = tuple(_half_span(k, d) for k, d in zip(layer.kernel_size, layer.dilation_rate))
    try:
        torch = first.describe(image).output_shape[1:]
    except ConfigError as exc:
        torch_text = f"fails ({exc})"
    else:
        torch_text = f"gives {torch}" + (", the same" if torch == keras else ", a different size")
    return [
        difference(
            "same_padding_stride",
            f"Keras pads 'same' with strides={layer.strides} to ⌈n/s⌉ = {keras}; PyTorch refuses "
            f"padding='same' with a stride, and the usual padding={pads} (k//2 of the dilated kernel) "
            f"{torch_text}.",
        )
    ]


def _conv(layer: KerasConv, info: LayerInfo) -> Built:
    image = _first(info, info.input_shape)
    if layer.padding == "causal":
        return [], image, [difference("causal_padding")]
    _, cin = info.split(info.input_shape)
    conv = class_for(info, Dialect.TORCH)(
        cin,
        layer.filters,
        layer.kernel_size,
        layer.strides,
        _pads(layer),
        layer.dilation_rate,
        layer.groups,
        layer.use_bias,
    )
    return [conv], image, _stride_note(layer, image, conv)


def _transpose(layer: KerasTranspose, info: LayerInfo) -> Built:
    image = _first(info, info.input_shape)
    spatial, cin = info.split(info.input_shape)
    pads, ops = [], []
    for k, s, d, op in zip(
        layer.kernel_size, layer.strides, layer.dilation_rate, layer.output_padding or (None,) * layer.rank
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
    conv = class_for(info, Dialect.TORCH)(
        cin,
        layer.filters,
        layer.kernel_size,
        layer.strides,
        tuple(pads),
        tuple(ops),
        bias=layer.use_bias,
        dilation=layer.dilation_rate,
    )
    torch_out = conv.describe(image).output_shape[1:]
    keras_out, _ = info.split(info.output_shape)
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
    return [conv], image, [difference("transposed_output_size", text)]


def _depthwise(layer: layers.DepthwiseConv2D, info: LayerInfo) -> Built:
    image = _first(info, info.input_shape)
    _, cin = info.split(info.input_shape)
    conv = class_for(info, Dialect.TORCH)(
        cin,
        cin * layer.depth_multiplier,
        layer.kernel_size,
        layer.strides,
        _pads(layer),
        layer.dilation_rate,
        groups=cin,
        bias=layer.use_bias,
    )
    return [conv], image, _stride_note(layer, image, conv)


def _separable(layer: layers.SeparableConv2D, info: LayerInfo) -> Built:
    image = _first(info, info.input_shape)
    _, cin = info.split(info.input_shape)
    mid = cin * layer.depth_multiplier
    conv = class_for(info, Dialect.TORCH)
    depthwise = conv(
        cin, mid, layer.kernel_size, layer.strides, _pads(layer), layer.dilation_rate, groups=cin, bias=False
    )
    pointwise = conv(mid, layer.filters, 1, bias=layer.use_bias)
    diffs = [difference("separable"), *_stride_note(layer, image, depthwise)]
    return [depthwise, pointwise], image, diffs


def _dense(layer: layers.Dense, info: LayerInfo) -> Built:
    _, features = info.split(info.input_shape)
    return [class_for(info, Dialect.TORCH)(features, layer.units, bias=layer.use_bias)], info.input_shape, []


def _norm(layer: Describable, info: LayerInfo) -> Built | None:
    return by_class(
        layer,
        info,
        (
            (layers.BatchNormalization, _batchnorm),
            (layers.LayerNormalization, _layernorm),
            (layers.GroupNormalization, _groupnorm),
        ),
    )


def _kept_only(layer: layers.GroupNormalization | layers.BatchNormalization) -> str:
    """Which one of β and γ a Keras norm with ``center != scale`` keeps (PyTorch keeps both or neither)."""
    return f"Keras keeps {'β' if layer.center else 'γ'} only (center={layer.center}, scale={layer.scale})"


def _groupnorm(layer: layers.GroupNormalization, info: LayerInfo) -> Built:
    shape = info.input_shape
    axis = layer.axis % len(shape)
    if axis != len(shape) - 1 or len(shape) < 2:
        text = f"axis={layer.axis}: PyTorch's GroupNorm groups the channel axis of (C, ...) inputs only."
        return [], None, [difference("no_counterpart", text)]
    _, c = info.split(shape)
    groups = c if layer.groups == -1 else layer.groups
    norm = class_for(info, Dialect.TORCH)(groups, c, affine=layer.center or layer.scale)
    diffs = []
    if layer.center != layer.scale:
        diffs.append(
            difference(
                "norm_affine",
                f"{_kept_only(layer)}; PyTorch's affine=True keeps both, {c} more.",
            )
        )
    return [norm], _first(info, shape), diffs


def _batchnorm(layer: layers.BatchNormalization, info: LayerInfo) -> Built:
    shape = info.input_shape
    rank = len(shape)
    axis = layer.axis - 1 if layer.axis > 0 else rank + layer.axis
    # PyTorch's BatchNorm{1,2,3}d normalize the channel axis (the first) of inputs of their ranks.
    classes = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)
    cls = next((c for c in classes if rank in c.ranks), None)
    if cls is None or axis not in (0, rank - 1):
        return (
            [],
            None,
            [difference("no_counterpart", "PyTorch's BatchNorm normalizes the channel axis only.")],
        )
    _, c = info.split(shape)
    bn = cls(c, affine=layer.center or layer.scale)
    diffs = [batchnorm_counts(c, info.params)]
    if layer.center != layer.scale:
        diffs.append(
            difference(
                "batchnorm_affine",
                f"{_kept_only(layer)}; "
                f"PyTorch's affine keeps both or neither, so the counterpart (affine=True) has {c} more.",
            )
        )
    return [bn], _first(info, shape), diffs


def _layernorm(layer: layers.LayerNormalization, info: LayerInfo) -> Built:
    shape = info.input_shape
    rank = len(shape)
    items = [layer.axis] if isinstance(layer.axis, int) else list(layer.axis)
    axes = sorted(a - 1 if a > 0 else rank + a for a in items)
    if axes != list(range(rank - len(axes), rank)) or layer.rms_scaling or (layer.center and not layer.scale):
        text = "nn.LayerNorm normalizes trailing axes with γ, or γ and β."
        return [], None, [difference("no_counterpart", text)]
    norm = tuple(shape[a] for a in axes)
    return (
        [class_for(info, Dialect.TORCH)(norm, elementwise_affine=layer.scale, bias=layer.center)],
        shape,
        [],
    )


KerasPool = layers.MaxPooling2D | layers.AveragePooling2D | layers.MaxPooling1D | layers.AveragePooling1D
KerasGlobalPool = layers.GlobalAveragePooling2D | layers.GlobalMaxPooling2D


def _pool(layer: KerasPool | KerasGlobalPool, info: LayerInfo) -> Built:
    image = _first(info, info.input_shape)
    cls = class_for(info, Dialect.TORCH)
    if isinstance(layer, (layers.GlobalAveragePooling2D, layers.GlobalMaxPooling2D)):
        mods: list[Describable] = [cls(1)]
        if not layer.keepdims:
            mods.append(nn.Flatten())
        return mods, image, []
    if layer.padding == "valid":
        return [cls(layer.pool_size, layer.strides)], image, []
    pads = tuple(k // 2 for k in layer.pool_size)
    # Keras leaves the padding out of its averages; PyTorch's count_include_pad=False does the same.
    averages = isinstance(layer, (layers.AveragePooling2D, layers.AveragePooling1D))
    extra = {"count_include_pad": False} if averages else {}
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
    return [pool], image, [difference("same_padding_stride", text)]


def _reshape(layer: Describable, info: LayerInfo) -> Built | None:
    return by_class(
        layer,
        info,
        (
            (layers.Flatten, _flatten),
            ((layers.UpSampling1D, layers.UpSampling2D), _upsampling),
            (layers.Reshape, _unflatten),
        ),
    )


def _upsampling(layer: layers.UpSampling1D | layers.UpSampling2D, info: LayerInfo) -> Built:
    image = _first(info, info.input_shape)
    if isinstance(layer, layers.UpSampling1D):
        return [class_for(info, Dialect.TORCH)(scale_factor=layer.size)], image, []
    if layer.interpolation not in ("nearest", "bilinear", "bicubic", "area"):
        text = f"interpolation={layer.interpolation!r}: PyTorch's Upsample has no such mode."
        return [], None, [difference("upsampling", text)]
    up = class_for(info, Dialect.TORCH)(scale_factor=layer.size, mode=layer.interpolation)
    return [up], image, []


def _unflatten(layer: layers.Reshape, info: LayerInfo) -> Built:
    if len(info.input_shape) != 1:
        text = (
            f"Reshape{layer.target_shape} of {info.input_shape}: PyTorch has no module that reshapes "
            "several axes; write x.reshape(-1, ...) in forward."
        )
        return [], None, [difference("reshape_axes", text)]
    unflatten = class_for(info, Dialect.TORCH)(1, layer.target_shape)
    text = (
        f"Keras' Reshape({layer.target_shape}) is PyTorch's Unflatten(1, {layer.target_shape}): it splits "
        "the one feature axis (axis 1, after the batch axis)."
    )
    return [unflatten], info.input_shape, [difference("reshape_axes", text)]


def _flatten(layer: layers.Flatten, info: LayerInfo) -> Built:
    image = _first(info, info.input_shape)
    return (
        [class_for(info, Dialect.TORCH)()],
        image,
        flatten_order(image, Dialect.KERAS, info.output_shape[0]),
    )


def _dropout(layer: layers.Dropout, info: LayerInfo) -> Built:
    return [class_for(info, Dialect.TORCH)(layer.rate)], _first(info, info.input_shape), []


def _embedding(layer: layers.Embedding, info: LayerInfo) -> Built:
    return [class_for(info, Dialect.TORCH)(layer.input_dim, layer.output_dim)], info.input_shape, []


# keras.layers.Activation's names → the torch activation kind of the same function.
_ACTIVATIONS: Mapping[str, LayerKind] = {
    name: kind for kind in kinds.KINDS for name in kind.keras_activations if Dialect.TORCH in kind.modelled
}


def _activation(layer: Describable, info: LayerInfo) -> Built | None:
    if not isinstance(layer, layers.Activation):
        # Rescaling: no module in PyTorch
        text = (
            f"PyTorch has no module for Keras' {info.layer_type}: scale the input in forward "
            "(x * scale + offset) or in the data transform."
        )
        return [], None, [difference("no_counterpart", text)]
    kind = _ACTIVATIONS.get(layer.activation) if isinstance(layer.activation, str) else None
    cls = other_class(kind, Dialect.TORCH) if kind is not None else None
    if kind is None or cls is None:
        return None
    if "dim" in kind.torch_args:
        # softmax-like: Keras normalizes the last axis, so PyTorch's dim=-1 on the same shape
        return [cls(dim=-1)], info.input_shape, []
    return [cls()], _first(info, info.input_shape), []


BUILDERS: Builders = {
    Family.CONV: _conv,
    Family.TRANSPOSE: _transpose,
    Family.DEPTHWISE: _depthwise,
    Family.SEPARABLE: _separable,
    Family.DENSE: _dense,
    Family.NORM: _norm,
    Family.POOL: _pool,
    Family.RESHAPE: _reshape,
    Family.DROPOUT: _dropout,
    Family.EMBEDDING: _embedding,
    Family.ACTIVATION: _activation,
    Family.RECURRENT: sequence.keras_recurrent,
    Family.ATTENTION: sequence.keras_attention,
}
