"""Convolution volume, channel sum and misconception drawings: numbers from the core, in-place updates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.decorators import check_figures_equal

from convwidget import ConfigError
from convwidget.diagnose import diagnose
from convwidget.drawing import (
    MAX_GRID,
    MAX_ROWS,
    channel_sum,
    draw_channel_sum,
    draw_conv_volume,
    draw_misconception,
    plan_volume,
)
from convwidget.drawing.channel_sum import correlate_valid
from convwidget.formula import Factor, Product, Sum, Terms
from convwidget.layers import Conv2D, Dense, DepthwiseConv2D
from convwidget.mnist import mnist_digit

MNIST_CONV1 = Conv2D(32, (3, 3)).describe((28, 28, 1))
MNIST_CONV2 = Conv2D(63, (3, 3)).describe((26, 26, 32))


def new_ax() -> object:
    return Figure(figsize=(8, 4.5), dpi=100).add_axes((0, 0, 1, 1))


# --- convolution volume ----------------------------------------------------------------------------


def test_volume_formula_for_mnist_conv1() -> None:
    plan = plan_volume(MNIST_CONV1)
    # ⌊(28 + 0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 26 on both axes.
    assert (
        plan.formulas[0]
        == "H' = ⌊(H + pad − d·(F − 1) − 1) / s⌋ + 1 = ⌊(28 + 0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 26"
    )
    assert plan.spatial_out == (26, 26) and plan.inferred
    assert plan.window == tuple((r, c) for r in range(3) for c in range(3))


def test_volume_stride_padding_dilation() -> None:
    # 'same', stride 2 on 9: ⌈9/2⌉ = 5; total pad (5 − 1)·2 + 3 − 9 = 2, split 1/1.
    same = plan_volume(Conv2D(8, 3, strides=2, padding="same").describe((9, 9, 3)), position=(1, 2))
    assert same.strides == (2, 2) and same.pad == ((1, 1), (1, 1)) and same.padding_name == "same"
    assert same.formulas[1].endswith("⌊(9 + 2 − 1·(3 − 1) − 1) / 2⌋ + 1 = 5")
    # Output (1, 2) reads padded rows 2..4 and cols 4..6.
    assert same.window[0] == (2, 4) and same.window[-1] == (4, 6)
    # Dilation 2: span 2·(3 − 1) + 1 = 5, 9 − 5 + 1 = 5; cells two apart.
    dil = plan_volume(Conv2D(8, 3, dilation_rate=2).describe((9, 9, 12)), dilation_rate=2)
    assert dil.spatial_out == (5, 5) and dil.window[:3] == ((0, 0), (0, 2), (0, 4))


def test_volume_artists_and_labels() -> None:
    vol = draw_conv_volume(new_ax(), MNIST_CONV2, position=(3, 4))
    assert len(vol.window.get_paths()) == 9  # one 3×3 receptive field
    assert vol.texts["input"].get_text() == "input 26×26×32"
    assert vol.texts["output"].get_text() == "output 24×24×63"
    # The plain-word captions: 3·3·32 weights + 1 bias make one number; 63 kernels, 63 channels.
    assert vol.texts["note"].get_text() == "one kernel: 3×3×32 weights (+1 bias) → one number"
    assert vol.texts["column"].get_text() == "63 kernels → 63 output channels"
    # Weight sharing: one kernel at every one of the 24×24 positions, 3·3·32 + 1 = 289 parameters.
    assert (
        vol.texts["sharing"].get_text().startswith("the same kernel at all 24×24 positions: 289 parameters")
    )
    # The kernel box goes through all 32 channels: as deep as the input volume (front, top, side).
    box = [np.asarray(path.vertices) for path in vol.kernel_box.get_paths()]
    top = box[1]
    depth_x = top[2, 0] - top[1, 0]
    faces = [np.asarray(path.vertices) for path in vol.faces.get_paths()]
    volume_depth = max(f[:, 0].max() for f in faces[:38]) - faces[38][:, 0].max()  # 19 slices, then the front
    assert len(box) == 3 and depth_x == pytest.approx(volume_depth, rel=0.02)
    # The next position (stride 1) and the last one are drawn dashed: the same kernel, reused.
    assert len(vol.ghosts.get_paths()) == 2


def test_volume_huge_input_stays_bounded() -> None:
    vol = draw_conv_volume(new_ax(), Conv2D(512, 11).describe((224, 224, 512)))
    # Above MAX_GRID cells per side no grid lines are drawn; an 11×11 window is 121 cells.
    assert MAX_GRID < 224 and len(vol.grid.get_segments()) == 0
    assert len(vol.window.get_paths()) == 121
    # Each volume: 6 + 12 + 1 slices (top and side each) and its front face: 2·(2·19 + 1) = 78.
    assert len(vol.faces.get_paths()) == 78


def test_volume_errors() -> None:
    vol = draw_conv_volume(new_ax(), MNIST_CONV1)
    # Stride 2 on 9 gives ⌊(9 − 3)/2⌋ + 1 = 4; claiming stride 1 would give 9 − 3 + 1 = 7.
    with pytest.raises(ConfigError, match="output of 7×7, but the layer's output is 4×4"):
        vol.update(Conv2D(8, 3, strides=2).describe((9, 9, 1)), strides=1, padding="valid")
    with pytest.raises(ConfigError, match="position"):
        draw_conv_volume(new_ax(), MNIST_CONV1, position=(26, 0))
    with pytest.raises(ConfigError, match="2-D convolution"):
        draw_conv_volume(new_ax(), Dense(3).describe((4,)))


@pytest.mark.parametrize(
    ("before", "after", "options"),
    [
        (MNIST_CONV1, MNIST_CONV2, {"position": (5, 5)}),
        (MNIST_CONV2, Conv2D(8, 3, strides=2, padding="same").describe((9, 9, 3)), {"position": (4, 4)}),
    ],
)
@check_figures_equal(extensions=["png"])
def test_volume_update_equals_fresh(fig_test: Figure, fig_ref: Figure, before, after, options) -> None:
    vol = draw_conv_volume(fig_test.add_axes((0, 0, 1, 1)), before)
    vol.update(after, **options)
    draw_conv_volume(fig_ref.add_axes((0, 0, 1, 1)), after, **options)


# --- channel sum -----------------------------------------------------------------------------------


def test_correlate_valid_by_hand() -> None:
    x = np.arange(16, dtype=float).reshape(1, 4, 4)
    k = np.array([[[1.0, 0.0], [0.0, -1.0]]])
    # Each output is x[r, c] − x[r + 1, c + 1] = −5 everywhere (a 4-wide ramp: +1 right, +4 down).
    assert np.array_equal(correlate_valid(x, k), np.full((1, 3, 3), -5.0))


def test_channel_sum_is_the_sum_over_channels_plus_bias() -> None:
    res = channel_sum(MNIST_CONV2)
    assert res.inputs.shape == (32, 26, 26) and res.weights.shape == (32, 3, 3)
    assert res.maps.shape == (32, 24, 24)
    # Independent check of one output cell: Σ_c Σ_ij input[c, r+i, q+j]·w[c, i, j] + b.
    r, q = res.position
    by_hand = sum(
        res.inputs[c, r + i, q + j] * res.weights[c, i, j]
        for c in range(32)
        for i in range(3)
        for j in range(3)
    )
    assert res.output[r, q] == pytest.approx(by_hand + res.bias)
    assert res.bias == 0.1


def test_channel_sum_first_layer_uses_the_digit_itself() -> None:
    res = channel_sum(MNIST_CONV1, digit=3)
    assert res.inputs.shape == (1, 28, 28)
    assert np.allclose(res.inputs[0], mnist_digit(3) / mnist_digit(3).max())


def test_channel_sum_grouped_and_depthwise_span_their_channels() -> None:
    res = channel_sum(Conv2D(8, 3, groups=4).describe((10, 10, 8)), kernel=7)
    assert res.inputs.shape[0] == 2  # 8/4 channels per kernel
    dw = channel_sum(DepthwiseConv2D(3).describe((10, 10, 5)), kernel=2)
    assert dw.inputs.shape[0] == 1


def test_channel_sum_figure_shows_real_numbers() -> None:
    fig = Figure(figsize=(10, 7))
    cs = draw_channel_sum(fig, MNIST_CONV2)
    res = cs.result
    r, q = res.position
    # Values are printed with 4 decimals: inputs and weights have 2, so products have at most 4.
    assert cs.sum_title.get_text().endswith(f"= {res.total[r, q]:.4f}".replace("-", "−"))
    assert f"{res.output[r, q]:.4f}".replace("-", "−") in cs.out_title.get_text()
    assert "3·3·32 + 1 = 289" in cs.title.get_text()
    visible_rows = [row for row in cs.rows if row["axes"][0].get_visible()]
    assert len(visible_rows) == MAX_ROWS - 1 and cs.more.get_text().startswith("… 29 more channels")
    assert np.array_equal(visible_rows[0]["images"][2].get_array(), res.maps[0])
    # Kernel numbers printed on each slice are the weights used (rounded to 2 decimals).
    printed = [t.get_text() for t in visible_rows[0]["numbers"] if t.get_visible()]
    assert len(printed) == 9
    assert [float(p.replace("−", "-")) for p in printed] == list(res.weights[0].ravel())
    # The printed per-channel values plus the "more channels" rest add up to the printed sum.
    values = [float(row["value"].get_text().split()[-1].replace("−", "-")) for row in visible_rows]
    rest = float(cs.more.get_text().split(": ")[1].split()[0].replace("−", "-"))
    assert sum(values) + rest == pytest.approx(float(cs.sum_title.get_text().split()[-1]), abs=1e-9)


def test_channel_sum_inputs_each_on_their_own_scale() -> None:
    cs = draw_channel_sum(Figure(figsize=(12, 5)), Conv2D(1, (3, 3)).describe((28, 28, 3)), digit=7)
    for i, row in enumerate(cs.rows[:3]):
        lo, hi = row["images"][0].get_clim()
        assert (lo, hi) == (cs.result.inputs[i].min(), cs.result.inputs[i].max())
    assert "own colour scale" in cs.note.get_text()


@check_figures_equal(extensions=["png"])
def test_channel_sum_update_equals_fresh(fig_test: Figure, fig_ref: Figure) -> None:
    fig_test.set_size_inches(10, 7)
    fig_ref.set_size_inches(10, 7)
    cs = draw_channel_sum(fig_test, MNIST_CONV2)
    cs.update(MNIST_CONV1, digit=4)
    draw_channel_sum(fig_ref, MNIST_CONV1, digit=4)


def test_channel_sum_refuses_dense() -> None:
    with pytest.raises(ConfigError, match="draw_channel_sum"):
        channel_sum(Dense(3).describe((4,)))


# --- misconception ---------------------------------------------------------------------------------


def test_misconception_forgot_input_channels() -> None:
    d = diagnose(630, Conv2D(63, (3, 3)), (26, 26, 32))
    m = draw_misconception(new_ax(), d)
    assert m.texts["left_formula"].get_text() == "(3·3 + 1)·63 = 630"
    assert m.texts["right_formula"].get_text() == "(3·3·32 + 1)·63 = 18,207"
    assert m.texts["left_note"].get_text() == "left out: input channels"
    # Two blocks: the guess's kernel has 1 slice, the real one 6 + 12 thin + 1 drawn for its 32; both
    # have a bias. The real block is 16 thicknesses deep, the guess's 1.
    assert len(m.polys["front"].get_paths()) == 2
    assert len(m.polys["top"].get_paths()) == 1 + 6 + 12 + 1
    assert m.texts["left_count"].get_text() == m.texts["right_count"].get_text() == "× 63 kernels"
    assert len(m.polys["bias"].get_paths()) == 6


def test_misconception_forgot_bias_and_unknown() -> None:
    ax = new_ax()
    m = draw_misconception(ax, diagnose(18144, Conv2D(63, (3, 3)), (26, 26, 32)))
    assert len(m.polys["bias"].get_paths()) == 3  # only the real kernel has a bias cube
    m.update(diagnose(1000, Conv2D(63, (3, 3)), (26, 26, 32)))
    assert m.texts["left_formula"].get_text() == "no known mistake gives this number"
    assert len(m.polys["front"].get_paths()) == 1


@dataclass(frozen=True)
class StandIn:
    """The Diagnosis contract, for a case diagnose may not produce (swapped channels)."""

    guess: int
    expected: int
    correct: bool
    mistake: str | None
    dropped: tuple[str, ...]
    added: tuple[str, ...]
    formula: Terms
    guess_formula: Terms | None
    info: object

    def __str__(self) -> str:
        return "swapped"


def test_misconception_swapped_channels_stand_in() -> None:
    def conv(cin: int, cout: int) -> Terms:
        k = [Factor("kernel height", 3, "Fh"), Factor("kernel width", 3, "Fw")]
        inner = Sum((Product((*k, Factor("input channels", cin, "Cin"))), Factor("bias", 1, "1")))
        return Terms(Product((inner, Factor("output channels", cout, "Cout"))))

    # (3·3·63 + 1)·32 = 18,176 against (3·3·32 + 1)·63 = 18,207.
    d = StandIn(18176, 18207, False, "swapped_channels", (), (), conv(32, 63), conv(63, 32), MNIST_CONV2)
    m = draw_misconception(new_ax(), d)
    assert m.texts["left_count"].get_text() == "× 32 kernels"
    assert m.texts["right_count"].get_text() == "× 63 kernels"
    assert m.texts["left_formula"].get_text() == "(3·3·63 + 1)·32 = 18,176"


@check_figures_equal(extensions=["png"])
def test_misconception_update_equals_fresh(fig_test: Figure, fig_ref: Figure) -> None:
    layer = Conv2D(63, (3, 3))
    m = draw_misconception(fig_test.add_axes((0, 0, 1, 1)), diagnose(1000, layer, (26, 26, 32)))
    m.update(diagnose(630, layer, (26, 26, 32)))
    draw_misconception(fig_ref.add_axes((0, 0, 1, 1)), diagnose(630, layer, (26, 26, 32)))


def test_every_view_uses_at_least_12_points() -> None:
    fig = Figure(figsize=(10, 7))
    draw_channel_sum(fig, MNIST_CONV2)
    vol = draw_conv_volume(new_ax(), MNIST_CONV2)
    mis = draw_misconception(new_ax(), diagnose(630, Conv2D(63, (3, 3)), (26, 26, 32)))
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_visible() and t.get_text()]
    texts += [t for t in (*vol.texts.values(), *mis.texts.values()) if t.get_visible()]
    assert texts and min(t.get_fontsize() for t in texts) >= 12


def test_misconception_bias_per_input_channel_draws_a_cube_per_slice() -> None:
    # (3·3 + 1)·32·63 = 20,160 gives each of the 32 slices a bias: the guess's block carries one cube
    # per drawn slice (6 + 12 + 1 = 19 for 32 channels), the real one a single cube; 3 faces each.
    m = draw_misconception(new_ax(), diagnose(20160, Conv2D(63, (3, 3)), (26, 26, 32)))
    assert len(m.polys["bias"].get_paths()) == 3 * (19 + 1)
    assert m.texts["left_note"].get_text() == "added: a bias per input channel"


def test_transposed_volume_is_a_convolution_on_the_stretched_input() -> None:
    from convwidget.layers import Conv2DTranspose

    # 'same', stride 2 on 6×6: output 12×12. Stretched: (6 − 1)·2 + 1 = 11 cells; a 3×3 kernel at
    # stride 1 needs 12 + 2 = 14, so the border is 3 (1 before, 2 after).
    info = Conv2DTranspose(16, 3, strides=2, padding="same").describe((6, 6, 4))
    plan = plan_volume(info)
    assert plan.transposed and plan.strides == (2, 2) and plan.step == (1, 1)
    assert plan.grid == (14, 14) and plan.pad == ((1, 2), (1, 2)) and plan.inferred
    assert plan.formulas[1] == "W' = (W − 1)·s + 1 + border − d·(F − 1) = (6 − 1)·2 + 1 + 3 − 1·(3 − 1) = 12"
    vol = draw_conv_volume(new_ax(), info, position=(0, 1))
    # The window moves one cell per output cell; the kernel spans all 4 channels: 3·3·4 + 1 = 37.
    assert plan_volume(info, position=(0, 1)).window[0] == (0, 1)
    assert vol.texts["note"].get_text() == "one kernel: 3×3×4 weights (+1 bias) → one number"
    assert "spread to 14×14 with zeros" in vol.texts["input"].get_text()
    # Valid, stride 1: 8 + 3 − 1 = 10; border 2·(3 − 1) = 4, a plain full padding.
    valid = plan_volume(Conv2DTranspose(16, 3).describe((8, 8, 4)))
    assert valid.strides == (1, 1) and valid.pad == ((2, 2), (2, 2)) and valid.spatial_out == (10, 10)
