"""torch.nn core modules: Linear, Embedding, Flatten, Dropout and Dropout2d."""

from __future__ import annotations

from typing import Any

from .._checks import _is_int, bool_arg, check_rank, fail, int_arg, number_arg
from .._counting import (
    dense_counts,
    embedding_counts,
)
from .._describe import NOTHING, Computed
from ..info import KernelGeometry, Shape
from ._base import Module, _out_size

__all__ = ["Dropout", "Dropout2d", "Embedding", "Flatten", "Linear"]


class Linear(Module):
    """Fully connected layer, as ``torch.nn.Linear``: ``(in_features + 1)·out_features`` parameters.

    It acts on the last axis of an input of any rank. The weight is
    ``(out_features, in_features)``, the transpose of Keras' Dense kernel.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.in_features = int_arg(self._label, "in_features", in_features)
        self.out_features = _out_size(self._label, "out_features", out_features)
        self.bias = bool_arg(self._label, "bias", bias)

    def _compute(self, shape: Shape) -> Computed:
        if shape[-1] != self.in_features:
            raise fail(
                self._label,
                "input_shape",
                shape,
                f"its last axis must be in_features={self.in_features}, not {shape[-1]}",
                f"set in_features={shape[-1]}",
            )
        counted = dense_counts(self.in_features, self.out_features, self.bias)
        geometry = KernelGeometry(self.kind.family, (), self.in_features, self.out_features, 1, self.bias)
        return Computed((*shape[:-1], self.out_features), counted, geometry)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias}"


class Flatten(Module):
    """Flatten axes ``start_dim``..``end_dim``, as ``torch.nn.Flatten``.

    The dims count the batch axis, as in PyTorch: the default ``(1, -1)``
    flattens everything but the batch. ``start_dim=0`` (merging the batch
    axis) is refused, since shapes here leave the batch out. PyTorch flattens
    a channels-first ``(C, H, W)`` tensor in C, H, W order, Keras a
    channels_last one in H, W, C order: the same length, a different order, so
    the next Linear/Dense weights do not carry over without a permutation.
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1, **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        if not _is_int(start_dim):
            raise fail(self._label, "start_dim", start_dim, "it must be an integer")
        if not _is_int(end_dim):
            raise fail(self._label, "end_dim", end_dim, "it must be an integer")
        self.start_dim = int(start_dim)
        self.end_dim = int(end_dim)

    def _dim(self, arg: str, value: int, rank: int) -> int:
        if not -rank <= value < rank:
            raise fail(
                self._label,
                arg,
                value,
                f"with the batch axis the input has rank {rank}, so it must be in {-rank}..{rank - 1}",
            )
        return value % rank

    def _compute(self, shape: Shape) -> Computed:
        full = (1, *shape)
        rank = len(full)
        start = self._dim("start_dim", self.start_dim, rank)
        end = self._dim("end_dim", self.end_dim, rank)
        if start > end:
            raise fail(
                self._label,
                "start_dim",
                self.start_dim,
                f"start_dim (axis {start}) cannot come after end_dim (axis {end})",
            )
        if start == 0:
            raise fail(
                self._label,
                "start_dim",
                self.start_dim,
                "it must not be the batch axis 0: shapes here leave the batch out, and flattening it "
                "into the features only ever means a mistake",
                "use start_dim=1",
            )
        size = 1
        for d in full[start : end + 1]:
            size *= d
        out = (*full[1:start], size, *full[end + 1 :])
        return Computed(out, NOTHING)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """Dropout, as ``torch.nn.Dropout``: no weights, shape unchanged; ``p`` from 0 to 1."""

    def __init__(self, p: float = 0.5, inplace: bool = False, **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self.p = number_arg(self._label, "p", p, 0.0, 1.0)
        self.inplace = bool_arg(self._label, "inplace", inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Embedding(Module):
    """Embedding table, as ``torch.nn.Embedding``: ``num_embeddings·embedding_dim`` parameters.

    The input holds integer ids of any shape; the output appends
    ``embedding_dim``. ``padding_idx`` (``-num_embeddings`` up to
    ``num_embeddings − 1``) keeps its row out of the gradient but still counts
    it; ``max_norm`` renormalises rows and changes no count.
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        label = self._label
        self.num_embeddings = int_arg(label, "num_embeddings", num_embeddings)
        self.embedding_dim = _out_size(label, "embedding_dim", embedding_dim)
        if padding_idx is not None:
            n = self.num_embeddings
            if not _is_int(padding_idx) or not -n <= padding_idx < n:
                raise fail(
                    label,
                    "padding_idx",
                    padding_idx,
                    f"it must be None or an integer from {-n} to {n - 1} (within num_embeddings={n})",
                )
        self.padding_idx = padding_idx
        self.max_norm = None if max_norm is None else number_arg(label, "max_norm", max_norm, 0.0)
        self.norm_type = number_arg(label, "norm_type", norm_type, 0.0)
        self.scale_grad_by_freq = bool_arg(label, "scale_grad_by_freq", scale_grad_by_freq)
        self.sparse = bool_arg(label, "sparse", sparse)

    def _compute(self, shape: Shape) -> Computed:
        counted = embedding_counts(self.num_embeddings, self.embedding_dim)
        return Computed((*shape, self.embedding_dim), counted)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        return s


class Dropout2d(Module):
    """Zero whole channels, as ``torch.nn.Dropout2d``: no weights, shape unchanged; input ``(C, H, W)``.

    PyTorch also runs it, with a warning, on a ``(C, L)`` input it reads as
    unbatched; convwidget refuses that on purpose (the batch axis would be
    read as channels).
    """

    def __init__(self, p: float = 0.5, inplace: bool = False, **kwargs: Any) -> None:
        super().__init__(_allowed=frozenset(), **kwargs)
        self.p = number_arg(self._label, "p", p, 0.0, 1.0)
        self.inplace = bool_arg(self._label, "inplace", inplace)

    def _compute(self, shape: Shape) -> Computed:
        check_rank(self._label, shape, (3,), "(C, H, W)")
        return Computed(shape, NOTHING)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
