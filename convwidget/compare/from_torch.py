"""PyTorch → Keras: the convwidget.layers layers closest to a convwidget.nn module.

Each builder handles one :class:`~convwidget.enums.Family` of the kinds
table; the Keras class comes from the table too (a kind's ``keras`` name, or
its ``counterpart``), and an activation's Keras name from its
``keras_activations``.
"""

from __future__ import annotations

from .. import _arith, layers, nn
from ..enums import Dialect, Family, Layout
from ..info import Describable, LayerInfo, Shape
from . import sequence
from ._common import Builders, Built, by_class, class_for, info_kind, relayout
from .differences import Difference, batchnorm_counts, difference, flatten_order

__all__ = ["BUILDERS"]

TorchConv = nn.Conv1d | nn.Conv2d | nn.Conv3d
TorchTranspose = nn.ConvTranspose1d | nn.ConvTranspose2d | nn.ConvTranspose3d
TorchBatchNorm = nn.BatchNorm1d | nn.BatchNorm2d | nn.BatchNorm3d


def _last(info: LayerInfo, shape: Shape) -> Shape:
    return relayout(info, shape, Layout.CHANNELS_LAST)


def _conv(module: TorchConv, info: LayerInfo) -> Built:
    rank = len(module.kernel_size)
    diffs: list[Difference] = []
    keras_shape = _last(info, info.input_shape)
    if max(module.stride) > 1 and max(module.dilation) > 1:
        text = (
            f"stride={module.stride} with dilation={module.dilation} works in PyTorch; Keras refuses it, so "
            "there is no single Keras layer (use strides=1 and subsample, or dilation_rate=1)."
        )
        return [], keras_shape, [difference("stride_with_dilation", text)]
    if module.padding_mode != "zeros":
        diffs.append(
            difference(
                "padding_mode",
                f"padding_mode={module.padding_mode!r} pads with copies of the input; Keras pads with zeros.",
            )
        )
    pads = module.pads()
    spatial, _ = info.split(info.input_shape)
    # Keras' 'same' at stride 1 pads (span − 1)/2 on each side, so symmetric padding of that size is 'same'.
    keras_same = all(
        (a, b) == _arith.same_padding(n, k, 1, d) and a == b
        for (a, b), n, k, d in zip(pads, spatial, module.kernel_size, module.dilation)
    )
    before: list[Describable] = []
    if module.padding == "same" or (max(module.stride) == 1 and keras_same and any(a for a, _ in pads)):
        padding = "same"
    elif not any(a or b for a, b in pads):
        padding = "valid"
    elif rank == 2:
        padding = "valid"
        before = [layers.ZeroPadding2D(tuple(pads))]
        diffs.append(
            difference(
                "explicit_padding",
                f"padding={module.padding} becomes ZeroPadding2D({tuple(pads)}) before a 'valid' Conv2D.",
            )
        )
    else:
        text = (
            f"padding={module.padding} on a {rank}-D convolution: convwidget.layers has no ZeroPadding for it"
        )
        text += "."
        return [], keras_shape, [difference("explicit_padding", text)]
    conv = class_for(info, Dialect.KERAS)(
        module.out_channels,
        module.kernel_size,
        module.stride,
        padding,
        dilation_rate=module.dilation,
        groups=module.groups,
        use_bias=module.bias,
    )
    return [*before, conv], keras_shape, diffs


def _transpose(module: TorchTranspose, info: LayerInfo) -> Built:
    keras_shape = _last(info, info.input_shape)
    if module.groups > 1:
        return (
            [],
            keras_shape,
            [difference("no_counterpart", "Keras' transposed convolutions have no groups.")],
        )
    if max(module.stride) > 1 and max(module.dilation) > 1:
        return [], keras_shape, [difference("stride_with_dilation")]
    if any(op >= s for op, s in zip(module.output_padding, module.stride)):
        text = (
            f"output_padding={module.output_padding} reaches the stride {module.stride} (PyTorch "
            "allows it below the dilation); Keras requires output_padding < strides."
        )
        return [], keras_shape, [difference("transposed_output_size", text)]
    spans = [_arith.effective_kernel(k, d) for k, d in zip(module.kernel_size, module.dilation)]
    if not any(module.padding):
        padding = "valid"
    elif all(p == span // 2 for p, span in zip(module.padding, spans)):
        padding = "same"
    else:
        text = f"padding={module.padding} crops the output; Keras has only 'valid' and 'same'."
        return [], keras_shape, [difference("no_counterpart", text)]
    cls = class_for(info, Dialect.KERAS)
    args = (module.out_channels, module.kernel_size, module.stride, padding)
    conv = cls(
        *args, output_padding=module.output_padding, dilation_rate=module.dilation, use_bias=module.bias
    )
    unset = cls(*args, dilation_rate=module.dilation, use_bias=module.bias)
    keras_unset = unset.describe(keras_shape).output_shape[:-1]
    torch_out, _ = info.split(info.output_shape)
    unset_text = (
        "and so does leaving it unset"
        if keras_unset == torch_out
        else f"but with output_padding left unset it would give {keras_unset}"
    )
    text = (
        f"PyTorch gives {torch_out}; Keras matches it with padding={padding!r} and "
        f"output_padding={module.output_padding}, {unset_text}."
    )
    return [conv], keras_shape, [difference("transposed_output_size", text)]


def _dense(module: nn.Linear, info: LayerInfo) -> Built:
    return [class_for(info, Dialect.KERAS)(module.out_features, use_bias=module.bias)], info.input_shape, []


def _norm(module: Describable, info: LayerInfo) -> Built | None:
    return by_class(
        module,
        info,
        (
            (nn.LayerNorm, _layernorm),
            ((nn.GroupNorm, nn.InstanceNorm1d, nn.InstanceNorm2d), _groupnorm),
            ((nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d), _batchnorm),
        ),
    )


def _batchnorm(module: TorchBatchNorm, info: LayerInfo) -> Built:
    bn = class_for(info, Dialect.KERAS)(axis=-1, center=module.affine, scale=module.affine)
    diffs = [batchnorm_counts(module.num_features, None)]
    if not module.track_running_stats:
        text = (
            "track_running_stats=False keeps no running statistics; Keras always keeps its moving mean "
            "and variance."
        )
        diffs.append(difference("batchnorm_affine", text))
    return [bn], _last(info, info.input_shape), diffs


def _groupnorm(module: nn.GroupNorm | nn.InstanceNorm1d | nn.InstanceNorm2d, info: LayerInfo) -> Built:
    _, c = info.split(info.input_shape)
    # InstanceNorm is GroupNorm with one group per channel (Keras: groups=-1)
    groups = module.num_groups if isinstance(module, nn.GroupNorm) else -1
    center = module.affine and module.bias
    norm = class_for(info, Dialect.KERAS)(groups, axis=-1, center=center, scale=module.affine)
    diffs: list[Difference] = []
    if module.affine and not module.bias:
        text = f"affine=True, bias=False keeps γ only; Keras says so with center=False ({c} parameters)."
        diffs.append(difference("norm_affine", text))
    if isinstance(module, (nn.InstanceNorm1d, nn.InstanceNorm2d)):
        stats = (
            f" track_running_stats=True keeps running_mean and running_var ({c} each) as buffers, which "
            "Keras' GroupNormalization has no place for."
            if module.track_running_stats
            else ""
        )
        text = (
            f"{info.layer_type}({c}) normalizes each of the {c} channels of each example: "
            f"GroupNormalization(groups=-1) in Keras, with {'γ and β' if module.affine else 'no weights'} "
            f"(affine={module.affine}).{stats}"
        )
        diffs.append(difference("instance_norm", text))
    return [norm], _last(info, info.input_shape), diffs


def _layernorm(module: nn.LayerNorm, info: LayerInfo) -> Built:
    shape = info.input_shape
    k = len(module.normalized_shape)
    axes = list(range(len(shape) - k + 1, len(shape) + 1))
    ln = class_for(info, Dialect.KERAS)(
        axis=axes if k > 1 else -1,
        center=module.elementwise_affine and module.bias,
        scale=module.elementwise_affine,
    )
    return [ln], shape, []


TorchPool = nn.MaxPool2d | nn.AvgPool2d | nn.MaxPool1d | nn.AvgPool1d


def _pool(module: TorchPool | nn.AdaptiveAvgPool2d | nn.AdaptiveMaxPool2d, info: LayerInfo) -> Built:
    keras_shape = _last(info, info.input_shape)
    if isinstance(module, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        if tuple(module.output_size) == (1, 1):
            return [class_for(info, Dialect.KERAS)(keepdims=True)], keras_shape, []
        return (
            [],
            keras_shape,
            [difference("no_counterpart", "Keras has no adaptive pooling to sizes other than 1.")],
        )
    if max(module.padding) or max(module.dilation) > 1 or module.ceil_mode:
        text = (
            f"padding={module.padding}, dilation={module.dilation}, ceil_mode={module.ceil_mode} "
            "have no Keras equivalent: Keras pools 'valid' or 'same' only."
        )
        return [], keras_shape, [difference("pooling_options", text)]
    return [class_for(info, Dialect.KERAS)(module.kernel_size, module.stride)], keras_shape, []


def _reshape(module: Describable, info: LayerInfo) -> Built | None:
    return by_class(
        module, info, ((nn.Flatten, _flatten), (nn.Upsample, _upsample), (nn.Unflatten, _reshape_to))
    )


def _upsample(module: nn.Upsample, info: LayerInfo) -> Built:
    keras_shape = _last(info, info.input_shape)
    spatial, _ = info.split(info.input_shape)
    factors = module.scale_factor or ()
    whole = all(float(f).is_integer() for f in factors) and len(factors) in (1, len(spatial))
    modes = ("nearest", "bilinear", "bicubic", "area") if len(spatial) == 2 else ("nearest",)
    if module.size is not None or not whole or module.mode not in modes or len(spatial) > 2:
        given = f"size={module.size}" if module.size is not None else f"scale_factor={module.scale_factor}"
        text = (
            f"{given}, mode={module.mode!r} on {len(spatial)} spatial axes: Keras' UpSampling1D/2D repeat "
            "each axis a whole number of times ('nearest'; 2-D also bilinear, bicubic, area)."
        )
        return [], None, [difference("upsampling", text)]
    sizes = tuple(int(f) for f in factors) * (len(spatial) if len(factors) == 1 else 1)
    if len(spatial) == 1:
        # one spatial axis: Keras' 1-D layer (the table's row is the 2-D one, which PyTorch shares)
        return [layers.UpSampling1D(sizes[0])], keras_shape, []
    up = class_for(info, Dialect.KERAS)(sizes, interpolation=module.mode)
    return [up], keras_shape, []


def _reshape_to(module: nn.Unflatten, info: LayerInfo) -> Built:
    target = info.output_shape
    text = (
        f"Unflatten({module.dim}, {module.unflattened_size}) gives {target}; Keras' Reshape takes that "
        f"whole shape, Reshape({target})."
    )
    return [class_for(info, Dialect.KERAS)(target)], info.input_shape, [difference("reshape_axes", text)]


def _flatten(module: nn.Flatten, info: LayerInfo) -> Built:
    shape = info.input_shape
    rank = len(shape) + 1
    if (module.start_dim % rank, module.end_dim % rank) != (1, rank - 1):
        return (
            [],
            None,
            [difference("no_counterpart", "Keras' Flatten always flattens every axis but the batch.")],
        )
    return (
        [class_for(info, Dialect.KERAS)()],
        _last(info, shape),
        flatten_order(shape, Dialect.TORCH, info.output_shape[0]),
    )


def _dropout(module: nn.Dropout, info: LayerInfo) -> Built:
    return [class_for(info, Dialect.KERAS)(module.p)], _last(info, info.input_shape), []


def _embedding(module: nn.Embedding, info: LayerInfo) -> Built:
    return [class_for(info, Dialect.KERAS)(module.num_embeddings, module.embedding_dim)], info.input_shape, []


def _activation(module: Describable, info: LayerInfo) -> Built | None:
    kind = info_kind(info)
    if not kind.keras_activations:
        return None
    activation = layers.Activation(kind.keras_activations[0])
    if "dim" in kind.torch_args:
        # softmax-like: the axis it normalizes stays where it is
        return [activation], info.input_shape, []
    return [activation], _last(info, info.input_shape), []


BUILDERS: Builders = {
    Family.CONV: _conv,
    Family.TRANSPOSE: _transpose,
    Family.DENSE: _dense,
    Family.NORM: _norm,
    Family.POOL: _pool,
    Family.RESHAPE: _reshape,
    Family.DROPOUT: _dropout,
    Family.EMBEDDING: _embedding,
    Family.ACTIVATION: _activation,
    Family.RECURRENT: sequence.torch_recurrent,
    Family.ATTENTION: sequence.torch_attention,
}
