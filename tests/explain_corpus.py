"""Adversarial pastes for the explainer's truth rule (issue #16): models, real summaries, a checker.

A model is a spec: an input shape and a list of ``(class, args, kwargs)`` that convwidget's classes
(:mod:`convwidget.layers`, :mod:`convwidget.nn`) take exactly as the frameworks' do. The truth of each
weighted row is convwidget's formula for that layer on its real input, checked against the framework's
own count when the paste is recorded (``scripts/record_adversarial_pastes.py``) or built live
(``tests/test_explain_live.py``). :func:`check` sorts every weighted row's verdict into
true / false explained / false mismatch / ambiguous without the truth.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from typing import Any

from convwidget import layers as cw_layers
from convwidget import nn as cw_nn
from convwidget.enums import Family
from convwidget.errors import ConfigError
from convwidget.kinds import by_name
from convwidget.reading.results import Explanation, RowExplanation

Spec = dict[str, Any]


def _kw(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}


def _args(args: Sequence[Any]) -> list[Any]:
    return [tuple(a) if isinstance(a, list) else a for a in args]


def _build(module: Any, cls: str, args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
    """A layer from its spec; Bidirectional's first argument is the wrapped layer's spec."""
    if cls == "Bidirectional":
        inner_cls, inner_args, inner_kwargs = args[0]
        return module.Bidirectional(_build(module, inner_cls, inner_args, inner_kwargs), **_kw(kwargs))
    return getattr(module, cls)(*_args(args), **_kw(kwargs))


def truths(spec: Spec, torch: bool) -> list[dict[str, Any]]:
    """Each layer's convwidget formula (expression) and count on its input, in order (a chain)."""
    module = cw_nn if torch else cw_layers
    shape = tuple(spec["input"])
    out = []
    for cls, args, kwargs in spec["layers"]:
        info = _build(module, cls, args, kwargs).describe(shape)
        out.append(
            {
                "class": cls,
                "input": list(shape),
                "params": info.params,
                "formula": info.terms.expression if info.params else None,
            }
        )
        shape = info.output_shape
    return out


def keras_model(keras: Any, spec: Spec, functional: bool = False) -> Any:
    keras.backend.clear_session()
    inp = keras.Input(shape=tuple(spec["input"]), name="image")
    x = inp
    built = []
    for cls, args, kwargs in spec["layers"]:
        layer = _build(keras.layers, cls, args, kwargs)
        built.append(layer)
        x = layer(x, x) if cls == "MultiHeadAttention" else layer(x)
    if functional or any(cls == "MultiHeadAttention" for cls, _, _ in spec["layers"]):
        return keras.Model(inp, x)  # attention takes two inputs: no Sequential can hold it
    model = keras.Sequential([inp, *built])
    return model


def keras_summary(model: Any, **kwargs: Any) -> str:
    buf = io.StringIO()
    with redirect_stdout(buf):
        model.summary(**kwargs)
    return buf.getvalue()


def torch_model(torch: Any, spec: Spec) -> Any:
    modules = [getattr(torch.nn, cls)(*_args(args), **_kw(kwargs)) for cls, args, kwargs in spec["layers"]]
    if not any(isinstance(m, (torch.nn.RNNBase, torch.nn.MultiheadAttention)) for m in modules):
        return torch.nn.Sequential(*modules)

    class Chain(torch.nn.Module):  # a recurrent module returns (output, state); attention takes q, k, v
        def __init__(self) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(modules)

        def forward(self, x: Any) -> Any:
            for m in self.layers:
                x = m(x, x, x) if isinstance(m, torch.nn.MultiheadAttention) else m(x)
                x = x[0] if isinstance(x, tuple) else x
            return x

    return Chain()


# --- random models --------------------------------------------------------------------------------


def random_keras_spec(rng: random.Random) -> Spec:
    """A random chain of Keras conv, depthwise, separable, transposed, norm and dense layers."""
    h, w, c = rng.randint(12, 40), rng.randint(12, 40), rng.choice([1, 3, 4, 8])
    spec: Spec = {"input": [h, w, c], "layers": []}
    layers = spec["layers"]
    for _ in range(rng.randint(1, 5)):
        if h < 6 or w < 6:
            break
        kind = rng.choice(["conv", "conv", "conv", "depthwise", "separable", "transpose", "bn", "pool"])
        k = (rng.randint(1, 5), rng.randint(1, 5)) if rng.random() < 0.4 else rng.choice([1, 2, 3, 5])
        kw: dict[str, Any] = {}
        if rng.random() < 0.3:
            kw["padding"] = "same"
        if rng.random() < 0.25:
            kw["strides"] = rng.choice([2, [2, 1], [1, 3], 3])
        elif rng.random() < 0.2:
            kw["dilation_rate"] = rng.choice([2, [1, 2]])
        if rng.random() < 0.2:
            kw["use_bias"] = False
        if kind == "conv":
            layers.append(["Conv2D", [rng.choice([4, 8, 16, 32, 63])], {"kernel_size": k, **kw}])
        elif kind == "depthwise":
            layers.append(["DepthwiseConv2D", [k], {"depth_multiplier": rng.choice([1, 2, 4]), **kw}])
        elif kind == "separable":
            layers.append(["SeparableConv2D", [rng.choice([8, 16]), k], kw])
        elif kind == "transpose":
            kw.pop("dilation_rate", None)
            strides = kw.get("strides", 1)
            if strides != 1 and rng.random() < 0.5:
                per_axis = strides if isinstance(strides, list) else [strides, strides]
                kw["output_padding"] = [rng.randint(0, s - 1) for s in per_axis]
            layers.append(["Conv2DTranspose", [rng.choice([4, 8, 16])], {"kernel_size": k, **kw}])
        elif kind == "bn":
            layers.append(["BatchNormalization", [], rng.choice([{}, {"center": False}, {"scale": False}])])
        else:
            layers.append(["MaxPooling2D", [], {}])
        try:
            h, w, c = _last_shape(spec, torch=False)
        except ConfigError:  # a random configuration that does not fit its input: drop it
            layers.pop()
    if rng.random() < 0.5:
        layers.append(["Flatten", [], {}])
        layers.append(["Dense", [rng.choice([5, 10, 32])], rng.choice([{}, {"use_bias": False}])])
    return spec


def random_torch_spec(rng: random.Random) -> Spec:
    """A random chain of PyTorch conv, transposed conv, BatchNorm and Linear modules."""
    c, h, w = rng.choice([1, 3, 4]), rng.randint(12, 40), rng.randint(12, 40)
    spec: Spec = {"input": [c, h, w], "layers": []}
    layers = spec["layers"]
    for _ in range(rng.randint(1, 5)):
        if h < 6 or w < 6:
            break
        kind = rng.choice(["conv", "conv", "conv", "grouped", "transpose", "bn"])
        k = (rng.randint(1, 5), rng.randint(1, 5)) if rng.random() < 0.4 else rng.choice([1, 2, 3, 5])
        kw: dict[str, Any] = {}
        if rng.random() < 0.3:
            kw["stride"] = rng.choice([2, [2, 1]])
        if rng.random() < 0.4:
            kw["padding"] = rng.choice([1, 2, [1, 0]])
        if rng.random() < 0.2:
            kw["bias"] = False
        cout = rng.choice([4, 8, 16, 32])
        if kind in ("conv", "grouped"):
            groups = c if kind == "grouped" and cout % c == 0 else 1
            layers.append(["Conv2d", [c, cout, k], {"groups": groups, **kw}])
        elif kind == "transpose":
            if "stride" in kw and rng.random() < 0.5:
                kw["output_padding"] = 1 if kw["stride"] == 2 else [1, 0]
            layers.append(["ConvTranspose2d", [c, cout, k], kw])
        else:
            layers.append(["BatchNorm2d", [c], {}])
        try:
            c, h, w = _last_shape(spec, torch=True)
        except ConfigError:  # a random configuration that does not fit its input: drop it
            layers.pop()
    if rng.random() < 0.5:
        layers.append(["Flatten", [], {}])
        layers.append(["Linear", [c * h * w, rng.choice([5, 10])], rng.choice([{}, {"bias": False}])])
    return spec


def _last_shape(spec: Spec, torch: bool) -> tuple[int, ...]:
    module = cw_nn if torch else cw_layers
    shape = tuple(spec["input"])
    for cls, args, kwargs in spec["layers"]:
        shape = _build(module, cls, args, kwargs).describe(shape).output_shape
    return shape


def random_keras_sequence_spec(rng: random.Random) -> Spec:
    """A random chain of Keras recurrent and attention layers on a (steps, features) input."""
    spec: Spec = {"input": [rng.randint(3, 12), rng.choice([1, 4, 8, 13])], "layers": []}
    n = rng.randint(1, 4)
    for i in range(n):
        sequences = i < n - 1 or rng.random() < 0.5
        kind = rng.choice(["LSTM", "GRU", "SimpleRNN", "Bidirectional", "MultiHeadAttention"])
        units = rng.choice([2, 5, 8, 16])
        kw: dict[str, Any] = {"return_sequences": sequences}
        if rng.random() < 0.2:
            kw["use_bias"] = False
        if kind == "GRU" and rng.random() < 0.4:
            kw["reset_after"] = False
        if kind == "Bidirectional":
            inner = rng.choice(["LSTM", "GRU", "SimpleRNN"])
            mode = rng.choice(["concat", "concat", "sum"])
            spec["layers"].append(["Bidirectional", [[inner, [units], kw]], {"merge_mode": mode}])
        elif kind == "MultiHeadAttention":
            if not sequences:
                continue
            spec["layers"].append(
                ["MultiHeadAttention", [], {"num_heads": rng.choice([1, 2]), "key_dim": units}]
            )
        else:
            spec["layers"].append([kind, [units], kw])
        if not sequences:
            break
    if not spec["layers"]:
        spec["layers"].append(["LSTM", [rng.choice([3, 6])], {}])
    return spec


def random_torch_sequence_spec(rng: random.Random) -> Spec:
    """A random chain of PyTorch recurrent and attention modules (batch_first) on (steps, features)."""
    features = rng.choice([2, 4, 8])
    spec: Spec = {"input": [rng.randint(3, 12), features], "layers": []}
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["LSTM", "GRU", "RNN", "MultiheadAttention", "Linear"])
        if kind == "MultiheadAttention":
            spec["layers"].append(
                ["MultiheadAttention", [features, 1], {"batch_first": True, "bias": rng.random() < 0.8}]
            )
            continue
        if kind == "Linear":
            width = rng.choice([4, 6])
            spec["layers"].append(["Linear", [features, width], {}])
            features = width
            continue
        hidden = rng.choice([3, 4, 8])
        bidirectional = rng.random() < 0.4
        kw = {"num_layers": rng.choice([1, 1, 2]), "batch_first": True, "bidirectional": bidirectional}
        if rng.random() < 0.2:
            kw["bias"] = False
        spec["layers"].append([kind, [features, hidden], kw])
        features = hidden * (2 if bidirectional else 1)
    return spec


# --- checking -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Verdicts on weighted rows against their truth."""

    rows: int = 0
    true_explained: int = 0
    ambiguous_with_truth: int = 0
    false_explained: list[str] = field(default_factory=list)
    false_mismatch: list[str] = field(default_factory=list)
    ambiguous_without_truth: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def problems(self) -> list[str]:
        return (
            self.false_explained
            + self.false_mismatch
            + self.ambiguous_without_truth
            + self.parse_errors
            + self.other
        )


def weighted_rows(explanation: Explanation) -> list[RowExplanation]:
    """The rows that stand for a layer (not a container, an input, or a weightless layer)."""
    return [
        r
        for r in explanation.rows
        if not r.container
        and r.layer_type not in ("InputLayer",)
        and r.status != "no_params"
        and not _nested(r)
    ]


def _nested(row: RowExplanation) -> bool:
    """A collapsed nested model's row (its count is its layers' sum, not one layer's)."""
    kind = by_name(row.layer_type or "")
    return kind is not None and kind.family is Family.CONTAINER


def check(explanation: Explanation, truth: list[dict[str, Any]], label: str) -> Tally:
    """Compare each weighted row's verdict with the true formula (rows matched in order)."""
    tally = Tally()
    expected = [t for t in truth if t["formula"]]
    rows = weighted_rows(explanation)
    if len(rows) != len(expected):
        tally.other.append(f"{label}: {len(rows)} weighted rows read, {len(expected)} expected")
        return tally
    for row, t in zip(rows, expected):
        tally.rows += 1
        where = f"{label}: {row.name} truth {t['formula']}"
        formulas = [c.terms.expression for c in row.candidates]
        if row.status == "explained":
            if formulas[0] == t["formula"]:
                tally.true_explained += 1
            else:
                tally.false_explained.append(f"{where}, explained as {formulas[0]}")
        elif row.status == "ambiguous":
            if t["formula"] in formulas:
                tally.ambiguous_with_truth += 1
            else:
                tally.ambiguous_without_truth.append(f"{where}, ambiguous among {formulas[:4]}")
        elif row.status == "mismatch":
            tally.false_mismatch.append(f"{where}, mismatch: {row.note}")
        else:
            tally.other.append(f"{where}, {row.status}: {row.note}")
    return tally


def keras_layer_truth(layer: Any) -> dict[str, Any]:
    """convwidget's formula for a real, built Keras layer on its real input (nested and branching models)."""
    import inspect

    cls = getattr(cw_layers, type(layer).__name__)
    accepted = inspect.signature(cls.__init__).parameters
    config = {k: v for k, v in layer.get_config().items() if k in accepted and k not in ("self", "name")}
    config = {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}
    shape = tuple(int(d) for d in layer.input.shape[1:])
    info = cls(**config).describe(shape)
    if info.params != layer.count_params():
        raise AssertionError(
            f"convwidget counts {info.params} for {layer.name}, Keras {layer.count_params()}"
        )
    return {
        "class": type(layer).__name__,
        "name": layer.name,
        "input": list(shape),
        "params": info.params,
        "formula": info.terms.expression if info.params else None,
    }
