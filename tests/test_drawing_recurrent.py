"""drawing.recurrent: the gates picture writes the true sizes, adds up to the count, updates in place."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from convwidget import ConfigError, nn
from convwidget import layers as L
from convwidget.drawing import draw_recurrent, plan_recurrent
from convwidget.info import Describable

# one layer-direction each, F ≠ U so a swapped size would show
ONE_COPY: list[tuple[Describable, tuple[int, ...]]] = [
    (L.LSTM(64), (100, 32)),  # 4·((32 + 64)·64 + 64) = 24,832
    (L.LSTM(5, use_bias=False), (7, 3)),  # 4·(3 + 5)·5 = 160
    (L.GRU(8), (5, 3)),  # reset_after: 3·((3 + 8)·8 + 2·8) = 312
    (L.GRU(8, reset_after=False), (5, 3)),  # 3·((3 + 8)·8 + 8) = 288
    (L.SimpleRNN(6), (4, 10)),  # (10 + 6)·6 + 6 = 102
    (nn.LSTM(32, 64), (100, 32)),  # 4·(32·64 + 64·64 + 64 + 64) = 25,088
    (nn.GRUCell(6, 5), (6,)),  # 3·(6·5 + 5·5 + 5 + 5) = 195
    (nn.RNN(3, 4, bias=False), (9, 3)),  # 3·4 + 4·4 = 28
]


@pytest.mark.parametrize(("layer", "shape"), ONE_COPY, ids=[repr(x) for x, _ in ONE_COPY])
def test_the_blocks_add_up_to_the_count(layer: Describable, shape: tuple[int, ...]) -> None:
    info = layer.describe(shape)
    plan = plan_recurrent(info)
    assert sum(math.prod(m.shape) for m in plan.matrices) == info.params
    # every block is labelled with its true size, input F×U, recurrent U×U
    f, u = shape[-1], next(m.shape[1] for m in plan.matrices if m.role == "recurrent")
    for m in plan.matrices:
        assert m.label == "×".join(map(str, m.shape))
        assert m.shape == {"input": (f, u), "recurrent": (u, u)}.get(m.role, (u,))
    assert any(info.terms.text in c.text for c in plan.captions)


def test_lstm_has_four_gates_and_names_its_stored_weights() -> None:
    plan = plan_recurrent(L.LSTM(64).describe((100, 32)))
    gates = sorted({m.gate for m in plan.matrices})
    assert gates == ["cell c", "forget f", "input i", "output o"]
    assert sorted(m.role for m in plan.matrices if m.gate == "forget f") == ["bias", "input", "recurrent"]
    texts = [c.text for c in plan.captions]
    assert (
        "= kernel (32, 256)" in texts and "= recurrent_kernel (64, 256)" in texts and "= bias (256,)" in texts
    )
    assert "each of the 4 gates: 32·64 + 64·64 + 64 = 6,208" in texts
    # a U×U block is drawn square and the 32×64 input one half as tall
    rec = next(m for m in plan.matrices if m.role == "recurrent")
    inp = next(m for m in plan.matrices if m.role == "input")
    assert rec.width == pytest.approx(rec.height) and inp.height == pytest.approx(rec.height / 2)


def test_pytorch_lstm_shows_both_biases_and_its_gate_names() -> None:
    plan = plan_recurrent(nn.LSTM(32, 64).describe((100, 32)))
    assert {m.role for m in plan.matrices} == {"input", "recurrent", "bias", "bias_hh"}
    texts = [c.text for c in plan.captions]
    assert "cell g" in texts and "= bias_hh_l0 (256,)" in texts
    assert "each of the 4 gates: 32·64 + 64·64 + 64 + 64 = 6,272" in texts
    gru = plan_recurrent(nn.GRU(3, 8).describe((5, 3)))
    # PyTorch stacks a GRU's gates r, z, n; Keras z, r, h
    order = list(dict.fromkeys(m.gate for m in gru.matrices))
    assert order == ["reset r", "update z", "new n"]
    keras = list(dict.fromkeys(m.gate for m in plan_recurrent(L.GRU(8).describe((5, 3))).matrices))
    assert keras == ["update z", "reset r", "candidate h"]


def test_stacked_and_bidirectional_layers_say_how_many_copies() -> None:
    info = nn.GRU(300, 16, num_layers=2, bidirectional=True).describe((7, 300))
    plan = plan_recurrent(info)
    # the first layer's forward direction: 3·(300·16 + 16·16 + 16 + 16) = 15,264 of 35,328
    assert sum(math.prod(m.shape) for m in plan.matrices) == 15_264
    assert any(c.text.startswith("one of 4 copies") for c in plan.captions)
    bi = plan_recurrent(L.Bidirectional(L.LSTM(8)).describe((5, 3)))
    assert any(c.text.startswith("one of 2 copies") for c in bi.captions)
    assert "= forward_lstm/kernel (3, 32)" in [c.text for c in bi.captions]


def test_draw_and_update_in_place() -> None:
    fig, ax = plt.subplots()
    try:
        gates = draw_recurrent(ax, L.LSTM(64).describe((100, 32)))
        blocks = gates.blocks
        assert len(blocks.get_paths()) == 12  # 4 gates × (input, recurrent, bias)
        assert {t.get_text() for t in gates.sizes} == {"32×64", "64×64", "64"}
        gates.update(nn.GRU(6, 5).describe((4, 6)))
        assert gates.blocks is blocks and len(blocks.get_paths()) == 12  # 3 gates × 4 rows
        visible = {t.get_text() for t in gates.sizes if t.get_visible()}
        assert visible == {"6×5", "5×5", "5"}
        gates.update(L.SimpleRNN(4).describe((3, 2)))
        assert len(blocks.get_paths()) == 3
        assert sum(t.get_visible() for t in gates.sizes) == 3
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_other_layers_are_refused() -> None:
    with pytest.raises(ConfigError, match="recurrent layers"):
        plan_recurrent(L.Conv2D(8, 3).describe((8, 8, 3)))
    with pytest.raises(ConfigError, match="recurrent layers"):
        plan_recurrent(L.MultiHeadAttention(2, 4).describe((5, 8)))


LAYOUT_SIZES = [(5, 3), (10, 6), (16, 9)]


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=[f"{w}x{h}" for w, h in LAYOUT_SIZES])
@pytest.mark.parametrize(
    ("layer", "shape"),
    [
        (L.LSTM(64), (100, 32)),
        (nn.LSTM(32, 64), (100, 32)),
        (L.GRU(8), (5, 3)),
        (nn.GRU(300, 16, num_layers=2, bidirectional=True), (7, 300)),
        (L.SimpleRNN(6), (4, 10)),
    ],
    ids=["lstm", "torch-lstm", "gru", "torch-gru-stacked", "simple-rnn"],
)
def test_gates_fit_the_figure(layer: Describable, shape: tuple[int, ...], size: tuple[int, int]) -> None:
    # the same check as every other drawing (tests/test_drawing_layout.py): no label clipped or overlapping
    from matplotlib.figure import Figure

    from tests.test_drawing_layout import problems

    fig = Figure(figsize=size, dpi=100)
    draw_recurrent(fig.add_axes((0, 0, 1, 1)), layer.describe(shape))
    assert problems(fig) == []
