"""Receptive fields through a Sequential model, row by row, with the recursion as formulas.

For each spatial axis the recursion is the one in Araujo, Norris & Sim,
"Computing Receptive Fields of Convolutional Neural Networks" (Distill, 2019):
a layer with kernel ``F``, dilation ``d`` and stride ``s`` turns the size ``r``
and jump ``j`` (the input-pixel distance between neighbouring outputs) into

    r' = r + (F − 1)·d·j        j' = j·s

and moves the start (the input coordinate of the first output's first pixel,
negative inside the padding) by ``−p·j`` for ``p`` cells of padding before.
Sizes are not clipped to the input: AlexNet's pool5 sees 195×195 and VGG-16's
last pool 212×212, as published. Dispatch is on ``info.kind.family``; the
kernel, stride, dilation and padding are read off the layer, named as each
dialect names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._checks import fail
from ..enums import Family
from ..formula import Factor, Product, Sum, Terms
from ..info import Describable, LayerInfo, Shape

if TYPE_CHECKING:
    from ..model import Model, Row

__all__ = ["ReceptiveField", "receptive_fields"]


@dataclass(frozen=True)
class ReceptiveField:
    """What one output value of a row sees of the model's input, per spatial axis.

    Parameters
    ----------
    index : int
        The row's position in ``model.rows``.
    name : str
        The row's name.
    size : tuple of int
        Input pixels one output value depends on, per axis (not clipped to the input).
    jump : tuple of int
        Input pixels between neighbouring output values (the effective stride).
    start : tuple of int
        Input coordinate of the first output value's first pixel (negative: in the padding).
    size_formula, jump_formula : tuple of Terms
        ``r' = r + (F − 1)·d·j`` and ``j' = j·s`` with this row's numbers, per axis.
    whole_input : bool
        The row mixes every position (Dense after Flatten, global pooling, recurrent,
        attention): each output value sees the whole input.
    note : str
        How the row changes the field, in words.
    """

    index: int
    name: str
    size: Shape
    jump: Shape
    start: tuple[int, ...]
    size_formula: tuple[Terms, ...]
    jump_formula: tuple[Terms, ...]
    whole_input: bool = False
    note: str = ""


@dataclass(frozen=True)
class _Window:
    kernel: Shape
    stride: Shape
    dilation: Shape
    before: tuple[int, ...]


def _ints(value: object, rank: int, default: int) -> Shape:
    if value is None:
        return (default,) * rank
    if isinstance(value, int):
        return (value,) * rank
    assert isinstance(value, Sequence)
    return tuple(int(v) for v in value)


def _padding_before(layer: object, info: LayerInfo, window: _Window) -> tuple[int, ...]:
    pads = getattr(layer, "pads", None)
    if callable(pads):  # torch convolutions: (before, after) per axis, 'same' included
        return tuple(int(a) for a, _ in pads())
    padding = getattr(layer, "padding", 0)
    rank = len(window.kernel)
    if padding == "valid":
        return (0,) * rank
    if padding == "causal":
        return tuple((k - 1) * d for k, d in zip(window.kernel, window.dilation))
    if padding == "same":
        # Keras pads (out − 1)·s + (F − 1)·d + 1 − n cells in all, the odd one after.
        spatial_in = info.split(info.input_shape)[0]
        spatial_out = info.split(info.output_shape)[0]
        out = []
        for n, o, k, s, d in zip(spatial_in, spatial_out, window.kernel, window.stride, window.dilation):
            out.append(max((o - 1) * s + (k - 1) * d + 1 - n, 0) // 2)
        return tuple(out)
    return _ints(padding, rank, 0)


def _window(layer: object, info: LayerInfo) -> _Window | None:
    """Kernel, stride, dilation and padding of a sliding-window layer, or None for a global one."""
    kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if kernel is None:
        return None
    rank = len(info.split(info.input_shape)[0])
    k = _ints(kernel, rank, 1)
    s = _ints(getattr(layer, "strides", None) or getattr(layer, "stride", None), rank, 1)
    d = _ints(getattr(layer, "dilation_rate", None) or getattr(layer, "dilation", None), rank, 1)
    window = _Window(k, s, d, (0,) * rank)
    return _Window(k, s, d, _padding_before(layer, info, window))


def _adaptive_window(info: LayerInfo) -> _Window | None:
    """An adaptive pool that divides its input evenly is a window of n/out cells, stride n/out."""
    spatial_in = info.split(info.input_shape)[0]
    spatial_out = info.split(info.output_shape)[0]
    if len(spatial_out) != len(spatial_in) or all(o == 1 for o in spatial_out):
        return None
    if any(n % o for n, o in zip(spatial_in, spatial_out)):
        raise fail(
            info.name or info.layer_type,
            "input_shape",
            info.input_shape,
            "an adaptive pool whose output does not divide its input has no single receptive field",
            "use an input size that is a multiple of the pool's output size",
        )
    k = tuple(n // o for n, o in zip(spatial_in, spatial_out))
    return _Window(k, k, (1,) * len(k), (0,) * len(k))


_UNCHANGED = frozenset([Family.ACTIVATION, Family.DROPOUT, Family.NORM, Family.INPUT, Family.EMBEDDING])
_WINDOWED = frozenset([Family.CONV, Family.DEPTHWISE, Family.SEPARABLE, Family.POOL])
_MIXING = frozenset([Family.RECURRENT, Family.ATTENTION])


def _step(size: int, jump: int, k: int, s: int, d: int) -> tuple[Terms, Terms]:
    grow = Product(
        (
            Factor("kernel size − 1", k - 1, "(F − 1)"),
            Factor("dilation", d, "d"),
            Factor("jump so far", jump, "j"),
        )
    )
    size_terms = Terms(Sum((Factor("size so far", size, "r"), grow)))
    jump_terms = Terms(Product((Factor("jump so far", jump, "j"), Factor("stride", s, "s"))))
    return size_terms, jump_terms


def _same(values: Shape, what: str, symbol: str) -> tuple[Terms, ...]:
    return tuple(Terms(Factor(what, v, symbol)) for v in values)


def _undefined(row: Row, why: str, fix: str) -> Exception:
    return fail(
        f"receptive field of row {row.index} '{row.name}'",
        "layer",
        row.info.layer_type,
        why,
        fix,
    )


def _rows(model: Model | Sequence[Row], input_shape: Sequence[int] | None) -> Sequence[Row]:
    from ..model import Model

    if isinstance(model, Model):
        return model.describe(input_shape)
    return model


def receptive_fields(
    model: Model | Sequence[Row], input_shape: Sequence[int] | None = None
) -> tuple[ReceptiveField, ...]:
    """The receptive field of every row of a Sequential model.

    Parameters
    ----------
    model : Model or sequence of Row
        A ``convwidget.Sequential`` or ``convwidget.nn.Sequential`` (or its rows).
    input_shape : tuple of int, optional
        Without the batch axis; needed for PyTorch models, as in ``summary()``.

    Returns
    -------
    tuple of ReceptiveField
        One per row, aligned with ``model.rows``.

    Raises
    ------
    ConfigError
        For a row through which a receptive field is not one window (transposed
        convolutions and upsampling spread one input value over several outputs).
    """
    rows = _rows(model, input_shape)
    if not rows:
        return ()
    first = rows[0].info
    extent = first.split(first.input_shape)[0] if len(first.input_shape) > 1 else ()
    rank = len(extent)
    size: Shape = (1,) * rank
    jump: Shape = (1,) * rank
    start: tuple[int, ...] = (0,) * rank
    whole = False
    out: list[ReceptiveField] = []
    for row in rows:
        info = row.info
        family = info.kind.family if info.kind is not None else None
        layer: Describable | None = row.layer
        window: _Window | None = None
        note = "each output value sees what one value of the row before saw"
        if whole:
            note = "the rows before already mix the whole input"
        elif family in _WINDOWED:
            if layer is None:
                raise _undefined(
                    row,
                    "the row does not carry its layer, whose stride and padding the field needs",
                    "pass the model itself",
                )
            window = _window(layer, info)
            if window is None:
                window = _adaptive_window(info)
            if window is None:
                whole, note = True, "a global pool: each output value sees the whole input"
            else:
                note = "a sliding window: r' = r + (F − 1)·d·j, j' = j·s"
        elif family is Family.DENSE:
            if len(info.input_shape) == 1 or len(info.input_shape) - 1 != rank:
                whole, note = True, "every output feature reads every input value: the whole input"
            else:
                note = "applied at each position on its own: the field is unchanged"
        elif family in _MIXING:
            whole, note = True, f"a {family} layer mixes every timestep: the whole input"
        elif family is Family.RESHAPE:
            padding = getattr(layer, "padding", None)
            if isinstance(padding, tuple) and padding and isinstance(padding[0], tuple):
                start = tuple(st - p[0] * j for st, p, j in zip(start, padding, jump))
                note = "zero padding moves the start by the padding times the jump"
            elif len(info.output_shape) > len(info.input_shape):
                raise _undefined(
                    row,
                    "upsampling spreads one input value over several outputs, so the jump would be "
                    "a fraction",
                    "ask for the receptive fields of the rows before it",
                )
            else:
                note = "reshaping: each output value is one value of the row before"
        elif family is Family.TRANSPOSE:
            raise _undefined(
                row,
                "a transposed convolution spreads one input value over several outputs, so the jump "
                "would be a fraction",
                "ask for the receptive fields of the rows before it",
            )
        elif family not in _UNCHANGED:
            raise _undefined(
                row,
                "convwidget does not know how this layer moves a receptive field",
                "use only layers of convwidget.layers / convwidget.nn",
            )
        if window is not None and not whole:
            formulas = [
                _step(r, j, k, s, d)
                for r, j, k, s, d in zip(size, jump, window.kernel, window.stride, window.dilation)
            ]
            start = tuple(st - p * j for st, p, j in zip(start, window.before, jump))
            size = tuple(f.total for f, _ in formulas)
            jump = tuple(g.total for _, g in formulas)
            size_formula = tuple(f for f, _ in formulas)
            jump_formula = tuple(g for _, g in formulas)
        elif whole:
            size = tuple(extent)
            start = (0,) * rank
            size_formula = _same(size, "the whole input", "n")
            jump_formula = _same(jump, "jump so far", "j")
        else:
            size_formula = _same(size, "size so far", "r")
            jump_formula = _same(jump, "jump so far", "j")
        out.append(
            ReceptiveField(
                row.index,
                row.name,
                size,
                jump,
                start,
                size_formula,
                jump_formula,
                whole_input=whole,
                note=note,
            )
        )
    return tuple(out)
