"""torch.nn modules that reshape or resize their input without weights: Unflatten, Upsample, PixelShuffle."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .._checks import _is_int, bool_arg, check_rank, choice_arg, fail, int_arg, rank_error
from .._describe import NOTHING, Computed
from ..info import Shape
from ._base import Module

__all__ = ["PixelShuffle", "Unflatten", "Upsample"]


class Unflatten(Module):
    """Split axis ``dim`` into ``unflattened_size``, as ``torch.nn.Unflatten``.

    ``dim`` counts the batch axis, as in PyTorch (``dim=1`` is the first axis
    of ``input_shape``); ``dim=0`` (the batch axis) is refused, since shapes
    here leave it out. One size may be ``-1``; the sizes must multiply to
    the axis' length. ``unflattened_size`` may be a list or a tuple.
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int], **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        label = self._label
        if not _is_int(dim):
            raise fail(label, "dim", dim, "it must be an integer")
        valid = "it must be a tuple or list of integers >= 1, with at most one -1"
        sizes: Any = unflattened_size
        if not isinstance(sizes, Sequence) or isinstance(sizes, str) or not all(_is_int(v) for v in sizes):
            raise fail(label, "unflattened_size", unflattened_size, valid)
        if not sizes or any(v == 0 or v < -1 for v in sizes) or list(sizes).count(-1) > 1:
            raise fail(label, "unflattened_size", unflattened_size, valid)
        self.dim = int(dim)
        self.unflattened_size = tuple(int(v) for v in sizes)

    def _compute(self, shape: Shape) -> Computed:
        rank = len(shape) + 1
        if not -rank <= self.dim < rank:
            raise fail(
                self._label,
                "dim",
                self.dim,
                f"with the batch axis the input has rank {rank}, so it must be in {-rank}..{rank - 1}",
                "dim counts the batch axis: dim=1 is the first axis of input_shape",
            )
        axis = self.dim % rank
        if axis == 0:
            raise fail(
                self._label,
                "dim",
                self.dim,
                "it must not be the batch axis 0: shapes here leave the batch out",
                "use dim=1 for the first axis of input_shape",
            )
        n = shape[axis - 1]
        known = math.prod(v for v in self.unflattened_size if v != -1)
        fits = n % known == 0 if -1 in self.unflattened_size else n == known
        if not fits:
            raise fail(
                self._label,
                "unflattened_size",
                self.unflattened_size,
                f"its sizes must multiply to the length {n} of axis dim={self.dim}",
                "change the sizes, or use -1 for one of them",
            )
        sizes = tuple(n // known if v == -1 else v for v in self.unflattened_size)
        return Computed((*shape[: axis - 1], *sizes, *shape[axis:]), NOTHING)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


_MODES = {"nearest": None, "nearest-exact": None, "area": None, "linear": 1, "bilinear": 2, "bicubic": 2}
_MODES["trilinear"] = 3


class Upsample(Module):
    """Resize the spatial axes of ``(C, *spatial)``, as ``torch.nn.Upsample``: no weights.

    Give ``size`` (the output's spatial sizes, a list or a tuple) or
    ``scale_factor`` (each size becomes ``⌊n·scale_factor⌋``; a number or a
    tuple — PyTorch refuses a list here), not both. ``mode`` 'nearest',
    'nearest-exact' and 'area' take 1 to 3 spatial axes; 'linear' 1,
    'bilinear' and 'bicubic' 2, 'trilinear' 3; ``align_corners`` only goes
    with the interpolating modes (linear, bilinear, bicubic, trilinear).
    """

    def __init__(
        self,
        size: int | Sequence[int] | None = None,
        scale_factor: float | Sequence[float] | None = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        label = self._label
        choice_arg(label, "mode", mode, _MODES, "use mode='nearest' (the default)")
        self.mode = mode
        if (size is None) == (scale_factor is None):
            raise fail(
                label,
                "size",
                size,
                "give exactly one of size and scale_factor",
                "pass size=(h, w) for a fixed output, or scale_factor=2 to double each axis",
            )
        self.size = None if size is None else self._sizes(size)
        self.scale_factor = None if scale_factor is None else self._scales(scale_factor)
        if align_corners is not None:
            bool_arg(label, "align_corners", align_corners)
            if _MODES[mode] is None:
                raise fail(
                    label,
                    "align_corners",
                    align_corners,
                    f"it can only be set with the interpolating modes (linear, bilinear, bicubic, "
                    f"trilinear), not mode={mode!r}",
                    "leave align_corners=None",
                )
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def _sizes(self, size: Any) -> tuple[int, ...]:
        if _is_int(size):
            return (int_arg(self._label, "size", size),)
        if isinstance(size, Sequence) and not isinstance(size, str) and size:
            return tuple(int_arg(self._label, "size", v) for v in size)
        raise fail(self._label, "size", size, "it must be an int or a tuple of ints >= 1")

    def _scales(self, scale: Any) -> tuple[float, ...]:
        if isinstance(scale, list):
            raise fail(
                self._label,
                "scale_factor",
                scale,
                "PyTorch's Upsample takes a number or a tuple of numbers here, not a list",
                f"pass scale_factor={tuple(scale)}",
            )
        items = scale if isinstance(scale, tuple) else (scale,)
        if not items or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 for v in items):
            raise fail(
                self._label,
                "scale_factor",
                scale,
                "it must be a number > 0 or a tuple of them",
                "e.g. scale_factor=2 doubles each spatial axis",
            )
        return tuple(float(v) for v in items)

    def _compute(self, shape: Shape) -> Computed:
        check_rank(self._label, shape, (2, 3, 4), "(C, L), (C, H, W) or (C, D, H, W)")
        spatial = shape[1:]
        rank = len(spatial)
        needed = _MODES[self.mode]
        if needed is not None and needed != rank:
            raise fail(
                self._label,
                "mode",
                self.mode,
                f"it works on {needed} spatial axes, and input_shape {shape} has {rank}",
                "use mode='nearest', or the interpolating mode of your input's rank",
            )
        given = self.size if self.size is not None else self.scale_factor
        assert given is not None
        if len(given) not in (1, rank):
            arg = "size" if self.size is not None else "scale_factor"
            raise fail(
                self._label,
                arg,
                given,
                f"it must have one entry or one per spatial axis ({rank})",
                f"give {rank} entries, or one for all axes",
            )
        per_axis = given * rank if len(given) == 1 else given
        if self.size is not None:
            out = tuple(int(v) for v in per_axis)
        else:
            out = tuple(math.floor(n * s) for n, s in zip(spatial, per_axis))
        return Computed((shape[0], *out), NOTHING)

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            scale = self.scale_factor[0] if len(self.scale_factor) == 1 else self.scale_factor
            return f"scale_factor={scale}, mode={self.mode!r}"
        size = self.size[0] if self.size is not None and len(self.size) == 1 else self.size
        return f"size={size}, mode={self.mode!r}"


class PixelShuffle(Module):
    """Move channels into space, as ``torch.nn.PixelShuffle(r)``: ``(C·r², H, W)`` → ``(C, H·r, W·r)``.

    The last three axes are channels, height and width; the channels must be
    divisible by ``r²``. No weights.
    """

    def __init__(self, upscale_factor: int, **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self.upscale_factor = int_arg(self._label, "upscale_factor", upscale_factor)

    def _compute(self, shape: Shape) -> Computed:
        if len(shape) < 3:
            raise rank_error(
                self._label,
                shape,
                ">= 3",
                "(C, H, W)",
                "feed an image whose channels are a multiple of upscale_factor²",
            )
        r = self.upscale_factor
        *lead, c, h, w = shape
        if c % (r * r):
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"its channels ({c}) must be divisible by upscale_factor² = {r * r}",
                f"feed a multiple of {r * r} channels",
            )
        return Computed((*lead, c // (r * r), h * r, w * r), NOTHING)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"
