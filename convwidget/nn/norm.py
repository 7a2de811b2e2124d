"""torch.nn normalisation: BatchNorm1d/2d/3d (running statistics as buffers) and LayerNorm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .._checks import _is_int, bool_arg, fail, int_arg, int_tuple, number_arg
from .._counting import (
    batchnorm_counts,
    layernorm_counts,
)
from .._describe import Computed
from ..info import Shape
from ._base import Module, _check_channels, _check_rank, _tuple_repr

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm"]


class _BatchNorm(Module):
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

    def _compute(self, shape: Shape) -> Computed:
        _check_rank(self._label, shape, self.ranks, self.layout)
        _check_channels(self._label, shape, "num_features", self.num_features)
        c = self.num_features
        counted = batchnorm_counts(c, self.affine, self.affine, moving_stats=False)
        buffers: dict[str, Shape] = {}
        if self.track_running_stats:
            buffers = {"running_mean": (c,), "running_var": (c,), "num_batches_tracked": ()}
        return Computed(shape, counted, None, buffers)

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
