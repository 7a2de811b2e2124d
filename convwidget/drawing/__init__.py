"""Pictures of why a layer has the parameters it has (matplotlib only, no ipywidgets).

Every ``draw_*`` function takes an Axes (or a Figure) and a layer's
``describe`` result (or plain numbers), draws, and returns an object holding
its artists whose ``update(...)`` takes the same kind of argument and changes
those artists in place (``set_verts``, ``set_facecolor``, ``set_text``…)
instead of clearing and re-plotting:

- :func:`draw_kernels` — the Cout kernels as F×F×Cin blocks, as deep as their input channels
  (to scale up to 8, compressed beyond, the true number on the depth edge), faces growing with F;
  Dense as a weight matrix and bias row, normalisations as γ/β (and hatched moving statistics),
  Embedding as a table — never a "kernel" for a layer without one;
- :func:`draw_conv_volume` — input volume, one kernel as a box through all its channels, the one
  number it makes, the column of Cout values, and the same kernel at the other positions;
- :func:`draw_channel_sum` — one kernel on a real MNIST digit (or your own arrays): Cin
  correlations, their sum, the bias;
- :func:`draw_misconception` — what a wrong guess counted next to what is really there.

Every drawing lays itself out for the Axes (or Figure) it is given, from 5×3 to
16×9 inches, so no label leaves the figure or runs into another (canvas units
of 1/100 inch, text measured from the font: :mod:`convwidget.drawing._layout`).

Bounded cost: however large the layer, at most ``MAX_KERNELS`` kernels per
row, 6 + ``STRIPES`` + 1 slices per kernel and ``MAX_CELLS`` grid cells per
side are drawn, and the figure says what was left out ("… 59 more kernels not
drawn"); the numbers in labels are always the layer's true counts, taken from the core.

Two paths, one picture
----------------------
:class:`KernelStackFigure` owns a Figure with the kernel stack and offers two
ways to get it out:

1. *Vector*: ``figure`` holds real matplotlib artists (PolyCollections, a
   LineCollection, Texts), updated in place on every ``update``; ``savefig``
   to SVG, PDF or PNG, and static notebooks, use them.
2. *Fast raster*: ``to_png()`` never re-renders the whole figure. Each *kind*
   of block (a :class:`BlockSpec`: grid, slice colours, bias) and each label
   (keyed by how it looks: text, font, colour, alignment, box; its anchor snapped to a
   whole pixel, so a label that only moved is reused) is rendered **once by matplotlib's own Agg
   renderer, from the same artists and style as path 1**, into a cached RGBA
   sprite; a frame is then the cached background plus those sprites
   composited with numpy at whole-pixel offsets, encoded once (PNG, zlib level 1, by :func:`encode_png`).

They stay consistent because both are produced from one :class:`KernelPlan`
(pure data computed from the LayerInfo) and one set of geometry and colour
functions (:func:`block_polygons`, :func:`block_colors`); the canvas is laid
out in pixel units with blocks at integer positions, so moving a sprite by
whole pixels is exactly what Agg would draw. ``tests/test_drawing_kernels.py``
compares ``to_rgb()`` with ``render_reference()`` (a full ``canvas.draw()``)
pixel by pixel, with a small tolerance for anti-aliased edges.

Modules
-------
- ``blocks`` — the canvas, the bounds and one isometric block's faces and colours (shared by all views);
- ``kernel_plan`` — :func:`plan_kernels`: what a kernel stack shows, as data;
- ``weights_plan`` — the plans of Dense, normalisation and Embedding layers;
- ``kernels`` — :class:`KernelStack`: that plan as matplotlib artists;
- ``raster`` — :class:`KernelStackFigure`: the same artists as cached sprites, and :func:`encode_png`;
- ``volume_plan`` — :func:`plan_volume`: the convolution volume's arithmetic (transposed included);
- ``volume``, ``channel_sum``, ``misconception`` — the other three views;
- ``_layout`` — canvas units, text widths, fitting and wrapping lines;
- ``_spec`` — a LayerInfo or plain numbers in, the layer's kernels and planes out;
- ``_style`` — colours, fonts and text boxes.

Every view reads heights, widths and channels through ``LayerInfo.layout`` and
dispatches on the layer's :class:`~convwidget.enums.Family`, never on its name.
"""

from __future__ import annotations

from ._style import OKABE_ITO, channel_color
from .blocks import (
    CANVAS,
    MAX_CELLS,
    MAX_KERNELS,
    MAX_SLICES,
    STRIPES,
    BlockSpec,
    block_colors,
    block_polygons,
    depth_units,
    face_length,
)
from .channel_sum import MAX_ROWS, ChannelSum, ChannelSumFigure, channel_sum, draw_channel_sum
from .kernel_plan import KernelPlan, plan_kernels
from .kernels import KernelStack, draw_kernels
from .misconception import Misconception, draw_misconception
from .raster import KernelStackFigure, encode_png
from .recurrent import GatesPlan as GatesPlan  # the gates of a recurrent layer (issue #17)
from .recurrent import RecurrentGates as RecurrentGates
from .recurrent import draw_recurrent as draw_recurrent
from .recurrent import plan_recurrent as plan_recurrent
from .save import save as save  # any drawing to SVG/PNG at a chosen size, with a .txt description (#19)
from .volume import MAX_GRID, ConvVolume, VolumePlan, draw_conv_volume, plan_volume

__all__ = [
    "CANVAS",
    "MAX_CELLS",
    "MAX_GRID",
    "MAX_KERNELS",
    "MAX_ROWS",
    "MAX_SLICES",
    "OKABE_ITO",
    "STRIPES",
    "BlockSpec",
    "ChannelSum",
    "ChannelSumFigure",
    "ConvVolume",
    "KernelPlan",
    "KernelStack",
    "KernelStackFigure",
    "Misconception",
    "VolumePlan",
    "block_colors",
    "block_polygons",
    "channel_color",
    "channel_sum",
    "depth_units",
    "draw_channel_sum",
    "draw_conv_volume",
    "draw_kernels",
    "draw_misconception",
    "encode_png",
    "face_length",
    "plan_kernels",
    "plan_volume",
]
