"""What ``describe()`` sets once for both dialects: ``LayerInfo.kind``, ``.layout`` and what follows.

Every input is non-square (height != width, channels different from both), so
a rule that reads the wrong axis cannot pass by accident.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from convwidget import layers, nn
from convwidget.enums import Dialect, Family, Layout
from convwidget.info import Describable, LayerInfo
from convwidget.kinds import kind_of

CL, CF = Layout.CHANNELS_LAST, Layout.CHANNELS_FIRST

# (Keras layer with data_format, PyTorch module, spatial input, channels): the same geometry in both
CHANNEL_LAYERS: dict[
    str, tuple[Callable[[str | None], Describable], Callable[[], Describable], tuple[int, ...], int]
] = {
    "conv1d": (lambda f: layers.Conv1D(4, 3, data_format=f), lambda: nn.Conv1d(3, 4, 3), (9,), 3),
    "conv2d": (lambda f: layers.Conv2D(8, (3, 2), data_format=f), lambda: nn.Conv2d(3, 8, (3, 2)), (9, 7), 3),
    "conv3d": (
        lambda f: layers.Conv3D(2, (1, 2, 3), data_format=f),
        lambda: nn.Conv3d(5, 2, (1, 2, 3)),
        (4, 6, 8),
        5,
    ),
    "conv2d_transpose": (
        lambda f: layers.Conv2DTranspose(6, (2, 3), strides=(2, 1), data_format=f),
        lambda: nn.ConvTranspose2d(4, 6, (2, 3), stride=(2, 1)),
        (5, 7),
        4,
    ),
    "max_pool2d": (
        lambda f: layers.MaxPooling2D((2, 3), data_format=f),
        lambda: nn.MaxPool2d((2, 3)),
        (9, 7),
        3,
    ),
    "avg_pool2d": (
        lambda f: layers.AveragePooling2D((3, 2), data_format=f),
        lambda: nn.AvgPool2d((3, 2)),
        (9, 7),
        3,
    ),
}


def _describe(layer: Describable, shape: tuple[int, ...]) -> LayerInfo:
    info = layer.describe(shape)
    assert isinstance(info, LayerInfo)
    return info


@pytest.mark.parametrize("key", sorted(CHANNEL_LAYERS))
def test_keras_channels_first_carries_the_layout_of_pytorch(key: str) -> None:
    make_keras, make_torch, spatial, channels = CHANNEL_LAYERS[key]
    last = _describe(make_keras("channels_last"), (*spatial, channels))
    default = _describe(make_keras(None), (*spatial, channels))
    first = _describe(make_keras("channels_first"), (channels, *spatial))
    torch = _describe(make_torch(), (channels, *spatial))

    assert last.layout is default.layout is CL and not last.channels_first
    assert first.layout is torch.layout is CF and first.channels_first and torch.channels_first
    # one kind for all four, named in each framework
    assert last.kind is first.kind is torch.kind is not None
    assert last.kind.key == key
    assert last.kind.name_in(Dialect.KERAS) == last.layer_type == first.layer_type
    assert torch.kind.name_in(Dialect.TORCH) == torch.layer_type
    # the same geometry gives the same spatial output and channels, whichever side the channels sit on
    assert first.output_shape == torch.output_shape
    assert last.split(last.output_shape) == first.split(first.output_shape) == torch.split(torch.output_shape)
    assert last.split(last.input_shape) == first.split(first.input_shape) == (spatial, channels)
    assert first.output_shape == (last.output_shape[-1], *last.output_shape[:-1])


def test_split_on_non_square_shapes() -> None:
    keras = layers.Conv2D(8, (3, 2), strides=(1, 2)).describe((9, 7, 3))
    torch = nn.Conv2d(3, 8, (3, 2), stride=(1, 2)).describe((3, 9, 7))
    assert keras.output_shape == (7, 3, 8) and torch.output_shape == (8, 7, 3)
    assert keras.split(keras.input_shape) == ((9, 7), 3) == torch.split(torch.input_shape)
    assert keras.split(keras.output_shape) == ((7, 3), 8) == torch.split(torch.output_shape)
    # split reads the layout, not the shape: the same tuple splits differently
    assert keras.split((2, 5, 4)) == ((2, 5), 4)
    assert torch.split((2, 5, 4)) == ((5, 4), 2)
    # and works on a 1-D layer too
    conv1 = nn.Conv1d(3, 4, 3).describe((3, 9))
    assert conv1.split(conv1.output_shape) == ((7,), 4)


@pytest.mark.parametrize(
    ("keras", "torch", "shape", "key", "family", "features"),
    [
        (layers.Dense(4), nn.Linear(6, 4), (5, 6), "dense", Family.DENSE, 4),
        (layers.LayerNormalization(), nn.LayerNorm(6), (5, 6), "layernorm", Family.NORM, 6),
        (layers.Embedding(10, 4), nn.Embedding(10, 4), (7, 3), "embedding", Family.EMBEDDING, 4),
    ],
    ids=["dense", "layernorm", "embedding"],
)
def test_features_last_layers_are_channels_last_in_both_dialects(
    keras: Describable, torch: Describable, shape: tuple[int, ...], key: str, family: Family, features: int
) -> None:
    k, t = _describe(keras, shape), _describe(torch, shape)
    assert k.layout is t.layout is CL
    assert not k.channels_first and not t.channels_first
    assert k.kind is t.kind is not None
    assert k.kind.key == key and k.kind.family is family
    assert k.output_shape == t.output_shape
    # the features are the last axis of the output in both
    assert k.split(k.output_shape) == t.split(t.output_shape) == (k.output_shape[:-1], features)


def test_batchnorm_axis_decides_the_layout() -> None:
    # an image of 4 channels, 9×7, written channels-first: axis=1 (or -3) normalizes the channels
    for axis in (1, -3):
        first = layers.BatchNormalization(axis=axis).describe((4, 9, 7))
        assert first.layout is CF, axis
        assert first.split(first.input_shape) == ((9, 7), 4)
        assert dict(first.weights) == {n: (4,) for n in ("gamma", "beta", "moving_mean", "moving_variance")}
    last = layers.BatchNormalization().describe((9, 7, 4))
    assert last.layout is CL
    assert last.split(last.input_shape) == ((9, 7), 4)
    assert last.kind is first.kind is nn.BatchNorm2d(4).describe((4, 9, 7)).kind


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda **kw: layers.Conv2D(8, (3, 2), **kw), (9, 7, 3)),
        (lambda **kw: layers.Conv2DTranspose(6, (2, 3), **kw), (5, 7, 4)),
        (lambda **kw: layers.DepthwiseConv2D((3, 2), depth_multiplier=2, **kw), (9, 7, 3)),
        (lambda **kw: layers.SeparableConv2D(5, (3, 2), depth_multiplier=2, **kw), (9, 7, 3)),
        (lambda **kw: layers.Dense(5, **kw), (4, 6)),
        (lambda **kw: layers.BatchNormalization(**kw), (9, 7, 4)),
        (lambda **kw: layers.LayerNormalization(**kw), (5, 6)),
        (lambda **kw: layers.Embedding(10, 4, **kw), (7,)),
    ],
    ids=["conv", "transpose", "depthwise", "separable", "dense", "batchnorm", "layernorm", "embedding"],
)
def test_keras_trainable_false_moves_every_parameter_to_non_trainable(
    make: Callable[..., layers.Layer], shape: tuple[int, ...]
) -> None:
    normal = make().describe(shape)
    frozen = make(trainable=False).describe(shape)
    assert normal.trainable_params > 0
    assert frozen.trainable_params == 0
    assert frozen.non_trainable_params == frozen.params == normal.params
    assert frozen.terms.total == normal.terms.total == normal.params
    assert dict(frozen.weights) == dict(normal.weights)
    assert frozen.output_shape == normal.output_shape


def test_keras_batchnorm_counts_its_moving_statistics_as_non_trainable() -> None:
    info = layers.BatchNormalization().describe((9, 7, 4))
    assert (info.trainable_params, info.non_trainable_params) == (8, 8)
    assert info.buffers == 0  # Keras has weights, not buffers


@pytest.mark.parametrize(
    ("module", "shape"),
    [(nn.BatchNorm1d(6), (6, 5)), (nn.BatchNorm2d(6), (6, 9, 7)), (nn.BatchNorm3d(6), (6, 3, 9, 7))],
    ids=["1d", "2d", "3d"],
)
def test_torch_batchnorm_keeps_running_statistics_as_buffers(
    module: Describable, shape: tuple[int, ...]
) -> None:
    info = _describe(module, shape)
    # γ and β are the only parameters; the running statistics and the step counter are buffers
    assert (info.trainable_params, info.non_trainable_params, info.params) == (12, 0, 12)
    assert dict(info.torch_weights) == {"weight": (6,), "bias": (6,)}
    assert list(info.buffer_shapes.items()) == [
        ("running_mean", (6,)),
        ("running_var", (6,)),
        ("num_batches_tracked", ()),
    ]
    assert info.buffers == 6 + 6 + 1
    assert info.layout is CF and info.split(info.input_shape) == (shape[1:], 6)
    assert info.kind is not None and info.kind.family is Family.NORM


def test_torch_batchnorm_options_change_parameters_and_buffers_apart() -> None:
    no_stats = nn.BatchNorm2d(6, track_running_stats=False).describe((6, 9, 7))
    assert (no_stats.params, no_stats.buffers, dict(no_stats.buffer_shapes)) == (12, 0, {})
    no_affine = nn.BatchNorm2d(6, affine=False).describe((6, 9, 7))
    assert (no_affine.params, no_affine.buffers) == (0, 13)
    assert dict(no_affine.torch_weights) == {}


@pytest.mark.parametrize(
    "info",
    [
        layers.Conv2D(8, (3, 2)).describe((9, 7, 3)),
        layers.MaxPooling2D((2, 3)).describe((9, 7, 3)),
        layers.Flatten().describe((9, 7, 3)),
        layers.Dropout(0.5).describe((9, 7, 3)),
        layers.GlobalAveragePooling2D().describe((9, 7, 3)),
        nn.Conv2d(3, 8, (3, 2)).describe((3, 9, 7)),
        nn.ReLU().describe((3, 9, 7)),
        nn.Flatten().describe((3, 9, 7)),
        nn.BatchNorm2d(3).describe((3, 9, 7)),
    ],
    ids=lambda info: f"{info.dialect}-{info.layer_type}",
)
def test_kind_is_the_table_entry_of_the_class(info: LayerInfo) -> None:
    assert info.kind is kind_of(info.dialect, info.layer_type)
    assert info.kind.name_in(info.dialect) == info.layer_type
