"""explain_summary's dispatch reads convwidget.kinds: every kind's verdict, cut-off and unknown names,
print(model) arguments read by their position in the table's torch_args."""

from __future__ import annotations

import pytest

from convwidget import explain as compat
from convwidget.enums import Dialect, Family, Status
from convwidget.kinds import KINDS, by_name
from convwidget.reading import explain as reading_explain
from convwidget.reading.explain import MAX_ROWS, explain_summary, resolve_kind
from convwidget.reading.search import SEARCHES

_RULE = "━" * 40


def keras3_table(rows: list[tuple[str, str, str]], total: int) -> str:
    """A Keras 3 box table with wide columns: (name (Type), output shape, count) per row."""
    lines = [
        'Model: "sequential"',
        f"┏{_RULE}┳{_RULE}┳{_RULE}┓",
        "┃ Layer (type)".ljust(41) + "┃ Output Shape".ljust(41) + "┃" + "Param # ┃".rjust(41),
        f"┡{_RULE}╇{_RULE}╇{_RULE}┩",
    ]
    for label, shape, count in rows:
        lines.append(f"│ {label}".ljust(41) + f"│ {shape}".ljust(41) + "│" + f"{count} │".rjust(41))
    lines.append(f"└{_RULE}┴{_RULE}┴{_RULE}┘")
    lines += [f" Total params: {total:,}", f" Trainable params: {total:,}", " Non-trainable params: 0"]
    return "\n".join(lines)


def torchinfo_table(rows: list[tuple[str, str, str]], total: int) -> str:
    """A torchinfo table: (Type, output shape, count) per row."""
    bar = "=" * 90
    lines = [bar, "Layer (type:depth-idx)".ljust(41) + "Output Shape".ljust(26) + "Param #", bar]
    lines.append("Net".ljust(41) + "[1, 4, 8, 8]".ljust(26) + "--")
    for i, (typ, shape, count) in enumerate(rows, 1):
        lines.append(f"├─{typ}: 1-{i}".ljust(41) + shape.ljust(26) + count)
    lines += [bar, f"Total params: {total:,}", f"Trainable params: {total:,}", "Non-trainable params: 0", bar]
    return "\n".join(lines)


WEIGHTLESS_KERAS = sorted({k.keras for k in KINDS if not k.has_weights and k.keras})
WEIGHTLESS_TORCH = sorted({k.torch for k in KINDS if not k.has_weights and k.torch})


def test_the_tables_list_what_they_should():
    # The parametrised tests below are only as good as these lists.
    assert {"MaxPooling2D", "GaussianNoise", "InputLayer", "Sequential"} <= set(WEIGHTLESS_KERAS)
    assert {"MaxPool2d", "SELU", "ZeroPad2d", "ModuleList"} <= set(WEIGHTLESS_TORCH)


@pytest.mark.parametrize("typ", WEIGHTLESS_KERAS)
def test_every_weightless_kind_is_no_params_in_a_keras3_paste(typ):
    text = keras3_table(
        [("conv2d (Conv2D)", "(None, 8, 8, 4)", "40"), (f"layer ({typ})", "(None, 8, 8, 4)", "0")], 40
    )
    e = explain_summary(text)
    row = e.row("layer")
    assert row.layer_type == typ
    assert row.status is Status.NO_PARAMS and row.status == "no_params"
    # The first row's input is not printed: several kernels fit 40, the likeliest first (honestly ambiguous).
    conv = e.row("conv2d")
    assert conv.status == "ambiguous" and conv.formula == "(3·3·1 + 1)·4 = 40" and e.totals_ok is True


CONTAINERS_KERAS = sorted({k.keras for k in KINDS if k.family is Family.CONTAINER and k.keras})


@pytest.mark.parametrize("typ", sorted(set(WEIGHTLESS_KERAS) - set(CONTAINERS_KERAS)))
def test_a_weightless_kind_with_a_printed_count_is_a_mismatch(typ):
    text = keras3_table([(f"layer ({typ})", "(None, 8, 8, 4)", "12")], 12)
    row = explain_summary(text).row("layer")
    assert row.status == "mismatch" and f"a {typ} layer has no weights, but 12 is printed" in row.note


@pytest.mark.parametrize("typ", CONTAINERS_KERAS)
def test_a_collapsed_nested_model_with_a_count_is_unknown_not_a_mismatch(typ):
    # Issue #16 item 3: a nested model's row carries its layers' sum; the paste does not break it down.
    text = keras3_table([(f"block ({typ})", "(None, 8, 8, 4)", "12")], 12)
    e = explain_summary(text)
    row = e.row("block")
    assert row.status == "unknown" and "expand_nested=True" in row.note and row.params == 12
    assert e.totals_ok is True


@pytest.mark.parametrize("typ", WEIGHTLESS_TORCH)
def test_every_weightless_kind_is_no_params_in_a_torchinfo_paste(typ):
    text = torchinfo_table([("Conv2d", "[1, 4, 8, 8]", "40"), (typ, "[1, 4, 8, 8]", "--")], 40)
    e = explain_summary(text)
    row = next(r for r in e.rows if r.layer_type == typ)
    assert row.status == "no_params", (row.status, row.note)
    assert e.totals_ok is True


def test_the_weighted_families_of_lesson_models_have_a_search():
    covered = {Family.CONV, Family.TRANSPOSE, Family.DEPTHWISE, Family.SEPARABLE, Family.DENSE}
    covered |= {Family.NORM, Family.EMBEDDING}
    assert covered <= set(SEARCHES)
    assert {k.family for k in KINDS if k.has_weights} & covered == covered


def test_a_kind_with_weights_but_no_search_is_unknown_not_no_params(monkeypatch):
    # A family added to the table before its search (recurrent layers, say) must not read as weightless.
    monkeypatch.setattr(
        reading_explain, "SEARCHES", {f: s for f, s in SEARCHES.items() if f is not Family.NORM}
    )
    text = keras3_table([("bn (BatchNormalization)", "(None, 8, 8, 4)", "16")], 16)
    row = explain_summary(text).row("bn")
    assert row.status == "unknown" and "cannot yet work out a BatchNormalization's count" in row.note
    assert row.params == 16


@pytest.mark.parametrize("dialect", list(Dialect))
def test_every_weighted_kind_of_a_dialect_is_dispatched_to_its_family_search(dialect):
    # A conv row reaching the dense search (or the reverse) would find no candidate: each kind's row,
    # built from its own counting function, must be explained.
    cases = {
        Family.CONV: ("(None, 6, 6, 8)", "[1, 8, 6, 6]", "224"),  # (3·3·3 + 1)·8 = 224 on 8×8×3
        Family.DENSE: ("(None, 8, 8, 5)", "[1, 4, 8, 5]", "25"),  # (4 + 1)·5 = 25 on 4 features
    }
    for kind in KINDS:
        if kind.family not in cases or kind.name_in(dialect) is None or kind.rank not in (None, 2):
            continue
        keras_shape, torch_shape, count = cases[kind.family]
        if dialect is Dialect.KERAS:
            first = (
                "input_layer (InputLayer)",
                "(None, 8, 8, 3)" if kind.family is Family.CONV else "(None, 8, 8, 4)",
                "0",
            )
            text = keras3_table([first, (f"layer ({kind.keras})", keras_shape, count)], int(count))
            row = explain_summary(text).row("layer")
        else:
            first_shape = "[1, 3, 8, 8]" if kind.family is Family.CONV else "[1, 4, 8, 4]"
            text = torchinfo_table(
                [("Identity", first_shape, "--"), (kind.torch or "", torch_shape, count)], int(count)
            )
            row = explain_summary(text).rows[-1]
        assert row.status in ("explained", "ambiguous"), (kind.key, row.status, row.note)


def test_a_cut_off_name_resolves_from_the_kinds_table():
    kind, shown = resolve_kind("MaxPooling2", False, (2,), Dialect.KERAS)
    assert kind is by_name("MaxPooling2D") and shown == "MaxPooling2D"
    # Several names start with 'GlobalAveragePooling': the input's rank picks the 2-D one.
    kind, shown = resolve_kind("GlobalAveragePooling", False, (0, 2), Dialect.KERAS)
    assert shown == "GlobalAveragePooling2D" and kind is not None and not kind.has_weights
    # In a torchinfo paste 'Conv2…' is PyTorch's Conv2d, not Keras' Conv2D.
    assert resolve_kind("Conv2", False, (2,), Dialect.TORCH)[1] == "Conv2d"
    assert resolve_kind("Conv2", False, (2,), Dialect.KERAS)[1] == "Conv2D"
    # An old alias, cut off or not, is shown under the current name.
    assert resolve_kind("Convolution2D", True, (2,), Dialect.KERAS)[1] == "Conv2D"
    assert resolve_kind("Deconvolution2", False, (2,), Dialect.KERAS)[1] == "Conv2DTranspose"
    # A complete name is never completed, and a prefix of nothing is nothing.
    assert resolve_kind("MaxPooling2", True, (2,), Dialect.KERAS) == (None, None)
    assert resolve_kind("Zzz", False, (2,), Dialect.KERAS) == (None, None)


def test_a_cut_off_type_in_a_paste_is_explained_as_the_full_type():
    text = keras3_table(
        [("input_layer (InputLayer)", "(None, 8, 8, 3)", "0"), ("conv (Conv2…", "(None, 6, 6, 8)", "224")],
        224,
    )
    row = explain_summary(text).row("conv")
    assert row.layer_type == "Conv2D" and row.formula == "(3·3·3 + 1)·8 = 224"


def test_an_unknown_name_is_unknown_and_its_count_taken_as_printed():
    text = keras3_table([("mine (MyLayer)", "(None, 8, 8, 4)", "77")], 77)
    e = explain_summary(text)
    row = e.row("mine")
    assert row.status is Status.UNKNOWN and "MyLayer" in row.note
    assert row.params == 77 and e.totals_ok is True


def test_an_unknown_name_printed_with_no_weights_is_no_params():
    # The paste itself says 0: that is a layer without weights, whatever it is.
    row = explain_summary(keras3_table([("mine (MyLayer)", "(None, 8, 8, 4)", "0")], 0)).row("mine")
    assert row.status == "no_params"


def test_print_model_arguments_are_read_by_their_position_in_torch_args():
    e = explain_summary(
        "Net(\n"
        "  (gn): GroupNorm(4, 32, eps=1e-05, affine=True)\n"
        "  (in1): InstanceNorm2d(64)\n"
        "  (in2): InstanceNorm2d(64, eps=1e-05, momentum=0.1, affine=True)\n"
        "  (bn): BatchNorm2d(64, 1e-05, 0.1, False)\n"
        "  (conv): Conv2d(8, 16, 3, 1, 0, 1, 4)\n"
        "  (act): SELU()\n"
        "  (odd): Foo(3)\n"
        ")"
    )
    # GroupNorm's channels are its second argument: γ and β per channel, (1 + 1)·32 = 64.
    assert e.row("gn").formula == "(1 + 1)·32 = 64"
    # InstanceNorm has no weights unless affine=True (the table's weights_by_default).
    assert e.row("in1").params == 0 and e.row("in2").params == 128
    # BatchNorm2d's fourth positional argument is affine.
    assert e.row("bn").params == 0
    # Conv2d's seventh positional argument is groups: (3·3·8/4 + 1)·16 = 304.
    assert e.row("conv").formula == "(3·3·2 + 1)·16 = 304"
    assert e.row("act").status == "no_params"
    assert e.row("odd").status == "unknown" and "Foo" in e.row("odd").note


def test_unreadable_print_model_arguments_are_unknown_with_a_reason():
    e = explain_summary("Net(\n  (a): Conv2d(8, 16, kernel_size=(3, 0))\n  (b): Conv2d(8, 6, 3, groups=4)\n)")
    assert e.row("a").status == "unknown" and e.row("a").note == "its arguments could not be read"
    assert e.row("b").status == "unknown" and "groups=4 does not divide" in e.row("b").note


def test_the_compatibility_module_re_exports_the_same_objects():
    from convwidget.reading import explain, results

    assert compat.explain_summary is explain.explain_summary
    assert compat.MAX_ROWS == MAX_ROWS
    assert (compat.Explanation, compat.RowExplanation, compat.Candidate) == (
        results.Explanation,
        results.RowExplanation,
        results.Candidate,
    )
