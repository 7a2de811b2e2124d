"""The Keras oracle for sequence layers (issue #17): recurrent, attention, 1-D, normalisation, reshaping.

The shape of :class:`tests.oracles.base.Oracle`, as :mod:`tests.oracles.keras`
(whose recording stays as it is): :func:`cases` makes
:class:`~tests.oracles.base.Case` dicts of keras.layers arguments,
:func:`record` runs one in real Keras 3 (torch backend) on zeros of shape
``(1, *input_shape)`` — a MultiHeadAttention as self-attention,
``layer(x, x)`` — and :func:`mismatches` checks :mod:`convwidget.layers`
against the record without Keras.

A wrapped layer (Bidirectional's ``layer``) is written in the kwargs as
``{"class_name": "LSTM", "config": {...}}`` and built in either namespace.
Weights are compared by their short names (Keras' ``weight.name``: ``kernel``,
``recurrent_kernel``…) and shapes, in ``layer.weights`` order: Bidirectional
and MultiHeadAttention have several weights of the same short name, which
convwidget tells apart by a prefix (``forward_lstm/kernel``, ``query/kernel``).

``scripts/record_keras_seq_cases.py`` writes ``tests/data/keras_cases_seq.json``,
``tests/test_seq_cases.py`` replays it and ``tests/test_seq_live.py`` runs a
fresh sample live.
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

from convwidget import ConfigError

from . import keras as base_keras
from .base import DATA as _DATA_DIR
from .base import Case, Outcome

__all__ = [
    "DATA",
    "DEFAULT_SEED",
    "LAYERS",
    "cases",
    "edge_cases",
    "invalid_cases",
    "mismatches",
    "random_cases",
    "record",
]

DATA = _DATA_DIR / "keras_cases_seq.json"
DEFAULT_SEED = 17

# Random cases per layer class at scale 1: the recurrent and attention layers get the most.
LAYERS: dict[str, int] = {
    "SimpleRNN": 15,
    "LSTM": 20,
    "GRU": 20,
    "Bidirectional": 20,
    "MultiHeadAttention": 25,
    "GroupNormalization": 15,
    "Normalization": 12,
    "UnitNormalization": 6,
    "SeparableConv1D": 15,
    "DepthwiseConv1D": 15,
    "MaxPooling1D": 12,
    "AveragePooling1D": 12,
    "GlobalMaxPooling1D": 6,
    "GlobalAveragePooling1D": 6,
    "GlobalMaxPooling2D": 6,
    "UpSampling1D": 6,
    "Reshape": 10,
    "Permute": 8,
    "RepeatVector": 6,
    "Rescaling": 5,
    "SpatialDropout2D": 6,
}

_FORMATS = (None, "channels_last", "channels_first")


# --------------------------------------------------------------------------- ids and cases


def _compact(value: Any) -> str:
    if isinstance(value, dict) and "class_name" in value:
        inner = ",".join(f"{k}={_compact(v)}" for k, v in value["config"].items())
        return f"{value['class_name']}({inner})"
    return base_keras._compact(value)


def _case(
    tag: str, layer: str, kwargs: dict[str, Any], shape: list[int], source: str, note: str = ""
) -> Case:
    kw = ",".join(f"{k}={_compact(v)}" for k, v in kwargs.items())
    case: Case = {
        "id": f"{tag}-{layer}({kw})-in{_compact(shape) if shape else '()'}",
        "layer": layer,
        "kwargs": kwargs,
        "input_shape": list(shape),
        "source": source,
    }
    if note:
        case["note"] = note
    return case


def _put(kwargs: dict[str, Any], key: str, value: Any, default: Any, rng: random.Random) -> None:
    if value != default or rng.random() < 0.2:
        kwargs[key] = value


def _join(spatial: list[int], channels: int, data_format: str | None) -> list[int]:
    return [channels, *spatial] if data_format == "channels_first" else [*spatial, channels]


# --------------------------------------------------------------------------- random cases


def _recurrent_config(rng: random.Random, layer: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"units": rng.randint(1, 12)}
    _put(kwargs, "use_bias", rng.random() < 0.8, True, rng)
    _put(kwargs, "return_sequences", rng.random() < 0.5, False, rng)
    if layer == "GRU":
        _put(kwargs, "reset_after", rng.random() < 0.6, True, rng)
    if rng.random() < 0.15:
        kwargs["return_state"] = True
    if rng.random() < 0.15:
        kwargs["dropout"] = round(rng.random() * 0.5, 2)
    return kwargs


def _seq_shape(rng: random.Random) -> list[int]:
    shape = [rng.randint(1, 9), rng.randint(1, 10)]
    if rng.random() < 0.04:
        shape = shape[:1] if rng.random() < 0.5 else [*shape, 2]
    return shape


def _gen_recurrent(rng: random.Random, layer: str) -> tuple[dict[str, Any], list[int]]:
    return _recurrent_config(rng, layer), _seq_shape(rng)


def _gen_bidirectional(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    inner = rng.choice(["SimpleRNN", "LSTM", "GRU"])
    config = _recurrent_config(rng, inner)
    config.pop("return_state", None)
    kwargs: dict[str, Any] = {"layer": {"class_name": inner, "config": config}}
    _put(kwargs, "merge_mode", rng.choice(["concat", "sum", "ave", "mul", None]), "concat", rng)
    return kwargs, _seq_shape(rng)


def _gen_attention(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    kwargs: dict[str, Any] = {"num_heads": rng.randint(1, 4), "key_dim": rng.randint(1, 8)}
    if rng.random() < 0.4:
        kwargs["value_dim"] = rng.randint(1, 8)
    _put(kwargs, "use_bias", rng.random() < 0.8, True, rng)
    r = rng.random()
    if r < 0.2:
        kwargs["output_shape"] = rng.randint(1, 9)
    elif r < 0.3:
        kwargs["output_shape"] = [rng.randint(1, 4) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.2:
        kwargs["dropout"] = 0.1
    shape = [rng.randint(1, 8), rng.randint(1, 12)]
    if rng.random() < 0.1:
        shape = [rng.randint(1, 4), *shape]
    return kwargs, shape


def _gen_groupnorm(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    channels = rng.randint(1, 12)
    divisors = [g for g in range(1, channels + 1) if channels % g == 0]
    groups = rng.choice(divisors) if rng.random() < 0.85 else rng.randint(1, 12)
    if rng.random() < 0.1:
        groups = -1
    shape = [*[rng.randint(1, 6) for _ in range(rng.randint(0, 2))], channels]
    kwargs: dict[str, Any] = {"groups": groups}
    _put(kwargs, "center", rng.random() < 0.8, True, rng)
    _put(kwargs, "scale", rng.random() < 0.8, True, rng)
    if rng.random() < 0.1:
        kwargs["trainable"] = False
    return kwargs, shape


def _gen_normalization(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    rank = rng.randint(1, 3)
    shape = [rng.randint(1, 7) for _ in range(rank)]
    r = rng.random()
    kwargs: dict[str, Any] = {}
    if r < 0.15:
        kwargs["axis"] = None
    elif r < 0.35 and rank > 1:
        kwargs["axis"] = sorted(rng.sample(range(1, rank + 1), rng.randint(1, rank)))
    elif r < 0.6:
        a = rng.randint(1, rank)
        kwargs["axis"] = a if rng.random() < 0.5 else a - rank - 1
    if rng.random() < 0.1:
        kwargs["mean"], kwargs["variance"] = 0.5, 2.0
    return kwargs, shape


def _gen_unitnorm(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    rank = rng.randint(1, 3)
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.5:
        kwargs["axis"] = rng.randint(1, rank) if rng.random() < 0.5 else [rng.randint(1, rank)]
    return kwargs, [rng.randint(1, 6) for _ in range(rank)]


def _gen_conv1d(rng: random.Random, separable: bool) -> tuple[dict[str, Any], list[int]]:
    cin = rng.randint(1, 6)
    kernel = rng.randint(1, 4)
    mode = rng.random()
    strides, dilation = (rng.randint(1, 3), 1) if mode < 0.5 else (1, rng.randint(1, 3))
    if mode > 0.93:
        strides, dilation = 2, 2
    padding = rng.choice(["valid", "same"])
    fmt = rng.choice(_FORMATS)
    span = dilation * (kernel - 1) + 1
    steps = rng.randint(span if padding == "valid" and rng.random() < 0.95 else 1, max(span, 12))
    kwargs: dict[str, Any] = {}
    if separable:
        kwargs["filters"] = rng.randint(1, 8)
    kwargs["kernel_size"] = kernel if rng.random() < 0.7 else [kernel]
    _put(kwargs, "strides", strides, 1, rng)
    _put(kwargs, "padding", padding, "valid", rng)
    _put(kwargs, "depth_multiplier", rng.randint(1, 3), 1, rng)
    if fmt is not None:
        kwargs["data_format"] = fmt
    _put(kwargs, "dilation_rate", dilation, 1, rng)
    _put(kwargs, "use_bias", rng.random() < 0.8, True, rng)
    return kwargs, _join([steps], cin, fmt)


def _gen_pool1d(rng: random.Random, required: bool) -> tuple[dict[str, Any], list[int]]:
    pool = rng.randint(1, 4)
    padding = rng.choice(["valid", "same"])
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {}
    if required:
        kwargs["pool_size"] = pool
    else:
        _put(kwargs, "pool_size", pool, 2, rng)
    if rng.random() < 0.5:
        kwargs["strides"] = rng.randint(1, 3)
    _put(kwargs, "padding", padding, "valid", rng)
    if fmt is not None:
        kwargs["data_format"] = fmt
    low = pool if padding == "valid" and rng.random() < 0.95 else 1
    return kwargs, _join([rng.randint(low, max(low, 12))], rng.randint(1, 6), fmt)


def _gen_global(rng: random.Random, rank: int) -> tuple[dict[str, Any], list[int]]:
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {}
    if fmt is not None:
        kwargs["data_format"] = fmt
    _put(kwargs, "keepdims", rng.random() < 0.5, False, rng)
    return kwargs, _join([rng.randint(1, 8) for _ in range(rank)], rng.randint(1, 8), fmt)


def _gen_upsampling1d(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    kwargs: dict[str, Any] = {}
    _put(kwargs, "size", rng.randint(1, 4), 2, rng)
    return kwargs, [rng.randint(1, 8), rng.randint(1, 5)]


def _gen_reshape(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    shape = [rng.randint(1, 6) for _ in range(rng.randint(1, 3))]
    size = math.prod(shape)
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    a = rng.choice(divisors)
    target: list[int] = [a, size // a]
    if rng.random() < 0.4:
        target[rng.randint(0, 1)] = -1
    if rng.random() < 0.1:
        target[0] += 1
    value: Any = target if rng.random() < 0.5 else tuple(target)
    return {"target_shape": list(value)}, shape


def _gen_permute(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    rank = rng.randint(1, 3)
    dims = list(range(1, rank + 1))
    rng.shuffle(dims)
    return {"dims": dims}, [rng.randint(1, 6) for _ in range(rank)]


def _gen_repeat(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    return {"n": rng.randint(1, 6)}, [rng.randint(1, 9)]


def _gen_rescaling(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    kwargs: dict[str, Any] = {"scale": rng.choice([1 / 255, 2.0, 0.5])}
    if rng.random() < 0.5:
        kwargs["offset"] = rng.choice([-1.0, 0.0, 0.5])
    return kwargs, [rng.randint(1, 6) for _ in range(rng.randint(1, 3))]


def _gen_spatial_dropout(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {"rate": round(rng.random(), 2)}
    if fmt is not None:
        kwargs["data_format"] = fmt
    return kwargs, _join([rng.randint(1, 6), rng.randint(1, 6)], rng.randint(1, 5), fmt)


_GENERATORS: dict[str, Callable[[random.Random], tuple[dict[str, Any], list[int]]]] = {
    "SimpleRNN": lambda r: _gen_recurrent(r, "SimpleRNN"),
    "LSTM": lambda r: _gen_recurrent(r, "LSTM"),
    "GRU": lambda r: _gen_recurrent(r, "GRU"),
    "Bidirectional": _gen_bidirectional,
    "MultiHeadAttention": _gen_attention,
    "GroupNormalization": _gen_groupnorm,
    "Normalization": _gen_normalization,
    "UnitNormalization": _gen_unitnorm,
    "SeparableConv1D": lambda r: _gen_conv1d(r, True),
    "DepthwiseConv1D": lambda r: _gen_conv1d(r, False),
    "MaxPooling1D": lambda r: _gen_pool1d(r, False),
    "AveragePooling1D": lambda r: _gen_pool1d(r, True),
    "GlobalMaxPooling1D": lambda r: _gen_global(r, 1),
    "GlobalAveragePooling1D": lambda r: _gen_global(r, 1),
    "GlobalMaxPooling2D": lambda r: _gen_global(r, 2),
    "UpSampling1D": _gen_upsampling1d,
    "Reshape": _gen_reshape,
    "Permute": _gen_permute,
    "RepeatVector": _gen_repeat,
    "Rescaling": _gen_rescaling,
    "SpatialDropout2D": _gen_spatial_dropout,
}


def random_cases(seed: int, scale: float = 1.0) -> list[Case]:
    """Seeded random cases for every layer class, ``LAYERS[name]·scale`` (at least 1) of each."""
    rng = random.Random(seed)
    drawn = []
    for layer, count in LAYERS.items():
        for i in range(max(1, round(count * scale))):
            kwargs, shape = _GENERATORS[layer](rng)
            drawn.append(_case(f"s{seed}r{i:02d}", layer, kwargs, shape, "random"))
    return drawn


# --------------------------------------------------------------------------- hand-picked cases


def _rnn(cls: str, **config: Any) -> dict[str, Any]:
    return {"class_name": cls, "config": config}


# (layer, kwargs, input_shape, note)
EDGE: list[tuple[str, dict[str, Any], list[int], str]] = [
    ("LSTM", {"units": 64}, [100, 32], "the issue's LSTM: 4·((32 + 64)·64 + 64) = 24,832"),
    ("GRU", {"units": 64}, [100, 32], "the issue's GRU, reset_after=True: 3·((32 + 64)·64 + 2·64) = 18,816"),
    ("GRU", {"units": 64, "reset_after": False}, [100, 32], "GRU with one bias per unit"),
    ("SimpleRNN", {"units": 32}, [10, 8], "a simple RNN"),
    ("LSTM", {"units": 5, "return_sequences": True, "return_state": True}, [7, 3], "first output"),
    ("LSTM", {"units": 4, "use_bias": False}, [1, 1], "one step, one feature, no bias"),
    ("LSTM", {"units": 4, "dropout": 1.5}, [5, 3], "Keras clamps dropout to [0, 1]"),
    ("GRU", {"units": 3, "use_bias": False, "reset_after": True}, [4, 2], "no bias at all"),
    ("Bidirectional", {"layer": _rnn("LSTM", units=64, return_sequences=True)}, [100, 32], "concat"),
    ("Bidirectional", {"layer": _rnn("GRU", units=8), "merge_mode": "sum"}, [6, 5], "sum"),
    ("Bidirectional", {"layer": _rnn("SimpleRNN", units=8), "merge_mode": "ave"}, [6, 5], "ave"),
    ("Bidirectional", {"layer": _rnn("LSTM", units=8), "merge_mode": "mul"}, [6, 5], "mul"),
    ("Bidirectional", {"layer": _rnn("LSTM", units=8), "merge_mode": None}, [6, 5], "two outputs"),
    ("Bidirectional", {"layer": _rnn("GRU", units=8, reset_after=False)}, [6, 5], "GRU one bias"),
    (
        "Bidirectional",
        {"layer": _rnn("LSTM", units=4, trainable=False)},
        [5, 3],
        "a frozen layer stays frozen",
    ),
    ("LSTM", {"units": 4, "trainable": False}, [5, 3], "frozen"),
    ("MultiHeadAttention", {"num_heads": 8, "key_dim": 64}, [10, 512], "a transformer block's attention"),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4}, [7, 6], "h·dk differs from E"),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4, "value_dim": 3, "output_shape": 5},
        [7, 6],
        "dv, O",
    ),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "output_shape": [2, 3]}, [7, 6], "output 2-D"),
    ("MultiHeadAttention", {"num_heads": 3, "key_dim": 2, "use_bias": False}, [4, 6], "no biases"),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4}, [3, 4, 6], "attention over two axes"),
    ("MultiHeadAttention", {"num_heads": 1, "key_dim": 1}, [1, 1], "smallest"),
    ("GroupNormalization", {"groups": -1}, [5, 4], "one group per channel"),
    ("GroupNormalization", {"groups": 4, "axis": 1}, [8, 3], "channels first"),
    ("GroupNormalization", {}, [5, 64], "default 32 groups"),
    ("GroupNormalization", {"groups": 1, "center": False}, [3, 3, 6], "γ only"),
    ("Normalization", {}, [5, 4], "mean, variance, count"),
    ("Normalization", {"axis": None}, [5, 4], "scalar statistics"),
    ("Normalization", {"axis": [1, 2]}, [4, 6], "two kept axes"),
    ("Normalization", {"mean": 0.5, "variance": 2.0}, [4, 6], "constants, not weights"),
    ("UnitNormalization", {"axis": [1, 2]}, [4, 3], "two axes"),
    (
        "SeparableConv1D",
        {"filters": 8, "kernel_size": 3, "padding": "same", "depth_multiplier": 2},
        [9, 4],
        "",
    ),
    ("SeparableConv1D", {"filters": 3, "kernel_size": 2, "strides": 2, "dilation_rate": 2}, [8, 3], "s, d"),
    ("DepthwiseConv1D", {"kernel_size": 3, "strides": 2, "dilation_rate": 2}, [8, 3], "stride with dilation"),
    ("DepthwiseConv1D", {"kernel_size": 3, "data_format": "channels_first"}, [3, 8], "channels first"),
    ("MaxPooling1D", {}, [9, 4], "default pool 2"),
    ("MaxPooling1D", {"pool_size": 2, "data_format": "channels_first"}, [4, 9], "channels first"),
    ("AveragePooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, [5, 2], "same"),
    ("AveragePooling1D", {"pool_size": 4}, [4, 2], "window = input"),
    ("GlobalAveragePooling1D", {"keepdims": True}, [6, 3], "keepdims"),
    ("GlobalMaxPooling2D", {"data_format": "channels_first", "keepdims": True}, [3, 5, 4], "keepdims"),
    ("UpSampling1D", {"size": 3}, [4, 2], ""),
    ("Reshape", {"target_shape": [-1]}, [4, 3], "flatten"),
    ("Reshape", {"target_shape": [2, -1]}, [4, 3], "list with -1"),
    ("Permute", {"dims": [2, 1]}, [4, 3], "swap"),
    ("Permute", {"dims": [3, 1, 2]}, [2, 3, 4], "rotate"),
    ("RepeatVector", {"n": 5}, [3], ""),
    ("Rescaling", {"scale": 1 / 255}, [4, 4, 3], "pixels to [0, 1]"),
    ("SpatialDropout2D", {"rate": 0.3, "data_format": "channels_first"}, [3, 4, 5], ""),
]

INVALID: list[tuple[str, dict[str, Any], list[int], str]] = [
    ("LSTM", {"units": 0}, [5, 3], "zero units"),
    ("LSTM", {"units": 4}, [5, 3, 2], "rank 3 input"),
    ("GRU", {"units": 4}, [5], "rank 1 input"),
    ("SimpleRNN", {"units": -2}, [5, 3], "negative units"),
    ("Bidirectional", {"layer": _rnn("LSTM", units=4), "merge_mode": "max"}, [5, 3], "bad merge mode"),
    ("Bidirectional", {"layer": _rnn("Dense", units=4)}, [5, 3], "not a recurrent layer"),
    ("Bidirectional", {"layer": _rnn("LSTM", units=4)}, [5], "rank 1 input"),
    ("MultiHeadAttention", {"num_heads": 0, "key_dim": 4}, [5, 3], "zero heads"),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 0}, [5, 3], "zero key size"),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4}, [5], "rank 1 input"),
    ("GroupNormalization", {"groups": 3}, [5, 4], "groups do not divide channels"),
    ("GroupNormalization", {"groups": 8}, [5, 4], "more groups than channels"),
    ("GroupNormalization", {"groups": 0}, [5, 4], "zero groups"),
    ("Normalization", {"mean": 0.5}, [5, 4], "mean without variance"),
    ("AveragePooling1D", {}, [8, 3], "pool_size is required"),
    ("MaxPooling1D", {"pool_size": 9}, [8, 3], "window larger than the input"),
    ("MaxPooling1D", {"pool_size": 2, "padding": "causal"}, [8, 3], "causal pooling"),
    ("GlobalMaxPooling1D", {}, [8, 3, 2], "rank 3 input"),
    ("UpSampling1D", {"size": 2}, [8, 3, 2], "rank 3 input"),
    ("Reshape", {"target_shape": [5, -1]}, [4, 3], "does not divide"),
    ("Reshape", {"target_shape": [-1, -1]}, [4, 3], "two unknowns"),
    ("Reshape", {"target_shape": [0, 12]}, [4, 3], "zero size"),
    ("Reshape", {"target_shape": [-2, -6]}, [4, 3], "negative sizes"),
    ("Permute", {"dims": [1, 1]}, [4, 3], "repeated axis"),
    ("Permute", {"dims": [0, 1]}, [4, 3], "batch axis"),
    ("Permute", {"dims": [1]}, [4, 3], "too few axes"),
    ("RepeatVector", {"n": 3}, [4, 3], "rank 2 input"),
    ("RepeatVector", {"n": 0}, [4], "zero repeats"),
    ("SpatialDropout2D", {"rate": 0.5}, [4, 3], "rank 2 input"),
    ("SpatialDropout2D", {"rate": 2.0}, [4, 3, 2], "rate above 1"),
    ("Rescaling", {"scale": "a"}, [4, 3, 2], "scale not a number"),
    ("SeparableConv1D", {"filters": 3, "kernel_size": 2, "padding": "causal"}, [8, 3], "causal"),
    ("DepthwiseConv1D", {"kernel_size": 2, "padding": "causal"}, [8, 3], "causal"),
    ("DepthwiseConv1D", {"kernel_size": 9}, [8, 3], "kernel larger than the input"),
    ("UnitNormalization", {"axis": 3}, [4, 3], "axis out of range"),
    ("SimpleRNN", {"units": 3, "recurrent_activation": "sigmoid"}, [5, 3], "a simple RNN has no gates"),
    ("LSTM", {"units": 3, "reset_after": True}, [5, 3], "reset_after is the GRU's"),
    ("GRU", {"units": 3, "unit_forget_bias": True}, [5, 3], "unit_forget_bias is the LSTM's"),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "activation": "relu"}, [5, 3], "no activation"),
    ("GlobalAveragePooling1D", {}, [8, 3, 2], "rank 3 input"),
    ("GlobalMaxPooling2D", {}, [8, 3], "rank 2 input"),
    ("GlobalMaxPooling2D", {"data_format": "channels_middle"}, [8, 3, 2], "unknown data format"),
]


def edge_cases() -> list[Case]:
    """Hand-picked cases Keras accepts: the issue's examples and the corners of each rule."""
    return [_case(f"e{i:02d}", *spec[:3], "edge", spec[3]) for i, spec in enumerate(EDGE)]


def invalid_cases() -> list[Case]:
    """Hand-picked cases Keras or convwidget refuses."""
    return [_case(f"x{i:02d}", *spec[:3], "invalid", spec[3]) for i, spec in enumerate(INVALID)]


def cases(seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Case]:
    """Every case of ``tests/data/keras_cases_seq.json``, in its order: random, edge, invalid."""
    return [*random_cases(seed, scale), *edge_cases(), *invalid_cases()]


# --------------------------------------------------------------------------- building either side


def build(namespace: Any, layer: str, kwargs: dict[str, Any]) -> Any:
    """Build ``layer(**kwargs)`` from ``namespace`` (``keras.layers`` or ``convwidget.layers``).

    A kwarg written ``{"class_name": ..., "config": ...}`` is built first, in the same namespace.
    """
    built = {
        k: build(namespace, v["class_name"], v["config"]) if isinstance(v, dict) and "class_name" in v else v
        for k, v in kwargs.items()
    }
    return getattr(namespace, layer)(**built)


def _describes(namespace: ModuleType, case: Case) -> Outcome:
    try:
        return Outcome(
            build(namespace, case["layer"], case["kwargs"]).describe(tuple(case["input_shape"])), None, ""
        )
    except ConfigError as exc:
        return Outcome(None, exc, "")
    except Exception as exc:  # any other exception type is itself the bug the oracle reports
        return Outcome(
            None, None, f"convwidget raised {type(exc).__name__} (only ConfigError is allowed): {exc}"
        )


# --------------------------------------------------------------------------- live Keras


def _refused_on_purpose(case: Case, out_shape: list[int] | None) -> str:
    why = base_keras._refused_on_purpose(case, out_shape)
    if why:
        return why
    kwargs, layer = case["kwargs"], case["layer"]
    if layer.endswith("Pooling1D") and str(kwargs.get("padding", "")).lower() == "causal":
        return "padding='causal' is for 1-D convolutions: Keras' pooling silently treats it as 'valid'"
    rank = len(case["input_shape"])
    axis = kwargs.get("axis", -1)
    axes = axis if isinstance(axis, list) else [axis]
    if layer in ("GroupNormalization", "Normalization") and any(a in (0, -rank - 1) for a in axes):
        return f"axis={axis} names the batch axis: Keras sizes weights by the batch, convwidget refuses it"
    return ""


def record(case: Case) -> Case:
    """Build ``case`` in real Keras, run it on zeros of shape ``(1, *input_shape)`` and record the result.

    The same record as :func:`tests.oracles.keras.record`; a MultiHeadAttention
    is called as self-attention (``layer(x, x)``) and a layer returning
    several outputs is recorded by its first.
    """
    keras = base_keras.import_keras()
    out: Case = {**case}
    stage = "init"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = build(keras.layers, case["layer"], case["kwargs"])
            stage = "call"
            x = keras.ops.zeros((1, *case["input_shape"]), dtype="float32")
            y = layer(x, x) if case["layer"] == "MultiHeadAttention" else layer(x)
    except Exception as exc:  # any refusal by Keras or its backend counts
        message = base_keras._ANSI.sub("", str(exc)).strip()
        out["expect"] = "error"
        out["keras_error"] = {"stage": stage, "type": type(exc).__name__, "message": message[:300]}
        return out
    first = y[0] if isinstance(y, (list, tuple)) else y
    shape = [int(d) for d in tuple(first.shape)[1:]]
    return base_keras.built_outcome(out, layer, shape, _refused_on_purpose(case, shape))


# --------------------------------------------------------------------------- comparison


def mismatches(rec: Case) -> list[str]:
    """Describe a recorded case with convwidget and list how it differs from Keras (empty: agreement).

    As :func:`tests.oracles.keras.mismatches`, but weights are compared by
    short name (the part after the last ``/``) and shape, in order.
    """
    from convwidget import layers

    info, refusal, crash = _describes(layers, rec)
    return base_keras.compare_with_keras(rec, info, refusal, crash, short_names=True)
