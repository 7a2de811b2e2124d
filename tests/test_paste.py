"""The pasted-summary parser on real printed summaries, mangled copies, random text and a huge paste."""

from __future__ import annotations

import contextlib
import json
import re
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convwidget import ParseError
from convwidget.paste import parse_summary

DATA = Path(__file__).parent / "data" / "pasted"
MANIFEST = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))["files"]
SHAPED = sorted(f for f in MANIFEST if not f.startswith("torch_repr"))
SEED = (DATA / "keras2__seed.txt").read_text(encoding="utf-8")


def leaf_rows(summary):
    return [r for r in summary.rows if not r.container and r.layer_type != "InputLayer"]


@pytest.mark.parametrize("fname", sorted(MANIFEST))
def test_every_recorded_layer_is_a_row_with_the_framework_count(fname):
    info = MANIFEST[fname]
    summary = parse_summary((DATA / fname).read_text(encoding="utf-8"))
    rows = leaf_rows(summary)
    assert len(rows) == len(info["layers"])
    for row, layer in zip(rows, info["layers"]):
        # A type cut off in the paste ("(MaxPooling2") must be the true type's beginning.
        assert row.layer_type == layer["class"] or (
            not row.type_complete and layer["class"].startswith(row.layer_type)
        )
    if summary.format != "torch_repr":
        # torchinfo prints "--" for a layer without weights; the framework counts 0.
        assert [r.count or 0 for r in rows] == [layer["params"] for layer in info["layers"]]
        assert summary.totals is not None and summary.totals.total == info["total_params"]


@pytest.mark.parametrize("fname", [f for f in SHAPED if f.startswith(("keras", "tf_keras"))])
def test_keras_names_are_recovered_even_when_wrapped(fname):
    summary = parse_summary((DATA / fname).read_text(encoding="utf-8"))
    names = [layer["name"] for layer in MANIFEST[fname]["layers"]]
    for row, name in zip(leaf_rows(summary), names):
        # Keras 3 cuts long names with "…"; what is printed must be the name's beginning.
        assert name.startswith(row.name.rstrip("…")), (row.name, name)


def test_seed_rows_shapes_and_cut_off_type():
    summary = parse_summary(SEED)
    assert summary.format == "keras2"
    pool = summary.rows[2]
    assert (pool.name, pool.layer_type, pool.type_complete) == ("max_pooling2d_1", "MaxPooling2", False)
    assert summary.rows[1].output_shapes == ((24, 24, 63),)
    assert summary.totals.total == 1181161 and summary.totals.non_trainable == 0


def test_functional_connected_to_is_read():
    summary = parse_summary((DATA / "tf_keras__functional__ll60.txt").read_text(encoding="utf-8"))
    merge = next(r for r in summary.rows if r.name == "merge")
    assert merge.connected_to == ("branch_3x3", "branch_5x5")
    assert merge.output_shapes == ((28, 28, 16),)


# --- mangled copies ---------------------------------------------------------------------------------


def collapse(text: str) -> str:
    return re.sub(r"[ ]+", " ", text)


def asciify(text: str) -> str:
    table = {c: "|" for c in "│┃"}
    table.update({c: "-" for c in "━─┏┓┗┛┡┩╇┳┻├┤┼┬┴└┘"})
    return text.translate(str.maketrans(table))


def hard_wrap(text: str, width: int) -> str:
    out = []
    for line in text.splitlines():
        out.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(out)


def no_totals(text: str) -> str:
    return text[: text.index("Total params")]


MANGLES = {
    "collapsed": collapse,
    "ascii": asciify,
    "wrap40": lambda t: hard_wrap(t, 40),
    "wrap30_collapsed": lambda t: hard_wrap(collapse(t), 30),
    "no_totals": no_totals,
    "crlf_tabs": lambda t: t.replace("\n", "\r\n").replace("    ", "\t"),
}


@pytest.mark.parametrize("mangle", sorted(MANGLES))
@pytest.mark.parametrize(
    "fname", ["keras2__seed.txt", "keras3__mnist__default.txt", "tf_keras__mnist__default.txt"]
)
def test_mangled_mnist_summaries_keep_every_row(fname, mangle):
    summary = parse_summary(MANGLES[mangle]((DATA / fname).read_text(encoding="utf-8")))
    rows = leaf_rows(summary)
    # The MNIST counts, worked out by hand: (3·3·1+1)·32, (3·3·32+1)·63, 0, 0, 0, (9072+1)·128, 0, (128+1)·10
    assert [r.count for r in rows] == [320, 18207, 0, 0, 0, 1161344, 0, 1290]
    assert rows[1].output_shapes == ((24, 24, 63),)
    if mangle == "no_totals":
        assert summary.totals is None and any("totals" in n for n in summary.notes)
    else:
        assert summary.totals.total == 1181161


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world",
        "Total params: 12",
        "(None, 26, 26, 32)",
        "x = (1, 2, 3)\nprint(x)",
        "│ ┃ ━",
        "\x00" * 10,
    ],
)
def test_text_without_rows_is_a_parse_error_that_says_what_was_expected(text):
    with pytest.raises(ParseError, match="Expected a model summary"):
        parse_summary(text)


def test_non_string_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_summary(b"conv2d (Conv2D) (None, 26, 26, 32) 320")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_random_text_never_raises_anything_but_parse_error(text):
    with contextlib.suppress(ParseError):
        parse_summary(text)


SUMMARY_ALPHABET = st.sampled_from(
    [*list("()[],|-_=─│┃━┏╇┡\n  0123456789Noe#:…'"), "None", "Conv2D", "Total params:"]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(MANIFEST)),
    st.lists(
        st.tuples(
            st.integers(0, 4000), st.integers(0, 40), st.lists(SUMMARY_ALPHABET, max_size=8).map("".join)
        ),
        max_size=6,
    ),
)
def test_mangled_real_summaries_parse_or_raise_parse_error(fname, edits):
    text = (DATA / fname).read_text(encoding="utf-8")
    for pos, cut, insert in edits:
        pos = min(pos, len(text))
        text = text[:pos] + insert + text[pos + cut :]
    try:
        summary = parse_summary(text)
    except ParseError:
        return
    assert summary.rows


def test_a_10_mb_paste_returns_within_seconds():
    # Linear time is the property; the bound is generous so a busy machine does not fail it.
    big = (SEED + "\n") * (10_000_000 // len(SEED))
    start = time.perf_counter()
    summary = parse_summary(big)
    assert time.perf_counter() - start < 60
    assert len(summary.rows) >= 8


@pytest.mark.parametrize(
    "unit", ["(" * 1000 + "1, " * 1000, "(None, " * 5000, "[1, 2" + ", 3" * 100000, "│ " * 100000]
)
def test_pathological_inputs_stay_fast(unit):
    text = unit * max(1, 2_000_000 // len(unit))
    with contextlib.suppress(ParseError):
        parse_summary(text)
