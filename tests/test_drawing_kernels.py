"""The kernel stack: what is drawn matches the core, stays bounded, and both render paths agree.

Expected numbers are worked out by hand in comments; figure comparisons use
``check_figures_equal`` (update path vs a fresh drawing) or compare the fast
raster path with matplotlib's own render of the same figure. Nothing is timed.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.decorators import check_figures_equal

from convwidget import ConfigError
from convwidget.drawing import (
    MAX_CELLS,
    MAX_KERNELS,
    OKABE_ITO,
    STRIPES,
    KernelStackFigure,
    channel_color,
    draw_kernels,
    plan_kernels,
)
from convwidget.layers import Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D, Flatten, SeparableConv2D

MNIST_CONV2 = Conv2D(63, (3, 3)).describe((26, 26, 32))


def new_ax() -> object:
    return Figure(figsize=(8, 4.5), dpi=100).add_axes((0, 0, 1, 1))


def test_mnist_conv2_labels_and_blocks() -> None:
    plan = plan_kernels(MNIST_CONV2)
    # 3·3·32 + 1 = 289 per kernel; 63·289 = 18,207.
    assert plan.label("per_kernel") == "each kernel: 3×3×32 weights + 1 bias = 289"
    assert plan.label("total") == "63 kernels × 289 = 18,207"
    assert plan.kernels == (63,) and plan.slices == (32,)
    # On the 800×450 canvas four blocks of depth 16 fit: #1..#3 and #63; 63 − 4 = 59 left out.
    assert plan.kernels_drawn == (4,) and [b.kernel for b in plan.blocks] == [0, 1, 2, 62]
    # Depth: 8 thicknesses for the first 8 channels, + 4 per doubling: 32 = 8·2² → 16.
    assert plan.depths == (pytest.approx(16.0),) and plan.elided == (True,)
    # Drawn slices: channels 0..5, 12 thin ones for the compressed middle, and channel 31.
    assert plan.slices_drawn == (6 + STRIPES + 1,)
    assert plan.label("depth_a") == "32 slices = 32 input channels"
    assert plan.label("width_a") == "3" and plan.label("height_a") == "3"
    assert plan.label("bias_a") == "+1 bias"
    assert plan.label("note") == ("… 59 more kernels not drawn; depth compressed beyond 8 slices")
    for b in plan.blocks:
        assert (b.spec.rows, b.spec.cols) == (3, 3)
        assert b.spec.channels == (*range(18), 31)  # slices coloured by their input channels
        assert b.spec.units == pytest.approx(16.0) and b.spec.highlight
        assert b.spec.bias


def test_artist_counts_follow_the_plan() -> None:
    stack = draw_kernels(new_ax(), MNIST_CONV2)
    # 4 kernels drawn: 4 front faces (each outlined), 4·19 = 76 tops and sides, 4·3 = 12 bias
    # faces, 4·(2 + 2) interior grid lines of a 3×3 face + 4·2 broken-view zigzags = 24 lines.
    assert len(stack.polys["front"].get_paths()) == 4
    assert len(stack.polys["outline"].get_paths()) == 4
    assert len(stack.polys["top"].get_paths()) == 76
    assert len(stack.polys["side"].get_paths()) == 76
    assert len(stack.polys["bias"].get_paths()) == 12
    assert len(stack.lines.get_segments()) == 24
    assert stack.texts["total"].get_text() == "63 kernels × 289 = 18,207"
    assert stack.texts["index_a3"].get_text() == "#63"
    # Dimension lines of the first kernel: width, height and depth, each with two end ticks; a leader.
    assert len(stack.marks.get_segments()) == 3 * 3 + 1


def test_slice_colours_are_the_input_channel_colours() -> None:
    stack = draw_kernels(new_ax(), MNIST_CONV2)
    tops = stack.polys["top"].get_facecolor()
    fronts = stack.polys["front"].get_facecolor()
    # The front face of every kernel is channel 0's colour; a slice's top is that colour lightened.
    assert np.allclose(fronts[0][:3], np.array([0xE6, 0x9F, 0x00]) / 255)
    assert not np.allclose(tops[0], tops[1])
    assert len({channel_color(c) for c in range(len(OKABE_ITO))}) == len(OKABE_ITO)


@pytest.mark.parametrize(
    ("f", "cin", "cout"),
    [(1, 1, 1), (11, 512, 512), (30, 2048, 4096)],
)
def test_huge_layers_stay_bounded_with_true_counts(f: int, cin: int, cout: int) -> None:
    info = Conv2D(cout, f).describe((f, f, cin))
    stack = draw_kernels(new_ax(), info)
    per = f * f * cin + 1
    noun = "kernel" if cout == 1 else "kernels"  # "1 kernel × 2 = 2", never "1 kernels"
    assert stack.plan.label("total") == f"{cout:,} {noun} × {per:,} = {cout * per:,}"
    assert info.terms.total == cout * per
    drawn = stack.plan.kernels_drawn[0]
    assert 1 <= drawn <= min(cout, MAX_KERNELS)
    assert len(stack.polys["front"].get_paths()) == drawn
    slices = cin if cin <= 8 else 6 + STRIPES + 1
    assert len(stack.polys["top"].get_paths()) == drawn * slices
    cells = min(f, MAX_CELLS)
    zigzags = 2 if cin > 8 else 0
    assert len(stack.lines.get_segments()) == drawn * (2 * (cells - 1) + zigzags)
    if cout > drawn:
        assert f"… {cout - drawn:,} more kernels not drawn" in stack.plan.label("note")
    assert (
        stack.plan.label("depth_a")
        == f"{cin:,} slice{'s' * (cin > 1)} = {cin:,} input channel{'s' * (cin > 1)}"
    )


def test_largest_case_in_the_issue() -> None:
    # (11, 512, 512): 11·11·512 + 1 = 61,953 per kernel; 512·61,953 = 31,719,936.
    plan = plan_kernels(Conv2D(512, 11).describe((11, 11, 512)))
    assert plan.label("total") == "512 kernels × 61,953 = 31,719,936"
    # 8 + 4·log2(512 / 8) = 8 + 4·6 = 32 thicknesses deep; two blocks fit: #1 and #512.
    assert plan.depths == (pytest.approx(32.0),) and plan.kernels_drawn == (2,)
    assert plan.label("note").startswith("… 510 more kernels not drawn")
    assert plan.label("depth_a") == "512 slices = 512 input channels"


def test_grouped_kernels_span_only_their_groups_channels() -> None:
    info = Conv2D(64, 3, groups=4).describe((10, 10, 32))
    plan = plan_kernels(info)
    # 32/4 = 8 channels per kernel: 3·3·8 + 1 = 73; 64·73 = 4,672. Kernels 0..15 are group 0
    # (channels 0..7); kernel 63 is group 3 (channels 24..31).
    assert plan.label("per_kernel") == "each kernel: 3×3×8 weights + 1 bias = 73"
    assert plan.label("total") == "64 kernels × 73 = 4,672" and info.terms.total == 4672
    assert plan.blocks[0].spec.channels == tuple(range(8))
    assert plan.blocks[-1].kernel == 63 and plan.blocks[-1].spec.channels == tuple(range(24, 32))
    assert "groups=4" in plan.label("title")
    assert plan.depths == (8.0,) and plan.label("depth_a") == "8 slices = 8 of the 32 input channels"


def test_depthwise_one_slice_per_kernel_coloured_by_its_channel() -> None:
    plan = plan_kernels(DepthwiseConv2D(3, depth_multiplier=2).describe((9, 9, 5)))
    # 5 channels · 2 = 10 kernels of 3·3 + 1 = 10 weights: 100.
    assert plan.label("total") == "5 channels × 2 = 10 kernels × 10 = 100"
    # Kernel k reads channel k // 2; the drawn ones are the first few and the last (#10, channel 4).
    drawn = plan.kernels_drawn[0]
    assert [b.spec.channels for b in plan.blocks] == [(k // 2,) for k in range(drawn - 1)] + [(4,)]
    assert plan.slices_drawn == (1,) and plan.depths == (1.0,)
    assert plan.label("depth_a") == "1 slice = its own input channel"
    assert "× 2 (depth multiplier)" in plan.label("title")


def test_separable_draws_a_depthwise_then_a_pointwise_stage() -> None:
    info = SeparableConv2D(64, 3).describe((10, 10, 32))
    plan = plan_kernels(info)
    # depthwise 3·3·32 = 288 (no bias); pointwise (32 + 1)·64 = 2,112; total 2,400.
    assert plan.label("stage_a") == "depthwise: 32 kernels of 3×3×1, no bias = 288"
    assert plan.label("stage_b") == "pointwise: 64 kernels of 1×1×32 + 1 bias = 2,112"
    assert plan.label("total") == f"total: {info.terms.text}" and info.terms.total == 2400
    assert plan.kernels == (32, 64) and plan.slices == (1, 32) and plan.depths == (1.0, 16.0)
    depthwise = [b for b in plan.blocks if not b.spec.bias]
    pointwise = [b for b in plan.blocks if b.spec.bias]
    assert len(depthwise) == plan.kernels_drawn[0] and all(len(b.spec.channels) == 1 for b in depthwise)
    assert len(pointwise) == plan.kernels_drawn[1] and all(
        (b.spec.rows, b.spec.cols) == (1, 1) for b in pointwise
    )
    assert plan.label("depth_b") == "32 slices = 32 input channels"


def test_separable_depth_multiplier_is_in_both_stages() -> None:
    plan = plan_kernels(SeparableConv2D(64, 3, depth_multiplier=2).describe((10, 10, 32)))
    # 32·2 = 64 depthwise kernels of 3·3 = 576; pointwise (64 + 1)·64 = 4,160.
    assert plan.label("stage_a") == "depthwise: 64 kernels of 3×3×1, no bias = 576"
    assert plan.label("stage_b") == "pointwise: 64 kernels of 1×1×64 + 1 bias = 4,160"
    assert plan.label("depth_b") == "64 slices = 32 input channels × 2 (depth multiplier)"
    assert plan.slices == (1, 64) and plan.depths == (1.0, pytest.approx(20.0))
    assert "2 kernels per input channel" in plan.label("title")


def test_dense_kernel_per_unit_spanning_all_inputs() -> None:
    plan = plan_kernels(Dense(128, name="dense").describe((9072,)))
    # (9072 + 1)·128 = 1,161,344, the seed model's dense layer: a 9,072 × 128 matrix and a bias row.
    assert plan.label("total") == "9,072 × 128 weights + 128 biases = 1,161,344"
    assert plan.label("part0") == "128 units" and plan.label("part1") == "9,072\ninputs"
    assert plan.label("part2") == "one column = one unit: 9,072 weights + 1 bias"
    assert plan.blocks == () and len(plan.panels) == 3  # matrix, bias row, the highlighted column
    assert not any("kernel" in lab.text for lab in plan.labels)
    no_bias = draw_kernels(new_ax(), Dense(10, use_bias=False).describe((4,)))
    assert len(no_bias.polys["front"].get_paths()) == 0 and len(no_bias.panels.get_paths()) == 2
    assert no_bias.plan.label("total") == "4 × 10 weights, no bias = 40"
    # 4 inputs × 10 units: every cell drawn, 3 + 9 grid lines.
    assert len(no_bias.marks.get_segments()) == 12


def test_transposed_convolution_draws_its_kernels() -> None:
    plan = plan_kernels(Conv2DTranspose(16, 3).describe((8, 8, 4)))
    # 3·3·4 + 1 = 37 per kernel, 16·37 = 592.
    assert plan.label("total") == "16 kernels × 37 = 592"


def test_plain_numbers_go_through_the_core() -> None:
    a = draw_kernels(new_ax(), kernel_size=3, in_channels=32, out_channels=63)
    assert a.plan == plan_kernels(MNIST_CONV2)
    b = draw_kernels(new_ax(), kernel_size=3, in_channels=32, out_channels=63, bias=False)
    assert b.plan.label("total") == "63 kernels × 288 = 18,144"  # 3·3·32 = 288; ·63 = 18,144


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kernel_size": 3, "in_channels": 32}, "out_channels missing"),
        ({"kernel_size": 3, "in_channels": 0, "out_channels": 4}, r"in_channels=0 is invalid"),
        ({"kernel_size": 0, "in_channels": 3, "out_channels": 4}, r"kernel_size=0 is invalid"),
    ],
)
def test_bad_numbers_raise_config_error(kwargs: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        draw_kernels(new_ax(), **kwargs)


def test_layer_without_kernels_and_mixed_arguments_raise() -> None:
    with pytest.raises(ConfigError, match="Flatten has no weights to draw"):
        draw_kernels(new_ax(), Flatten().describe((3, 3, 2)))
    with pytest.raises(ConfigError, match="not both"):
        draw_kernels(new_ax(), MNIST_CONV2, kernel_size=3)


TRANSITIONS = [
    (MNIST_CONV2, Conv2D(32, 3).describe((28, 28, 1))),
    (Conv2D(1, 1).describe((1, 1, 1)), SeparableConv2D(64, 3).describe((10, 10, 32))),
    (SeparableConv2D(64, 3).describe((10, 10, 32)), Dense(128).describe((9072,))),
    (Conv2D(512, 11).describe((11, 11, 512)), Conv2D(64, (3, 5), groups=4).describe((10, 10, 32))),
]


@pytest.mark.parametrize(("before", "after"), TRANSITIONS)
@check_figures_equal(extensions=["png"])
def test_update_in_place_equals_a_fresh_drawing(
    fig_test: Figure, fig_ref: Figure, before: object, after: object
) -> None:
    stack = draw_kernels(fig_test.add_axes((0, 0, 1, 1)), before)
    artists = stack.artists
    stack.update(after)
    assert stack.artists == artists  # the same artist objects, changed in place
    draw_kernels(fig_ref.add_axes((0, 0, 1, 1)), after)


@pytest.mark.parametrize("info", [b for b, _ in TRANSITIONS] + [TRANSITIONS[-1][1]])
def test_fast_png_matches_matplotlib_render(info: object) -> None:
    fig = KernelStackFigure(MNIST_CONV2)
    fig.to_rgb()  # warm the cache with another state, so the comparison also covers reuse
    fig.update(info)
    fast, ref = fig.to_rgb().astype(int), fig.render_reference().astype(int)
    assert fast.shape == ref.shape == (450, 800, 3)
    # Same sprites, whole-pixel offsets: only rounding in alpha blending may differ.
    assert np.abs(fast - ref).max() <= 8


def test_to_png_is_the_composited_image() -> None:
    from PIL import Image

    fig = KernelStackFigure(kernel_size=5, in_channels=3, out_channels=4)
    png = fig.to_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), fig.to_rgb())


def test_sprites_are_shared_by_identical_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    from convwidget.drawing import raster

    made = []

    def counting(ax: object) -> object:
        made.append(ax)
        return new_block_artists(ax)

    new_block_artists = raster.new_block_artists
    monkeypatch.setattr(raster, "new_block_artists", counting)
    fig = KernelStackFigure(MNIST_CONV2)
    fig.to_rgb()
    assert len(made) == 1  # all 6 drawn kernels of a plain conv look the same: one sprite, rendered once
    fig.update(Conv2D(62, 3).describe((26, 26, 32))).to_rgb()
    assert len(made) == 1  # another count, the same kernels: the sprite is reused
    fig.update(Conv2D(62, 3, groups=2).describe((26, 26, 32))).to_rgb()
    # groups=2: 16 channels per kernel, a shallower block than 32: group 0's kernels are one new
    # sprite, the last kernel (group 1, channels 16–31, other colours) another.
    assert len(made) == 3


def test_a_label_that_only_moved_reuses_its_sprite(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    render = KernelStackFigure._render_text

    def counting(self: KernelStackFigure, t: object, col: int, row: int) -> object:
        rendered.append(t.get_text())  # type: ignore[attr-defined]
        return render(self, t, col, row)  # type: ignore[arg-type]

    monkeypatch.setattr(KernelStackFigure, "_render_text", counting)
    before = Conv2D(63, 3).describe((26, 26, 32))
    after = Conv2D(63, 3).describe((26, 26, 48))  # a deeper kernel: the blocks grow, labels move
    fig = KernelStackFigure(before)
    fig.to_rgb()
    old = {(lab.text, lab.x, lab.y) for lab in fig.plan.labels}
    rendered.clear()
    fig.update(after).to_rgb()
    new = {(lab.text, lab.x, lab.y) for lab in fig.plan.labels}
    moved = {t for t, x, y in new - old} & {t for t, x, y in old}
    assert {"#2", "+1 bias"} <= moved  # the premise: these texts stayed and only moved
    # Only the texts that changed are drawn again ("48 slices = …", the counts, the note), not the moved ones.
    assert sorted(rendered) == sorted({t for t, _, _ in new} - {t for t, _, _ in old})
    assert "48 slices = 48 input channels" in rendered


def test_sprite_cache_keeps_the_most_recently_used() -> None:
    from convwidget.drawing.raster import SpriteCache

    cache = SpriteCache(limit=2)
    made: list[str] = []

    def make(name: str) -> None:
        made.append(name)

    for key in ["a", "b", "a", "c", "a", "b"]:
        cache.get(key, lambda key=key: make(key))  # type: ignore[misc]
    # "a" was used again before "c" came, so "b" was dropped (and made again at the end), "a" never.
    assert made == ["a", "b", "c", "b"] and len(cache) == 2


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_savefig_formats(fmt: str) -> None:
    fig = KernelStackFigure(MNIST_CONV2)
    buf = io.BytesIO()
    fig.figure.savefig(buf, format=fmt)
    data = buf.getvalue()
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    assert data.startswith(magic)
    if fmt == "svg":
        fig.figure.savefig(buf2 := io.BytesIO(), format="svg", metadata=None)
        assert b"<path" in buf2.getvalue()


def test_all_labels_at_least_12_points() -> None:
    stack = draw_kernels(new_ax(), SeparableConv2D(64, 3).describe((10, 10, 32)))
    shown = [t for t in stack.texts.values() if t.get_visible()]
    assert shown and all(t.get_fontsize() >= 12 for t in shown)


def test_figure_has_an_opaque_background_for_dark_themes() -> None:
    fig = KernelStackFigure(MNIST_CONV2)
    rgb = fig.to_rgb()
    assert tuple(rgb[0, 0]) == (255, 255, 255)  # the PNG carries its own white card
    shown = [t for t in fig.stack.texts.values() if t.get_visible()]
    assert all(t.get_bbox_patch() is not None for t in shown)


def test_drawing_imports_no_widgets() -> None:
    code = "import sys, convwidget.drawing; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_label_numbers_are_grouped_like_keras() -> None:
    plan = plan_kernels(Conv2D(512, 11).describe((11, 11, 512)))
    numbers = re.findall(r"\d[\d,]*", plan.label("total"))
    assert numbers == ["512", "61,953", "31,719,936"]


def test_readme_figure_is_regenerated_from_the_code(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util
    from pathlib import Path

    from PIL import Image

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "make_readme_figure", root / "scripts" / "make_readme_figure.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "OUT", Path(str(tmp_path)) / "docs" / "kernel-stack.png")
    monkeypatch.setattr(script, "ROOT", Path(str(tmp_path)))
    script.main()
    fresh = np.asarray(Image.open(script.OUT).convert("RGB"), dtype=int)
    committed = np.asarray(Image.open(root / "docs" / "kernel-stack.png").convert("RGB"), dtype=int)
    assert fresh.shape == committed.shape == (450, 800, 3)
    # Font hinting may differ between matplotlib builds; a stale picture differs far more.
    assert np.abs(fresh - committed).mean() < 2
