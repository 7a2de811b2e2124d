"""The PyTorch oracle: module cases, how real PyTorch runs them, and how convwidget.nn must agree.

The shape of :class:`tests.oracles.base.Oracle`, shared with :mod:`tests.oracles.keras`:

* :func:`cases` (= :func:`edge_cases` + :func:`invalid_cases` +
  :func:`random_cases`) makes :class:`~tests.oracles.base.Case` dicts: a
  ``torch.nn`` class name, positional ``args`` and ``kwargs`` and an input
  shape without the batch axis, numbered ``<kind>-<position>-<layer>``;
* :func:`record` builds the module in real PyTorch (imported there), runs it
  in eval mode on ``torch.zeros(1, *input_shape)`` (ids of dtype long for
  Embedding; a batch of 2 for BatchNorm, whose batch statistics need more than
  one value per channel) and adds, under ``"torch"``, the output shape without
  the batch axis, the parameter and buffer element counts and each named
  parameter's and buffer's shape — or the exception PyTorch raised;
* :func:`mismatches` describes a recorded case with :mod:`convwidget.nn` and
  lists every difference (an empty list means agreement).

``scripts/record_torch_cases.py`` writes ``tests/data/torch_cases.json``,
``tests/test_torch_cases.py`` replays it without torch, and
``tests/test_torch_live.py`` compares a fresh sample live.
"""

from __future__ import annotations

import random
import warnings
from typing import Any, cast

from .base import DATA as _DATA_DIR
from .base import Case, convwidget_describes, formula_problems

__all__ = [
    "DATA",
    "DEFAULT_SEED",
    "RANDOM_CASES",
    "cases",
    "edge_cases",
    "invalid_cases",
    "mismatches",
    "random_cases",
    "record",
    "refused_on_purpose",
]

DATA = _DATA_DIR / "torch_cases.json"
DEFAULT_SEED = 20261101
RANDOM_CASES = 480  # random cases at scale 1

# A case before it is numbered: the id says where it sits in the recording, so it is added last.
_Draft = dict[str, Any]


# --------------------------------------------------------------------------- generation (no torch)


def _case(layer: str, args: list[Any], kwargs: dict[str, Any], shape: list[int], kind: str) -> _Draft:
    return {"layer": layer, "args": args, "kwargs": kwargs, "input_shape": shape, "kind": kind}


def _numbered(drafts: list[_Draft], start: int) -> list[Case]:
    """Give each draft its id, ``<kind>-<position in the recording>-<layer>``, as the last key."""
    for k, draft in enumerate(drafts, start):
        draft["id"] = f"{draft['kind']}-{k:04d}-{draft['layer']}"
    return cast(list[Case], drafts)


def _ints(rng: random.Random, rank: int, low: int, high: int) -> int | list[int]:
    """An int or, half the time, a list of ``rank`` ints (PyTorch takes both)."""
    if rank == 1 or rng.random() < 0.5:
        return rng.randint(low, high)
    return [rng.randint(low, high) for _ in range(rank)]


def _random_conv(rng: random.Random) -> _Draft:
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


def _random_transpose(rng: random.Random) -> _Draft:
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


def _random_linear(rng: random.Random) -> _Draft:
    fin, fout = rng.randint(1, 40), rng.randint(1, 40)
    shape = [*_random_shape(rng, 0, 2), fin if rng.random() < 0.95 else fin + 1]
    kwargs = {"bias": False} if rng.random() < 0.3 else {}
    return _case("Linear", [fin, fout], kwargs, shape, "random")


def _random_batchnorm(rng: random.Random) -> _Draft:
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


def _random_layernorm(rng: random.Random) -> _Draft:
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


def _random_pool(rng: random.Random) -> _Draft:
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


def _random_adaptive(rng: random.Random) -> _Draft:
    size: Any = rng.randint(1, 6)
    if rng.random() < 0.6:
        size = [rng.choice([None, rng.randint(1, 6)]) for _ in range(2)]
    return _case(
        "AdaptiveAvgPool2d", [size], {}, [rng.randint(1, 4), rng.randint(1, 9), rng.randint(1, 9)], "random"
    )


def _random_flatten(rng: random.Random) -> _Draft:
    shape = _random_shape(rng)
    rank = len(shape) + 1
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.7:
        kwargs["start_dim"] = rng.randint(-rank, rank - 1)
    if rng.random() < 0.7:
        kwargs["end_dim"] = rng.randint(-rank, rank - 1)
    return _case("Flatten", [], kwargs, shape, "random")


def _random_embedding(rng: random.Random) -> _Draft:
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


def _random_elementwise(rng: random.Random) -> _Draft:
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


def _random_drafts(seed: int, n: int) -> list[_Draft]:
    rng = random.Random(seed)
    gens = [g for g, _ in _GENERATORS]
    weights = [w for _, w in _GENERATORS]
    return [rng.choices(gens, weights)[0](rng) for _ in range(n)]


def _edge_drafts() -> list[_Draft]:
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


def _invalid_drafts() -> list[_Draft]:
    """Configurations PyTorch refuses, or that convwidget refuses on purpose (:func:`refused_on_purpose`)."""
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


def edge_cases() -> list[Case]:
    """Hand-picked boundaries: the seed model, padding limits, pooling ceil mode, Flatten dims."""
    return _numbered(_edge_drafts(), 0)


def invalid_cases() -> list[Case]:
    """Configurations PyTorch refuses, or that convwidget refuses on purpose (:func:`refused_on_purpose`)."""
    return _numbered(_invalid_drafts(), len(_edge_drafts()))


def random_cases(seed: int, scale: float = 1.0) -> list[Case]:
    """``RANDOM_CASES·scale`` seeded random configurations, valid and invalid, weighted towards convolutions.

    Numbered after the hand-picked cases, as they are in the recording.
    """
    start = len(_edge_drafts()) + len(_invalid_drafts())
    return _numbered(_random_drafts(seed, round(RANDOM_CASES * scale)), start)


def cases(seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Case]:
    """Every case of a recording, in the order of ``tests/data/torch_cases.json``: edge, invalid, random."""
    return [*edge_cases(), *invalid_cases(), *random_cases(seed, scale)]


# --------------------------------------------------------------------------- comparison (no torch)


def refused_on_purpose(rec: Case) -> str | None:
    """Why convwidget refuses a case on purpose although PyTorch runs it, or None.

    The list is narrow and each entry is documented in :mod:`convwidget.nn`.
    What torch did (``rec["torch"]``, when recorded) adds one rule: an output
    with a zero-size axis, which PyTorch produces for instance from a
    ConvTranspose3d whose padding eats the whole output.
    """
    layer, args, kwargs, shape = rec["layer"], rec.get("args", []), rec["kwargs"], rec["input_shape"]
    ran = rec.get("torch")
    if ran is not None and ran["ok"] and 0 in ran["output_shape"]:
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
        start = args[0] if args else kwargs.get("start_dim", 1)
        rank = len(shape) + 1
        if -rank <= start < rank and start % rank == 0:
            return "Flatten over the batch axis"
    if layer.startswith("BatchNorm") and shape[0] != args[0]:
        return "BatchNorm num_features differs from the input's channels"
    return None


def mismatches(rec: Case) -> list[str]:
    """Describe a recorded case with :mod:`convwidget.nn` and list how it differs from PyTorch.

    Returns an empty list when convwidget agrees: the same output shape,
    counts, parameter and buffer shapes (names and order too) when torch ran
    the module and convwidget has no documented reason to refuse it
    (:func:`refused_on_purpose`); a :class:`convwidget.ConfigError` (nothing
    else) when torch refused it or convwidget refuses it on purpose.
    """
    return compare_with_torch(rec, refused_on_purpose(rec))


def compare_with_torch(rec: Case, reason: str | None) -> list[str]:
    """How convwidget's description of ``rec`` differs from what PyTorch recorded (shared by the oracles).

    ``reason`` is the oracle's documented reason to refuse the case on purpose, or None.
    """
    from convwidget import nn as cnn

    ran = rec["torch"]
    info, refusal, crash = convwidget_describes(cnn, rec)
    if crash:
        return [crash]
    if not ran["ok"]:
        if info is not None:
            return [f"torch raised {ran['error']!r} but convwidget accepted: {info}"]
        return []
    if info is None:
        if reason is None:
            return [f"torch ran it (output {ran['output_shape']}) but convwidget refused: {refusal}"]
        return []
    if reason is not None:
        return [f"convwidget should refuse on purpose ({reason}) but accepted: {info}"]
    problems = []
    expected = {
        "output_shape": tuple(ran["output_shape"]),
        "params": ran["params"],
        "buffers": ran["buffers"],
        "param_shapes": [(k, tuple(v)) for k, v in ran["param_shapes"]],
        "buffer_shapes": [(k, tuple(v)) for k, v in ran["buffer_shapes"]],
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
    if info.non_trainable_params != 0:
        problems.append(f"non-trainable {info.non_trainable_params}: PyTorch keeps no frozen parameters here")
    if dict(info.weights) != dict(info.torch_weights) or info.dialect != "torch":
        problems.append("weights are not in PyTorch's names and layout")
    return problems + formula_problems(info)


# --------------------------------------------------------------------------- running (needs torch)


def record(case: Case) -> Case:
    """Build and run ``case`` in real PyTorch; return the case with what happened under ``"torch"``."""
    import torch

    batch = 2 if case["layer"].startswith("BatchNorm") else 1
    dtype = torch.long if case["layer"] == "Embedding" else torch.float32
    ran: dict[str, Any]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = getattr(torch.nn, case["layer"])(*case.get("args", []), **case["kwargs"])
            module.eval()
            with torch.no_grad():
                out = module(torch.zeros(batch, *case["input_shape"], dtype=dtype))
    except Exception as exc:  # any refusal by PyTorch counts
        first_line = str(exc).splitlines()[0][:200] if str(exc) else ""
        ran = {"ok": False, "error": f"{type(exc).__name__}: {first_line}"}
    else:
        ran = {
            "ok": True,
            "output_shape": list(out.shape[1:]),
            "params": sum(p.numel() for p in module.parameters()),
            "buffers": sum(b.numel() for b in module.buffers()),
            "param_shapes": [[k, list(p.shape)] for k, p in module.named_parameters()],
            "buffer_shapes": [[k, list(b.shape)] for k, b in module.named_buffers()],
        }
    return {**case, "torch": ran}
