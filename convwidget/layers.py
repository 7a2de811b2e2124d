"""The Keras dialect: layers built with ``keras.layers``' arguments, counted without Keras.

Shapes are channels_last by default and never include the batch axis::

    >>> from convwidget.layers import Conv2D
    >>> Conv2D(63, (3, 3), activation="relu").describe((26, 26, 32)).terms.text
    '(3·3·32 + 1)·63 = 18,207'

Arguments that change neither counts nor shapes (activation, initializers,
regularizers, constraints, ``input_shape``…) are accepted and kept in
``layer.config``. Impossible arguments raise :class:`~convwidget.ConfigError`
when the layer is built; a mismatch with the input raises it from
:meth:`Layer.describe`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from . import _arith
from ._checks import _is_int, bool_arg, fail, int_arg, int_tuple, shape_arg
from ._counting import (
    Counted,
    batchnorm_counts,
    conv_counts,
    dense_counts,
    depthwise_counts,
    embedding_counts,
    layernorm_counts,
    separable_counts,
    transpose_counts,
)
from ._describe import NOTHING, Computed, DescribedLayer
from .enums import Dialect, Layout
from .errors import ConfigError
from .formula import Factor, Product, Sum, Terms
from .info import KernelGeometry, Shape

__all__ = [
    "Activation",
    "AveragePooling2D",
    "BatchNormalization",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Dense",
    "DepthwiseConv2D",
    "Dropout",
    "Embedding",
    "Flatten",
    "GlobalAveragePooling2D",
    "Input",
    "InputLayer",
    "Layer",
    "LayerNormalization",
    "MaxPooling2D",
    "SeparableConv2D",
    "UpSampling2D",
    "ZeroPadding2D",
    "snake_case",
]

# Every keyword argument some Keras layer accepts that changes neither a count nor a shape (the
# union of the per-class sets below; convwidget.frameworks filters Keras configs with it).
_NO_EFFECT = frozenset(
    [
        "activation",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "depthwise_initializer",
        "pointwise_initializer",
        "depthwise_regularizer",
        "pointwise_regularizer",
        "depthwise_constraint",
        "pointwise_constraint",
        "beta_initializer",
        "gamma_initializer",
        "moving_mean_initializer",
        "moving_variance_initializer",
        "beta_regularizer",
        "gamma_regularizer",
        "beta_constraint",
        "gamma_constraint",
        "momentum",
        "epsilon",
        "synchronized",
        "embeddings_initializer",
        "embeddings_regularizer",
        "embeddings_constraint",
        "mask_zero",
        "seed",
        "noise_shape",
        "dtype",
        "autocast",
        "input_dim",
        "input_length",
        "batch_input_shape",
        "batch_size",
        "weights",
        "lora_rank",
        "lora_alpha",
        "quantization_config",
        "sparse",
        "ragged",
    ]
)


# What keras.layers.Layer.__init__ itself takes, so every layer accepts it. Each class adds its
# own: Keras 3 raises "Unrecognized keyword arguments" for anything else (Dense(momentum=…)).
_BASE_KWARGS = frozenset(["activity_regularizer", "dtype", "autocast", "input_dim"])
_CONV_KWARGS = frozenset(
    [
        "activation",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "bias_constraint",
    ]
)
_DEPTHWISE_KWARGS = frozenset(
    [
        "activation",
        "depthwise_initializer",
        "depthwise_regularizer",
        "depthwise_constraint",
        "bias_initializer",
        "bias_regularizer",
        "bias_constraint",
    ]
)
_NORM_KWARGS = frozenset(
    [
        "epsilon",
        "beta_initializer",
        "gamma_initializer",
        "beta_regularizer",
        "gamma_regularizer",
        "beta_constraint",
        "gamma_constraint",
    ]
)


def snake_case(name: str) -> str:
    """Keras' automatic layer-name stem for a class name: ``MaxPooling2D`` → ``max_pooling2d``."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


class Layer(DescribedLayer):
    """Base of every Keras-dialect layer.

    Parameters
    ----------
    name : str, optional
        The layer's name; a model names unnamed layers as Keras would.
    trainable : bool
        ``False`` makes every weight non-trainable, as in Keras.
    input_shape : tuple of int, optional
        Input shape without the batch axis, used by the first layer of a model.
    **kwargs
        Keras arguments that change neither counts nor shapes; only those the
        Keras class takes (its ``_kwargs`` and what every Keras layer takes).
        ``input_dim=n`` means ``input_shape=(n,)``, as in Keras.
    """

    dialect = Dialect.KERAS
    _too_small_fix = "use a larger input, a smaller kernel or pool, or padding='same'"
    _kwargs: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        *,
        name: str | None = None,
        trainable: bool = True,
        input_shape: Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        unknown = sorted(set(kwargs) - _BASE_KWARGS - self._kwargs)
        if unknown:
            given = ", ".join(f"{k}={kwargs[k]!r}" for k in unknown)
            raise ConfigError(
                f"{type(self).__name__}: unknown argument(s) {given}; keras.layers.{type(self).__name__} "
                "does not take them (Keras raises 'Unrecognized keyword arguments'). "
                f"Fix: use the argument names of keras.layers.{type(self).__name__}."
            )
        if name is not None and (not isinstance(name, str) or not name):
            raise fail(type(self).__name__, "name", name, "it must be a non-empty string")
        if not isinstance(trainable, bool):
            raise fail(type(self).__name__, "trainable", trainable, "it must be True or False")
        if kwargs.get("lora_rank"):
            raise fail(
                type(self).__name__,
                "lora_rank",
                kwargs["lora_rank"],
                "LoRA weights are not counted by convwidget; leave it None",
            )
        self.name = name
        self.trainable = trainable
        self.config: dict[str, Any] = dict(kwargs)
        self.input_shape: Shape | None = None
        if input_shape is None and kwargs.get("input_dim") is not None and "input_dim" not in self._kwargs:
            input_shape = (kwargs["input_dim"],)
        if input_shape is not None:
            self.input_shape = shape_arg(self._label, tuple(input_shape))

    def _non_trainable(self, counted: Counted) -> int:
        if not self.trainable:
            return counted.terms.total
        return self._statistics(counted)

    def _statistics(self, counted: Counted) -> int:
        """Weights Keras keeps out of training even when the layer trains (moving statistics)."""
        return 0

    def _layout(self, shape: Shape) -> Layout:
        if self.kind.features_last:
            return Layout.CHANNELS_LAST
        return Layout(getattr(self, "data_format", Layout.CHANNELS_LAST))

    def __repr__(self) -> str:
        return f"<convwidget.layers.{type(self).__name__} {self.name or ''}>".replace(" >", ">")


def _data_format(layer: str, value: str | None) -> str:
    if value is None:
        return "channels_last"
    if value not in ("channels_last", "channels_first"):
        raise fail(layer, "data_format", value, "it must be 'channels_last' or 'channels_first'")
    return value


def _padding(layer: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise fail(layer, "padding", value, "it must be one of " + ", ".join(repr(a) for a in allowed))
    return value.lower()


def _split(layer: str, shape: Shape, rank: int, data_format: str) -> tuple[Shape, int]:
    """Split an input shape into (spatial dims, channels), checking its rank."""
    if len(shape) != rank + 1:
        layout = "(" + ", ".join(["spatial"] * rank) + ", channels)"
        if data_format == "channels_first":
            layout = "(channels, " + ", ".join(["spatial"] * rank) + ")"
        raise fail(
            layer,
            "input_shape",
            shape,
            f"it must have rank {rank + 1} {layout} without the batch axis, not rank {len(shape)}",
        )
    if data_format == "channels_last":
        return shape[:-1], shape[-1]
    return shape[1:], shape[0]


def _join(spatial: Sequence[int], channels: int, data_format: str) -> Shape:
    if data_format == "channels_last":
        return (*spatial, channels)
    return (channels, *spatial)


def _check_stride_dilation(layer: str, strides: Shape, dilation_rate: Shape) -> None:
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise fail(
            layer,
            "strides",
            strides,
            f"Keras refuses strides > 1 together with dilation_rate > 1 (dilation_rate={dilation_rate})",
            "set strides=1 or dilation_rate=1",
        )


def _check_valid_fits(layer: str, arg: str, spatial: Shape, needed: Sequence[int], what: str) -> None:
    for n, k in zip(spatial, needed):
        if k > n:
            raise fail(
                layer,
                arg,
                tuple(needed) if len(needed) > 1 else needed[0],
                f"with padding='valid' the {what} ({k}) must fit in the input, whose spatial size is "
                f"{spatial}; it must be at most {n}",
                "use a smaller value, a larger input, or padding='same'",
            )


class _Conv(Layer):
    _kwargs = _CONV_KWARGS
    rank: ClassVar[int] = 2
    paddings: ClassVar[tuple[str, ...]] = ("valid", "same")

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, **kwargs)
        label = self._label
        self.filters = int_arg(label, "filters", filters)
        self.kernel_size = int_tuple(label, "kernel_size", kernel_size, self.rank)
        self.strides = int_tuple(label, "strides", strides, self.rank)
        self.padding = _padding(label, padding, self.paddings)
        self.data_format = _data_format(label, data_format)
        self.dilation_rate = int_tuple(label, "dilation_rate", dilation_rate, self.rank)
        self.groups = int_arg(label, "groups", groups)
        self.use_bias = bool_arg(label, "use_bias", use_bias)
        if self.filters % self.groups:
            raise fail(
                label,
                "groups",
                groups,
                f"filters ({self.filters}) must be divisible by groups",
                f"use a divisor of {self.filters}",
            )
        _check_stride_dilation(label, self.strides, self.dilation_rate)

    def _compute(self, shape: Shape) -> Computed:
        label = self._label
        spatial, cin = _split(label, shape, self.rank, self.data_format)
        if cin % self.groups:
            raise fail(
                label,
                "groups",
                self.groups,
                f"the input's {cin} channels must be divisible by groups",
                f"use a divisor of both {cin} and {self.filters}",
            )
        if self.padding == "valid":
            spans = [_arith.effective_kernel(k, d) for k, d in zip(self.kernel_size, self.dilation_rate)]
            _check_valid_fits(
                label,
                "kernel_size",
                spatial,
                spans,
                "dilated kernel" if max(self.dilation_rate) > 1 else "kernel",
            )
        out = [
            _arith.keras_conv_length(n, k, s, self.padding, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        ]
        counted = conv_counts(self.kernel_size, cin, self.filters, self.groups, self.use_bias)
        geometry = KernelGeometry(
            self.kind.family, self.kernel_size, cin, self.filters, self.groups, self.use_bias
        )
        return Computed(_join(out, self.filters, self.data_format), counted, geometry)


class Conv1D(_Conv):
    """1-D convolution, as ``keras.layers.Conv1D``; also ``padding='causal'`` (output length ⌈n/s⌉)."""

    rank = 1
    paddings = ("valid", "same", "causal")


class Conv2D(_Conv):
    """2-D convolution, as ``keras.layers.Conv2D``.

    Each of the ``filters`` kernels is ``kh×kw×(Cin/groups)`` plus one bias,
    so the count is ``(kh·kw·Cin/groups + 1)·filters``; strides, padding and
    dilation change the output shape, never the count.
    """

    rank = 2


class Conv3D(_Conv):
    """3-D convolution, as ``keras.layers.Conv3D``."""

    rank = 3


class _ConvTranspose(Layer):
    _kwargs = _CONV_KWARGS
    rank: ClassVar[int] = 2

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        output_padding: int | Sequence[int] | None = None,
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, **kwargs)
        label = self._label
        self.filters = int_arg(label, "filters", filters)
        self.kernel_size = int_tuple(label, "kernel_size", kernel_size, self.rank)
        self.strides = int_tuple(label, "strides", strides, self.rank)
        self.padding = _padding(label, padding, ("valid", "same"))
        self.output_padding = (
            None
            if output_padding is None
            else int_tuple(label, "output_padding", output_padding, self.rank, minimum=0)
        )
        self.data_format = _data_format(label, data_format)
        self.dilation_rate = int_tuple(label, "dilation_rate", dilation_rate, self.rank)
        self.use_bias = bool_arg(label, "use_bias", use_bias)
        if self.output_padding is not None:
            for op, s in zip(self.output_padding, self.strides):
                if op >= s:
                    raise fail(
                        label,
                        "output_padding",
                        self.output_padding,
                        f"each entry must be smaller than the stride (strides={self.strides})",
                        "use 0 ≤ output_padding < strides, or leave it None",
                    )
        _check_stride_dilation(label, self.strides, self.dilation_rate)

    def _compute(self, shape: Shape) -> Computed:
        spatial, cin = _split(self._label, shape, self.rank, self.data_format)
        ops = self.output_padding or (None,) * self.rank
        out = [
            _arith.keras_deconv_length(n, k, s, self.padding, op, d)
            for n, k, s, op, d in zip(spatial, self.kernel_size, self.strides, ops, self.dilation_rate)
        ]
        counted = transpose_counts(self.kernel_size, cin, self.filters, 1, self.use_bias)
        geometry = KernelGeometry(self.kind.family, self.kernel_size, cin, self.filters, 1, self.use_bias)
        return Computed(_join(out, self.filters, self.data_format), counted, geometry)


class Conv1DTranspose(_ConvTranspose):
    """1-D transposed convolution, as ``keras.layers.Conv1DTranspose``.

    Keras computes the output length in a way that surprises: with
    ``output_padding`` unset and padding 'valid' it is ``(n − 1)·s + max(k, s)``
    (a kernel smaller than the stride still fills the stride), and with
    'same' it is ``n·s``. convwidget follows Keras exactly.
    """

    rank = 1


class Conv2DTranspose(_ConvTranspose):
    """2-D transposed convolution, as ``keras.layers.Conv2DTranspose``.

    The kernel is stored as ``(kh, kw, filters, Cin)``. Output size follows
    Keras exactly: with ``output_padding`` unset, 'valid' gives
    ``(n − 1)·s + max(k, s)`` per axis and 'same' gives ``n·s``.
    """

    rank = 2


class Conv3DTranspose(_ConvTranspose):
    """3-D transposed convolution, as ``keras.layers.Conv3DTranspose`` (same output rule as 2-D)."""

    rank = 3


class DepthwiseConv2D(Layer):
    """Depthwise 2-D convolution, as ``keras.layers.DepthwiseConv2D``.

    Every input channel gets ``depth_multiplier`` kernels of one ``kh×kw``
    slice each: ``(kh·kw + 1)·Cin·depth_multiplier`` parameters.

    Unlike ``Conv2D``, Keras 3 accepts ``strides > 1`` together with
    ``dilation_rate > 1`` here (and in ``SeparableConv2D``); the output is
    then ``⌊(n − d·(k − 1) − 1) / s⌋ + 1`` under 'valid', as in PyTorch.
    """

    _kwargs = _DEPTHWISE_KWARGS

    def __init__(
        self,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(activation=activation, **kwargs)
        label = self._label
        self.kernel_size = int_tuple(label, "kernel_size", kernel_size, 2)
        self.strides = int_tuple(label, "strides", strides, 2)
        self.padding = _padding(label, padding, ("valid", "same"))
        self.depth_multiplier = int_arg(label, "depth_multiplier", depth_multiplier)
        self.data_format = _data_format(label, data_format)
        self.dilation_rate = int_tuple(label, "dilation_rate", dilation_rate, 2)
        self.use_bias = bool_arg(label, "use_bias", use_bias)

    def _spatial_out(self, spatial: Shape) -> list[int]:
        if self.padding == "valid":
            spans = [_arith.effective_kernel(k, d) for k, d in zip(self.kernel_size, self.dilation_rate)]
            _check_valid_fits(self._label, "kernel_size", spatial, spans, "kernel")
        return [
            _arith.keras_conv_length(n, k, s, self.padding, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        ]

    def _compute(self, shape: Shape) -> Computed:
        spatial, cin = _split(self._label, shape, 2, self.data_format)
        out = self._spatial_out(spatial)
        counted = depthwise_counts(self.kernel_size, cin, self.depth_multiplier, self.use_bias)
        cout = cin * self.depth_multiplier
        geometry = KernelGeometry(
            self.kind.family, self.kernel_size, cin, cout, cin, self.use_bias, self.depth_multiplier
        )
        return Computed(_join(out, cout, self.data_format), counted, geometry)


class SeparableConv2D(DepthwiseConv2D):
    """Depthwise-separable 2-D convolution, as ``keras.layers.SeparableConv2D``.

    A depthwise stage (``kh·kw·Cin·dm`` weights, no bias) then a 1×1
    convolution to ``filters`` channels with the bias:
    ``kh·kw·Cin·dm + (Cin·dm + 1)·filters``.
    """

    _kwargs = _DEPTHWISE_KWARGS | {"pointwise_initializer", "pointwise_regularizer", "pointwise_constraint"}

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            kernel_size,
            strides=strides,
            padding=padding,
            depth_multiplier=depth_multiplier,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            **kwargs,
        )
        self.filters = int_arg(self._label, "filters", filters)

    def _compute(self, shape: Shape) -> Computed:
        spatial, cin = _split(self._label, shape, 2, self.data_format)
        out = self._spatial_out(spatial)
        counted = separable_counts(self.kernel_size, cin, self.depth_multiplier, self.filters, self.use_bias)
        geometry = KernelGeometry(
            self.kind.family, self.kernel_size, cin, self.filters, 1, self.use_bias, self.depth_multiplier
        )
        return Computed(_join(out, self.filters, self.data_format), counted, geometry)


class Dense(Layer):
    """Fully connected layer, as ``keras.layers.Dense``.

    It acts on the last axis of an input of any rank: ``(in + 1)·units``
    parameters, output shape ``input_shape[:-1] + (units,)``.
    """

    _kwargs = _CONV_KWARGS | {"lora_rank", "lora_alpha", "quantization_config"}

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(activation=activation, **kwargs)
        self.units = int_arg(self._label, "units", units)
        self.use_bias = bool_arg(self._label, "use_bias", use_bias)

    def _compute(self, shape: Shape) -> Computed:
        counted = dense_counts(shape[-1], self.units, self.use_bias)
        geometry = KernelGeometry(self.kind.family, (), shape[-1], self.units, 1, self.use_bias)
        return Computed((*shape[:-1], self.units), counted, geometry)


def _axes(layer: str, axis: Any, rank: int) -> list[int]:
    """Map Keras axes (counted with the batch axis) to indices into a shape without it.

    The indices come in the order of Keras' ``sorted(axis)`` on the values as
    written, so ``[-1, 1]`` gives the last axis first, as Keras does. The batch
    axis (0, or ``-(rank + 1)``) is refused on purpose: Keras accepts it and
    sizes the weights by the batch size. The same axis twice is refused, as
    Keras fails on it when the layer is called.
    """
    items = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    valid = f"each axis must be in 1..{rank} or -{rank}..-1 (axis 0 is the batch axis)"
    if not items:
        raise fail(layer, "axis", axis, "it must name at least one axis; " + valid)
    for a in items:
        if not _is_int(a) or a == 0 or not -rank <= a <= rank:
            raise fail(layer, "axis", axis, valid)
    out = [a - 1 if a > 0 else rank + a for a in sorted(items)]
    if len(set(out)) != len(out):
        raise fail(layer, "axis", axis, f"each axis may appear only once (input rank {rank}); " + valid)
    return out


class BatchNormalization(Layer):
    """Batch normalization, as ``keras.layers.BatchNormalization``.

    Keras counts ``4·C`` parameters for ``C`` channels: γ and β are trainable
    (each dropped by ``scale=False`` / ``center=False``), while the moving
    mean and moving variance (``2·C``) are non-trainable parameters. PyTorch
    counts only γ and β and keeps the running statistics as buffers.

    With ``renorm=True`` (batch renormalization) Keras keeps three more
    non-trainable vectors, ``moving_stddev``, ``renorm_mean`` and
    ``renorm_stddev``: ``7·C`` in all, ``5·C`` of them non-trainable.
    """

    _kwargs = _NORM_KWARGS | {
        "momentum",
        "moving_mean_initializer",
        "moving_variance_initializer",
        "renorm_clipping",
        "renorm_momentum",
        "synchronized",
    }
    _RENORM_WEIGHTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("moving_stddev", "moving stddev"),
        ("renorm_mean", "renorm mean"),
        ("renorm_stddev", "renorm stddev"),
    )

    def __init__(
        self,
        axis: int = -1,
        center: bool = True,
        scale: bool = True,
        renorm: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not _is_int(axis):
            raise fail(self._label, "axis", axis, "it must be one integer")
        self.axis = int(axis)
        self.center = bool_arg(self._label, "center", center)
        self.scale = bool_arg(self._label, "scale", scale)
        self.renorm = bool_arg(self._label, "renorm", renorm)

    def _compute(self, shape: Shape) -> Computed:
        (ax,) = _axes(self._label, self.axis, len(shape))
        channels = shape[ax]
        counted = batchnorm_counts(channels, self.center, self.scale, True)
        if not self.renorm:
            return Computed(shape, counted)
        vectors = [("scale γ", self.scale), ("offset β", self.center), ("moving mean", True)]
        vectors += [("moving variance", True), *((label, True) for _, label in self._RENORM_WEIGHTS)]
        per_channel = Sum(tuple(Factor(label, 1, "1") for label, on in vectors if on))
        terms = Terms(Product((per_channel, Factor("channels", channels, "C"))))
        keras = dict(counted.keras)
        keras.update({name: (channels,) for name, _ in self._RENORM_WEIGHTS})
        return Computed(shape, Counted(terms, keras, counted.torch))

    def _statistics(self, counted: Counted) -> int:
        return (5 if self.renorm else 2) * counted.keras["moving_mean"][0]

    def _layout(self, shape: Shape) -> Layout:
        # The normalised axis is the channel axis: axis=1 on an image is channels_first.
        (ax,) = _axes(self._label, self.axis, len(shape))
        return Layout.CHANNELS_FIRST if ax == 0 and len(shape) > 1 else Layout.CHANNELS_LAST


class LayerNormalization(Layer):
    """Layer normalization, as ``keras.layers.LayerNormalization``.

    γ and β each have the shape of the normalized axes. With
    ``rms_scaling=True`` Keras keeps γ only, whatever ``center`` and ``scale`` say.

    Two Keras surprises: the normalized shape follows ``sorted(axis)`` on the
    values as written, so ``axis=[-1, 1]`` on ``(4, 5, 3)`` gives γ of shape
    ``(3, 4)``, not ``(4, 3)``; and Keras 3.15 with the torch backend fails
    when called on axes that are not the trailing ones (a backend bug; JAX and
    TensorFlow run them). convwidget describes such layers as Keras builds them.
    """

    _kwargs = _NORM_KWARGS

    def __init__(
        self,
        axis: int | Sequence[int] = -1,
        center: bool = True,
        scale: bool = True,
        rms_scaling: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.axis = axis
        self.center = bool_arg(self._label, "center", center)
        self.scale = bool_arg(self._label, "scale", scale)
        self.rms_scaling = bool_arg(self._label, "rms_scaling", rms_scaling)

    def _compute(self, shape: Shape) -> Computed:
        axes = _axes(self._label, self.axis, len(shape))
        norm_shape = tuple(shape[a] for a in axes)
        gamma = self.scale or self.rms_scaling
        beta = self.center and not self.rms_scaling
        return Computed(shape, layernorm_counts(norm_shape, gamma, beta))


class _Pooling2D(Layer):
    def __init__(
        self,
        pool_size: int | Sequence[int] = (2, 2),
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.pool_size = int_tuple(label, "pool_size", pool_size, 2)
        self.strides = self.pool_size if strides is None else int_tuple(label, "strides", strides, 2)
        self.padding = _padding(label, padding, ("valid", "same"))
        self.data_format = _data_format(label, data_format)

    def _compute(self, shape: Shape) -> Computed:
        spatial, c = _split(self._label, shape, 2, self.data_format)
        if self.padding == "valid":
            _check_valid_fits(self._label, "pool_size", spatial, self.pool_size, "pool window")
        out = [
            _arith.keras_pool_length(n, p, s, self.padding)
            for n, p, s in zip(spatial, self.pool_size, self.strides)
        ]
        return Computed(_join(out, c, self.data_format), NOTHING)


class MaxPooling2D(_Pooling2D):
    """2-D max pooling, as ``keras.layers.MaxPooling2D``; ``strides`` defaults to ``pool_size``."""


class AveragePooling2D(_Pooling2D):
    """2-D average pooling, as ``keras.layers.AveragePooling2D``; ``strides`` defaults to ``pool_size``.

    Unlike ``MaxPooling2D``, Keras 3's ``AveragePooling2D`` has no default
    ``pool_size``: leaving it out is a TypeError in Keras and a ConfigError here.
    """

    def __init__(
        self,
        pool_size: int | Sequence[int] | None = None,
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        if pool_size is None:
            label = f"AveragePooling2D '{kwargs['name']}'" if kwargs.get("name") else "AveragePooling2D"
            raise fail(
                label,
                "pool_size",
                pool_size,
                "Keras 3 requires it for AveragePooling2D (it has no default, unlike MaxPooling2D)",
                "pass pool_size=(2, 2) for the usual halving",
            )
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class GlobalAveragePooling2D(Layer):
    """Global average over the two spatial axes, as ``keras.layers.GlobalAveragePooling2D``."""

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(self._label, data_format)
        self.keepdims = bool_arg(self._label, "keepdims", keepdims)

    def _compute(self, shape: Shape) -> Computed:
        _, c = _split(self._label, shape, 2, self.data_format)
        out = _join((1, 1), c, self.data_format) if self.keepdims else (c,)
        return Computed(out, NOTHING)


class Flatten(Layer):
    """Flatten all axes but the batch axis, as ``keras.layers.Flatten``.

    With ``data_format='channels_first'`` Keras first moves channels last, so
    the element order matches channels_last models; the length is the same.
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(self._label, data_format)

    def _compute(self, shape: Shape) -> Computed:
        size = 1
        for d in shape:
            size *= d
        return Computed((size,), NOTHING)


class Dropout(Layer):
    """Dropout, as ``keras.layers.Dropout``: no weights, shape unchanged."""

    _kwargs = frozenset(["noise_shape", "seed"])

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(noise_shape=noise_shape, seed=seed, **kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise fail(self._label, "rate", rate, "it must be a number from 0 to 1")
        self.rate = float(rate)


class Activation(Layer):
    """An activation function as a layer, as ``keras.layers.Activation``: no weights."""

    _kwargs = frozenset(["activation"])

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(activation=activation, **kwargs)
        self.activation = activation


class Embedding(Layer):
    """Embedding table, as ``keras.layers.Embedding``: ``input_dim·output_dim`` parameters.

    The output shape is the input shape (of integer ids) plus ``output_dim``.
    """

    _kwargs = frozenset(
        [
            "embeddings_initializer",
            "embeddings_regularizer",
            "embeddings_constraint",
            "mask_zero",
            "weights",
            "lora_rank",
            "lora_alpha",
            "quantization_config",
            "input_length",
        ]
    )

    def __init__(self, input_dim: int, output_dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.input_dim = int_arg(self._label, "input_dim", input_dim)
        self.output_dim = int_arg(self._label, "output_dim", output_dim)

    def _compute(self, shape: Shape) -> Computed:
        return Computed((*shape, self.output_dim), embedding_counts(self.input_dim, self.output_dim))


class ZeroPadding2D(Layer):
    """Zero padding of the two spatial axes, as ``keras.layers.ZeroPadding2D``.

    ``padding`` is an int, ``(symmetric_h, symmetric_w)`` or
    ``((top, bottom), (left, right))``.
    """

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        label = self._label
        valid = "it must be an int, a tuple of 2 ints or a tuple of 2 tuples of 2 ints, all >= 0"
        if _is_int(padding):
            pads = ((padding, padding), (padding, padding))
        elif isinstance(padding, Sequence) and len(padding) == 2:
            pads_list = []
            for p in padding:
                if _is_int(p):
                    pads_list.append((p, p))
                elif isinstance(p, Sequence) and len(p) == 2 and all(_is_int(v) for v in p):
                    pads_list.append(tuple(p))
                else:
                    raise fail(label, "padding", padding, valid)
            pads = tuple(pads_list)  # type: ignore[assignment]
        else:
            raise fail(label, "padding", padding, valid)
        if any(v < 0 for pair in pads for v in pair):
            raise fail(label, "padding", padding, valid)
        self.padding: tuple[tuple[int, int], tuple[int, int]] = tuple(tuple(int(v) for v in p) for p in pads)  # type: ignore[assignment]
        self.data_format = _data_format(label, data_format)

    def _compute(self, shape: Shape) -> Computed:
        spatial, c = _split(self._label, shape, 2, self.data_format)
        out = [n + a + b for n, (a, b) in zip(spatial, self.padding)]
        return Computed(_join(out, c, self.data_format), NOTHING)


class UpSampling2D(Layer):
    """Repeat rows and columns, as ``keras.layers.UpSampling2D``: spatial sizes times ``size``."""

    _INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")

    def __init__(
        self,
        size: int | Sequence[int] = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.size = int_tuple(self._label, "size", size, 2)
        self.data_format = _data_format(self._label, data_format)
        if not isinstance(interpolation, str) or interpolation.lower() not in self._INTERPOLATIONS:
            raise fail(
                self._label,
                "interpolation",
                interpolation,
                "it must be one of " + ", ".join(self._INTERPOLATIONS),
            )
        self.interpolation = interpolation.lower()

    def _compute(self, shape: Shape) -> Computed:
        spatial, c = _split(self._label, shape, 2, self.data_format)
        out = [n * k for n, k in zip(spatial, self.size)]
        return Computed(_join(out, c, self.data_format), NOTHING)


class InputLayer(Layer):
    """The input of a model, as ``keras.layers.InputLayer``: it fixes the input shape."""

    _kwargs = frozenset(
        ["batch_size", "batch_shape", "batch_input_shape", "sparse", "ragged", "input_tensor", "optional"]
    )

    def __init__(self, shape: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.input_shape = shape_arg(self._label, shape)

    def _compute(self, shape: Shape) -> Computed:
        if shape != self.input_shape:
            raise fail(self._label, "input_shape", shape, f"this input layer takes {self.input_shape}")
        return Computed(shape, NOTHING)


def Input(shape: Sequence[int], name: str | None = None, **kwargs: Any) -> InputLayer:
    """Return an :class:`InputLayer`, as ``keras.Input(shape=...)`` starts a model.

    Parameters
    ----------
    shape : tuple of int
        Input shape without the batch axis, e.g. ``(28, 28, 1)``.
    name : str, optional
        The input's name.

    Returns
    -------
    InputLayer
    """
    return InputLayer(shape, name=name, **kwargs)
