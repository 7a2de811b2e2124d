"""Keras core layers: Dense, Embedding, Flatten, (Spatial)Dropout, Activation, Rescaling, the input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._checks import bool_arg, check_rank, fail, int_arg, number_arg, shape_arg
from .._counting import (
    dense_counts,
    embedding_counts,
)
from .._describe import NOTHING, Computed
from ..info import KernelGeometry, Shape
from ._base import _CONV_KWARGS, Layer, _data_format

__all__ = [
    "Activation",
    "Dense",
    "Dropout",
    "Embedding",
    "Flatten",
    "Input",
    "InputLayer",
    "Rescaling",
    "SpatialDropout2D",
]


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
        self.rate = number_arg(self._label, "rate", rate, 0, 1)


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


class Rescaling(Layer):
    """Multiply by ``scale``, add ``offset``, as ``keras.layers.Rescaling``: no weights, shape unchanged."""

    def __init__(self, scale: float, offset: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for arg, value in (("scale", scale), ("offset", offset)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise fail(self._label, arg, value, "it must be a number, e.g. 1/255")
        self.scale = float(scale)
        self.offset = float(offset)


class SpatialDropout2D(Layer):
    """Drop whole feature maps, as ``keras.layers.SpatialDropout2D``: no weights, shape unchanged.

    The input must be an image, ``(H, W, C)`` (or ``(C, H, W)`` with ``data_format='channels_first'``).
    """

    _kwargs = frozenset(["seed"])

    def __init__(
        self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = number_arg(self._label, "rate", rate, 0, 1)
        self.data_format = _data_format(self._label, data_format)

    def _compute(self, shape: Shape) -> Computed:
        check_rank(self._label, shape, (3,), "(an image with channels)")
        return Computed(shape, NOTHING)
