"""diagnose: the named mistakes of recurrent, attention and embedding layers (issue #17), numbers by hand."""

from __future__ import annotations

import pytest

from convwidget import diagnose, nn
from convwidget import layers as L
from convwidget.diagnose import MISTAKES, mistakes

# An IMDB-style LSTM: 32 input features (an Embedding's), 64 units.
# right: 4·((32 + 64)·64 + 64) = 4·6,208 = 24,832
LSTM_KERAS = (L.LSTM(64), (100, 32))


@pytest.mark.parametrize(
    ("guess", "mistake", "quoted"),
    [
        # one gate: (32 + 64)·64 + 64 = 6,208
        (6_208, "forgot_gates", "LSTM has 4 gates (input, forget, cell, output)"),
        # no recurrent weights: 4·(32·64 + 64) = 4·2,112 = 8,448
        (8_448, "forgot_recurrent_weights", "64·64 = 4,096 more weights per gate"),
        # no bias: 4·(32 + 64)·64 = 24,576
        (24_576, "forgot_bias", "leaves out the biases"),
        # a Dense layer from 32 inputs to 64 units: 32·64 + 64 = 2,112
        (2_112, "recurrent_as_dense", "would be a Dense layer from 32 inputs to 64 units"),
    ],
)
def test_keras_lstm_mistakes(guess: int, mistake: str, quoted: str) -> None:
    d = diagnose(guess, *LSTM_KERAS)
    assert not d.correct and d.expected == 24_832
    assert d.mistake == mistake
    assert d.guess_formula is not None and d.guess_formula.total == guess
    assert quoted in d.message
    assert d.message.endswith("4·((32 + 64)·64 + 64) = 24,832.")


def test_keras_lstm_right_and_unknown() -> None:
    assert diagnose("24,832", *LSTM_KERAS).correct
    unknown = diagnose(1_234, *LSTM_KERAS)
    assert unknown.mistake is None and "4·((32 + 64)·64 + 64)" in unknown.message


def test_keras_gru_reset_after_counted_with_one_bias() -> None:
    # right (reset_after=True): 3·((32 + 64)·64 + 2·64) = 3·6,272 = 18,816
    # one bias per gate: 3·((32 + 64)·64 + 64) = 3·6,208 = 18,624
    d = diagnose(18_624, L.GRU(64), (100, 32))
    assert (d.expected, d.mistake) == (18_816, "gru_one_bias")
    assert "reset_after=True" in d.message and "(2, 192)" in d.message
    # with reset_after=False one bias is right, and the mistake does not exist
    assert diagnose(18_624, L.GRU(64, reset_after=False), (100, 32)).correct
    assert "gru_one_bias" not in {m.mistake for m in mistakes(L.GRU(64, reset_after=False), (100, 32))}


def test_pytorch_lstm_counted_with_keras_single_bias() -> None:
    # right: 4·(32·64 + 64·64 + 64 + 64) = 4·6,272 = 25,088; Keras' 24,832 misses bias_hh, 4·64 = 256
    d = diagnose(24_832, nn.LSTM(32, 64), (100, 32))
    assert (d.expected, d.mistake) == (25_088, "torch_one_bias")
    assert "bias_ih and bias_hh (4·64 = 256 each)" in d.message and "so 256 more" in d.message
    # a PyTorch GRU cell: 3·(6·5 + 5·5 + 5 + 5) = 195; one bias: 3·(6·5 + 5·5 + 5) = 180
    cell = diagnose(180, nn.GRUCell(6, 5), (6,))
    assert (cell.expected, cell.mistake) == (195, "torch_one_bias")


def test_bidirectional_counted_one_direction() -> None:
    # Keras: 2·4·((32 + 64)·64 + 64) = 49,664; one direction 24,832
    d = diagnose(24_832, L.Bidirectional(L.LSTM(64)), (100, 32))
    assert (d.expected, d.mistake) == (49_664, "one_direction")
    assert "second copy with its own weights" in d.message
    # PyTorch: 2·4·(32·64 + 64·64 + 64 + 64) = 50,176; one direction 25,088
    assert "recurrent_as_dense" not in {m.mistake for m in mistakes(L.Bidirectional(L.LSTM(64)), (100, 32))}
    t = diagnose(25_088, nn.LSTM(32, 64, bidirectional=True), (100, 32))
    assert (t.expected, t.mistake) == (50_176, "one_direction")
    # the gates mistake in a bidirectional layer speaks of each direction: 2·6,208 = 12,416
    assert "each direction has 4 gates" in diagnose(12_416, L.Bidirectional(L.LSTM(64)), (100, 32)).message


def test_stacked_layers_counted_with_the_first_input_size() -> None:
    # 2 layers, 64 units, 32 inputs: first 4·(32·64 + 64·64 + 128) = 25,088; the second reads 64:
    # 4·(64·64 + 64·64 + 128) = 33,280; total 58,368. Every layer on 32 inputs: 2·25,088 = 50,176.
    d = diagnose(50_176, nn.LSTM(32, 64, num_layers=2), (100, 32))
    assert (d.expected, d.mistake) == (58_368, "stacked_first_input")
    assert "read the 64 outputs of the layer below (D·H = 64)" in d.message
    # bidirectional and stacked: the upper layer reads 2·64 = 128 features
    # right: 2·25,088 + 2·4·(128·64 + 64·64 + 128) = 50,176 + 99,328 = 149,504; first input everywhere 100,352
    both = diagnose(100_352, nn.LSTM(32, 64, num_layers=2, bidirectional=True), (100, 32))
    assert (both.expected, both.mistake) == (149_504, "stacked_first_input")
    assert "(D·H = 128)" in both.message


def test_attention_counted_as_one_projection() -> None:
    # Keras: 3·(64 + 1)·4·16 + (4·16 + 1)·64 = 12,480 + 4,160 = 16,640; one projection (64 + 1)·64 = 4,160
    d = diagnose(4_160, L.MultiHeadAttention(4, 16), (10, 64))
    assert (d.expected, d.mistake) == (16_640, "attention_one_projection")
    assert "attention has four" in d.message and "E → h·dk = 4·16" in d.message
    t = diagnose(4_160, nn.MultiheadAttention(64, 4), (10, 64))
    assert (t.expected, t.mistake) == (16_640, "attention_one_projection")
    # without biases: 4·64·64 = 16,384, one projection 64·64 = 4,096
    assert diagnose(4_096, nn.MultiheadAttention(64, 4, bias=False), (10, 64)).mistake == (
        "attention_one_projection"
    )


def test_embedding_counted_as_vocab_plus_dim() -> None:
    # 10,000·128 = 1,280,000; 10,000 + 128 = 10,128
    for layer, shape in ((L.Embedding(10_000, 128), (200,)), (nn.Embedding(10_000, 128), (200,))):
        d = diagnose(10_128, layer, shape)
        assert (d.expected, d.mistake) == (1_280_000, "embedding_vocab_plus_dim")
        assert "10000×128" in d.message


def test_simple_rnn_has_no_gates_mistake() -> None:
    # (4 + 8)·8 + 8 = 104; no recurrent weights 4·8 + 8 = 40; no bias 96
    found = {m.mistake: m.guess for m in mistakes(L.SimpleRNN(8), (5, 4), distinct=False)}
    assert found == {"forgot_recurrent_weights": 40, "forgot_bias": 96}


def test_every_new_mistake_is_named_and_reachable() -> None:
    new = {
        "forgot_gates",
        "recurrent_as_dense",
        "forgot_recurrent_weights",
        "gru_one_bias",
        "torch_one_bias",
        "one_direction",
        "stacked_first_input",
        "attention_one_projection",
        "embedding_vocab_plus_dim",
    }
    assert new <= set(MISTAKES)
    reached: set[str | None] = set()
    for layer, shape in [
        LSTM_KERAS,
        (L.GRU(8), (5, 4)),
        (nn.LSTM(4, 8, num_layers=2, bidirectional=True), (5, 4)),
        (L.MultiHeadAttention(2, 4), (5, 8)),
        (L.Embedding(50, 8), (5,)),
    ]:
        for m in mistakes(layer, shape, distinct=False):
            assert diagnose(m.guess, layer, shape).guess == m.guess
            reached.add(m.mistake)
    assert new <= reached


def test_guess_quiz_checks_an_lstm_guess() -> None:
    from convwidget.widgets import GuessQuiz

    quiz = GuessQuiz(L.LSTM(64), (100, 32))
    quiz.check(6_208)
    assert quiz.diagnosis is not None and quiz.diagnosis.mistake == "forgot_gates"
    assert bytes(quiz.picture.value).startswith(b"\x89PNG")  # the misconception is drawn, not refused
    quiz.check(24_832)
    assert quiz.diagnosis is not None and quiz.diagnosis.correct
