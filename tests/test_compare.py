"""convwidget.compare: counterparts across dialects and the differences they explain (numbers by hand)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from convwidget import ConfigError, compare, nn
from convwidget import layers as L


def test_table_names_every_required_difference() -> None:
    required = {
        "batchnorm_counts",
        "same_padding_stride",
        "transposed_output_size",
        "stride_with_dilation",
        "weight_layout",
        "flatten_order",
    }
    assert required <= set(compare.DIFFERENCES)
    for key, diff in compare.DIFFERENCES.items():
        assert diff.key == key and diff.title and len(diff.explanation) > 40


@pytest.mark.parametrize(
    ("layer", "shape"),
    [(nn.BatchNorm2d(64), (64, 5, 5)), (L.BatchNormalization(), (5, 5, 64))],
)
def test_batchnorm_counts_both_ways(layer, shape) -> None:
    c = compare.counterpart(layer, shape)
    keras = c.info if c.info.dialect == "keras" else c.other_info
    torch = c.info if c.info.dialect == "torch" else c.other_info
    # Keras: 4·64 = 256 parameters, 2·64 = 128 non-trainable; PyTorch: 2·64 = 128, buffers 2·64 + 1 = 129
    assert (keras.params, keras.non_trainable_params) == (256, 128)
    assert (torch.params, torch.buffers) == (128, 129)
    assert torch.input_shape == (64, 5, 5) and keras.input_shape == (5, 5, 64)
    assert c.difference_keys() == ["batchnorm_counts"]
    text = c.differences[0].explanation
    assert "256" in text and "128" in text and "129" in text


def test_seed_conv_counterpart_agrees_except_layout() -> None:
    c = compare.counterpart(L.Conv2D(63, (3, 3)), (26, 26, 32))
    assert c.other_dialect == "torch"
    assert repr(c.other[0]) == "Conv2d(32, 63, kernel_size=(3, 3), stride=(1, 1))"
    assert c.other_input_shape == (32, 26, 26)
    assert c.other_info.output_shape == (63, 24, 24) and c.other_info.params == 18207
    assert c.difference_keys() == ["weight_layout"]
    assert "(3, 3, 32, 63)" in c.text and "(63, 32, 3, 3)" in c.text


def test_same_padding_with_stride_even_kernel_differs() -> None:
    # Keras 'same', stride 2, k=2 on n=8: ⌈8/2⌉ = 4. PyTorch refuses 'same' with stride; padding=k//2 = 1
    # gives ⌊(8 + 2 − 2)/2⌋ + 1 = 5
    c = compare.counterpart(L.Conv2D(4, 2, strides=2, padding="same"), (8, 8, 3))
    assert c.info.output_shape == (4, 4, 4)
    assert c.other_info.output_shape == (4, 5, 5)
    assert c.difference_keys()[0] == "same_padding_stride"
    assert "a different size" in c.differences[0].explanation
    # odd kernel k=3: ⌊(8 + 2 − 3)/2⌋ + 1 = 4 = ⌈8/2⌉
    odd = compare.counterpart(L.Conv2D(4, 3, strides=2, padding="same"), (8, 8, 3))
    assert odd.other_info.output_shape == (4, 4, 4)
    assert "the same" in odd.differences[0].explanation
    # and PyTorch itself refuses the literal translation
    with pytest.raises(ConfigError, match="strided"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")


def test_transposed_output_without_output_padding() -> None:
    # Keras 'valid', k=2, s=3 on n=4: (4 − 1)·3 + max(2, 3) = 12; literal PyTorch: (4 − 1)·3 + 2 = 11;
    # output_padding=1 closes the gap: 11 + 1 = 12
    c = compare.counterpart(L.Conv2DTranspose(8, 2, strides=3), (4, 4, 3))
    assert c.info.output_shape == (12, 12, 8)
    assert c.other[0].output_padding == (1, 1)
    assert c.other_info.output_shape == (8, 12, 12)
    assert "(11, 11)" in c.differences[0].explanation and "matches" in c.differences[0].explanation
    # PyTorch → Keras: ConvTranspose1d(k=1, s=3) on 4: (4 − 1)·3 + 1 = 10; Keras with output_padding
    # unset: (4 − 1)·3 + max(1, 3) = 12
    back = compare.counterpart(nn.ConvTranspose1d(1, 1, 1, stride=3), (1, 4))
    assert back.other_info.output_shape == (10, 1)
    assert "(12,)" in back.differences[0].explanation


def test_stride_with_dilation_has_no_keras_counterpart() -> None:
    c = compare.counterpart(nn.Conv2d(2, 2, 3, stride=2, dilation=2), (2, 9, 9))
    assert c.other == () and c.other_info is None and c.difference_keys() == ["stride_with_dilation"]
    with pytest.raises(ConfigError, match="dilation_rate"):
        L.Conv2D(2, 3, strides=2, dilation_rate=2)


def test_flatten_order_both_ways() -> None:
    # 12·12·63 = 9072 either way, ordered differently
    for layer, shape in [(L.Flatten(), (12, 12, 63)), (nn.Flatten(), (63, 12, 12))]:
        c = compare.counterpart(layer, shape)
        assert c.info.output_shape == c.other_output_shape == (9072,)
        assert c.difference_keys() == ["flatten_order"]
        assert "9,072" in c.differences[0].explanation
    # a single channel has one order only
    assert compare.counterpart(nn.Flatten(), (1, 4, 4)).difference_keys() == []


def test_explicit_padding_becomes_zero_padding() -> None:
    # ⌊(8 + 2 − 3)/2⌋ + 1 = 4 both ways: ZeroPadding2D → (10, 10, 3), valid conv ⌊(10 − 3)/2⌋ + 1 = 4
    c = compare.counterpart(nn.Conv2d(3, 4, 3, stride=2, padding=1), (3, 8, 8))
    assert [type(o).__name__ for o in c.other] == ["ZeroPadding2D", "Conv2D"]
    assert c.other_output_shape == (4, 4, 4) and c.other_params == c.info.params == 112
    assert c.difference_keys() == ["explicit_padding", "weight_layout"]
    # stride 1 with symmetric padding d·(k − 1)/2 is Keras' 'same'
    same = compare.counterpart(nn.Conv2d(3, 4, 3, padding=1), (3, 8, 8))
    assert same.other[0].padding == "same" and same.difference_keys() == ["weight_layout"]


def test_separable_is_two_modules_with_the_same_total() -> None:
    # 3·3·4 + (4 + 1)·8 = 36 + 40 = 76
    c = compare.counterpart(L.SeparableConv2D(8, 3), (10, 10, 4))
    assert [i.params for i in c.other_infos] == [36, 40] and c.other_params == c.info.params == 76
    assert "separable" in c.difference_keys()


def test_unknown_layer_is_refused() -> None:
    with pytest.raises(ConfigError, match="layer="):
        compare.counterpart(object(), (3, 4, 4))
    # Permute has no module in convwidget.nn (PyTorch permutes in forward)
    c = compare.counterpart(L.Permute((2, 1)), (4, 3))
    assert c.difference_keys() == ["no_counterpart"] and c.other == ()
    assert "convwidget.nn has no counterpart of Keras' Permute" in c.differences[0].explanation


@st.composite
def keras_convs(draw):
    k = draw(st.integers(1, 5))
    s = draw(st.integers(1, 3))
    d = 1 if s > 1 else draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    return k, s, d, padding, draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 16))


@given(keras_convs())
def test_conv_counterparts_keep_the_count(config) -> None:
    k, s, d, padding, cin, cout, n = config
    try:
        c = compare.counterpart(L.Conv2D(cout, k, strides=s, padding=padding, dilation_rate=d), (n, n, cin))
    except ConfigError:
        assume(False)
    assume(c.other_infos)
    assert c.other_params == c.info.params
    keras_hw = c.info.output_shape[:2]
    torch_hw = c.other_output_shape[1:]
    # the shapes differ only where the 'same'-with-stride difference says so
    if keras_hw != torch_hw:
        assert (
            "same_padding_stride" in c.difference_keys()
            and "a different size" in c.differences[0].explanation
        )


@given(keras_convs(), st.booleans())
def test_transposed_counterparts_match_when_they_say_so(config, set_op) -> None:
    k, s, d, padding, cin, cout, n = config
    op = (s - 1) if set_op else None
    if op is not None and s == 1:
        op = 0
    try:
        layer = L.Conv2DTranspose(cout, k, strides=s, padding=padding, output_padding=op, dilation_rate=d)
        layer.describe((n, n, cin))
    except ConfigError:
        assume(False)  # Keras itself gives a zero-size output here (e.g. k=2, 'same', op=0, n=1)
    c = compare.counterpart(layer, (n, n, cin))
    assert c.other_params == c.info.params
    explanation = c.differences[0].explanation
    same = c.info.output_shape[:2] == c.other_output_shape[1:]
    assert ("matches it" in explanation) == same
    # PyTorch reaches Keras' size in every case except an even dilated kernel with 'same', stride 1
    span = d * (k - 1) + 1
    assert same or (padding == "same" and s == 1 and span % 2 == 0 and op is None)
    assert math.prod(c.other_info.torch_weights["weight"]) == math.prod(c.info.keras_weights["kernel"])


def test_channels_first_keras_conv_keeps_its_layout() -> None:
    # channels_first (3, 10, 8): the PyTorch input is the same shape; 3×3 'valid' gives (4, 8, 6) in both
    c = compare.counterpart(L.Conv2D(4, 3, data_format="channels_first"), (3, 10, 8))
    assert c.other_input_shape == (3, 10, 8)
    assert c.info.output_shape == c.other_output_shape == (4, 8, 6)
    # channels_last (10, 8, 3) moves the channel axis first, keeping H=10 before W=8
    last = compare.counterpart(L.Conv2D(4, 3), (10, 8, 3))
    assert last.other_input_shape == (3, 10, 8) and last.other_output_shape == (4, 8, 6)


def test_every_torch_batchnorm_has_keras_batchnormalization() -> None:
    # BatchNorm1d/3d have no Keras name of their own; the kinds table names BatchNormalization
    for module, shape, keras_shape in [
        (nn.BatchNorm1d(6), (6, 7), (7, 6)),
        (nn.BatchNorm3d(6), (6, 2, 3, 4), (2, 3, 4, 6)),
    ]:
        c = compare.counterpart(module, shape)
        assert [type(o).__name__ for o in c.other] == ["BatchNormalization"]
        assert c.other_input_shape == keras_shape and c.other_params == 4 * 6


@pytest.mark.parametrize(
    ("layer", "shape", "other", "other_shape"),
    [
        (nn.ReLU6(), (3, 5, 4), "Activation('relu6')", (5, 4, 3)),
        (nn.LogSoftmax(dim=-1), (3, 5), "Activation('log_softmax')", (3, 5)),
        (L.Activation("swish"), (5, 4, 3), "SiLU()", (3, 5, 4)),
        (L.Activation("log_softmax"), (5, 4), "LogSoftmax(dim=-1)", (5, 4)),
    ],
)
def test_activations_translate_through_the_kinds_table(layer, shape, other, other_shape) -> None:
    c = compare.counterpart(layer, shape)
    (o,) = c.other
    described = f"Activation({o.activation!r})" if isinstance(o, L.Activation) else repr(o)
    assert described == other and c.other_input_shape == other_shape and c.difference_keys() == []


def test_leaky_relu_has_no_keras_activation() -> None:
    # Keras' leaky_relu slopes 0.2 by default, PyTorch's 0.01: not the same function
    assert compare.counterpart(nn.LeakyReLU(), (3, 4)).difference_keys() == ["no_counterpart"]


def test_framework_rows_are_refused() -> None:
    from convwidget.frameworks import FrameworkLayer

    row = FrameworkLayer("torch", "Softsign", "act", (3, 4), (3, 4), 0)
    with pytest.raises(ConfigError, match="layer="):
        compare.counterpart(row, (3, 4))
