"""The kernel stack's geometry as data: what the picture means, not only that it renders.

Depth in slice thicknesses is Cin to scale up to 8, then 8 + 4·log2(Cin / 8);
the face grows with F; what is left out is said in words; counts are singular
or plural as they should be. Numbers are worked out by hand in comments.
"""

from __future__ import annotations

import itertools

import pytest

from convwidget import ConfigError, nn
from convwidget.drawing import depth_units, face_length, plan_kernels
from convwidget.layers import (
    BatchNormalization,
    Conv2D,
    Conv2DTranspose,
    Dense,
    DepthwiseConv2D,
    Embedding,
    Flatten,
    LayerNormalization,
    SeparableConv2D,
)

CINS = [1, 2, 3, 4, 8, 32, 512]
FS = [1, 3, 5, 11]
SIZES = [(500, 300), (800, 450), (1000, 600), (1600, 900)]


def test_depth_units_by_hand() -> None:
    # To scale up to 8; then 8 + 4·log2(c/8): 16 → 12, 32 → 16, 64 → 20, 512 → 8 + 4·6 = 32.
    assert [depth_units(c) for c in (1, 2, 3, 8)] == [1, 2, 3, 8]
    assert [depth_units(c) for c in (16, 32, 64, 512)] == pytest.approx([12, 16, 20, 32])


@pytest.mark.parametrize("canvas", SIZES)
def test_block_depth_grows_with_cin_at_every_step(canvas: tuple[int, int]) -> None:
    plans = [plan_kernels(Conv2D(63, 3).describe((5, 5, c)), canvas) for c in CINS]
    depths = [p.depths[0] for p in plans]
    assert depths == pytest.approx([depth_units(c) for c in CINS])
    # The drawn depth (canvas units along the receding edge) grows too, whatever fits the canvas.
    drawn = [p.blocks[0].spec.extent[0] for p in plans]
    assert all(b > a for a, b in itertools.pairwise(drawn)), drawn
    assert [p.elided[0] for p in plans] == [c > 8 for c in CINS]
    # The true number is written on the first kernel's depth edge, singular for one.
    assert plans[0].label("depth_a") == "1 slice = 1 input channel"
    assert plans[-1].label("depth_a") == "512 slices = 512 input channels"


@pytest.mark.parametrize("canvas", SIZES)
@pytest.mark.parametrize("cin", [1, 32, 512])
def test_face_grows_with_f(canvas: tuple[int, int], cin: int) -> None:
    plans = [plan_kernels(Conv2D(63, f).describe((f, f, cin)), canvas) for f in FS]
    faces = [p.faces[0] for p in plans]
    assert all(b[0] > a[0] and b[1] > a[1] for a, b in itertools.pairwise(faces)), faces
    assert [(p.blocks[0].spec.rows, p.blocks[0].spec.cols) for p in plans] == [(f, f) for f in FS]
    assert [p.label("width_a") for p in plans] == [str(f) for f in FS]
    assert face_length(1) < face_length(3) < face_length(11)


def test_blocks_stay_inside_the_canvas_and_do_not_overlap() -> None:
    for canvas in SIZES:
        for f, cin in [(1, 1), (3, 32), (11, 512)]:
            plan = plan_kernels(Conv2D(512, f).describe((f, f, cin)), canvas)
            spans = []
            for b in plan.blocks:
                s = b.spec
                assert b.x >= 0 and b.y >= 0
                assert b.x + s.footprint <= canvas[0] and b.y + s.top <= canvas[1]
                spans.append((b.x, b.x + s.footprint))
            assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def test_what_is_left_out_is_said_with_the_right_number() -> None:
    plan = plan_kernels(Conv2D(7, 3).describe((5, 5, 3)), (500, 300))
    drawn = plan.kernels_drawn[0]
    if drawn < 7:
        more = 7 - drawn
        assert plan.label("note") == f"… {more} more kernel{'s' * (more > 1)} not drawn"
    one = plan_kernels(Conv2D(1, 3).describe((5, 5, 1)))
    assert one.label("total") == "1 kernel × 10 = 10" and one.label("note") is None


def test_grouped_transposed_depthwise_separable_keep_their_pictures() -> None:
    grouped = plan_kernels(Conv2D(64, 3, groups=4).describe((10, 10, 32)))
    assert grouped.slices == (8,) and grouped.depths == (8.0,)  # 32 / 4 channels per kernel
    transposed = plan_kernels(Conv2DTranspose(16, 3).describe((8, 8, 4)))
    assert transposed.slices == (4,) and transposed.label("total") == "16 kernels × 37 = 592"
    dw = plan_kernels(DepthwiseConv2D(3, depth_multiplier=2).describe((10, 10, 32)))
    assert dw.kernels == (64,) and dw.slices == (1,) and dw.depths == (1.0,)
    sep = plan_kernels(SeparableConv2D(64, 3, depth_multiplier=2).describe((10, 10, 32)))
    assert sep.kernels == (64, 64) and sep.slices == (1, 64)
    assert sep.depths == pytest.approx((1.0, depth_units(64)))


def test_batchnorm_four_vectors_two_hatched_both_frameworks_stated() -> None:
    plan = plan_kernels(BatchNormalization().describe((10, 10, 64)))
    hatched = [p for p in plan.panels if p.hatch]
    solid = [p for p in plan.panels if not p.hatch]
    assert len(solid) == 2 and len(hatched) == 2  # γ, β trainable; moving mean, variance not
    texts = [lab.text for lab in plan.labels]
    assert "γ (scale)" in texts and "β (shift)" in texts and "moving variance" in texts
    # Keras: 4·64 = 256 parameters, 128 of them non-trainable; PyTorch: 2·64 = 128 parameters
    # and 2·64 + 1 = 129 buffers.
    assert any(t.startswith("Keras: 4·64 = 256 parameters (128 trainable, 128 non-trainable)") for t in texts)
    assert any("PyTorch: 128 parameters" in t and "129 buffers" in t for t in texts)
    assert not any("kernel" in t for t in texts)
    torch = plan_kernels(nn.BatchNorm2d(64).describe((64, 10, 10)))
    assert len([p for p in torch.panels if p.hatch]) == 2
    assert any("this layer: (1 + 1)·64 = 128" in lab.text for lab in torch.labels)


def test_layernorm_gamma_beta_over_the_normalised_axis() -> None:
    plan = plan_kernels(LayerNormalization().describe((20, 64)))
    assert len(plan.panels) == 2 and not any(p.hatch for p in plan.panels)
    assert [lab.text for lab in plan.labels if lab.text.startswith("64")] == ["64 — trainable"] * 2
    assert not any("kernel" in lab.text for lab in plan.labels)


def test_embedding_vocabulary_by_dimension_table() -> None:
    plan = plan_kernels(Embedding(1000, 64).describe((20,)))
    assert plan.label("total") == "1,000 × 64 = 64,000 numbers, no bias"
    assert plan.label("part0") == "64 columns: the dimension"
    assert plan.label("part1") == "1,000 rows:\nthe vocabulary"
    assert not any("kernel" in lab.text for lab in plan.labels)


def test_no_picture_says_kernel_for_a_layer_without_one() -> None:
    for info in (
        Dense(128).describe((9072,)),
        BatchNormalization().describe((10, 10, 64)),
        Embedding(1000, 64).describe((20,)),
        LayerNormalization().describe((20, 64)),
    ):
        for canvas in SIZES:
            assert not any("kernel" in lab.text for lab in plan_kernels(info, canvas).labels)


def test_layers_without_weights_are_refused_without_saying_kernel() -> None:
    with pytest.raises(ConfigError, match="Flatten has no weights to draw") as err:
        plan_kernels(Flatten().describe((3, 3, 2)))
    assert "no kernels" not in str(err.value)


def test_singular_counts_everywhere() -> None:
    # One unit, one bias: "+ 1 bias", never "1 biases"; a 1×1 table holds "1 number".
    assert plan_kernels(Dense(1).describe((3,))).label("total") == "3 × 1 weights + 1 bias = 4"
    assert plan_kernels(Embedding(1, 1).describe((2,))).label("total") == "1 × 1 = 1 number, no bias"
    grouped = plan_kernels(Conv2D(8, 3, groups=8).describe((5, 5, 8)))
    assert grouped.label("title") == "Conv2D, groups=8: each kernel sees the 1 channel of its group"
    assert grouped.label("depth_a") == "1 slice = 1 of the 8 input channels"
    single = plan_kernels(Conv2D(1, 1).describe((1, 1, 1)))
    assert (
        single.label("total") == "1 kernel × 2 = 2" and single.label("depth_a") == "1 slice = 1 input channel"
    )
