"""torch.nn normalisation: BatchNorm1d/2d/3d, InstanceNorm1d/2d (statistics as buffers), Layer-, GroupNorm."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

from .._checks import _is_int, bool_arg, check_rank, fail, int_arg, int_tuple, number_arg
from .._counting import (
    batchnorm_counts,
    layernorm_counts,
)
from .._describe import Computed
from ..info import Shape
from ._base import Module, _check_channels, _tuple_repr

__all__ = [
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "GroupNorm",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "LayerNorm",
]


class _BatchNorm(Module):
    """γ and β per channel and, with ``track_running_stats``, the running statistics as buffers.

    The batch and instance normalisations share these arguments, the count and the buffers.
    """

    ranks: ClassVar[tuple[int, ...]] = (3,)
    layout: ClassVar[str] = "(C, H, W)"

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.num_features = int_arg(label, "num_features", num_features)
        self.eps = number_arg(label, "eps", eps, 0.0)
        self.momentum = None if momentum is None else number_arg(label, "momentum", momentum, 0.0, 1.0)
        self.affine = bool_arg(label, "affine", affine)
        self.track_running_stats = bool_arg(label, "track_running_stats", track_running_stats)

    def _has_beta(self) -> bool:
        return self.affine

    def _compute(self, shape: Shape) -> Computed:
        check_rank(self._label, shape, self.ranks, self.layout)
        _check_channels(self._label, shape, "num_features", self.num_features)
        self._check_values(shape)
        c = self.num_features
        counted = batchnorm_counts(c, self._has_beta(), self.affine, moving_stats=False)
        buffers: dict[str, Shape] = {}
        if self.track_running_stats:
            buffers = {"running_mean": (c,), "running_var": (c,), "num_batches_tracked": ()}
        return Computed(shape, counted, None, buffers)

    def _check_values(self, shape: Shape) -> None:
        """Refuse an input the layer cannot normalise (batch normalisation takes any)."""

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization, as ``torch.nn.BatchNorm1d``; input ``(C,)`` or ``(C, L)``.

    See :class:`BatchNorm2d` for the counts. (PyTorch refuses a batch of one
    ``(C,)`` vector in training mode; shapes here leave the batch out.)
    """

    ranks = (1, 2)
    layout = "(C,) or (C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalization, as ``torch.nn.BatchNorm2d``; input ``(C, H, W)``.

    PyTorch counts ``2·C`` parameters (γ ``weight`` and β ``bias``, none with
    ``affine=False``) and keeps ``running_mean``, ``running_var`` (``C`` each)
    and the scalar ``num_batches_tracked`` as buffers, ``2·C + 1`` elements
    that are not parameters. Keras' BatchNormalization counts ``4·C``
    parameters instead, ``2·C`` of them non-trainable (its moving statistics).
    """

    ranks = (3,)
    layout = "(C, H, W)"


class BatchNorm3d(_BatchNorm):
    """Batch normalization, as ``torch.nn.BatchNorm3d``; input ``(C, D, H, W)``; counts as BatchNorm2d."""

    ranks = (4,)
    layout = "(C, D, H, W)"


class LayerNorm(Module):
    """Layer normalization, as ``torch.nn.LayerNorm`` over the last axes, ``normalized_shape``.

    γ (``weight``) and β (``bias``) each have shape ``normalized_shape``;
    ``elementwise_affine=False`` drops both, ``bias=False`` drops β.
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        given: Any = (normalized_shape,) if _is_int(normalized_shape) else normalized_shape
        if not isinstance(given, Sequence) or isinstance(given, str) or not given:
            raise fail(
                label, "normalized_shape", normalized_shape, "it must be an int or a tuple of ints >= 1"
            )
        self.normalized_shape = int_tuple(label, "normalized_shape", given, len(given), minimum=1)
        self.eps = number_arg(label, "eps", eps, 0.0)
        self.elementwise_affine = bool_arg(label, "elementwise_affine", elementwise_affine)
        self.bias = bool_arg(label, "bias", bias)

    def _compute(self, shape: Shape) -> Computed:
        k = len(self.normalized_shape)
        if len(shape) < k or shape[-k:] != self.normalized_shape:
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"its last {k} axes must be normalized_shape={self.normalized_shape}",
            )
        counted = layernorm_counts(
            self.normalized_shape, self.elementwise_affine, self.elementwise_affine and self.bias
        )
        return Computed(shape, counted)

    def extra_repr(self) -> str:
        shape = _tuple_repr(self.normalized_shape)
        return f"{shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """Group normalization, as ``torch.nn.GroupNorm``: γ and β per channel, ``(1 + 1)·C``.

    ``num_groups`` must divide ``num_channels`` (PyTorch refuses it
    otherwise), and each group must hold more than one value of the input
    (PyTorch refuses a batch of one otherwise); the count does not depend on it. Input ``(C, *)``;
    ``affine=False`` keeps no weights, ``bias=False`` drops β. No running
    statistics, so no buffers.
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        *,
        bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.num_groups = int_arg(label, "num_groups", num_groups)
        self.num_channels = int_arg(label, "num_channels", num_channels)
        if self.num_channels % self.num_groups:
            raise fail(
                label,
                "num_groups",
                num_groups,
                f"it must divide num_channels={self.num_channels}",
                f"use a divisor of {self.num_channels}",
            )
        self.eps = number_arg(label, "eps", eps, 0.0)
        self.affine = bool_arg(label, "affine", affine)
        self.bias = bool_arg(label, "bias", bias)

    def _compute(self, shape: Shape) -> Computed:
        _check_channels(self._label, shape, "num_channels", self.num_channels)
        c = self.num_channels
        per_group = c // self.num_groups * math.prod(shape[1:])
        if per_group == 1:
            # PyTorch refuses it (for a batch of one): a group of one value normalises to 0
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"each of the {self.num_groups} groups must hold more than one value, and here each holds "
                f"{c // self.num_groups} channel(s) × {math.prod(shape[1:])} position(s) = 1",
                "use fewer groups or a larger input",
            )
        return Computed(
            shape, batchnorm_counts(c, self.affine and self.bias, self.affine, moving_stats=False)
        )

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class _InstanceNorm(_BatchNorm):
    ranks = (2,)
    layout = "(C, L)"

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        *,
        bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, **kwargs)
        self.bias = bool_arg(self._label, "bias", bias)

    def _has_beta(self) -> bool:
        return self.affine and self.bias

    def _check_values(self, shape: Shape) -> None:
        if not self.track_running_stats and all(d == 1 for d in shape[1:]):
            raise fail(
                self._label,
                "input_shape",
                shape,
                "instance normalization needs more than one spatial value per channel",
                "use a larger input",
            )


class InstanceNorm1d(_InstanceNorm):
    """Instance normalization, as ``torch.nn.InstanceNorm1d``; input ``(C, L)``.

    No weights by default (``affine=False``); with ``affine=True`` γ and β
    per channel (``2·C``); ``track_running_stats=True`` keeps
    ``running_mean``, ``running_var`` and ``num_batches_tracked`` as buffers.
    """

    ranks = (2,)
    layout = "(C, L)"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization, as ``torch.nn.InstanceNorm2d``; input ``(C, H, W)``, counted as 1d."""

    ranks = (3,)
    layout = "(C, H, W)"
