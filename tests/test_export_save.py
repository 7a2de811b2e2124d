"""convwidget.drawing.save: every drawing to SVG and PNG at a chosen size, with its description."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from convwidget import ConfigError, diagnose, nn
from convwidget.drawing import (
    KernelStackFigure,
    draw_channel_sum,
    draw_conv_volume,
    draw_kernels,
    draw_misconception,
    draw_recurrent,
    save,
)
from convwidget.drawing.save import Drawing, describe_drawing
from convwidget.info import LayerInfo
from convwidget.layers import LSTM, Conv2D, Conv2DTranspose

CONV2 = Conv2D(63, (3, 3)).describe((26, 26, 32))


def kernels() -> Drawing:
    return draw_kernels(plt.subplots(figsize=(10, 6))[1], CONV2)


def volume() -> Drawing:
    # non-square, strided and padded: the relayout must keep all three
    info = Conv2D(8, 3, strides=2, padding="same").describe((10, 8, 3))
    return draw_conv_volume(plt.subplots(figsize=(10, 6))[1], info, strides=2, padding="same")


def channel_sum() -> Drawing:
    return draw_channel_sum(plt.figure(figsize=(12, 5)), Conv2D(1, (3, 3)).describe((28, 28, 3)))


def misconception() -> Drawing:
    return draw_misconception(
        plt.subplots(figsize=(10, 5))[1], diagnose(630, Conv2D(63, (3, 3)), (26, 26, 32))
    )


def recurrent() -> Drawing:
    return draw_recurrent(plt.subplots(figsize=(10, 6))[1], LSTM(64).describe((100, 32)))


def stack_figure() -> Drawing:
    return KernelStackFigure(CONV2)


# Each drawing and numbers its description must carry (the layer's counts).
CASES: dict[str, tuple[Callable[[], Drawing], tuple[str, ...]]] = {
    "kernels": (kernels, ("(3·3·32 + 1)·63 = 18,207", "63 kernels × 289 = 18,207")),
    "volume": (volume, ("(3·3·3 + 1)·8 = 224", "output 5×4×8", "input 10×8×3")),
    "channel_sum": (channel_sum, ("(3·3·3 + 1)·1 = 28", "3·3·3 + 1 = 28 parameters")),
    "misconception": (misconception, ("Guess: (3·3 + 1)·63 = 630 (the layer has 18,207)", "18,207")),
    "recurrent": (recurrent, ("LSTM: 4·((32 + 64)·64 + 64) = 24,832", "32·64 + 64·64 + 64 = 6,208")),
    "stack_figure": (stack_figure, ("(3·3·32 + 1)·63 = 18,207",)),
}


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield
    plt.close("all")


@pytest.mark.parametrize("case", sorted(CASES))
def test_png_is_size_times_dpi_with_the_description(case: str, tmp_path: Path) -> None:
    make, numbers = CASES[case]
    saved = save(make(), tmp_path / f"{case}.png", size=(7, 4.5), dpi=120)
    assert saved.picture == tmp_path / f"{case}.png" and saved.description == tmp_path / f"{case}.txt"
    with Image.open(saved.picture) as image:
        assert image.format == "PNG" and image.size == (840, 540)
    text = saved.description.read_text(encoding="utf-8")
    for number in numbers:
        assert number in text, (number, text)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_drawing_object_has_save_as_a_method(case: str, tmp_path: Path) -> None:
    make, numbers = CASES[case]
    saved = make().save(tmp_path / f"{case}.png", size=(6, 4), dpi=50)
    with Image.open(saved.picture) as image:
        assert image.size == (300, 200)
    text = saved.description.read_text(encoding="utf-8")
    assert all(number in text for number in numbers), text


@pytest.mark.parametrize("case", sorted(CASES))
def test_svg_parses_as_xml_at_the_size(case: str, tmp_path: Path) -> None:
    make, numbers = CASES[case]
    saved = save(make(), tmp_path / f"{case}.svg", size=(12, 6))
    root = ET.parse(saved.picture).getroot()
    assert root.tag.endswith("svg")
    assert (root.get("width"), root.get("height")) == ("864pt", "432pt")  # 72 points per inch
    assert numbers[0] in saved.description.read_text(encoding="utf-8")


def test_the_figure_keeps_its_own_size_and_layout_after_saving(tmp_path: Path) -> None:
    drawing = volume()
    assert not isinstance(drawing, (KernelStackFigure,))
    fig = drawing.ax.figure
    before = (tuple(fig.get_size_inches()), drawing.plan, describe_drawing(drawing))
    save(drawing, tmp_path / "v.png", size=(5, 3))
    assert (tuple(fig.get_size_inches()), drawing.plan, describe_drawing(drawing)) == before


@pytest.mark.parametrize(
    ("info", "options"),
    [
        (nn.Conv2d(3, 8, 3, padding=1, stride=2).describe((3, 10, 8)), {"strides": 2, "padding": 1}),
        (
            nn.Conv2d(3, 8, 3, padding=(2, 1), dilation=2).describe((3, 12, 9)),
            {"padding": (2, 1), "dilation_rate": 2},
        ),
        (Conv2DTranspose(4, 3, strides=2).describe((5, 6, 3)), {}),
        (Conv2D(8, 3, data_format="channels_first").describe((8, 10, 8)), {}),
    ],
    ids=["padding-1-stride-2", "padding-2-1-dilated", "transposed", "channels-first"],
)
def test_a_volume_keeps_its_arguments_through_saving(
    info: LayerInfo, options: dict[str, Any], tmp_path: Path
) -> None:
    drawing = draw_conv_volume(plt.subplots(figsize=(10, 6))[1], info, **options)
    plan = drawing.plan
    save(drawing, tmp_path / "v.svg", size=(6, 4))
    assert drawing.plan == plan


def test_the_saved_picture_is_laid_out_for_the_saved_size(tmp_path: Path) -> None:
    # The kernel stack fits fewer kernels on a small figure: the description written at 5×3
    # is that of a drawing made at 5×3, not of the 16×9 one that was saved.
    small = draw_kernels(plt.subplots(figsize=(5, 3))[1], CONV2)
    big = draw_kernels(plt.subplots(figsize=(16, 9))[1], CONV2)
    assert describe_drawing(small) != describe_drawing(big)
    saved = save(big, tmp_path / "k.png", size=(5, 3))
    assert saved.description.read_text(encoding="utf-8") == describe_drawing(small)


def test_description_has_no_tick_labels_and_one_line_per_label() -> None:
    text = describe_drawing(channel_sum())
    labels = text.split("Labels:\n", 1)[1].splitlines()
    assert all(line.startswith("- ") for line in labels)
    assert "- sum of all 3 maps 26×26 at (12, 6) = 0.5781" in labels  # a two-line title, joined
    assert "- 0.0" not in labels and "- 20" not in labels  # no axis ticks


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"path": "k.pdf"}, r"path=.*k\.pdf.*\.svg or \.png"),
        ({"path": "k.png", "size": (10,)}, r"size.*\(10,\).*\(width, height\) in inches"),
        ({"path": "k.png", "size": (10, -6)}, r"size.*both positive"),
        ({"path": "k.png", "dpi": 0}, r"dpi.*0.*positive"),
    ],
)
def test_bad_arguments_are_config_errors(kwargs: dict[str, object], match: str, tmp_path: Path) -> None:
    kwargs = dict(kwargs)
    path = tmp_path / str(kwargs.pop("path"))
    with pytest.raises(ConfigError, match=match):
        save(kernels(), path, **kwargs)  # type: ignore[arg-type]
    assert not path.exists()


def test_the_fast_raster_path_is_unchanged_by_saving(tmp_path: Path) -> None:
    figure = KernelStackFigure(CONV2)
    before = figure.to_png()
    save(figure, tmp_path / "k.png", size=(5, 3), dpi=200)
    assert figure.to_png() == before and figure.figure.dpi == 100.0
    fresh = KernelStackFigure(CONV2)
    save(fresh, tmp_path / "k2.svg", size=(16, 9))  # before its sprites are cached
    assert fresh.to_png() == before
