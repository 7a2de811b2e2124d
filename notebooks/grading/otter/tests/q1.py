"""Otter-grader test for question 1: the parameter count of the lesson's seed layer."""

from otter.test_files import test_case

from convwidget.grading import check_count
from convwidget.layers import Conv2D

OK_FORMAT = False

name = "q1"
points = 1


@test_case(points=1)
def count_of_the_seed_layer(count):
    check_count(count, Conv2D(63, (3, 3)), (26, 26, 32))
