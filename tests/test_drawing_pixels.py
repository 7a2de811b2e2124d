"""With every label hidden, the kernel stack's pixels change at every step of Cin and of F.

The issue's learner error is "3·3, not 3·3·32": the block's depth is what they
must see grow. Drawn by ``draw_kernels`` on a 10×6-inch, 100-dpi figure, the
picture of ``Conv2D(63, (F, F))`` must differ in at least 0.3 % of its pixels
between neighbouring steps, so a picture that stops growing (as at 8 slices
before) fails here.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from convwidget.drawing import draw_kernels
from convwidget.layers import Conv2D

CIN_STEPS = [1, 2, 3, 4, 8, 32, 512]
F_STEPS = [1, 3, 5, 11]
MIN_CHANGED = 0.003


def pixels_without_labels(f: int, cin: int) -> np.ndarray:
    fig = Figure(figsize=(10, 6), dpi=100)
    canvas = FigureCanvasAgg(fig)
    stack = draw_kernels(fig.add_axes((0, 0, 1, 1)), Conv2D(63, (f, f)).describe((f, f, cin)))
    for t in stack.texts.values():
        t.set_visible(False)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


def changed(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.any(a != b, axis=2).mean())


@pytest.mark.parametrize(("a", "b"), list(itertools.pairwise(CIN_STEPS)))
def test_each_step_of_cin_changes_the_picture(a: int, b: int) -> None:
    assert changed(pixels_without_labels(3, a), pixels_without_labels(3, b)) >= MIN_CHANGED


@pytest.mark.parametrize("cin", [1, 32])
@pytest.mark.parametrize(("a", "b"), list(itertools.pairwise(F_STEPS)))
def test_each_step_of_f_changes_the_picture(a: int, b: int, cin: int) -> None:
    assert changed(pixels_without_labels(a, cin), pixels_without_labels(b, cin)) >= MIN_CHANGED


def test_the_check_would_catch_a_block_that_stops_growing() -> None:
    # The same picture twice changes in no pixel: the threshold is not met by noise.
    assert changed(pixels_without_labels(3, 32), pixels_without_labels(3, 32)) == 0.0
