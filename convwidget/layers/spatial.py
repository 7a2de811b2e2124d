"""Keras layers that resize spatial axes without weights: 1-D and 2-D pooling, zero padding, upsampling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .. import _arith
from .._checks import _is_int, bool_arg, check_rank, fail, int_arg, int_tuple
from .._describe import NOTHING, Computed
from ..info import Shape
from ._base import Layer, _check_valid_fits, _data_format, _join, _padding, _split

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "UpSampling1D",
    "UpSampling2D",
    "ZeroPadding2D",
]


class _Pooling(Layer):
    """Max and average pooling over ``rank`` spatial axes; ``strides`` defaults to ``pool_size``.

    Keras 3's average pooling has no default ``pool_size`` (leaving it out is a
    TypeError in Keras and a ConfigError here); the max pooling classes give one.
    """

    rank: ClassVar[int] = 2
    _pool_example: ClassVar[str] = "(2, 2)"
    # The max pooling class of the same rank, named by the error for a missing pool_size.
    _counterpart: ClassVar[str | None] = None

    def __init__(
        self,
        pool_size: int | Sequence[int] | None = None,
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        if pool_size is None and self._counterpart is not None:
            cls = type(self).__name__
            raise fail(
                f"{cls} '{kwargs['name']}'" if kwargs.get("name") else cls,
                "pool_size",
                None,
                f"Keras 3 requires it for {cls} (it has no default, unlike {self._counterpart})",
                f"pass pool_size={self._pool_example} for the usual halving",
            )
        super().__init__(**kwargs)
        label = self._label
        self.pool_size = int_tuple(label, "pool_size", pool_size, self.rank)
        self.strides = self.pool_size if strides is None else int_tuple(label, "strides", strides, self.rank)
        self.padding = _padding(label, padding, ("valid", "same"))
        self.data_format = _data_format(label, data_format)

    def _compute(self, shape: Shape) -> Computed:
        spatial, c = _split(self._label, shape, self.rank, self.data_format)
        if self.padding == "valid":
            _check_valid_fits(self._label, "pool_size", spatial, self.pool_size, "pool window")
        out = [
            _arith.keras_pool_length(n, p, s, self.padding)
            for n, p, s in zip(spatial, self.pool_size, self.strides)
        ]
        return Computed(_join(out, c, self.data_format), NOTHING)


class MaxPooling2D(_Pooling):
    """2-D max pooling, as ``keras.layers.MaxPooling2D``; ``strides`` defaults to ``pool_size``."""

    def __init__(
        self,
        pool_size: int | Sequence[int] = (2, 2),
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling2D(_Pooling):
    """2-D average pooling, as ``keras.layers.AveragePooling2D``; ``strides`` defaults to ``pool_size``.

    Unlike ``MaxPooling2D``, Keras 3's ``AveragePooling2D`` has no default
    ``pool_size``: leaving it out is a TypeError in Keras and a ConfigError here.
    """

    _counterpart = "MaxPooling2D"


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


class MaxPooling1D(_Pooling):
    """1-D max pooling over the steps of ``(steps, features)``, as ``keras.layers.MaxPooling1D``.

    ``strides`` defaults to ``pool_size`` (default 2); 'valid' gives
    ``⌊(n − p)/s⌋ + 1`` steps, 'same' ``⌈n/s⌉``.
    """

    rank = 1

    def __init__(
        self,
        pool_size: int | Sequence[int] = 2,
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(_Pooling):
    """1-D average pooling, as ``keras.layers.AveragePooling1D``; ``pool_size`` is required, as in Keras 3."""

    rank = 1
    _pool_example = "2"
    _counterpart = "MaxPooling1D"


class _GlobalPooling(Layer):
    rank = 2

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(self._label, data_format)
        self.keepdims = bool_arg(self._label, "keepdims", keepdims)

    def _compute(self, shape: Shape) -> Computed:
        _, c = _split(self._label, shape, self.rank, self.data_format)
        out = _join((1,) * self.rank, c, self.data_format) if self.keepdims else (c,)
        return Computed(out, NOTHING)


class GlobalMaxPooling1D(_GlobalPooling):
    """Maximum over the steps, as ``keras.layers.GlobalMaxPooling1D``: ``(steps, C)`` → ``(C,)``."""

    rank = 1


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over the steps, as ``keras.layers.GlobalAveragePooling1D``: ``(steps, C)`` → ``(C,)``."""

    rank = 1


class GlobalAveragePooling2D(_GlobalPooling):
    """Global average over the two spatial axes, as ``keras.layers.GlobalAveragePooling2D``."""

    rank = 2


class GlobalMaxPooling2D(_GlobalPooling):
    """Maximum over the two spatial axes, as ``keras.layers.GlobalMaxPooling2D``: ``(H, W, C)`` → ``(C,)``."""

    rank = 2


class UpSampling1D(Layer):
    """Repeat each step ``size`` times, as ``keras.layers.UpSampling1D``: ``(steps·size, features)``."""

    def __init__(self, size: int = 2, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.size = int_arg(self._label, "size", size)

    def _compute(self, shape: Shape) -> Computed:
        check_rank(self._label, shape, (2,), "(steps, features)")
        return Computed((shape[0] * self.size, shape[1]), NOTHING)
