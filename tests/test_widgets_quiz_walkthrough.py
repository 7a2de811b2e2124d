"""GuessQuiz and ModelWalkthrough without a browser."""

from __future__ import annotations

import html
import re

import pytest

pytest.importorskip("ipywidgets")

from convwidget import ConfigError
from convwidget.layers import Conv2D, Dense, DepthwiseConv2D, Flatten, SeparableConv2D
from convwidget.model import Sequential
from convwidget.widgets import ConvExplorer, GuessQuiz, ModelWalkthrough


def text(markup: str) -> str:
    """What a reader sees: tags dropped (table cells apart), entities decoded."""
    markup = re.sub(r"</t[dh]>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


# ------------------------------------------------------------------ GuessQuiz


def quiz() -> GuessQuiz:
    return GuessQuiz(Conv2D(63, (3, 3)), (26, 26, 32))


def test_quiz_asks_about_the_layer():
    q = quiz()
    assert "63 filters of 3×3 on an input of shape (26, 26, 32)" in text(q.question.value)
    assert q.formula.value == ""  # nothing given away before an answer
    assert repr(q) == "GuessQuiz(Conv2D on (26, 26, 32))"


def test_quiz_question_says_when_there_is_no_bias():
    # Without the bias the answer changes (3·3·32·63 = 18,144), so the question must say so.
    q = GuessQuiz(Conv2D(63, (3, 3), use_bias=False), (26, 26, 32))
    assert "63 filters of 3×3 and no bias on an input of shape (26, 26, 32)" in text(q.question.value)
    grouped = GuessQuiz(Conv2D(64, (3, 3), groups=4), (26, 26, 32))
    assert "groups=4" in text(grouped.question.value)


def test_quiz_names_the_dropped_term():
    q = quiz()
    q.answer.value = "630"  # (3·3 + 1)·63: input channels forgotten
    assert q.diagnosis.mistake == "forgot_input_channels" and not q.diagnosis.correct
    assert text(q.feedback.value).startswith("✗ Not quite.")
    assert "630 = (3·3 + 1)·63" in text(q.feedback.value)
    assert q.formula.value == ""
    q.check_button.click()  # the same answer again: same verdict, no error
    assert q.diagnosis.mistake == "forgot_input_channels"


def test_quiz_accepts_the_right_count_with_grouping_and_reveals_the_formula():
    q = quiz()
    q.answer.value = "18,207"
    assert q.diagnosis.correct
    assert text(q.feedback.value).startswith("✓ Right.")
    assert "(3·3·32 + 1)·63 = 18,207" in text(q.formula.value)


def test_show_me_reveals_the_formula():
    q = quiz()
    q.show_button.click()
    assert "(3·3·32 + 1)·63 = 18,207" in text(q.formula.value)
    assert "(Fh·Fw·Cin + 1)·Cout" in text(q.formula.value)


def test_quiz_shows_bad_input_as_a_message():
    q = quiz()
    q.answer.value = "lots"
    assert text(q.feedback.value).startswith("⚠") and "guess='lots'" in text(q.feedback.value)
    q.answer.value = "18144"  # still usable: 3·3·32·63, bias forgotten
    assert q.diagnosis.mistake == "forgot_bias"
    with pytest.raises(ConfigError):
        q.check("lots")  # from code, the error is the caller's


def test_quiz_refuses_what_is_not_a_layer():
    with pytest.raises(ConfigError, match="GuessQuiz: layer="):
        GuessQuiz("Conv2D", (26, 26, 32))


def test_quiz_shows_the_misconception_drawing_for_a_wrong_answer_only():
    q = quiz()
    q.answer.value = "630"
    assert bytes(q.picture.value).startswith(b"\x89PNG") and q.picture.layout.display is None
    q.answer.value = "18207"
    assert q.picture.layout.display == "none"


def test_quiz_raises_a_programming_error(monkeypatch):
    import importlib

    def broken(guess, layer, input_shape):
        raise KeyError("bug")

    monkeypatch.setattr(importlib.import_module("convwidget.diagnose"), "diagnose", broken)
    q = quiz()
    with pytest.raises(KeyError):
        q.answer.value = "630"
    assert q.feedback.value == ""  # nothing pretends the bug was a verdict


# ------------------------------------------------------------------ ModelWalkthrough


def test_walkthrough_of_the_seed_model_ends_at_the_total():
    w = ModelWalkthrough()
    # 320 + 18,207 + 0 + 0 + 0 + 1,161,344 + 0 + 1,290 = 1,181,161
    assert w.total == 1181161
    assert [r.info.params for r in w.rows] == [320, 18207, 0, 0, 0, 1161344, 0, 1290]
    w.step.value = len(w.rows)
    assert "running total 1,181,161 = the model total" in text(w.detail.value)
    assert "Total 1,181,161" in text(w.bars.value)


def test_walkthrough_second_conv_inherits_32_channels_and_shows_the_explorer():
    w = ModelWalkthrough()
    w.step.value = 2
    d = text(w.detail.value)
    assert "input (26, 26, 32) → output (24, 24, 63)" in d
    assert "32 input channels (underlined) are not a choice: they come from the output of conv2d" in d
    assert re.search(r"<mark[^>]*>32</mark>\)", w.detail.value)  # the channel axis of the shape
    assert "(3·3·32 + 1)·63 = 18,207" in d
    # 18,207 / 1,181,161 = 1.54 %; 320 + 18,207 = 18,527
    assert "18,207 of 1,181,161 parameters (1.5 %); running total 18,527" in d
    assert isinstance(w.explorer, ConvExplorer) and w.explorer.count == 18207


def test_walkthrough_dense_layer_dominates_and_has_no_explorer():
    w = ModelWalkthrough()
    w.step.value = 6
    d = text(w.detail.value)
    # 12·12·63 = 9,072 features; (9072 + 1)·128 = 1,161,344 = 98.3 % of 1,181,161
    assert "input (9072,) → output (128,)" in d
    assert "(9072 + 1)·128 = 1,161,344" in d and "(98.3 %)" in d
    assert w.explorer is None
    bars = text(w.bars.value)
    assert "▶ dense (Dense) (128,) 1,161,344 98.3 %" in bars
    assert 'aria-current="step"' in w.bars.value


def test_walkthrough_buttons_and_bounds():
    w = ModelWalkthrough()
    assert w.previous_button.disabled
    w.next_button.click()
    assert w.step.value == 2 and w.row.name == "conv2d_1"
    w.step.value = 8
    assert w.next_button.disabled
    w.next_button.click()
    assert w.step.value == 8
    assert repr(w) == "ModelWalkthrough(8 layers, 1,181,161 parameters; layer 8: dense_1)"


def test_walkthrough_of_another_model():
    m = Sequential([Conv2D(8, 5, input_shape=(12, 12, 3)), Flatten(), Dense(4)])
    w = ModelWalkthrough(m)
    # (5·5·3 + 1)·8 = 608; 8·8·8 = 512 features; (512 + 1)·4 = 2,052; 608 + 2,052 = 2,660
    assert w.total == 2660
    assert w.explorer.count == 608
    w.step.value = 3
    assert "512 input features" in text(w.detail.value)


def test_walkthrough_marks_the_channel_axis_of_a_channels_first_layer():
    # Keras channels-first: the 3 channels are the first axis of (3, 12, 10), not the last.
    m = Sequential([Conv2D(8, 5, data_format="channels_first", input_shape=(3, 12, 10)), Flatten(), Dense(4)])
    w = ModelWalkthrough(m)
    assert "<mark" in w.detail.value.split(",")[0] and "<mark" not in w.detail.value.split(",")[2]
    # (5·5·3 + 1)·8 = 608; output (8, 8, 6)
    assert "input (3, 12, 10) → output (8, 8, 6)" in text(w.detail.value)
    assert w.explorer is None  # the explorer draws channels-last Keras layers only


def test_walkthrough_shows_the_explorer_for_depthwise_and_separable_layers():
    m = Sequential(
        [
            DepthwiseConv2D(3, depth_multiplier=2, padding="same", input_shape=(16, 16, 4)),
            SeparableConv2D(6, 3, strides=2),
            Conv2D(4, (3, 1)),  # not square: no explorer
        ]
    )
    w = ModelWalkthrough(m)
    # (3·3 + 1)·4·2 = 80
    assert w.explorer.count == 80 and w.explorer.settings.kind == "depthwise"
    assert w.explorer.depth_multiplier.value == 2
    w.step.value = 2
    # 3·3·8·1 + (8 + 1)·6 = 72 + 54 = 126; ⌊(16 − 3)/2⌋ + 1 = 7
    assert w.explorer.count == 126 and w.explorer.info.output_shape == (7, 7, 6)
    w.step.value = 3
    assert w.explorer is None


def test_walkthrough_shows_a_refusal_and_hides_the_stale_explorer(monkeypatch):
    w = ModelWalkthrough()
    assert w.explorer.count == 320  # conv2d: (3·3·1 + 1)·32

    def refused(self, **values):
        raise ConfigError("ConvExplorer: kernel_size=3 is invalid; refused here.")

    monkeypatch.setattr(ConvExplorer, "set", refused)
    w.step.value = 2  # must not raise into the notebook
    assert text(w.message.value) == "⚠ ConvExplorer: kernel_size=3 is invalid; refused here."
    assert w.explorer is None  # not left showing the first layer under the second one's title
    assert "conv2d_1" in text(w.title.value)
    monkeypatch.undo()
    w.step.value = 1
    assert w.message.value == "" and w.explorer.count == 320


def test_walkthrough_errors():
    with pytest.raises(ConfigError, match="ModelWalkthrough"):
        ModelWalkthrough("model")
    with pytest.raises(ConfigError):  # an empty model has no input shape: the model says so
        ModelWalkthrough(Sequential([]))


def test_walkthrough_escapes_layer_names():
    m = Sequential([Conv2D(8, 5, input_shape=(12, 12, 3), name="<b>first</b>"), Conv2D(4, 3, name="a&b")])
    w = ModelWalkthrough(m)
    assert "&lt;b&gt;first&lt;/b&gt;" in w.title.value and "<b>first" not in w.title.value
    w.step.value = 2
    assert "they come from the output of &lt;b&gt;first&lt;/b&gt;." in w.detail.value
    assert "a&amp;b (Conv2D)" in w.bars.value and "&lt;b&gt;first&lt;/b&gt; (Conv2D)" in w.bars.value
