"""Hand-checked counts, formulas and errors of the Keras sequence layers (issue #17).

Each number is worked out by hand in the comment beside it; the recorded Keras
cases (``tests/test_seq_cases.py``) prove the same classes against Keras itself.
"""

from __future__ import annotations

import pytest

from convwidget import ConfigError, kinds
from convwidget import layers as L
from convwidget.enums import Family, Layout


def test_lstm_the_issue_example() -> None:
    info = L.LSTM(64).describe((100, 32))
    # 4 gates · ((32 inputs + 64 recurrent) · 64 units + 64 biases)
    assert info.terms.text == "4·((32 + 64)·64 + 64) = 24,832"
    assert info.terms.symbolic == "4·((F + U)·U + U)"
    assert info.output_shape == (64,)
    assert dict(info.keras_weights) == {"kernel": (32, 256), "recurrent_kernel": (64, 256), "bias": (256,)}
    assert dict(info.torch_weights) == {
        "weight_ih_l0": (256, 32),
        "weight_hh_l0": (256, 64),
        "bias_ih_l0": (256,),
    }
    gates, units = info.terms.factor("gates"), info.terms.factor("recurrent units")
    assert gates is not None and gates.value == 4 and units is not None and units.value == 64


def test_gru_reset_after_keeps_two_biases_per_unit() -> None:
    info = L.GRU(64).describe((100, 32))
    # 3 · ((32 + 64)·64 + 2·64) = 3 · (6144 + 128) = 18,816
    assert info.terms.text == "3·((32 + 64)·64 + 2·64) = 18,816"
    assert info.weights["bias"] == (2, 192)
    assert "bias_hh_l0" in info.torch_weights  # the same two biases as PyTorch's GRU
    one = L.GRU(64, reset_after=False).describe((100, 32))
    assert one.params == 18_816 - 3 * 64 and one.weights["bias"] == (192,)


def test_simple_rnn_return_sequences_and_no_bias() -> None:
    info = L.SimpleRNN(5, return_sequences=True).describe((7, 3))
    assert info.terms.text == "(3 + 5)·5 + 5 = 45" and info.output_shape == (7, 5)
    bare = L.SimpleRNN(5, use_bias=False).describe((7, 3))
    assert bare.params == 40 and "bias" not in bare.weights and bare.output_shape == (5,)


@pytest.mark.parametrize(("mode", "units"), [("concat", 16), ("sum", 8), ("ave", 8), ("mul", 8), (None, 8)])
def test_bidirectional_doubles_the_count_and_merges_the_outputs(mode: str | None, units: int) -> None:
    info = L.Bidirectional(L.LSTM(8, return_sequences=True), merge_mode=mode).describe((6, 5))
    # two LSTMs of 4·((5 + 8)·8 + 8) = 448 each
    assert info.params == 896 and info.terms.text.startswith("2·4·")
    assert info.output_shape == (6, units)
    assert list(info.weights)[:3] == [
        "forward_lstm/kernel",
        "forward_lstm/recurrent_kernel",
        "forward_lstm/bias",
    ]
    assert "weight_ih_l0_reverse" in info.torch_weights


def test_bidirectional_refuses_what_keras_refuses() -> None:
    with pytest.raises(ConfigError, match=r"merge_mode='max'.*'concat', 'sum', 'ave', 'mul' or None"):
        L.Bidirectional(L.LSTM(4), merge_mode="max")
    with pytest.raises(ConfigError, match=r"layer=.*recurrent layer"):
        L.Bidirectional(L.Dense(4))  # type: ignore[arg-type]


def test_multi_head_attention_four_projections() -> None:
    info = L.MultiHeadAttention(num_heads=2, key_dim=4).describe((7, 6))
    # Q, K, V: (6 + 1)·2·4 = 56 each; output: (2·4 + 1)·6 = 54 → 222
    assert info.terms.text == "3·(6 + 1)·2·4 + (2·4 + 1)·6 = 222"
    assert info.output_shape == (7, 6)
    assert info.weights["query/kernel"] == (6, 2, 4) and info.weights["attention_output/kernel"] == (2, 4, 6)
    other = L.MultiHeadAttention(2, 4, value_dim=3, output_shape=5, use_bias=False).describe((7, 6))
    # Q, K: 2·6·2·4 = 96; V: 6·2·3 = 36; output: 2·3·5 = 30
    assert other.params == 162 and other.output_shape == (7, 5)
    assert L.MultiHeadAttention(2, 4, output_shape=[2, 3]).describe((7, 6)).output_shape == (7, 2, 3)
    assert L.MultiHeadAttention(2, 4, output_shape=(2, 3)).describe((7, 6)).output_shape == (7, 2, 3)


def test_normalization_statistics_are_non_trainable() -> None:
    info = L.Normalization().describe((5, 4))
    # mean 4 + variance 4 + count 1, none trained
    assert (info.trainable_params, info.non_trainable_params) == (0, 9)
    assert dict(info.weights) == {"mean": (4,), "variance": (4,), "count": ()}
    assert L.Normalization(axis=None).describe((5, 4)).params == 3
    assert L.Normalization(axis=(1, 2)).describe((4, 6)).params == 49
    assert L.Normalization(mean=0.5, variance=2.0).describe((4, 6)).params == 0
    with pytest.raises(ConfigError, match="mean and variance together"):
        L.Normalization(mean=0.5)


def test_group_normalization_checks_its_groups() -> None:
    assert L.GroupNormalization(2).describe((5, 4)).terms.text == "(1 + 1)·4 = 8"
    assert L.GroupNormalization(-1).describe((5, 4)).params == 8
    with pytest.raises(
        ConfigError, match=r"groups=3 is invalid; it must divide the number of channels \(4\)"
    ):
        L.GroupNormalization(3).describe((5, 4))
    with pytest.raises(ConfigError, match=r"groups=8 .*more than the number of channels \(4\)"):
        L.GroupNormalization(8).describe((5, 4))
    first = L.GroupNormalization(4, axis=1).describe((8, 3))
    assert first.layout is Layout.CHANNELS_FIRST and first.params == 16


def test_one_d_convolutions() -> None:
    sep = L.SeparableConv1D(4, 3).describe((9, 3))
    # depthwise 3·3·1 = 9, pointwise (3·1 + 1)·4 = 16
    assert sep.terms.text == "3·3·1 + (3 + 1)·4 = 25" and sep.output_shape == (7, 4)
    assert dict(sep.weights) == {"depthwise_kernel": (3, 3, 1), "pointwise_kernel": (1, 3, 4), "bias": (4,)}
    dw = L.DepthwiseConv1D(3, depth_multiplier=2).describe((9, 3))
    assert dw.terms.text == "(3 + 1)·3·2 = 24" and dw.output_shape == (7, 6)
    assert L.DepthwiseConv1D(3, strides=2, dilation_rate=2).describe((8, 3)).output_shape == (2, 3)
    with pytest.raises(ConfigError, match="padding='causal'"):
        L.DepthwiseConv1D(2, padding="causal")


def test_weightless_layers_shapes() -> None:
    assert L.MaxPooling1D().describe((9, 4)).output_shape == (4, 4)
    assert L.AveragePooling1D(3, strides=1, padding="same").describe((5, 2)).output_shape == (5, 2)
    assert L.GlobalMaxPooling1D().describe((6, 3)).output_shape == (3,)
    assert L.GlobalAveragePooling1D(keepdims=True).describe((6, 3)).output_shape == (1, 3)
    assert L.GlobalMaxPooling2D(data_format="channels_first").describe((3, 5, 4)).output_shape == (3,)
    assert L.UpSampling1D(3).describe((4, 2)).output_shape == (12, 2)
    assert L.RepeatVector(5).describe((3,)).output_shape == (5, 3)
    assert L.Rescaling(1 / 255).describe((4, 4, 3)).params == 0
    assert L.UnitNormalization(axis=[1, 2]).describe((4, 3)).output_shape == (4, 3)
    assert L.SpatialDropout2D(0.3).describe((4, 5, 3)).output_shape == (4, 5, 3)


@pytest.mark.parametrize("seq", [[2, -1], (2, -1)])
def test_reshape_and_permute_take_lists_or_tuples(seq: list[int] | tuple[int, ...]) -> None:
    assert L.Reshape(seq).describe((4, 3)).output_shape == (2, 6)
    dims = [2, 1] if isinstance(seq, list) else (2, 1)
    assert L.Permute(dims).describe((4, 3)).output_shape == (3, 4)


def test_refusals_name_argument_value_and_range() -> None:
    with pytest.raises(
        ConfigError, match=r"^AveragePooling1D: pool_size=None is invalid; Keras 3 requires it"
    ):
        L.AveragePooling1D()
    with pytest.raises(ConfigError, match=r"^LSTM: units=0 is invalid; it must be an integer >= 1"):
        L.LSTM(0)
    with pytest.raises(ConfigError, match=r"input_shape=\(5, 3, 2\) is invalid; it must have rank 2"):
        L.LSTM(4).describe((5, 3, 2))
    with pytest.raises(ConfigError, match=r"target_shape=\(5, -1\) .*multiply to the input's 12 values"):
        L.Reshape((5, -1)).describe((4, 3))
    with pytest.raises(ConfigError, match=r"dims=\[1, 1\] is invalid; it must be a permutation of 1..n"):
        L.Permute([1, 1])
    with pytest.raises(ConfigError, match=r"rate=2.0 is invalid; it must be a number from 0 to 1"):
        L.SpatialDropout2D(2.0)


def test_kinds_rows() -> None:
    lstm = kinds.by_name("LSTM")
    assert (
        lstm is not None and lstm.family is Family.RECURRENT and lstm.torch == "LSTM" and lstm.features_last
    )
    mha = kinds.by_name("MultiHeadAttention")
    assert mha is not None and mha.family is Family.ATTENTION and mha.torch == "MultiheadAttention"
    assert kinds.by_name("GroupNormalization") is kinds.by_name("GroupNorm")
    assert L.LSTM(4).describe((5, 3)).layout is Layout.CHANNELS_LAST
    assert kinds.by_name("MaxPool1D") is kinds.by_name("MaxPooling1D")  # Keras' alias
