"""Summaries: the seed's Keras 2 table byte for byte; Keras 3 tables against real Keras 3.15 recordings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import require

from convwidget import ConfigError, Sequential
from convwidget import layers as L
from convwidget.summary import keras3_text, readable_memory_size

DATA = Path(__file__).parent / "data" / "summaries"
SEED_SUMMARY = Path(__file__).parent.parent / "convwidget" / "data" / "seed_summary.txt"
SEED_CODE = Path(__file__).parent.parent / "convwidget" / "data" / "seed_model.py.txt"
SPECS = json.loads((DATA / "models.json").read_text(encoding="utf-8"))["models"]
# variant name -> (line_length, terminal width), as scripts/record_keras_summaries.py recorded them
VARIANTS = {
    "default_cols80": (None, 80),
    "default_cols200": (None, 200),
    "default_cols60": (None, 60),
    "ll65_cols200": (65, 200),
    "ll88_cols200": (88, 200),
    "ll100_cols80": (100, 80),
    "ll120_cols200": (120, 200),
    "ll40_cols200": (40, 200),
}


def _tuples(value):
    return tuple(value) if isinstance(value, list) else value


def build(spec: dict, keras_names: bool = True) -> Sequential:
    """Build a models.json model with convwidget.layers (keras_names adds the names the recording used)."""
    model = Sequential([L.Input(shape=tuple(spec["input_shape"]))], name=spec.get("name"))
    for i, (cls, args, kwargs) in enumerate(spec["layers"]):
        kwargs = dict(kwargs)
        if keras_names:
            kwargs.update(spec.get("keras_only_kwargs", {}).get(str(i), {}))
        model.add(getattr(L, cls)(*(_tuples(a) for a in args), **{k: _tuples(v) for k, v in kwargs.items()}))
    return model


def seed_model() -> Sequential:
    """The seed's code, pasted with keras.layers replaced by convwidget.layers."""
    from convwidget.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D  # noqa: F401

    code = SEED_CODE.read_text(encoding="utf-8")
    # keras.losses / keras.optimizers need Keras; notebooks pass strings instead.
    code = code.replace("keras.losses.categorical_crossentropy", "'categorical_crossentropy'")
    code = code.replace("keras.optimizers.Adadelta()", "'adadelta'")
    namespace = dict(locals(), Sequential=Sequential, input_shape=(28, 28, 1))
    exec(code, namespace)
    return namespace["model"]


def strip_trailing(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_seed_keras2_byte_for_byte() -> None:
    expected = SEED_SUMMARY.read_text(encoding="utf-8")
    assert seed_model().summary_text("keras2") == expected


def test_seed_keras2_print_fn_gets_each_line(capsys: pytest.CaptureFixture[str]) -> None:
    lines: list[str] = []
    model = seed_model()
    model.summary(style="keras2", print_fn=lines.append)
    assert lines == SEED_SUMMARY.read_text(encoding="utf-8").splitlines()
    model.summary(style="keras2")
    assert capsys.readouterr().out == SEED_SUMMARY.read_text(encoding="utf-8")


def test_seed_keras2_keeps_keras2_cut() -> None:
    text = seed_model().summary_text("keras2")
    # Keras 2 cut the name column at 29 characters and gave the 29th to a space.
    assert "max_pooling2d_1 (MaxPooling2 (None, 12, 12, 63)" in text
    assert "conv2d_2 (Conv2D)            (None, 24, 24, 63)        18207     " in text


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_keras3_matches_recorded_keras(spec: dict, variant: str) -> None:
    line_length, columns = VARIANTS[variant]
    expected = (DATA / f"{spec['id']}__{variant}.txt").read_text(encoding="utf-8")
    got = build(spec).summary_text("keras3", line_length=line_length, terminal_width=columns)
    assert strip_trailing(got) == strip_trailing(expected)
    assert got == expected  # in fact byte for byte, trailing spaces included


def test_keras3_default_width_follows_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    spec = SPECS[0]
    expected = (DATA / f"{spec['id']}__default_cols60.txt").read_text(encoding="utf-8")
    assert build(spec).summary_text("keras3") == expected


def test_seed_as_pasted_equals_keras3_recording() -> None:
    # The recording named the last Dense 'dense_1' because Keras 3 raises on the seed as written;
    # convwidget's automatic name for it is the same.
    expected = (DATA / "seed__ll88_cols200.txt").read_text(encoding="utf-8")
    assert seed_model().summary_text("keras3", line_length=88, terminal_width=200) == expected


def test_keras3_print_fn_gets_whole_text() -> None:
    got: list[str] = []
    seed_model().summary(line_length=88, print_fn=got.append, terminal_width=200)
    assert got == [(DATA / "seed__ll88_cols200.txt").read_text(encoding="utf-8")]


def test_memory_sizes_1024_based() -> None:
    # 1,181,161 float32 weights = 4,724,644 B; /1024 = 4613.91 KB; /1024 = 4.5057 MB -> "4.51 MB"
    assert readable_memory_size(4 * 1_181_161) == "4.51 MB"
    assert readable_memory_size(0) == "0.00 B"
    assert readable_memory_size(384) == "384.00 B"  # 96 params · 4 B
    assert readable_memory_size(1024) == "1.00 KB"
    text = seed_model().summary_text("keras3", line_length=88)
    assert " Total params: 1,181,161 (4.51 MB)" in text


def test_keras3_too_narrow_is_config_error() -> None:
    with pytest.raises(ConfigError, match="line_length=8"):
        seed_model().summary_text("keras3", line_length=8)


def test_unknown_style() -> None:
    with pytest.raises(ConfigError, match=r"style='keras1'.*'keras3', 'keras2', 'torch'"):
        seed_model().summary_text("keras1")


def test_explain_keras2_adds_formula_and_channel_source() -> None:
    lines = seed_model().summary_text("keras2", explain=True).splitlines()
    i = lines.index("conv2d_2 (Conv2D)            (None, 24, 24, 63)        18207     ")
    # (3·3·32 + 1)·63 = 289·63 = 18,207; its 32 channels are conv2d_1's 32 filters
    assert lines[i + 1] == "    (3·3·32 + 1)·63 = 18,207"
    assert lines[i + 2] == "    Cin = 32: channels of conv2d_1's output (None, 26, 26, 32)"
    # (9072 + 1)·128 = 1,161,344, its 9072 inputs come from flatten_1 (12·12·63 = 9072)
    assert "    in = 9072: features of flatten_1's output (None, 9072)" in lines
    # layers without parameters get no explanation
    j = lines.index("dropout_1 (Dropout)          (None, 12, 12, 63)        0         ")
    assert lines[j + 1].startswith("____")


def test_explain_keras3_puts_formula_in_the_row() -> None:
    text = seed_model().summary_text("keras3", line_length=100, explain=True, terminal_width=200)
    assert "│ (3·3·32 + 1)·63 = 18,207" in text
    assert "Cin = 32: channels of conv2d's output" in text
    # explaining changes no total
    assert " Total params: 1,181,161 (4.51 MB)" in text


def test_html_repr_has_same_rows() -> None:
    html = seed_model()._repr_html_()
    assert html.startswith('<table class="convwidget-summary">')
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert "conv2d_1 (Conv2D)" in cells and "(None, 24, 24, 63)" in cells and "18,207" in cells
    assert (
        "(3·3·32 + 1)·63 = 18,207<br>Cin = 32: channels of conv2d&#x27;s output (None, 26, 26, 32)" in cells
    )
    assert "Total params: 1,181,161" in cells


def test_html_repr_of_broken_model_says_why() -> None:
    model = Sequential([L.Conv2D(8, 5, input_shape=(4, 4, 1))])
    html = model._repr_html_()
    assert "convwidget-summary-error" in html and "(4, 4, 1)" in html


def test_keras3_text_of_empty_model() -> None:
    text = keras3_text("empty", [], line_length=40, terminal_width=80)
    assert text.splitlines()[-3:] == [
        " Total params: 0 (0.00 B)",
        " Trainable params: 0 (0.00 B)",
        " Non-trainable params: 0 (0.00 B)",
    ]


def test_torch_summary() -> None:
    nn = require("convwidget.nn", "the PyTorch-style layers")
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 63, 3), nn.BatchNorm2d(63))
    lines: list[str] = []
    model.summary(input_shape=(1, 28, 28), print_fn=lines.append)
    text = lines[0]
    rows = [line.split() for line in text.splitlines() if line.startswith("├─")]
    # (3·3·1 + 1)·32 = 320; (3·3·32 + 1)·63 = 18,207; BatchNorm2d: γ, β = 2·63 = 126 parameters,
    # running mean + variance (2·63) + num_batches_tracked (1) = 127 buffers
    assert rows[0] == ["├─Conv2d:", "1-1", "[1,", "32,", "26,", "26]", "320", "--"]
    assert rows[2] == ["├─Conv2d:", "1-3", "[1,", "63,", "24,", "24]", "18,207", "--"]
    assert rows[3][0] == "├─BatchNorm2d:" and rows[3][-2:] == ["126", "127"]
    assert "Total params: 18,653" in text  # 320 + 18,207 + 126
    assert "Buffers (not parameters): 127" in text
    assert text.splitlines()[3].startswith("Sequential")


def test_torch_summary_needs_input_shape() -> None:
    nn = require("convwidget.nn", "the PyTorch-style layers")
    model = nn.Sequential(nn.Conv2d(1, 32, 3))
    with pytest.raises(ConfigError, match="input_shape"):
        model.summary()
    assert "convwidget-summary-error" in model._repr_html_()
    model.summary(input_shape=(1, 28, 28), print_fn=lambda text: None)
    assert "320" in model._repr_html_()


# -- invariants: what a printed summary says must agree with itself ------------------------------------
# As torchinfo's tests re-add the printed Param # column, these read the printed text back (with small
# readers of their own, not convwidget's parser) and check that the rows add up to the printed total,
# that trainable + non-trainable = total, and that each explain=True line "Cin = N: channels of X's
# output S" names the row printed just above as X, with S that row's printed output shape and N the
# channels (or features) that shape ends in.

_TOTAL = re.compile(r"Total params: ([\d,]+)")
_TRAINABLE = re.compile(r"(?<!-)Trainable params: ([\d,]+)")
_NON_TRAINABLE = re.compile(r"Non-trainable params: ([\d,]+)")
_SOURCE = re.compile(
    r"(?P<symbol>\S+) = (?P<value>\d+)(?:/(?P<groups>\d+) = (?P<per_group>\d+))?: "
    r"(?P<what>channels|features) of (?:the model's input|(?P<source>.+?)'s output) "
    r"(?P<shape>\([^()]*\)|\[[^\[\]]*\])(?:, split into (?P=groups) groups)?$"
)


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _dims(shape: str) -> tuple[int, ...]:
    # "(None, 26, 26, 32)" and "[1, 26, 26, 32]" both print the batch axis first.
    return tuple(int(d) for d in shape.strip("()[]").split(", ")[1:])


class _Printed:
    """One printed row: its name (or type) as printed, output shape, count and explain text."""

    def __init__(self, label: str, shape: str, count: str, explain: str) -> None:
        self.label, self.shape, self.count, self.explain = label, shape, count, explain

    @property
    def name(self) -> str:
        return self.label.split(" (")[0]


def _read_keras3(text: str) -> list[_Printed] | None:
    """Rows of a Keras 3 box table; None when the table was cut off at the terminal's edge."""
    lines = text.splitlines()
    if not lines[1].endswith("┓"):
        return None
    header = [
        " ".join(parts).split() for parts in zip(*(ln[1:-1].split("┃") for ln in lines if ln[0] == "┃"))
    ]
    count_col = next(i for i, words in enumerate(header) if "Param" in words)
    blocks: list[list[list[str]]] = [[]]
    for line in lines:
        if line.startswith("│"):
            blocks[-1].append(line[1:-1].split("│"))
        elif line.startswith(("├", "└")):
            blocks.append([])
    rows = []
    for block in blocks[:-1]:
        cells = [" ".join(c.strip() for c in column if c.strip()) for column in zip(*block)]
        first = cells[0]
        # The first cell holds "name (Type)", then the formula and source lines when explained.
        label = first.split(")", 1)[0] + ")"
        rows.append(_Printed(label, cells[1], cells[count_col], first[len(label) :].strip()))
    return rows


def _read_keras2(text: str) -> list[_Printed]:
    rows: list[_Printed] = []
    row_line = re.compile(r"^(?P<label>\S.*?) (?P<shape>\(None[\d, ]*\))\s+(?P<count>\d+)\s*$")
    for line in text.splitlines():
        m = row_line.match(line)
        if m:
            rows.append(_Printed(m["label"], m["shape"], m["count"], ""))
        elif line.startswith("    ") and rows:
            rows[-1].explain += " " + line.strip()
    return rows


def _read_torch(text: str) -> list[_Printed]:
    rows: list[_Printed] = []
    row_line = re.compile(r"^├─(?P<label>\w+): 1-\d+\s+(?P<shape>\[[\d, ]*\])\s+(?P<count>\S+)\s+\S+$")
    for line in text.splitlines():
        m = row_line.match(line)
        if m:
            rows.append(_Printed(m["label"], m["shape"], m["count"], ""))
        elif line.startswith("│    ") and rows:
            rows[-1].explain += " " + line[5:].strip()
    return rows


def _check_counts(text: str, rows: list[_Printed]) -> None:
    total = _int(_TOTAL.search(text)[1])
    trainable, non_trainable = _int(_TRAINABLE.search(text)[1]), _int(_NON_TRAINABLE.search(text)[1])
    assert trainable + non_trainable == total
    assert sum(0 if r.count == "--" else _int(r.count) for r in rows) == total


def _check_sources(rows: list[_Printed], model_rows: tuple, names_printed: bool) -> int:
    """Check every 'Cin = N: channels of X's output S' line; return how many there were."""
    checked = 0
    for k, row in enumerate(rows):
        m = _SOURCE.search(row.explain)
        if m is None and k > 0 and re.search(r"(channels|features) of .*…", row.explain):
            # rich cut a long name with "…" in both places: the cut names must be the same.
            assert f"of {rows[k - 1].name} output" in row.explain, (row.explain, rows[k - 1].label)
            checked += 1
        if m is None:
            continue
        checked += 1
        if k == 0:
            assert m["source"] is None, row.explain  # the first layer reads the model's input
            continue
        previous, model_previous = rows[k - 1], model_rows[k - 1]
        assert m["source"] is not None, row.explain
        # X names the row above: by its printed name, or (torch style, which prints types only) by the
        # model's name for it, and in the PyTorch dialect as "layer 3 (Flatten)" with its printed type.
        source = m["source"]
        if source.startswith("layer ") and source.endswith(")"):
            name, typ = source[len("layer ") :].split(" (")
            assert typ[:-1] == model_previous.info.layer_type, row.explain
            assert name == model_previous.name, row.explain
        elif names_printed and not previous.label.endswith(")"):
            # Keras 2 cut the label at its column's edge: the name printed is the start of X.
            assert source.startswith(previous.name), (row.explain, previous.label)
        elif names_printed:
            assert source == previous.name, (row.explain, previous.label)
        else:
            assert source == model_previous.name, row.explain
        # S is that row's printed output shape, and N its channel (or feature) count.
        dims = _dims(m["shape"])
        assert dims == _dims(previous.shape), (row.explain, previous.shape)
        axis = 0 if model_rows[k].info.channels_first and m["what"] == "channels" else -1
        assert int(m["value"]) == dims[axis], row.explain
        if m["groups"]:
            assert int(m["value"]) // int(m["groups"]) == int(m["per_group"]), row.explain
    return checked


def _expected_sources(model_rows: tuple) -> int:
    return sum(
        1
        for r in model_rows
        if r.info.params and any(f.name.startswith("input ") for f in r.info.terms.factors)
    )


def _torch_model():
    nn = require("convwidget.nn", "the PyTorch-style layers")
    return nn.Sequential(
        nn.Conv2d(3, 8, 3),
        nn.ReLU(),
        nn.BatchNorm2d(8),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, groups=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 3, 10),
    )


def _channels_first_groups_model() -> Sequential:
    first = {"data_format": "channels_first"}
    return Sequential(
        [
            L.Input(shape=(3, 16, 12)),
            L.Conv2D(8, 3, **first),
            L.Conv2D(16, 3, groups=4, **first),
            L.MaxPooling2D(**first),
            L.SeparableConv2D(8, 3, depth_multiplier=2, **first),
            L.Flatten(),
            L.Dense(10),
        ],
        name="channels_first",
    )


_MODELS = {s["id"]: (lambda s=s: build(s)) for s in SPECS}
_MODELS["torch"] = _torch_model
_MODELS["channels_first"] = _channels_first_groups_model


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("style", ["keras3", "keras2", "torch"])
@pytest.mark.parametrize("model_id", sorted(_MODELS))
def test_printed_summary_adds_up_and_names_the_row_above(model_id: str, style: str, explain: bool) -> None:
    model = _MODELS[model_id]()
    torch = model.dialect == "torch"
    shape = (3, 16, 12) if torch else None  # a non-square input: height and width must not be swapped
    for line_length in (None, 120) if style == "keras3" else (None,):
        text = model.summary_text(
            style, line_length=line_length, explain=explain, input_shape=shape, terminal_width=200
        )
        rows = {"keras3": _read_keras3, "keras2": _read_keras2, "torch": _read_torch}[style](text)
        assert rows is not None
        model_rows = model.describe(shape, naming="keras2" if style == "keras2" else None)
        assert len(rows) == len(model_rows)
        _check_counts(text, rows)
        checked = _check_sources(rows, model_rows, names_printed=style != "torch")
        # Not vacuous: every row whose formula has an input factor says where that factor comes from.
        assert checked == (_expected_sources(model_rows) if explain else 0)


_RECORDED = sorted(DATA.glob("*__*.txt")) + sorted((DATA.parent / "pasted").glob("keras3__*.txt"))


@pytest.mark.parametrize("path", _RECORDED, ids=[f"{p.parent.name}/{p.stem}" for p in _RECORDED])
def test_recorded_keras3_rows_add_up_to_the_total(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    total = _int(_TOTAL.search(text)[1])
    assert _int(_TRAINABLE.search(text)[1]) + _int(_NON_TRAINABLE.search(text)[1]) == total
    rows = _read_keras3(text)
    if rows is None or any("…" in r.count for r in rows):
        # Keras cut the table at the terminal's edge, or cut a count: the column cannot be re-added.
        assert rows is None or "…" in text
        return
    assert rows and sum(_int(r.count) for r in rows) == total
