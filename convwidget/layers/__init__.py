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

from ._base import _NO_EFFECT as _NO_EFFECT  # read by convwidget.frameworks
from ._base import Layer, snake_case
from .attention import MultiHeadAttention
from .conv import (
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
)
from .core import (
    Activation,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    Input,
    InputLayer,
    Rescaling,
    SpatialDropout2D,
)
from .norm import BatchNormalization, GroupNormalization, LayerNormalization, Normalization, UnitNormalization
from .recurrent import GRU, LSTM, Bidirectional, SimpleRNN
from .shape import Permute, RepeatVector, Reshape
from .spatial import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding2D,
)

__all__ = [
    "GRU",
    "LSTM",
    "Activation",
    "AveragePooling1D",
    "AveragePooling2D",
    "BatchNormalization",
    "Bidirectional",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Dense",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "Dropout",
    "Embedding",
    "Flatten",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GroupNormalization",
    "Input",
    "InputLayer",
    "Layer",
    "LayerNormalization",
    "MaxPooling1D",
    "MaxPooling2D",
    "MultiHeadAttention",
    "Normalization",
    "Permute",
    "RepeatVector",
    "Rescaling",
    "Reshape",
    "SeparableConv1D",
    "SeparableConv2D",
    "SimpleRNN",
    "SpatialDropout2D",
    "UnitNormalization",
    "UpSampling1D",
    "UpSampling2D",
    "ZeroPadding2D",
    "snake_case",
]
