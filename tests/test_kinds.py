"""convwidget.kinds: every convwidget class has its row, and the framework bridges round-trip every row.

The first tests need no framework; the round trips build each modelled kind in real PyTorch and Keras,
pass it through ``from_torch`` / ``from_keras``, and expect convwidget's own class back (not a
FrameworkLayer) with the framework's count and output shape.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from conftest import require

from convwidget import from_keras, from_torch, kinds, layers, nn
from convwidget.enums import Dialect, Family, Layout
from convwidget.frameworks import FrameworkLayer


def _classes(module: ModuleType, base: type) -> dict[str, type]:
    """The public classes of ``module`` that are layers of its dialect (not the base itself)."""
    out = {}
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj) and issubclass(obj, base) and obj is not base:
            out[name] = obj
    return out


KERAS_CLASSES = _classes(layers, layers.Layer)
TORCH_CLASSES = _classes(nn, nn.Module)


def _modelled(dialect: Dialect) -> dict[str, kinds.LayerKind]:
    return {k.name_in(dialect): k for k in kinds.KINDS if dialect in k.modelled}  # type: ignore[misc]


def test_the_classes_are_found() -> None:
    # a broken discovery would make the next tests pass vacuously
    assert {"Conv2D", "SeparableConv2D", "BatchNormalization", "InputLayer"} <= set(KERAS_CLASSES)
    assert {"Conv2d", "BatchNorm3d", "ConvTranspose1d", "LogSoftmax", "Identity"} <= set(TORCH_CLASSES)
    assert "Sequential" not in TORCH_CLASSES  # a model, not a module


@pytest.mark.parametrize(
    ("dialect", "classes"),
    [(Dialect.KERAS, KERAS_CLASSES), (Dialect.TORCH, TORCH_CLASSES)],
    ids=["keras", "torch"],
)
def test_every_class_has_its_kind_and_every_modelled_kind_its_class(dialect, classes) -> None:
    for name, cls in classes.items():
        kind = kinds.by_name(name)
        assert kind is not None, f"{name} has no row in convwidget.kinds"
        assert dialect in kind.modelled and kind.name_in(dialect) == name, (name, kind)
        assert cls.kind.fget is not None  # the class reads its row through the property
        assert kinds.kind_of(dialect, name) is kind
    modelled = _modelled(dialect)
    assert set(modelled) == set(classes), set(modelled) ^ set(classes)


def test_names_are_unique_per_dialect() -> None:
    for dialect in Dialect:
        names = [k.name_in(dialect) for k in kinds.KINDS if dialect in k.modelled]
        assert len(names) == len(set(names))


# ------------------------------------------------------------------------------ PyTorch round trips


def _torch_cases(tnn: Any) -> dict[str, tuple[Callable[[], Any], tuple[int, ...]]]:
    """One real torch module per modelled kind, with typical (non-default) arguments, and its input."""
    return {
        "Conv1d": (lambda: tnn.Conv1d(3, 4, 3, dilation=2), (3, 10)),
        "Conv2d": (lambda: tnn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False), (3, 10, 8)),
        "Conv3d": (lambda: tnn.Conv3d(2, 4, 3, groups=2, padding_mode="replicate", padding=1), (2, 5, 6, 7)),
        "ConvTranspose1d": (lambda: tnn.ConvTranspose1d(3, 4, 3, stride=2), (3, 5)),
        "ConvTranspose2d": (lambda: tnn.ConvTranspose2d(3, 4, 3, 2, 1, output_padding=1), (3, 5, 6)),
        "ConvTranspose3d": (lambda: tnn.ConvTranspose3d(2, 3, 2, stride=2, bias=False), (2, 3, 4, 5)),
        "BatchNorm1d": (lambda: tnn.BatchNorm1d(6, affine=False), (6, 7)),
        "BatchNorm2d": (lambda: tnn.BatchNorm2d(6), (6, 5, 4)),
        "BatchNorm3d": (lambda: tnn.BatchNorm3d(6), (6, 2, 3, 4)),
        "Linear": (lambda: tnn.Linear(8, 5, bias=False), (8,)),
        "LayerNorm": (lambda: tnn.LayerNorm((4, 8), bias=False), (4, 8)),
        "Embedding": (lambda: tnn.Embedding(20, 5, padding_idx=0), (7,)),
        "MaxPool2d": (lambda: tnn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), (3, 8, 6)),
        "AvgPool2d": (lambda: tnn.AvgPool2d(3, stride=2, padding=1, divisor_override=2), (3, 8, 6)),
        "AdaptiveAvgPool2d": (lambda: tnn.AdaptiveAvgPool2d((2, 3)), (3, 8, 6)),
        "Flatten": (lambda: tnn.Flatten(), (3, 4, 5)),
        "Dropout": (lambda: tnn.Dropout(0.3), (3, 4, 5)),
        "ReLU": (lambda: tnn.ReLU(), (3, 4)),
        "ReLU6": (lambda: tnn.ReLU6(), (3, 4)),
        "LeakyReLU": (lambda: tnn.LeakyReLU(0.2), (3, 4)),
        "ELU": (lambda: tnn.ELU(alpha=0.5), (3, 4)),
        "SELU": (lambda: tnn.SELU(), (3, 4)),
        "GELU": (lambda: tnn.GELU(approximate="tanh"), (3, 4)),
        "SiLU": (lambda: tnn.SiLU(), (3, 4)),
        "Mish": (lambda: tnn.Mish(), (3, 4)),
        "Hardswish": (lambda: tnn.Hardswish(), (3, 4)),
        "Sigmoid": (lambda: tnn.Sigmoid(), (3, 4)),
        "Tanh": (lambda: tnn.Tanh(), (3, 4)),
        "Softplus": (lambda: tnn.Softplus(beta=2.0), (3, 4)),
        "Identity": (lambda: tnn.Identity(), (3, 4)),
        "Softmax": (lambda: tnn.Softmax(dim=1), (3, 4)),
        "LogSoftmax": (lambda: tnn.LogSoftmax(dim=-1), (3, 4)),
        # issue #17: sequence, attention, 1-D and shaping modules
        "RNN": (lambda: tnn.RNN(6, 5, num_layers=2, nonlinearity="relu", batch_first=True), (7, 6)),
        "LSTM": (lambda: tnn.LSTM(6, 5, batch_first=True, bidirectional=True, proj_size=3), (7, 6)),
        "GRU": (lambda: tnn.GRU(6, 5, num_layers=2, bias=False, batch_first=True), (7, 6)),
        "RNNCell": (lambda: tnn.RNNCell(6, 5, nonlinearity="relu"), (6,)),
        "LSTMCell": (lambda: tnn.LSTMCell(6, 5), (6,)),
        "GRUCell": (lambda: tnn.GRUCell(6, 5, bias=False), (6,)),
        "MultiheadAttention": (lambda: tnn.MultiheadAttention(8, 2, batch_first=True), (5, 8)),
        "TransformerEncoderLayer": (
            lambda: tnn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True),
            (5, 8),
        ),
        "GroupNorm": (lambda: tnn.GroupNorm(2, 6), (6, 5, 4)),
        "InstanceNorm1d": (lambda: tnn.InstanceNorm1d(6, affine=True), (6, 7)),
        "InstanceNorm2d": (lambda: tnn.InstanceNorm2d(6, track_running_stats=True), (6, 5, 4)),
        "MaxPool1d": (lambda: tnn.MaxPool1d(3, stride=2, padding=1), (3, 10)),
        "AvgPool1d": (lambda: tnn.AvgPool1d(2), (3, 10)),
        "AdaptiveMaxPool2d": (lambda: tnn.AdaptiveMaxPool2d((2, 3)), (3, 8, 6)),
        "Upsample": (lambda: tnn.Upsample(scale_factor=2), (3, 4, 5)),
        "PixelShuffle": (lambda: tnn.PixelShuffle(2), (8, 3, 4)),
        "Dropout2d": (lambda: tnn.Dropout2d(0.2), (3, 4, 5)),
        "Unflatten": (lambda: tnn.Unflatten(1, (3, 4)), (12,)),
        "PReLU": (lambda: tnn.PReLU(3), (3, 4, 5)),
    }


# What from_torch cannot map yet (issue #16/#17, convwidget/frameworks.py): each case fails today and
# must pass once the gap is closed (strict xfail turns red then, so remove the mark with the fix).
_TORCH_GAPS = {
    # not a mapping gap: torch.nn.RNN's repr leaves out nonlinearity='relu', convwidget.nn.RNN prints it
    "RNN": "convwidget.nn.RNN prints nonlinearity=relu, which torch.nn.RNN's repr leaves out",
    "MultiheadAttention": "from_torch runs module(x), but MultiheadAttention needs query, key and value",
    # not a mapping gap (test_frameworks_import checks the mapping): torch prints its submodule tree
    "TransformerEncoderLayer": "convwidget.nn.TransformerEncoderLayer prints no submodule tree as torch does",
    # not a mapping gap: convwidget/nn/pool.py's MaxPool1d.extra_repr leaves out dilation and ceil_mode
    "MaxPool1d": "convwidget.nn.MaxPool1d prints no dilation=1, ceil_mode=False as torch.nn.MaxPool1d does",
}


def _torch_output(torch: ModuleType, module: Any, x: Any) -> Any:
    """The module's first output (a recurrent module returns (output, state); attention needs q, k, v)."""
    out = module(x, x, x) if isinstance(module, torch.nn.MultiheadAttention) else module(x)
    return out[0] if isinstance(out, tuple) else out


def _torch_param(name: str) -> Any:
    if name in _TORCH_GAPS:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=_TORCH_GAPS[name]))
    return name


def _collapsed(text: str) -> str:
    """``(3, 3)`` and ``(3,)`` printed as ``3`` (PyTorch prints a pooling size as it was given), no ``bias=``.

    The count already says whether the bias came over; convwidget's BatchNorm and LayerNorm do not
    print ``bias=``, which PyTorch 2.13 prints for them.
    """
    text = re.sub(r", bias=(True|False)", "", text)
    return re.sub(r"\((\d+)(?:, \1)*,?\)", r"\1", text)


@pytest.fixture(scope="module")
def torch() -> ModuleType:
    return require("torch", "from_torch round-trips every kind through real PyTorch")


@pytest.mark.frameworks
def test_every_torch_kind_has_a_round_trip_case(torch: ModuleType) -> None:
    assert set(_torch_cases(torch.nn)) == set(_modelled(Dialect.TORCH))


@pytest.mark.frameworks
@pytest.mark.parametrize("name", [_torch_param(n) for n in sorted(_modelled(Dialect.TORCH))])
def test_from_torch_round_trips_each_kind(torch: ModuleType, name: str) -> None:
    build, shape = _torch_cases(torch.nn)[name]
    module = build().eval()
    x = torch.zeros((1, *shape), dtype=torch.long if name == "Embedding" else torch.float32)
    with torch.no_grad():
        out = _torch_output(torch, module, x)
    (row,) = from_torch(torch.nn.Sequential(module), shape).rows
    assert not isinstance(row.layer, FrameworkLayer), f"{name} became a row without a formula"
    assert type(row.layer) is TORCH_CLASSES[name]
    assert row.info.params == sum(p.numel() for p in module.parameters())
    assert row.info.output_shape == tuple(out.shape[1:])
    # the arguments carried over: convwidget prints the module as PyTorch does
    assert _collapsed(repr(row.layer)) == _collapsed(repr(module))


@pytest.mark.frameworks
def test_from_torch_keeps_unknown_modules_with_the_dialects_layout(torch: ModuleType) -> None:
    (row,) = from_torch(torch.nn.Sequential(torch.nn.Softsign()), (3, 5, 4)).rows
    assert isinstance(row.layer, FrameworkLayer)
    assert row.info.kind is None and row.info.layout is Layout.CHANNELS_FIRST
    assert row.info.split(row.info.output_shape) == ((5, 4), 3)


# ------------------------------------------------------------------------------ Keras round trips


def _keras_cases(kl: Any) -> dict[str, tuple[Callable[[], Any], tuple[int, ...]]]:
    """One real Keras layer per modelled kind, with typical (non-default) arguments, and its input."""
    return {
        "Conv1D": (lambda: kl.Conv1D(4, 3, dilation_rate=2), (10, 3)),
        "Conv2D": (lambda: kl.Conv2D(4, 3, strides=2, padding="same", use_bias=False), (10, 8, 3)),
        "Conv3D": (lambda: kl.Conv3D(4, 2, groups=2), (5, 6, 7, 2)),
        "Conv1DTranspose": (lambda: kl.Conv1DTranspose(4, 3, strides=2), (5, 3)),
        "Conv2DTranspose": (lambda: kl.Conv2DTranspose(4, 3, strides=2, padding="same"), (5, 6, 3)),
        "Conv3DTranspose": (lambda: kl.Conv3DTranspose(3, 2, strides=2, use_bias=False), (3, 4, 5, 2)),
        "DepthwiseConv2D": (lambda: kl.DepthwiseConv2D(3, depth_multiplier=2), (8, 6, 3)),
        "SeparableConv2D": (lambda: kl.SeparableConv2D(5, 3, depth_multiplier=2), (8, 6, 3)),
        "Dense": (lambda: kl.Dense(5, activation="relu"), (4, 8)),
        "BatchNormalization": (lambda: kl.BatchNormalization(center=False), (6, 5, 4)),
        "LayerNormalization": (lambda: kl.LayerNormalization(axis=[-2, -1]), (4, 8)),
        "Embedding": (lambda: kl.Embedding(20, 5), (7,)),
        "MaxPooling2D": (lambda: kl.MaxPooling2D(3, strides=2, padding="same"), (8, 6, 3)),
        "AveragePooling2D": (lambda: kl.AveragePooling2D((2, 3)), (8, 6, 3)),
        "GlobalAveragePooling2D": (lambda: kl.GlobalAveragePooling2D(keepdims=True), (8, 6, 3)),
        "Flatten": (lambda: kl.Flatten(), (3, 4, 5)),
        "Dropout": (lambda: kl.Dropout(0.3), (3, 4, 5)),
        "Activation": (lambda: kl.Activation("tanh"), (3, 4)),
        "ZeroPadding2D": (lambda: kl.ZeroPadding2D(((1, 2), (0, 1))), (5, 6, 3)),
        "UpSampling2D": (lambda: kl.UpSampling2D((2, 3)), (4, 5, 3)),
        # issue #17: sequence, attention, 1-D and shaping layers
        "SimpleRNN": (lambda: kl.SimpleRNN(5, return_sequences=True), (7, 6)),
        "LSTM": (lambda: kl.LSTM(5, use_bias=False), (7, 6)),
        "GRU": (lambda: kl.GRU(5, reset_after=False, return_sequences=True), (7, 6)),
        "Bidirectional": (lambda: kl.Bidirectional(kl.LSTM(5), merge_mode="sum"), (7, 6)),
        "MultiHeadAttention": (lambda: kl.MultiHeadAttention(2, 4), (5, 8)),
        "GroupNormalization": (lambda: kl.GroupNormalization(groups=2), (5, 4, 6)),
        "Normalization": (lambda: kl.Normalization(axis=-1), (5, 6)),
        "UnitNormalization": (lambda: kl.UnitNormalization(), (5, 6)),
        "DepthwiseConv1D": (lambda: kl.DepthwiseConv1D(3, depth_multiplier=2), (10, 3)),
        "SeparableConv1D": (lambda: kl.SeparableConv1D(4, 3, padding="same"), (10, 3)),
        "MaxPooling1D": (lambda: kl.MaxPooling1D(3, strides=2), (10, 3)),
        "AveragePooling1D": (lambda: kl.AveragePooling1D(2, padding="same"), (9, 3)),
        "GlobalMaxPooling1D": (lambda: kl.GlobalMaxPooling1D(), (9, 3)),
        "GlobalAveragePooling1D": (lambda: kl.GlobalAveragePooling1D(keepdims=True), (9, 3)),
        "GlobalMaxPooling2D": (lambda: kl.GlobalMaxPooling2D(), (8, 6, 3)),
        "UpSampling1D": (lambda: kl.UpSampling1D(3), (4, 3)),
        "Reshape": (lambda: kl.Reshape((4, 3)), (12,)),
        "Permute": (lambda: kl.Permute((2, 1)), (4, 3)),
        "RepeatVector": (lambda: kl.RepeatVector(3), (4,)),
        "Rescaling": (lambda: kl.Rescaling(1 / 255), (4, 5, 3)),
        "SpatialDropout2D": (lambda: kl.SpatialDropout2D(0.2), (4, 5, 3)),
    }


# What from_keras cannot map yet (issue #16/#17, convwidget/frameworks.py); strict, as _TORCH_GAPS.
_KERAS_GAPS: dict[str, str] = {}


def _keras_param(name: str) -> Any:
    if name in _KERAS_GAPS:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=_KERAS_GAPS[name]))
    return name


def _keras_model(keras: ModuleType, layer: Any, shape: tuple[int, ...], dtype: str) -> Any:
    """A model of the one layer (attention through the functional API: it takes query and value)."""
    inputs = keras.Input(shape, dtype=dtype)
    if isinstance(layer, keras.layers.MultiHeadAttention):
        return keras.Model(inputs, layer(inputs, inputs))
    return keras.Sequential([inputs, layer])


@pytest.fixture(scope="module")
def keras() -> ModuleType:
    # the backend is chosen once, at Keras' first import; only torch is in the 'frameworks' extra
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "torch"
    return require("keras", "from_keras round-trips every kind through real Keras")


@pytest.mark.frameworks
def test_every_keras_kind_has_a_round_trip_case(keras: ModuleType) -> None:
    # InputLayer is no row: from_keras reads the input shape off it (see the next test)
    cases = set(_keras_cases(keras.layers)) | {"InputLayer"}
    assert cases == set(_modelled(Dialect.KERAS))


@pytest.mark.frameworks
@pytest.mark.parametrize(
    "name", [_keras_param(n) for n in sorted(set(_modelled(Dialect.KERAS)) - {"InputLayer"})]
)
def test_from_keras_round_trips_each_kind(keras: ModuleType, name: str) -> None:
    build, shape = _keras_cases(keras.layers)[name]
    layer = build()
    dtype = "int32" if name == "Embedding" else "float32"
    model = _keras_model(keras, layer, shape, dtype)
    (row,) = from_keras(model).rows
    assert not isinstance(row.layer, FrameworkLayer), f"{name} became a row without a formula"
    assert type(row.layer) is KERAS_CLASSES[name]
    assert row.info.params == layer.count_params()
    assert row.info.output_shape == tuple(layer.output.shape[1:])


@pytest.mark.frameworks
def test_from_keras_skips_the_input_layer_and_reads_its_shape(keras: ModuleType) -> None:
    inputs = keras.Input((6, 5, 4))
    model = keras.Model(inputs, keras.layers.Conv2D(2, 3)(inputs))
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Conv2D"]
    (row,) = from_keras(model).rows
    assert type(row.layer) is layers.Conv2D and row.info.input_shape == (6, 5, 4)


@pytest.mark.frameworks
def test_from_keras_layouts_follow_data_format(keras: ModuleType) -> None:
    kl = keras.layers
    model = keras.Sequential(
        [
            keras.Input((3, 10, 8)),
            kl.Conv2D(4, 3, data_format="channels_first"),
            kl.Cropping2D(1, data_format="channels_first"),  # not modelled: a FrameworkLayer
            kl.Cropping2D(1),
        ]
    )
    conv, cropped, last = from_keras(model).rows
    assert type(conv.layer) is layers.Conv2D and conv.info.layout is Layout.CHANNELS_FIRST
    assert conv.info.split(conv.info.output_shape) == ((8, 6), 4)
    assert isinstance(cropped.layer, FrameworkLayer) and cropped.info.layout is Layout.CHANNELS_FIRST
    assert cropped.info.kind is not None and cropped.info.kind.family is Family.RESHAPE
    assert cropped.info.split(cropped.info.output_shape) == ((6, 4), 4)
    assert last.info.layout is Layout.CHANNELS_LAST


@pytest.mark.frameworks
def test_from_keras_carries_the_recurrent_arguments_over(keras: ModuleType) -> None:
    # arguments that change no count still reach the layer (convwidget.layers._base._NO_EFFECT)
    lstm = keras.layers.LSTM(5, dropout=0.2, recurrent_dropout=0.1, go_backwards=True, unit_forget_bias=False)
    (row,) = from_keras(keras.Sequential([keras.Input((7, 6)), lstm])).rows
    assert type(row.layer) is layers.LSTM
    config = row.layer.config
    assert (config["dropout"], config["recurrent_dropout"]) == (0.2, 0.1)
    assert config["go_backwards"] is True and config["unit_forget_bias"] is False
    assert row.info.params == lstm.count_params() == 4 * ((6 + 5) * 5 + 5)
