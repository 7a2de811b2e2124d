"""torch.nn's activations: the parameter-free ones (no weights, shape unchanged) and PReLU."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from .._checks import _is_int, bool_arg, fail, int_arg, number_arg, unknown_arguments
from .._counting_seq import prelu_counts
from .._describe import NOTHING, Computed
from ..info import Shape
from ._base import Module

__all__ = [
    "ELU",
    "GELU",
    "SELU",
    "Hardswish",
    "Identity",
    "LeakyReLU",
    "LogSoftmax",
    "Mish",
    "PReLU",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
]


class _Elementwise(Module):
    """A parameter-free activation: no weights, shape unchanged.

    Subclasses list torch's arguments, in torch's order, with their defaults in
    ``_defaults``; anything else is refused with a ConfigError, as torch refuses it.
    """

    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        label = f"nn.{type(self).__name__}"
        names = list(self._defaults)
        if len(args) > len(names):
            raise fail(
                label,
                "positional arguments",
                args,
                f"it takes at most {len(names)} ({', '.join(names) or 'none'}), got {len(args)}",
                "pass the arguments by keyword",
            )
        unknown = sorted(set(kwargs) - set(names))
        if unknown:
            raise unknown_arguments(
                label,
                unknown,
                f"torch.nn.{type(self).__name__} takes {', '.join(names) or 'no arguments'}",
                f"use the argument names of torch.nn.{type(self).__name__}",
            )
        self.config = {**self._defaults, **dict(zip(names, args)), **kwargs}
        if "inplace" in self.config:
            bool_arg(label, "inplace", self.config["inplace"])

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self.config.items() if k != "inplace" or v)


class ReLU(_Elementwise):
    """``torch.nn.ReLU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class ReLU6(_Elementwise):
    """``torch.nn.ReLU6``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class LeakyReLU(_Elementwise):
    """``torch.nn.LeakyReLU``: no parameters (the slope is a fixed number, unlike PReLU's)."""

    _defaults: ClassVar[dict[str, Any]] = {"negative_slope": 0.01, "inplace": False}


class ELU(_Elementwise):
    """``torch.nn.ELU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"alpha": 1.0, "inplace": False}


class SELU(_Elementwise):
    """``torch.nn.SELU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class GELU(_Elementwise):
    """``torch.nn.GELU``: no parameters; ``approximate`` is 'none' or 'tanh'."""

    _defaults: ClassVar[dict[str, Any]] = {"approximate": "none"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.config["approximate"] not in ("none", "tanh"):
            raise fail("nn.GELU", "approximate", self.config["approximate"], "it must be 'none' or 'tanh'")


class SiLU(_Elementwise):
    """``torch.nn.SiLU``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class Mish(_Elementwise):
    """``torch.nn.Mish``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class Hardswish(_Elementwise):
    """``torch.nn.Hardswish``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"inplace": False}


class Sigmoid(_Elementwise):
    """``torch.nn.Sigmoid``: no parameters."""


class Tanh(_Elementwise):
    """``torch.nn.Tanh``: no parameters."""


class Softplus(_Elementwise):
    """``torch.nn.Softplus``: no parameters."""

    _defaults: ClassVar[dict[str, Any]] = {"beta": 1.0, "threshold": 20.0}


class Identity(_Elementwise):
    """``torch.nn.Identity``: passes its input through; any arguments are ignored, as in PyTorch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()


class _SoftmaxBase(_Elementwise):
    _defaults: ClassVar[dict[str, Any]] = {"dim": None}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dim = self.config["dim"]
        if dim is not None and not _is_int(dim):
            raise fail(f"nn.{type(self).__name__}", "dim", dim, "it must be an integer or None")

    def _compute(self, shape: Shape) -> Computed:
        dim = self.config["dim"]
        rank = len(shape) + 1  # dim counts the batch axis, as in PyTorch
        if dim is not None and not -rank <= dim < rank:
            raise fail(
                self._label,
                "dim",
                dim,
                f"with the batch axis the input has rank {rank}, so it must be in {-rank}..{rank - 1}",
            )
        return Computed(shape, NOTHING)


class Softmax(_SoftmaxBase):
    """``torch.nn.Softmax``: no parameters; ``dim`` counts the batch axis."""


class LogSoftmax(_SoftmaxBase):
    """``torch.nn.LogSoftmax``: no parameters; ``dim`` counts the batch axis."""


class PReLU(Module):
    """Leaky ReLU with a learned slope, as ``torch.nn.PReLU``: ``num_parameters`` weights.

    One slope shared by all channels (the default) or one per channel:
    ``num_parameters`` must then equal the input's channels, its first axis.
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.num_parameters = int_arg(self._label, "num_parameters", num_parameters)
        self.init = number_arg(self._label, "init", init, -math.inf)

    def _compute(self, shape: Shape) -> Computed:
        n = self.num_parameters
        if n != 1 and shape[0] != n:
            raise fail(
                self._label,
                "num_parameters",
                n,
                f"it must be 1 or the input's channels, its first axis ({shape[0]})",
                f"use num_parameters=1 or {shape[0]}",
            )
        return Computed(shape, prelu_counts(n))

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
