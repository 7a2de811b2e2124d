"""Every drawing lays itself out for the figure it is given: no label clipped, no two labels overlapping.

Rendered at (5, 3), (10, 6) and (16, 9) inches (the channel sum at (8, 4), (12, 5), (16, 9)); then
each visible Text (visible itself and in a visible Axes, with text) gives its window extent, which
must lie inside the figure and overlap no other one. The cases are the issue's list.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from convwidget import nn
from convwidget.diagnose import diagnose
from convwidget.drawing import draw_channel_sum, draw_conv_volume, draw_kernels, draw_misconception
from convwidget.info import LayerInfo
from convwidget.layers import (
    LSTM,
    BatchNormalization,
    Conv2D,
    Conv2DTranspose,
    Dense,
    DepthwiseConv2D,
    Embedding,
    LayerNormalization,
    SeparableConv2D,
)

SIZES = [(5, 3), (10, 6), (16, 9)]
CONVS: dict[str, tuple[LayerInfo, dict[str, object]]] = {
    "conv2": (Conv2D(63, (3, 3)).describe((26, 26, 32)), {}),
    "conv1": (Conv2D(32, (3, 3)).describe((28, 28, 1)), {}),
    "11-512-512": (Conv2D(512, 11).describe((11, 11, 512)), {}),
    "depthwise": (DepthwiseConv2D(3, depth_multiplier=2).describe((10, 10, 32)), {}),
    "separable-dm2": (SeparableConv2D(64, 3, depth_multiplier=2).describe((10, 10, 32)), {}),
    "groups4": (Conv2D(64, 3, groups=4).describe((10, 10, 32)), {}),
    "transposed-same-stride2": (Conv2DTranspose(16, 3, strides=2, padding="same").describe((6, 6, 4)), {}),
    "same-stride2": (
        Conv2D(64, 3, strides=2, padding="same").describe((28, 28, 32)),
        {"strides": 2, "padding": "same", "position": (3, 4)},
    ),
}
OTHERS = {
    "dense": Dense(128).describe((9072,)),
    "batchnorm": BatchNormalization().describe((10, 10, 64)),
    "batchnorm-torch": nn.BatchNorm2d(64).describe((64, 10, 10)),
    "layernorm": LayerNormalization().describe((20, 64)),
    "embedding": Embedding(1000, 64).describe((20,)),
}


def problems(fig: Figure) -> list[str]:
    """Labels outside the figure or overlapping another, after a full draw."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    shown = [
        t
        for t in fig.findobj(Text)
        if isinstance(t, Text)
        and t.get_visible()
        and t.get_text().strip()
        and (t.axes is None or t.axes.get_visible())
    ]
    boxes = [t.get_window_extent(renderer) for t in shown]
    page = fig.bbox
    out = []
    for t, b in zip(shown, boxes):
        if b.x0 < page.x0 - 0.5 or b.y0 < page.y0 - 0.5 or b.x1 > page.x1 + 0.5 or b.y1 > page.y1 + 0.5:
            out.append(f"outside: {t.get_text()!r}")
    for i in range(len(shown)):
        for j in range(i + 1, len(shown)):
            if boxes[i].overlaps(boxes[j]):
                out.append(f"overlap: {shown[i].get_text()!r} / {shown[j].get_text()!r}")
    return out


def render(size: tuple[int, int], draw: Callable[[Figure], object]) -> Figure:
    fig = Figure(figsize=size, dpi=100)
    draw(fig)
    return fig


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", [*CONVS, *OTHERS])
def test_kernel_stack_fits(name: str, size: tuple[int, int]) -> None:
    info = CONVS[name][0] if name in CONVS else OTHERS[name]
    fig = render(size, lambda f: draw_kernels(f.add_axes((0, 0, 1, 1)), info))
    assert problems(fig) == []


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", list(CONVS))
def test_conv_volume_fits(name: str, size: tuple[int, int]) -> None:
    info, options = CONVS[name]
    fig = render(size, lambda f: draw_conv_volume(f.add_axes((0, 0, 1, 1)), info, **options))
    assert problems(fig) == []


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("guess", [630, 18144, 20160, 18207, 1000])
def test_misconception_fits(guess: int, size: tuple[int, int]) -> None:
    d = diagnose(guess, Conv2D(63, (3, 3)), (26, 26, 32))
    fig = render(size, lambda f: draw_misconception(f.add_axes((0, 0, 1, 1)), d))
    assert problems(fig) == []


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    ("guess", "layer", "shape"),
    [(1161216, Dense(128), (9072,)), (128, BatchNormalization(), (10, 10, 64))],
    ids=["dense-no-bias", "batchnorm-gamma-beta"],
)
def test_misconception_of_layers_without_kernels_fits(
    guess: int, layer: object, shape: tuple[int, ...], size: tuple[int, int]
) -> None:
    d = diagnose(guess, layer, shape)
    m = render(size, lambda f: draw_misconception(f.add_axes((0, 0, 1, 1)), d))
    assert problems(m) == []


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    ("guess", "layer"),
    [(6208, LSTM(64)), (2112, LSTM(64)), (24832, LSTM(64)), (6272, nn.LSTM(32, 64))],
    ids=["lstm-one-gate", "lstm-as-dense", "lstm-right", "torch-lstm-one-gate"],
)
def test_misconception_of_recurrent_layers_fits(guess: int, layer: object, size: tuple[int, int]) -> None:
    # The gates pictures live in Axes of their own: their labels are checked with the rest.
    d = diagnose(guess, layer, (200, 32))
    m = render(size, lambda f: draw_misconception(f.add_axes((0, 0, 1, 1)), d))
    assert len(m.axes) == (2 if guess == 2112 else 3)  # the Dense guess is drawn in the main Axes
    assert problems(m) == []


CHANNEL_SIZES = [(8, 4), (12, 5), (16, 9)]


@pytest.mark.parametrize("size", CHANNEL_SIZES, ids=[f"{w}x{h}" for w, h in CHANNEL_SIZES])
@pytest.mark.parametrize("name", ["conv2", "conv1", "groups4", "depthwise"])
def test_channel_sum_fits(name: str, size: tuple[int, int]) -> None:
    info = CONVS[name][0]
    fig = render(size, lambda f: draw_channel_sum(f, info))
    assert problems(fig) == []


def test_the_check_catches_clipping_and_overlap() -> None:
    fig = Figure(figsize=(5, 3), dpi=100)
    fig.text(0.9, 0.5, "a label that runs off the right edge")
    fig.text(0.1, 0.1, "one label")
    fig.text(0.12, 0.1, "another label")
    found = problems(fig)
    assert any(p.startswith("outside") for p in found) and any(p.startswith("overlap") for p in found)


def test_text_width_matches_the_rendered_text() -> None:
    from convwidget.drawing._layout import text_width

    fig = Figure(figsize=(8, 2), dpi=100)
    canvas = FigureCanvasAgg(fig)
    label = "each kernel: 3×3×32 weights + 1 bias = 289"
    t = fig.text(0.01, 0.5, label, fontsize=12)
    canvas.draw()
    real = t.get_window_extent(canvas.get_renderer()).width  # pixels at 100 dpi = canvas units
    # The estimate errs on the wide side (a label planned to fit does fit), by a few per cent.
    assert real <= text_width(label, 12, boxed=False) <= real * 1.08


def test_fit_shrinks_a_little_then_breaks_the_line() -> None:
    from convwidget.drawing._layout import fit, text_width

    text = "… 59 more kernels not drawn; depth compressed beyond 8 slices"
    assert fit(text, 12, 2000, 8) == (text, 12)  # it fits: unchanged
    narrow = text_width(text, 12) * 0.6
    wrapped, size = fit(text, 12, narrow, 8)
    assert wrapped == "… 59 more kernels not drawn;\ndepth compressed beyond 8 slices"
    assert size >= 12 * 0.9 and text_width(wrapped, size) <= narrow


def test_wrap_and_plural() -> None:
    from convwidget.drawing._layout import plural, text_width, wrap

    text, size = wrap("one two three four five six seven eight nine ten", 12, 120)
    assert all(text_width(line, size) <= 120 for line in text.split("\n")) and text.count("\n") >= 2
    assert [plural(1, "slice"), plural(32, "slice"), plural(1024, "kernel")] == [
        "1 slice",
        "32 slices",
        "1,024 kernels",
    ]
