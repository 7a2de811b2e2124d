"""Recorded-case oracle for multiply-adds: torchinfo 1.8, ptflops and fvcore against convwidget.cost.

A case is one PyTorch module (``layer`` is its ``torch.nn`` class name, with
``args`` and ``kwargs``) or a whole ``nn.Sequential`` (``layer`` is
``"Sequential"`` and ``args`` lists ``[name, args, kwargs]`` per module). Both
are built twice, from ``torch.nn`` and from ``convwidget.nn``, and always run
as a Sequential so torchinfo prints one row per module. :func:`record` adds
under ``"torch"`` what the tools printed: torchinfo's total and each row's
share of it (the Mult-Adds of its leaf modules), ptflops' total (default
backend) and fvcore's total with the operators it skipped.

``undefined`` lists the conventions convwidget refuses for the case (with a
ConfigError naming the convention and the layer): a refusal anywhere else is a
mismatch, and so is an answer where a refusal is expected.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from convwidget import ConfigError, cost
from convwidget import nn as cw_nn
from convwidget.model import TorchSequential

from .base import DATA as _DATA
from .base import Case

__all__ = [
    "ALEXNET",
    "ATTENTION_MODEL",
    "DATA",
    "DEFAULT_SEED",
    "ENCODER_MODEL",
    "ENCODER_STACK",
    "QUESTION",
    "VGG16",
    "build_convwidget",
    "cases",
    "edge_cases",
    "feed_cases",
    "invalid_cases",
    "mismatches",
    "random_cases",
    "random_feed_cases",
    "record",
]

DEFAULT_SEED = 18
DATA: Path = _DATA / "cost_torchinfo.json"
RANDOM_CASES = 40

Spec = list[Any]  # [torch.nn class name, args, kwargs]

QUESTION: list[Spec] = [
    ["Conv2d", [1, 32, 3], {}],
    ["ReLU", [], {}],
    ["Conv2d", [32, 63, 3], {}],
    ["ReLU", [], {}],
    ["MaxPool2d", [2], {}],
    ["Dropout", [0.25], {}],
    ["Flatten", [], {}],
    ["Linear", [9072, 128], {}],
    ["ReLU", [], {}],
    ["Dropout", [0.5], {}],
    ["Linear", [128, 10], {}],
    ["Softmax", [], {"dim": 1}],
]
"""The question's MNIST model, as PyTorch code writes it (input (1, 28, 28))."""

ALEXNET: list[Spec] = [
    ["Conv2d", [3, 64, 11], {"stride": 4, "padding": 2}],
    ["ReLU", [], {}],
    ["MaxPool2d", [3], {"stride": 2}],
    ["Conv2d", [64, 192, 5], {"padding": 2}],
    ["ReLU", [], {}],
    ["MaxPool2d", [3], {"stride": 2}],
    ["Conv2d", [192, 384, 3], {"padding": 1}],
    ["ReLU", [], {}],
    ["Conv2d", [384, 256, 3], {"padding": 1}],
    ["ReLU", [], {}],
    ["Conv2d", [256, 256, 3], {"padding": 1}],
    ["ReLU", [], {}],
    ["MaxPool2d", [3], {"stride": 2}],
    ["Flatten", [], {}],
    ["Dropout", [0.5], {}],
    ["Linear", [9216, 4096], {}],
    ["ReLU", [], {}],
    ["Dropout", [0.5], {}],
    ["Linear", [4096, 4096], {}],
    ["ReLU", [], {}],
    ["Linear", [4096, 1000], {}],
]
"""AlexNet as torchvision writes it (its AdaptiveAvgPool2d((6, 6)), the identity at 224×224, left out)."""


def _vgg16() -> list[Spec]:
    out: list[Spec] = []
    cin = 3
    for block in ([64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]):
        for cout in block:
            out += [["Conv2d", [cin, cout, 3], {"padding": 1}], ["ReLU", [], {}]]
            cin = cout
        out.append(["MaxPool2d", [2], {"stride": 2}])
    out += [["Flatten", [], {}], ["Linear", [25088, 4096], {}], ["ReLU", [], {}], ["Dropout", [0.5], {}]]
    out += [["Linear", [4096, 4096], {}], ["ReLU", [], {}], ["Dropout", [0.5], {}]]
    out.append(["Linear", [4096, 1000], {}])
    return out


VGG16: list[Spec] = _vgg16()
"""VGG-16 (configuration D) as torchvision writes it, without the identity AdaptiveAvgPool2d((7, 7))."""


ENCODER_MODEL: list[Spec] = [
    ["Linear", [6, 8], {}],
    ["TransformerEncoderLayer", [8, 2], {"dim_feedforward": 16, "batch_first": True}],
    ["Linear", [8, 3], {}],
]
"""A small batch-first sequence model: an embedding Linear, one encoder layer, a classifier Linear."""

ATTENTION_MODEL: list[Spec] = [
    ["Linear", [6, 8], {}],
    ["MultiheadAttention", [8, 2], {"batch_first": True}],
    ["Linear", [8, 3], {}],
]
"""The same with bare self-attention (in PyTorch a module calling ``attn(x, x, x)``)."""

ENCODER_STACK: list[Spec] = [
    ["TransformerEncoderLayer", [8, 2], {"dim_feedforward": 16}],
    ["TransformerEncoderLayer", [8, 4], {"dim_feedforward": 12, "norm_first": True}],
]
"""Two sequence-first (batch_first=False) encoder layers on input (T, 1, E)."""


def _case(
    cid: str, layer: str, args: list[Any], kwargs: dict[str, Any], shape: list[int], **extra: Any
) -> Case:
    case: Case = {"id": cid, "layer": layer, "args": args, "kwargs": kwargs, "input_shape": shape}
    case.update(extra)  # type: ignore[typeddict-item]
    return case


def _specs(case: Case) -> list[Spec]:
    if case["layer"] == "Sequential":
        return [list(s) for s in case.get("args", [])]
    return [[case["layer"], case.get("args", []), case["kwargs"]]]


def build_convwidget(case: Case) -> TorchSequential:
    """The case as a ``convwidget.nn.Sequential``."""
    return cw_nn.Sequential(*(getattr(cw_nn, name)(*args, **kwargs) for name, args, kwargs in _specs(case)))


_RANDOM_KINDS = [
    "Conv2d",
    "Conv2d",
    "Conv1d",
    "ConvTranspose2d",
    "Linear",
    "LSTM",
    "GRU",
    "RNN",
    "LSTMCell",
    "GRUCell",
    "RNNCell",
    "MultiheadAttention",
    "TransformerEncoderLayer",
    "InstanceNorm1d",
    "InstanceNorm2d",
]


def _random_sequence_case(rng: random.Random, cid: str, kind: str) -> Case:
    """A random attention block, recurrent cell or instance norm (kinds fvcore and torchinfo treat apart)."""
    if kind == "MultiheadAttention":
        heads = rng.randint(1, 4)
        embed = heads * rng.randint(1, 4)
        kwargs: dict[str, Any] = {
            "bias": rng.random() < 0.7,
            "add_bias_kv": rng.random() < 0.2,
            "add_zero_attn": rng.random() < 0.2,
            "batch_first": rng.random() < 0.5,
        }
        return _case(cid, kind, [embed, heads], kwargs, [rng.randint(1, 7), embed])
    if kind == "TransformerEncoderLayer":
        heads = rng.randint(1, 4)
        d = heads * rng.randint(1, 4)
        kwargs = {
            "dim_feedforward": rng.randint(1, 24),
            "batch_first": rng.random() < 0.5,
            "norm_first": rng.random() < 0.3,
            "bias": rng.random() < 0.7,
            "activation": rng.choice(["relu", "gelu"]),
        }
        return _case(cid, kind, [d, heads], kwargs, [rng.randint(1, 7), d])
    if kind.endswith("Cell"):
        fin, hidden = rng.randint(1, 12), rng.randint(1, 12)
        return _case(cid, kind, [fin, hidden], {"bias": rng.random() < 0.8}, [fin])
    channels = rng.randint(1, 6)
    kwargs = {"affine": rng.random() < 0.5, "track_running_stats": rng.random() < 0.3}
    spatial = [rng.randint(2, 9) for _ in range(1 if kind == "InstanceNorm1d" else 2)]
    return _case(cid, kind, [channels], kwargs, [channels, *spatial])


def random_cases(seed: int, scale: float = 1.0) -> list[Case]:
    """Seeded random convolutions, transposes, linears, recurrent layers and cells, attention, norms."""
    rng = random.Random(seed)
    out: list[Case] = []
    for i in range(round(RANDOM_CASES * scale)):
        kind = rng.choice(_RANDOM_KINDS)
        if kind in ("Conv2d", "Conv1d", "ConvTranspose2d"):
            rank = 1 if kind == "Conv1d" else 2
            groups = rng.choice([1, 1, 2, 4])
            cin, cout = groups * rng.randint(1, 6), groups * rng.randint(1, 6)
            k = rng.randint(1, 5)
            kwargs: dict[str, Any] = {
                "stride": rng.randint(1, 3),
                "padding": rng.randint(0, k // 2),
                "dilation": rng.randint(1, 2),
                "groups": groups,
                "bias": rng.random() < 0.8,
            }
            size = [rng.randint(2 * k + 2, 20) for _ in range(rank)]
            out.append(_case(f"random-{i}", kind, [cin, cout, k], kwargs, [cin, *size]))
        elif kind == "Linear":
            fin = rng.randint(1, 40)
            shape = [fin] if rng.random() < 0.6 else [rng.randint(2, 6), fin]
            args = [fin, rng.randint(1, 40)]
            out.append(_case(f"random-{i}", kind, args, {"bias": rng.random() < 0.8}, shape))
        elif kind in ("LSTM", "GRU", "RNN"):
            fin, hidden = rng.randint(1, 12), rng.randint(1, 12)
            kwargs = {
                "num_layers": rng.choice([1, 1, 2]),
                "bidirectional": rng.random() < 0.4,
                "batch_first": rng.random() < 0.5,
                "bias": rng.random() < 0.8,
            }
            if kind == "RNN":
                kwargs["nonlinearity"] = rng.choice(["tanh", "relu"])
            out.append(_case(f"random-{i}", kind, [fin, hidden], kwargs, [rng.randint(1, 9), fin]))
        else:
            out.append(_random_sequence_case(rng, f"random-{i}", kind))
    return out


RANDOM_FEED_CASES = 12


def _random_sequence_layer(rng: random.Random, d: int) -> tuple[Spec, int]:
    """A random recurrent, attention or encoder layer on d features, and the features it puts out."""
    kind = rng.choice(["LSTM", "GRU", "RNN", "MultiheadAttention", "TransformerEncoderLayer"])
    batch_first = rng.random() < 0.5
    if kind in ("LSTM", "GRU", "RNN"):
        hidden, bi = rng.randint(2, 8), rng.random() < 0.3
        kwargs: dict[str, Any] = {"batch_first": batch_first, "bidirectional": bi, "bias": rng.random() < 0.8}
        return [kind, [d, hidden], kwargs], hidden * (2 if bi else 1)
    heads = rng.choice([h for h in range(1, 5) if d % h == 0])
    if kind == "MultiheadAttention":
        kwargs = {
            "batch_first": batch_first,
            "bias": rng.random() < 0.7,
            "add_bias_kv": rng.random() < 0.2,
            "add_zero_attn": rng.random() < 0.2,
        }
        return [kind, [d, heads], kwargs], d
    kwargs = {
        "dim_feedforward": rng.randint(2, 20),
        "batch_first": batch_first,
        "norm_first": rng.random() < 0.3,
        "bias": rng.random() < 0.7,
        "activation": rng.choice(["relu", "gelu"]),
    }
    return [kind, [d, heads], kwargs], d


def random_feed_cases(seed: int, scale: float = 1.0) -> list[Case]:
    """Seeded random sequence models: whichever layer is first decides the feed, the others follow it.

    Each starts with a Linear or a sequence layer (either batch_first), then one to three of sequence
    layers, LayerNorm, ReLU and Dropout (a sequence layer after the first may be misfed), and ends with
    a Linear. Its own generator, so the single-layer random cases stay as recorded.
    """
    rng = random.Random(f"feed-{seed}")
    out: list[Case] = []
    for i in range(round(RANDOM_FEED_CASES * scale)):
        f_in = d = rng.choice([4, 6, 8, 12])
        specs: list[Spec] = []
        if rng.random() < 0.3:
            d = rng.choice([4, 6, 8, 12])
            specs.append(["Linear", [f_in, d], {}])
        else:
            spec, d = _random_sequence_layer(rng, d)
            specs.append(spec)
        for _ in range(rng.randint(1, 3)):
            pick = rng.random()
            if pick < 0.55:
                spec, d = _random_sequence_layer(rng, d)
                specs.append(spec)
            else:
                specs.append(rng.choice([["LayerNorm", [d], {}], ["ReLU", [], {}], ["Dropout", [0.1], {}]]))
        specs.append(["Linear", [d, rng.randint(1, 5)], {}])
        out.append(_case(f"random-feed-{i}", "Sequential", specs, {}, [rng.randint(1, 7), f_in]))
    return out


def edge_cases() -> list[Case]:
    """Hand-picked layers of every kind, the three whole models and two sequence models."""
    return [
        _case("question", "Sequential", QUESTION, {}, [1, 28, 28]),
        _case("alexnet", "Sequential", ALEXNET, {}, [3, 224, 224]),
        _case("vgg16", "Sequential", VGG16, {}, [3, 224, 224]),
        _case("conv-question-2", "Conv2d", [32, 63, 3], {}, [32, 26, 26]),
        _case("conv-groups", "Conv2d", [8, 12, 3], {"groups": 4, "stride": 2, "padding": 1}, [8, 11, 9]),
        _case("conv-nobias", "Conv2d", [3, 5, (3, 1)], {"bias": False, "dilation": 2}, [3, 12, 7]),
        _case("conv-same", "Conv2d", [4, 6, 4], {"padding": "same"}, [4, 9, 10]),
        _case("depthwise", "Conv2d", [16, 16, 3], {"groups": 16, "padding": 1}, [16, 14, 14]),
        _case("depthwise-multiplier", "Conv2d", [8, 24, 3], {"groups": 8}, [8, 10, 12]),
        _case(
            "separable",
            "Sequential",
            [["Conv2d", [8, 8, 3], {"groups": 8, "bias": False}], ["Conv2d", [8, 16, 1], {}]],
            {},
            [8, 12, 12],
        ),
        _case("transpose", "ConvTranspose2d", [16, 8, 3], {"stride": 2}, [16, 7, 7]),
        _case(
            "transpose-groups",
            "ConvTranspose2d",
            [8, 12, 4],
            {"stride": 2, "padding": 1, "groups": 4},
            [8, 5, 6],
        ),
        _case("transpose-1d", "ConvTranspose1d", [4, 3, 5], {"stride": 3, "output_padding": 1}, [4, 9]),
        _case("conv3d", "Conv3d", [2, 4, 3], {"padding": 1}, [2, 5, 6, 7]),
        _case("linear", "Linear", [9072, 128], {}, [9072]),
        _case("linear-sequence", "Linear", [16, 8], {}, [5, 16]),
        _case("lstm", "LSTM", [10, 20], {}, [7, 10]),
        _case("lstm-batch-first", "LSTM", [10, 20], {"batch_first": True}, [7, 10]),
        _case("lstm-stack-bi", "LSTM", [6, 5], {"num_layers": 2, "bidirectional": True}, [4, 6]),
        _case("lstm-proj", "LSTM", [6, 8], {"proj_size": 3}, [5, 6]),
        _case("gru", "GRU", [10, 20], {"batch_first": True}, [7, 10]),
        _case("rnn", "RNN", [3, 4], {"nonlinearity": "relu"}, [6, 3]),
        _case("rnn-tanh", "RNN", [3, 4], {}, [6, 3]),
        _case("lstm-cell", "LSTMCell", [10, 20], {}, [10]),
        _case("lstm-cell-nobias", "LSTMCell", [3, 4], {"bias": False}, [3]),
        _case("gru-cell", "GRUCell", [10, 20], {}, [10]),
        _case("rnn-cell", "RNNCell", [3, 4], {}, [3]),
        _case("batchnorm", "BatchNorm2d", [6], {}, [6, 5, 7]),
        _case("layernorm", "LayerNorm", [12], {}, [5, 12]),
        _case("instancenorm", "InstanceNorm1d", [4], {}, [4, 9]),
        _case("instancenorm-affine", "InstanceNorm2d", [4], {"affine": True}, [4, 5, 6]),
        _case("instancenorm-running", "InstanceNorm2d", [4], {"track_running_stats": True}, [4, 5, 6]),
        _case("embedding", "Embedding", [50, 8], {}, [7]),
        _case("prelu", "PReLU", [], {}, [3, 4, 4]),
        _case("relu", "ReLU", [], {}, [3, 4, 5]),
        _case("gelu", "GELU", [], {}, [3, 4, 5]),
        _case("relu6", "ReLU6", [], {}, [3, 4, 5]),
        _case("leaky", "LeakyReLU", [], {}, [3, 4, 5]),
        _case("sigmoid", "Sigmoid", [], {}, [3, 4, 5]),
        _case("softmax", "Softmax", [], {"dim": 1}, [10]),
        _case("maxpool", "MaxPool2d", [2], {}, [3, 8, 6]),
        _case("avgpool", "AvgPool2d", [3], {"stride": 2, "padding": 1}, [3, 9, 8]),
        _case("global-avg", "AdaptiveAvgPool2d", [1], {}, [4, 5, 6]),
        _case("mha", "MultiheadAttention", [8, 2], {}, [5, 8]),
        _case("mha-batch-first", "MultiheadAttention", [8, 2], {"batch_first": True}, [5, 8]),
        _case(
            "mha-nobias-batch-first",
            "MultiheadAttention",
            [8, 2],
            {"bias": False, "batch_first": True},
            [5, 8],
        ),
        _case("mha-odd-heads-batch-first", "MultiheadAttention", [9, 3], {"batch_first": True}, [5, 9]),
        _case("mha-bias-kv", "MultiheadAttention", [8, 2], {"add_bias_kv": True}, [5, 8]),
        _case(
            "mha-zero-attn-batch-first",
            "MultiheadAttention",
            [8, 2],
            {"add_zero_attn": True, "batch_first": True},
            [5, 8],
        ),
        _case("transformer", "TransformerEncoderLayer", [8, 2], {"dim_feedforward": 16}, [5, 8]),
        _case(
            "transformer-batch-first",
            "TransformerEncoderLayer",
            [8, 2],
            {"dim_feedforward": 16, "batch_first": True},
            [5, 8],
        ),
        _case(
            "transformer-nobias-batch-first",
            "TransformerEncoderLayer",
            [8, 2],
            {"dim_feedforward": 16, "batch_first": True, "bias": False},
            [5, 8],
        ),
        _case(
            "transformer-norm-first-gelu",
            "TransformerEncoderLayer",
            [8, 2],
            {"dim_feedforward": 16, "norm_first": True, "activation": "gelu"},
            [5, 8],
        ),
        _case("encoder-model", "Sequential", ENCODER_MODEL, {}, [5, 6]),
        _case("attention-model", "Sequential", ATTENTION_MODEL, {}, [5, 6]),
        _case("encoder-stack", "Sequential", ENCODER_STACK, {}, [5, 8]),
        *feed_cases(),
    ]


def _enc(d: int, h: int, ff: int, **kwargs: Any) -> Spec:
    return ["TransformerEncoderLayer", [d, h], {"dim_feedforward": ff, **kwargs}]


def feed_cases() -> list[Case]:
    """Whole sequence models fed one way (``cost.feed_of``): each row's figure under that feed.

    Batch-first feeds ``(1, T, F)`` unless the first layer is a sequence layer with batch_first=False;
    a sequence layer after it with the opposite batch_first ("misfed") reads T sequences of length 1.
    """
    return [
        # batch-first feed: a batch_first=False encoder / attention / LSTM after a Linear is misfed
        _case(
            "feed-linear-encoder-linear",
            "Sequential",
            [["Linear", [4, 8], {}], _enc(8, 2, 16), ["Linear", [8, 3], {}]],
            {},
            [5, 4],
        ),
        _case(
            "feed-linear-encoder-bf-linear",
            "Sequential",
            [["Linear", [4, 8], {}], _enc(8, 2, 16, batch_first=True), ["Linear", [8, 3], {}]],
            {},
            [5, 4],
        ),
        _case(
            "feed-linear-mha-linear",
            "Sequential",
            [["Linear", [4, 8], {}], ["MultiheadAttention", [8, 2], {}], ["Linear", [8, 3], {}]],
            {},
            [5, 4],
        ),
        _case(
            "feed-linear-lstm-linear",
            "Sequential",
            [["Linear", [4, 6], {}], ["LSTM", [6, 8], {}], ["Linear", [8, 3], {}]],
            {},
            [5, 4],
        ),
        _case(
            "feed-embedding-encoder-linear",
            "Sequential",
            [["Embedding", [50, 8], {}], _enc(8, 4, 12, norm_first=True), ["Linear", [8, 2], {}]],
            {},
            [7],
        ),
        # sequence-first feed (T, 1, F): every Linear / LayerNorm / PReLU is counted T times by torchinfo
        _case(
            "feed-lstm-linear",
            "Sequential",
            [["LSTM", [6, 8], {}], ["Linear", [8, 3], {}]],
            {},
            [5, 6],
        ),
        _case(
            "feed-encoder-linear",
            "Sequential",
            [_enc(8, 2, 16), ["Linear", [8, 3], {}]],
            {},
            [5, 8],
        ),
        _case(
            "feed-gru-norm-encoder-bf-linear",
            "Sequential",
            [
                ["GRU", [6, 8], {}],
                ["LayerNorm", [8], {}],
                ["PReLU", [], {}],
                _enc(8, 2, 16, batch_first=True),
                ["Dropout", [0.1], {}],
                ["Linear", [8, 3], {}],
            ],
            {},
            [5, 6],
        ),
        _case(
            "feed-mha-mha-bf-linear",
            "Sequential",
            [
                ["MultiheadAttention", [8, 2], {}],
                ["MultiheadAttention", [8, 4], {"batch_first": True}],
                ["Linear", [8, 3], {}],
            ],
            {},
            [6, 8],
        ),
        _case(
            "feed-lstm-bf-mha-nobias",
            "Sequential",
            [
                ["LSTM", [6, 8], {"batch_first": True}],
                ["MultiheadAttention", [8, 4], {"bias": False}],
                ["Linear", [8, 2], {}],
            ],
            {},
            [7, 6],
        ),
    ]


def invalid_cases() -> list[Case]:
    """None: every case above is one PyTorch accepts (refusals are the ``undefined`` conventions)."""
    return []


def cases(seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Case]:
    """Every case of the recording, in the recorded order: random, edge, invalid and random-feed ones."""
    return random_cases(seed, scale) + edge_cases() + invalid_cases() + random_feed_cases(seed, scale)


def _torch_model(case: Case) -> Any:
    import torch.nn as tnn

    class SelfAttention(tnn.Module):  # type: ignore[misc]
        """MultiheadAttention in a Sequential: query, key and value are the input, as an encoder calls it."""

        def __init__(self, attn: Any) -> None:
            super().__init__()
            self.attn = attn

        def forward(self, x: Any) -> Any:
            return self.attn(x, x, x, need_weights=False)[0]

    class WholeSequence(tnn.Module):  # type: ignore[misc]
        """A recurrent layer in a Sequential: its output sequence goes on (``out, _ = lstm(x)``)."""

        def __init__(self, rnn: Any) -> None:
            super().__init__()
            self.rnn = rnn

        def forward(self, x: Any) -> Any:
            return self.rnn(x)[0]

    def module(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        made = getattr(tnn, name)(*args, **kwargs)
        if name == "MultiheadAttention":
            return SelfAttention(made)
        return WholeSequence(made) if name in ("LSTM", "GRU", "RNN") else made

    model = tnn.Sequential(*(module(name, args, kwargs) for name, args, kwargs in _specs(case)))
    model.eval()
    return model


def _input(case: Case) -> Any:
    """The tensor the tools run: laid out as convwidget's one rule says (``cost.feed_of`` the first layer)."""
    import torch

    feed = cost.feed_of(build_convwidget(case).layers[0])
    shape = cost.torch_input_shape(feed, tuple(case["input_shape"]))
    if _specs(case)[0][0] == "Embedding":
        return torch.zeros(*shape, dtype=torch.long)
    return torch.zeros(*shape)


def record(case: Case) -> Case:
    """Run torchinfo, ptflops and fvcore on the case (imported here) and add what they printed."""
    import logging

    import fvcore
    import ptflops
    import torch
    import torchinfo
    from fvcore.nn import FlopCountAnalysis

    logging.getLogger("fvcore").setLevel(logging.ERROR)
    model, x = _torch_model(case), _input(case)
    with torch.no_grad():
        stats = torchinfo.summary(model, input_data=x, verbose=0, depth=10)
        top = [i for i, layer in enumerate(stats.summary_list) if layer.depth == 1]
        rows = []
        for i in top:
            depth = stats.summary_list[i].depth
            subtree = [stats.summary_list[i]]
            for layer in stats.summary_list[i + 1 :]:
                if layer.depth <= depth:
                    break
                subtree.append(layer)
            rows.append(sum(layer.macs for layer in subtree if layer.is_leaf_layer))
        ptflops_total, _ = ptflops.get_model_complexity_info(
            model,
            tuple(case["input_shape"]),
            input_constructor=lambda _res: {"input": x},
            as_strings=False,
            print_per_layer_stat=False,
        )
        analysis = FlopCountAnalysis(model, x)
        analysis.unsupported_ops_warnings(False)
        analysis.uncalled_modules_warnings(False)
        fv_total = analysis.total()
        unsupported = sorted(analysis.unsupported_ops())
    rec: Case = dict(case)  # type: ignore[assignment]
    rec["torch"] = {
        "torchinfo_rows": rows,
        "torchinfo_total": int(stats.total_mult_adds),
        "ptflops": int(ptflops_total),
        "fvcore": int(fv_total),
        "fvcore_unsupported": unsupported,
        "versions": {
            "torch": torch.__version__,
            "torchinfo": torchinfo.__version__,
            "ptflops": getattr(ptflops, "__version__", "0.7.5"),
            "fvcore": getattr(fvcore, "__version__", "0.1.5"),
        },
    }
    return rec


# fvcore 0.1.5 has no handle for a convolution with padding given as a word ('same'): it reports 0.
_FVCORE_SKIPS = frozenset(["aten::_convolution_mode"])


def _expected(rec: Case, convention: str) -> int | list[int]:
    data = rec["torch"]
    if convention == "torchinfo":
        rows: list[int] = data["torchinfo_rows"]
        return rows
    return int(data[convention])


def mismatches(rec: Case) -> list[str]:
    """How convwidget.cost differs from the recorded tools (empty when it agrees); needs no framework."""
    problems: list[str] = []
    try:
        model = build_convwidget(rec)
        shape = tuple(rec["input_shape"])
        model.describe(shape)
    except ConfigError as exc:
        return [f"convwidget refused the model: {exc}"]
    undefined = set(rec.get("undefined", []))  # type: ignore[typeddict-item]
    for convention in ("torchinfo", "ptflops", "fvcore"):
        try:
            got = cost.table(model, convention, shape)
        except ConfigError as exc:
            if convention not in undefined:
                problems.append(f"{convention}: convwidget refused: {exc}")
            elif str(convention) not in str(exc):
                problems.append(f"{convention}: the refusal does not name the convention: {exc}")
            continue
        if convention in undefined:
            problems.append(f"{convention}: expected a refusal, got {got.total}")
            continue
        if convention == "fvcore" and _FVCORE_SKIPS & set(rec["torch"]["fvcore_unsupported"]):
            continue  # fvcore counted nothing for an operator it skips: nothing to compare
        want = _expected(rec, convention)
        if convention == "torchinfo":
            assert isinstance(want, list)
            have = [r.mult_adds for r in got.rows]
            if have != want:
                problems.append(f"torchinfo rows {have} != recorded {want}")
            if got.total != rec["torch"]["torchinfo_total"]:
                problems.append(f"torchinfo total {got.total} != recorded {rec['torch']['torchinfo_total']}")
        elif got.total != want:
            problems.append(f"{convention} total {got.total} != recorded {want}")
    return problems
