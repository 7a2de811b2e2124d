"""The Keras-dialect base class and the argument and shape helpers every layer shares."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from .._checks import _is_int, fail, rank_error, shape_arg, unknown_arguments
from .._counting import (
    Counted,
)
from .._describe import DescribedLayer
from ..enums import Dialect, Layout
from ..info import Shape

__all__ = ["Layer", "snake_case"]


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


# Keras arguments of the recurrent layers that change neither a count nor a shape.
_RNN_KWARGS = frozenset(
    [
        "activation",
        "recurrent_activation",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "use_cudnn",
        "zero_output_for_mask",
    ]
)


# Every keyword argument some Keras layer accepts that changes neither a count nor a shape: the
# union of the per-family sets above and the names only single classes take (convwidget.frameworks
# filters Keras configs with it).
_NO_EFFECT = (
    _BASE_KWARGS
    | _CONV_KWARGS
    | _DEPTHWISE_KWARGS
    | _NORM_KWARGS
    | _RNN_KWARGS
    | frozenset(
        [
            "moving_mean_initializer",
            "moving_variance_initializer",
            "momentum",
            "synchronized",
            "embeddings_initializer",
            "embeddings_regularizer",
            "embeddings_constraint",
            "mask_zero",
            "noise_shape",
            "input_length",
            "batch_input_shape",
            "batch_size",
            "weights",
            "lora_rank",
            "lora_alpha",
            "quantization_config",
            "sparse",
            "ragged",
            "pointwise_initializer",
            "pointwise_regularizer",
            "pointwise_constraint",
            "attention_axes",
            "flash_attention",
        ]
    )
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
            raise unknown_arguments(
                type(self).__name__,
                [given],
                f"keras.layers.{type(self).__name__} does not take them "
                "(Keras raises 'Unrecognized keyword arguments')",
                f"use the argument names of keras.layers.{type(self).__name__}",
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
        raise rank_error(layer, shape, str(rank + 1), layout)
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
