"""The PyTorch dialect: modules built with ``torch.nn``'s arguments, counted without PyTorch.

Shapes are channels_first and never include the batch axis, so ``Conv2d``
takes ``(C, H, W)``::

    >>> from convwidget import nn
    >>> nn.Conv2d(32, 63, 3).describe((32, 26, 26)).terms.text
    '(3·3·32 + 1)·63 = 18,207'

Every argument keeps its PyTorch meaning and default. Impossible arguments
raise :class:`~convwidget.ConfigError` when the module is built; a mismatch
with the input raises it from :meth:`Module.describe`. Where PyTorch and
Keras disagree (BatchNorm counts, 'same' padding with a stride, transposed
output sizes, weight layouts, Flatten's element order),
:mod:`convwidget.compare` says how.

Deliberate refusals, although PyTorch would build and run them: zero-size
outputs (``out_channels=0``, ``out_features=0``, ``embedding_dim=0``,
``output_size=0``), ``Flatten(start_dim=0)`` (it merges the batch axis, which
our shapes leave out), a BatchNorm whose ``num_features`` differs from the
input's channels (PyTorch only notices when it keeps γ, β or running
statistics), and inputs of the wrong rank (PyTorch would read the batch axis
of an unbatched input as channels). The same goes for GroupNorm and
InstanceNorm1d/2d channels, ``Unflatten(dim=0)``, and the ranks of the
recurrent and attention modules (``(T, F)``), their cells (``(F,)``),
Dropout2d (``(C, H, W)``) and PixelShuffle (at least ``(C, H, W)``).
"""

from __future__ import annotations

# torch.nn.Sequential: the model class lives with the Keras Sequential in convwidget.model.
from ..model import TorchSequential as Sequential
from ._base import Module
from .activation import (
    ELU,
    GELU,
    SELU,
    Hardswish,
    Identity,
    LeakyReLU,
    LogSoftmax,
    Mish,
    PReLU,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from .attention import MultiheadAttention, TransformerEncoderLayer
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .core import Dropout, Dropout2d, Embedding, Flatten, Linear
from .norm import BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d, LayerNorm
from .pool import AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from .recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from .shape import PixelShuffle, Unflatten, Upsample

__all__ = [
    "ELU",
    "GELU",
    "GRU",
    "LSTM",
    "RNN",
    "SELU",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Dropout",
    "Dropout2d",
    "Embedding",
    "Flatten",
    "GRUCell",
    "GroupNorm",
    "Hardswish",
    "Identity",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "LSTMCell",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MaxPool1d",
    "MaxPool2d",
    "Mish",
    "Module",
    "MultiheadAttention",
    "PReLU",
    "PixelShuffle",
    "RNNCell",
    "ReLU",
    "ReLU6",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
    "TransformerEncoderLayer",
    "Unflatten",
    "Upsample",
]
