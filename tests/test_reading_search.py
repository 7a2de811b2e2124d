"""The candidate search: the true configuration is always among the candidates, and odd shapes
(zero channels, empty shapes) give no candidates instead of an exception."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from convwidget import layers, nn
from convwidget.enums import Dialect
from convwidget.kinds import by_name
from convwidget.reading.closest import closest_terms
from convwidget.reading.finder import divisors, kernel_penalty, kernels, known
from convwidget.reading.pasted import PastedRow
from convwidget.reading.search import find_candidates


def _row(typ: str, out: tuple[int | None, ...] | None, count: int | None) -> PastedRow:
    return PastedRow(
        name="row",
        layer_type=typ,
        type_complete=True,
        output_shapes=(out,) if out is not None else (),
        count=count,
        count_text=str(count),
    )


def _find(typ, in_shape, out, count, dialect=Dialect.KERAS):
    kind = by_name(typ)
    assert kind is not None
    return find_candidates(_row(typ, out, count), kind, in_shape, dialect)


def test_divisors_and_kernels():
    assert divisors(12) == [1, 2, 3, 4, 6, 12] and divisors(0) == [] and divisors(-4) == []
    assert kernels(9, 2) == [(1, 9), (3, 3), (9, 1)]
    assert all(a * b * c == 12 for a, b, c in kernels(12, 3))
    assert kernels(1, 0) == [()] and kernels(2, 0) == []


def test_usual_kernels_score_better():
    assert kernel_penalty((3, 3)) < kernel_penalty((3, 5)) < kernel_penalty((1, 9))
    assert kernel_penalty((3, 3)) < kernel_penalty((2, 2))


def test_known_needs_every_dimension():
    assert known((26, 26, 32)) == (26, 26, 32)
    assert known((None, 32)) is None and known(None) is None


@settings(max_examples=40, deadline=None)
@given(
    k=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    cin=st.integers(1, 8),
    cout=st.integers(1, 12),
    stride=st.integers(1, 2),
    bias=st.booleans(),
    side=st.tuples(st.integers(6, 12), st.integers(6, 12)),
)
def test_a_keras_conv_row_lists_its_true_formula(k, cin, cout, stride, bias, side):
    # Non-square inputs and kernels: a search that mixed up height and width would miss the truth.
    info = layers.Conv2D(cout, k, strides=stride, use_bias=bias).describe((*side, cin))
    found = _find("Conv2D", info.input_shape, info.output_shape, info.params)
    assert info.terms.text in [c.formula for c in found]
    assert all(c.terms.total == info.params for c in found)


@settings(max_examples=40, deadline=None)
@given(
    k=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    cin=st.integers(1, 8),
    cout=st.integers(1, 12),
    padding=st.integers(0, 2),
    bias=st.booleans(),
    side=st.tuples(st.integers(6, 12), st.integers(6, 12)),
)
def test_a_torch_conv_row_lists_its_true_formula_with_channels_first(k, cin, cout, padding, bias, side):
    assume(padding <= max(k))  # the search tries paddings up to the kernel size
    info = nn.Conv2d(cin, cout, k, padding=padding, bias=bias).describe((cin, *side))
    found = _find("Conv2d", info.input_shape, info.output_shape, info.params, Dialect.TORCH)
    assert info.terms.text in [c.formula for c in found]


def test_depthwise_with_a_depth_multiplier_and_separable():
    info = layers.DepthwiseConv2D((3, 5), depth_multiplier=2, use_bias=False).describe((10, 12, 4))
    found = _find("DepthwiseConv2D", info.input_shape, info.output_shape, info.params)
    assert found[0].formula == "3·5·4·2 = 120" and "depth_multiplier=2" in found[0].layer
    info = layers.SeparableConv2D(8, 3, depth_multiplier=3).describe((9, 11, 2))
    found = _find("SeparableConv2D", info.input_shape, info.output_shape, info.params)
    # 3·3·2·3 + (2·3 + 1)·8 = 54 + 56 = 110: the depth multiplier is in both terms.
    assert found[0].formula == info.terms.text == "3·3·2·3 + (6 + 1)·8 = 110"
    assert "depth_multiplier=3" in found[0].layer


def test_dense_norm_and_embedding_rows():
    assert _find("Dense", (32,), (10,), 330)[0].layer == "Dense(10)"
    assert _find("Linear", (32,), (10,), 320, Dialect.TORCH)[0].layer == "Linear(32, 10, bias=False)"
    assert _find("BatchNorm2d", (16, 5, 5), (16, 5, 5), 32, Dialect.TORCH)[0].layer == "BatchNorm2d(16)"
    # GroupNorm's groups are not in the shapes: the code names the argument instead of guessing.
    assert (
        _find("GroupNorm", (16, 5, 5), (16, 5, 5), 32, Dialect.TORCH)[0].layer == "GroupNorm(num_groups, 16)"
    )
    assert _find("InstanceNorm2d", (16, 5, 5), (16, 5, 5), 32, Dialect.TORCH)[0].layer == (
        "InstanceNorm2d(16, affine=True)"
    )
    assert _find("LayerNormalization", (7, 16), (7, 16), 16)[0].layer == "LayerNormalization(center=False)"
    assert _find("Embedding", None, (20, 8), 800)[0].layer == "Embedding(100, 8)"


def test_odd_shapes_give_no_candidates_instead_of_an_exception():
    # Zero channels once divided by zero inside the search.
    assert _find("Conv2D", (26, 26, 0), (24, 24, 8), 80) == []
    assert _find("SeparableConv2D", (26, 26, 0), (24, 24, 8), 80) == []
    assert _find("DepthwiseConv2D", (26, 26, 0), (24, 24, 0), 80) == []
    assert _find("Dense", (), (), 80) == []
    assert _find("Conv2D", None, None, 80) == []


def test_closest_terms_point_at_a_typo():
    conv = by_name("Conv2D")
    assert conv is not None
    implied = closest_terms(conv, _row("Conv2D", (24, 24, 63), 18027), (26, 26, 32), Dialect.KERAS)
    assert implied is not None and implied.text == "(3·3·32 + 1)·63 = 18,207"
    bn = by_name("BatchNorm2d")
    assert bn is not None
    implied = closest_terms(bn, _row("BatchNorm2d", (16, 5, 5), 33), (16, 5, 5), Dialect.TORCH)
    assert implied is not None and implied.total == 32
    # Empty or zero-channel shapes imply nothing (and raise nothing).
    assert closest_terms(conv, _row("Conv2D", (), 5), (), Dialect.KERAS) is None
    assert closest_terms(conv, _row("Conv2D", (24, 24, 8), 5), (26, 26, 0), Dialect.KERAS) is None
