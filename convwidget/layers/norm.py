"""Keras normalisation layers: Batch-, Layer-, Group- and UnitNormalization, and Normalization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .._checks import _is_int, bool_arg, fail
from .._counting import (
    Counted,
    batchnorm_counts,
    layernorm_counts,
)
from .._counting_seq import normalization_stats_counts
from .._describe import NOTHING, Computed
from ..enums import Layout
from ..formula import Factor, Product, Sum, Terms
from ..info import Shape
from ._base import _NORM_KWARGS, Layer, _axes

__all__ = [
    "BatchNormalization",
    "GroupNormalization",
    "LayerNormalization",
    "Normalization",
    "UnitNormalization",
]


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


class GroupNormalization(Layer):
    """Group normalization, as ``keras.layers.GroupNormalization``: γ and β per channel, ``(1 + 1)·C``.

    The channels (``axis``, default the last) are split into ``groups``
    groups (default 32; ``-1`` means one group per channel), normalised
    together; the count does not depend on the groups, but ``groups`` must
    divide the channels and be at most their number, as Keras requires.
    PyTorch's ``GroupNorm(num_groups, num_channels)`` counts the same.
    """

    _kwargs = _NORM_KWARGS

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(epsilon=epsilon, **kwargs)
        label = self._label
        if not _is_int(groups) or groups == 0 or groups < -1:
            raise fail(label, "groups", groups, "it must be an integer >= 1, or -1 for one group per channel")
        if not _is_int(axis):
            raise fail(label, "axis", axis, "it must be one integer")
        self.groups = int(groups)
        self.axis = int(axis)
        self.center = bool_arg(label, "center", center)
        self.scale = bool_arg(label, "scale", scale)

    def _compute(self, shape: Shape) -> Computed:
        (ax,) = _axes(self._label, self.axis, len(shape))
        channels = shape[ax]
        groups = channels if self.groups == -1 else self.groups
        if groups > channels:
            raise fail(
                self._label,
                "groups",
                self.groups,
                f"it cannot be more than the number of channels ({channels})",
                f"use a divisor of {channels}",
            )
        if channels % groups:
            raise fail(
                self._label,
                "groups",
                self.groups,
                f"it must divide the number of channels ({channels})",
                f"use a divisor of {channels}",
            )
        return Computed(shape, batchnorm_counts(channels, self.center, self.scale, False))

    def _layout(self, shape: Shape) -> Layout:
        (ax,) = _axes(self._label, self.axis, len(shape))
        return Layout.CHANNELS_FIRST if ax == 0 and len(shape) > 1 else Layout.CHANNELS_LAST


class UnitNormalization(Layer):
    """Scale each vector along ``axis`` to length 1, as ``keras.layers.UnitNormalization``: no weights."""

    def __init__(self, axis: int | Sequence[int] = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        items: list[Any] = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        if not items or not all(_is_int(a) for a in items):
            raise fail(self._label, "axis", axis, "it must be an integer or a list of integers")
        self.axis = axis
        self._axes: tuple[int, ...] = tuple(int(a) for a in items)

    def _compute(self, shape: Shape) -> Computed:
        rank = len(shape) + 1  # Keras counts the batch axis
        for a in self._axes:
            if not -rank <= a < rank:
                raise fail(
                    self._label,
                    "axis",
                    self.axis,
                    f"with the batch axis the input has rank {rank}, so each axis must be in "
                    f"{-rank}..{rank - 1}",
                )
        return Computed(shape, NOTHING)


class Normalization(Layer):
    """Feature-wise standardisation, as ``keras.layers.Normalization`` (statistics from ``adapt()``).

    Keras keeps the mean and the variance of each feature along ``axis``
    (default the last; ``None`` for one scalar of each) and the number of
    samples seen as weights that are never trained: ``(1 + 1)·N + 1``
    non-trainable parameters. With ``mean`` and ``variance`` given they are
    constants, not weights, and the layer counts 0.
    """

    def __init__(
        self,
        axis: int | Sequence[int] | None = -1,
        mean: Any = None,
        variance: Any = None,
        invert: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if (mean is None) != (variance is None):
            given = "mean" if mean is not None else "variance"
            raise fail(
                self._label,
                given,
                mean if mean is not None else variance,
                "Keras requires mean and variance together, or neither",
                "pass both, or leave both None and call adapt()",
            )
        self.axis = axis
        self.fixed = mean is not None
        self.invert = bool_arg(self._label, "invert", invert)

    def _compute(self, shape: Shape) -> Computed:
        kept: Shape = ()
        if self.axis is not None:
            kept = tuple(shape[a] for a in sorted(_axes(self._label, self.axis, len(shape))))
        if self.fixed:
            return Computed(shape, NOTHING)
        return Computed(shape, normalization_stats_counts(kept))

    def _statistics(self, counted: Counted) -> int:
        return counted.terms.total
