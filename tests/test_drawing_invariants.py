"""Every drawing's labels give the numbers ``describe()`` gives (issue 13's invariant).

For non-square kernels and inputs, both layouts and both dialects, depth
multipliers > 1 and groups > 1, the numbers printed in the kernel stack, the
convolution volume, the channel sum and the misconception drawing are read
back from their Text artists and compared with the layer's own description:
its weight shapes (``torch_weights``, the same for both dialects), its output
shape and its total. Each case also states the numbers worked out by hand, and
checks that ``describe`` agrees with them, so a wrong core fails here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convwidget import ConfigError, nn
from convwidget.diagnose import diagnose
from convwidget.drawing import (
    MAX_SLICES,
    draw_channel_sum,
    draw_conv_volume,
    draw_kernels,
    draw_misconception,
)
from convwidget.drawing.blocks import depth_units, kernel_slices
from convwidget.info import Describable, LayerInfo
from convwidget.layers import Conv2D, DepthwiseConv2D, SeparableConv2D


def numbers(text: str) -> list[int]:
    """The whole numbers in a label, in order ("1,161,344" is one number)."""
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def new_ax() -> Axes:
    return Figure(figsize=(8, 4.5), dpi=100).add_axes((0, 0, 1, 1))


@dataclass(frozen=True)
class Case:
    """A layer on an input, with its numbers worked out by hand."""

    id: str
    layer: Describable
    input_shape: tuple[int, int, int]
    channels_first: bool
    kernel: tuple[int, int]  # Fh, Fw
    cpk: int  # input channels one kernel spans (1 for depthwise; per group when grouped)
    kernels: int  # kernels (for a separable layer: its depthwise stage's)
    out: tuple[int, int, int]  # H', W', Cout
    total: int
    pointwise: int = 0  # separable only: Cout of the 1×1 stage

    @property
    def info(self) -> LayerInfo:
        return self.layer.describe(self.input_shape)


CASES = [
    # 11×14 input, 3×5 kernel, valid: 9×10. (3·5·3 + 1)·6 = 276.
    Case("conv-last", Conv2D(6, (3, 5)), (11, 14, 3), False, (3, 5), 3, 6, (9, 10, 6), 276),
    Case(
        "conv-first",
        Conv2D(6, (3, 5), data_format="channels_first"),
        (3, 11, 14),
        True,
        (3, 5),
        3,
        6,
        (9, 10, 6),
        276,
    ),
    Case("torch-conv", nn.Conv2d(3, 6, (3, 5)), (3, 11, 14), True, (3, 5), 3, 6, (9, 10, 6), 276),
    # groups=4 on 8 channels: each kernel spans 2. (3·5·2 + 1)·8 = 248.
    Case("conv-groups4", Conv2D(8, (3, 5), groups=4), (11, 14, 8), False, (3, 5), 2, 8, (9, 10, 8), 248),
    Case(
        "torch-groups4", nn.Conv2d(8, 8, (3, 5), groups=4), (8, 11, 14), True, (3, 5), 2, 8, (9, 10, 8), 248
    ),
    # 4 channels × depth multiplier 3 = 12 kernels of 3·5 + 1 = 16: 192.
    Case(
        "depthwise-dm3",
        DepthwiseConv2D((3, 5), depth_multiplier=3),
        (11, 14, 4),
        False,
        (3, 5),
        1,
        12,
        (9, 10, 12),
        192,
    ),
    Case(
        "depthwise-dm3-first",
        DepthwiseConv2D((3, 5), depth_multiplier=3, data_format="channels_first"),
        (4, 11, 14),
        True,
        (3, 5),
        1,
        12,
        (9, 10, 12),
        192,
    ),
    # Depthwise 3·5·4·3 = 180 (12 kernels, no bias); pointwise (12 + 1)·16 = 208; 388.
    Case(
        "separable-dm3",
        SeparableConv2D(16, (3, 5), depth_multiplier=3),
        (11, 14, 4),
        False,
        (3, 5),
        1,
        12,
        (9, 10, 16),
        388,
        pointwise=16,
    ),
]
IDS = [c.id for c in CASES]
SEPARABLE = [c for c in CASES if c.pointwise]
ONE_STAGE = [c for c in CASES if not c.pointwise]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_describe_agrees_with_the_hand_numbers(case: Case) -> None:
    info = case.info
    fh, fw = case.kernel
    if case.pointwise:
        assert info.torch_weights["depthwise.weight"] == (case.kernels, 1, fh, fw)
        assert info.torch_weights["pointwise.weight"] == (case.pointwise, case.kernels, 1, 1)
    else:
        assert info.torch_weights["weight"] == (case.kernels, case.cpk, fh, fw)
    h, w, c = case.out
    assert info.output_shape == ((c, h, w) if case.channels_first else (h, w, c))
    assert info.channels_first is case.channels_first
    assert info.terms.total == case.total


# --- kernel stack ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_STAGE, ids=[c.id for c in ONE_STAGE])
def test_kernel_stack_labels_match_describe(case: Case) -> None:
    stack = draw_kernels(new_ax(), case.info)
    fh, fw = case.kernel
    per = fh * fw * case.cpk + 1
    # "each kernel: 3×5×2 weights + 1 bias = 31"
    assert numbers(stack.texts["per_kernel"].get_text()) == [fh, fw, case.cpk, 1, per]
    total = numbers(stack.texts["total"].get_text())
    assert total[-3:] == [case.kernels, per, case.total]  # "... 12 kernels × 16 = 192"
    assert stack.plan.kernels == (case.kernels,) and stack.plan.slices == (case.cpk,)
    for b in stack.plan.blocks:
        # The front face is Fh cells high and Fw wide (a 3×5 kernel is wider than high).
        assert (b.spec.rows, b.spec.cols) == case.kernel and b.spec.width > b.spec.height
        assert len(b.spec.channels) == min(case.cpk, MAX_SLICES)


def test_kernel_stack_depthwise_kernels_read_their_channel() -> None:
    plan = draw_kernels(new_ax(), CASES[IDS.index("depthwise-dm3")].info).plan
    # Kernels #1..#5 and #12 of 4 channels × 3: kernel k reads channel k // 3.
    assert [b.kernel for b in plan.blocks] == [0, 1, 2, 3, 4, 11]
    assert [b.spec.channels for b in plan.blocks] == [(0,), (0,), (0,), (1,), (1,), (3,)]


def test_kernel_stack_grouped_kernels_read_their_groups_channels() -> None:
    plan = draw_kernels(new_ax(), CASES[IDS.index("torch-groups4")].info).plan
    # 8 kernels, 2 per group, each spanning 2 of the 8 channels: kernel k reads 2·(k // 2), +1.
    expected = [tuple(range(2 * (k // 2), 2 * (k // 2) + 2)) for k in range(6)]
    assert [b.spec.channels for b in plan.blocks] == [*expected[:5], (6, 7)]


@pytest.mark.parametrize("case", SEPARABLE, ids=[c.id for c in SEPARABLE])
def test_separable_kernel_stack_labels_match_describe(case: Case) -> None:
    stack = draw_kernels(new_ax(), case.info)
    fh, fw = case.kernel
    mid = case.kernels  # Cin · depth multiplier: the depthwise stage's outputs
    dw_count = fh * fw * mid
    pw_count = (mid + 1) * case.pointwise
    # "depthwise: 12 kernels of 3×5×1, no bias = 180"
    assert numbers(stack.texts["stage_a"].get_text()) == [mid, fh, fw, 1, dw_count]
    # "pointwise: 16 kernels of 1×1×12 + 1 bias = 208"
    assert numbers(stack.texts["stage_b"].get_text()) == [case.pointwise, 1, 1, mid, 1, pw_count]
    assert dw_count + pw_count == case.total == numbers(stack.texts["total"].get_text())[-1]
    assert stack.plan.kernels == (mid, case.pointwise) and stack.plan.slices == (1, mid)
    depthwise = [b for b in stack.plan.blocks if not b.spec.bias]
    pointwise = [b for b in stack.plan.blocks if b.spec.bias]
    # Depthwise kernel k reads input channel k // 3; a pointwise kernel reads all 12 depthwise maps.
    assert [b.spec.channels for b in depthwise] == [(0,), (0,), (0,), (1,), (1,), (3,)]
    # Each pointwise block is as deep as its 12 input maps (to scale up to 8, compressed beyond).
    assert all(len(b.spec.channels) == len(kernel_slices(0, mid)[0]) for b in pointwise)
    assert all(b.spec.units == pytest.approx(depth_units(mid)) for b in pointwise)


# --- convolution volume ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_volume_labels_match_describe(case: Case) -> None:
    info = case.info
    vol = draw_conv_volume(new_ax(), info)
    texts = {role: t.get_text() for role, t in vol.texts.items()}
    h, w, cout = case.out
    # The shapes are written in the layer's own order, so their numbers are describe's shapes.
    assert numbers(texts["input"])[:3] == list(info.input_shape) == list(case.input_shape)
    assert numbers(texts["output"])[:3] == list(info.output_shape)
    assert ("(C×H×W)" in texts["output"]) is case.channels_first
    assert numbers(texts["formula_h"])[-1] == h and numbers(texts["formula_w"])[-1] == w
    assert vol.plan.spatial_out == (h, w) and vol.plan.out_channels == cout
    fh, fw = case.kernel
    if case.pointwise:
        cin = case.input_shape[-1]
        assert numbers(texts["note"])[:6] == [fh, fw, cin, fh, fw, 1]
        assert numbers(texts["column"])[-1] == case.pointwise
    else:
        # "one kernel: 3×5×2 weights (+1 bias) → one number[, on the 2 channels of its group]"
        assert numbers(texts["note"])[:4] == [fh, fw, case.cpk, 1]
        assert numbers(texts["note"])[4:] == ([case.cpk] if "groups" in case.id else [])
        assert numbers(texts["column"])[-1] == case.kernels == cout
    assert len(vol.window.get_paths()) == fh * fw


def test_volume_checks_both_axes_of_the_output() -> None:
    # strides (1, 2) on 11×14: H' = 11 − 3 + 1 = 9, W' = ⌊(14 − 5) / 2⌋ + 1 = 5.
    info = Conv2D(6, (3, 5), strides=(1, 2)).describe((11, 14, 3))
    assert info.output_shape == (9, 5, 6)
    vol = draw_conv_volume(new_ax(), info, strides=(1, 2), padding="valid")
    assert numbers(vol.texts["formula_w"].get_text())[-1] == 5
    assert numbers(vol.texts["output"].get_text()) == [9, 5, 6]
    # Stride 1 gives 9×10: the height agrees, the width does not, and that is an error.
    with pytest.raises(ConfigError, match="output of 9×10, but the layer's output is 9×5"):
        vol.update(info, strides=1, padding="valid")
    # No square stride fits 11×14 -> 9×5, so nothing can be inferred either.
    with pytest.raises(ConfigError, match="fit no stride"):
        vol.update(info)


def test_volume_inference_checks_the_width_too() -> None:
    # PyTorch padding (0, 2) on 11×14 with a 3×5 kernel: H' = 9, W' = 14 + 4 − 5 + 1 = 14.
    info = nn.Conv2d(3, 6, (3, 5), padding=(0, 2)).describe((3, 11, 14))
    assert info.output_shape == (6, 9, 14)
    # Stride 1 'valid' gives 9×10 (the height agrees); nothing square fits both axes.
    with pytest.raises(ConfigError, match="fit no stride"):
        draw_conv_volume(new_ax(), info)
    vol = draw_conv_volume(new_ax(), info, padding=(0, 2))
    assert numbers(vol.texts["formula_w"].get_text())[-1] == 14 and vol.plan.pad == ((0, 0), (2, 2))


# --- channel sum -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_STAGE, ids=[c.id for c in ONE_STAGE])
def test_channel_sum_labels_match_describe(case: Case) -> None:
    cs = draw_channel_sum(Figure(figsize=(10, 7)), case.info, kernel=case.kernels - 1)
    fh, fw = case.kernel
    h, w, _ = case.out
    # The sketch is valid and stride 1, like these layers, on inputs under 56: the layer's own size.
    assert cs.result.total.shape == cs.result.output.shape == (h, w)
    # "sum of all 2 maps / 9×10" over the summed map; "+ bias 0.10 / → output map 12" over the output.
    assert numbers(cs.sum_title.get_text())[:3] == [case.cpk, h, w]
    assert "layer's" not in cs.sum_title.get_text()
    assert numbers(cs.out_title.get_text())[2] == case.kernels
    # "One 3×5×2 kernel: ... → 3·5·2 + 1 = 31 weights"
    title = numbers(cs.title.get_text())
    assert title[:3] == [fh, fw, case.cpk] and title[-1] == fh * fw * case.cpk + 1
    assert cs.result.weights.shape == (case.cpk, fh, fw) and cs.result.maps.shape[0] == case.cpk
    shown = [row for row in cs.rows if row["axes"][0].get_visible()]
    assert len(shown) == case.cpk  # at most 3 channels here, all drawn


def test_channel_sum_says_when_its_map_is_not_the_layers_size() -> None:
    # Stride 2: the layer's map is ⌊(11 − 3) / 2⌋ + 1 = 5 by ⌊(14 − 5) / 2⌋ + 1 = 5; the sketch
    # (stride 1) shows 9×10 and says so.
    info = Conv2D(2, (3, 5), strides=2, data_format="channels_first").describe((1, 11, 14))
    cs = draw_channel_sum(Figure(figsize=(10, 7)), info)
    assert cs.sum_title.get_text().startswith("sum of 1 map\n9×10 (the layer's: 5×5)\n")


def test_channel_sum_refuses_separable_layers() -> None:
    with pytest.raises(ConfigError, match="draw_channel_sum: info='SeparableConv2D' is invalid"):
        draw_channel_sum(Figure(), SEPARABLE[0].info)


# --- misconception ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_misconception_real_side_matches_describe(case: Case) -> None:
    d = diagnose(case.total + 1, case.layer, case.input_shape)  # a wrong guess
    m = draw_misconception(new_ax(), d)
    texts = {role: t.get_text() for role, t in m.texts.items()}
    assert numbers(texts["right_title"]) == [case.total]
    assert texts["right_formula"] == case.info.terms.text
    assert numbers(texts["right_count"]) == [case.kernels]
    fh, fw = case.kernel
    note = numbers(texts["right_note"])
    if case.pointwise:
        # "each kernel 3×5×1, no bias" and "then 16 kernels 1×1×12 + 1 bias"
        assert note == [fh, fw, 1, case.pointwise, 1, 1, case.kernels, 1]
    else:
        assert note == [fh, fw, case.cpk, 1]  # "each kernel 3×5×2 + 1 bias"
    # The real kernel is drawn first: 3 rows of 5 cells, one slice per channel it spans.
    first = np.asarray(m.polys["front"].get_paths()[0].vertices)
    width, height = first[:, 0].max() - first[:, 0].min(), first[:, 1].max() - first[:, 1].min()
    assert width > height
    slices = min(1 if case.pointwise else case.cpk, MAX_SLICES)
    assert len(m.polys["top"].get_paths()) == slices


def test_misconception_depthwise_as_full_conv_guess() -> None:
    case = CASES[IDS.index("depthwise-dm3")]
    # Counting each depthwise kernel as 3×5×4: (3·5·4 + 1)·12 = 732.
    d = diagnose(732, case.layer, case.input_shape)
    assert d.mistake == "depthwise_as_full_conv"
    m = draw_misconception(new_ax(), d)
    assert numbers(m.texts["left_count"].get_text()) == [12]
    assert numbers(m.texts["right_count"].get_text()) == [12]
    assert numbers(m.texts["right_note"].get_text()) == [3, 5, 1, 1]
    # The guess's kernel shows 4 slices, the real one 1.
    assert len(m.polys["top"].get_paths()) == 1 + 4


# --- the layout is read, not guessed (the two cases) ---------------------------------------


def test_channels_first_volume_draws_its_10x8_input_and_8x6_output() -> None:
    # Was: "fit no stride" (the shapes were split as channels-last). 10 − 3 + 1 = 8, 8 − 3 + 1 = 6.
    info = Conv2D(8, 3, data_format="channels_first").describe((8, 10, 8))
    vol = draw_conv_volume(new_ax(), info)
    assert vol.plan.spatial_in == (10, 8) and vol.plan.spatial_out == (8, 6)
    assert vol.plan.in_channels == 8 and vol.plan.out_channels == 8
    assert vol.texts["input"].get_text() == "input 8×10×8 (C×H×W)"
    assert vol.texts["output"].get_text() == "output 8×8×6 (C×H×W)"
    # PyTorch's Conv2d is channels-first too: the same picture, only the class name differs.
    torch_plan = draw_conv_volume(new_ax(), nn.Conv2d(8, 8, 3).describe((8, 10, 8))).plan
    assert torch_plan == vol.plan


def test_channels_first_channel_sum_is_8x10() -> None:
    # Was 2×8 (the channel axis read as the height). 10 − 3 + 1 = 8, 12 − 3 + 1 = 10.
    first = Conv2D(4, 3, data_format="channels_first").describe((3, 10, 12))
    cs = draw_channel_sum(Figure(figsize=(10, 7)), first)
    assert cs.result.total.shape == (8, 10)
    assert cs.sum_title.get_text().startswith("sum of all 3 maps\n8×10\nat ")
    # The same layer channels-last, and PyTorch's, compute the very same numbers.
    last = Conv2D(4, 3).describe((10, 12, 3))
    torch = nn.Conv2d(3, 4, 3).describe((3, 10, 12))
    for other in (last, torch):
        res = draw_channel_sum(Figure(figsize=(10, 7)), other).result
        assert (res.total == cs.result.total).all() and res.position == cs.result.position
