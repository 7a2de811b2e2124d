"""diagnose(): every listed mistake recognised; each expected number worked out by hand in a comment."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import require

from convwidget import ConfigError, Diagnosis, diagnose
from convwidget.layers import BatchNormalization, Conv2D, Dense, DepthwiseConv2D, Flatten

SEED_CONV = Conv2D(63, (3, 3), activation="relu")
SEED_IN = (26, 26, 32)


def test_seed_630_is_forgotten_input_channels() -> None:
    # (3·3 + 1)·63 = 10·63 = 630
    d = diagnose(630, SEED_CONV, SEED_IN)
    assert isinstance(d, Diagnosis)
    assert not d.correct
    assert d.mistake == "forgot_input_channels"
    assert d.expected == 18207
    assert d.dropped == ("input channels",) and d.added == ()
    assert d.guess_formula is not None and d.guess_formula.text == "(3·3 + 1)·63 = 630"
    assert d.formula.text == "(3·3·32 + 1)·63 = 18,207"
    assert str(d) == (
        "630 = (3·3 + 1)·63: each of the 63 kernels also spans the 32 input channels, "
        "so it has 3·3·32 weights, not 3·3."
    )
    assert d.message == str(d)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.guess = 1  # type: ignore[misc]


def test_seed_right_answer() -> None:
    # (3·3·32 + 1)·63 = 289·63 = 18,207
    d = diagnose(18207, SEED_CONV, SEED_IN)
    assert d.correct and d.mistake is None and d.guess_formula is None
    assert str(d) == "18,207 is right: (3·3·32 + 1)·63 = 18,207."


@pytest.mark.parametrize(
    ("guess", "mistake", "wrong"),
    [
        # 3·3·32·63 = 288·63 = 18,144
        (18144, "forgot_bias", "3·3·32·63 = 18,144"),
        # (3·3 + 1)·32·63 = 10·2016 = 20,160
        (20160, "bias_per_input_channel", "(3·3 + 1)·32·63 = 20,160"),
        # (3·3·63 + 1)·32 = 568·32 = 18,176
        (18176, "swapped_channels", "(3·3·63 + 1)·32 = 18,176"),
        # output 24×24: (24·24·32 + 1)·63 = 18,433·63 = 1,161,279
        (1161279, "output_size_for_kernel", "(24·24·32 + 1)·63 = 1,161,279"),
        # input 26×26: (26·26·32 + 1)·63 = 21,633·63 = 1,362,879
        (1362879, "input_size_for_kernel", "(26·26·32 + 1)·63 = 1,362,879"),
        # 3·3·63 = 567
        (567, "forgot_input_channels_and_bias", "3·3·63 = 567"),
        # one kernel: 3·3·32 + 1 = 289
        (289, "forgot_output_channels", "3·3·32 + 1 = 289"),
    ],
)
def test_conv_mistakes(guess: int, mistake: str, wrong: str) -> None:
    d = diagnose(guess, SEED_CONV, SEED_IN)
    assert d.mistake == mistake
    assert d.guess_formula is not None and d.guess_formula.text == wrong
    assert d.expected == 18207 and not d.correct
    assert str(d).startswith(f"{guess:,} = ")
    assert str(d).endswith("(3·3·32 + 1)·63 = 18,207.")


def test_forgot_bias_names_the_bias() -> None:
    d = diagnose("18,144", SEED_CONV, SEED_IN)
    assert d.dropped == ("bias",)
    assert "add 63" in str(d)


def test_dense_without_bias() -> None:
    # seed's Dense(128) on 9072 features: 9072·128 = 1,161,216 (right: (9072 + 1)·128 = 1,161,344)
    d = diagnose(1161216, Dense(128), (9072,))
    assert d.mistake == "dense_without_bias"
    assert d.dropped == ("bias",)
    assert d.expected == 1161344
    assert str(d) == (
        "1,161,216 = 9072·128: each of the 128 units also has one bias, so add 128: "
        "(9072 + 1)·128 = 1,161,344."
    )


def test_dense_swapped() -> None:
    # (10 + 1)·128 = 1,408 instead of (128 + 1)·10 = 1,290
    d = diagnose(1408, Dense(10), (128,))
    assert d.mistake == "swapped_channels"


def test_batchnorm_non_trainable_keras() -> None:
    # 32 channels: γ and β only = 2·32 = 64; Keras counts 4·32 = 128 (64 of them non-trainable)
    d = diagnose(64, BatchNormalization(), (26, 26, 32))
    assert d.mistake == "batchnorm_non_trainable"
    assert d.expected == 128
    assert d.dropped == ("moving mean", "moving variance")
    assert "non-trainable" in str(d)
    assert diagnose(128, BatchNormalization(), (26, 26, 32)).correct


def test_batchnorm_non_trainable_torch() -> None:
    nn = require("convwidget.nn", "the PyTorch-style layers")
    # PyTorch: γ, β = 2·63 = 126 parameters; counting running mean and variance gives 4·63 = 252
    d = diagnose(252, nn.BatchNorm2d(63), (63, 12, 12))
    assert d.mistake == "batchnorm_non_trainable"
    assert d.expected == 126
    assert "buffers" in str(d)


def test_torch_conv_forgot_input_channels() -> None:
    nn = require("convwidget.nn", "the PyTorch-style layers")
    # same seed layer in PyTorch's layout: (3·3 + 1)·63 = 630
    d = diagnose(630, nn.Conv2d(32, 63, 3), (32, 26, 26))
    assert d.mistake == "forgot_input_channels"
    # output 24×24 read from (C, H, W): (24·24·32 + 1)·63 = 1,161,279
    assert diagnose(1161279, nn.Conv2d(32, 63, 3), (32, 26, 26)).mistake == "output_size_for_kernel"


def test_depthwise_as_full_conv() -> None:
    # depthwise 3×3 on 8 channels: (3·3 + 1)·8·1 = 80; as a full conv: (3·3·8 + 1)·8 = 73·8 = 584
    d = diagnose(584, DepthwiseConv2D(3), (10, 10, 8))
    assert d.mistake == "depthwise_as_full_conv" and d.expected == 80


def test_unknown_guess_gets_formula_with_numbers() -> None:
    d = diagnose(1000, SEED_CONV, SEED_IN)
    assert not d.correct and d.mistake is None and d.guess_formula is None
    assert "(3·3·32 + 1)·63" in str(d)
    assert "(Fh·Fw·Cin + 1)·Cout" in str(d)


def test_layer_without_weights() -> None:
    d = diagnose(5, Flatten(), (3, 3, 2))
    assert d.expected == 0 and "0 parameters" in str(d)
    assert diagnose(0, Flatten(), (3, 3, 2)).correct


@pytest.mark.parametrize("bad", [-1, "-5", "abc", None, 1.5, True, float("nan"), [630]])
def test_bad_guesses(bad: object) -> None:
    with pytest.raises(ConfigError, match=r"diagnose: guess=.*whole number >= 0"):
        diagnose(bad, SEED_CONV, SEED_IN)


def test_integral_float_and_string_guesses() -> None:
    assert diagnose(630.0, SEED_CONV, SEED_IN).mistake == "forgot_input_channels"
    assert diagnose(" 18 207 ", SEED_CONV, SEED_IN).correct


def test_bad_layer_and_shape() -> None:
    with pytest.raises(ConfigError, match="layer="):
        diagnose(630, "Conv2D", SEED_IN)
    with pytest.raises(ConfigError, match="input_shape"):
        diagnose(630, SEED_CONV, (26, 26))


def test_no_bias_layer_has_no_bias_mistakes() -> None:
    # without bias the right count is 3·3·32·63 = 18,144, and 630 is not "forgot channels";
    # 3·3·63 = 567 is
    layer = Conv2D(63, 3, use_bias=False)
    assert diagnose(18144, layer, SEED_IN).correct
    assert diagnose(567, layer, SEED_IN).mistake == "forgot_input_channels"


def test_channels_first_sizes_come_from_the_layout() -> None:
    # channels_first input (4, 6, 4): 4 channels, 6×4 image; 3×3 'valid' gives (2, 4, 2): a 4×2 image.
    # The sizes read off the layout, not guessed from where a 4 sits: input 6·4, output 4·2.
    layer = Conv2D(2, 3, data_format="channels_first")
    # (6·4·4 + 1)·2 = 97·2 = 194
    d = diagnose(194, layer, (4, 6, 4))
    assert d.mistake == "input_size_for_kernel" and d.guess_formula.text == "(6·4·4 + 1)·2 = 194"
    # (4·2·4 + 1)·2 = 33·2 = 66
    d = diagnose(66, layer, (4, 6, 4))
    assert d.mistake == "output_size_for_kernel" and d.guess_formula.text == "(4·2·4 + 1)·2 = 66"


def test_norm_without_channel_statistics_and_framework_rows_have_no_mistakes() -> None:
    from convwidget.frameworks import FrameworkLayer
    from convwidget.layers import LayerNormalization

    # LayerNormalization on (4, 8): γ and β over 8 features, 2·8 = 16; nothing to recognise in 8
    d = diagnose(8, LayerNormalization(), (4, 8))
    assert d.expected == 16 and d.mistake is None
    row = FrameworkLayer("torch", "BatchNorm2d", "bn", (6, 5, 5), (6, 5, 5), 12)
    d = diagnose(24, row, (6, 5, 5))
    assert d.expected == 12 and d.mistake is None
