"""Keras layers that rearrange their input without weights: Reshape, Permute and RepeatVector."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .._checks import _is_int, check_rank, fail, int_arg
from .._describe import NOTHING, Computed
from ..info import Shape
from ._base import Layer

__all__ = ["Permute", "RepeatVector", "Reshape"]


def _int_sequence(layer: str, arg: str, value: Any, valid: str) -> tuple[int, ...]:
    """A list or tuple of ints (the two are the same here, as in Keras)."""
    if not isinstance(value, Sequence) or isinstance(value, str) or not all(_is_int(v) for v in value):
        raise fail(layer, arg, value, valid)
    return tuple(int(v) for v in value)


class Reshape(Layer):
    """Reshape to ``target_shape`` (without the batch axis), as ``keras.layers.Reshape``.

    One entry may be ``-1``, worked out from the input's size; the sizes
    must multiply to the input's. ``target_shape`` may be a list or a tuple.
    """

    def __init__(self, target_shape: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        valid = "it must be a tuple of integers >= 1, with at most one -1 for an unknown size"
        target = _int_sequence(self._label, "target_shape", target_shape, valid)
        if any(v < -1 for v in target) or target.count(-1) > 1:
            raise fail(self._label, "target_shape", target_shape, valid)
        self.target_shape = target

    def _compute(self, shape: Shape) -> Computed:
        size = math.prod(shape)
        known = math.prod(v for v in self.target_shape if v != -1)
        fits = size % known == 0 if -1 in self.target_shape and known else size == known
        if not fits:
            raise fail(
                self._label,
                "target_shape",
                self.target_shape,
                f"its sizes must multiply to the input's {size} values (input shape {shape})",
                "change target_shape, or use -1 for one axis",
            )
        return Computed(tuple(size // known if v == -1 else v for v in self.target_shape), NOTHING)


class Permute(Layer):
    """Reorder the axes, as ``keras.layers.Permute(dims)``; ``dims`` counts from 1 (axis 0 is the batch).

    ``Permute((2, 1))`` swaps the two axes of ``(T, F)``; ``dims`` must be a
    permutation of ``1..rank`` and may be a list or a tuple.
    """

    def __init__(self, dims: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        valid = "it must be a permutation of 1..n (axis 0 is the batch axis)"
        self.dims = _int_sequence(self._label, "dims", dims, valid)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise fail(self._label, "dims", dims, valid, "e.g. dims=(2, 1) swaps the two axes of (T, F)")

    def _compute(self, shape: Shape) -> Computed:
        if len(shape) != len(self.dims):
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"dims={self.dims} permutes {len(self.dims)} axes, so the input must have rank "
                f"{len(self.dims)} without the batch axis, not {len(shape)}",
            )
        return Computed(tuple(shape[d - 1] for d in self.dims), NOTHING)


class RepeatVector(Layer):
    """Repeat a vector ``n`` times, as ``keras.layers.RepeatVector``: ``(F,)`` → ``(n, F)``."""

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n = int_arg(self._label, "n", n)

    def _compute(self, shape: Shape) -> Computed:
        check_rank(self._label, shape, (1,), "(features,)", "put a Flatten or a pooling layer before it")
        return Computed((self.n, shape[0]), NOTHING)
