"""Graded exercises: checks that fail with the diagnosis, and multiple choice built from real mistakes.

    >>> from convwidget.grading import check_count, choices
    >>> from convwidget.layers import Conv2D
    >>> check_count(18207, Conv2D(63, (3, 3)), (26, 26, 32))    # right: passes silently
    >>> try:
    ...     check_count(630, Conv2D(63, (3, 3)), (26, 26, 32))
    ... except AssertionError as exc:
    ...     print(exc.mistake, "|", str(exc)[:57])
    forgot_input_channels | 630 = (3·3 + 1)·63: each of the 63 kernels also spans the
    >>> [c.value for c in choices(Conv2D(63, (3, 3)), (26, 26, 32))]
    [630, 18144, 18176, 18207]

The checks raise :class:`WrongAnswerError`, an :class:`AssertionError`, so a cell that
calls one is an nbgrader autograded test cell and an otter-grader test case as it
stands; the grader shows the message, which is the sentence of
:func:`convwidget.diagnose.diagnose` (or its shape and model-total counterparts
here). A wrong answer no named mistake explains still fails, with the right
formula to fill in. A broken exercise (a layer that cannot take the input shape)
raises :class:`~convwidget.errors.ConfigError`, not an assertion, so the teacher
sees it as an error rather than as the learner's wrong answer.

:func:`choices` never invents a number: every distractor is the count one named
mistake of :func:`~convwidget.diagnose.mistakes` produces, ranked by
:data:`COMMONNESS`; ``seed`` only shuffles the display order.
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Sequence
from dataclasses import dataclass

from ._checks import fail
from .diagnose import Diagnosis, diagnose, mistakes, whole_number
from .enums import Family, Layout
from .errors import ConfigError
from .formula import group_digits
from .html import dims_text, shape_text
from .info import Describable, LayerInfo, Shape
from .model import Model, Row

__all__ = [
    "COMMONNESS",
    "MODEL_MISTAKES",
    "SHAPE_MISTAKES",
    "Choice",
    "WrongAnswerError",
    "check_count",
    "check_output_shape",
    "check_total",
    "choices",
]

# How common each counting mistake is among learners, most common first: forgetting the input
# channels is the classic one (the question convwidget was written for), and its counterparts in
# the other families (the recurrent weights, the gates, one attention projection, an Embedding as
# a sum); then the bias, then the framework conventions, then the mix-ups of channels, then the
# rarer ones that take the image for the kernel. Only a layer's own mistakes compete, so the order
# matters within a family. The top n − 1 of a layer's mistakes become its distractors. A test checks
# that every id of diagnose.MISTAKES is ranked here, so a new mistake cannot be left out silently.
COMMONNESS: tuple[str, ...] = (
    "forgot_input_channels",
    "forgot_recurrent_weights",
    "forgot_gates",
    "recurrent_as_dense",
    "attention_one_projection",
    "embedding_vocab_plus_dim",
    "forgot_bias",
    "dense_without_bias",
    "batchnorm_non_trainable",
    "torch_one_bias",
    "gru_one_bias",
    "swapped_channels",
    "one_direction",
    "bias_per_input_channel",
    "forgot_input_channels_and_bias",
    "forgot_output_channels",
    "stacked_first_input",
    "depthwise_as_full_conv",
    "output_size_for_kernel",
    "input_size_for_kernel",
)

# Stable ids of the output-shape mistakes recognised, with what each means.
SHAPE_MISTAKES = {
    "batch_axis_included": "the batch size written as a number in front of the shape",
    "channels_on_wrong_axis": "the channel axis put at the other end (channels first for last, or back)",
    "kept_input_channels": "the input's channel count kept instead of the layer's output channels",
    "kept_input_size": "the input's spatial size kept, as if the kernel did not change it",
    "forgot_plus_one": "one position too few along each axis: (n − F)/s without the + 1",
    "dense_flattened": "a Dense layer taken to flatten its input instead of acting on the last axis",
}

# Stable ids of the model-total mistakes recognised (besides one layer's counting mistake from
# diagnose.MISTAKES, or the same mistake in several layers), with what each means.
MODEL_MISTAKES = {
    "left_out_layer": "one layer with parameters left out of the total",
    "trainable_only": "only the trainable parameters counted",
}

# Families whose layers have a channel axis that the two frameworks put at opposite ends.
_CHANNEL_AXIS = frozenset(
    {Family.CONV, Family.TRANSPOSE, Family.DEPTHWISE, Family.SEPARABLE, Family.POOL, Family.NORM}
)

_WHOLE_SHAPE = (
    "it must be the output shape as a tuple of whole numbers, without the batch axis, e.g. (24, 24, 63), "
    "or with None for it, e.g. (None, 24, 24, 63)"
)


class WrongAnswerError(AssertionError):
    """A learner's answer that is wrong; the message says why (the diagnosis sentence).

    An :class:`AssertionError`, so graders (nbgrader, otter-grader, pytest) report it as a failed test.

    Parameters
    ----------
    message : str
        The diagnosis sentence, shown by the grader.
    mistake : str or None
        Id of the mistake that produces the answer (from :data:`convwidget.diagnose.MISTAKES`,
        :data:`SHAPE_MISTAKES` or :data:`MODEL_MISTAKES`), or None when no named mistake explains it
        (or the answer is not a number at all).
    """

    def __init__(self, message: str, mistake: str | None = None) -> None:
        super().__init__(message)
        self.mistake = mistake


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice question on a layer's parameter count.

    Parameters
    ----------
    value : int
        The count shown as the option.
    correct : bool
        Whether it is the layer's count.
    mistake : str or None
        Id of the named mistake that produces ``value`` (see :data:`convwidget.diagnose.MISTAKES`);
        None for the right count.
    feedback : str
        The sentence shown when the option is chosen: the diagnosis of ``value``.
    """

    value: int
    correct: bool
    mistake: str | None
    feedback: str


def _layer_arg(where: str, layer: object) -> Describable:
    if not isinstance(layer, Describable):
        raise fail(
            where,
            "layer",
            layer,
            "it must be a convwidget layer (convwidget.layers or convwidget.nn)",
            "pass a layer object, e.g. Conv2D(63, (3, 3))",
        )
    return layer


def _count(answer: object) -> int:
    """The answer as a count, or a failed check saying it is not one."""
    try:
        return whole_number(answer)
    except ConfigError as exc:
        raise WrongAnswerError(str(exc)) from exc


# -- counts ------------------------------------------------------------------------------------------------
def check_count(answer: object, layer: Describable, input_shape: Sequence[int]) -> None:
    """Pass silently if ``answer`` is the parameter count of ``layer`` on ``input_shape``; fail with why not.

    Parameters
    ----------
    answer : int or str
        The learner's count (``18207``, ``18207.0`` or ``"18,207"``).
    layer : Describable
        A convwidget layer of either dialect, e.g. ``Conv2D(63, (3, 3))``.
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.

    Raises
    ------
    WrongAnswerError
        (an ``AssertionError``) if the answer is wrong or not a whole number; its message is the
        diagnosis sentence ("630 = (3·3 + 1)·63: each of the 63 kernels also spans the 32 input
        channels…") and its ``mistake`` the named mistake, if one produces the answer.
    ConfigError
        If ``layer`` is not a layer or cannot take ``input_shape`` (the exercise is broken, not the answer).
    """
    layer = _layer_arg("check_count", layer)
    layer.describe(input_shape)  # a broken exercise raises ConfigError here, before the answer is judged
    d = diagnose(_count(answer), layer, input_shape)
    if not d.correct:
        raise WrongAnswerError(d.message, d.mistake)


# -- output shapes -----------------------------------------------------------------------------------------
def _shape_answer(answer: object, rank: int) -> Shape:
    """The answer without its batch axis (a leading None), or a failed check saying it is not a shape."""
    refused = WrongAnswerError(str(fail("check_output_shape", "answer", answer, _WHOLE_SHAPE)))
    if not isinstance(answer, Sequence) or isinstance(answer, str):
        raise refused
    items = tuple(answer)
    if len(items) == rank + 1 and items[0] is None:
        items = items[1:]
    shape: list[int] = []
    for n in items:
        if not isinstance(n, numbers.Integral) or isinstance(n, bool):
            raise refused
        shape.append(int(n))
    return tuple(shape)


def _text(shape: Sequence[int]) -> str:
    return repr(tuple(shape))


def _with_channels(info: LayerInfo, shape: Shape, channels: int) -> Shape:
    return (channels, *shape[1:]) if info.layout is Layout.CHANNELS_FIRST else (*shape[:-1], channels)


def _with_spatial(info: LayerInfo, shape: Shape, spatial: Sequence[int]) -> Shape:
    channels = info.split(shape)[1]
    return (channels, *spatial) if info.layout is Layout.CHANNELS_FIRST else (*spatial, channels)


def _shape_candidates(info: LayerInfo) -> list[tuple[str, Shape, str]]:
    """(mistake, the shape it produces, why it is wrong) for ``info``; the first match names the mistake."""
    right, given = info.output_shape, info.input_shape
    family = info.kind.family if info.kind is not None else None
    out: list[tuple[str, Shape, str]] = []
    if len(right) >= 2 and family in _CHANNEL_AXIS:
        first = info.layout is Layout.CHANNELS_FIRST
        moved = (*right[1:], right[0]) if first else (right[-1], *right[:-1])
        end = "first" if first else "last"
        out.append(
            (
                "channels_on_wrong_axis",
                moved,
                f"this {info.layer_type} puts the channels {end} ({info.layout.value}), so the output is "
                f"{_text(right)}",
            )
        )
    if family is Family.DENSE and len(given) > 1:
        out.append(
            (
                "dense_flattened",
                right[-1:],
                f"a {info.layer_type} layer acts on the last axis only and keeps the others, so the output "
                f"is {_text(right)}",
            )
        )
    if len(right) != len(given) or len(right) < 2:
        return out
    (in_spatial, in_channels), (out_spatial, out_channels) = info.split(given), info.split(right)
    if in_channels != out_channels:
        per = (
            " (one per unit)"
            if family is Family.DENSE
            else " (one per kernel)"
            if family is Family.CONV
            else ""
        )
        out.append(
            (
                "kept_input_channels",
                _with_channels(info, right, in_channels),
                f"the layer makes {out_channels} output channels{per}, not the input's {in_channels}, so "
                f"the output is {_text(right)}",
            )
        )
    if in_spatial and in_spatial != out_spatial:
        out.append(
            (
                "kept_input_size",
                _with_spatial(info, right, in_spatial),
                f"the {dims_text(in_spatial)} input becomes {dims_text(out_spatial)}: the number of kernel "
                f"positions (set by the kernel size, strides and padding) is the output's size, so the "
                f"output is {_text(right)}",
            )
        )
    shrinks = family in (Family.CONV, Family.DEPTHWISE, Family.SEPARABLE, Family.POOL)
    if shrinks and in_spatial and all(o < i for o, i in zip(out_spatial, in_spatial)):
        out.append(
            (
                "forgot_plus_one",
                _with_spatial(info, right, [n - 1 for n in out_spatial]),
                f"a kernel of size F fits (n − F)/s + 1 times along an axis of size n (the + 1 counts its "
                f"first position), so the output is {_text(right)}",
            )
        )
    return out


def check_output_shape(answer: object, layer: Describable, input_shape: Sequence[int]) -> None:
    """Pass silently if ``answer`` is the output shape of ``layer`` on ``input_shape``; fail with why not.

    Parameters
    ----------
    answer : tuple of int
        The learner's shape without the batch axis, ``(24, 24, 63)``, or with None for it,
        ``(None, 24, 24, 63)`` (as Keras prints it). A list or ``torch.Size`` is fine.
    layer : Describable
        A convwidget layer of either dialect.
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.

    Raises
    ------
    WrongAnswerError
        (an ``AssertionError``) if the shape is wrong or not a shape; the message names the mistake
        (:data:`SHAPE_MISTAKES`) when one produces the answer, and gives the right shape.
    ConfigError
        If ``layer`` is not a layer or cannot take ``input_shape``.
    """
    info = _layer_arg("check_output_shape", layer).describe(input_shape)
    right = info.output_shape
    if (
        isinstance(answer, Sequence)
        and not isinstance(answer, str)
        and len(answer) == len(right) + 1
        and isinstance(answer[0], numbers.Integral)
        and not isinstance(answer[0], bool)
        and tuple(answer[1:]) == right
    ):
        raise WrongAnswerError(
            f"{_text(answer)} has the batch size in front: the answer is the shape of one example, "
            f"{_text(right)}, or (None, ...) with None for the batch axis",
            "batch_axis_included",
        )
    shape = _shape_answer(answer, len(right))
    if shape == right:
        return
    for mistake, wrong, why in _shape_candidates(info):
        if wrong == shape and wrong != right:
            raise WrongAnswerError(f"{_text(shape)} is wrong: {why}.", mistake)
    raise WrongAnswerError(
        f"{_text(shape)} is not the output shape of this {info.layer_type} on an input of shape "
        f"{shape_text(info.input_shape)}; it is {_text(right)}."
    )


# -- a model's total ---------------------------------------------------------------------------------------
def _total_candidates(rows: Sequence[Row]) -> list[tuple[str, int, str]]:
    """(mistake, the total it produces, why it is wrong) for a model's rows; the first match names it."""
    total = sum(r.params for r in rows)
    out: list[tuple[str, int, str]] = []
    per_row = [
        (row, mistakes(row.layer, row.info.input_shape) if row.layer is not None else []) for row in rows
    ]
    for row, wrong in per_row:
        for d in wrong:
            assert d.mistake is not None  # mistakes() lists named mistakes only
            out.append(
                (
                    d.mistake,
                    total - row.params + d.guess,
                    f"layer '{row.name}' ({row.info.layer_type}) is counted as {group_digits(d.guess)} "
                    f"instead of {group_digits(row.params)}. {d.message}",
                )
            )
    # The same mistake everywhere: with every mistake of each layer, also one that diagnose names
    # otherwise there (forgetting the bias of a first layer with Cin = 1 is forgetting Cin and bias too).
    every = [
        (row, mistakes(row.layer, row.info.input_shape, distinct=False))
        for row in rows
        if row.layer is not None
    ]
    # Grouped by mistake, and by the factors the wrong formula drops or adds, so leaving out every
    # bias is one mistake whether a layer calls it forgot_bias (Conv2D) or dense_without_bias (Dense).
    groups: dict[tuple[str, ...], list[tuple[Row, Diagnosis]]] = {}
    for row, wrong in every:
        for d in wrong:
            keys: list[tuple[str, ...]] = [("mistake", str(d.mistake))]
            if d.dropped or d.added:
                keys.append(("factors", *d.dropped, "+", *d.added))
            for key in keys:
                group = groups.setdefault(key, [])
                if all(other.index != row.index for other, _ in group):  # one wrong count per layer
                    group.append((row, d))
    for hits in groups.values():
        if len(hits) > 1:
            value = total + sum(d.guess - row.params for row, d in hits)
            names = ", ".join(f"'{row.name}'" for row, _ in hits)
            first = hits[0][1]
            assert first.mistake is not None  # mistakes() lists named mistakes only
            out.append((first.mistake, value, f"layers {names} have the same mistake. {first.message}"))
    for row in rows:
        if row.params:
            out.append(
                (
                    "left_out_layer",
                    total - row.params,
                    f"layer '{row.name}' ({row.info.layer_type}) is left out; it has "
                    f"{row.info.terms.text} parameters.",
                )
            )
    frozen = sum(r.info.non_trainable_params for r in rows)
    if frozen:
        out.append(
            (
                "trainable_only",
                total - frozen,
                f"it leaves out the {group_digits(frozen)} non-trainable parameters (such as "
                f"BatchNormalization's moving mean and variance), which the total counts too.",
            )
        )
    return out


def check_total(answer: object, model: Model, input_shape: Sequence[int] | None = None) -> None:
    """Pass silently if ``answer`` is the model's total parameter count; fail with why not.

    Parameters
    ----------
    answer : int or str
        The learner's total (``18527`` or ``"18,527"``).
    model : Model
        A convwidget model (``convwidget.Sequential`` or ``convwidget.nn.Sequential``).
    input_shape : tuple of int, optional
        The model's input shape without the batch axis, when the model does not say it itself
        (a PyTorch-dialect model).

    Raises
    ------
    WrongAnswerError
        (an ``AssertionError``) if the total is wrong or not a whole number; the message names the
        layer and its mistake (a counting mistake of one layer, or the same one in several), a layer
        left out, or only the trainable parameters counted, when one of these produces the answer.
    ConfigError
        If ``model`` is not a convwidget model or a layer cannot take the shape it receives.
    """
    if not isinstance(model, Model):
        raise fail(
            "check_total",
            "model",
            model,
            "it must be a convwidget model (convwidget.Sequential or convwidget.nn.Sequential)",
            "build the model with convwidget.layers or convwidget.nn",
        )
    rows = model.describe(input_shape)
    total = sum(r.params for r in rows)
    value = _count(answer)
    if value == total:
        return
    for mistake, wrong, why in _total_candidates(rows):
        if wrong == value and wrong != total:
            raise WrongAnswerError(f"{group_digits(value)} is not the total: {why}", mistake)
    parts = " + ".join(group_digits(r.params) for r in rows if r.params)
    raise WrongAnswerError(
        f"{group_digits(value)} is not the total of this model; add every layer's count: "
        f"{parts} = {group_digits(total)}."
    )


# -- multiple choice ---------------------------------------------------------------------------------------
def _rank(mistake: str | None) -> int:
    return COMMONNESS.index(mistake) if mistake in COMMONNESS else len(COMMONNESS)


def choices(
    layer: Describable, input_shape: Sequence[int], n: int = 4, seed: int | None = None
) -> list[Choice]:
    """The right count and ``n − 1`` wrong ones, each the count a common named mistake produces.

    Parameters
    ----------
    layer : Describable
        A convwidget layer of either dialect, e.g. ``Conv2D(63, (3, 3))``.
    input_shape : tuple of int
        The shape the layer receives, without the batch axis.
    n : int, default 4
        How many options, at least 2 and at most one more than the layer has named mistakes.
    seed : int or None
        None lists the options by value, smallest first; an int shuffles them in an order that
        depends on the seed only (a printed handout and a :class:`~convwidget.widgets.ChoiceQuiz`
        with the same seed agree). Which values appear never depends on the seed.

    Returns
    -------
    list of Choice
        ``n`` options: the right count, and the counts of the ``n − 1`` most common mistakes
        (:data:`COMMONNESS`) that give distinct wrong counts, each with its diagnosis as feedback.

    Raises
    ------
    ConfigError
        If ``n`` is not an int in range, ``seed`` is not an int or None, or the layer cannot take
        ``input_shape``.
    """
    layer = _layer_arg("choices", layer)
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise fail("choices", "n", n, "it must be an int >= 2 (the right count and at least one mistake)")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise fail("choices", "seed", seed, "it must be an int or None", "pass e.g. seed=0")
    info = layer.describe(input_shape)
    wrong = sorted(mistakes(layer, input_shape), key=lambda d: _rank(d.mistake))
    if len(wrong) < n - 1:
        raise fail(
            "choices",
            "n",
            n,
            f"this {info.layer_type} on an input of shape {shape_text(info.input_shape)} has "
            f"{len(wrong)} named mistake(s) with distinct counts, so n can be at most {len(wrong) + 1}",
            "ask for fewer options, or choose a layer with weights (Conv2D, Dense, BatchNormalization, ...)",
        )
    right = diagnose(info.params, layer, input_shape)
    options = [Choice(info.params, True, None, right.message)]
    options += [Choice(d.guess, False, d.mistake, d.message) for d in wrong[: n - 1]]
    options.sort(key=lambda c: c.value)
    if seed is not None:
        random.Random(seed).shuffle(options)
    return options
