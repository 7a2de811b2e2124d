"""The multiple-choice quiz: pick a layer's parameter count among the counts that real mistakes give."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as ipw

from .._checks import fail, shape_arg
from ..formula import group_digits
from ..grading import Choice, choices
from ..html import paragraph_html, shape_text, verdict_html
from ..info import Describable, LayerInfo
from ._guard import GuardedBox
from .quiz import _layer_text


class ChoiceQuiz(GuardedBox):
    """Ask for a layer's parameter count as multiple choice; each wrong option says which mistake gives it.

    The options are :func:`convwidget.grading.choices` (the right count and the counts of the most
    common named mistakes), in the same order for the same ``seed``, so a printed handout made with
    ``choices(layer, input_shape, n, seed)`` and this widget agree.

    Parameters
    ----------
    layer : Describable
        A convwidget layer of either dialect, e.g. ``Conv2D(63, (3, 3))``.
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.
    n : int, default 4
        How many options.
    seed : int or None
        The display order (None: by value, smallest first).

    Attributes
    ----------
    options : list of Choice
        The options, in display order.
    buttons : ipywidgets.RadioButtons
        One radio button per option (its value is the option's index); none chosen at first.
    feedback : ipywidgets.HTML
        The verdict on the chosen option (its feedback sentence), and the error area.
    question : ipywidgets.HTML
    chosen : Choice or None
        The option chosen last.
    info : LayerInfo
        The layer's ``describe`` result.

    Raises
    ------
    ConfigError
        If the layer cannot take ``input_shape``, or ``n`` / ``seed`` are out of range (see
        :func:`~convwidget.grading.choices`).
    """

    def __init__(
        self, layer: Describable, input_shape: Sequence[int], n: int = 4, seed: int | None = None
    ) -> None:
        if not isinstance(layer, Describable):
            raise fail(
                "ChoiceQuiz",
                "layer",
                layer,
                "it must be a convwidget layer (convwidget.layers or convwidget.nn)",
                "pass a layer object, e.g. Conv2D(63, (3, 3))",
            )
        self.layer = layer
        self.input_shape = shape_arg("ChoiceQuiz", input_shape)
        self.seed = seed
        self.options: list[Choice] = choices(layer, self.input_shape, n, seed)
        self.info: LayerInfo = layer.describe(self.input_shape)
        self.chosen: Choice | None = None
        self.question = ipw.HTML(paragraph_html(f"How many parameters does {_layer_text(self.info)} have?"))
        self.question.add_class("convwidget-question")
        self.buttons = ipw.RadioButtons(
            options=[(group_digits(c.value), i) for i, c in enumerate(self.options)],
            value=None,
            layout=ipw.Layout(width="max-content"),
        )
        self.buttons.add_class("convwidget-choices")
        self.feedback = ipw.HTML()
        self.feedback.add_class("convwidget-feedback")
        self.error_area = self.feedback
        self.buttons.observe(self._guard(self._on_choice), "value")
        super().__init__([self.question, self.buttons, self.feedback])
        self.add_class("convwidget-choice-quiz")

    def __repr__(self) -> str:
        values = ", ".join(group_digits(c.value) for c in self.options)
        return (
            f"ChoiceQuiz({self.info.layer_type} on {shape_text(self.input_shape)}, "
            f"options [{values}], seed={self.seed})"
        )

    def _on_choice(self, change: Any) -> None:
        index = change["new"]
        if index is None:
            self.chosen = None
            self.feedback.value = ""
            return
        option = self.options[index]
        verdict = verdict_html(option.correct, option.feedback)
        self.chosen = option
        self.feedback.value = verdict

    def choose(self, value: int) -> Choice:
        """Choose the option showing ``value``, as if the learner had clicked it, and show its feedback.

        Parameters
        ----------
        value : int
            One of the options' counts, e.g. ``630``.

        Returns
        -------
        Choice
            The chosen option (also kept in :attr:`chosen`).

        Raises
        ------
        ConfigError
            If no option shows ``value``.
        """
        for i, option in enumerate(self.options):
            if option.value == value:
                self.buttons.value = i
                return option
        raise fail(
            "ChoiceQuiz.choose",
            "value",
            value,
            f"it must be one of the options: {', '.join(str(c.value) for c in self.options)}",
        )
