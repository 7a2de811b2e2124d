"""The PyTorch-dialect base class and the argument and shape helpers every module shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._checks import _is_int, fail, int_arg, unknown_arguments
from .._describe import DescribedLayer
from ..enums import Dialect, Layout
from ..info import Shape

__all__ = ["Module"]


# Keyword arguments every torch.nn module with weights accepts that change neither a count nor a shape.
_FACTORY_KWARGS = frozenset(["device", "dtype"])


_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _out_size(layer: str, arg: str, value: Any) -> int:
    """An output size: PyTorch accepts 0 and builds an empty layer; we refuse it on purpose."""
    if _is_int(value) and value == 0:
        raise fail(
            layer,
            arg,
            value,
            "it must be an integer >= 1 (PyTorch builds a zero-size layer, which only ever means a mistake)",
        )
    return int_arg(layer, arg, value)


def _tuple_repr(values: Sequence[Any]) -> str:
    return "(" + ", ".join(repr(v) for v in values) + ("," if len(values) == 1 else "") + ")"


class Module(DescribedLayer):
    """Base of every PyTorch-dialect module.

    Subclasses mirror one ``torch.nn`` class each: same positional order,
    same keyword names and defaults. ``device`` and ``dtype`` are accepted
    and ignored, as they change no count.

    Attributes
    ----------
    dialect : Dialect
        ``"torch"`` (``"keras"`` for :mod:`convwidget.layers`), for summary code.
    torch_class : str
        The ``torch.nn`` class this module mirrors, e.g. ``"Conv2d"``.
    name : str or None
        Set by a model (PyTorch names children ``"0"``, ``"1"``… in a Sequential).
    """

    dialect = Dialect.TORCH
    _too_small_fix = "use a larger input, a smaller kernel or more padding"

    def __init__(self, *, _allowed: frozenset[str] = _FACTORY_KWARGS, **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - _allowed)
        if unknown:
            raise unknown_arguments(
                type(self).__name__,
                unknown,
                f"torch.nn.{type(self).__name__} does not take them",
                f"use the argument names of torch.nn.{type(self).__name__}",
            )
        self.name: str | None = None

    @property
    def torch_class(self) -> str:
        """The mirrored ``torch.nn`` class name."""
        return type(self).__name__

    @property
    def _label(self) -> str:
        return f"{type(self).__name__} '{self.name}'" if self.name else f"nn.{type(self).__name__}"

    def _layout(self, shape: Shape) -> Layout:
        return Layout.CHANNELS_LAST if self.kind.features_last else Layout.CHANNELS_FIRST

    def extra_repr(self) -> str:
        """The arguments as PyTorch prints them inside ``Name(...)``."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


def _check_channels(layer: str, shape: Shape, arg: str, expected: int) -> None:
    if shape[0] != expected:
        raise fail(
            layer,
            "input_shape",
            shape,
            f"its first (channel) axis must be {arg}={expected}, not {shape[0]} (shapes are channels first)",
            f"set {arg}={shape[0]} or feed {expected} channels",
        )


def _spatial_layout(rank: int) -> str:
    return "(channels, " + ", ".join(["spatial"] * rank) + ")"
