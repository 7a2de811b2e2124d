"""Keras normalisation layers: BatchNormalization and LayerNormalization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .._checks import _is_int, bool_arg, fail
from .._counting import (
    Counted,
    batchnorm_counts,
    layernorm_counts,
)
from .._describe import Computed
from ..enums import Layout
from ..formula import Factor, Product, Sum, Terms
from ..info import Shape
from ._base import _NORM_KWARGS, Layer, _axes

__all__ = ["BatchNormalization", "LayerNormalization"]


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
