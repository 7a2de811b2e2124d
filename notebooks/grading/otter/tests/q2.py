"""Otter-grader test for question 2: the output shape of the seed layer (batch axis left out or None)."""

from otter.test_files import test_case

from convwidget.grading import check_output_shape
from convwidget.layers import Conv2D

OK_FORMAT = False

name = "q2"
points = 1


@test_case(points=1)
def output_shape_of_the_seed_layer(shape):
    check_output_shape(shape, Conv2D(63, (3, 3)), (26, 26, 32))
