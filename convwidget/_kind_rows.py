"""The rows of :data:`convwidget.kinds.KINDS`: every layer kind, with its names, family and arguments.

Kept apart from the lookups in :mod:`convwidget.kinds` only for size; read the
table through ``convwidget.kinds``.
"""

from __future__ import annotations

from . import _counting, _counting_seq
from ._layer_kind import LayerKind
from .enums import Dialect, Family

__all__ = ["table"]

_BOTH = frozenset([Dialect.KERAS, Dialect.TORCH])
_KERAS = frozenset([Dialect.KERAS])
_TORCH = frozenset([Dialect.TORCH])

_CONV_ARGS: tuple[str, ...] = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation")
_CONV_ARGS += ("groups", "padding_mode")
_TRANSPOSE_ARGS: tuple[str, ...] = ("in_channels", "out_channels", "kernel_size", "stride", "padding")
_TRANSPOSE_ARGS += ("output_padding", "groups", "dilation", "padding_mode")
_BN_ARGS = ("num_features", "eps", "momentum", "affine", "track_running_stats")


def table() -> list[LayerKind]:
    """Every row of the table, in the order lookups prefer them (the first to claim a name keeps it)."""
    kinds: list[LayerKind] = []
    for r in (1, 2, 3):
        kinds += [
            LayerKind(
                f"conv{r}d",
                Family.CONV,
                f"Conv{r}D",
                f"Conv{r}d",
                r,
                True,
                _counting.conv_counts,
                _CONV_ARGS,
                True,
                aliases=(f"Convolution{r}D",),
                modelled=_BOTH,
            ),
            LayerKind(
                f"conv{r}d_transpose",
                Family.TRANSPOSE,
                f"Conv{r}DTranspose",
                f"ConvTranspose{r}d",
                r,
                True,
                _counting.transpose_counts,
                _TRANSPOSE_ARGS,
                True,
                aliases=("Deconvolution2D",) if r == 2 else (f"Convolution{r}DTranspose",),
                modelled=_BOTH,
            ),
            LayerKind(
                f"batchnorm{r}d",
                Family.NORM,
                "BatchNormalization" if r == 2 else None,
                f"BatchNorm{r}d",
                None,
                True,
                _counting.batchnorm_counts,
                _BN_ARGS,
                # Keras' one BatchNormalization takes every rank; the 2-D row owns its name.
                counterpart=None if r == 2 else "BatchNormalization",
                modelled=_BOTH if r == 2 else _TORCH,
            ),
        ]
    kinds += [
        LayerKind(
            "depthwise_conv2d",
            Family.DEPTHWISE,
            "DepthwiseConv2D",
            None,
            2,
            True,
            _counting.depthwise_counts,
            counterpart="Conv2d",
            modelled=_KERAS,
        ),
        LayerKind(
            "separable_conv2d",
            Family.SEPARABLE,
            "SeparableConv2D",
            None,
            2,
            True,
            _counting.separable_counts,
            counterpart="Conv2d",
            modelled=_KERAS,
        ),
        LayerKind(
            "dense",
            Family.DENSE,
            "Dense",
            "Linear",
            None,
            True,
            _counting.dense_counts,
            ("in_features", "out_features"),
            True,
            features_last=True,
            modelled=_BOTH,
            # torch's MultiheadAttention prints its output projection under this Linear subclass.
            aliases=("NonDynamicallyQuantizableLinear",),
        ),
        LayerKind(
            "layernorm",
            Family.NORM,
            "LayerNormalization",
            "LayerNorm",
            None,
            True,
            _counting.layernorm_counts,
            ("normalized_shape", "eps", "elementwise_affine"),
            True,
            features_last=True,
            modelled=_BOTH,
        ),
        LayerKind(
            "embedding",
            Family.EMBEDDING,
            "Embedding",
            "Embedding",
            None,
            True,
            _counting.embedding_counts,
            (
                "num_embeddings",
                "embedding_dim",
                "padding_idx",
                "max_norm",
                "norm_type",
                "scale_grad_by_freq",
                "sparse",
            ),
            features_last=True,
            modelled=_BOTH,
        ),
        LayerKind(
            "max_pool2d",
            Family.POOL,
            "MaxPooling2D",
            "MaxPool2d",
            2,
            torch_args=("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
            modelled=_BOTH,
        ),
        LayerKind(
            "avg_pool2d",
            Family.POOL,
            "AveragePooling2D",
            "AvgPool2d",
            2,
            torch_args=(
                "kernel_size",
                "stride",
                "padding",
                "ceil_mode",
                "count_include_pad",
                "divisor_override",
            ),
            modelled=_BOTH,
        ),
        LayerKind(
            "global_avg_pool2d",
            Family.POOL,
            "GlobalAveragePooling2D",
            "AdaptiveAvgPool2d",
            2,
            torch_args=("output_size",),
            modelled=_BOTH,
        ),
        LayerKind(
            "flatten",
            Family.RESHAPE,
            "Flatten",
            "Flatten",
            torch_args=("start_dim", "end_dim"),
            modelled=_BOTH,
        ),
        LayerKind(
            "dropout", Family.DROPOUT, "Dropout", "Dropout", torch_args=("p", "inplace"), modelled=_BOTH
        ),
        LayerKind("zero_padding2d", Family.RESHAPE, "ZeroPadding2D", "ZeroPad2d", 2, modelled=_KERAS),
        LayerKind(
            "upsampling2d",
            Family.RESHAPE,
            "UpSampling2D",
            "Upsample",
            2,
            torch_args=("size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"),
            modelled=_BOTH,
        ),
        LayerKind("input", Family.INPUT, "InputLayer", None, modelled=_KERAS),
        LayerKind("activation", Family.ACTIVATION, "Activation", None, modelled=_KERAS),
    ]
    # torch.nn's parameter-free activations that convwidget models, with their constructor arguments.
    activations = {
        "ReLU": ("inplace",), "ReLU6": ("inplace",), "LeakyReLU": ("negative_slope", "inplace"),
        "ELU": ("alpha", "inplace"), "SELU": ("inplace",), "GELU": ("approximate",), "SiLU": ("inplace",),
        "Mish": ("inplace",), "Hardswish": ("inplace",), "Sigmoid": (), "Tanh": (),
        "Softplus": ("beta", "threshold"), "Identity": (), "Softmax": ("dim",), "LogSoftmax": ("dim",),
    }  # fmt: skip
    keras_twins = {"ReLU": "ReLU", "LeakyReLU": "LeakyReLU", "ELU": "ELU", "Softmax": "Softmax"}
    # The same functions as keras.layers.Activation names (LeakyReLU has none: Keras' default slope
    # is 0.2, PyTorch's 0.01, so "leaky_relu" is not the same function).
    keras_activations = {
        "ReLU": ("relu",), "ReLU6": ("relu6",), "ELU": ("elu",), "SELU": ("selu",), "GELU": ("gelu",),
        "SiLU": ("silu", "swish"), "Mish": ("mish",), "Hardswish": ("hard_swish", "hard_silu"),
        "Sigmoid": ("sigmoid",), "Tanh": ("tanh",), "Softplus": ("softplus",), "Identity": ("linear",),
        "Softmax": ("softmax",), "LogSoftmax": ("log_softmax",),
    }  # fmt: skip
    for name, args in activations.items():
        kinds.append(
            LayerKind(
                name.lower(),
                Family.ACTIVATION,
                keras_twins.get(name),
                name,
                torch_args=args,
                modelled=_TORCH,
                keras_activations=keras_activations.get(name, ()),
            )
        )
    # Normalizations a pasted print(model) or torchinfo table may show (γ and β per channel), which
    # convwidget has no class for; torch_args in the constructor's order, read positionally by the explainer.
    kinds.append(
        LayerKind(
            "groupnorm",
            Family.NORM,
            "GroupNormalization",
            "GroupNorm",
            has_weights=True,
            count=_counting.batchnorm_counts,
            torch_args=("num_groups", "num_channels", "eps", "affine"),
            modelled=_BOTH,
        )
    )
    for r in (1, 2, 3):
        kinds.append(
            LayerKind(
                f"instancenorm{r}d",
                Family.NORM,
                None,
                f"InstanceNorm{r}d",
                has_weights=True,
                count=_counting.batchnorm_counts,
                torch_args=_BN_ARGS,
                weights_by_default=False,
                # one group per channel: compare writes it as GroupNormalization(groups=-1)
                counterpart="GroupNormalization",
                modelled=_TORCH if r < 3 else frozenset(),
            )
        )
    kinds += _sequence_kinds()
    kinds += _known_without_weights()
    return kinds


def _sequence_kinds() -> list[LayerKind]:
    """Recurrent, attention, 1-D and sequence-shaping layers (issue #17)."""
    rnn_args = ("input_size", "hidden_size", "num_layers")
    rnn_tail = ("bias", "batch_first", "dropout", "bidirectional")
    recurrent = _counting_seq.torch_recurrent_counts
    return [
        LayerKind(
            "simple_rnn",
            Family.RECURRENT,
            "SimpleRNN",
            "RNN",
            has_weights=True,
            count=recurrent,
            torch_args=(*rnn_args, "nonlinearity", *rnn_tail),
            features_last=True,
            modelled=_BOTH,
        ),
        LayerKind(
            "lstm",
            Family.RECURRENT,
            "LSTM",
            "LSTM",
            has_weights=True,
            count=recurrent,
            torch_args=(*rnn_args, *rnn_tail, "proj_size"),
            features_last=True,
            modelled=_BOTH,
        ),
        LayerKind(
            "gru",
            Family.RECURRENT,
            "GRU",
            "GRU",
            has_weights=True,
            count=recurrent,
            torch_args=(*rnn_args, *rnn_tail),
            features_last=True,
            modelled=_BOTH,
        ),
        LayerKind(
            "rnn_cell",
            Family.RECURRENT,
            None,
            "RNNCell",
            has_weights=True,
            count=recurrent,
            torch_args=("input_size", "hidden_size", "bias", "nonlinearity"),
            features_last=True,
            counterpart="SimpleRNN",
            modelled=_TORCH,
        ),
        LayerKind(
            "lstm_cell",
            Family.RECURRENT,
            None,
            "LSTMCell",
            has_weights=True,
            count=recurrent,
            torch_args=("input_size", "hidden_size", "bias"),
            features_last=True,
            counterpart="LSTM",
            modelled=_TORCH,
        ),
        LayerKind(
            "gru_cell",
            Family.RECURRENT,
            None,
            "GRUCell",
            has_weights=True,
            count=recurrent,
            torch_args=("input_size", "hidden_size", "bias"),
            features_last=True,
            counterpart="GRU",
            modelled=_TORCH,
        ),
        LayerKind(
            "bidirectional",
            Family.RECURRENT,
            "Bidirectional",
            None,
            has_weights=True,
            count=_counting_seq.bidirectional_counts,
            features_last=True,
            counterpart="LSTM",
            modelled=_KERAS,
        ),
        LayerKind(
            "multi_head_attention",
            Family.ATTENTION,
            "MultiHeadAttention",
            "MultiheadAttention",
            has_weights=True,
            count=_counting_seq.torch_attention_counts,
            torch_args=(
                "embed_dim",
                "num_heads",
                "dropout",
                "bias",
                "add_bias_kv",
                "add_zero_attn",
                "kdim",
                "vdim",
                "batch_first",
            ),
            features_last=True,
            modelled=_BOTH,
        ),
        LayerKind(
            "transformer_encoder_layer",
            Family.ATTENTION,
            None,
            "TransformerEncoderLayer",
            has_weights=True,
            count=_counting_seq.transformer_encoder_counts,
            # torch keeps only norm_first under its own name (dropout as a module, activation as a
            # function, neither of which changes a count); the rest live in its submodules
            torch_args=("norm_first",),
            torch_paths=(
                ("d_model", "self_attn.embed_dim"),
                ("nhead", "self_attn.num_heads"),
                ("dim_feedforward", "linear1.out_features"),
                ("dropout", "dropout.p"),
                ("layer_norm_eps", "norm1.eps"),
                ("batch_first", "self_attn.batch_first"),
                ("bias", "linear1.bias?"),
            ),
            features_last=True,
            # compare writes it as MultiHeadAttention, LayerNormalization and Dense layers
            counterpart="MultiHeadAttention",
            modelled=_TORCH,
        ),
        LayerKind(
            "normalization",
            Family.NORM,
            "Normalization",
            None,
            has_weights=True,
            count=_counting_seq.normalization_stats_counts,
            modelled=_KERAS,
        ),
        LayerKind("unit_normalization", Family.NORM, "UnitNormalization", None, modelled=_KERAS),
        LayerKind(
            "depthwise_conv1d",
            Family.DEPTHWISE,
            "DepthwiseConv1D",
            None,
            1,
            True,
            _counting.depthwise_counts,
            counterpart="Conv1d",
            modelled=_KERAS,
        ),
        LayerKind(
            "separable_conv1d",
            Family.SEPARABLE,
            "SeparableConv1D",
            None,
            1,
            True,
            _counting.separable_counts,
            counterpart="Conv1d",
            modelled=_KERAS,
        ),
        LayerKind(
            "max_pool1d",
            Family.POOL,
            "MaxPooling1D",
            "MaxPool1d",
            1,
            torch_args=("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
            aliases=("MaxPool1D",),
            modelled=_BOTH,
        ),
        LayerKind(
            "avg_pool1d",
            Family.POOL,
            "AveragePooling1D",
            "AvgPool1d",
            1,
            torch_args=("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"),
            aliases=("AvgPool1D",),
            modelled=_BOTH,
        ),
        LayerKind(
            "global_avg_pool1d",
            Family.POOL,
            "GlobalAveragePooling1D",
            "AdaptiveAvgPool1d",
            1,
            modelled=_KERAS,
        ),
        LayerKind(
            "global_max_pool1d", Family.POOL, "GlobalMaxPooling1D", "AdaptiveMaxPool1d", 1, modelled=_KERAS
        ),
        LayerKind(
            "global_max_pool2d",
            Family.POOL,
            "GlobalMaxPooling2D",
            "AdaptiveMaxPool2d",
            2,
            torch_args=("output_size", "return_indices"),
            modelled=_BOTH,
        ),
        LayerKind(
            "upsampling1d", Family.RESHAPE, "UpSampling1D", None, 1, counterpart="Upsample", modelled=_KERAS
        ),
        LayerKind(
            "spatial_dropout2d",
            Family.DROPOUT,
            "SpatialDropout2D",
            "Dropout2d",
            2,
            torch_args=("p", "inplace"),
            modelled=_BOTH,
        ),
        LayerKind(
            "reshape",
            Family.RESHAPE,
            "Reshape",
            "Unflatten",
            torch_args=("dim", "unflattened_size"),
            modelled=_BOTH,
        ),
        LayerKind("permute", Family.RESHAPE, "Permute", None, modelled=_KERAS),
        LayerKind("repeat_vector", Family.RESHAPE, "RepeatVector", None, features_last=True, modelled=_KERAS),
        LayerKind(
            "pixel_shuffle",
            Family.RESHAPE,
            None,
            "PixelShuffle",
            torch_args=("upscale_factor",),
            modelled=_TORCH,
        ),
        LayerKind("rescaling", Family.ACTIVATION, "Rescaling", None, modelled=_KERAS),
        LayerKind(
            "prelu",
            Family.ACTIVATION,
            "PReLU",
            "PReLU",
            has_weights=True,
            count=_counting_seq.prelu_counts,
            torch_args=("num_parameters", "init"),
            modelled=_TORCH,
        ),
    ]


# Names a pasted summary may show that have no weights and no convwidget class: (family, keras, torch).
_PARAMETER_FREE = """
dropout     SpatialDropout1D    Dropout1d
dropout     SpatialDropout3D    Dropout3d
dropout     GaussianNoise       -
dropout     GaussianDropout     -
dropout     AlphaDropout        AlphaDropout
reshape     ZeroPadding1D       ZeroPad1d
reshape     ZeroPadding3D       ZeroPad3d
reshape     -                   ConstantPad1d
reshape     -                   ConstantPad2d
reshape     -                   ConstantPad3d
reshape     -                   ReflectionPad2d
reshape     -                   ReplicationPad2d
reshape     UpSampling3D        -
reshape     -                   UpsamplingNearest2d
reshape     -                   UpsamplingBilinear2d
reshape     Cropping1D          -
reshape     Cropping2D          -
reshape     Cropping3D          -
reshape     Resizing            -
reshape     CenterCrop          -
reshape     -                   PixelUnshuffle
reshape     -                   ChannelShuffle
pool        MaxPooling3D        MaxPool3d
pool        AveragePooling3D    AvgPool3d
pool        GlobalAveragePooling3D AdaptiveAvgPool3d
pool        GlobalMaxPooling3D  AdaptiveMaxPool3d
pool        MaxPool2D           -
pool        MaxPool3D           -
pool        AvgPool2D           -
pool        AvgPool3D           -
merge       Concatenate         -
merge       Add                 -
merge       Subtract            -
merge       Multiply            -
merge       Average             -
merge       Maximum             -
merge       Minimum             -
merge       Dot                 -
activation  Lambda              -
activation  TFOpLambda          -
activation  SlicingOpLambda     -
activation  -                   Hardtanh
activation  -                   Hardsigmoid
activation  -                   Softmax2d
activation  -                   Threshold
container   Sequential          Sequential
container   Functional          ModuleList
container   Model               ModuleDict
"""


def _known_without_weights() -> list[LayerKind]:
    out = []
    for line in _PARAMETER_FREE.strip().splitlines():
        family, keras, torch = line.split()
        k, t = (None if keras == "-" else keras), (None if torch == "-" else torch)
        out.append(LayerKind(f"{(k or t or '').lower()}", Family(family), k, t))
    return out
