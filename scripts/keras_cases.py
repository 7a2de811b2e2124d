"""Layer cases for cross-checking convwidget's Keras dialect against real Keras 3.

Three parts, shared by ``scripts/record_keras_cases.py`` (which writes
``tests/data/keras_cases.json``), ``tests/test_keras_cases.py`` (which replays
that file without any framework) and ``tests/test_keras_live.py`` (which runs
a fresh sample in live Keras):

* :func:`random_cases`, :func:`edge_cases`, :func:`invalid_cases` make case
  dicts ``{"id", "layer", "kwargs", "input_shape", "source"}`` whose kwargs are
  keras.layers arguments, JSON-serialisable (tuples written as lists);
* :func:`record` builds one case in real Keras, runs it on a zeros tensor of
  shape ``(1, *input_shape)`` and adds what Keras did;
* :func:`mismatches` describes the case with convwidget and lists every
  difference from the record (an empty list means agreement).

This module imports neither Keras nor convwidget at import time.
"""

from __future__ import annotations

import math
import random
import re
import warnings
from collections.abc import Callable
from typing import Any

__all__ = [
    "LAYERS",
    "case_id",
    "edge_cases",
    "invalid_cases",
    "mismatches",
    "random_cases",
    "random_layer",
    "record",
]

Case = dict[str, Any]

# Random cases per layer class for scale=1; convolutions get the most, as they
# have the most arguments that interact.
LAYERS: dict[str, int] = {
    "Conv1D": 25,
    "Conv2D": 40,
    "Conv3D": 20,
    "Conv1DTranspose": 20,
    "Conv2DTranspose": 30,
    "Conv3DTranspose": 15,
    "DepthwiseConv2D": 25,
    "SeparableConv2D": 25,
    "Dense": 20,
    "BatchNormalization": 20,
    "LayerNormalization": 20,
    "MaxPooling2D": 20,
    "AveragePooling2D": 20,
    "GlobalAveragePooling2D": 10,
    "Flatten": 10,
    "Dropout": 10,
    "Embedding": 12,
    "ZeroPadding2D": 15,
    "UpSampling2D": 15,
    "Activation": 10,
}

_FORMATS = (None, "channels_last", "channels_first")


# --------------------------------------------------------------------------- ids


def _compact(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "x".join(_compact(v) for v in value) if value else "()"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def case_id(tag: str, layer: str, kwargs: dict[str, Any], shape: list[int]) -> str:
    """A readable, ASCII test id: ``r012-Conv2D(filters=8,kernel_size=3x2)-in9x9x4``."""
    kw = ",".join(f"{k}={_compact(v)}" for k, v in kwargs.items())
    return f"{tag}-{layer}({kw})-in{_compact(shape) if shape else '()'}"


def _case(
    tag: str, layer: str, kwargs: dict[str, Any], shape: list[int], source: str, note: str = ""
) -> Case:
    case: Case = {
        "id": case_id(tag, layer, kwargs, shape),
        "layer": layer,
        "kwargs": kwargs,
        "input_shape": list(shape),
        "source": source,
    }
    if note:
        case["note"] = note
    return case


# ------------------------------------------------------------------ random cases


def _maybe_tuple(rng: random.Random, values: list[int]) -> int | list[int]:
    """An int when all axes agree and a coin says so, otherwise the per-axis list."""
    if len(set(values)) == 1 and rng.random() < 0.6:
        return values[0]
    return values


def _put(kwargs: dict[str, Any], key: str, value: Any, default: Any, rng: random.Random) -> None:
    """Add ``key`` when it differs from the default, and sometimes even when it does not."""
    if value != default or rng.random() < 0.2:
        kwargs[key] = value


def _spatial_for(rng: random.Random, spans: list[int], padding: str, top: int) -> list[int]:
    """Spatial sizes, nearly always large enough for the (dilated) kernel under 'valid'."""
    sizes = []
    for span in spans:
        low = span if padding == "valid" and rng.random() < 0.95 else 1
        sizes.append(rng.randint(low, max(low, top)))
    return sizes


def _join(spatial: list[int], channels: int, data_format: str | None) -> list[int]:
    return [channels, *spatial] if data_format == "channels_first" else [*spatial, channels]


def _strides_dilation(rng: random.Random, rank: int, stride_max: int) -> tuple[list[int], list[int]]:
    mode = rng.random()
    ones = [1] * rank
    if mode < 0.45:
        return [rng.randint(1, stride_max) for _ in range(rank)], ones
    if mode < 0.75:
        return ones, [rng.randint(1, 3) for _ in range(rank)]
    if mode < 0.97:
        return ones, ones
    # rarely both > 1, which Keras refuses
    return [2] * rank, [2] * rank


def _gen_conv(rng: random.Random, rank: int) -> tuple[dict[str, Any], list[int]]:
    top = {1: 14, 2: 11, 3: 6}[rank]
    cin = rng.randint(1, 8 if rank < 3 else 4)
    divisors = [g for g in range(1, cin + 1) if cin % g == 0]
    groups = rng.choice(divisors) if rng.random() < 0.35 else 1
    filters = groups * rng.randint(1, 3) if rng.random() < 0.95 else rng.randint(1, 8)
    kernel = [rng.randint(1, 4 if rank < 3 else 3) for _ in range(rank)]
    strides, dilation = _strides_dilation(rng, rank, 3)
    paddings = ["valid", "same", "causal"] if rank == 1 else ["valid", "same"]
    padding = rng.choice(paddings)
    fmt = rng.choice(_FORMATS)
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    spatial = _spatial_for(rng, spans, padding, top)
    kwargs: dict[str, Any] = {"filters": filters, "kernel_size": _maybe_tuple(rng, kernel)}
    _put(kwargs, "strides", _maybe_tuple(rng, strides), 1, rng)
    _put(kwargs, "padding", padding, "valid", rng)
    if fmt is not None:
        kwargs["data_format"] = fmt
    _put(kwargs, "dilation_rate", _maybe_tuple(rng, dilation), 1, rng)
    _put(kwargs, "groups", groups, 1, rng)
    _put(kwargs, "use_bias", rng.random() < 0.8, True, rng)
    if rng.random() < 0.3:
        kwargs["activation"] = "relu"
    return kwargs, _join(spatial, cin, fmt)


def _gen_transpose(rng: random.Random, rank: int) -> tuple[dict[str, Any], list[int]]:
    top = {1: 10, 2: 7, 3: 4}[rank]
    cin = rng.randint(1, 8 if rank < 3 else 4)
    filters = rng.randint(1, 8 if rank < 3 else 4)
    kernel = [rng.randint(1, 4) for _ in range(rank)]
    strides, dilation = _strides_dilation(rng, rank, 4)
    padding = rng.choice(["valid", "same"])
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {"filters": filters, "kernel_size": _maybe_tuple(rng, kernel)}
    _put(kwargs, "strides", _maybe_tuple(rng, strides), 1, rng)
    _put(kwargs, "padding", padding, "valid", rng)
    if rng.random() < 0.4:
        kwargs["output_padding"] = _maybe_tuple(rng, [rng.randint(0, s - 1) for s in strides])
    if fmt is not None:
        kwargs["data_format"] = fmt
    _put(kwargs, "dilation_rate", _maybe_tuple(rng, dilation), 1, rng)
    _put(kwargs, "use_bias", rng.random() < 0.8, True, rng)
    spatial = [rng.randint(1, top) for _ in range(rank)]
    return kwargs, _join(spatial, cin, fmt)


def _gen_depthwise(rng: random.Random, separable: bool) -> tuple[dict[str, Any], list[int]]:
    cin = rng.randint(1, 8)
    kernel = [rng.randint(1, 4) for _ in range(2)]
    strides, dilation = _strides_dilation(rng, 2, 3)
    padding = rng.choice(["valid", "same"])
    fmt = rng.choice(_FORMATS)
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    spatial = _spatial_for(rng, spans, padding, 10)
    kwargs: dict[str, Any] = {}
    if separable:
        kwargs["filters"] = rng.randint(1, 10)
    kwargs["kernel_size"] = _maybe_tuple(rng, kernel)
    _put(kwargs, "strides", _maybe_tuple(rng, strides), 1, rng)
    _put(kwargs, "padding", padding, "valid", rng)
    _put(kwargs, "depth_multiplier", rng.randint(1, 3), 1, rng)
    if fmt is not None:
        kwargs["data_format"] = fmt
    _put(kwargs, "dilation_rate", _maybe_tuple(rng, dilation), 1, rng)
    _put(kwargs, "use_bias", rng.random() < 0.8, True, rng)
    return kwargs, _join(spatial, cin, fmt)


def _gen_dense(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    shape = [rng.randint(1, 12) for _ in range(rng.randint(1, 3))]
    kwargs: dict[str, Any] = {"units": rng.randint(1, 16)}
    _put(kwargs, "use_bias", rng.random() < 0.8, True, rng)
    if rng.random() < 0.3:
        kwargs["activation"] = rng.choice(["relu", "softmax"])
    if rng.random() < 0.1:
        kwargs["trainable"] = False
    return kwargs, shape


def _random_axis(rng: random.Random, rank: int) -> int:
    """A Keras axis (batch axis is 0) of an input of ``rank`` axes without the batch: positive or negative."""
    a = rng.randint(1, rank)
    return a if rng.random() < 0.5 else a - rank - 1


def _gen_batchnorm(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    shape = [rng.randint(1, 9) for _ in range(rng.randint(1, 4))]
    kwargs: dict[str, Any] = {}
    _put(kwargs, "axis", _random_axis(rng, len(shape)) if rng.random() < 0.6 else -1, -1, rng)
    _put(kwargs, "center", rng.random() < 0.75, True, rng)
    _put(kwargs, "scale", rng.random() < 0.75, True, rng)
    if rng.random() < 0.15:
        kwargs["trainable"] = False
    return kwargs, shape


def _gen_layernorm(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    rank = rng.randint(1, 3)
    shape = [rng.randint(1, 9) for _ in range(rank)]
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.5:
        # a list of distinct axes, written all-positive or all-negative (mixed signs are an edge case)
        count = rng.randint(1, rank)
        axes = sorted(rng.sample(range(1, rank + 1), count))
        kwargs["axis"] = axes if rng.random() < 0.5 else [a - rank - 1 for a in axes]
    else:
        _put(kwargs, "axis", _random_axis(rng, rank), -1, rng)
    _put(kwargs, "center", rng.random() < 0.75, True, rng)
    _put(kwargs, "scale", rng.random() < 0.75, True, rng)
    _put(kwargs, "rms_scaling", rng.random() < 0.25, False, rng)
    return kwargs, shape


def _gen_pool(rng: random.Random, required: bool) -> tuple[dict[str, Any], list[int]]:
    pool = [rng.randint(1, 4) for _ in range(2)]
    padding = rng.choice(["valid", "same"])
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {}
    if required:  # AveragePooling2D has no default pool_size in Keras 3
        kwargs["pool_size"] = _maybe_tuple(rng, pool)
    else:
        _put(kwargs, "pool_size", _maybe_tuple(rng, pool), [2, 2], rng)
    if rng.random() < 0.5:
        kwargs["strides"] = _maybe_tuple(rng, [rng.randint(1, 3) for _ in range(2)])
    _put(kwargs, "padding", padding, "valid", rng)
    if fmt is not None:
        kwargs["data_format"] = fmt
    spatial = _spatial_for(rng, pool, padding, 12)
    return kwargs, _join(spatial, rng.randint(1, 6), fmt)


def _gen_gap(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {}
    if fmt is not None:
        kwargs["data_format"] = fmt
    _put(kwargs, "keepdims", rng.random() < 0.5, False, rng)
    return kwargs, _join([rng.randint(1, 9), rng.randint(1, 9)], rng.randint(1, 8), fmt)


def _gen_flatten(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.4:
        kwargs["data_format"] = rng.choice(["channels_last", "channels_first"])
    return kwargs, [rng.randint(1, 9) for _ in range(rng.randint(1, 4))]


def _gen_dropout(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    kwargs: dict[str, Any] = {"rate": round(rng.random(), 2)}
    if rng.random() < 0.3:
        kwargs["seed"] = rng.randint(0, 99)
    return kwargs, [rng.randint(1, 9) for _ in range(rng.randint(1, 3))]


def _gen_embedding(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    kwargs: dict[str, Any] = {"input_dim": rng.randint(1, 60), "output_dim": rng.randint(1, 16)}
    _put(kwargs, "mask_zero", rng.random() < 0.2, False, rng)
    return kwargs, [rng.randint(1, 12) for _ in range(rng.randint(1, 2))]


def _gen_zeropad(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    form = rng.randint(0, 2)
    if form == 0:
        padding: Any = rng.randint(0, 3)
    elif form == 1:
        padding = [rng.randint(0, 3), rng.randint(0, 3)]
    else:
        padding = [[rng.randint(0, 3), rng.randint(0, 3)], [rng.randint(0, 3), rng.randint(0, 3)]]
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {"padding": padding}
    if fmt is not None:
        kwargs["data_format"] = fmt
    return kwargs, _join([rng.randint(1, 8), rng.randint(1, 8)], rng.randint(1, 4), fmt)


def _gen_upsampling(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    fmt = rng.choice(_FORMATS)
    kwargs: dict[str, Any] = {"size": _maybe_tuple(rng, [rng.randint(1, 3), rng.randint(1, 3)])}
    if fmt is not None:
        kwargs["data_format"] = fmt
    _put(kwargs, "interpolation", rng.choice(["nearest", "bilinear"]), "nearest", rng)
    return kwargs, _join([rng.randint(1, 7), rng.randint(1, 7)], rng.randint(1, 4), fmt)


def _gen_activation(rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    kwargs = {"activation": rng.choice(["relu", "sigmoid", "tanh", "softmax", "linear", "gelu"])}
    return kwargs, [rng.randint(1, 9) for _ in range(rng.randint(1, 3))]


_GENERATORS: dict[str, Callable[[random.Random], tuple[dict[str, Any], list[int]]]] = {
    "Conv1D": lambda r: _gen_conv(r, 1),
    "Conv2D": lambda r: _gen_conv(r, 2),
    "Conv3D": lambda r: _gen_conv(r, 3),
    "Conv1DTranspose": lambda r: _gen_transpose(r, 1),
    "Conv2DTranspose": lambda r: _gen_transpose(r, 2),
    "Conv3DTranspose": lambda r: _gen_transpose(r, 3),
    "DepthwiseConv2D": lambda r: _gen_depthwise(r, False),
    "SeparableConv2D": lambda r: _gen_depthwise(r, True),
    "Dense": _gen_dense,
    "BatchNormalization": _gen_batchnorm,
    "LayerNormalization": _gen_layernorm,
    "MaxPooling2D": lambda r: _gen_pool(r, False),
    "AveragePooling2D": lambda r: _gen_pool(r, True),
    "GlobalAveragePooling2D": _gen_gap,
    "Flatten": _gen_flatten,
    "Dropout": _gen_dropout,
    "Embedding": _gen_embedding,
    "ZeroPadding2D": _gen_zeropad,
    "UpSampling2D": _gen_upsampling,
    "Activation": _gen_activation,
}


def random_layer(layer: str, rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    """Draw keras.layers kwargs and an input shape for one ``layer`` class (a key of :data:`LAYERS`).

    Nearly always a layer Keras accepts; now and then an impossible one
    (a kernel larger than the input, strides with dilation), as users write.
    """
    return _GENERATORS[layer](rng)


def random_cases(seed: int, scale: float = 1.0) -> list[Case]:
    """Seeded random cases for every layer class, ``LAYERS[name]·scale`` (at least 1) of each.

    Parameters
    ----------
    seed : int
        Seed of the one :class:`random.Random` that draws every case, so a seed
        always gives the same list.
    scale : float
        Multiplies the per-class counts in :data:`LAYERS`.

    Returns
    -------
    list of dict
        Cases with keys ``id``, ``layer``, ``kwargs``, ``input_shape``, ``source``.
    """
    rng = random.Random(seed)
    cases = []
    for layer, count in LAYERS.items():
        for i in range(max(1, round(count * scale))):
            kwargs, shape = _GENERATORS[layer](rng)
            cases.append(_case(f"s{seed}r{i:02d}", layer, kwargs, shape, "random"))
    return cases


# ----------------------------------------------------------- hand-picked cases

_EDGE: list[tuple[str, dict[str, Any], list[int], str]] = [
    ("BatchNormalization", {"renorm": True}, [3, 4], "batch renormalization keeps 3 more vectors"),
    ("BatchNormalization", {"renorm": True, "center": False, "trainable": False}, [3, 4], "renorm, frozen"),
    (
        "BatchNormalization",
        {"momentum": 0.9, "epsilon": 1e-5, "synchronized": False},
        [3, 4],
        "no-effect args",
    ),
    ("Dense", {"units": 3, "input_dim": 4}, [4], "input_dim, as Keras 2 code writes it"),
    ("Dense", {"units": 3, "kernel_initializer": "zeros", "lora_rank": None}, [4], "no-effect args"),
    (
        "Embedding",
        {"input_dim": 9, "output_dim": 2, "input_length": 5},
        [5],
        "input_length, ignored by Keras 3",
    ),
    (
        "Conv2D",
        {"filters": 2, "kernel_size": 3, "kernel_initializer": "he_normal", "activity_regularizer": "l2"},
        [5, 5, 1],
        "no-effect args",
    ),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "pointwise_initializer": "zeros"}, [5, 5, 1], ""),
    ("Dropout", {"rate": 0.2, "noise_shape": [1, 4], "dtype": "float32"}, [3, 4], "no-effect args"),
    (
        "Conv2D",
        {"filters": 32, "kernel_size": [3, 3], "activation": "relu"},
        [28, 28, 1],
        "seed model conv 1",
    ),
    (
        "Conv2D",
        {"filters": 63, "kernel_size": [3, 3], "activation": "relu"},
        [26, 26, 32],
        "seed model conv 2",
    ),
    ("MaxPooling2D", {"pool_size": [2, 2]}, [24, 24, 63], "seed model pool"),
    ("Flatten", {}, [12, 12, 63], "seed model flatten"),
    ("Dense", {"units": 128, "name": "dense", "activation": "relu"}, [9072], "seed model dense"),
    ("Dense", {"units": 10, "activation": "softmax"}, [128], "seed model output"),
    ("Conv2D", {"filters": 4, "kernel_size": [5, 7]}, [5, 7, 3], "kernel equal to the input"),
    ("Conv1D", {"filters": 2, "kernel_size": 9}, [9, 1], "kernel equal to the input"),
    ("Conv3D", {"filters": 2, "kernel_size": [2, 3, 4]}, [2, 3, 4, 1], "kernel equal to the input"),
    ("DepthwiseConv2D", {"kernel_size": 6}, [6, 6, 3], "kernel equal to the input"),
    ("MaxPooling2D", {"pool_size": [4, 5]}, [4, 5, 2], "pool equal to the input"),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
        [7, 8, 2],
        "same, stride 2",
    ),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": 4, "strides": 3, "padding": "same"},
        [10, 11, 2],
        "same, stride 3",
    ),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": 5, "strides": 4, "padding": "same"},
        [3, 3, 2],
        "kernel > input",
    ),
    (
        "Conv1D",
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "causal"},
        [10, 2],
        "causal, stride 2",
    ),
    (
        "Conv1D",
        {"filters": 3, "kernel_size": 3, "dilation_rate": 4, "padding": "causal"},
        [5, 2],
        "causal dilated",
    ),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, [7, 8, 2], "same pool, stride 2"),
    ("AveragePooling2D", {"pool_size": 5, "padding": "same"}, [3, 4, 1], "pool > input under same"),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, [5, 9, 1], "dilated span 5 = input"),
    (
        "Conv2D",
        {"filters": 2, "kernel_size": 3, "dilation_rate": [3, 1], "padding": "same"},
        [4, 4, 1],
        "dilated",
    ),
    ("DepthwiseConv2D", {"kernel_size": 2, "dilation_rate": 3}, [4, 8, 2], "dilated span 4 = input"),
    (
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
        [5, 5, 3],
        "",
    ),
    ("Conv2DTranspose", {"filters": 5, "kernel_size": 2, "strides": 3}, [4, 4, 7], "kernel < stride, valid"),
    (
        "Conv2DTranspose",
        {"filters": 5, "kernel_size": 1, "strides": 4, "padding": "same"},
        [3, 2, 2],
        "k < s",
    ),
    (
        "Conv2DTranspose",
        {"filters": 5, "kernel_size": 2, "strides": 3, "output_padding": 1},
        [4, 4, 7],
        "kernel < stride, output_padding set",
    ),
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
        [4, 5, 3],
        "same with output_padding",
    ),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 2, "strides": 5}, [3, 1], "kernel < stride"),
    (
        "Conv3DTranspose",
        {"filters": 1, "kernel_size": [1, 2, 3], "strides": [3, 3, 3]},
        [2, 2, 2, 1],
        "k < s",
    ),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, [3, 3, 1], "dilated transpose"),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 4}, [6, 6, 4], "groups = Cin"),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "groups": 4}, [6, 6, 4], "groups = Cin = filters"),
    ("Conv1D", {"filters": 6, "kernel_size": 2, "groups": 3, "data_format": "channels_first"}, [3, 5], ""),
    ("Conv2D", {"filters": 64, "kernel_size": 3, "groups": 4}, [10, 10, 32], "groups 4"),
    ("BatchNormalization", {"center": False, "scale": False}, [24, 24, 63], "BN center and scale off"),
    ("BatchNormalization", {"center": False}, [5, 4], "BN center off"),
    ("BatchNormalization", {"scale": False}, [5, 4], "BN scale off"),
    ("BatchNormalization", {"axis": 1}, [6, 5, 5], "BN channels_first"),
    ("BatchNormalization", {"trainable": False}, [3, 3, 8], "frozen BN"),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "trainable": False}, [5, 5, 2], "frozen conv"),
    ("Dense", {"units": 10, "trainable": False}, [128], "frozen dense"),
    ("LayerNormalization", {"axis": [1, 2]}, [4, 5], "LN two axes"),
    ("LayerNormalization", {"axis": [-1, 1]}, [4, 5, 3], "LN axes of mixed sign"),
    ("LayerNormalization", {"rms_scaling": True, "center": True}, [4, 5], "rms_scaling drops beta"),
    ("LayerNormalization", {"rms_scaling": True, "scale": False}, [4, 5], "rms_scaling keeps gamma"),
    ("LayerNormalization", {"center": False, "scale": False}, [4, 5], "LN without weights"),
    ("GlobalAveragePooling2D", {"keepdims": True, "data_format": "channels_first"}, [3, 5, 6], ""),
    ("Flatten", {"data_format": "channels_first"}, [3, 5, 6], ""),
    ("Flatten", {}, [7], "flatten of a vector"),
    ("Dropout", {"rate": 0.0}, [3], "rate 0"),
    ("Dropout", {"rate": 1.0}, [3], "rate 1"),
    ("Embedding", {"input_dim": 1000, "output_dim": 64}, [20], ""),
    ("Embedding", {"input_dim": 1, "output_dim": 1}, [1], "smallest table"),
    ("ZeroPadding2D", {"padding": [[1, 2], [3, 4]]}, [5, 5, 3], ""),
    ("ZeroPadding2D", {"padding": 0}, [5, 5, 3], "no padding"),
    ("UpSampling2D", {"size": 2}, [5, 6, 3], ""),
    ("Activation", {"activation": "softmax"}, [10], ""),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "padding": "SAME"}, [5, 5, 1], "padding in upper case"),
    ("LayerNormalization", {"axis": 1}, [4, 5, 3], "LN on a leading axis (torch backend bug)"),
    ("LayerNormalization", {"axis": [-3, -1]}, [4, 5, 3], "LN axes apart"),
    ("MaxPooling2D", {}, [4, 6, 2], "default pool_size (2, 2)"),
    (
        "DepthwiseConv2D",
        {"kernel_size": 3, "strides": 2, "dilation_rate": 2},
        [9, 9, 1],
        "Keras allows s>1 with d>1 here",
    ),
    (
        "SeparableConv2D",
        {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
        [9, 9, 1],
        "Keras allows s>1 with d>1 here",
    ),
    ("BatchNormalization", {}, [7], "BN on features"),
    ("Dense", {"units": 3}, [2, 3, 4], "dense on rank 3"),
]

# Each: layer, kwargs, input shape, what is wrong.
_INVALID: list[tuple[str, dict[str, Any], list[int], str]] = [
    ("Conv2D", {"filters": 2, "kernel_size": 3, "momentum": 0.9}, [5, 5, 1], "argument of another layer"),
    ("Dense", {"units": 2, "epsilon": 0.1}, [4], "argument of another layer"),
    ("Dense", {"units": 2, "batch_size": 8}, [4], "argument of InputLayer"),
    ("Dropout", {"rate": 0.1, "mask_zero": True}, [4], "argument of another layer"),
    ("Flatten", {"seed": 1}, [4, 2], "argument of another layer"),
    ("MaxPooling2D", {"activation": "relu"}, [4, 4, 1], "pooling takes no activation"),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "depthwise_initializer": "zeros"}, [5, 5, 1], "wrong layer"),
    ("LayerNormalization", {"momentum": 0.9}, [4], "argument of BatchNormalization"),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "kernel": 3}, [5, 5, 1], "misspelt argument"),
    ("Dense", {"units": 2, "lora_rank": 2}, [4], "LoRA adds weights convwidget does not count"),
    ("Conv2D", {"filters": 0, "kernel_size": 3}, [5, 5, 1], "zero filters"),
    ("Conv2D", {"filters": -4, "kernel_size": 3}, [5, 5, 1], "negative filters"),
    ("Conv2D", {"filters": 2, "kernel_size": 0}, [5, 5, 1], "zero kernel"),
    ("Conv2D", {"filters": 2, "kernel_size": [3, -1]}, [5, 5, 1], "negative kernel"),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "strides": 0}, [5, 5, 1], "zero stride"),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "dilation_rate": 0}, [5, 5, 1], "zero dilation"),
    ("Conv2D", {"filters": 2, "kernel_size": 3}, [5, 0, 1], "zero-size input"),
    ("Conv2D", {"filters": 2, "kernel_size": 1}, [5, 5, 0], "zero input channels"),
    ("Conv2D", {"filters": 2, "kernel_size": 1, "padding": "same"}, [0, 5, 1], "zero-size input, same"),
    ("Conv1D", {"filters": 2, "kernel_size": 3, "padding": "causal"}, [0, 2], "zero-size input, causal"),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 3}, [9, 9, 3], "groups do not divide filters"),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 2}, [9, 9, 3], "groups do not divide channels"),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 0}, [9, 9, 4], "zero groups"),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "groups": 4}, [9, 6], "groups do not divide channels"),
    ("Conv3D", {"filters": 6, "kernel_size": 1, "groups": 4}, [2, 2, 2, 4], "groups do not divide filters"),
    (
        "Conv2DTranspose",
        {"filters": 8, "kernel_size": 3, "strides": 2, "output_padding": 2},
        [4, 4, 1],
        "op = s",
    ),
    ("Conv2DTranspose", {"filters": 8, "kernel_size": 3, "output_padding": 1}, [4, 4, 1], "op > stride 1"),
    (
        "Conv1DTranspose",
        {"filters": 8, "kernel_size": 3, "strides": 2, "output_padding": 3},
        [4, 1],
        "op > s",
    ),
    ("Conv2DTranspose", {"filters": 8, "kernel_size": 3, "output_padding": -1}, [4, 4, 1], "negative op"),
    ("Conv2DTranspose", {"filters": 0, "kernel_size": 3}, [4, 4, 1], "zero filters"),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3}, [0, 4, 1], "zero-size input"),
    (
        "Conv2D",
        {"filters": 8, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
        [9, 9, 1],
        "stride and dilation",
    ),
    (
        "Conv1D",
        {"filters": 8, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
        [9, 1],
        "stride and dilation",
    ),
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
        [4, 4, 1],
        "stride and dilation",
    ),
    ("Dropout", {"rate": 1.5}, [3], "rate above 1"),
    ("Dropout", {"rate": -0.1}, [3], "negative rate"),
    ("Conv2D", {"filters": 8, "kernel_size": 5}, [3, 3, 1], "kernel larger than the input"),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "dilation_rate": 3}, [6, 9, 1], "dilated kernel too large"),
    ("Conv1D", {"filters": 8, "kernel_size": 4}, [3, 1], "kernel larger than the input"),
    ("Conv3D", {"filters": 2, "kernel_size": [1, 1, 3]}, [4, 4, 2, 1], "kernel larger than the input"),
    ("DepthwiseConv2D", {"kernel_size": 4}, [3, 9, 1], "kernel larger than the input"),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 4}, [9, 3, 1], "kernel larger than the input"),
    ("MaxPooling2D", {"pool_size": 4}, [3, 3, 2], "pool larger than the input"),
    ("AveragePooling2D", {"pool_size": [1, 6]}, [3, 5, 2], "pool larger than the input"),
    ("MaxPooling2D", {"pool_size": 0}, [3, 3, 2], "zero pool"),
    ("MaxPooling2D", {"pool_size": 2, "strides": 0}, [3, 3, 2], "zero stride"),
    ("Conv2D", {"filters": 8, "kernel_size": 3}, [9, 9], "input rank 2"),
    ("Conv2D", {"filters": 8, "kernel_size": 3}, [9, 9, 9, 1], "input rank 4"),
    ("Conv1D", {"filters": 8, "kernel_size": 3}, [9], "input rank 1"),
    ("Conv3D", {"filters": 8, "kernel_size": 1}, [9, 9, 1], "input rank 3"),
    ("Conv2DTranspose", {"filters": 8, "kernel_size": 3}, [9, 1], "input rank 2"),
    ("DepthwiseConv2D", {"kernel_size": 1}, [9, 1], "input rank 2"),
    ("MaxPooling2D", {"pool_size": 1}, [9, 1], "input rank 2"),
    ("GlobalAveragePooling2D", {}, [9, 1], "input rank 2"),
    ("UpSampling2D", {}, [9, 9, 9, 1], "input rank 4"),
    ("ZeroPadding2D", {}, [9], "input rank 1"),
    ("BatchNormalization", {"axis": 5}, [3, 3, 2], "axis out of range"),
    ("BatchNormalization", {"axis": -5}, [3, 3, 2], "axis out of range"),
    ("BatchNormalization", {"axis": 0}, [3, 3, 2], "batch axis"),
    ("BatchNormalization", {"axis": [1, 2]}, [3, 3, 2], "axis list"),
    ("LayerNormalization", {"axis": 3}, [3, 2], "axis out of range"),
    ("LayerNormalization", {"axis": [1, 4]}, [3, 2, 2], "axis out of range"),
    ("LayerNormalization", {"axis": 0}, [3, 2], "batch axis"),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "padding": "full"}, [9, 9, 1], "unknown padding"),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "padding": "causal"}, [9, 9, 1], "causal is 1-D only"),
    ("MaxPooling2D", {"pool_size": 2, "padding": "causal"}, [9, 9, 1], "unknown padding"),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "padding": "causal"}, [4, 4, 1], "unknown padding"),
    ("DepthwiseConv2D", {"kernel_size": 3, "padding": "full"}, [9, 9, 1], "unknown padding"),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "data_format": "nhwc"}, [9, 9, 1], "unknown data_format"),
    ("Dense", {"units": 0}, [4], "zero units"),
    ("Dense", {"units": -3}, [4], "negative units"),
    ("Dense", {"units": 3}, [0], "zero-size input"),
    ("Dense", {"units": 3}, [4, 0], "zero features"),
    ("Embedding", {"input_dim": 0, "output_dim": 4}, [3], "empty vocabulary"),
    ("Embedding", {"input_dim": 5, "output_dim": 0}, [3], "zero embedding size"),
    ("Embedding", {"input_dim": 5, "output_dim": 4}, [0], "zero-length sequence"),
    ("Flatten", {}, [3, 0], "zero-size input"),
    ("Dropout", {"rate": 0.5}, [0], "zero-size input"),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 0}, [5, 5, 1], "zero depth_multiplier"),
    ("SeparableConv2D", {"filters": 0, "kernel_size": 3}, [5, 5, 1], "zero filters"),
    ("UpSampling2D", {"size": 0}, [3, 3, 1], "zero size"),
    ("ZeroPadding2D", {"padding": -1}, [3, 3, 1], "negative padding"),
    ("UpSampling2D", {"interpolation": "cubic"}, [3, 3, 1], "unknown interpolation"),
    ("BatchNormalization", {}, [3, 0], "zero channels"),
    ("LayerNormalization", {}, [3, 0], "zero features"),
    ("AveragePooling2D", {}, [4, 4, 1], "no pool_size (required in Keras 3)"),
    ("LayerNormalization", {"axis": [1, 1]}, [4, 5], "the same axis twice"),
    ("LayerNormalization", {"axis": [2, -1]}, [4, 5], "the same axis twice, written two ways"),
    ("BatchNormalization", {"axis": -4}, [4, 5, 3], "batch axis, counted from the end"),
    ("LayerNormalization", {"axis": []}, [4, 5], "no axis"),
]


def edge_cases() -> list[Case]:
    """Hand-picked cases Keras accepts: the seed model and the corners of each rule."""
    return [_case(f"e{i:02d}", *spec[:3], "edge", spec[3]) for i, spec in enumerate(_EDGE)]


def invalid_cases() -> list[Case]:
    """Hand-picked cases Keras or convwidget refuses (zero sizes, impossible arguments, bad inputs)."""
    return [_case(f"x{i:02d}", *spec[:3], "invalid", spec[3]) for i, spec in enumerate(_INVALID)]


# ---------------------------------------------------------------- live Keras

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _refused_on_purpose(case: Case, out_shape: list[int] | None) -> str:
    """Why convwidget refuses a case Keras accepts, or ``""`` if it does not refuse it on purpose."""
    kwargs = case["kwargs"]
    if any(d == 0 for d in case["input_shape"]):
        return "zero-size input: Keras accepts it, convwidget refuses it on purpose (in a lesson, a mistake)"
    for arg in ("filters", "units", "input_dim", "output_dim", "depth_multiplier"):
        if kwargs.get(arg) == 0:
            return f"{arg}=0: Keras accepts it, convwidget refuses it on purpose (a layer of size zero)"
    if out_shape is not None and any(d == 0 for d in out_shape):
        return "zero-size output: Keras returns an empty tensor, convwidget refuses it on purpose"
    if kwargs.get("lora_rank"):
        return "lora_rank adds LoRA weights that Keras counts; convwidget refuses it (not taught here)"
    axis = kwargs.get("axis")
    batch_axes = (0, -len(case["input_shape"]) - 1)
    if case["layer"] in ("BatchNormalization", "LayerNormalization") and any(
        a in batch_axes for a in _flat(axis)
    ):
        return f"axis={axis} names the batch axis: Keras sizes weights by the batch, convwidget refuses it"
    if case["layer"] == "LayerNormalization" and axis == []:
        return "axis=[] normalizes over no axis: Keras builds scalar γ and β, convwidget refuses it"
    if case["layer"].endswith("Pooling2D") and str(kwargs.get("padding", "")).lower() == "causal":
        return "padding='causal' is for 1-D convolutions: Keras' 2-D pooling silently treats it as 'valid'"
    padding = kwargs.get("padding")
    if case["layer"] == "ZeroPadding2D" and any(v < 0 for v in _flat(padding)):
        return "negative padding: Keras crops instead; convwidget refuses it (use Cropping2D to crop)"
    return ""


def _flat(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [v for item in value for v in _flat(item)]
    return [value]


def _is_torch_layernorm_bug(case: Case, exc: Exception) -> bool:
    """Keras 3.15's torch backend fails on LayerNormalization over axes that are not the last ones.

    ``keras.ops.layer_normalization`` sends any *contiguous* run of axes to
    ``torch.nn.functional.layer_norm``, which only normalizes trailing axes,
    so ``axis=1`` on a rank-3 input raises at call time (JAX and TensorFlow
    run it). The layer itself is well defined, so such cases are recorded
    from ``build()`` and ``compute_output_shape()`` instead.
    """
    return case["layer"] == "LayerNormalization" and "normalized_shape" in str(exc)


def record(case: Case, keras: Any) -> Case:
    """Build ``case`` in real Keras, run it on zeros of shape ``(1, *input_shape)`` and record the result.

    Parameters
    ----------
    case : dict
        A case from :func:`random_cases`, :func:`edge_cases` or :func:`invalid_cases`.
    keras : module
        The imported ``keras`` package (any backend; the recorded file uses torch).

    Returns
    -------
    dict
        The case plus ``expect``: ``"ok"`` with ``output_shape``, ``trainable``,
        ``non_trainable`` and ``weights`` (``[[short name, shape], …]`` in
        ``layer.weights`` order); ``"error"`` with ``keras_error`` (Keras
        refused it); or ``"ConfigError"`` with ``why`` (Keras accepts it,
        convwidget refuses it on purpose).
    """
    out = dict(case)
    stage = "init"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = getattr(keras.layers, case["layer"])(**case["kwargs"])
            stage = "call"
            dtype = "int32" if case["layer"] == "Embedding" else "float32"
            y = layer(keras.ops.zeros((1, *case["input_shape"]), dtype=dtype))
    except Exception as exc:  # any refusal by Keras or its backend counts
        if not _is_torch_layernorm_bug(case, exc):
            message = _ANSI.sub("", str(exc)).strip()
            out["expect"] = "error"
            out["keras_error"] = {"stage": stage, "type": type(exc).__name__, "message": message[:300]}
            return out
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = keras.layers.LayerNormalization(**case["kwargs"])
            layer.build((1, *case["input_shape"]))
            y = keras.KerasTensor(layer.compute_output_shape((1, *case["input_shape"])))
        out["keras_note"] = "torch backend fails on non-trailing axes; shapes from build()"
    shape = [int(d) for d in tuple(y.shape)[1:]]
    why = _refused_on_purpose(case, shape)
    if why:
        out["expect"] = "ConfigError"
        out["why"] = why
        out["keras_output_shape"] = shape
        return out
    out["expect"] = "ok"
    out["output_shape"] = shape
    out["trainable"] = sum(math.prod(w.shape) for w in layer.trainable_weights)
    out["non_trainable"] = sum(math.prod(w.shape) for w in layer.non_trainable_weights)
    out["weights"] = [[w.name, [int(d) for d in w.shape]] for w in layer.weights]
    return out


# ----------------------------------------------------------------- comparison


def mismatches(rec: Case) -> list[str]:
    """Describe a recorded case with convwidget and list how it differs from Keras.

    Returns an empty list when convwidget agrees: same output shape, counts
    and weights (names and shapes, in order) for ``expect == "ok"``, and a
    :class:`convwidget.ConfigError` (nothing else) otherwise.
    """
    from convwidget import ConfigError, layers

    want_error = rec["expect"] != "ok"
    try:
        layer = getattr(layers, rec["layer"])(**rec["kwargs"])
        info = layer.describe(tuple(rec["input_shape"]))
    except ConfigError as exc:
        if want_error:
            # house rule: the message starts with the layer it is about
            return [] if str(exc).startswith(rec["layer"]) else [f"message does not name the layer: {exc}"]
        return [f"convwidget raised ConfigError but Keras accepts it: {exc}"]
    except Exception as exc:  # any other exception type is itself the bug
        return [f"convwidget raised {type(exc).__name__} (only ConfigError is allowed): {exc}"]
    if want_error:
        said = rec.get("why") or rec.get("keras_error", {}).get("message", "")
        return [f"convwidget accepted it (output {info.output_shape}) but expected ConfigError: {said}"]
    problems = []
    if list(info.output_shape) != rec["output_shape"]:
        problems.append(f"output shape {list(info.output_shape)} != Keras {rec['output_shape']}")
    if info.trainable_params != rec["trainable"]:
        problems.append(f"trainable {info.trainable_params} != Keras {rec['trainable']}")
    if info.non_trainable_params != rec["non_trainable"]:
        problems.append(f"non-trainable {info.non_trainable_params} != Keras {rec['non_trainable']}")
    ours = [[name, list(shape)] for name, shape in info.weights.items()]
    if ours != rec["weights"]:
        problems.append(f"weights {ours} != Keras {rec['weights']}")
    if info.terms.total != info.params:
        problems.append(f"formula total {info.terms.total} != params {info.params}")
    return problems
