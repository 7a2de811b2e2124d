"""convwidget.nn counts and shapes checked by hand (each number worked out on paper once)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from convwidget import ConfigError, nn


def test_seed_model_channels_first() -> None:
    # (3·3·1 + 1)·32 = 320; 28 − 3 + 1 = 26
    c1 = nn.Conv2d(1, 32, 3).describe((1, 28, 28))
    assert (c1.output_shape, c1.params) == ((32, 26, 26), 320)
    # 9·32 = 288, + 1 = 289, ·63 = 18,207; 26 − 3 + 1 = 24
    c2 = nn.Conv2d(32, 63, 3).describe((32, 26, 26))
    assert c2.output_shape == (63, 24, 24)
    assert c2.trainable_params == 18207 and c2.non_trainable_params == 0 and c2.buffers == 0
    assert c2.terms.text == "(3·3·32 + 1)·63 = 18,207"
    assert c2.dialect == "torch" and c2.layer_type == "Conv2d"
    assert dict(c2.weights) == {"weight": (63, 32, 3, 3), "bias": (63,)}
    assert dict(c2.torch_weights) == dict(c2.weights)
    assert dict(c2.keras_weights) == {"kernel": (3, 3, 32, 63), "bias": (63,)}
    # ⌊24/2⌋ = 12; 63·12·12 = 9072; (9072 + 1)·128 = 1,161,344; (128 + 1)·10 = 1,290
    assert nn.MaxPool2d(2).describe((63, 24, 24)).output_shape == (63, 12, 12)
    assert nn.Dropout(0.25).describe((63, 12, 12)).output_shape == (63, 12, 12)
    assert nn.Flatten().describe((63, 12, 12)).output_shape == (9072,)
    dense = nn.Linear(9072, 128).describe((9072,))
    assert dense.params == 1161344 and dict(dense.weights) == {"weight": (128, 9072), "bias": (128,)}
    assert nn.Linear(128, 10).describe((128,)).params == 1290
    # 320 + 18,207 + 1,161,344 + 1,290 = 1,181,161
    assert 320 + c2.params + dense.params + 1290 == 1181161


def test_batchnorm2d_counts_and_buffers() -> None:
    # γ and β: 2·64 = 128 parameters; running_mean + running_var + num_batches_tracked = 64 + 64 + 1 = 129
    info = nn.BatchNorm2d(64).describe((64, 5, 5))
    assert info.params == 128 and info.trainable_params == 128 and info.non_trainable_params == 0
    assert info.buffers == 129
    assert dict(info.buffer_shapes) == {
        "running_mean": (64,),
        "running_var": (64,),
        "num_batches_tracked": (),
    }
    assert dict(info.weights) == {"weight": (64,), "bias": (64,)}
    assert info.terms.total == 128  # buffers are not in the formula
    assert info.output_shape == (64, 5, 5)


def test_batchnorm_without_affine_or_stats() -> None:
    # affine=False: no γ, β → 0 parameters, still 2·6 + 1 = 13 buffer elements
    no_affine = nn.BatchNorm1d(6, affine=False).describe((6, 7))
    assert (no_affine.params, no_affine.buffers) == (0, 13)
    # track_running_stats=False: 2·6 = 12 parameters, no buffers
    no_stats = nn.BatchNorm1d(6, track_running_stats=False).describe((6,))
    assert (no_stats.params, no_stats.buffers) == (12, 0)
    assert dict(no_stats.buffer_shapes) == {}


def test_conv_padding_stride_dilation() -> None:
    # ⌊(10 + 2·1 − 3)/2⌋ + 1 = ⌊9/2⌋ + 1 = 5
    assert nn.Conv2d(3, 8, 3, stride=2, padding=1).describe((3, 10, 10)).output_shape == (8, 5, 5)
    # stride and dilation together (Keras refuses): span 2·(3 − 1) + 1 = 5; ⌊(9 − 5)/2⌋ + 1 = 3
    assert nn.Conv2d(2, 2, 3, stride=2, dilation=2).describe((2, 9, 9)).output_shape == (2, 3, 3)
    # 'same' keeps the size, even kernels too (PyTorch pads 3 in total: 1 before, 2 after)
    same = nn.Conv2d(3, 4, 4, padding="same")
    assert same.describe((3, 8, 8)).output_shape == (4, 8, 8)
    assert same.pads() == ((1, 2), (1, 2))
    # per-axis tuples: H ⌊(7 + 0 − 3)/1⌋ + 1 = 5, W ⌊(9 + 2·2 − 5)/2⌋ + 1 = 5
    assert nn.Conv2d(1, 1, (3, 5), stride=(1, 2), padding=(0, 2)).describe((1, 7, 9)).output_shape == (
        1,
        5,
        5,
    )


def test_grouped_and_depthwise_conv() -> None:
    # groups=4: each kernel spans 8/4 = 2 channels: (3·3·2 + 1)·16 = 19·16 = 304
    info = nn.Conv2d(8, 16, 3, groups=4).describe((8, 10, 10))
    assert info.params == 304 and info.terms.text == "(3·3·2 + 1)·16 = 304"
    assert dict(info.weights)["weight"] == (16, 2, 3, 3)
    assert info.geometry is not None and info.geometry.channels_per_kernel == 2
    # depthwise as groups=Cin: (3·3·1 + 1)·8 = 80
    assert nn.Conv2d(8, 8, 3, groups=8).describe((8, 10, 10)).params == 80


def test_conv1d_and_conv3d() -> None:
    # Conv1d: (5·4 + 1)·6 = 126; 20 − 5 + 1 = 16
    c1 = nn.Conv1d(4, 6, 5).describe((4, 20))
    assert (c1.output_shape, c1.params) == ((6, 16), 126)
    assert dict(c1.weights)["weight"] == (6, 4, 5)
    # Conv3d: (3·3·3·2 + 1)·4 = 55·4 = 220; 5 − 3 + 1 = 3
    c3 = nn.Conv3d(2, 4, 3).describe((2, 5, 5, 5))
    assert (c3.output_shape, c3.params) == ((4, 3, 3, 3), 220)


def test_transposed_conv() -> None:
    # (n − 1)·s − 2p + d·(k − 1) + op + 1 = 7·2 − 2 + 2 + 1 + 1 = 16
    info = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1).describe((4, 8, 8))
    assert info.output_shape == (6, 16, 16)
    # weight (Cin, Cout, k, k); count (3·3·4 + 1)·6 = 37·6 = 222
    assert dict(info.weights) == {"weight": (4, 6, 3, 3), "bias": (6,)}
    assert dict(info.keras_weights)["kernel"] == (3, 3, 6, 4)
    assert info.params == 222
    # groups=2: weight (4, 6/2, 3, 3) = 4·3·9 = 108 weights + 6 biases = 114 = (3·3·4/2 + 1)·6 = 19·6;
    # size (5 − 1) + 3 = 7
    grouped = nn.ConvTranspose2d(4, 6, 3, groups=2).describe((4, 5, 5))
    assert (grouped.params, grouped.output_shape) == (114, (6, 7, 7))
    assert dict(grouped.weights)["weight"] == (4, 3, 3, 3)
    # kernel smaller than the stride: (4 − 1)·3 + 1 = 10 (Keras would give (4 − 1)·3 + max(1, 3) = 12)
    assert nn.ConvTranspose1d(1, 1, 1, stride=3).describe((1, 4)).output_shape == (1, 10)
    # output_padding may reach the dilation: 7·1 + 3·2 + 2 + 1 = 16
    assert nn.ConvTranspose2d(4, 6, 3, dilation=3, output_padding=2).describe((4, 8, 8)).output_shape == (
        6,
        16,
        16,
    )


def test_linear_layernorm_embedding() -> None:
    # Linear on the last axis of (3, 5, 7): (7 + 1)·2 = 16
    info = nn.Linear(7, 2).describe((3, 5, 7))
    assert (info.output_shape, info.params) == ((3, 5, 2), 16)
    assert nn.Linear(7, 2, bias=False).describe((7,)).params == 14  # 7·2
    # LayerNorm((5, 3)): γ and β of 5·3 = 15 each → 30
    ln = nn.LayerNorm((5, 3)).describe((2, 5, 3))
    assert ln.params == 30 and dict(ln.weights) == {"weight": (5, 3), "bias": (5, 3)}
    assert nn.LayerNorm(3, bias=False).describe((2, 5, 3)).params == 3
    assert nn.LayerNorm(3, elementwise_affine=False).describe((3,)).params == 0
    # Embedding: 10·4 = 40 (the padding row still counts); (3, 5) ids → (3, 5, 4)
    emb = nn.Embedding(10, 4, padding_idx=0).describe((3, 5))
    assert (emb.output_shape, emb.params) == ((3, 5, 4), 40)


def test_pooling() -> None:
    # ceil mode: ⌈(5 − 2)/2⌉ + 1 = 3
    assert nn.MaxPool2d(2, stride=2, ceil_mode=True).describe((3, 5, 5)).output_shape == (3, 3, 3)
    # ceil mode with padding 1: ⌈(5 + 2 − 2)/2⌉ + 1 = 4, but window 4 would start at 3·2 = 6 ≥ 5 + 1,
    # inside the right padding, so it is dropped → 3
    assert nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True).describe((3, 5, 5)).output_shape == (3, 3, 3)
    # padding = half the kernel: ⌊(8 + 4 − 4)/4⌋ + 1 = 3
    assert nn.AvgPool2d(4, padding=2).describe((3, 8, 8)).output_shape == (3, 3, 3)
    # dilated max pool: span 2·2 + 1 = 5; ⌊(8 + 2 − 5)/3⌋ + 1 = 2 (stride defaults to the kernel, 3)
    assert nn.MaxPool2d(3, padding=1, dilation=2).describe((3, 8, 8)).output_shape == (3, 2, 2)
    assert nn.AdaptiveAvgPool2d((None, 3)).describe((3, 5, 7)).output_shape == (3, 5, 3)
    assert nn.AdaptiveAvgPool2d(9).describe((3, 5, 7)).output_shape == (3, 9, 9)


def test_flatten_dims_count_the_batch_axis() -> None:
    # (N, 3, 5, 7) flattened from axis 2: (N, 3, 35)
    assert nn.Flatten(2).describe((3, 5, 7)).output_shape == (3, 35)
    # axes 1..2: (N, 15, 7)
    assert nn.Flatten(1, 2).describe((3, 5, 7)).output_shape == (15, 7)
    # -3 is axis 1 and -2 is axis 2 of the rank-4 batched tensor
    assert nn.Flatten(-3, -2).describe((3, 5, 7)).output_shape == (15, 7)
    assert nn.Flatten(-1).describe((3, 5, 7)).output_shape == (3, 5, 7)


def test_activations_have_no_parameters() -> None:
    for module in (nn.ReLU(), nn.GELU(), nn.LeakyReLU(0.2), nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=1)):
        info = module.describe((4, 6))
        assert (info.params, info.buffers, info.output_shape) == (0, 0, (4, 6))
        assert info.terms.total == 0


def test_repr_follows_pytorch() -> None:
    assert repr(nn.Conv2d(32, 63, 3)) == "Conv2d(32, 63, kernel_size=(3, 3), stride=(1, 1))"
    assert repr(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)) == (
        "Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)"
    )
    assert repr(nn.Linear(9072, 128)) == "Linear(in_features=9072, out_features=128, bias=True)"
    assert nn.Conv2d(1, 1, 1).dialect == "torch" and nn.Conv2d(1, 1, 1).torch_class == "Conv2d"


@pytest.mark.parametrize(
    ("build", "shape", "words"),
    [
        (lambda: nn.Conv2d(3, 4, 3, stride=2, padding="same"), None, ["padding", "'same'", "stride"]),
        (lambda: nn.Conv2d(4, 6, 3, groups=4), None, ["groups", "out_channels (6)", "divisible"]),
        (lambda: nn.Conv2d(3, 0, 3), None, ["out_channels=0", ">= 1"]),
        (lambda: nn.Linear(3, 0), None, ["out_features=0"]),
        (lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=2), None, ["output_padding", "stride"]),
        (lambda: nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect"), None, ["padding_mode", "'zeros'"]),
        (lambda: nn.MaxPool2d(3, padding=2), None, ["padding=(2, 2)", "half the kernel"]),
        (lambda: nn.Dropout(1.5), None, ["p=1.5", "from 0.0 to 1.0"]),
        (lambda: nn.Embedding(10, 4, padding_idx=10), None, ["padding_idx=10", "-10 to 9"]),
        (lambda: nn.Conv2d(3, 4, 3, kernel=3), None, ["unknown argument", "kernel"]),
        (lambda: nn.Conv2d(4, 6, 3), (5, 8, 8), ["input_shape=(5, 8, 8)", "in_channels=4"]),
        (lambda: nn.Conv2d(4, 6, 3), (4, 8), ["rank 3", "not rank 2"]),
        (lambda: nn.Conv2d(4, 6, 9), (4, 8, 8), ["kernel_size=(9, 9)", "padded input"]),
        (
            lambda: nn.Conv2d(3, 4, 3, padding=8, padding_mode="reflect"),
            (3, 8, 8),
            ["reflect", "smaller than"],
        ),
        (lambda: nn.Conv2d(3, 4, 3, padding=9, padding_mode="circular"), (3, 8, 8), ["circular", "at most"]),
        (lambda: nn.ConvTranspose2d(4, 6, 3, padding=3), (4, 1, 1), ["padding=(3, 3)", "(-3, -3)"]),
        (lambda: nn.ConvTranspose2d(4, 6, 2, padding=1), (4, 1, 1), ["padding", "(0, 0)"]),
        (lambda: nn.BatchNorm2d(64, affine=False, track_running_stats=False), (3, 5, 5), ["num_features=64"]),
        # stride defaults to the kernel: ⌊(3 − 5)/5⌋ + 1 = −1 + 1 = 0
        (lambda: nn.MaxPool2d(5), (3, 3, 3), ["kernel_size=(5, 5)", "(0, 0)"]),
        (lambda: nn.AdaptiveAvgPool2d(0), None, ["output_size=0"]),
        (lambda: nn.Flatten(0), (3, 5, 7), ["start_dim=0", "batch axis"]),
        (lambda: nn.Flatten(3, 1), (3, 5, 7), ["start_dim", "after end_dim"]),
        (lambda: nn.Flatten(5), (3, 5, 7), ["start_dim=5", "-4..3"]),
        (lambda: nn.LayerNorm((4, 3)), (2, 5, 3), ["normalized_shape=(4, 3)"]),
        (lambda: nn.Linear(3, 4), (5, 4), ["in_features=3", "not 4"]),
    ],
)
def test_errors_name_layer_argument_value_and_range(build, shape, words) -> None:
    with pytest.raises(ConfigError) as exc:
        module = build()
        module.describe(shape)
    message = str(exc.value)
    assert message.startswith("nn.") or message.split(":")[0] in {"Conv2d", "Linear"}
    for word in words:
        assert word in message, (word, message)


def test_import_needs_no_framework() -> None:
    code = (
        "import sys, convwidget.nn; "
        "print(sorted(m for m in ('torch', 'keras', 'matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    "build",
    [
        lambda: nn.ReLU(foo=1),
        lambda: nn.ReLU(inplace=3),
        lambda: nn.Tanh(1),
        lambda: nn.GELU(approximate="exact"),
        lambda: nn.Softmax(dim=1.5),
    ],
)
def test_activation_arguments_get_config_errors(build) -> None:
    with pytest.raises(ConfigError, match=r"nn\.(ReLU|Tanh|GELU|Softmax)"):
        build()


def test_activation_positional_arguments_follow_torch() -> None:
    assert nn.LeakyReLU(0.2).config == {"negative_slope": 0.2, "inplace": False}
    assert nn.Softmax(1).describe((4, 5)).output_shape == (4, 5)
