"""Summaries: the seed's Keras 2 table byte for byte; Keras 3 tables against real Keras 3.15 recordings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

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
    nn = pytest.importorskip("convwidget.nn")
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
    nn = pytest.importorskip("convwidget.nn")
    model = nn.Sequential(nn.Conv2d(1, 32, 3))
    with pytest.raises(ConfigError, match="input_shape"):
        model.summary()
    assert "convwidget-summary-error" in model._repr_html_()
    model.summary(input_shape=(1, 28, 28), print_fn=lambda text: None)
    assert "320" in model._repr_html_()
