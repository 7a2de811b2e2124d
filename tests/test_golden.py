"""Printed formulas and diagnosis sentences are public interface: pinned by golden files.

Each number in ``tests/golden/*.out`` was checked by hand once (the arithmetic is
in the comments of ``CASES`` and ``GUESSES``). A deliberate change is made with
``pytest tests/test_golden.py --regen-golden``, reviewed in the diff and noted
in CHANGELOG.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from convwidget import LayerInfo, diagnose, layers, nn
from convwidget.info import Describable

GOLDEN = Path(__file__).resolve().parent / "golden"

CASES: list[tuple[str, Callable[[], LayerInfo]]] = [
    # (3·3·1 + 1)·32 = 10·32 = 320
    ("Conv2D(32, 3) on (28, 28, 1)", lambda: layers.Conv2D(32, 3).describe((28, 28, 1))),
    # 9·32 = 288; 289·63 = 18,207
    ("Conv2D(63, 3) on (26, 26, 32)", lambda: layers.Conv2D(63, 3).describe((26, 26, 32))),
    # 288·63 = 18,144
    ("Conv2D(63, 3, use_bias=False)", lambda: layers.Conv2D(63, 3, use_bias=False).describe((26, 26, 32))),
    # 9·8 = 72; 73·64 = 4,672
    (
        "Conv2D(64, 3, groups=4) on (10, 10, 32)",
        lambda: layers.Conv2D(64, 3, groups=4).describe((10, 10, 32)),
    ),
    # 363 + 1 = 364; 364·96 = 34,944
    ("AlexNet Conv2D(96, 11, strides=4)", lambda: layers.Conv2D(96, 11, strides=4).describe((227, 227, 3))),
    # 9073·128 = 1,161,344
    ("Dense(128) on (9072,)", lambda: layers.Dense(128).describe((9072,))),
    # 129·10 = 1,290
    ("Dense(10) on (128,)", lambda: layers.Dense(10).describe((128,))),
    # 10·32·1 = 320
    ("DepthwiseConv2D(3) on (24, 24, 32)", lambda: layers.DepthwiseConv2D(3).describe((24, 24, 32))),
    # 288 + 33·64 = 288 + 2,112 = 2,400
    ("SeparableConv2D(64, 3) on (24, 24, 32)", lambda: layers.SeparableConv2D(64, 3).describe((24, 24, 32))),
    # 9·63 = 567; 568·16 = 9,088
    (
        "Conv2DTranspose(16, 3) on (12, 12, 63)",
        lambda: layers.Conv2DTranspose(16, 3, strides=2, padding="same").describe((12, 12, 63)),
    ),
    # 4·63 = 252
    ("BatchNormalization on (24, 24, 63)", lambda: layers.BatchNormalization().describe((24, 24, 63))),
    # 1000·64 = 64,000
    ("Embedding(1000, 64)", lambda: layers.Embedding(1000, 64).describe((20,))),
    # PyTorch: 289·63 = 18,207
    ("nn.Conv2d(32, 63, 3)", lambda: nn.Conv2d(32, 63, 3).describe((32, 26, 26))),
    # PyTorch BatchNorm: 2·64 = 128 parameters
    ("nn.BatchNorm2d(64)", lambda: nn.BatchNorm2d(64).describe((64, 8, 8))),
]

GUESSES = [
    # right: 18,207
    18207,
    # (3·3 + 1)·63 = 630: input channels forgotten
    630,
    # 3·3·32·63 = 18,144: bias forgotten
    18144,
    # (3·3 + 1)·32·63 = 20,160: a bias per input channel
    20160,
    # (3·3·63 + 1)·32 = 568·32 = 18,176: Cin and Cout swapped
    18176,
    # (24·24·32 + 1)·63 = 18,433·63 = 1,161,279: output size used for the kernel
    1161279,
    # matches nothing: gets the formula as a hint
    12345,
]


def _formulas() -> str:
    lines = []
    for label, build in CASES:
        terms = build().terms
        lines += [
            f"{label}",
            f"  text:     {terms.text}",
            f"  symbolic: {terms.symbolic}",
            f"  latex:    {terms.latex}",
        ]
    return "\n".join(lines) + "\n"


# The sequence layers' named mistakes (issue #17): (label, layer, input shape, guess).
SEQ_GUESSES: list[tuple[str, Callable[[], Describable], tuple[int, ...], int]] = [
    # right 4·((32 + 64)·64 + 64) = 24,832; one gate (32 + 64)·64 + 64 = 6,208
    ("LSTM(64) on (100, 32)", lambda: layers.LSTM(64), (100, 32), 6208),
    # 32·64 + 64 = 2,112: the LSTM counted as a Dense layer
    ("LSTM(64) on (100, 32)", lambda: layers.LSTM(64), (100, 32), 2112),
    # 4·(32·64 + 64) = 8,448: the recurrent weights forgotten
    ("LSTM(64) on (100, 32)", lambda: layers.LSTM(64), (100, 32), 8448),
    # 3·((32 + 64)·64 + 64) = 18,624: one bias per gate instead of reset_after's two (18,816)
    ("GRU(64) on (100, 32)", lambda: layers.GRU(64), (100, 32), 18624),
    # 4·(32·64 + 64·64 + 64) = 24,832: PyTorch's second bias forgotten (25,088)
    ("nn.LSTM(32, 64) on (100, 32)", lambda: nn.LSTM(32, 64), (100, 32), 24832),
    # one direction of 2·24,832 = 49,664
    ("Bidirectional(LSTM(64))", lambda: layers.Bidirectional(layers.LSTM(64)), (100, 32), 24832),
    # 2·25,088 = 50,176: both layers on the 32 inputs (right: 25,088 + 33,280 = 58,368)
    ("nn.LSTM(32, 64, num_layers=2)", lambda: nn.LSTM(32, 64, num_layers=2), (100, 32), 50176),
    # (64 + 1)·64 = 4,160: one projection of 4·4,160 = 16,640
    ("nn.MultiheadAttention(64, 4)", lambda: nn.MultiheadAttention(64, 4), (10, 64), 4160),
    # 10,000 + 128 = 10,128 instead of 10,000·128 = 1,280,000
    ("Embedding(10000, 128)", lambda: layers.Embedding(10000, 128), (200,), 10128),
]


def _diagnoses() -> str:
    layer = layers.Conv2D(63, (3, 3))
    lines = [f"{guess}: {diagnose(guess, layer, (26, 26, 32))}" for guess in GUESSES]
    lines += [
        f"{label}, {guess}: {diagnose(guess, build(), shape)}" for label, build, shape, guess in SEQ_GUESSES
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("name", "render"), [("formulas.out", _formulas), ("diagnoses.out", _diagnoses)])
def test_golden(name: str, render: Callable[[], str], request: pytest.FixtureRequest) -> None:
    path = GOLDEN / name
    text = render()
    if request.config.getoption("--regen-golden"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text
