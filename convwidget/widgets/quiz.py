"""The guessing quiz: type a layer's parameter count, learn whether it is right and which term it dropped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw

from .._checks import fail, shape_arg
from ..enums import Family
from ..html import dims_text, formula_block_html, paragraph_html, shape_text, static_quiz_html, verdict_html
from ..info import Describable, LayerInfo
from ._guard import GuardedBox
from ._picture import png_of

if TYPE_CHECKING:
    from ..diagnose import Diagnosis


# A count longer than this is no count of any layer a lesson builds (10^30 parameters); refusing it
# here also keeps a pasted 5,000-digit number away from int(), which refuses > 4,300 digits.
_MAX_DIGITS = 30


def _layer_text(info: LayerInfo) -> str:
    g = info.geometry
    shape = shape_text(info.input_shape)
    if g is None:
        return f"a {info.layer_type} layer on an input of shape {shape}"
    # The bias changes the answer, so the question must say when there is none.
    bias = "" if g.bias else " and no bias"
    if g.kind is Family.DENSE:
        return f"a {info.layer_type} layer with {g.out_channels} units{bias} on an input of shape {shape}"
    k = dims_text(g.kernel_size)
    groups = f", groups={g.groups}" if g.kind is Family.CONV and g.groups > 1 else ""
    if g.kind is Family.DEPTHWISE:
        what = f"{k} kernels{groups}{bias}"
    else:
        what = f"{g.out_channels} filters of {k}{groups}{bias}"
    return f"a {info.layer_type} layer with {what} on an input of shape {shape}"


class GuessQuiz(GuardedBox):
    """Ask for a layer's parameter count, say whether the answer is right and which term it dropped.

    Parameters
    ----------
    layer : Describable
        A convwidget layer of either dialect, e.g. ``Conv2D(63, (3, 3))``.
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.

    Attributes
    ----------
    answer : ipywidgets.Text
        Where the learner types a count ("18207" or "18,207"); Enter checks it.
    check_button, show_button : ipywidgets.Button
    feedback : ipywidgets.HTML
        The verdict on the last answer, and the error area: an answer that is not a count
        is refused with a message here.
    formula, question : ipywidgets.HTML
    picture : ipywidgets.Image
        The misconception drawing for the last answer (empty until then).
    diagnosis : Diagnosis or None
        The verdict on the last answer.
    info : LayerInfo
        The layer's ``describe`` result.

    Raises
    ------
    ConfigError
        If the layer cannot take ``input_shape``.
    """

    def __init__(self, layer: Describable, input_shape: Iterable[int]) -> None:
        if not isinstance(layer, Describable):
            raise fail(
                "GuessQuiz",
                "layer",
                layer,
                "it must be a convwidget layer (convwidget.layers or convwidget.nn)",
                "pass a layer object, e.g. Conv2D(63, (3, 3))",
            )
        self.layer = layer
        self.input_shape = shape_arg("GuessQuiz", input_shape)
        self.info: LayerInfo = layer.describe(self.input_shape)
        self.diagnosis: Diagnosis | None = None
        self.question = ipw.HTML(paragraph_html(f"How many parameters does {_layer_text(self.info)} have?"))
        self.question.add_class("convwidget-question")
        self.answer = ipw.Text(
            description="your count",
            placeholder="e.g. 630",
            continuous_update=False,
            style={"description_width": "7em"},
        )
        self.answer.add_class("convwidget-guess")
        self.check_button = ipw.Button(description="Check", tooltip="check your count", icon="check")
        self.check_button.add_class("convwidget-check")
        self.show_button = ipw.Button(description="Show me", tooltip="reveal the formula", icon="eye")
        self.show_button.add_class("convwidget-show")
        self.feedback = ipw.HTML()
        self.feedback.add_class("convwidget-feedback")
        self.error_area = self.feedback
        self.formula = ipw.HTML()
        self.formula.add_class("convwidget-formula")
        self.picture = ipw.Image(format="png", layout=ipw.Layout(max_width="640px", display="none"))
        self.picture.add_class("convwidget-misconception")
        self.answer.observe(self._guard(self._on_answer), "value")
        self.check_button.on_click(self._guard(self._on_check))
        self.show_button.on_click(self._guard(self._on_show))
        super().__init__(
            [
                self.question,
                ipw.HBox([self.answer, self.check_button, self.show_button]),
                self.feedback,
                self.formula,
                self.picture,
            ]
        )
        self.add_class("convwidget-quiz")

    def __repr__(self) -> str:
        return f"GuessQuiz({self.info.layer_type} on {shape_text(self.input_shape)})"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = super()._repr_mimebundle_(**kwargs)
        # Before the cell runs (Binder's first open, GitHub) the question shows, not only the repr.
        data["text/html"] = static_quiz_html(self.question.value, str(self.answer.placeholder))
        data["text/plain"] = repr(self)
        return data

    def _on_answer(self, change: Any) -> None:
        self._check_text(change["new"])

    def _on_check(self, _button: Any) -> None:
        self._check_text(self.answer.value)

    def _on_show(self, _button: Any) -> None:
        self.reveal()

    def _check_text(self, text: str) -> None:
        if not str(text).strip():
            return
        self.check(text)

    def check(self, guess: int | str) -> Diagnosis:
        """Check ``guess`` as if the learner had typed it, and show the verdict.

        Parameters
        ----------
        guess : int or str
            A count such as ``630`` or ``"18,207"``.

        Returns
        -------
        Diagnosis
            The verdict (also kept in :attr:`diagnosis`).

        Raises
        ------
        ConfigError
            If ``guess`` is not a whole number >= 0 (from code; typed answers show the message instead).
        """
        from ..diagnose import diagnose

        odd = sorted({c for c in str(guess) if c.isdigit() and not c.isdecimal()})
        if odd:
            # '²' or '①' pass str.isdigit() but int() refuses them (diagnose's check lets them through).
            raise fail(
                "GuessQuiz",
                "guess",
                str(guess)[:40],
                f"a count is written with the digits 0–9, not {' '.join(odd)}",
                "type the count with the digits 0–9, e.g. 630",
            )
        digits = sum(c.isdigit() for c in str(guess))
        if digits > _MAX_DIGITS:
            raise fail(
                "GuessQuiz",
                "guess",
                f"a number of {digits:,} digits",
                f"a parameter count has at most {_MAX_DIGITS} digits",
                f"type a count such as {self.info.params // 2 or 1}",
            )
        d = diagnose(guess, self.layer, self.input_shape)
        self.diagnosis = d
        self.feedback.value = verdict_html(d.correct, str(d))
        if d.correct:
            self.reveal()
            self.picture.layout.display = "none"
        else:
            self._draw(d)
        return d

    def reveal(self) -> None:
        """Show the formula with the numbers filled in."""
        self.formula.value = formula_block_html(self.info.terms, "1.4em")

    def _draw(self, d: Diagnosis) -> None:
        from ..drawing import draw_misconception

        self.picture.value = png_of(lambda ax: draw_misconception(ax, d))
        self.picture.layout.display = None
