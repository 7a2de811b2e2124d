"""The classroom view (issue #15) and the widget edge cases (issue #16 item 10), without a browser.

Highlights that tell the truth, every lesson value a stop of the channel sliders, a reason beside
each disabled control, the projector layout's structure, bad values refused with a message that
names the argument, value, range and fix (and shows it in the widget), static pictures before a
cell runs, and the exercise that asks before it tells.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

import ipywidgets as ipw
from hypothesis import given, settings
from hypothesis import strategies as st

from convwidget import ConfigError, controls
from convwidget.layers import Conv2D
from convwidget.widgets import ConvExplorer, GuessQuiz, ModelWalkthrough, SummaryExplainer
from convwidget.widgets.explain import DEBOUNCE_SECONDS

DATA = Path(__file__).parent / "data" / "pasted"
SEED = (DATA / "keras2__seed.txt").read_text(encoding="utf-8")
TYPO = SEED.replace("18207", "18027")
PNG = b"\x89PNG\r\n\x1a\n"


def text(markup: str) -> str:
    """What a reader sees: the HTML without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def marked(html: str) -> list[str]:
    """The factor names the formula marks as changed (each mark names its factor in a title)."""
    return sorted(re.findall(r'<mark[^>]*title="([^"]+) \(changed\)"', html))


# --- highlights that tell the truth ------------------------------------------------------------


def test_walkthrough_layer_1_to_2_underlines_only_the_channels():
    w = ModelWalkthrough()
    assert w.explorer is not None and w.explorer.count == 320
    w.next_button.click()
    # (3·3·1 + 1)·32 → (3·3·32 + 1)·63: only Cin (1 → 32) and Cout (32 → 63) changed
    assert w.explorer.count == 18207
    assert marked(w.explorer.formula.value) == ["input channels", "output channels"]
    assert "changed (underlined): input channels, output channels" in text(w.explorer.formula.value)
    assert "kernel" not in text(w.explorer.formula.value).split("changed (underlined):")[1]


def test_set_underlines_only_what_changed_not_what_was_passed():
    w = ConvExplorer()
    w.set(kernel_size=3, in_channels=32, filters=64, bias=True)  # only the filters differ
    assert marked(w.formula.value) == ["output channels"]
    w.set(kernel_size=3)  # nothing changed: nothing underlined
    assert marked(w.formula.value) == [] and "changed (underlined)" not in w.formula.value
    w.set(stride=2)  # a shape-only change underlines no factor
    assert marked(w.formula.value) == []


def test_a_preset_underlines_only_the_factors_it_changes():
    w = ConvExplorer(kernel_size=3, in_channels=1, filters=63, input_size=28)
    w.preset.value = "MNIST conv 1"  # (3·3·1 + 1)·32: only the filters differ
    assert marked(w.formula.value) == ["output channels"]


# --- every value reachable ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["in_channels", "filters"])
def test_channel_sliders_stop_at_every_lesson_value(name):
    w = ConvExplorer()
    slider = getattr(w, name)
    stops = [v for _, v in slider.options]
    for v in (1, 2, 3, 4, 32, 63, 64, 512):
        assert v in stops
        slider.value = v
        assert getattr(w.settings, name) == v
    # few enough stops for a ~250 px track: at least 3 px each
    assert len(stops) <= 250 // 3
    # the readout (the option's label) is the count itself
    assert [label for label, _ in slider.options] == [str(v) for v in stops]


def test_any_count_from_code_gets_a_stop_and_a_non_stop_is_refused_with_the_fix():
    w = ConvExplorer()
    with pytest.raises(ConfigError, match=r"value=100 is invalid.*w\.set\(filters=100\)"):
        w.filters.value = 100
    assert w.count == 18207
    w.set(filters=100)
    assert w.filters.value == 100 and w.count == (3 * 3 * 32 + 1) * 100
    w.filters.value = 99 if 99 in [v for _, v in w.filters.options] else 100
    assert ModelWalkthrough  # walkthrough layers with any width use set() too


# --- reasons beside disabled controls ----------------------------------------------------------


def test_a_disabled_control_says_why():
    w = ConvExplorer()
    assert w.why_disabled.value == "" or "groups" in text(w.why_disabled.value)  # 32 and 63: only groups=1
    w.stride.value = 2
    assert w.dilation.disabled
    assert "dilation: Keras refuses dilation > 1 together with stride 2" in text(w.why_disabled.value)
    w.kind.value = "depthwise"
    assert w.filters.disabled
    assert "filters: a depthwise layer has no filters of its own" in text(w.why_disabled.value)


# --- the projector layout's structure ----------------------------------------------------------


def test_the_main_view_holds_three_sliders_count_formula_and_picture_the_rest_is_collapsed():
    w = ConvExplorer()
    top, more = w.children
    left, right = top.children
    assert list(left.children[:5]) == [w.kernel_size, w.in_channels, w.filters, w.count_label, w.formula]
    assert list(right.children) == [w.picture]
    assert top.layout.flex_flow == "row wrap"  # a narrow column puts the picture under the sliders
    assert isinstance(more, ipw.Accordion) and more.selected_index is None  # collapsed
    inside = set(more.children[0].children)
    for control in (
        w.kind,
        w.preset,
        w.bias,
        w.groups,
        w.stride,
        w.padding,
        w.dilation,
        w.input_size,
        w.view,
    ):
        assert control in inside
    assert "layer type" in more.get_title(0) and "padding" in more.get_title(0)
    # toggle buttons size to their labels: never "DepthwiseCon…"
    assert w.kind.style.button_width == "auto" and w.view.style.button_width == "auto"


def test_the_explorer_says_filters_are_kernels_are_output_channels():
    w = ConvExplorer()
    assert "filters = kernels = output channels" in w.filters.tooltip


# --- bad values: ConfigError naming argument, value, range and fix -----------------------------

BAD = [
    ({"kernel_size": "x"}, "kernel_size='x'"),
    ({"groups": "x"}, "groups='x'"),
    ({"stride": 0}, "stride=0"),
    ({"filters": float("nan")}, "filters=nan"),
    ({"filters": None}, "filters=None"),
    ({"kernel_size": 13}, "kernel_size=13"),
    ({"in_channels": True}, "in_channels=True"),
]


def _complete(message: str) -> None:
    assert "is invalid;" in message and "Fix:" in message, message


@pytest.mark.parametrize(("kwargs", "named"), BAD)
def test_bad_constructor_values_are_refused_with_argument_value_range_and_fix(kwargs, named):
    with pytest.raises(ConfigError) as err:
        ConvExplorer(**kwargs)
    assert named in str(err.value)
    _complete(str(err.value))


@pytest.mark.parametrize(("kwargs", "named"), BAD)
def test_bad_set_values_are_refused_shown_in_the_widget_and_change_nothing(kwargs, named):
    w = ConvExplorer()
    with pytest.raises(ConfigError) as err:
        w.set(**kwargs)
    assert named in str(err.value)
    _complete(str(err.value))
    assert 'role="alert"' in w.message.value and named.split("=")[0] in w.message.value
    assert w.count == 18207 and w.settings == controls.ConvSettings()


def test_kernel_size_13_is_refused_not_clamped():
    w = ConvExplorer()
    with pytest.raises(ConfigError, match=r"kernel_size=13 is invalid; it must be an integer from 1 to 11"):
        w.set(kernel_size=13)
    assert w.kernel_size.value == 3


VALUES = st.one_of(
    st.integers(-10, 600),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
    st.none(),
    st.booleans(),
)
FIELDS = [n for n in controls.BOUNDS] + ["groups", "bias", "kind", "padding"]


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(FIELDS), value=VALUES)
def test_fuzz_constructor_and_set_accept_or_refuse_cleanly(name, value):
    # Either a valid explorer whose count is the core's, or a ConfigError naming the argument.
    try:
        w = ConvExplorer(**{name: value})
    except ConfigError as err:
        assert f"{name}=" in str(err)
        _complete(str(err))
    else:
        s = w.settings
        assert controls.is_valid(s) and w.count == controls.describe(s).params
    w = ConvExplorer()
    try:
        w.set(**{name: value})
    except ConfigError as err:
        assert f"{name}=" in str(err) and 'role="alert"' in w.message.value
        assert w.settings == controls.ConvSettings()
    else:
        assert controls.is_valid(w.settings) and w.count == controls.describe(w.settings).params
        # a value set from code is kept or the note says what gave way: never a silent clamp
        if name in controls.BOUNDS and not isinstance(value, bool) and isinstance(value, int):
            assert getattr(w.settings, name) == value or w.message.value


def test_quiz_refuses_a_missing_input_shape():
    with pytest.raises(ConfigError, match=r"GuessQuiz: input_shape=None is invalid"):
        GuessQuiz(Conv2D(16, (5, 5)), None)


def test_quiz_refuses_a_5000_digit_answer_in_the_widget():
    q = GuessQuiz(Conv2D(16, (5, 5)), (32, 32, 3))
    q.answer.value = "9" * 5000  # int() itself refuses > 4,300 digits with a ValueError
    assert 'role="alert"' in q.feedback.value
    assert "5,000 digits" in q.feedback.value and "at most 30 digits" in q.feedback.value
    assert q.diagnosis is None
    q.answer.value = "1216"  # (5·5·3 + 1)·16 = 76·16
    assert q.diagnosis is not None and q.diagnosis.correct


# --- static pictures before a cell runs --------------------------------------------------------


def test_every_widget_shows_itself_without_a_widget_front_end():
    bundles = {
        "explorer": ConvExplorer()._repr_mimebundle_(),
        "quiz": GuessQuiz(Conv2D(16, (5, 5)), (32, 32, 3))._repr_mimebundle_(),
        "walkthrough": ModelWalkthrough()._repr_mimebundle_(),
        "explainer": SummaryExplainer(TYPO, ask="Which row?")._repr_mimebundle_(),
    }
    assert bundles["explorer"]["image/png"].startswith(PNG)
    assert "How many parameters does a Conv2D layer with 16 filters of 5×5" in bundles["quiz"]["text/html"]
    assert "Layer 1 of 8" in bundles["walkthrough"]["text/html"]
    assert "conv2d_2" in bundles["explainer"]["text/html"]
    assert "mismatch" not in bundles["explainer"]["text/html"]  # the static view keeps the question open
    for bundle in bundles.values():
        assert "application/vnd.jupyter.widget-view+json" in bundle


# --- the exercise that asks before it tells ----------------------------------------------------

VERDICT_WORDS = ("mismatch", "explained", "ambiguous", "18,207", "(3·3·32 + 1)")


def test_ask_mode_shows_the_pasted_table_without_verdicts_until_answered():
    w = SummaryExplainer(TYPO, ask="One count was mistyped. Which row, and what should it be?")
    assert not w.answered
    shown = text(w.table.value)
    assert "conv2d_2" in shown and "18,027" in shown  # the paste, as printed
    for word in VERDICT_WORDS:
        assert word not in w.table.value, word
    assert w.drawing_box.layout.display == "none" and w.feedback.value == ""
    # a wrong answer: told so, then everything is shown
    assert w.answer("dense") is False
    assert "Not quite" in w.feedback.value
    assert w.answered and "18,207" in w.table.value and w.drawing_box.layout.display is None


def test_ask_mode_right_answer_with_its_count():
    w = SummaryExplainer(TYPO, ask="Which row?")
    assert w.answer("conv2d_2", "18,207") is True
    assert "Right" in w.feedback.value and "(3·3·32 + 1)·63 = 18,207" in w.feedback.value
    # then the typo row is drawable
    assert "conv2d_2" in [label.split(" — ")[0] for label, _ in w.row_picker.options]
    assert bytes(w.picture.value).startswith(PNG)


def test_ask_mode_right_row_wrong_count_is_not_right():
    w = SummaryExplainer(TYPO, ask="Which row?")
    assert w.answer("conv2d_2", 630) is False
    assert "18,207" in w.feedback.value


def test_ask_mode_refuses_an_unknown_row():
    w = SummaryExplainer(TYPO, ask="Which row?")
    with pytest.raises(ConfigError, match=r"row='conv9' is invalid"):
        w.answer("conv9")


def test_show_me_reveals_without_an_answer():
    w = SummaryExplainer(TYPO, ask="Which row?")
    w.show_button.click()
    assert w.answered and "count fits nothing" in w.table.value  # the mismatch row, in human words


@pytest.mark.parametrize(
    "paste",
    [
        "keras2__seed",
        "keras3__mnist__default",
        "tf_keras__mnist__default",
        "torchinfo__mnist",
        "torch_repr__mnist",
    ],
)
def test_every_conv_row_is_drawable_whatever_the_format(paste):
    w = SummaryExplainer((DATA / f"{paste}.txt").read_text(encoding="utf-8"))
    assert w.explanation is not None
    convs = [i for i, r in enumerate(w.explanation.rows) if (r.layer_type or "").lower().startswith("conv2d")]
    assert len(convs) == 2
    offered = [i for _, i in w.row_picker.options]
    for i in convs:
        assert i in offered
        w.row_picker.value = i
        assert bytes(w.picture.value).startswith(PNG), (paste, i)
        assert w.explanation.rows[i].formula.split(" = ")[-1] in w.formula.value


# --- the explainer reads a pasted summary once typing pauses -----------------------------------


class FakeLoop:
    def __init__(self):
        self.now = 0.0
        self.calls = []

    def clock(self):
        return self.now

    def schedule(self, delay, callback):
        class Handle:
            cancelled = False

            def cancel(self):
                self.cancelled = True

        h = Handle()
        self.calls.append((self.now + delay, callback, h))
        return h

    def run_until(self, t):
        self.now = t
        for when, cb, h in list(self.calls):
            if when <= t and not h.cancelled:
                self.calls.remove((when, cb, h))
                cb()


def test_typing_reads_the_summary_once_after_the_typing_pauses(monkeypatch):
    import convwidget.widgets.explain as module

    reads = []
    real = module.explain_summary

    def counting(text):
        reads.append(text)
        return real(text)

    monkeypatch.setattr(module, "explain_summary", counting)
    loop = FakeLoop()
    w = SummaryExplainer(clock=loop.clock, schedule=loop.schedule)
    reads.clear()
    for i in range(1, 40):
        loop.now = i * 0.05
        w.text.set_state({"value": SEED[: i * 20]})  # keystrokes from the browser
    assert reads == []  # none read while typing
    loop.run_until(39 * 0.05 + DEBOUNCE_SECONDS)
    assert reads == [SEED[: 39 * 20]]  # one read, of the latest text
    w.text.value = SEED  # from code: at once
    assert reads[-1] == SEED and w.explanation is not None


def test_the_typo_paste_draws_the_flagged_conv_row_not_a_dense_layer():
    w = SummaryExplainer(TYPO)
    assert w.explanation is not None
    assert w.explanation.rows[w.row_picker.value].name == "conv2d_2"
    assert "its shapes give (3·3·32 + 1)·63 = 18,207" in w.formula.value
    assert bytes(w.picture.value).startswith(PNG)


def test_answering_draws_the_row_the_learner_named():
    w = SummaryExplainer(TYPO, ask="Which row?")
    w.answer("conv2d_1")
    assert w.explanation.rows[w.row_picker.value].name == "conv2d_1"


def test_a_conv_row_without_its_input_is_drawn_with_the_formulas_geometry():
    from convwidget.explain import explain_summary
    from convwidget.widgets.explain import drawable_info

    e = explain_summary((DATA / "torch_repr__mnist.txt").read_text(encoding="utf-8"))
    conv2 = e.row("conv2")
    assert conv2.best is not None and conv2.best.info is None  # print(model) shows no input shape
    g = drawable_info(conv2).geometry
    # nn.Conv2d(32, 63, 3): 63 kernels of 3×3×32 with bias, (3·3·32 + 1)·63 = 18,207
    assert (g.kernel_size, g.in_channels, g.out_channels, g.bias) == ((3, 3), 32, 63, True)
    assert drawable_info(conv2).params == conv2.best.terms.total == 18207


@settings(max_examples=60, deadline=None)
@given(answer=st.one_of(st.text(max_size=40), st.integers(-(10**40), 10**40).map(str)))
def test_fuzz_quiz_answers_give_a_verdict_or_a_message_never_an_exception(answer):
    q = GuessQuiz(Conv2D(16, (5, 5)), (32, 32, 3))
    q.answer.value = answer  # what typing does; must not raise into the notebook
    if q.diagnosis is None:
        assert q.feedback.value == "" or 'role="alert"' in q.feedback.value
    else:
        assert ("Right" in q.feedback.value) == q.diagnosis.correct


@settings(max_examples=40, deadline=None)
@given(
    shape=st.one_of(
        st.none(), st.text(max_size=3), st.lists(st.one_of(st.integers(-3, 40), st.none()), max_size=4)
    )
)
def test_fuzz_quiz_input_shapes_are_accepted_or_refused_by_name(shape):
    try:
        q = GuessQuiz(Conv2D(16, (5, 5)), shape)
    except ConfigError as err:
        assert "input_shape=" in str(err) or "Conv2D" in str(err)
    else:
        assert q.info.params == Conv2D(16, (5, 5)).describe(tuple(shape)).params


@pytest.mark.parametrize("ask", [123, b"which?", ["q"]])
def test_explainer_refuses_a_question_that_is_not_text(ask):
    with pytest.raises(ConfigError, match=r"SummaryExplainer: ask="):
        SummaryExplainer(SEED, ask=ask)


def test_quiz_refuses_a_layer_class_instead_of_a_layer():
    with pytest.raises(
        ConfigError, match=r"GuessQuiz: layer=<class .*Conv2D'> is invalid.*Fix: pass a layer object"
    ):
        GuessQuiz(Conv2D, (32, 32, 3))


@pytest.mark.parametrize("answer", ["²", "1²", "①"])
def test_quiz_refuses_digits_that_are_not_0_to_9_in_the_widget(answer):
    q = GuessQuiz(Conv2D(16, (5, 5)), (32, 32, 3))
    q.answer.value = answer  # str.isdigit() is True for these, int() refuses them
    assert 'role="alert"' in q.feedback.value and "digits 0–9" in q.feedback.value
