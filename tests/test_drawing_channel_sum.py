"""The channel sum on the learner's own arrays (issue #15 item 5): shapes read in the layer's layout."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from convwidget import ConfigError, nn
from convwidget.drawing import channel_sum, draw_channel_sum
from convwidget.layers import Conv2D


def test_own_input_and_kernel_channels_last_by_hand() -> None:
    info = Conv2D(1, 2).describe((3, 3, 2))
    x = np.zeros((3, 3, 2))  # rows × cols × C, as the layer is channels-last
    x[:, :, 0] = np.arange(9).reshape(3, 3)  # channel 0: 0..8
    x[:, :, 1] = 1.0  # channel 1: all ones
    w = np.zeros((2, 2, 2))  # Fh × Fw × C
    w[0, 0, 0] = 1.0  # picks channel 0's top-left of each window
    w[1, 1, 1] = 2.0  # and twice channel 1's bottom-right
    res = channel_sum(info, inputs=x, weights=w, bias=0.25)
    # maps[0] = x0[r, c]: [[0, 1], [3, 4]]; maps[1] = 2 everywhere; output = sum + 0.25.
    assert np.array_equal(res.maps[0], [[0, 1], [3, 4]]) and np.array_equal(res.maps[1], np.full((2, 2), 2.0))
    assert np.array_equal(res.output, [[2.25, 3.25], [5.25, 6.25]])
    assert res.position == (1, 1)  # where |sum| is largest
    assert res.weights.shape == (2, 2, 2) and res.weights[1, 1, 1] == 2.0


def test_channels_first_layer_reads_c_first_arrays() -> None:
    info = nn.Conv2d(2, 1, 2).describe((2, 3, 3))
    x = np.stack([np.arange(9.0).reshape(3, 3), np.ones((3, 3))])  # C × rows × cols
    w = np.zeros((2, 2, 2))
    w[0, 0, 0], w[1, 1, 1] = 1.0, 2.0  # C × Fh × Fw
    res = channel_sum(info, inputs=x, weights=w, bias=0.25)
    assert np.array_equal(res.output, [[2.25, 3.25], [5.25, 6.25]])


def test_own_input_with_demonstration_weights_and_2d_arrays() -> None:
    info = Conv2D(4, 3).describe((6, 6, 1))
    x = np.eye(6)
    res = channel_sum(info, inputs=x, kernel=2)
    assert res.inputs.shape == (1, 6, 6) and res.maps.shape == (1, 4, 4) and res.bias == 0.1
    # The demonstration weights of kernel 3 are the same with or without one's own input.
    assert np.array_equal(res.weights, channel_sum(info, kernel=2).weights)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"inputs": np.zeros((5, 5, 3))}, r"inputs=\(5, 5, 3\) is invalid; one kernel of this layer spans 2"),
        ({"inputs": np.zeros((1, 5, 2))}, r"at least the kernel's 3×3"),
        ({"weights": np.zeros((2, 2, 2))}, r"weights=\(2, 2, 2\) is invalid; the layer's kernel is 3×3"),
        ({"inputs": np.zeros(5)}, r"2-D array \(one channel\) or 3-D \(rows×cols×C\)"),
        ({"inputs": np.full((4, 4, 2), np.nan)}, "finite"),
    ],
)
def test_wrong_own_arrays_say_what_fits(kwargs: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        channel_sum(Conv2D(1, 3).describe((5, 5, 2)), **kwargs)


def test_a_bias_for_a_layer_without_one_is_refused() -> None:
    with pytest.raises(ConfigError, match="no bias"):
        channel_sum(Conv2D(1, 3, use_bias=False).describe((5, 5, 1)), bias=1.0)


def test_figure_shows_own_numbers_and_updates() -> None:
    info = Conv2D(1, 3).describe((5, 5, 1))
    x = np.arange(25.0).reshape(5, 5)
    k = np.zeros((3, 3))
    k[1, 1] = 1.0
    cs = draw_channel_sum(Figure(figsize=(10, 5)), info, inputs=x, weights=k, bias=0.5)
    # The centre of the window at the largest output, (2, 2): x[3, 3] = 18, + 0.5.
    assert cs.result.position == (2, 2)
    assert cs.out_title.get_text().endswith("= 18.5000")
    printed = [t.get_text() for t in cs.rows[0]["numbers"] if t.get_visible()]
    assert printed == ["0.00"] * 4 + ["1.00"] + ["0.00"] * 4
    cs.update(info, digit=3)
    assert cs.result.inputs.shape == (1, 5, 5) and cs.result.bias == 0.1
