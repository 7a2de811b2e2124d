"""Argument checks that raise :class:`ConfigError` with the layer, argument and valid range."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import ConfigError

__all__ = [
    "bool_arg",
    "check_rank",
    "choice_arg",
    "fail",
    "int_arg",
    "int_tuple",
    "number_arg",
    "rank_error",
    "shape_arg",
    "unknown_arguments",
]


def fail(
    layer: str,
    arg: str,
    value: Any,
    valid: str,
    fix: str | None = None,
    error: type[ConfigError] = ConfigError,
) -> ConfigError:
    """Build the error for ``arg=value`` of ``layer``, naming the valid range and a fix.

    ``error`` is :class:`ConfigError` or a subclass of it (:class:`ParseError` for pastes).
    """
    msg = f"{layer}: {arg}={value!r} is invalid; {valid}."
    if fix:
        msg += f" Fix: {fix}."
    return error(msg)


def unknown_arguments(layer: str, given: Sequence[str], valid: str, fix: str) -> ConfigError:
    """Build the error for keyword arguments ``layer`` does not take, saying which it does take."""
    return ConfigError(f"{layer}: unknown argument(s) {', '.join(given)}; {valid}. Fix: {fix}.")


def choice_arg(layer: str, arg: str, value: Any, choices: Iterable[Any], fix: str | None = None) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ConfigError listing them."""
    choices = tuple(choices)
    if value not in choices:
        raise fail(layer, arg, value, "it must be one of " + ", ".join(map(repr, choices)), fix)
    return value


def rank_error(
    layer: str, shape: Sequence[int], want: str, layout: str, fix: str | None = None
) -> ConfigError:
    """Build the error for an input of the wrong rank; ``want`` is e.g. ``"3"``, ``"1 or 2"``, ``">= 2"``."""
    return fail(
        layer,
        "input_shape",
        shape,
        f"it must have rank {want} {layout} without the batch axis, not rank {len(shape)}",
        fix,
    )


def check_rank(
    layer: str, shape: Sequence[int], ranks: Sequence[int], layout: str, fix: str | None = None
) -> None:
    """Refuse an input (without the batch axis) whose rank is not one of ``ranks``."""
    if len(shape) not in ranks:
        raise rank_error(layer, shape, " or ".join(str(r) for r in ranks), layout, fix)


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def bool_arg(layer: str, arg: str, value: Any) -> bool:
    """Return ``value`` if it is True or False, else raise ConfigError (``1`` or ``"yes"`` are mistakes)."""
    if not isinstance(value, bool):
        raise fail(layer, arg, value, "it must be True or False")
    return value


def number_arg(layer: str, arg: str, value: Any, low: float, high: float | None = None) -> float:
    """Return ``value`` as a float in ``[low, high]``; bools are refused (they are flags, not numbers)."""
    rng = f"a number >= {low}" if high is None else f"a number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise fail(layer, arg, value, f"it must be {rng}")
    number = float(value)
    if number < low or (high is not None and number > high):
        raise fail(layer, arg, value, f"it must be {rng}")
    return number


def int_arg(layer: str, arg: str, value: Any, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int in ``[minimum, maximum]`` or raise ConfigError."""
    rng = f"an integer >= {minimum}" if maximum is None else f"an integer from {minimum} to {maximum}"
    if not _is_int(value):
        raise fail(layer, arg, value, f"it must be {rng}")
    if value < minimum or (maximum is not None and value > maximum):
        raise fail(layer, arg, value, f"it must be {rng}")
    return int(value)


def int_tuple(layer: str, arg: str, value: Any, rank: int, minimum: int = 1) -> tuple[int, ...]:
    """Return ``value`` (an int or a sequence of ``rank`` ints) as a tuple of ints >= ``minimum``."""
    if _is_int(value):
        items: Sequence[Any] = (value,) * rank
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = value
    else:
        raise fail(layer, arg, value, f"it must be an integer or a tuple of {rank} integers >= {minimum}")
    if len(items) != rank or not all(_is_int(v) for v in items):
        raise fail(layer, arg, value, f"it must be an integer or a tuple of {rank} integers >= {minimum}")
    if any(v < minimum for v in items):
        raise fail(layer, arg, value, f"every entry must be an integer >= {minimum}")
    return tuple(int(v) for v in items)


def shape_arg(layer: str, shape: Any, min_rank: int = 1, rank: int | None = None) -> tuple[int, ...]:
    """Check an input shape (without the batch axis): positive ints of the right rank.

    Zero-size inputs are refused on purpose: in a lesson they only ever mean a mistake.
    """
    if _is_int(shape):
        shape = (shape,)
    if not isinstance(shape, Sequence) or isinstance(shape, str):
        raise fail(layer, "input_shape", shape, "it must be a tuple of positive integers")
    if not all(_is_int(v) for v in shape):
        raise fail(
            layer,
            "input_shape",
            tuple(shape),
            "every dimension must be a positive integer (no None, no batch axis)",
        )
    dims = tuple(int(v) for v in shape)
    if rank is not None and len(dims) != rank:
        raise fail(
            layer,
            "input_shape",
            dims,
            f"it must have rank {rank} (without the batch axis), not {len(dims)}",
        )
    if len(dims) < min_rank:
        raise fail(
            layer,
            "input_shape",
            dims,
            f"it must have rank >= {min_rank} (without the batch axis), not {len(dims)}",
        )
    if any(v < 1 for v in dims):
        raise fail(layer, "input_shape", dims, "every dimension must be >= 1")
    return dims
