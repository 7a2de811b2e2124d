"""Record what real PyTorch does with several hundred module configurations, for tests without torch.

Usage: ``python scripts/record_torch_cases.py [--seed N] [--random N] [--out PATH]``

Each case is a ``torch.nn`` class name, positional and keyword arguments and
an input shape without the batch axis. The script builds the module in real
PyTorch, runs it (in eval mode) on ``torch.zeros(1, *input_shape)`` (ids of
dtype long for Embedding; a batch of 2 for BatchNorm, whose batch statistics
need more than one value per channel), and records the output shape without
the batch axis, the parameter and buffer element counts and each named
parameter's and buffer's shape — or the exception PyTorch raised. The cases
are seeded random configurations, hand-picked edge cases and invalid ones.

``tests/test_torch_cases.py`` replays the file against :mod:`convwidget.nn`
without torch; ``tests/test_torch_live.py`` draws a fresh sample and compares
live. The generator and the comparison (:func:`generate_cases`,
:func:`compare`) need no torch; only :func:`run_in_torch` does.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "data" / "torch_cases.json"
DEFAULT_SEED = 20261101
DEFAULT_RANDOM = 480

Case = dict[str, Any]


# --------------------------------------------------------------------------- generation (no torch)


def _case(layer: str, args: list[Any], kwargs: dict[str, Any], shape: list[int], kind: str) -> Case:
    return {"layer": layer, "args": args, "kwargs": kwargs, "input_shape": shape, "kind": kind}


def _ints(rng: random.Random, rank: int, low: int, high: int) -> int | list[int]:
    """An int or, half the time, a list of ``rank`` ints (PyTorch takes both)."""
    if rank == 1 or rng.random() < 0.5:
        return rng.randint(low, high)
    return [rng.randint(low, high) for _ in range(rank)]


def _random_conv(rng: random.Random) -> Case:
    rank = rng.choice([1, 2, 2, 2, 3])
    groups = rng.choice([1, 1, 1, 2, 3, 4])
    cin, cout = groups * rng.randint(1, 4), groups * rng.randint(1, 4)
    kwargs: dict[str, Any] = {}
    kernel = _ints(rng, rank, 1, 5)
    if rng.random() < 0.6:
        kwargs["stride"] = _ints(rng, rank, 1, 3)
    if rng.random() < 0.4:
        kwargs["dilation"] = _ints(rng, rank, 1, 3)
    r = rng.random()
    if r < 0.15:
        kwargs["padding"] = "same"
    elif r < 0.25:
        kwargs["padding"] = "valid"
    elif r < 0.75:
        kwargs["padding"] = _ints(rng, rank, 0, 3)
    if groups > 1:
        kwargs["groups"] = groups
    if rng.random() < 0.3:
        kwargs["bias"] = False
    if rng.random() < 0.3:
        kwargs["padding_mode"] = rng.choice(["reflect", "replicate", "circular"])
    top = 7 if rank == 3 else 12
    spatial = [rng.randint(1, top) for _ in range(rank)]
    channels = cin if rng.random() < 0.95 else cin + 1
    return _case(f"Conv{rank}d", [cin, cout, kernel], kwargs, [channels, *spatial], "random")


def _random_transpose(rng: random.Random) -> Case:
    rank = rng.choice([1, 2, 2, 3])
    groups = rng.choice([1, 1, 1, 2, 3])
    cin, cout = groups * rng.randint(1, 4), groups * rng.randint(1, 4)
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.7:
        kwargs["stride"] = _ints(rng, rank, 1, 3)
    if rng.random() < 0.5:
        kwargs["padding"] = _ints(rng, rank, 0, 3)
    if rng.random() < 0.5:
        kwargs["output_padding"] = _ints(rng, rank, 0, 2)
    if rng.random() < 0.3:
        kwargs["dilation"] = _ints(rng, rank, 1, 3)
    if groups > 1:
        kwargs["groups"] = groups
    if rng.random() < 0.3:
        kwargs["bias"] = False
    top = 5 if rank == 3 else 8
    spatial = [rng.randint(1, top) for _ in range(rank)]
    return _case(
        f"ConvTranspose{rank}d", [cin, cout, _ints(rng, rank, 1, 5)], kwargs, [cin, *spatial], "random"
    )


def _random_shape(rng: random.Random, low_rank: int = 1, high_rank: int = 3, top: int = 6) -> list[int]:
    return [rng.randint(1, top) for _ in range(rng.randint(low_rank, high_rank))]


def _random_linear(rng: random.Random) -> Case:
    fin, fout = rng.randint(1, 40), rng.randint(1, 40)
    shape = [*_random_shape(rng, 0, 2), fin if rng.random() < 0.95 else fin + 1]
    kwargs = {"bias": False} if rng.random() < 0.3 else {}
    return _case("Linear", [fin, fout], kwargs, shape, "random")


def _random_batchnorm(rng: random.Random) -> Case:
    n = rng.choice([1, 2, 3])
    c = rng.randint(1, 16)
    rest = {1: rng.choice([[], [rng.randint(1, 6)]]), 2: [rng.randint(1, 5)] * 2, 3: [rng.randint(1, 4)] * 3}[
        n
    ]
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.3:
        kwargs["affine"] = False
    if rng.random() < 0.3:
        kwargs["track_running_stats"] = False
    channels = c if rng.random() < 0.95 else c + 1
    return _case(f"BatchNorm{n}d", [c], kwargs, [channels, *rest], "random")


def _random_layernorm(rng: random.Random) -> Case:
    shape = _random_shape(rng)
    k = rng.randint(1, len(shape))
    normalized: Any = shape[-k:]
    if k == 1 and rng.random() < 0.5:
        normalized = shape[-1]
    if rng.random() < 0.05:
        normalized = [d + 1 for d in shape[-k:]]
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.3:
        kwargs["elementwise_affine"] = False
    if rng.random() < 0.3:
        kwargs["bias"] = False
    return _case("LayerNorm", [normalized], kwargs, shape, "random")


def _random_pool(rng: random.Random) -> Case:
    layer = rng.choice(["MaxPool2d", "AvgPool2d"])
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.5:
        kwargs["stride"] = _ints(rng, 2, 1, 3)
    if rng.random() < 0.5:
        kwargs["padding"] = _ints(rng, 2, 0, 2)
    if layer == "MaxPool2d" and rng.random() < 0.3:
        kwargs["dilation"] = _ints(rng, 2, 1, 3)
    if rng.random() < 0.4:
        kwargs["ceil_mode"] = True
    if layer == "AvgPool2d" and rng.random() < 0.3:
        kwargs["count_include_pad"] = False
    shape = [rng.randint(1, 4), rng.randint(1, 12), rng.randint(1, 12)]
    return _case(layer, [_ints(rng, 2, 1, 4)], kwargs, shape, "random")


def _random_adaptive(rng: random.Random) -> Case:
    size: Any = rng.randint(1, 6)
    if rng.random() < 0.6:
        size = [rng.choice([None, rng.randint(1, 6)]) for _ in range(2)]
    return _case(
        "AdaptiveAvgPool2d", [size], {}, [rng.randint(1, 4), rng.randint(1, 9), rng.randint(1, 9)], "random"
    )


def _random_flatten(rng: random.Random) -> Case:
    shape = _random_shape(rng)
    rank = len(shape) + 1
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.7:
        kwargs["start_dim"] = rng.randint(-rank, rank - 1)
    if rng.random() < 0.7:
        kwargs["end_dim"] = rng.randint(-rank, rank - 1)
    return _case("Flatten", [], kwargs, shape, "random")


def _random_embedding(rng: random.Random) -> Case:
    num, dim = rng.randint(1, 50), rng.randint(1, 16)
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.4:
        kwargs["padding_idx"] = rng.randint(-num, num - 1)
    if rng.random() < 0.2:
        kwargs["max_norm"] = 1.0
    return _case("Embedding", [num, dim], kwargs, _random_shape(rng), "random")


_ACTIVATIONS = [
    "ReLU",
    "ReLU6",
    "LeakyReLU",
    "ELU",
    "SELU",
    "GELU",
    "SiLU",
    "Mish",
    "Hardswish",
    "Sigmoid",
    "Tanh",
]


def _random_elementwise(rng: random.Random) -> Case:
    shape = _random_shape(rng, 1, 3, 5)
    r = rng.random()
    if r < 0.2:
        return _case("Dropout", [round(rng.random(), 3)], {}, shape, "random")
    if r < 0.35:
        rank = len(shape) + 1
        return _case(
            rng.choice(["Softmax", "LogSoftmax"]), [], {"dim": rng.randint(-rank, rank - 1)}, shape, "random"
        )
    return _case(rng.choice(_ACTIVATIONS), [], {}, shape, "random")


_GENERATORS = [
    (_random_conv, 30),
    (_random_transpose, 18),
    (_random_linear, 8),
    (_random_batchnorm, 8),
    (_random_layernorm, 6),
    (_random_pool, 14),
    (_random_adaptive, 4),
    (_random_flatten, 6),
    (_random_embedding, 4),
    (_random_elementwise, 4),
]


def random_cases(seed: int, n: int) -> list[Case]:
    """``n`` seeded random configurations, valid and invalid, weighted towards convolutions."""
    rng = random.Random(seed)
    gens = [g for g, _ in _GENERATORS]
    weights = [w for _, w in _GENERATORS]
    return [rng.choices(gens, weights)[0](rng) for _ in range(n)]


def edge_cases() -> list[Case]:
    """Hand-picked boundaries: the seed model, padding limits, pooling ceil mode, Flatten dims."""
    e = "edge"
    return [
        # the seed question's model, channels first
        _case("Conv2d", [1, 32, 3], {}, [1, 28, 28], e),
        _case("Conv2d", [32, 63, 3], {}, [32, 26, 26], e),
        _case("MaxPool2d", [2], {}, [63, 24, 24], e),
        _case("Dropout", [0.25], {}, [63, 12, 12], e),
        _case("Flatten", [], {}, [63, 12, 12], e),
        _case("Linear", [9072, 128], {}, [9072], e),
        _case("Linear", [128, 10], {}, [128], e),
        _case("BatchNorm2d", [64], {}, [64, 5, 5], e),
        _case("BatchNorm1d", [6], {}, [6], e),
        _case("BatchNorm1d", [6], {"track_running_stats": False}, [6, 7], e),
        # 'same' with even kernels and dilation: PyTorch pads d·(k−1), the odd cell after
        _case("Conv2d", [3, 4, 4], {"padding": "same"}, [3, 8, 8], e),
        _case("Conv2d", [3, 4, [2, 5]], {"padding": "same", "dilation": [3, 2]}, [3, 8, 7], e),
        _case("Conv2d", [3, 4, 9], {"padding": "same"}, [3, 4, 4], e),
        _case("Conv1d", [2, 2, 4], {"padding": "same", "padding_mode": "reflect"}, [2, 3], e),
        _case("Conv1d", [2, 2, 3], {"padding": "same", "padding_mode": "reflect"}, [2, 2], e),
        _case("Conv1d", [2, 2, 3], {"padding": "same", "padding_mode": "reflect"}, [2, 1], e),
        # padding modes at their limits
        _case("Conv2d", [3, 4, 3], {"padding": 7, "padding_mode": "reflect"}, [3, 8, 8], e),
        _case("Conv2d", [3, 4, 3], {"padding": 8, "padding_mode": "reflect"}, [3, 8, 8], e),
        _case("Conv2d", [3, 4, 3], {"padding": 8, "padding_mode": "circular"}, [3, 8, 8], e),
        _case("Conv2d", [3, 4, 3], {"padding": 9, "padding_mode": "circular"}, [3, 8, 8], e),
        _case("Conv2d", [3, 4, 3], {"padding": 20, "padding_mode": "replicate"}, [3, 8, 8], e),
        _case("Conv2d", [3, 4, 3], {"padding": [0, 8], "padding_mode": "reflect"}, [3, 9, 8], e),
        # kernel exactly the padded input; stride with dilation (Keras refuses, PyTorch allows)
        _case("Conv2d", [2, 2, 5], {"padding": 1}, [2, 3, 3], e),
        _case("Conv2d", [2, 2, 5], {"padding": 1}, [2, 2, 3], e),
        _case("Conv2d", [2, 2, 3], {"stride": 2, "dilation": 2}, [2, 9, 9], e),
        _case("Conv3d", [2, 4, [1, 2, 3]], {"groups": 2}, [2, 3, 3, 3], e),
        # transposed: output_padding below stride or dilation, output size exactly 1
        _case("ConvTranspose2d", [4, 6, 3], {"dilation": 3, "output_padding": 2}, [4, 8, 8], e),
        _case("ConvTranspose2d", [4, 6, 3], {"stride": 2, "output_padding": 1}, [4, 8, 8], e),
        _case("ConvTranspose2d", [4, 6, 3], {"padding": 1}, [4, 1, 1], e),
        _case("ConvTranspose2d", [4, 6, 2], {"padding": 1}, [4, 1, 1], e),
        _case("ConvTranspose1d", [1, 1, 1], {"stride": 3}, [1, 4], e),
        _case("ConvTranspose2d", [4, 6, 3], {"groups": 2}, [4, 5, 5], e),
        # pooling: padding = half the kernel, ceil mode dropping a window that starts in the padding
        _case("MaxPool2d", [4], {"padding": 2}, [3, 8, 8], e),
        _case("MaxPool2d", [3], {"padding": 1, "dilation": 2}, [3, 8, 8], e),
        _case("MaxPool2d", [2], {"stride": 2, "ceil_mode": True}, [3, 5, 5], e),
        _case("MaxPool2d", [2], {"stride": 2, "padding": 1, "ceil_mode": True}, [3, 5, 5], e),
        _case("AvgPool2d", [3], {"stride": 2, "padding": 1, "ceil_mode": True}, [3, 6, 6], e),
        _case("AvgPool2d", [2], {"stride": 3, "padding": 1, "ceil_mode": True}, [1, 4, 4], e),
        _case("AvgPool2d", [4], {"padding": 2}, [3, 8, 8], e),
        _case("MaxPool2d", [3], {}, [3, 3, 3], e),
        # adaptive pooling to a larger size; None keeps an axis
        _case("AdaptiveAvgPool2d", [[9, 9]], {}, [3, 5, 7], e),
        _case("AdaptiveAvgPool2d", [[None, 3]], {}, [3, 5, 7], e),
        _case("AdaptiveAvgPool2d", [1], {}, [64, 7, 7], e),
        # Flatten dims count the batch axis
        _case("Flatten", [2, -1], {}, [3, 5, 7], e),
        _case("Flatten", [-1], {}, [3, 5, 7], e),
        _case("Flatten", [1, 2], {}, [3, 5, 7], e),
        _case("Flatten", [-3, -2], {}, [3, 5, 7], e),
        _case("Linear", [7, 2], {}, [3, 5, 7], e),
        _case("LayerNorm", [[5, 3]], {}, [2, 5, 3], e),
        _case("LayerNorm", [3], {"bias": False}, [2, 5, 3], e),
        _case("LayerNorm", [[2, 5, 3]], {"elementwise_affine": False}, [2, 5, 3], e),
        _case("Embedding", [10, 4], {"padding_idx": -10}, [3, 5], e),
        _case("Embedding", [10, 4], {"padding_idx": 9, "max_norm": 1.0}, [3], e),
        _case("Softmax", [], {"dim": 1}, [10], e),
        _case("Dropout", [1.0], {}, [4], e),
        _case("Dropout", [0], {}, [4], e),
    ]


def invalid_cases() -> list[Case]:
    """Configurations PyTorch refuses, or that convwidget refuses on purpose (:func:`deliberate_refusal`)."""
    i = "invalid"
    return [
        _case("Conv2d", [3, 4, 3], {"stride": 2, "padding": "same"}, [3, 8, 8], i),
        _case("Conv2d", [3, 4, 3], {"padding": "full"}, [3, 8, 8], i),
        _case("Conv2d", [3, 4, 3], {"padding_mode": "mirror"}, [3, 8, 8], i),
        _case("Conv2d", [4, 6, 3], {"groups": 4}, [4, 8, 8], i),
        _case("Conv2d", [4, 6, 3], {"groups": 3}, [4, 8, 8], i),
        _case("Conv2d", [4, 6, 3], {}, [5, 8, 8], i),
        _case("Conv2d", [4, 6, 9], {}, [4, 8, 8], i),
        _case("Conv2d", [4, 6, 3], {"dilation": 4}, [4, 8, 8], i),
        _case("Conv2d", [4, 6, 3], {}, [4, 8], i),
        _case("Conv2d", [4, 6, 3], {}, [4, 8, 8, 8], i),
        _case("Conv2d", [1, 6, 3], {}, [4, 8], i),
        _case("Conv1d", [3, 4, 3], {}, [3], i),
        _case("Conv3d", [3, 4, 3], {}, [3, 5, 5], i),
        _case("Conv2d", [3, 0, 3], {}, [3, 8, 8], i),
        _case("Conv2d", [3, 4, 0], {}, [3, 8, 8], i),
        _case("Conv2d", [3, 4, 3], {"stride": 0}, [3, 8, 8], i),
        _case("Conv2d", [3, 4, 3], {"padding": -1}, [3, 8, 8], i),
        _case("ConvTranspose2d", [4, 6, 3], {"stride": 2, "output_padding": 2}, [4, 8, 8], i),
        _case("ConvTranspose2d", [4, 6, 3], {"output_padding": 1}, [4, 8, 8], i),
        _case("ConvTranspose2d", [4, 6, 3], {"padding": 3}, [4, 1, 1], i),
        _case("ConvTranspose2d", [4, 6, 2], {"padding": 1, "stride": 1}, [4, 1, 2], i),
        _case("ConvTranspose2d", [4, 6, 3], {"padding": "same"}, [4, 5, 5], i),
        _case("ConvTranspose2d", [4, 6, 3], {"padding_mode": "reflect"}, [4, 5, 5], i),
        _case("ConvTranspose2d", [4, 6, 3], {"groups": 4}, [4, 5, 5], i),
        _case("ConvTranspose2d", [4, 0, 3], {}, [4, 5, 5], i),
        _case("ConvTranspose2d", [4, 6, 3], {}, [3, 5, 5], i),
        _case("Linear", [3, 0], {}, [5, 3], i),
        _case("Linear", [3, 4], {}, [5, 4], i),
        _case("BatchNorm2d", [6], {}, [6, 7], i),
        _case("BatchNorm2d", [6], {}, [5, 7, 7], i),
        _case("BatchNorm2d", [64], {"affine": False, "track_running_stats": False}, [3, 5, 5], i),
        _case("BatchNorm1d", [6], {}, [6, 2, 2], i),
        _case("LayerNorm", [[4, 3]], {}, [2, 5, 3], i),
        _case("LayerNorm", [[2, 5, 3]], {}, [5, 3], i),
        _case("MaxPool2d", [3], {"padding": 2}, [3, 8, 8], i),
        _case("MaxPool2d", [3], {"padding": 2, "dilation": 2}, [3, 8, 8], i),
        _case("AvgPool2d", [3], {"padding": 2}, [3, 8, 8], i),
        _case("MaxPool2d", [5], {}, [3, 3, 3], i),
        _case("MaxPool2d", [2], {}, [8, 8], i),
        _case("AvgPool2d", [3], {"dilation": 2}, [3, 8, 8], i),
        _case("AdaptiveAvgPool2d", [[0, 2]], {}, [3, 5, 7], i),
        _case("AdaptiveAvgPool2d", [0], {}, [3, 5, 7], i),
        _case("Flatten", [0], {}, [3, 5, 7], i),
        _case("Flatten", [-4], {}, [3, 5, 7], i),
        _case("Flatten", [3, 1], {}, [3, 5, 7], i),
        _case("Flatten", [5], {}, [3, 5, 7], i),
        _case("Flatten", [1, -5], {}, [3, 5, 7], i),
        _case("Embedding", [10, 4], {"padding_idx": 10}, [3, 5], i),
        _case("Embedding", [10, 4], {"padding_idx": -11}, [3, 5], i),
        _case("Embedding", [10, 0], {}, [3, 5], i),
        _case("Dropout", [1.5], {}, [4], i),
        _case("Dropout", [-0.1], {}, [4], i),
        _case("Softmax", [], {"dim": 2}, [10], i),
        _case("GELU", [], {"approximate": "fast"}, [10], i),
    ]


def generate_cases(seed: int = DEFAULT_SEED, n_random: int = DEFAULT_RANDOM) -> list[Case]:
    """All cases to record: edge, invalid, then ``n_random`` seeded random ones, each with an ``id``."""
    cases = [*edge_cases(), *invalid_cases(), *random_cases(seed, n_random)]
    for k, case in enumerate(cases):
        case["id"] = f"{case['kind']}-{k:04d}-{case['layer']}"
    return cases


# --------------------------------------------------------------------------- comparison (no torch)


def deliberate_refusal(case: Case, record: dict[str, Any] | None = None) -> str | None:
    """Why convwidget refuses a case on purpose although PyTorch runs it, or None.

    The list is narrow and each entry is documented in :mod:`convwidget.nn`.
    ``record`` (what torch did) adds one rule: an output with a zero-size
    axis, which PyTorch produces for instance from a ConvTranspose3d whose
    padding eats the whole output.
    """
    layer, args, kwargs, shape = case["layer"], case["args"], case["kwargs"], case["input_shape"]
    params = dict(kwargs)
    if record is not None and record["ok"] and 0 in record["output_shape"]:
        return "zero-size output"
    if layer.startswith(("Conv", "ConvTranspose")):
        rank = int(layer[-2])
        if len(args) > 1 and args[1] == 0:
            return "zero output channels"
        if len(shape) != rank + 1:
            return "wrong input rank (PyTorch reads the batch axis of an unbatched input as channels)"
    if layer == "Linear" and args[1] == 0:
        return "zero output features"
    if layer == "Embedding" and args[1] == 0:
        return "zero embedding size"
    if layer == "AdaptiveAvgPool2d":
        size = args[0]
        if size == 0 or (isinstance(size, list) and 0 in size):
            return "zero output size"
    if layer in ("MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d") and len(shape) != 3:
        return "wrong input rank (PyTorch reads the batch axis of an unbatched input as channels)"
    if layer == "Flatten":
        start = args[0] if args else params.get("start_dim", 1)
        rank = len(shape) + 1
        if -rank <= start < rank and start % rank == 0:
            return "Flatten over the batch axis"
    if layer.startswith("BatchNorm") and shape[0] != args[0]:
        return "BatchNorm num_features differs from the input's channels"
    return None


def build(case: Case, namespace: Any) -> Any:
    """Build the case's module from ``namespace`` (``torch.nn`` or ``convwidget.nn``)."""
    return getattr(namespace, case["layer"])(*case["args"], **case["kwargs"])


def compare(case: Case, record: dict[str, Any]) -> list[str]:
    """Compare convwidget.nn with a torch record; return the problems (empty if they agree)."""
    from convwidget import ConfigError
    from convwidget import nn as cnn

    try:
        info = build(case, cnn).describe(tuple(case["input_shape"]))
        ours_error = None
    except ConfigError as exc:
        info, ours_error = None, str(exc)
    except Exception as exc:  # anything but ConfigError is a bug in convwidget
        return [f"convwidget raised {type(exc).__name__} (not ConfigError): {exc}"]
    reason = deliberate_refusal(case, record)
    if not record["ok"]:
        if info is not None:
            return [f"torch raised {record['error']!r} but convwidget accepted: {info}"]
        return []
    if info is None:
        if reason is None:
            return [f"torch ran it (output {record['output_shape']}) but convwidget refused: {ours_error}"]
        return []
    if reason is not None:
        return [f"convwidget should refuse on purpose ({reason}) but accepted: {info}"]
    problems = []
    expected = {
        "output_shape": tuple(record["output_shape"]),
        "params": record["params"],
        "buffers": record["buffers"],
        "param_shapes": [(k, tuple(v)) for k, v in record["param_shapes"]],
        "buffer_shapes": [(k, tuple(v)) for k, v in record["buffer_shapes"]],
    }
    got = {
        "output_shape": info.output_shape,
        "params": info.params,
        "buffers": info.buffers,
        "param_shapes": list(info.torch_weights.items()),
        "buffer_shapes": list(info.buffer_shapes.items()),
    }
    for key, want in expected.items():
        if got[key] != want:
            problems.append(f"{key}: torch {want}, convwidget {got[key]}")
    if info.terms.total != info.params or info.non_trainable_params != 0:
        problems.append(
            f"terms {info.terms.text} vs params {info.params}, non-trainable {info.non_trainable_params}"
        )
    if dict(info.weights) != dict(info.torch_weights) or info.dialect != "torch":
        problems.append("weights are not in PyTorch's names and layout")
    return problems


# --------------------------------------------------------------------------- running (needs torch)


def run_in_torch(case: Case) -> dict[str, Any]:
    """Build and run one case in real PyTorch; return what happened."""
    import torch

    batch = 2 if case["layer"].startswith("BatchNorm") else 1
    dtype = torch.long if case["layer"] == "Embedding" else torch.float32
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = build(case, torch.nn)
            module.eval()
            with torch.no_grad():
                out = module(torch.zeros(batch, *case["input_shape"], dtype=dtype))
    except Exception as exc:
        return {
            "ok": False,
            "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}",
        }
    return {
        "ok": True,
        "output_shape": list(out.shape[1:]),
        "params": sum(p.numel() for p in module.parameters()),
        "buffers": sum(b.numel() for b in module.buffers()),
        "param_shapes": [[k, list(p.shape)] for k, p in module.named_parameters()],
        "buffer_shapes": [[k, list(b.shape)] for k, b in module.named_buffers()],
    }


def main(argv: list[str]) -> int:
    """Record the cases into a JSON file and print a tally."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--random", type=int, default=DEFAULT_RANDOM)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    opts = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    cases = generate_cases(opts.seed, opts.random)
    for case in cases:
        case["torch"] = run_in_torch(case)
    payload = {
        "torch_version": torch.__version__,
        "seed": opts.seed,
        "n_random": opts.random,
        "command": "python scripts/record_torch_cases.py",
        "cases": cases,
    }
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(payload, indent=None, separators=(",", ":")) + "\n")
    ok = sum(c["torch"]["ok"] for c in cases)
    print(f"torch {torch.__version__}: {len(cases)} cases, {ok} ran, {len(cases) - ok} raised -> {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
