"""Properties of convwidget.nn that hold for every configuration (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from convwidget import ConfigError, nn

small = st.integers(1, 6)


def weight_elements(info) -> int:
    return sum(math.prod(shape) for shape in info.weights.values())


@st.composite
def conv2d_configs(draw):
    groups = draw(st.integers(1, 4))
    cin, cout = groups * draw(small), groups * draw(small)
    kernel = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
    bias = draw(st.booleans())
    size = (draw(st.integers(1, 20)), draw(st.integers(1, 20)))
    return groups, cin, cout, kernel, stride, dilation, padding, bias, size


@given(conv2d_configs())
def test_conv2d_count_formula_and_weights(config) -> None:
    groups, cin, cout, kernel, stride, dilation, padding, bias, size = config
    module = nn.Conv2d(cin, cout, kernel, stride, padding, dilation, groups, bias)
    try:
        info = module.describe((cin, *size))
    except ConfigError:
        # refused only when the dilated kernel does not fit in the padded input
        assert any(d * (k - 1) + 1 > n + 2 * p for n, k, d, p in zip(size, kernel, dilation, padding))
        return
    expected = (kernel[0] * kernel[1] * cin // groups + int(bias)) * cout
    assert info.params == info.trainable_params == info.terms.total == weight_elements(info) == expected
    assert info.non_trainable_params == 0 and info.buffers == 0
    assert math.prod(info.keras_weights["kernel"]) == math.prod(info.weights["weight"])
    assert info.output_shape[0] == cout and all(o >= 1 for o in info.output_shape)


@given(conv2d_configs(), st.integers(1, 20), st.integers(1, 20))
def test_count_does_not_depend_on_input_size(config, h, w) -> None:
    groups, cin, cout, kernel, stride, dilation, padding, bias, size = config
    module = nn.Conv2d(cin, cout, kernel, stride, padding, dilation, groups, bias)
    try:
        a, b = module.describe((cin, *size)), module.describe((cin, h, w))
    except ConfigError:
        assume(False)
    assert a.params == b.params and a.terms == b.terms


@given(small, small, st.integers(1, 6), st.integers(1, 3), st.integers(1, 20))
def test_same_padding_keeps_the_size(cin, cout, k, d, n) -> None:
    info = nn.Conv1d(cin, cout, k, padding="same", dilation=d).describe((cin, n))
    assert info.output_shape == (cout, n)


@given(
    small,
    small,
    st.integers(1, 5),
    st.integers(1, 3),
    st.integers(0, 2),
    st.integers(1, 3),
    st.integers(1, 30),
)
def test_transposed_conv_inverts_conv_shape(cin, cout, k, s, p, d, n) -> None:
    # a transposed conv with the same k, s, p, d maps conv's output length back to n,
    # once output_padding restores the cells the stride's floor dropped
    try:
        m = nn.Conv1d(cin, cout, k, s, p, d).describe((cin, n)).output_shape[1]
    except ConfigError:
        assume(False)
    op = (n + 2 * p - d * (k - 1) - 1) % s
    assume(op < s or op < d)
    back = nn.ConvTranspose1d(cout, cin, k, s, p, op, dilation=d).describe((cout, m))
    assert back.output_shape == (cin, n)


@given(st.integers(1, 64), st.booleans(), st.booleans(), st.integers(1, 5))
def test_batchnorm_params_and_buffers(c, affine, track, h) -> None:
    info = nn.BatchNorm2d(c, affine=affine, track_running_stats=track).describe((c, h, h))
    assert info.params == (2 * c if affine else 0) == info.terms.total
    assert info.buffers == (2 * c + 1 if track else 0)
    assert info.buffers == sum(math.prod(s) for s in info.buffer_shapes.values())


@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(-5, 4), st.integers(-5, 4))
def test_flatten_keeps_the_element_count(shape, start, end) -> None:
    try:
        out = nn.Flatten(start, end).describe(tuple(shape)).output_shape
    except ConfigError:
        rank = len(shape) + 1
        s, e = start % rank, end % rank
        assert not (-rank <= start < rank and -rank <= end < rank) or s > e or s == 0
        return
    assert math.prod(out) == math.prod(shape)


@given(st.integers(1, 40), st.integers(1, 40), st.booleans(), st.lists(small, max_size=2))
def test_linear_acts_on_the_last_axis(fin, fout, bias, lead) -> None:
    info = nn.Linear(fin, fout, bias).describe((*lead, fin))
    assert info.output_shape == (*lead, fout)
    assert info.params == (fin + int(bias)) * fout == weight_elements(info)


junk = st.one_of(
    st.integers(-3, 8),
    st.sampled_from(["same", "valid", "full", "", "zeros", "reflect"]),
    st.none(),
    st.booleans(),
    st.floats(-1, 2, allow_nan=False),
    st.tuples(st.integers(-1, 4), st.integers(-1, 4)),
)


@settings(max_examples=300)
@given(
    st.sampled_from(
        [nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.BatchNorm2d, nn.MaxPool2d, nn.AvgPool2d, nn.Embedding]
    ),
    st.lists(junk, min_size=1, max_size=4),
    st.lists(st.integers(-1, 9), min_size=0, max_size=4),
)
def test_bad_input_only_ever_raises_config_error(cls, args, shape) -> None:
    # whatever the arguments and input, the only exception is ConfigError (or Python's own TypeError
    # for a wrong number of positional arguments, which is not a value problem)
    try:
        module = cls(*args)
    except ConfigError:
        return
    except TypeError as exc:
        assert "argument" in str(exc)
        return
    try:
        info = module.describe(tuple(shape))
    except ConfigError:
        return
    assert all(d >= 1 for d in info.output_shape)
    assert info.terms.total == info.params
