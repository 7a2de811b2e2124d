"""The explorer's control bounds: pure numbers, checked by hand and against the core."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convwidget import ConfigError, controls
from convwidget.controls import (
    CHANNELS,
    DILATION,
    FILTERS,
    INPUT_SIZE,
    KERNEL,
    PRESETS,
    STRIDE,
    ConvSettings,
    common_divisors,
    describe,
    input_shape,
    is_valid,
    ranges,
    settle,
    to_layer,
)


def test_controls_imports_no_widget_or_plotting_module():
    # controls is core: it must work where only numpy is installed.
    import convwidget.controls  # noqa: F401

    with open(sys.modules["convwidget.controls"].__file__, encoding="utf-8") as fh:
        src = fh.read()
    for name in ("ipywidgets", "matplotlib", "torch", "keras."):
        assert f"import {name}" not in src and f"from {name}" not in src


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # 32 = 2^5, 64 = 2^6 → gcd 32 → 1, 2, 4, 8, 16, 32
        (32, 64, (1, 2, 4, 8, 16, 32)),
        # 32 and 63 = 3^2·7 share only 1: the seed's layer cannot be grouped
        (32, 63, (1,)),
        # gcd(12, 18) = 6 → 1, 2, 3, 6
        (12, 18, (1, 2, 3, 6)),
        (1, 1, (1,)),
        # gcd(512, 512) = 512 = 2^9 → ten divisors
        (512, 512, tuple(2**i for i in range(10))),
    ],
)
def test_common_divisors_by_hand(a, b, expected):
    assert common_divisors(a, b) == expected


def test_kernel_max_follows_the_padded_input():
    # valid, n = 5, d = 1: d·(k − 1) + 1 ≤ 5 → k ≤ 5
    assert ranges(ConvSettings(kernel_size=3, input_size=5)).kernel_size == (1, 5)
    # valid, n = 9, d = 2: 2·(k − 1) + 1 ≤ 9 → k ≤ 5
    assert ranges(ConvSettings(kernel_size=3, dilation=2, input_size=9)).kernel_size == (1, 5)
    # same padding: any kernel up to the slider's 11
    assert ranges(ConvSettings(kernel_size=3, padding="same", input_size=2)).kernel_size == KERNEL
    # a large input: the slider's own cap, 11
    assert ranges(ConvSettings(input_size=28)).kernel_size == (1, 11)


def test_dilation_and_stride_exclude_each_other():
    # Keras: strides > 1 and dilation_rate > 1 together are refused.
    assert ranges(ConvSettings(stride=2)).dilation == (1, 1)
    assert ranges(ConvSettings(dilation=2)).stride == (1, 1)
    assert ranges(ConvSettings()).stride == STRIDE


def test_dilation_max_and_input_min_by_hand():
    # valid, n = 26, k = 3: d·2 + 1 ≤ 26 → d ≤ 12, capped at the slider's 8
    assert ranges(ConvSettings(kernel_size=3, input_size=26)).dilation == DILATION
    # valid, n = 11, k = 6: d·5 + 1 ≤ 11 → d ≤ 2
    assert ranges(ConvSettings(kernel_size=6, input_size=11)).dilation == (1, 2)
    # valid, k = 11, d = 3: the input must be at least 3·10 + 1 = 31
    assert ranges(ConvSettings(kernel_size=11, dilation=3, input_size=40)).input_size == (31, INPUT_SIZE[1])
    assert ranges(ConvSettings(kernel_size=11, padding="same", input_size=4)).input_size == INPUT_SIZE


def test_groups_and_enabled_flags_follow_the_kind():
    r = ranges(ConvSettings(in_channels=32, filters=64))
    assert r.groups == (1, 2, 4, 8, 16, 32)
    assert r.groups_enabled and r.filters_enabled and not r.depth_multiplier_enabled
    r = ranges(PRESETS["depthwise"])
    assert r.groups == (1,) and not r.groups_enabled and not r.filters_enabled and r.depth_multiplier_enabled
    r = ranges(PRESETS["separable"])
    assert r.groups == (1,) and r.filters_enabled and r.depth_multiplier_enabled


@pytest.mark.parametrize(
    ("name", "text", "output_shape"),
    [
        # (3·3·1 + 1)·32 = 10·32 = 320; 28 − 3 + 1 = 26
        ("MNIST conv 1", "(3·3·1 + 1)·32 = 320", (26, 26, 32)),
        # (3·3·32 + 1)·63 = 289·63 = 18,207; 26 − 2 = 24
        ("MNIST conv 2", "(3·3·32 + 1)·63 = 18,207", (24, 24, 63)),
        # (11·11·3 + 1)·96 = 364·96 = 34,944; ⌊(227 − 11)/4⌋ + 1 = 55
        ("AlexNet conv1", "(11·11·3 + 1)·96 = 34,944", (55, 55, 96)),
        # (1·1·256 + 1)·64 = 257·64 = 16,448
        ("1×1 conv", "(1·1·256 + 1)·64 = 16,448", (56, 56, 64)),
        # (3·3 + 1)·32·1 = 320; 'same' keeps 112
        ("depthwise", "(3·3 + 1)·32·1 = 320", (112, 112, 32)),
        # 3·3·32·1 + (32 + 1)·64 = 288 + 2,112 = 2,400
        ("separable", "3·3·32·1 + (32 + 1)·64 = 2,400", (112, 112, 64)),
    ],
)
def test_presets_by_hand(name, text, output_shape):
    s = PRESETS[name]
    assert is_valid(s)
    info = describe(s)
    assert info.terms.text == text
    assert info.output_shape == output_shape
    assert info.input_shape == input_shape(s)


def test_settle_raises_the_input_when_valid_padding_cannot_fit():
    s = ConvSettings(kernel_size=11, dilation=2, padding="valid", input_size=5)
    out, notes = settle(s, "padding")
    # 2·(11 − 1) + 1 = 21 pixels
    assert out == replace(s, input_size=21)
    assert len(notes) == 1 and "21" in notes[0]


def test_settle_shrinks_the_kernel_when_the_input_changed():
    s = ConvSettings(kernel_size=11, dilation=3, padding="valid", input_size=9)
    out, notes = settle(s, "input_size")
    # n = 9, k = 11: d ≤ (9 − 1)//10 = 0 → 1; then k ≤ (9 − 1)//1 + 1 = 9
    assert (out.dilation, out.kernel_size, out.input_size) == (1, 9, 9)
    assert len(notes) == 2


def test_settle_lowers_groups_and_keeps_the_changed_channels():
    s = ConvSettings(in_channels=48, filters=64, groups=16)
    out, notes = settle(replace(s, in_channels=40), "in_channels")
    # gcd(40, 64) = 8: the largest divisor ≤ 16 is 8
    assert out.in_channels == 40 and out.groups == 8
    assert "8" in notes[0]


def test_settle_keeps_the_changed_one_of_stride_and_dilation():
    s = ConvSettings(stride=2, dilation=3, input_size=64)
    assert settle(s, "dilation")[0].stride == 1
    assert settle(s, "stride")[0].dilation == 1


def test_settle_leaves_a_valid_configuration_alone():
    for s in PRESETS.values():
        assert settle(s, None) == (s, ())


def test_settle_refuses_unknown_names():
    with pytest.raises(ConfigError, match="changed='colour'"):
        settle(ConvSettings(), "colour")
    with pytest.raises(ConfigError, match="padding='full'"):
        settle(ConvSettings(padding="full"))


_fields = st.sampled_from(
    ["kernel_size", "in_channels", "filters", "stride", "dilation", "groups", "input_size", "padding", None]
)


@st.composite
def _any_settings(draw):
    # Deliberately out of range: settle must bring anything back.
    return ConvSettings(
        kind=draw(st.sampled_from(["conv", "depthwise", "separable"])),
        kernel_size=draw(st.integers(-3, 20)),
        in_channels=draw(st.integers(0, 600)),
        filters=draw(st.integers(0, 600)),
        bias=draw(st.booleans()),
        stride=draw(st.integers(0, 12)),
        padding=draw(st.sampled_from(["valid", "same"])),
        dilation=draw(st.integers(0, 12)),
        groups=draw(st.integers(-1, 600)),
        input_size=draw(st.integers(-5, 300)),
        depth_multiplier=draw(st.integers(0, 12)),
    )


@settings(max_examples=300, deadline=None)
@given(_any_settings(), _fields)
def test_settle_always_yields_what_the_core_accepts(s, changed):
    out, _ = settle(s, changed)
    assert is_valid(out)
    assert KERNEL[0] <= out.kernel_size <= KERNEL[1]
    assert CHANNELS[0] <= out.in_channels <= CHANNELS[1] and FILTERS[0] <= out.filters <= FILTERS[1]
    info = to_layer(out).describe(input_shape(out))  # raises ConfigError if settle was wrong
    assert info.params == info.terms.total


@settings(max_examples=200, deadline=None)
@given(_any_settings(), st.data())
def test_every_value_a_range_offers_is_valid(s, data):
    # ezyang's rule: any single control moved anywhere within its bounds keeps the layer valid.
    s, _ = settle(s)
    r = ranges(s)
    name = data.draw(st.sampled_from(["kernel_size", "stride", "dilation", "input_size", "groups"]))
    if name == "groups":
        value = data.draw(st.sampled_from(r.groups))
    else:
        lo, hi = getattr(r, name)
        value = data.draw(st.integers(lo, hi))
    moved = replace(s, **{name: value})
    assert is_valid(moved)
    describe(moved)


def test_settle_turns_plain_words_into_enums():
    from convwidget.enums import Family, Padding

    out, notes = settle(ConvSettings(kind="depthwise", padding="same", filters=32))
    assert out.kind is Family.DEPTHWISE and out.padding is Padding.SAME and notes == ()
    assert out == ConvSettings(kind="depthwise", padding="same", filters=32)  # str enums equal their words
    assert to_layer(out).describe(input_shape(out)).layer_type == "DepthwiseConv2D"


def test_refusals_name_the_argument_the_valid_words_and_a_fix():
    with pytest.raises(ConfigError) as err:
        settle(ConvSettings(kind="pooling"))
    assert str(err.value) == (
        "ConvExplorer: kind='pooling' is invalid; it must be one of 'conv', 'depthwise', 'separable'. "
        "Fix: use 'conv' for Conv2D."
    )
    with pytest.raises(ConfigError, match=r"padding='full' is invalid; it must be one of 'valid', 'same'\."):
        settle(ConvSettings(padding="full"))


def test_channel_steps_hold_every_lesson_value_in_order():
    from convwidget.controls import CHANNEL_STEPS, channel_steps

    assert list(CHANNEL_STEPS) == sorted(set(CHANNEL_STEPS))
    assert {1, 2, 3, 4, 32, 63, 64, 512} <= set(CHANNEL_STEPS)
    assert CHANNEL_STEPS[0] == controls.CHANNELS[0] and CHANNEL_STEPS[-1] == controls.CHANNELS[1]
    assert 100 in channel_steps(100) and list(channel_steps(100)) == sorted(channel_steps(100))


@pytest.mark.parametrize(
    ("field", "value"),
    [("kernel_size", 12), ("kernel_size", 2.0), ("stride", 0), ("filters", True), ("in_channels", "8"),
     ("groups", 0), ("groups", "x"), ("bias", 1), ("kind", "dense"), ("padding", "full")],
)  # fmt: skip
def test_check_refuses_what_no_control_can_take(field, value):
    s = replace(controls.ConvSettings(), **{field: value})
    with pytest.raises(ConfigError, match=rf"ConvExplorer: {field}={value!r} is invalid; .*Fix: "):
        controls.check(s)


def test_check_accepts_every_preset():
    for preset in controls.PRESETS.values():
        controls.check(preset)


def test_disabled_reasons_name_the_control_and_the_cause():
    s = controls.ConvSettings(stride=2)
    assert any(
        r.startswith("dilation: Keras refuses") for r in controls.disabled_reasons(s, controls.ranges(s))
    )
    s = controls.ConvSettings(kind="depthwise", filters=32, padding="same")
    s, _ = controls.settle(s)
    reasons = controls.disabled_reasons(s, controls.ranges(s))
    assert any(r.startswith("filters: a depthwise layer") for r in reasons)
    assert any(r.startswith("groups: only Conv2D") for r in reasons)
    s = controls.ConvSettings(in_channels=32, filters=64)
    assert not any(r.startswith("groups") for r in controls.disabled_reasons(s, controls.ranges(s)))
