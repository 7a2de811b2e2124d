"""Memory estimate: parameter bytes and activation (output) bytes per row, with formulas."""

from __future__ import annotations

import pytest

from convwidget import ConfigError, cost, nn, seed


def test_question_model_in_float32() -> None:
    table = cost.memory(seed.seed_model())
    conv2 = table.rows[1]
    assert conv2.param_bytes.text == "18207·4 = 72,828"
    assert conv2.activation_bytes.text == "36288·4 = 145,152"  # 24·24·63 outputs
    assert table.param_bytes == 1_181_161 * 4
    outputs = [26 * 26 * 32, 24 * 24 * 63, 12 * 12 * 63, 12 * 12 * 63, 9072, 128, 128, 10]
    assert table.activation_bytes == 4 * sum(outputs)
    assert table.input_bytes.total == 28 * 28 * 4
    assert table.total_bytes == table.input_bytes.total + table.param_bytes + table.activation_bytes
    assert "estimate" in table.note and "not a measurement" in table.note


def test_dtype_scales_every_figure_and_buffers_count() -> None:
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4))
    half = cost.memory(model, "float16", (3, 8, 8))
    # BatchNorm2d(4): 8 parameters and 4 + 4 running statistics + 1 batch counter held as buffers
    info = model.describe((3, 8, 8))[1].info
    assert (info.params, info.buffers) == (8, 9)
    assert half.rows[1].param_bytes.total == (8 + 9) * 2
    assert half.param_bytes * 2 == cost.memory(model, "float32", (3, 8, 8)).param_bytes


def test_unknown_dtype_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"dtype='float8'.*'float32'"):
        cost.memory(seed.seed_model(), "float8")
