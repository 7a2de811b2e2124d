"""The conventions: their words, one sentence each, and the kinds their per-tool tables name."""

from __future__ import annotations

import pytest

from convwidget import ConfigError, cost, kinds, seed
from convwidget.cost import Convention, conventions, rules, sequence_rules


def test_conventions_are_words_with_one_sentence_each() -> None:
    assert [str(c) for c in Convention] == ["textbook", "torchinfo", "ptflops", "fvcore"]
    assert Convention.TORCHINFO == "torchinfo"
    assert set(cost.INCLUDES) == set(Convention)
    for sentence in cost.INCLUDES.values():
        assert sentence and "\n" not in sentence
    assert cost.FLOPS_NOTE.startswith("FLOPs = 2 × multiply-adds")
    assert conventions.convention("fvcore") is Convention.FVCORE
    with pytest.raises(ConfigError, match="convention='macs'"):
        conventions.convention("macs")


def test_every_kind_key_the_tool_tables_name_exists() -> None:
    # a typo in a key would silently drop a kind to the family's default rule
    known = {k.key for k in kinds.KINDS}
    tables = [
        rules._PTFLOPS_ACTIVATION,
        rules._PTFLOPS_NORM_TWO,
        sequence_rules.PTFLOPS_RNN,
        sequence_rules._FVCORE_RNN_OPS,
        rules._FVCORE_NORM,
        rules._FVCORE_POOL_ONE,
    ]
    for table in tables:
        assert set(table) <= known, set(table) - known


def test_the_keras_question_model_under_every_convention() -> None:
    # the Keras model has no ReLU modules (activation= is part of each layer), so ptflops' figure for
    # it lacks the activations the PyTorch model's ReLU modules add: 11,866,186 + 2·36,288 (pooling)
    model = seed.seed_model()
    figures = {str(c): cost.mult_adds(model, c) for c in Convention}
    assert figures == {
        "textbook": 11_808_128,
        "torchinfo": 11_866_186,
        "ptflops": 11_866_186 + 2 * 36_288,
        "fvcore": 11_808_128,
    }
