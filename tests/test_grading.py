"""convwidget.grading: the checks pass silently on the right answer and fail with the diagnosis otherwise.

Every expected number is worked out by hand in a comment; the messages are compared with what
``diagnose`` says, and the shape and model-total mistakes are named one by one.
"""

from __future__ import annotations

import numpy as np
import pytest

from convwidget import ConfigError, Sequential, diagnose, nn
from convwidget.diagnose import MISTAKES
from convwidget.grading import (
    MODEL_MISTAKES,
    SHAPE_MISTAKES,
    WrongAnswerError,
    check_count,
    check_output_shape,
    check_total,
)
from convwidget.layers import (
    GRU,
    LSTM,
    BatchNormalization,
    Bidirectional,
    Conv2D,
    Dense,
    DepthwiseConv2D,
    Embedding,
    Flatten,
    MaxPooling2D,
    MultiHeadAttention,
)

SEED = Conv2D(63, (3, 3), activation="relu")
SEED_IN = (26, 26, 32)

# One wrong count per named mistake of diagnose, worked out by hand: (mistake, layer, input shape, count).
WRONG_COUNTS = [
    ("forgot_input_channels", SEED, SEED_IN, 630),  # (3·3 + 1)·63
    ("forgot_input_channels_and_bias", SEED, SEED_IN, 567),  # 3·3·63
    ("forgot_bias", SEED, SEED_IN, 18144),  # 3·3·32·63
    ("bias_per_input_channel", SEED, SEED_IN, 20160),  # (3·3 + 1)·32·63
    ("swapped_channels", SEED, SEED_IN, 18176),  # (3·3·63 + 1)·32
    ("output_size_for_kernel", SEED, SEED_IN, 1161279),  # (24·24·32 + 1)·63
    ("input_size_for_kernel", SEED, SEED_IN, 1362879),  # (26·26·32 + 1)·63
    ("forgot_output_channels", SEED, SEED_IN, 289),  # 3·3·32 + 1
    ("dense_without_bias", Dense(10), (128,), 1280),  # 128·10
    ("batchnorm_non_trainable", BatchNormalization(), (26, 26, 32), 64),  # (γ + β)·32, Keras counts 4·32
    ("batchnorm_non_trainable", nn.BatchNorm2d(32), (32, 26, 26), 128),  # 4·32, PyTorch counts 2·32
    ("depthwise_as_full_conv", DepthwiseConv2D((3, 3)), (26, 26, 32), 9248),  # (3·3·32 + 1)·32
    # Keras LSTM(32) on (10, 16): 4·((16 + 32)·32 + 32) = 6,272
    ("forgot_gates", LSTM(32), (10, 16), 1568),  # one gate: (16 + 32)·32 + 32
    ("forgot_recurrent_weights", LSTM(32), (10, 16), 2176),  # 4·(16·32 + 32)
    ("recurrent_as_dense", LSTM(32), (10, 16), 544),  # a Dense from 16 inputs to 32 units: 16·32 + 32
    ("forgot_bias", LSTM(32), (10, 16), 6144),  # 4·(16 + 32)·32
    ("gru_one_bias", GRU(32), (10, 16), 4704),  # 3·((16 + 32)·32 + 32), not 3·(… + 2·32) = 4,800
    ("torch_one_bias", nn.LSTM(16, 32), (10, 16), 6272),  # 4·(16·32 + 32·32 + 32), not + 2·32 = 6,400
    ("one_direction", Bidirectional(LSTM(32)), (10, 16), 6272),  # half of 2·6,272
    ("stacked_first_input", nn.LSTM(16, 32, num_layers=2), (10, 16), 12800),  # 2·4·(16·32 + 32·32 + 2·32)
    ("attention_one_projection", MultiHeadAttention(2, 8), (10, 16), 272),  # (16 + 1)·16, one of four
    ("embedding_vocab_plus_dim", Embedding(1000, 64), (10,), 1064),  # 1000 + 64, not 1000·64
]


# -- check_count ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("layer", "shape", "right"),
    [
        (SEED, SEED_IN, 18207),  # (3·3·32 + 1)·63
        (Dense(10), (128,), 1290),  # (128 + 1)·10
        (BatchNormalization(), (26, 26, 32), 128),  # 4·32
        (nn.Conv2d(32, 63, 3), (32, 26, 26), 18207),
    ],
)
@pytest.mark.parametrize("spell", [int, str, float, np.int64, lambda n: f"{n:,}"])
def test_check_count_passes_silently_on_the_right_count(layer, shape, right, spell) -> None:
    assert check_count(spell(right), layer, shape) is None


@pytest.mark.parametrize(
    ("mistake", "layer", "shape", "wrong"), WRONG_COUNTS, ids=[w[0] for w in WRONG_COUNTS]
)
def test_check_count_fails_with_the_diagnosis_of_each_named_mistake(mistake, layer, shape, wrong) -> None:
    with pytest.raises(AssertionError) as caught:
        check_count(wrong, layer, shape)
    d = diagnose(wrong, layer, shape)
    assert d.mistake == mistake
    assert str(caught.value) == d.message
    assert isinstance(caught.value, WrongAnswerError) and caught.value.mistake == mistake


def test_every_named_mistake_is_exercised() -> None:
    assert {w[0] for w in WRONG_COUNTS} == set(MISTAKES)


def test_the_issue_sentence_for_630() -> None:
    with pytest.raises(
        AssertionError, match=r"^630 = \(3·3 \+ 1\)·63: each of the 63 kernels also spans the 32"
    ):
        check_count(630, SEED, SEED_IN)


def test_a_wrong_count_no_mistake_explains_still_fails_with_the_formula() -> None:
    with pytest.raises(WrongAnswerError) as caught:
        check_count(1234, SEED, SEED_IN)
    assert caught.value.mistake is None
    assert "1,234 is not the count of this Conv2D" in str(caught.value)
    assert "(3·3·32 + 1)·63" in str(caught.value)


@pytest.mark.parametrize("answer", ["abc", 12.5, None, True, -5, ..., [18207], "18207.5"])
def test_an_answer_that_is_not_a_whole_number_fails_as_an_assertion(answer) -> None:
    with pytest.raises(WrongAnswerError) as caught:
        check_count(answer, SEED, SEED_IN)
    assert caught.value.mistake is None
    assert "whole number" in str(caught.value)


def test_a_broken_exercise_is_a_config_error_not_a_wrong_answer() -> None:
    # the learner's answer does not matter: the teacher's layer cannot take the shape
    with pytest.raises(ConfigError) as caught:
        check_count(18207, Conv2D(63, (3, 3)), (2, 2, 32))
    assert not isinstance(caught.value, AssertionError)
    with pytest.raises(ConfigError, match="check_count: layer="):
        check_count(18207, "Conv2D(63, 3)", SEED_IN)  # type: ignore[arg-type]


# -- check_output_shape ---------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [(24, 24, 63), (None, 24, 24, 63), [24, 24, 63], (np.int64(24), 24, 63)])
def test_check_output_shape_passes_with_or_without_a_none_batch_axis(answer) -> None:
    # 26 − 3 + 1 = 24 along each axis; 63 kernels
    assert check_output_shape(answer, SEED, SEED_IN) is None


def test_check_output_shape_takes_a_torch_size_like_tuple_subclass() -> None:
    class Size(tuple):  # torch.Size is a tuple subclass
        pass

    check_output_shape(Size((63, 24, 24)), nn.Conv2d(32, 63, 3), (32, 26, 26))


# (mistake, layer, input shape, wrong answer, right shape as the message gives it)
WRONG_SHAPES = [
    ("batch_axis_included", SEED, SEED_IN, (32, 24, 24, 63), "(24, 24, 63)"),
    ("channels_on_wrong_axis", SEED, SEED_IN, (63, 24, 24), "(24, 24, 63)"),
    ("channels_on_wrong_axis", nn.Conv2d(32, 63, 3), (32, 26, 26), (24, 24, 63), "(63, 24, 24)"),
    ("kept_input_channels", SEED, SEED_IN, (24, 24, 32), "(24, 24, 63)"),
    ("kept_input_channels", nn.Conv2d(32, 63, 3), (32, 26, 26), (32, 24, 24), "(63, 24, 24)"),
    ("kept_input_size", SEED, SEED_IN, (26, 26, 63), "(24, 24, 63)"),
    # non-square, channels first: 10 − 3 + 1 = 8, 8 − 3 + 1 = 6
    ("kept_input_size", nn.Conv2d(4, 8, 3), (4, 10, 8), (8, 10, 8), "(8, 8, 6)"),
    ("forgot_plus_one", SEED, SEED_IN, (23, 23, 63), "(24, 24, 63)"),
    # pooling 2×2 on 24×24: 12 windows; forgetting the + 1 gives 11
    ("forgot_plus_one", MaxPooling2D((2, 2)), (24, 24, 63), (11, 11, 63), "(12, 12, 63)"),
    ("dense_flattened", Dense(10), (5, 128), (10,), "(5, 10)"),
]


@pytest.mark.parametrize(
    ("mistake", "layer", "shape", "answer", "right"),
    WRONG_SHAPES,
    ids=[f"{w[0]}-{w[2]}" for w in WRONG_SHAPES],
)
def test_check_output_shape_names_each_mistake_and_gives_the_right_shape(
    mistake, layer, shape, answer, right
) -> None:
    with pytest.raises(WrongAnswerError) as caught:
        check_output_shape(answer, layer, shape)
    assert caught.value.mistake == mistake
    assert right in str(caught.value)


def test_channels_on_wrong_axis_says_which_end() -> None:
    with pytest.raises(WrongAnswerError, match=r"puts the channels first \(channels_first\)"):
        check_output_shape((24, 24, 63), nn.Conv2d(32, 63, 3), (32, 26, 26))
    with pytest.raises(WrongAnswerError, match=r"puts the channels last \(channels_last\)"):
        check_output_shape((63, 24, 24), SEED, SEED_IN)


def test_every_shape_mistake_is_exercised() -> None:
    assert {w[0] for w in WRONG_SHAPES} == set(SHAPE_MISTAKES)


def test_an_unexplained_shape_fails_with_the_right_shape() -> None:
    with pytest.raises(WrongAnswerError) as caught:
        check_output_shape((1, 2, 3), SEED, SEED_IN)
    assert caught.value.mistake is None
    assert str(caught.value) == (
        "(1, 2, 3) is not the output shape of this Conv2D on an input of shape (26, 26, 32); "
        "it is (24, 24, 63)."
    )


@pytest.mark.parametrize("answer", ["(24, 24, 63)", 24, (24, None, 63), (24.0, 24, 63), (True, 24, 63), None])
def test_an_answer_that_is_not_a_shape_fails_as_an_assertion(answer) -> None:
    with pytest.raises(WrongAnswerError, match="tuple of whole numbers") as caught:
        check_output_shape(answer, SEED, SEED_IN)
    assert caught.value.mistake is None


# -- check_total ----------------------------------------------------------------------------------------
def _mnist() -> Sequential:
    # 320 + 128 + 18,207 + 0 + 0 + 90,730 = 109,385
    return Sequential(
        [
            Conv2D(32, (3, 3), input_shape=(28, 28, 1)),  # (3·3·1 + 1)·32 = 320
            BatchNormalization(),  # 4·32 = 128 (64 non-trainable)
            Conv2D(63, (3, 3)),  # 18,207
            MaxPooling2D((2, 2)),  # 24 → 12
            Flatten(),  # 12·12·63 = 9072
            Dense(10),  # (9072 + 1)·10 = 90,730
        ]
    )


@pytest.mark.parametrize("answer", [109385, "109,385", 109385.0])
def test_check_total_passes_on_the_total(answer) -> None:
    assert check_total(answer, _mnist()) is None


# (mistake, wrong total, a phrase of the message)
WRONG_TOTALS = [
    # one layer's counting mistake: conv2d_1 counted as 630 (forgot Cin): 109,385 − 18,207 + 630
    (
        "forgot_input_channels",
        109385 - 18207 + 630,
        "layer 'conv2d_1' (Conv2D) is counted as 630 instead of 18,207",
    ),
    # every bias left out, Conv2D and Dense alike: 32 + 63 + 10 = 105 fewer
    ("forgot_bias", 109385 - 105, "layers 'conv2d', 'conv2d_1', 'dense' have the same mistake"),
    # the biases of the two Conv2D layers only (the first has Cin = 1, where diagnose calls 288
    # "forgot Cin and bias"; the total still names the one mistake of both layers): 32 + 63 fewer
    ("forgot_bias", 109385 - 95, "layers 'conv2d', 'conv2d_1' have the same mistake"),
    # the Dense layer left out
    ("left_out_layer", 109385 - 90730, "layer 'dense' (Dense) is left out; it has (9072 + 1)·10 = 90,730"),
]


@pytest.mark.parametrize(("mistake", "answer", "phrase"), WRONG_TOTALS, ids=[str(w[1]) for w in WRONG_TOTALS])
def test_check_total_names_the_layer_and_its_mistake(mistake, answer, phrase) -> None:
    with pytest.raises(WrongAnswerError) as caught:
        check_total(answer, _mnist())
    assert caught.value.mistake == mistake
    assert phrase in str(caught.value)


def test_check_total_with_batchnorm_counted_the_pytorch_way() -> None:
    # γ and β only: 128 − 64 = 64 fewer; one layer's batchnorm mistake
    with pytest.raises(WrongAnswerError) as caught:
        check_total(109385 - 64, _mnist())
    assert caught.value.mistake == "batchnorm_non_trainable"
    assert "Keras also counts the moving mean and variance" in str(caught.value)


def test_check_total_trainable_only_with_a_frozen_layer() -> None:
    # conv2d frozen (320 non-trainable) + BatchNormalization's 64 moving statistics: 384 fewer
    model = _mnist()
    model.layers[0].trainable = False
    with pytest.raises(WrongAnswerError) as caught:
        check_total(109385 - 384, model)
    assert caught.value.mistake == "trainable_only"
    assert "384 non-trainable parameters" in str(caught.value)


def test_every_model_mistake_is_exercised() -> None:
    # left_out_layer in WRONG_TOTALS, trainable_only in its own test above
    assert set(MODEL_MISTAKES) == {w[0] for w in WRONG_TOTALS if w[0] in MODEL_MISTAKES} | {"trainable_only"}


def test_check_total_of_a_torch_model_takes_its_input_shape() -> None:
    # (3·3·1 + 1)·8 + (8·26·26 + 1)·10 = 80 + 54,090 = 54,170
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.Flatten(), nn.Linear(8 * 26 * 26, 10))
    check_total(54170, model, (1, 28, 28))
    with pytest.raises(WrongAnswerError, match="layer '0' \\(Conv2d\\) is counted as 72"):
        check_total(54170 - 8, model, (1, 28, 28))


def test_check_total_unexplained_adds_the_layers() -> None:
    with pytest.raises(WrongAnswerError) as caught:
        check_total(5, _mnist())
    assert caught.value.mistake is None
    assert str(caught.value) == (
        "5 is not the total of this model; add every layer's count: 320 + 128 + 18,207 + 90,730 = 109,385."
    )


def test_check_total_refuses_what_is_not_a_model_or_a_number() -> None:
    with pytest.raises(ConfigError, match="check_total: model="):
        check_total(1, [Conv2D(8, 3)])  # type: ignore[arg-type]
    with pytest.raises(WrongAnswerError, match="whole number"):
        check_total("lots", _mnist())


def test_only_layers_with_a_channel_axis_get_the_layout_mistake() -> None:
    # Dense(10) on (5, 128) gives (5, 10); (10, 5) is no channels-first/last mix-up of a Dense layer
    with pytest.raises(WrongAnswerError) as caught:
        check_output_shape((10, 5), Dense(10), (5, 128))
    assert caught.value.mistake is None
    # a torch BatchNorm2d keeps (C, H, W); channels moved last is the layout mistake
    with pytest.raises(WrongAnswerError) as caught:
        check_output_shape((26, 26, 32), nn.BatchNorm2d(32), (32, 26, 26))
    assert caught.value.mistake == "channels_on_wrong_axis"
