"""Save any drawing as SVG or PNG at a chosen size, with a text description of it alongside.

For slides and handouts: ``save(draw_kernels(ax, info), "conv2.png", size=(10, 6), dpi=150)``
writes ``conv2.png`` (1500×900 pixels) and ``conv2.txt``: what the picture shows, the layer's
formula and counts, and every label it prints, so a handout keeps the numbers in text (for
screen readers, search and copy-paste) and a slide tool can use it as alt text.

The drawings lay themselves out for the size of their Axes when they update, so a drawing
whose state is public is laid out again at the saved size and then back at its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, Union

from matplotlib.figure import Figure, SubFigure
from matplotlib.text import Text

from .._checks import fail
from ..info import LayerInfo
from .channel_sum import ChannelSumFigure
from .kernels import KernelStack
from .misconception import Misconception
from .raster import KernelStackFigure
from .recurrent import RecurrentGates
from .volume import ConvVolume

__all__ = ["Drawing", "Saved", "describe_drawing", "save"]

Drawing = Union[KernelStack, KernelStackFigure, ConvVolume, ChannelSumFigure, Misconception, RecurrentGates]
"""What the ``draw_*`` functions return (and :class:`KernelStackFigure`)."""

_SUFFIXES = (".svg", ".png")
_TITLES: dict[type, str] = {
    KernelStack: "The layer's weights (kernel stack)",
    KernelStackFigure: "The layer's weights (kernel stack)",
    ConvVolume: "One kernel sliding over the input volume",
    ChannelSumFigure: "One kernel applied channel by channel, the maps summed, the bias added",
    Misconception: "A wrong count next to what is really there",
    RecurrentGates: "The gates of a recurrent layer",
}


class Saved(NamedTuple):
    """The files :func:`save` wrote: the picture and its text description."""

    picture: Path
    description: Path


def _figure(drawing: Drawing) -> Figure:
    if isinstance(drawing, (KernelStackFigure, ChannelSumFigure)):
        return drawing.figure
    fig = drawing.ax.figure
    # A drawing on a subfigure is saved with the whole figure it belongs to.
    root = fig.figure if isinstance(fig, SubFigure) else fig
    assert isinstance(root, Figure)
    return root


def _info(drawing: Drawing) -> LayerInfo | None:
    if isinstance(drawing, Misconception):
        return drawing.diagnosis.info
    if isinstance(drawing, RecurrentGates):
        return None  # it keeps its plan only; its captions carry the counts
    return drawing.info


def _relayout(drawing: Drawing) -> bool:
    """Lay the drawing out again for its figure's current size; False if its state is not public."""
    if isinstance(drawing, (KernelStack, KernelStackFigure)):
        drawing.update(drawing.info)
    elif isinstance(drawing, Misconception):
        drawing.update(drawing.diagnosis)
    elif isinstance(drawing, ConvVolume):
        p = drawing.plan
        if p.inferred:
            drawing.update(drawing.info, position=p.position)
        else:
            (top, _), (left, _) = p.pad
            # The plan keeps the cells, not how they were given: one number when the sides agree
            # (padding=1, as PyTorch writes it), else (rows, columns).
            cells = top if top == left else (top, left)
            padding = p.padding_name if p.padding_name in ("valid", "same") else cells
            drawing.update(
                drawing.info,
                strides=p.strides,
                padding=padding,
                dilation_rate=p.dilation,
                position=p.position,
            )
    else:
        # ChannelSumFigure keeps no kernel index, RecurrentGates no LayerInfo: saved as drawn.
        return False
    return True


def _labels(fig: Figure) -> list[str]:
    """Every visible label of the figure, in drawing order, once each (tick labels left out)."""
    axis_texts = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for t in axis.findobj(Text)}
    seen: list[str] = []
    for t in fig.findobj(Text):
        assert isinstance(t, Text)
        text = " ".join(t.get_text().split())  # a label wrapped over lines reads as one line
        if text and t.get_visible() and id(t) not in axis_texts and text not in seen:
            seen.append(text)
    return seen


def describe_drawing(drawing: Drawing) -> str:
    """A drawing in words: what it shows, the layer and its formula, and every label it prints.

    Parameters
    ----------
    drawing : Drawing
        What a ``draw_*`` function returned.

    Returns
    -------
    str
        Lines of plain text, ending with a newline, e.g. ``Parameters: (3·3·32 + 1)·63 = 18,207``.
    """
    lines = [_TITLES[type(drawing)]]
    info = _info(drawing)
    if info is not None:
        name = f"{info.name} ({info.layer_type})" if info.name else info.layer_type
        lines.append(f"Layer: {name}, input {info.input_shape} -> output {info.output_shape}")
        lines.append(f"Parameters: {info.terms.text}")
    if isinstance(drawing, Misconception):
        d = drawing.diagnosis
        guessed = d.guess_formula.text if d.guess_formula is not None else f"{d.guess:,}"
        lines.append(f"Guess: {guessed}" + ("" if d.correct else f" (the layer has {d.expected:,})"))
    lines.append("Labels:")
    lines += [f"- {label}" for label in _labels(_figure(drawing))]
    return "\n".join(lines) + "\n"


def _size_arg(size: Sequence[float] | None) -> tuple[float, float] | None:
    if size is None:
        return None
    ok = (
        isinstance(size, Sequence)
        and len(size) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in size)
    )
    if not ok:
        raise fail("save", "size", size, "it must be (width, height) in inches, both positive, e.g. (10, 6)")
    return float(size[0]), float(size[1])


def save(
    drawing: Drawing, path: str | Path, size: Sequence[float] | None = None, dpi: float = 100.0
) -> Saved:
    """Write a drawing to SVG or PNG (by the path's suffix) and its description to a ``.txt`` beside it.

    Parameters
    ----------
    drawing : Drawing
        What :func:`draw_kernels`, :func:`draw_conv_volume`, :func:`draw_channel_sum`,
        :func:`draw_misconception` or :func:`draw_recurrent` returned (or a :class:`KernelStackFigure`).
    path : str or Path
        Ends in ``.svg`` or ``.png``; the description goes to the same path with ``.txt``.
    size : (float, float), optional
        Width and height in inches (default: the figure's own). The drawing is laid out for
        this size (where its state is public: kernel stacks, volumes, misconceptions), saved,
        and laid out again for its own size.
    dpi : float
        Pixels per inch of a PNG (a PNG is ``size × dpi`` pixels); an SVG stays vector.

    Returns
    -------
    Saved
        The picture's and the description's paths.

    Raises
    ------
    ConfigError
        For another suffix, a size that is not two positive numbers or a dpi that is not positive.
    """
    target = Path(path)
    if target.suffix.lower() not in _SUFFIXES:
        raise fail("save", "path", str(path), "it must end in .svg or .png", "name the file e.g. 'conv2.png'")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or dpi <= 0:
        raise fail("save", "dpi", dpi, "it must be a positive number of pixels per inch, e.g. 150")
    wanted = _size_arg(size)
    fig = _figure(drawing)
    own = (float(fig.get_size_inches()[0]), float(fig.get_size_inches()[1]))
    resized = wanted is not None and wanted != own
    if wanted is not None and resized:
        fig.set_size_inches(wanted, forward=False)
        _relayout(drawing)
    try:
        fig.savefig(target, format=target.suffix[1:].lower(), dpi=dpi, facecolor="white")
        description = target.with_suffix(".txt")
        description.write_text(describe_drawing(drawing), encoding="utf-8")
    finally:
        if resized:
            fig.set_size_inches(own, forward=False)
            _relayout(drawing)
    return Saved(target, description)
