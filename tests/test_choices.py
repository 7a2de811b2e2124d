"""choices(): the right count and distractors that named mistakes produce, never a made-up number.

The property test re-derives every distractor from its mistake with formulas written out here by hand,
independently of diagnose's formula objects.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convwidget
from convwidget import ConfigError, diagnose, nn
from convwidget.diagnose import MISTAKES, mistakes
from convwidget.grading import COMMONNESS, Choice, choices
from convwidget.layers import (
    LSTM,
    BatchNormalization,
    Conv2D,
    Dense,
    DepthwiseConv2D,
    Embedding,
    MaxPooling2D,
)

SEED = Conv2D(63, (3, 3), activation="relu")
SEED_IN = (26, 26, 32)


def test_seed_layer_options_include_the_count_and_630() -> None:
    options = choices(SEED, SEED_IN)
    values = [c.value for c in options]
    assert 18207 in values and 630 in values
    # the three most common mistakes: forgot Cin (630 = (3·3 + 1)·63), forgot the bias
    # (18,144 = 3·3·32·63), Cin and Cout swapped (18,176 = (3·3·63 + 1)·32); by value without a seed
    assert values == [630, 18144, 18176, 18207]
    assert [c.mistake for c in options] == ["forgot_input_channels", "forgot_bias", "swapped_channels", None]
    assert [c.correct for c in options] == [False, False, False, True]
    assert options[3].feedback == "18,207 is right: (3·3·32 + 1)·63 = 18,207."
    assert options[0].feedback.startswith("630 = (3·3 + 1)·63: each of the 63 kernels also spans")


def test_package_root_exports_choices_without_drawing_or_widgets() -> None:
    assert convwidget.choices is choices and convwidget.Choice is Choice
    code = (
        "import sys, convwidget; convwidget.choices; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_choice_is_a_frozen_dataclass() -> None:
    option = choices(SEED, SEED_IN)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        option.value = 1  # type: ignore[misc]


def test_every_mistake_is_ranked_once() -> None:
    assert len(COMMONNESS) == len(set(COMMONNESS))
    assert set(COMMONNESS) == set(MISTAKES)


def test_seed_shuffles_only_the_order() -> None:
    plain = choices(SEED, SEED_IN, n=6)
    orders = {tuple(c.value for c in choices(SEED, SEED_IN, n=6, seed=s)) for s in range(20)}
    assert len(orders) > 1, "the seed never changes the order"
    assert all(sorted(order) == [c.value for c in plain] for order in orders)
    assert choices(SEED, SEED_IN, n=6, seed=3) == choices(SEED, SEED_IN, n=6, seed=3)


def test_n_is_checked_against_the_named_mistakes() -> None:
    # Dense has three: no bias (1280), swapped (1408), one unit (129)
    assert len(choices(Dense(10), (128,), n=4)) == 4
    with pytest.raises(ConfigError, match=r"choices: n=5 is invalid; .* so n can be at most 4"):
        choices(Dense(10), (128,), n=5)
    with pytest.raises(ConfigError, match="n can be at most 1"):
        choices(MaxPooling2D((2, 2)), (24, 24, 63), n=2)


@pytest.mark.parametrize("n", [1, 0, True, 2.0, "4"])
def test_n_must_be_an_int_of_at_least_two(n) -> None:
    with pytest.raises(ConfigError, match="choices: n="):
        choices(SEED, SEED_IN, n=n)


@pytest.mark.parametrize("seed", ["a", 1.5, True])
def test_seed_must_be_an_int_or_none(seed) -> None:
    with pytest.raises(ConfigError, match="choices: seed="):
        choices(SEED, SEED_IN, seed=seed)


# -- property test over random layers ---------------------------------------------------------------------
def _hand_conv(k: int, cin: int, cout: int, b: int, ins: int, outs: int) -> dict[str, int]:
    """Each mistake's count for a convolution, written out by hand (k = kernel area, ins/outs = areas)."""
    return {
        "forgot_input_channels": (k + b) * cout,
        "forgot_input_channels_and_bias": k * cout,
        "forgot_bias": k * cin * cout,
        "bias_per_input_channel": (k + 1) * cin * cout,
        "swapped_channels": (k * cout + b) * cin,
        "output_size_for_kernel": (outs * cin + b) * cout,
        "input_size_for_kernel": (ins * cin + b) * cout,
        "forgot_output_channels": k * cin + b,
    }


@st.composite
def layers(draw: st.DrawFn) -> tuple[object, tuple[int, ...], dict[str, int]]:
    """A random layer, its input shape, and each named mistake's count worked out by hand."""
    kind = draw(
        st.sampled_from(
            ["conv", "torch_conv", "dense", "linear", "depthwise", "bn", "torch_bn", "lstm", "embedding"]
        )
    )
    bias = draw(st.booleans())
    b = int(bias)
    if kind in ("conv", "torch_conv"):
        kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        h, w = draw(st.integers(kh, 12)), draw(st.integers(kw, 12))
        cin, cout = draw(st.integers(1, 16)), draw(st.integers(1, 40))
        oh, ow = h - kh + 1, w - kw + 1
        hand = _hand_conv(kh * kw, cin, cout, b, h * w, oh * ow)
        if kind == "conv":
            return Conv2D(cout, (kh, kw), use_bias=bias), (h, w, cin), hand
        return nn.Conv2d(cin, cout, (kh, kw), bias=bias), (cin, h, w), hand
    if kind in ("dense", "linear"):
        n, u = draw(st.integers(1, 300)), draw(st.integers(1, 50))
        hand = {"dense_without_bias": n * u, "swapped_channels": (u + b) * n, "forgot_output_channels": n + b}
        if kind == "dense":
            return Dense(u, use_bias=bias), (n,), hand
        return nn.Linear(n, u, bias=bias), (n,), hand
    if kind == "depthwise":
        k, cin, dm = draw(st.integers(1, 5)), draw(st.integers(1, 16)), draw(st.integers(1, 3))
        size = draw(st.integers(k, 10))
        hand = {"depthwise_as_full_conv": (k * k * cin + b) * cin * dm}
        return DepthwiseConv2D((k, k), depth_multiplier=dm, use_bias=bias), (size, size, cin), hand
    if kind == "lstm":  # Keras LSTM(u) on (T, f): 4·((f + u)·u + u)
        t, f, u = draw(st.integers(1, 5)), draw(st.integers(1, 20)), draw(st.integers(1, 20))
        hand = {
            "forgot_gates": (f + u) * u + u,
            "recurrent_as_dense": f * u + u,
            "forgot_recurrent_weights": 4 * (f * u + u),
            "forgot_bias": 4 * (f + u) * u,
        }
        return LSTM(u), (t, f), hand
    if kind == "embedding":
        v, d = draw(st.integers(1, 5000)), draw(st.integers(1, 128))
        return Embedding(v, d), (draw(st.integers(1, 10)),), {"embedding_vocab_plus_dim": v + d}
    c = draw(st.integers(1, 64))
    if kind == "bn":  # Keras counts γ, β, moving mean and variance; the mistake counts γ and β only
        return BatchNormalization(), (4, 4, c), {"batchnorm_non_trainable": 2 * c}
    return nn.BatchNorm2d(c), (c, 4, 4), {"batchnorm_non_trainable": 4 * c}  # PyTorch: γ, β only


@settings(max_examples=150, deadline=None)
@given(case=layers(), data=st.data())
def test_every_distractor_is_produced_by_its_mistake(case, data) -> None:
    layer, shape, hand = case
    truth = layer.describe(shape).params
    named = mistakes(layer, shape)
    if not named:
        with pytest.raises(ConfigError, match="n can be at most 1"):
            choices(layer, shape, n=2)
        return
    n = data.draw(st.integers(2, len(named) + 1), label="n")
    seed = data.draw(st.none() | st.integers(0, 1000), label="seed")
    options = choices(layer, shape, n=n, seed=seed)
    assert len(options) == n
    assert len({c.value for c in options}) == n, "distractors are distinct"
    assert [c.value for c in options if c.correct] == [truth]
    for c in options:
        d = diagnose(c.value, layer, shape)
        assert c.feedback == d.message
        if c.correct:
            assert c.mistake is None
            continue
        assert c.value != truth
        assert c.mistake in MISTAKES, "no value without a named mistake"
        assert d.mistake == c.mistake
        assert c.value == hand[c.mistake], f"{c.mistake} gives {hand[c.mistake]} by hand, not {c.value}"
    # the most common mistakes are the ones shown
    shown = {c.mistake for c in options if not c.correct}
    rank = {m: i for i, m in enumerate(COMMONNESS)}
    hidden = [d.mistake for d in named if d.mistake not in shown]
    assert all(rank[s] < rank[h] for s in shown for h in hidden)  # type: ignore[index]
    # the seed changes the order only
    assert sorted(c.value for c in options) == [c.value for c in choices(layer, shape, n=n)]


def test_a_recurrent_layer_without_bias_gets_distractors_without_bias() -> None:
    # Keras LSTM(5, use_bias=False) on (3, 4): 4·(4 + 5)·5 = 180; one gate (4 + 5)·5 = 45;
    # no recurrent weights 4·4·5 = 80; a Dense without bias 4·5 = 20
    options = {c.mistake: c.value for c in choices(LSTM(5, use_bias=False), (3, 4), n=4)}
    expected = {"forgot_gates": 45, "recurrent_as_dense": 20, "forgot_recurrent_weights": 80}
    assert options == {None: 180, **expected}
