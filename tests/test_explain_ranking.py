"""'Likeliest first' in an ambiguous list (issue #16): small, square, odd kernels and usual channel counts
come first, and the true configuration is always still listed.

A first layer whose input the paste does not print fits many configurations (only the count and the
output channels are facts): each case below is a real model's first layer (counts checked by hand:
(k·k·Cin + 1)·Cout), and its own configuration must head the list.
"""

from __future__ import annotations

import pytest

from convwidget import explain_summary
from convwidget.reading.finder import input_channel_penalty, kernel_penalty


def _first_layer(out_shape: str, count: int) -> str:
    return (
        'Model: "m"\n Layer (type)        Output Shape          Param #\n'
        "==================================================\n"
        f" conv2d (Conv2D)     {out_shape}     {count}\n"
        "==================================================\n"
        f"Total params: {count}\n"
    )


@pytest.mark.parametrize(
    ("out_shape", "count", "code", "formula"),
    [
        # (3·5·8 + 1)·4: before, a (3, 40) kernel on 1 channel (and (5, 24), (8, 15)) ranked first.
        ("(None, 26, 24, 4)", 484, "Conv2D(4, (3, 5))", "(3·5·8 + 1)·4 = 484"),
        ("(None, 30, 30, 16)", 2320, "Conv2D(16, 3)", "(3·3·16 + 1)·16 = 2,320"),  # not 1×1 on 144
        ("(None, 28, 28, 6)", 156, "Conv2D(6, 5)", "(5·5·1 + 1)·6 = 156"),  # LeNet
        ("(None, 112, 112, 64)", 9472, "Conv2D(64, 7)", "(7·7·3 + 1)·64 = 9,472"),  # a ResNet stem
        ("(None, 54, 54, 96)", 34944, "Conv2D(96, 11)", "(11·11·3 + 1)·96 = 34,944"),  # AlexNet's
    ],
)
def test_the_usual_configuration_of_a_first_layer_comes_first(out_shape, count, code, formula):
    row = explain_summary(_first_layer(out_shape, count)).row("conv2d")
    assert row.status == "ambiguous"  # the input is not printed: honestly more than one reading
    assert row.best.layer == code and row.formula == formula


def test_large_kernels_on_one_channel_come_after_small_ones_on_a_usual_width():
    row = explain_summary(_first_layer("(None, 26, 24, 4)", 484)).row("conv2d")
    order = [c.terms.expression for c in row.candidates]
    small = order.index("(3·5·8 + 1)·4")
    for large in ("(3·40·1 + 1)·4", "(8·15·1 + 1)·4", "(5·24·1 + 1)·4"):
        assert small < order.index(large)  # still listed: the paste cannot rule them out


def test_kernel_points_grow_with_size_shape_and_evenness():
    assert kernel_penalty((3, 3)) == kernel_penalty((5, 5)) == 0
    assert 0 < kernel_penalty((7, 7)) < kernel_penalty((11, 11)) < kernel_penalty((11, 16))
    assert kernel_penalty((3, 5)) < kernel_penalty((3, 40))
    assert kernel_penalty((3, 3)) < kernel_penalty((3, 5)) < kernel_penalty((2, 2))
    assert kernel_penalty((3,)) == 0 and kernel_penalty((3, 3, 3)) == 0


def test_unprinted_input_channels_gray_and_rgb_first_then_usual_widths():
    assert input_channel_penalty(1) == input_channel_penalty(3) == 0
    assert {input_channel_penalty(c) for c in (2, 4, 8, 16, 24, 64, 512)} == {1}
    assert {input_channel_penalty(c) for c in (5, 7, 30, 121)} == {3}
