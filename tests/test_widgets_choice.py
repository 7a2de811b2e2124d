"""ChoiceQuiz without a browser: the options of choices(), feedback on choice, a stable repr."""

from __future__ import annotations

import html
import re

import pytest

pytest.importorskip("ipywidgets")

from convwidget import ConfigError, nn
from convwidget.grading import choices
from convwidget.layers import Conv2D, Dense, MaxPooling2D
from convwidget.widgets import ChoiceQuiz

SEED = Conv2D(63, (3, 3))
SEED_IN = (26, 26, 32)


def text(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def test_repr_is_stable_and_names_the_options_in_display_order() -> None:
    # seed=0 shuffles [630, 18,144, 18,176, 18,207] into this order; two quizzes print the same
    q = ChoiceQuiz(SEED, SEED_IN, seed=0)
    assert repr(q) == "ChoiceQuiz(Conv2D on (26, 26, 32), options [18,176, 630, 18,144, 18,207], seed=0)"
    assert repr(ChoiceQuiz(SEED, SEED_IN, seed=0)) == repr(q)
    assert q._repr_mimebundle_()["text/plain"] == repr(q)  # what nbval compares


def test_the_widget_and_a_printed_handout_agree() -> None:
    for seed in (None, 0, 7):
        q = ChoiceQuiz(SEED, SEED_IN, n=5, seed=seed)
        handout = choices(SEED, SEED_IN, n=5, seed=seed)
        assert q.options == handout
        assert [label for label, _ in q.buttons.options] == [f"{c.value:,}" for c in handout]


def test_asks_about_the_layer_and_nothing_is_chosen_at_first() -> None:
    q = ChoiceQuiz(SEED, SEED_IN)
    assert text(q.question.value) == (
        "How many parameters does a Conv2D layer with 63 filters of 3×3 on an input of shape (26, 26, 32) "
        "have?"
    )
    assert q.buttons.value is None and q.chosen is None and q.feedback.value == ""


def test_a_wrong_choice_shows_its_mistake() -> None:
    q = ChoiceQuiz(SEED, SEED_IN)
    option = q.choose(630)
    assert option is q.chosen and option.mistake == "forgot_input_channels"
    assert text(q.feedback.value) == (
        "✗ Not quite. 630 = (3·3 + 1)·63: each of the 63 kernels also spans the 32 input channels, "
        "so it has 3·3·32 weights, not 3·3."
    )


def test_the_right_choice_says_so_with_the_formula() -> None:
    q = ChoiceQuiz(SEED, SEED_IN, seed=3)
    q.choose(18207)
    assert q.chosen is not None and q.chosen.correct
    assert "18,207 is right: (3·3·32 + 1)·63 = 18,207." in text(q.feedback.value)


def test_a_click_in_the_browser_is_the_same_as_choose() -> None:
    q = ChoiceQuiz(Dense(10), (128,), n=3, seed=1)
    index = [c.value for c in q.options].index(1280)  # 128·10: the bias forgotten
    q.buttons.value = index
    assert q.chosen is not None and q.chosen.mistake == "dense_without_bias"
    assert "each of the 10 units also has one bias" in text(q.feedback.value)


def test_choose_refuses_a_value_that_is_no_option() -> None:
    q = ChoiceQuiz(SEED, SEED_IN)
    with pytest.raises(ConfigError, match=r"ChoiceQuiz.choose: value=12345 is invalid; .*630, 18144, 18176"):
        q.choose(12345)
    assert q.chosen is None


def test_a_config_error_in_the_callback_is_shown_in_the_widget(monkeypatch) -> None:
    q = ChoiceQuiz(SEED, SEED_IN)
    assert q.error_area is q.feedback

    def refuse(correct: bool, sentence: str) -> str:
        raise ConfigError("the verdict cannot be shown")

    monkeypatch.setattr("convwidget.widgets.choice.verdict_html", refuse)
    q.buttons.value = 0  # no exception reaches the notebook
    assert "the verdict cannot be shown" in text(q.feedback.value)
    assert q.chosen is None, "a failed choice is not recorded"


def test_torch_layers_work_too() -> None:
    q = ChoiceQuiz(nn.Conv2d(32, 63, 3), (32, 26, 26), seed=0)
    assert [c.value for c in q.options] == [c.value for c in choices(SEED, SEED_IN, seed=0)]


def test_bad_arguments_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="ChoiceQuiz: layer="):
        ChoiceQuiz("Conv2D", SEED_IN)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="ChoiceQuiz: input_shape="):
        ChoiceQuiz(SEED, (None, 26, 26, 32))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="n can be at most 1"):
        ChoiceQuiz(MaxPooling2D((2, 2)), (24, 24, 63))
