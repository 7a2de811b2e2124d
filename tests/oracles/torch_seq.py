"""The PyTorch oracle for sequence modules (issue #17): recurrent, attention, 1-D, normalisation, reshaping.

The shape of :class:`tests.oracles.base.Oracle`, as :mod:`tests.oracles.torch`
(whose recording stays as it is). :func:`record` builds the module in real
PyTorch and runs it in eval mode with a batch of one placed where the module
expects it: ``(T, 1, F)`` for a recurrent or attention module with
``batch_first=False`` (its default), ``(1, T, F)`` with ``batch_first=True``;
keys and values of a MultiheadAttention get ``kdim`` / ``vdim`` features.
The recorded output shape is the first output's without the batch axis.
:func:`mismatches` checks :mod:`convwidget.nn` against the record without torch.

``scripts/record_torch_seq_cases.py`` writes ``tests/data/torch_cases_seq.json``.
"""

from __future__ import annotations

import random
import warnings
from typing import Any

from .base import DATA as _DATA_DIR
from .base import Case
from .torch import _case, _numbered, compare_with_torch

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

DATA = _DATA_DIR / "torch_cases_seq.json"
DEFAULT_SEED = 20261117
RANDOM_CASES = 300

_Draft = dict[str, Any]
_SEQUENTIAL = ("RNN", "LSTM", "GRU", "MultiheadAttention", "TransformerEncoderLayer")


# --------------------------------------------------------------------------- generation (no torch)


def _seq_shape(rng: random.Random, features: int) -> list[int]:
    shape = [rng.randint(1, 8), features if rng.random() < 0.95 else features + 1]
    if rng.random() < 0.03:
        shape = [*shape, 2]
    return shape


def _random_recurrent(rng: random.Random) -> _Draft:
    layer = rng.choice(["RNN", "LSTM", "LSTM", "GRU"])
    fin, hidden = rng.randint(1, 10), rng.randint(1, 10)
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.4:
        kwargs["num_layers"] = rng.randint(1, 3)
    if layer == "RNN" and rng.random() < 0.4:
        kwargs["nonlinearity"] = rng.choice(["tanh", "relu"])
    if rng.random() < 0.25:
        kwargs["bias"] = False
    if rng.random() < 0.4:
        kwargs["batch_first"] = rng.random() < 0.5
    if rng.random() < 0.4:
        kwargs["bidirectional"] = True
    if rng.random() < 0.1:
        kwargs["dropout"] = 0.2
    if layer == "LSTM" and rng.random() < 0.3:
        kwargs["proj_size"] = rng.randint(0, hidden)  # proj_size == hidden_size is refused
    return _case(layer, [fin, hidden], kwargs, _seq_shape(rng, fin), "random")


def _random_cell(rng: random.Random) -> _Draft:
    layer = rng.choice(["RNNCell", "LSTMCell", "GRUCell"])
    fin, hidden = rng.randint(1, 10), rng.randint(1, 10)
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.3:
        kwargs["bias"] = False
    if layer == "RNNCell" and rng.random() < 0.3:
        kwargs["nonlinearity"] = "relu"
    shape = [fin if rng.random() < 0.95 else fin + 1]
    return _case(layer, [fin, hidden], kwargs, shape, "random")


def _random_attention(rng: random.Random) -> _Draft:
    heads = rng.randint(1, 4)
    embed = heads * rng.randint(1, 4) if rng.random() < 0.9 else rng.randint(1, 12)
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.25:
        kwargs["bias"] = False
    if rng.random() < 0.25:
        kwargs["add_bias_kv"] = True
    if rng.random() < 0.15:
        kwargs["add_zero_attn"] = True
    if rng.random() < 0.3:
        kwargs["kdim"] = rng.randint(1, 8)
    if rng.random() < 0.3:
        kwargs["vdim"] = rng.randint(1, 8)
    if rng.random() < 0.4:
        kwargs["batch_first"] = rng.random() < 0.5
    return _case("MultiheadAttention", [embed, heads], kwargs, _seq_shape(rng, embed), "random")


def _random_encoder(rng: random.Random) -> _Draft:
    heads = rng.randint(1, 3)
    d = heads * rng.randint(1, 4) if rng.random() < 0.9 else rng.randint(1, 8)
    kwargs: dict[str, Any] = {"dim_feedforward": rng.randint(1, 16)}
    if rng.random() < 0.3:
        kwargs["bias"] = False
    if rng.random() < 0.4:
        kwargs["batch_first"] = rng.random() < 0.5
    if rng.random() < 0.3:
        kwargs["norm_first"] = True
    if rng.random() < 0.3:
        kwargs["activation"] = "gelu"
    return _case("TransformerEncoderLayer", [d, heads], kwargs, _seq_shape(rng, d), "random")


def _random_norm(rng: random.Random) -> _Draft:
    layer = rng.choice(["GroupNorm", "InstanceNorm1d", "InstanceNorm2d"])
    kwargs: dict[str, Any] = {}
    if layer == "GroupNorm":
        groups = rng.randint(1, 4)
        c = groups * rng.randint(1, 4) if rng.random() < 0.9 else rng.randint(1, 12)
        if rng.random() < 0.25:
            kwargs["affine"] = False
        if rng.random() < 0.15:
            kwargs["bias"] = False
        shape = [c, *[rng.randint(1, 5) for _ in range(rng.randint(0, 2))]]
        return _case(layer, [groups, c], kwargs, shape, "random")
    c = rng.randint(1, 8)
    if rng.random() < 0.5:
        kwargs["affine"] = True
    if rng.random() < 0.4:
        kwargs["track_running_stats"] = True
    if rng.random() < 0.1:
        kwargs["bias"] = False
    spatial = [rng.randint(1, 6)] if layer == "InstanceNorm1d" else [rng.randint(1, 5), rng.randint(1, 5)]
    channels = c if rng.random() < 0.95 else c + 1
    return _case(layer, [c], kwargs, [channels, *spatial], "random")


def _random_pool(rng: random.Random) -> _Draft:
    layer = rng.choice(["MaxPool1d", "AvgPool1d", "AdaptiveMaxPool2d"])
    if layer == "AdaptiveMaxPool2d":
        size: Any = rng.randint(1, 6)
        if rng.random() < 0.6:
            size = [rng.choice([None, rng.randint(1, 6)]) for _ in range(2)]
        return _case(layer, [size], {}, [rng.randint(1, 4), rng.randint(1, 9), rng.randint(1, 9)], "random")
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.5:
        kwargs["stride"] = rng.randint(1, 3)
    if rng.random() < 0.5:
        kwargs["padding"] = rng.randint(0, 2)
    if layer == "MaxPool1d" and rng.random() < 0.3:
        kwargs["dilation"] = rng.randint(1, 3)
    if rng.random() < 0.4:
        kwargs["ceil_mode"] = True
    if layer == "AvgPool1d" and rng.random() < 0.3:
        kwargs["count_include_pad"] = False
    return _case(layer, [rng.randint(1, 4)], kwargs, [rng.randint(1, 4), rng.randint(1, 12)], "random")


def _random_reshape(rng: random.Random) -> _Draft:
    r = rng.random()
    if r < 0.3:
        rank = rng.randint(1, 3)
        shape = [rng.randint(1, 4), *[rng.randint(1, 6) for _ in range(rank)]]
        kwargs: dict[str, Any] = {"mode": rng.choice(["nearest", "nearest-exact", "area"])}
        if rank == 1 and rng.random() < 0.3:
            kwargs["mode"] = "linear"
        if rank == 2 and rng.random() < 0.4:
            kwargs["mode"] = rng.choice(["bilinear", "bicubic"])
        if kwargs["mode"] in ("linear", "bilinear", "bicubic") and rng.random() < 0.5:
            kwargs["align_corners"] = rng.random() < 0.5
        if rng.random() < 0.5:
            kwargs["scale_factor"] = rng.choice([2, 3, 0.5, 1.5, 2.0, [2, 1.5][:rank] if rank == 2 else 2])
        else:
            kwargs["size"] = (
                rng.randint(1, 9) if rng.random() < 0.5 else [rng.randint(1, 9) for _ in range(rank)]
            )
        return _case("Upsample", [], kwargs, shape, "random")
    if r < 0.5:
        factor = rng.randint(1, 3)
        c = factor * factor * rng.randint(1, 3) if rng.random() < 0.9 else rng.randint(1, 9)
        return _case("PixelShuffle", [factor], {}, [c, rng.randint(1, 5), rng.randint(1, 5)], "random")
    if r < 0.65:
        return _case("Dropout2d", [round(rng.random(), 2)], {}, [rng.randint(1, 4)] * 3, "random")
    if r < 0.8:
        shape = [rng.randint(1, 4), rng.randint(1, 12)]
        n = shape[1]
        a = rng.choice([d for d in range(1, n + 1) if n % d == 0])
        sizes: list[int] = [a, n // a]
        if rng.random() < 0.3:
            sizes[rng.randint(0, 1)] = -1
        if rng.random() < 0.1:
            sizes[0] += 1
        return _case("Unflatten", [rng.choice([2, -1]), sizes], {}, shape, "random")
    c = rng.randint(1, 6)
    n = rng.choice([1, 1, c, c + 1])
    return _case("PReLU", [n], {}, [c, *[rng.randint(1, 4) for _ in range(rng.randint(0, 2))]], "random")


_GENERATORS = [
    (_random_recurrent, 30),
    (_random_cell, 8),
    (_random_attention, 20),
    (_random_encoder, 8),
    (_random_norm, 12),
    (_random_pool, 12),
    (_random_reshape, 12),
]


def _random_drafts(seed: int, n: int) -> list[_Draft]:
    rng = random.Random(seed)
    gens = [g for g, _ in _GENERATORS]
    weights = [w for _, w in _GENERATORS]
    return [rng.choices(gens, weights)[0](rng) for _ in range(n)]


def _edge_drafts() -> list[_Draft]:
    """Hand-picked boundaries: the issue's examples and the corners of each rule."""
    e = "edge"
    return [
        _case("LSTM", [32, 64], {}, [100, 32], e),
        _case("LSTM", [32, 64], {"batch_first": True}, [100, 32], e),
        _case("GRU", [32, 64], {}, [100, 32], e),
        _case("RNN", [8, 16], {"nonlinearity": "relu"}, [10, 8], e),
        _case("RNN", [8, 16, 2, "relu", False], {}, [10, 8], e),
        _case("LSTM", [3, 5], {"num_layers": 2, "bidirectional": True, "proj_size": 2}, [7, 3], e),
        _case("LSTM", [3, 5], {"proj_size": 4}, [7, 3], e),
        _case("GRU", [4, 6], {"num_layers": 3, "bias": False, "batch_first": True}, [1, 4], e),
        _case("GRU", [4, 6], {"num_layers": 2, "dropout": 0.5, "bidirectional": True}, [5, 4], e),
        _case("LSTM", [1, 1], {}, [1, 1], e),
        _case("RNNCell", [3, 5], {"nonlinearity": "relu"}, [3], e),
        _case("LSTMCell", [3, 5], {}, [3], e),
        _case("GRUCell", [3, 5], {"bias": False}, [3], e),
        _case("MultiheadAttention", [512, 8], {}, [10, 512], e),
        _case("MultiheadAttention", [6, 2], {"batch_first": True}, [7, 6], e),
        _case("MultiheadAttention", [6, 2], {"kdim": 4, "vdim": 3, "add_bias_kv": True}, [7, 6], e),
        _case("MultiheadAttention", [6, 3], {"kdim": 6, "vdim": 6}, [7, 6], e),
        _case("MultiheadAttention", [6, 1], {"bias": False, "add_zero_attn": True}, [2, 6], e),
        _case("MultiheadAttention", [6, 2], {"kdim": 6, "vdim": 2, "bias": False}, [3, 6], e),
        _case("TransformerEncoderLayer", [6, 2], {"dim_feedforward": 10, "batch_first": True}, [7, 6], e),
        _case("TransformerEncoderLayer", [8, 4], {"dim_feedforward": 16, "bias": False}, [3, 8], e),
        _case("TransformerEncoderLayer", [4, 1], {"dim_feedforward": 1, "norm_first": True}, [1, 4], e),
        _case("TransformerEncoderLayer", [8, 2], {}, [5, 8], e),
        _case("GroupNorm", [2, 4], {}, [4, 5], e),
        _case("GroupNorm", [1, 6], {"affine": False}, [6, 3, 3], e),
        _case("GroupNorm", [3, 6], {"bias": False}, [6], e),
        _case("InstanceNorm1d", [4], {"affine": True, "track_running_stats": True}, [4, 5], e),
        _case("InstanceNorm2d", [3], {}, [3, 4, 4], e),
        _case("InstanceNorm2d", [3], {"track_running_stats": True}, [3, 1, 1], e),
        _case("MaxPool1d", [2], {}, [3, 9], e),
        _case("MaxPool1d", [3], {"stride": 2, "padding": 1, "ceil_mode": True}, [3, 6], e),
        _case("MaxPool1d", [3], {"dilation": 2, "padding": 1}, [2, 8], e),
        _case("AvgPool1d", [3], {"stride": 2, "padding": 1, "ceil_mode": True}, [3, 6], e),
        _case("AvgPool1d", [4], {"padding": 2}, [1, 4], e),
        _case("AdaptiveMaxPool2d", [[2, None]], {}, [3, 4, 5], e),
        _case("AdaptiveMaxPool2d", [1], {"return_indices": True}, [8, 7, 7], e),
        _case("Upsample", [], {"scale_factor": 2}, [3, 4, 5], e),
        _case("Upsample", [], {"size": [6, 7], "mode": "bilinear", "align_corners": True}, [3, 4, 5], e),
        _case("Upsample", [], {"scale_factor": 1.5, "mode": "linear"}, [2, 5], e),
        _case("Upsample", [], {"size": [4, 6, 2], "mode": "trilinear"}, [1, 2, 2, 2], e),
        _case("MultiheadAttention", [6, 2], {"dropout": 2.0}, [7, 6], e),
        _case("Upsample", [], {"scale_factor": 0.5, "mode": "area"}, [2, 5, 7], e),
        _case("PixelShuffle", [2], {}, [8, 3, 3], e),
        _case("PixelShuffle", [3], {}, [9, 1, 2], e),
        _case("Dropout2d", [0.3], {}, [4, 5, 5], e),
        _case("Unflatten", [1, [2, 3]], {}, [6, 5], e),
        _case("Unflatten", [-1, [2, -1]], {}, [3, 8], e),
        _case("Unflatten", [2, (4, 2)], {}, [3, 8], e),
        _case("PReLU", [], {}, [3, 5], e),
        _case("PReLU", [3], {}, [3, 5, 5], e),
        _case("PReLU", [4], {"init": 0.1}, [4], e),
    ]


def _invalid_drafts() -> list[_Draft]:
    """Configurations PyTorch refuses, or that convwidget refuses on purpose (:func:`refused_on_purpose`)."""
    i = "invalid"
    return [
        _case("LSTM", [3, 5], {"proj_size": 5}, [7, 3], i),
        _case("LSTM", [3, 5], {"proj_size": 6}, [7, 3], i),
        _case("LSTM", [3, 5], {"proj_size": -1}, [7, 3], i),
        _case("GRU", [3, 5], {"proj_size": 2}, [7, 3], i),
        _case("RNN", [3, 5], {"nonlinearity": "sigmoid"}, [7, 3], i),
        _case("LSTM", [3, 0], {}, [7, 3], i),
        _case("LSTM", [3, 5], {"num_layers": 0}, [7, 3], i),
        _case("LSTM", [3, 5], {"dropout": 1.5}, [7, 3], i),
        _case("LSTM", [3, 5], {}, [7, 4], i),
        _case("LSTM", [3, 5], {}, [3], i),
        _case("GRU", [3, 5], {}, [2, 7, 3], i),
        _case("LSTMCell", [3, 5], {}, [4], i),
        _case("RNNCell", [3, 5], {"nonlinearity": "gelu"}, [3], i),
        _case("MultiheadAttention", [6, 4], {}, [7, 6], i),
        _case("MultiheadAttention", [6, 0], {}, [7, 6], i),
        _case("MultiheadAttention", [6, 2], {}, [7, 5], i),
        _case("MultiheadAttention", [6, 2], {}, [6], i),
        _case("TransformerEncoderLayer", [6, 2], {"dim_feedforward": 8, "dropout": 2.0}, [7, 6], i),
        _case("Upsample", [], {"scale_factor": [2, 3, 1], "mode": "trilinear"}, [1, 2, 2, 2], i),
        _case("TransformerEncoderLayer", [6, 4], {"dim_feedforward": 8}, [7, 6], i),
        _case("TransformerEncoderLayer", [6, 2], {"dim_feedforward": 8, "activation": "tanh"}, [7, 6], i),
        _case("TransformerEncoderLayer", [6, 2], {"dim_feedforward": 8}, [7, 4], i),
        _case("GroupNorm", [3, 4], {}, [4, 5], i),
        _case("GroupNorm", [0, 4], {}, [4, 5], i),
        _case("GroupNorm", [2, 4], {}, [6, 5], i),
        _case("GroupNorm", [2, 4], {"affine": False}, [6, 5], i),
        _case("GroupNorm", [2, 2], {}, [2, 1], i),
        _case("GroupNorm", [4, 4], {}, [4], i),
        _case("InstanceNorm1d", [4], {"affine": True}, [5, 5], i),
        _case("InstanceNorm1d", [4], {}, [4, 1], i),
        _case("InstanceNorm1d", [4], {}, [4], i),
        _case("InstanceNorm2d", [3], {}, [3, 4], i),
        _case("MaxPool1d", [3], {"padding": 2}, [3, 8], i),
        _case("MaxPool1d", [5], {}, [3, 3], i),
        _case("MaxPool1d", [2], {}, [3, 8, 8], i),
        _case("AvgPool1d", [3], {"padding": 2}, [3, 8], i),
        _case("AdaptiveMaxPool2d", [[0, 2]], {}, [3, 5, 7], i),
        _case("AdaptiveMaxPool2d", [2], {}, [5, 7], i),
        _case("Upsample", [], {}, [3, 4, 5], i),
        _case("Upsample", [], {"size": 4, "scale_factor": 2}, [3, 4, 5], i),
        _case("Upsample", [], {"scale_factor": 2, "align_corners": True}, [3, 4, 5], i),
        _case("Upsample", [], {"scale_factor": 2, "mode": "bilinear"}, [3, 5], i),
        _case("Upsample", [], {"size": [2, 3, 4]}, [3, 4, 5], i),
        _case("Upsample", [], {"scale_factor": 2, "mode": "cubic"}, [3, 4, 5], i),
        _case("Upsample", [], {"scale_factor": 0.1}, [3, 4, 5], i),
        _case("PixelShuffle", [2], {}, [6, 3, 3], i),
        _case("PixelShuffle", [0], {}, [4, 3, 3], i),
        _case("Dropout2d", [1.5], {}, [4, 5, 5], i),
        _case("Dropout2d", [0.5], {}, [4, 5], i),
        _case("Unflatten", [1, [4, 2]], {}, [6, 5], i),
        _case("Unflatten", [0, [1, 6]], {}, [6, 5], i),
        _case("Unflatten", [3, [2, 3]], {}, [6, 5], i),
        _case("Unflatten", [1, [-1, -1]], {}, [6, 5], i),
        _case("PReLU", [4], {}, [3, 5], i),
        _case("GRUCell", [3, 5], {}, [4], i),
        _case("InstanceNorm2d", [3], {"affine": True}, [4, 4, 4], i),
        _case("AdaptiveMaxPool2d", [[2, 2, 2]], {}, [3, 5, 7], i),
    ]


def edge_cases() -> list[Case]:
    """Hand-picked boundaries: the issue's examples and the corners of each rule."""
    return _numbered(_edge_drafts(), 0)


def invalid_cases() -> list[Case]:
    """Configurations PyTorch refuses, or that convwidget refuses on purpose (:func:`refused_on_purpose`)."""
    return _numbered(_invalid_drafts(), len(_edge_drafts()))


def random_cases(seed: int, scale: float = 1.0) -> list[Case]:
    """``RANDOM_CASES·scale`` seeded random configurations, numbered after the hand-picked cases."""
    start = len(_edge_drafts()) + len(_invalid_drafts())
    return _numbered(_random_drafts(seed, round(RANDOM_CASES * scale)), start)


def cases(seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Case]:
    """Every case of ``tests/data/torch_cases_seq.json``, in its order: edge, invalid, random."""
    return [*edge_cases(), *invalid_cases(), *random_cases(seed, scale)]


# --------------------------------------------------------------------------- comparison (no torch)


def refused_on_purpose(rec: Case) -> str | None:
    """Why convwidget refuses a case on purpose although PyTorch runs it, or None (each documented)."""
    layer, args, shape = rec["layer"], rec.get("args", []), rec["input_shape"]
    ran = rec.get("torch")
    if ran is not None and ran["ok"] and 0 in ran["output_shape"]:
        return "zero-size output"
    wrong_rank = "wrong input rank (PyTorch reads the batch axis of an unbatched input as a data axis)"
    ranks = {"RNN": 2, "LSTM": 2, "GRU": 2, "MultiheadAttention": 2, "TransformerEncoderLayer": 2}
    ranks |= {"RNNCell": 1, "LSTMCell": 1, "GRUCell": 1, "Dropout2d": 3, "InstanceNorm1d": 2}
    ranks |= {"InstanceNorm2d": 3, "MaxPool1d": 2, "AvgPool1d": 2, "AdaptiveMaxPool2d": 3}
    if layer in ranks and len(shape) != ranks[layer]:
        return wrong_rank
    if layer == "PixelShuffle" and len(shape) < 3:
        return wrong_rank
    if layer in ("GroupNorm", "InstanceNorm1d", "InstanceNorm2d"):
        channels = args[1] if layer == "GroupNorm" else args[0]
        if shape[0] != channels:
            return "normalization channels differ from the input's channels"
    if layer == "Unflatten":
        dim, rank = args[0], len(shape) + 1
        if -rank <= dim < rank and dim % rank == 0:
            return "Unflatten of the batch axis"
    return None


def mismatches(rec: Case) -> list[str]:
    """Describe a recorded case with :mod:`convwidget.nn` and list how it differs from PyTorch.

    The same rules as :func:`tests.oracles.torch.mismatches`: equal output
    shape, counts, parameter and buffer shapes (names and order too) when
    torch ran it and convwidget has no documented reason to refuse it; a
    ConfigError (nothing else) otherwise.
    """
    return compare_with_torch(rec, refused_on_purpose(rec))


# --------------------------------------------------------------------------- running (needs torch)


def _run(torch: Any, module: Any, case: Case) -> list[int]:
    """Run ``module`` on zeros, a batch of one where it expects it; the first output's shape without it."""
    layer, shape = case["layer"], case["input_shape"]
    if layer in _SEQUENTIAL and len(shape) == 2:
        first = bool(getattr(module, "batch_first", False))
        steps, features = shape

        def seq(n: int) -> Any:
            return torch.zeros(1, steps, n) if first else torch.zeros(steps, 1, n)

        if layer == "MultiheadAttention":
            out = module(seq(features), seq(module.kdim), seq(module.vdim))
        else:
            out = module(seq(features))
        y = out[0] if isinstance(out, tuple) else out
        return [int(d) for d in (y.shape[1:] if first else (y.shape[0], *y.shape[2:]))]
    x = torch.zeros(1, *shape)
    out = module(x, x, x) if layer == "MultiheadAttention" else module(x)
    y = out[0] if isinstance(out, tuple) else out
    return [int(d) for d in y.shape[1:]]


def record(case: Case) -> Case:
    """Build and run ``case`` in real PyTorch; return the case with what happened under ``"torch"``."""
    import torch

    ran: dict[str, Any]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = getattr(torch.nn, case["layer"])(*case.get("args", []), **case["kwargs"])
            module.eval()
            with torch.no_grad():
                shape = _run(torch, module, case)
    except Exception as exc:  # any refusal by PyTorch counts
        first_line = str(exc).splitlines()[0][:200] if str(exc) else ""
        ran = {"ok": False, "error": f"{type(exc).__name__}: {first_line}"}
    else:
        ran = {
            "ok": True,
            "output_shape": shape,
            "params": sum(p.numel() for p in module.parameters()),
            "buffers": sum(b.numel() for b in module.buffers()),
            "param_shapes": [[k, list(p.shape)] for k, p in module.named_parameters()],
            "buffer_shapes": [[k, list(b.shape)] for k, b in module.named_buffers()],
        }
    return {**case, "torch": ran}
