"""Render the pictures of issue #14 to ``docs/pictures/after/`` (the "before" set is kept beside them).

Usage: ``python scripts/make_figures.py``

Every drawing for the issue's cases, at the sizes the issue names, through the
public API (``draw_kernels``, ``draw_conv_volume``, ``draw_misconception``,
``draw_channel_sum``) and ``savefig``; plus ``cin-sweep.png``, the kernel stack
of ``Conv2D(63, 3)`` at Cin = 1, 2, 3, 4, 8, 32, 512 and F = 11, side by side.
``docs/pictures/before/`` holds the same kind of pictures rendered by the code
before the issue (commit 28ff193), for comparison; this script does not touch them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from convwidget import nn
from convwidget.diagnose import diagnose
from convwidget.drawing import draw_channel_sum, draw_conv_volume, draw_kernels, draw_misconception
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

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "pictures" / "after"

CONV2 = Conv2D(63, (3, 3)).describe((26, 26, 32))
KERNELS = {
    "conv2": CONV2,
    "conv1": Conv2D(32, (3, 3)).describe((28, 28, 1)),
    "11-512-512": Conv2D(512, 11).describe((11, 11, 512)),
    "depthwise-dm2": DepthwiseConv2D(3, depth_multiplier=2).describe((10, 10, 32)),
    "separable-dm2": SeparableConv2D(64, 3, depth_multiplier=2).describe((10, 10, 32)),
    "groups4": Conv2D(64, 3, groups=4).describe((10, 10, 32)),
    "transposed": Conv2DTranspose(16, 3).describe((8, 8, 4)),
    "dense-9072-128": Dense(128).describe((9072,)),
    "batchnorm-64": BatchNormalization().describe((10, 10, 64)),
    "batchnorm2d-torch-64": nn.BatchNorm2d(64).describe((64, 10, 10)),
    "layernorm-64": LayerNormalization().describe((20, 64)),
    "embedding-1000-64": Embedding(1000, 64).describe((20,)),
}
VOLUMES: dict[str, tuple[object, dict[str, object]]] = {
    "conv2": (CONV2, {}),
    "conv1": (KERNELS["conv1"], {}),
    "depthwise-dm2": (KERNELS["depthwise-dm2"], {}),
    "separable-dm2": (KERNELS["separable-dm2"], {}),
    "same-stride2": (
        Conv2D(64, 3, strides=2, padding="same").describe((28, 28, 32)),
        {"strides": 2, "padding": "same", "position": (3, 4)},
    ),
    "transposed-stride2": (Conv2DTranspose(16, 3, strides=2, padding="same").describe((6, 6, 4)), {}),
    "dilation2": (Conv2D(8, 3, dilation_rate=2).describe((12, 12, 3)), {"dilation_rate": 2}),
}
GUESSES = {
    "630": (630, Conv2D(63, (3, 3)), (26, 26, 32)),
    "18144": (18144, Conv2D(63, (3, 3)), (26, 26, 32)),
    "20160": (20160, Conv2D(63, (3, 3)), (26, 26, 32)),
    "dense-no-bias": (1161216, Dense(128), (9072,)),
    "batchnorm-gamma-beta": (128, BatchNormalization(), (10, 10, 64)),
    "lstm-one-gate": (6208, LSTM(64), (200, 32)),
    "lstm-as-dense": (2112, LSTM(64), (200, 32)),
}


def save(name: str, size: tuple[float, float], draw: Callable[[Figure], object]) -> None:
    fig = Figure(figsize=size, dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    draw(fig)
    path = OUT / f"{name}.png"
    fig.savefig(path, metadata={"Software": None})
    print(path.relative_to(ROOT))


def cin_sweep(fig: Figure) -> None:
    """Conv2D(63, 3) at every Cin step of the issue, and F = 11, one small Axes each."""
    cases = [(3, c) for c in (1, 2, 3, 4, 8, 32, 512)] + [(11, 32)]
    for i, (f, cin) in enumerate(cases):
        ax = fig.add_axes((0.5 * (i % 2), 1 - 0.25 * (i // 2 + 1), 0.5, 0.25))
        draw_kernels(ax, Conv2D(63, f).describe((f, f, cin)))


def main() -> None:
    """Render every picture."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, info in KERNELS.items():
        for size in ((5, 3), (10, 6), (16, 9)) if name in ("conv2", "11-512-512") else ((10, 6),):
            save(
                f"kernels-{name}-{size[0]}x{size[1]}",
                size,
                lambda f, i=info: draw_kernels(f.add_axes((0, 0, 1, 1)), i),
            )
    for name, (info, options) in VOLUMES.items():
        for size in ((5, 3), (10, 6)) if name == "conv2" else ((10, 6),):
            save(
                f"volume-{name}-{size[0]}x{size[1]}",
                size,
                lambda f, i=info, o=options: draw_conv_volume(f.add_axes((0, 0, 1, 1)), i, **o),
            )
    for name, (guess, layer, shape) in GUESSES.items():
        d = diagnose(guess, layer, shape)
        save(
            f"misconception-{name}-10x6",
            (10, 6),
            lambda f, d=d: draw_misconception(f.add_axes((0, 0, 1, 1)), d),
        )
    save(
        "misconception-630-5x3",
        (5, 3),
        lambda f: draw_misconception(f.add_axes((0, 0, 1, 1)), diagnose(*GUESSES["630"])),
    )
    for size in ((8, 4), (12, 5)):
        save(f"channel-sum-conv2-{size[0]}x{size[1]}", size, lambda f: draw_channel_sum(f, CONV2))
    save("cin-sweep", (10, 12), cin_sweep)


if __name__ == "__main__":
    main()
