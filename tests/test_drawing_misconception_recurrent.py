"""The misconception view of a recurrent layer draws what the guess counted and the gates really there.

A picture of the guess is drawn only when what it shows adds up to the guessed number; every
expected count here is the hand-checked LSTM arithmetic of notebook 06.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from convwidget import nn
from convwidget.diagnose import diagnose
from convwidget.drawing import draw_misconception
from convwidget.drawing.recurrent import GatesPlan
from convwidget.layers import LSTM, Conv2D


def _weights(plan: GatesPlan) -> int:
    return sum(int(np.prod(m.shape)) for m in plan.matrices)


def _draw(guess: int, layer: object) -> object:
    return draw_misconception(
        Figure(figsize=(10, 6)).add_axes((0, 0, 1, 1)), diagnose(guess, layer, (200, 32))
    )


def test_one_weight_set_is_drawn_as_one_gate_beside_the_four_gates() -> None:
    m = _draw(6208, LSTM(64))  # (32 + 64)·64 + 64: one gate's input, recurrent weights and biases
    left, right = m.gates["left"], m.gates["right"]
    assert {x.gate for x in left.matrices} == {"state"}
    assert sorted(x.shape for x in left.matrices) == [(32, 64), (64,), (64, 64)]
    assert _weights(left) == 6208
    assert len({x.gate for x in right.matrices}) == 4 and _weights(right) == 24832


def test_torch_one_gate_has_both_biases() -> None:
    m = _draw(6272, nn.LSTM(32, 64))  # 32·64 + 64·64 + 64 + 64
    assert _weights(m.gates["left"]) == 6272 and _weights(m.gates["right"]) == 25088


def test_a_guess_that_is_a_dense_layer_is_drawn_as_one() -> None:
    m = _draw(2112, LSTM(64))  # 32·64 + 64: the input weights and biases of one gate
    assert set(m.gates) == {"right"} and len(m.panels.get_paths()) > 0


def test_no_picture_for_a_guess_no_drawing_adds_up_to() -> None:
    # 4·(32·64 + 64) = 8,448 left out the recurrent weights: no one-gate or Dense picture counts 8,448,
    # so the left side keeps the words (it used to show a 32×64 Dense picture of 2,112).
    m = _draw(8448, LSTM(64))
    assert m.diagnosis.guess_formula is not None and m.diagnosis.guess_formula.total == 8448
    assert set(m.gates) == {"right"} and len(m.panels.get_paths()) == 0
    assert m.texts["left_formula"].get_text().endswith("= 8,448")


def test_update_hides_the_gates_for_a_convolution_and_shows_them_again() -> None:
    m = _draw(6208, LSTM(64))
    m.update(diagnose(630, Conv2D(63, 3), (26, 26, 32)))
    assert m.gates == {}
    m.update(diagnose(24832, LSTM(64), (200, 32)))
    assert set(m.gates) == {"left", "right"} and len(m.ax.figure.axes) == 3  # the same two insets, reused
