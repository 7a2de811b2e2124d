"""Otter-grader test for question 3: the total of a small MNIST model (a hidden case, as graders use)."""

from otter.test_files import test_case

from convwidget import Sequential
from convwidget.grading import check_total
from convwidget.layers import Conv2D, Dense, Flatten, MaxPooling2D

OK_FORMAT = False

name = "q3"
points = 2


def _model():
    return Sequential(
        [
            Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
            Conv2D(63, (3, 3), activation="relu"),
            MaxPooling2D((2, 2)),
            Flatten(),
            Dense(10, activation="softmax"),
        ]
    )


@test_case(points=1)
def total_is_a_whole_number(total):
    assert isinstance(total, (int, str)), f"total={total!r}: write the total as a number, e.g. 12345"


@test_case(points=1, hidden=True)
def total_of_the_model(total):
    check_total(total, _model())
