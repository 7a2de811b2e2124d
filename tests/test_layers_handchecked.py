"""Counts and shapes checked by hand (each number worked out on paper once)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from convwidget import ConfigError
from convwidget.layers import (
    BatchNormalization,
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Dense,
    DepthwiseConv2D,
    Dropout,
    Embedding,
    Flatten,
    GlobalAveragePooling2D,
    LayerNormalization,
    MaxPooling2D,
    SeparableConv2D,
    UpSampling2D,
    ZeroPadding2D,
)


def test_seed_conv1() -> None:
    # (3·3·1 + 1)·32 = 10·32 = 320; 28 − 3 + 1 = 26
    info = Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)).describe((28, 28, 1))
    assert info.output_shape == (26, 26, 32)
    assert info.trainable_params == 320
    assert info.non_trainable_params == 0
    assert info.terms.text == "(3·3·1 + 1)·32 = 320"


def test_seed_conv2() -> None:
    # 9·32 = 288, + 1 = 289, ·63 = 18,207 (not (3·3 + 1)·63 = 630)
    info = Conv2D(63, (3, 3), activation="relu").describe((26, 26, 32))
    assert info.output_shape == (24, 24, 63)
    assert info.params == 18207
    assert info.terms.text == "(3·3·32 + 1)·63 = 18,207"
    assert info.terms.latex == r"(3 \cdot 3 \cdot 32 + 1) \cdot 63 = 18{,}207"
    assert dict(info.weights) == {"kernel": (3, 3, 32, 63), "bias": (63,)}
    assert dict(info.torch_weights) == {"weight": (63, 32, 3, 3), "bias": (63,)}


def test_seed_dense_layers() -> None:
    # 12·12·63 = 9072; (9072 + 1)·128 = 1,161,344; (128 + 1)·10 = 1,290
    assert Flatten().describe((12, 12, 63)).output_shape == (9072,)
    dense = Dense(128, name="dense", activation="relu").describe((9072,))
    assert dense.params == 1161344
    assert dense.terms.text == "(9072 + 1)·128 = 1,161,344"
    assert Dense(10).describe((128,)).params == 1290


def test_seed_zero_parameter_layers() -> None:
    assert MaxPooling2D(pool_size=(2, 2)).describe((24, 24, 63)).output_shape == (12, 12, 63)
    assert Dropout(0.25).describe((12, 12, 63)).params == 0


def test_alexnet_conv1() -> None:
    # (11·11·3 + 1)·96 = (363 + 1)·96 = 34,944; ⌊(227 − 11)/4⌋ + 1 = 55
    info = Conv2D(96, 11, strides=4).describe((227, 227, 3))
    assert info.params == 34944
    assert info.output_shape == (55, 55, 96)


def test_same_padding_with_stride_rounds_up() -> None:
    # ⌈28/3⌉ = 10
    assert Conv2D(8, 3, strides=3, padding="same").describe((28, 28, 1)).output_shape == (10, 10, 8)


def test_groups_divide_the_kernel() -> None:
    # each kernel spans 32/4 = 8 channels: (3·3·8 + 1)·64 = 73·64 = 4,672
    info = Conv2D(64, 3, groups=4).describe((10, 10, 32))
    assert info.params == 4672
    assert info.weights["kernel"] == (3, 3, 8, 64)


def test_no_bias() -> None:
    assert Conv2D(63, 3, use_bias=False).describe((26, 26, 32)).params == 3 * 3 * 32 * 63 == 18144


def test_depthwise_and_separable() -> None:
    # depthwise: (3·3 + 1)·32·2 = 640; separable: 3·3·32 + (32 + 1)·64 = 288 + 2112 = 2,400
    dw = DepthwiseConv2D(3, depth_multiplier=2).describe((24, 24, 32))
    assert dw.params == 640
    assert dw.output_shape == (22, 22, 64)
    assert dw.weights["kernel"] == (3, 3, 32, 2)
    sep = SeparableConv2D(64, 3).describe((24, 24, 32))
    assert sep.params == 2400
    assert dict(sep.weights) == {
        "depthwise_kernel": (3, 3, 32, 1),
        "pointwise_kernel": (1, 1, 32, 64),
        "bias": (64,),
    }


def test_transposed_conv_keras_sizes() -> None:
    # kernel 2 < stride 3, valid, no output_padding: (4 − 1)·3 + max(2, 3) = 12
    info = Conv2DTranspose(5, 2, strides=3).describe((4, 4, 7))
    assert info.output_shape == (12, 12, 5)
    assert info.weights["kernel"] == (2, 2, 5, 7)
    assert info.params == 2 * 2 * 7 * 5 + 5
    # 'same' without output_padding: n·s = 8
    assert Conv2DTranspose(5, 3, strides=2, padding="same").describe((4, 4, 7)).output_shape == (8, 8, 5)


def test_batchnorm_keras_counts() -> None:
    # 4·63 = 252, of which 2·63 = 126 non-trainable
    info = BatchNormalization().describe((24, 24, 63))
    assert (info.trainable_params, info.non_trainable_params) == (126, 126)
    off = BatchNormalization(center=False, scale=False).describe((24, 24, 63))
    assert (off.trainable_params, off.non_trainable_params) == (0, 126)


def test_layernorm_and_embedding() -> None:
    assert LayerNormalization().describe((10, 16)).params == 32
    assert LayerNormalization(rms_scaling=True).describe((10, 16)).params == 16
    emb = Embedding(1000, 64).describe((20,))
    assert emb.output_shape == (20, 64)
    assert emb.params == 64000


def test_reshaping_layers() -> None:
    assert ZeroPadding2D(((1, 2), (3, 4))).describe((5, 5, 3)).output_shape == (8, 12, 3)
    assert UpSampling2D(2).describe((5, 6, 3)).output_shape == (10, 12, 3)
    assert GlobalAveragePooling2D().describe((5, 6, 3)).output_shape == (3,)
    assert GlobalAveragePooling2D(keepdims=True).describe((5, 6, 3)).output_shape == (1, 1, 3)
    assert Conv1D(4, 3, padding="causal", strides=2).describe((9, 2)).output_shape == (5, 4)


def test_frozen_layer_is_non_trainable() -> None:
    info = Dense(10, trainable=False).describe((128,))
    assert (info.trainable_params, info.non_trainable_params) == (0, 1290)


@pytest.mark.parametrize(
    ("build", "shape", "words"),
    [
        (lambda: Conv2D(0, 3), None, "filters"),
        (lambda: Conv2D(-4, 3), None, "filters"),
        (lambda: Conv2D(8, 3.5), None, "kernel_size"),
        (lambda: Conv2D(8, 3, groups=3), None, "groups"),
        (lambda: Conv2D(8, 3, padding="full"), None, "padding"),
        (lambda: Conv2D(8, 3, strides=2, dilation_rate=2), None, "strides"),
        (lambda: Conv2DTranspose(8, 3, strides=2, output_padding=2), None, "output_padding"),
        (lambda: Dropout(1.5), None, "rate"),
        (lambda: Dense(0), None, "units"),
        (lambda: Conv2D(8, 5), (3, 3, 1), "kernel_size"),
        (lambda: Conv2D(8, 3, groups=2), (9, 9, 3), "groups"),
        (lambda: Conv2D(8, 3), (9, 9), "input_shape"),
        (lambda: Conv2D(8, 3), (9, 0, 3), "input_shape"),
        (lambda: MaxPooling2D(4), (3, 3, 2), "pool_size"),
        (lambda: BatchNormalization(axis=5), (3, 3, 2), "axis"),
    ],
)
def test_bad_input_names_argument(build, shape, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as err:
        layer = build()
        layer.describe(shape)
    assert words in str(err.value)
    assert isinstance(err.value, ValueError)


def test_error_message_names_layer_value_and_range() -> None:
    with pytest.raises(ConfigError, match=r"Conv2D 'c2': kernel_size=.*at most 3.*Fix"):
        Conv2D(8, 5, name="c2").describe((3, 3, 1))


def test_core_imports_no_plotting_or_widgets() -> None:
    code = (
        "import sys, convwidget, convwidget.layers; "
        "bad = [m for m in ('matplotlib', 'ipywidgets', 'torch', 'keras') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
