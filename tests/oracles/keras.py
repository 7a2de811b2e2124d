"""The Keras oracle: layer cases, how real Keras 3 runs them, and how convwidget must agree.

The shape of :class:`tests.oracles.base.Oracle`, shared with :mod:`tests.oracles.torch`:

* :func:`cases` (= :func:`random_cases` + :func:`edge_cases` +
  :func:`invalid_cases`) makes :class:`~tests.oracles.base.Case` dicts whose
  kwargs are keras.layers arguments, JSON-serialisable (tuples written as
  lists); the hand-picked ones are in :mod:`tests.oracles.keras_hand_picked`;
* :func:`record` builds one case in real Keras (imported there, with the
  torch backend unless one is chosen), runs it on a zeros tensor of shape
  ``(1, *input_shape)`` and adds what Keras did;
* :func:`mismatches` describes a recorded case with :mod:`convwidget.layers`
  and lists every difference (an empty list means agreement).

``scripts/record_keras_cases.py`` writes ``tests/data/keras_cases.json``,
``tests/test_keras_cases.py`` replays it without any framework, and
``tests/test_keras_live.py`` runs a fresh sample in live Keras.
"""

from __future__ import annotations

import math
import os
import random
import re
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .base import DATA as _DATA_DIR
from .base import Case, convwidget_describes, formula_problems

if TYPE_CHECKING:
    from convwidget.info import LayerInfo
from .keras_hand_picked import EDGE, INVALID

__all__ = [
    "DATA",
    "DEFAULT_SEED",
    "LAYERS",
    "case_id",
    "cases",
    "edge_cases",
    "invalid_cases",
    "mismatches",
    "random_cases",
    "random_layer",
    "record",
]

DATA = _DATA_DIR / "keras_cases.json"
DEFAULT_SEED = 0

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
    list of Case
        Cases with keys ``id``, ``layer``, ``kwargs``, ``input_shape``, ``source``.
    """
    rng = random.Random(seed)
    drawn = []
    for layer, count in LAYERS.items():
        for i in range(max(1, round(count * scale))):
            kwargs, shape = _GENERATORS[layer](rng)
            drawn.append(_case(f"s{seed}r{i:02d}", layer, kwargs, shape, "random"))
    return drawn


# ----------------------------------------------------------- hand-picked cases


def edge_cases() -> list[Case]:
    """Hand-picked cases Keras accepts: the seed model and the corners of each rule."""
    return [_case(f"e{i:02d}", *spec[:3], "edge", spec[3]) for i, spec in enumerate(EDGE)]


def invalid_cases() -> list[Case]:
    """Hand-picked cases Keras or convwidget refuses (zero sizes, impossible arguments, bad inputs)."""
    return [_case(f"x{i:02d}", *spec[:3], "invalid", spec[3]) for i, spec in enumerate(INVALID)]


def cases(seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Case]:
    """Every case of a recording, in the order of ``tests/data/keras_cases.json``: random, edge, invalid."""
    return [*random_cases(seed, scale), *edge_cases(), *invalid_cases()]


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


def import_keras() -> Any:
    """Import Keras, choosing the torch backend (the recorded file's) unless one is chosen already.

    The backend is fixed at Keras' first import, so the choice is only made
    when nothing has imported Keras yet.
    """
    if "keras" not in sys.modules:
        os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    return keras


def record(case: Case) -> Case:
    """Build ``case`` in real Keras, run it on zeros of shape ``(1, *input_shape)`` and record the result.

    Parameters
    ----------
    case : Case
        A case from :func:`cases`, :func:`random_cases`, :func:`edge_cases` or :func:`invalid_cases`.

    Returns
    -------
    Case
        The case plus ``expect``: ``"ok"`` with ``output_shape``, ``trainable``,
        ``non_trainable`` and ``weights`` (``[[short name, shape], …]`` in
        ``layer.weights`` order); ``"error"`` with ``keras_error`` (Keras
        refused it); or ``"ConfigError"`` with ``why`` (Keras accepts it,
        convwidget refuses it on purpose).
    """
    keras = import_keras()
    out: Case = {**case}
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
    return built_outcome(out, layer, shape, _refused_on_purpose(case, shape))


def built_outcome(out: dict[str, Any], layer: Any, shape: list[int], why: str | None) -> dict[str, Any]:
    """``out`` completed for a layer Keras built: refused on purpose (``why``), or its shape and weights."""
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
    :class:`convwidget.ConfigError` (nothing else) whose message starts with
    the layer's name otherwise.
    """
    from convwidget import layers

    info, refusal, crash = convwidget_describes(layers, rec)
    return compare_with_keras(rec, info, refusal, crash)


def compare_with_keras(
    rec: Case, info: LayerInfo | None, refusal: Exception | None, crash: str | None, short_names: bool = False
) -> list[str]:
    """How convwidget's description of ``rec`` differs from what Keras recorded (shared by the oracles).

    ``short_names`` compares weight names by the part after the last ``/``.
    """
    want_error = rec["expect"] != "ok"
    if crash:
        return [crash]
    if refusal is not None:
        if not want_error:
            return [f"convwidget raised ConfigError but Keras accepts it: {refusal}"]
        # house rule: the message starts with the layer it is about
        if str(refusal).startswith(rec["layer"]):
            return []
        return [f"message does not name the layer: {refusal}"]
    assert info is not None
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
    ours = [
        [name.rsplit("/", 1)[-1] if short_names else name, list(shape)]
        for name, shape in info.weights.items()
    ]
    if ours != rec["weights"]:
        problems.append(f"weights {ours} != Keras {rec['weights']}")
    return problems + formula_problems(info)
