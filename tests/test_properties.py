"""Properties of the Keras dialect that hold for every configuration (hypothesis).

Each property is a rule the lessons teach: the weights a kernel has depend on
its size and on the channels, never on how it slides over the input.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convwidget import ConfigError, layers
from tests.oracles.keras import LAYERS, random_layer

# per test, not a global profile, so other test files keep their own hypothesis settings
examples = settings(max_examples=150, deadline=None)

CONVS = {1: layers.Conv1D, 2: layers.Conv2D, 3: layers.Conv3D}
TRANSPOSES = {1: layers.Conv1DTranspose, 2: layers.Conv2DTranspose, 3: layers.Conv3DTranspose}
small = st.integers(1, 5)


@st.composite
def sliding(draw: st.DrawFn, rank: int) -> dict:
    """Strides, padding and dilation that Keras accepts together (never strides > 1 with dilation > 1)."""
    if draw(st.booleans()):
        strides, dilation = draw(st.lists(st.integers(1, 4), min_size=rank, max_size=rank)), [1] * rank
    else:
        strides, dilation = [1] * rank, draw(st.lists(st.integers(1, 3), min_size=rank, max_size=rank))
    return {
        "strides": strides,
        "dilation_rate": dilation,
        "padding": draw(st.sampled_from(["valid", "same"])),
    }


def _big_input(rank: int, cin: int, kernel: list[int]) -> tuple[int, ...]:
    # large enough for the largest dilated kernel drawn (3·(k − 1) + 1 ≤ 3k), so 'valid' always fits
    return (*(3 * k + 2 for k in kernel), cin)


@examples
@given(
    rank=st.sampled_from([1, 2, 3]),
    kernel=st.lists(small, min_size=3, max_size=3),
    cin=st.integers(1, 16),
    filters=st.integers(1, 16),
    use_bias=st.booleans(),
    data=st.data(),
)
def test_stride_padding_dilation_never_change_a_conv_count(
    rank, kernel, cin, filters, use_bias, data
) -> None:
    kernel = kernel[:rank]
    shape = _big_input(rank, cin, kernel)
    plain = CONVS[rank](filters, kernel, use_bias=use_bias).describe(shape).params
    slid = data.draw(sliding(rank))
    assert CONVS[rank](filters, kernel, use_bias=use_bias, **slid).describe(shape).params == plain
    # the same for the transposed convolution (output_padding, if set, must stay below the stride)
    t_plain = TRANSPOSES[rank](filters, kernel, use_bias=use_bias).describe(shape).params
    assert TRANSPOSES[rank](filters, kernel, use_bias=use_bias, **slid).describe(shape).params == t_plain
    # and for the depthwise and separable 2-D convolutions
    if rank == 2:
        dw = layers.DepthwiseConv2D(kernel, use_bias=use_bias).describe(shape).params
        assert layers.DepthwiseConv2D(kernel, use_bias=use_bias, **slid).describe(shape).params == dw
        sep = layers.SeparableConv2D(filters, kernel, use_bias=use_bias).describe(shape).params
        assert (
            layers.SeparableConv2D(filters, kernel, use_bias=use_bias, **slid).describe(shape).params == sep
        )


@examples
@given(
    rank=st.sampled_from([1, 2, 3]),
    kernel=st.lists(small, min_size=3, max_size=3),
    cin=st.integers(1, 16),
    a=st.integers(1, 40),
    b=st.integers(1, 40),
    use_bias=st.booleans(),
)
def test_count_is_linear_in_filters(rank, kernel, cin, a, b, use_bias) -> None:
    kernel = kernel[:rank]
    shape = _big_input(rank, cin, kernel)
    for cls in (CONVS[rank], TRANSPOSES[rank]):

        def count(f: int, cls=cls) -> int:
            return cls(f, kernel, use_bias=use_bias).describe(shape).params

        # each filter brings its own kernel and bias: P(a + b) = P(a) + P(b) and P(f) = f·P(1)
        assert count(a + b) == count(a) + count(b)
        assert count(a) == a * count(1)
    assert layers.Dense(a + b, use_bias=use_bias).describe((cin,)).params == (
        layers.Dense(a, use_bias=use_bias).describe((cin,)).params
        + layers.Dense(b, use_bias=use_bias).describe((cin,)).params
    )
    if rank == 2:
        # a separable conv adds its depthwise stage once: affine in filters, so the second difference is 0
        sep = [
            layers.SeparableConv2D(f, kernel, use_bias=use_bias).describe(shape).params
            for f in (a, a + 1, a + 2)
        ]
        assert sep[2] - 2 * sep[1] + sep[0] == 0
        assert sep[1] - sep[0] == cin + use_bias  # one more filter: one weight per depthwise channel + bias


@examples
@given(
    rank=st.sampled_from([1, 2, 3]),
    kernel=st.lists(small, min_size=3, max_size=3),
    groups=st.integers(1, 8),
    cin_per_group=st.integers(1, 4),
    filters_per_group=st.integers(1, 4),
)
def test_groups_divide_the_kernel_weights(rank, kernel, groups, cin_per_group, filters_per_group) -> None:
    kernel = kernel[:rank]
    cin, filters = groups * cin_per_group, groups * filters_per_group
    shape = _big_input(rank, cin, kernel)
    grouped = CONVS[rank](filters, kernel, groups=groups, use_bias=False).describe(shape)
    whole = CONVS[rank](filters, kernel, use_bias=False).describe(shape)
    assert grouped.params * groups == whole.params
    assert grouped.weights["kernel"] == (*kernel, cin_per_group, filters)
    # the bias is per output channel, grouped or not
    with_bias = CONVS[rank](filters, kernel, groups=groups).describe(shape)
    assert with_bias.params - grouped.params == filters


@examples
@given(layer=st.sampled_from(sorted(LAYERS)), rng=st.randoms(use_true_random=False))
def test_formula_weights_and_counts_agree_for_every_layer(layer: str, rng: random.Random) -> None:
    kwargs, shape = random_layer(layer, rng)
    try:
        info = getattr(layers, layer)(**kwargs).describe(tuple(shape))
    except ConfigError:
        return  # the generator sometimes draws an impossible layer on purpose; test_keras_cases covers those
    assert info.terms.total == info.params
    assert info.trainable_params + info.non_trainable_params == info.params
    assert min(info.trainable_params, info.non_trainable_params) >= 0
    assert sum(math.prod(s) for s in info.weights.values()) == info.params
    assert dict(info.weights) == dict(info.keras_weights)
    if info.geometry is not None:
        # PyTorch lays the same weights out differently but holds exactly as many
        assert sum(math.prod(s) for s in info.torch_weights.values()) == info.params
    if kwargs.get("trainable") is False:
        assert info.trainable_params == 0


@examples
@given(
    rank=st.sampled_from([1, 2, 3]),
    spatial=st.lists(st.integers(1, 40), min_size=3, max_size=3),
    kernel=st.lists(st.integers(1, 7), min_size=3, max_size=3),
    strides=st.lists(st.integers(1, 6), min_size=3, max_size=3),
    channels_first=st.booleans(),
)
def test_same_padding_gives_ceil_n_over_s(rank, spatial, kernel, strides, channels_first) -> None:
    spatial, kernel, strides = spatial[:rank], kernel[:rank], strides[:rank]
    want = [math.ceil(n / s) for n, s in zip(spatial, strides)]
    fmt = "channels_first" if channels_first else "channels_last"
    shape = (3, *spatial) if channels_first else (*spatial, 3)

    def out_spatial(info) -> list[int]:  # type: ignore[no-untyped-def]
        return list(info.output_shape[1:] if channels_first else info.output_shape[:-1])

    conv = CONVS[rank](4, kernel, strides=strides, padding="same", data_format=fmt).describe(shape)
    assert out_spatial(conv) == want  # whatever the kernel, even one larger than the input
    if rank == 1:
        causal = layers.Conv1D(4, kernel, strides=strides, padding="causal", data_format=fmt).describe(shape)
        assert out_spatial(causal) == want
    if rank == 2:
        for layer in (
            layers.DepthwiseConv2D(kernel, strides=strides, padding="same", data_format=fmt),
            layers.SeparableConv2D(5, kernel, strides=strides, padding="same", data_format=fmt),
            layers.MaxPooling2D(kernel, strides=strides, padding="same", data_format=fmt),
            layers.AveragePooling2D(kernel, strides=strides, padding="same", data_format=fmt),
        ):
            assert out_spatial(layer.describe(shape)) == want


@pytest.mark.parametrize("dilation", [2, 3])
def test_same_padding_with_dilation_keeps_the_size(dilation: int) -> None:
    # stride 1: ⌈n/1⌉ = n, whatever the dilated kernel (3 with d=3 spans 7 > 5)
    assert layers.Conv2D(2, 3, padding="same", dilation_rate=dilation).describe((5, 4, 1)).output_shape == (
        5,
        4,
        2,
    )
