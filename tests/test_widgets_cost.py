"""Where the cost shows in the widgets: the explorer's multiply-adds and the walkthrough's cost shares.

Every figure the widgets show is checked against :func:`convwidget.cost.mult_adds` (the core) and,
for the seed model, against a hand computation written beside it.
"""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

pytest.importorskip("ipywidgets")

from convwidget import cost
from convwidget.layers import Conv2D, Dense, Flatten
from convwidget.model import Sequential
from convwidget.widgets import ConvExplorer, ModelWalkthrough


def text(markup: str) -> str:
    """What a reader sees: tags dropped (table cells apart), entities decoded."""
    markup = re.sub(r"</t[dh]>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def classes(widget) -> list[str]:
    """The CSS classes the front end receives for ``widget``."""
    return list(widget.get_state()["_dom_classes"])


def shown_mult_adds(w: ConvExplorer) -> int:
    """The number the cost line shows before ``multiply-adds``."""
    m = re.search(r"= ([\d,]+) multiply-adds", text(w.cost_label.value))
    assert m, text(w.cost_label.value)
    return int(m.group(1).replace(",", ""))


# ------------------------------------------------------------------ ConvExplorer


def test_explorer_shows_the_seed_layers_multiply_adds_with_their_formula():
    w = ConvExplorer(kernel_size=3, in_channels=32, filters=63)
    # 24·24 output positions · 63 filters · 3·3·32 products each = 576·63·288 = 10,450,944
    assert w.mult_adds == 10450944 == cost.mult_adds(w.info)
    line = text(w.cost_label.value)
    assert line.startswith("24·24·63·3·3·32 = 10,450,944 multiply-adds")
    assert "H'·W'·Cout·Fh·Fw·Cin · the input size moves it, not the parameters" in line
    assert "the bias add is not counted" in w.cost_label.value  # the tooltip says what is left out
    # Each number names its factor, as in the count's formula.
    assert 'title="output height"' in w.cost_label.value and 'title="input channels"' in w.cost_label.value
    # The count keeps its own classes (browser tests read them); the cost has its own.
    assert classes(w.cost_label) == ["convwidget-cost"]
    assert classes(w.count_label) == ["convwidget-count"] and classes(w.formula) == ["convwidget-formula"]
    assert "multiply" not in text(w.count_label.value) + text(w.formula.value)


def test_explorer_cost_line_is_the_cores_figure_at_every_slider_position_tried():
    w = ConvExplorer()
    moves = [
        {"kernel_size": 5},
        {"in_channels": 3},
        {"filters": 512},
        {"input_size": 64},
        {"stride": 2},
        {"padding": "same"},
        {"padding": "valid", "stride": 1, "dilation": 2},
        {"in_channels": 64, "filters": 64, "groups": 4},
        {"kind": "depthwise", "depth_multiplier": 3},
        {"kind": "separable", "filters": 17},
        {"kind": "conv", "kernel_size": 1, "bias": False},
    ]
    seen = set()
    for values in moves:
        w.set(**values)
        assert w.mult_adds == cost.mult_adds(w.info) == shown_mult_adds(w), values
        seen.add(w.mult_adds)
    assert len(seen) == len(moves)  # every move changed the figure, so each check looked at a new one


def test_explorer_groups_and_kinds_hand_checked():
    # groups=4 on 32 → 64 channels, 26×26 in, 3×3 valid: 24·24·64·(3·3·32/4) = 576·64·72 = 2,654,208
    w = ConvExplorer(in_channels=32, filters=64, groups=4)
    assert w.mult_adds == 2654208
    assert "24·24·64·3·3·8 = 2,654,208" in text(w.cost_label.value)
    # Separable: depthwise 24·24·32·3·3 = 165,888, pointwise 24·24·63·32 = 1,161,216; sum 1,327,104
    w.set(kind="separable", filters=63)
    assert w.mult_adds == 1327104
    assert "24·24·32·3·3 + 24·24·63·32 = 1,327,104" in text(w.cost_label.value)


def test_input_size_moves_the_cost_never_the_count():
    w = ConvExplorer()
    counts, costs = [], []
    for size in (8, 16, 26, 40, 52, 64):
        w.input_size.value = size
        counts.append(w.count)
        costs.append(w.mult_adds)
        assert shown_mult_adds(w) == w.mult_adds == cost.mult_adds(w.info)
        assert text(w.count_label.value).startswith("18,207 parameters")
    assert set(counts) == {18207}
    assert costs == sorted(costs) and len(set(costs)) == len(costs)  # strictly growing
    # (n − 2)²·63·288: 52 → 50² · 18,144 = 45,360,000, 26 → 24² · 18,144 = 10,450,944; ratio 50²/24² ≈ 4.34
    assert costs[2] == 10450944 and costs[4] == 45360000


def test_input_size_note_says_how_the_cost_moved_and_marks_the_positions():
    w = ConvExplorer()
    w.input_size.value = 52
    note = text(w.message.value)
    assert "input size changed the output shape to (50, 50, 63), not the count" in note
    assert "the multiply-adds went from 10,450,944 to 45,360,000 (×4.34)" in note
    marked = re.findall(r'<mark[^>]*title="([^"]+) \(changed\)"', w.cost_label.value)
    assert marked == ["output height", "output width"]
    assert "<mark" not in w.formula.value  # nothing in the parameter count changed
    w.filters.value = 64  # the count moves too: its formula and the cost's mark the filters
    assert re.findall(r'<mark[^>]*title="([^"]+) \(changed\)"', w.cost_label.value) == ["output channels"]
    assert "multiply-adds went" not in text(w.message.value)


def test_cost_line_sits_under_the_formula_in_the_projector_column():
    w = ConvExplorer()
    top = w.children[0]
    left = top.children[0]
    kids = list(left.children)
    assert kids.index(w.cost_label) == kids.index(w.formula) + 1
    assert w.cost_label not in w.more.children[0].children


# ------------------------------------------------------------------ ModelWalkthrough


def test_walkthrough_seed_model_cost_shares_hand_checked():
    w = ModelWalkthrough()
    assert w.costs is not None and w.cost_note == ""
    # 194,688 + 10,450,944 + 1,161,216 + 1,280 = 11,808,128
    assert w.costs.total == 11808128 == cost.mult_adds(w.model)
    w.step.value = 2
    d = text(w.detail.value)
    # 10,450,944 / 11,808,128 = 0.885 → 88.5 %; 18,207 / 1,181,161 = 0.0154 → 1.5 %
    assert (
        "cost: 24·24·63·3·3·32 = 10,450,944 multiply-adds = 88.5 % of the model's 11,808,128 "
        "(textbook, one sample), against 1.5 % of its parameters." in d
    )
    w.step.value = 6
    d = text(w.detail.value)
    # 9072·128 = 1,161,216; / 11,808,128 = 0.0983 → 9.8 %, against 1,161,344 / 1,181,161 = 98.3 %
    assert "cost: 9072·128 = 1,161,216 multiply-adds = 9.8 % of the model's 11,808,128" in d
    assert "against 98.3 % of its parameters" in d
    w.step.value = 3
    assert "cost: 0 multiply-adds: no weight multiplies its input here (pooling" in text(w.detail.value)


def test_walkthrough_bars_put_cost_beside_parameters():
    w = ModelWalkthrough()
    bars = text(w.bars.value)
    assert "share of parameters multiply-adds share of cost running total" in bars
    assert "conv2d_1 (Conv2D) (24, 24, 63) 18,207 1.5 % 10,450,944 88.5 % 18,527" in bars
    assert "dense (Dense) (128,) 1,161,344 98.3 % 1,161,216 9.8 % 1,179,871" in bars
    assert "max_pooling2d (MaxPooling2D) (12, 12, 63) 0 0.0 % 0 0.0 % 18,527" in bars
    assert "Total 1,181,161 11,808,128" in bars
    assert "counted the textbook way" in bars
    # 320 / 1,181,161 = 0.03 %: shown as "< 0.1 %", escaped so no browser reads it as a tag
    assert "&lt; 0.1 %" in w.bars.value and "< 0.1" not in w.bars.value


def test_walkthrough_shares_follow_the_core_for_another_model():
    m = Sequential([Conv2D(8, 5, input_shape=(12, 12, 3)), Flatten(), Dense(4)])
    w = ModelWalkthrough(m)
    # conv: 8·8·8·5·5·3 = 38,400; dense: 512·4 = 2,048; total 40,448; 38,400 / 40,448 = 94.9 %
    assert [r.mult_adds for r in w.costs.rows] == [38400, 0, 2048]
    assert list(w.costs.shares()) == pytest.approx([38400 / 40448, 0.0, 2048 / 40448])
    assert "= 94.9 % of the model's 40,448" in text(w.detail.value)


class _UnknownConv:
    """A layer convwidget does not know (no kind): it has parameters, but no textbook cost."""

    name = "odd"
    dialect = "keras"

    def describe(self, input_shape):
        info = Conv2D(4, 3, name="odd").describe(input_shape)
        return dataclasses.replace(info, kind=None, layer_type="OddConv")


def test_walkthrough_without_a_cost_still_shows_the_parameters_and_says_why():
    m = Sequential([Conv2D(8, 3, input_shape=(10, 10, 3)), _UnknownConv(), Flatten(), Dense(2)])
    w = ModelWalkthrough(m)
    assert w.costs is None and "odd (OddConv)" in w.cost_note and "textbook" in w.cost_note
    d = text(w.detail.value)
    assert "(3·3·3 + 1)·8 = 224" in d and "multiply-adds: not shown (" in d
    assert "share of cost" not in text(w.bars.value)
