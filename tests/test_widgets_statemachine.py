"""Random sequences of control changes: the explorer never raises, never leaves the valid range,
and its count is always the core's count for what its controls show."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("ipywidgets")

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from convwidget import ConfigError, controls
from convwidget.layers import Conv2D, DepthwiseConv2D, SeparableConv2D
from convwidget.widgets import ConvExplorer

INT_SLIDERS = ["kernel_size", "stride", "dilation", "input_size", "depth_multiplier"]
CHANNEL_SLIDERS = ["in_channels", "filters"]
SLIDERS = INT_SLIDERS + CHANNEL_SLIDERS


def core_count(w: ConvExplorer) -> tuple[int, tuple[int, ...]]:
    """Count and output shape straight from the core, built from what the controls display."""
    k = w.kernel_size.value
    common = dict(
        kernel_size=(k, k),
        strides=w.stride.value,
        padding=w.padding.value,
        dilation_rate=w.dilation.value,
        use_bias=w.bias.value,
    )
    if w.kind.value == "depthwise":
        layer = DepthwiseConv2D(depth_multiplier=w.depth_multiplier.value, **common)
    elif w.kind.value == "separable":
        layer = SeparableConv2D(w.filters.value, depth_multiplier=w.depth_multiplier.value, **common)
    else:
        layer = Conv2D(w.filters.value, groups=w.groups.value, **common)
    n = w.input_size.value
    info = layer.describe((n, n, w.in_channels.value))
    return info.params, info.output_shape


class ExplorerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.w = ConvExplorer()

    @rule(name=st.sampled_from(INT_SLIDERS), value=st.integers(-5, 600))
    def set_slider_from_code(self, name, value):
        getattr(self.w, name).value = value  # out-of-range values are clamped by the slider

    @rule(name=st.sampled_from(CHANNEL_SLIDERS), value=st.integers(-5, 600))
    def set_channels_from_code(self, name, value):
        slider = getattr(self.w, name)
        if value in [v for _, v in slider.options]:
            slider.value = value
        else:  # not a stop of the slider: refused, and the explorer is unchanged
            before = self.w.settings
            with pytest.raises(ConfigError, match=f"w.set\\({name}="):
                slider.value = value
            assert self.w.settings == before

    @rule(name=st.sampled_from(SLIDERS), value=st.integers(1, 600))
    def set_slider_from_browser(self, name, value):
        # What a comm message does; the browser only sends values within the slider's bounds.
        slider = getattr(self.w, name)
        if slider.disabled:
            return
        if name in CHANNEL_SLIDERS:
            slider.set_state({"index": value % len(slider.options)})
        else:
            slider.set_state({"value": max(slider.min, min(slider.max, value))})

    @rule(name=st.sampled_from(CHANNEL_SLIDERS), value=st.integers(1, 512))
    def set_any_count_from_code(self, name, value):
        self.w.set(**{name: value})  # any count 1–512 gets a stop of its own
        assert getattr(self.w, name).value == value or (
            name == "filters" and self.w.kind.value == "depthwise"
        )

    @rule(value=st.sampled_from(["valid", "same"]))
    def set_padding(self, value):
        self.w.padding.value = value

    @rule(value=st.booleans())
    def set_bias(self, value):
        self.w.bias.value = value

    @rule(value=st.sampled_from(["conv", "depthwise", "separable"]))
    def set_kind(self, value):
        self.w.kind.value = value

    @rule(data=st.data())
    def set_groups(self, data):
        self.w.groups.value = data.draw(st.sampled_from(list(self.w.groups.options)))

    @rule(name=st.sampled_from(list(controls.PRESETS)))
    def choose_preset(self, name):
        self.w.preset.value = name

    @rule(view=st.sampled_from(["kernel stack", "convolution volume"]))
    def set_view(self, view):
        self.w.view.value = view

    @invariant()
    def within_bounds_and_valid(self):
        w = self.w
        for name in SLIDERS:
            s = getattr(w, name)
            assert s.min <= s.value <= s.max, name
        assert w.groups.value in w.groups.options
        assert controls.is_valid(w.settings)
        assert "⚠" not in w.message.value, w.message.value

    @invariant()
    def count_is_the_cores_count(self):
        count, out = core_count(self.w)
        assert self.w.count == count
        assert self.w.info.output_shape == out
        shown = re.sub(r"<[^>]+>", "", self.w.formula.value)
        assert self.w.info.terms.text in shown and shown.count(f"= {count:,}") == 1


ExplorerMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=25, deadline=None)
test_explorer_state_machine = ExplorerMachine.TestCase
