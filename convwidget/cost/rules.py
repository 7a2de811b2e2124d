"""Multiply-adds of one layer under each convention, as a formula with named factors.

Every rule reads a :class:`~convwidget.info.LayerInfo` and dispatches on
``info.kind.family`` (what the layer does); where a tool itself treats two
kinds of one family differently (ptflops counts a ReLU twice and a Sigmoid not
at all), the difference is stated once, in a table keyed by
:attr:`LayerKind.key <convwidget.kinds.LayerKind.key>`. Nothing here looks at
a class name.

Shapes in a ``LayerInfo`` leave the batch axis out, so every figure is for
one sample (batch 1), as torchinfo prints it for ``input_size=(1, ...)``.
Recurrent and attention layers under the tools' conventions are in
:mod:`~convwidget.cost.sequence_rules`; some of their figures also need
``batch_first``, and in a model torchinfo's figures need how the model is fed
(:mod:`~convwidget.cost.feed`): both travel in a :class:`TorchCall`, passed by
:func:`layer_cost_called`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from .._checks import fail
from ..enums import Family
from ..formula import Expr, Factor, Product, Sum, Terms
from ..info import LayerInfo, Shape
from . import sequence_rules
from ._pieces import ZERO, Cost, TorchCall, elements, undefined
from .conventions import Convention
from .feed import Feed, keeps_layout, torch_input_shape

__all__ = ["Cost", "TorchCall", "layer_cost", "layer_cost_called"]


_ZERO = ZERO
_undefined = undefined
_elements = elements

# -- shared pieces ------------------------------------------------------------------------------------
_AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}
_SYMBOLS = {"length": "L", "height": "H", "width": "W", "depth": "D"}


def _positions(spatial: Shape, which: str) -> list[Factor]:
    """One factor per spatial axis: ``output height`` 24 (``H'``), …"""
    names = _AXES.get(len(spatial), tuple(f"axis {i + 1}" for i in range(len(spatial))))
    prime = "'" if which == "output" else ""
    return [Factor(f"{which} {axis}", n, _SYMBOLS.get(axis, axis) + prime) for axis, n in zip(names, spatial)]


def _product(items: Sequence[Expr]) -> Expr:
    return items[0] if len(items) == 1 else Product(tuple(items))


def _channels(which: str, channels: int, groups: int, symbol: str) -> Factor:
    """The channels one kernel reaches: all of them, or one group's share with groups > 1."""
    if groups > 1:
        return Factor(f"{which} channels per group", channels // groups, f"{symbol}/g")
    return Factor(f"{which} channels", channels, symbol)


def _kernel(info: LayerInfo) -> list[Factor]:
    geometry = info.geometry
    assert geometry is not None  # conv-like kinds always carry their geometry
    names = _AXES.get(len(geometry.kernel_size), ())
    return [
        Factor(f"kernel {axis}", k, "F" + _SYMBOLS.get(axis, axis).lower())
        for axis, k in zip(names, geometry.kernel_size)
    ]


def _matrix_elements(info: LayerInfo) -> int:
    """Elements of the layer's weight matrices (rank >= 2; biases and norm vectors are rank 1).

    MultiheadAttention's ``bias_k`` and ``bias_v`` have rank 3 but are appended key and value rows,
    multiplied by nothing: they are left out by name.
    """
    return sum(
        _elements(s) for n, s in info.torch_weights.items() if len(s) >= 2 and n.rsplit(".", 1)[-1] not in _KV
    )


_KV = frozenset(["bias_k", "bias_v"])


def _family(info: LayerInfo, convention: Convention) -> Family:
    if info.kind is None:
        raise _undefined(info, convention, "convwidget does not know this kind of layer")
    return info.kind.family


_NO_WEIGHTS = frozenset(
    [Family.POOL, Family.RESHAPE, Family.ACTIVATION, Family.DROPOUT, Family.INPUT, Family.EMBEDDING]
)


# -- textbook ------------------------------------------------------------------------------------------
def _conv_textbook(info: LayerInfo) -> Cost:
    g = info.geometry
    assert g is not None
    out = _positions(info.split(info.output_shape)[0], "output")
    each = _product([*_kernel(info), _channels("input", g.in_channels, g.groups, "Cin")])
    expr = Product((*out, Factor("output channels", g.out_channels, "Cout"), each))
    return Cost(
        Terms(expr), "each output value is a sum of F·F·Cin/groups products; the bias add is not counted"
    )


def _transpose_textbook(info: LayerInfo) -> Cost:
    g = info.geometry
    assert g is not None
    inp = _positions(info.split(info.input_shape)[0], "input")
    cout = _channels("output", g.out_channels, g.groups, "Cout")
    expr = Product((*inp, Factor("input channels", g.in_channels, "Cin"), _product([*_kernel(info), cout])))
    return Cost(
        Terms(expr),
        "each input value is multiplied by F·F·Cout/groups weights and scattered into the output",
    )


def _depthwise_stage(info: LayerInfo) -> list[Expr]:
    g = info.geometry
    assert g is not None
    out = _positions(info.split(info.output_shape)[0], "output")
    chans: list[Expr] = [Factor("input channels", g.in_channels, "Cin")]
    if g.depth_multiplier > 1:
        chans.append(Factor("depth multiplier", g.depth_multiplier, "dm"))
    return [*out, *chans, *_kernel(info)]


def _depthwise_textbook(info: LayerInfo) -> Cost:
    return Cost(
        Terms(Product(tuple(_depthwise_stage(info)))),
        "each channel is filtered on its own: F·F products per output value; the bias add is not counted",
    )


def _separable_textbook(info: LayerInfo) -> Cost:
    g = info.geometry
    assert g is not None
    out = _positions(info.split(info.output_shape)[0], "output")
    mid = g.in_channels * g.depth_multiplier
    pointwise = Product(
        (*out, Factor("output channels", g.out_channels, "Cout"), Factor("depthwise outputs", mid, "Cin·dm"))
    )
    expr = Sum((Product(tuple(_depthwise_stage(info))), pointwise))
    return Cost(Terms(expr), "the depthwise stage, then the 1×1 pointwise stage; the bias add is not counted")


def _dense_positions(info: LayerInfo) -> list[Factor]:
    # A dense layer acts on the last axis; every other axis is a position it is applied at.
    return [Factor("positions", n, "N") for n in info.input_shape[:-1]]


def _dense_textbook(info: LayerInfo) -> Cost:
    g = info.geometry
    assert g is not None
    expr = _product(
        [
            *_dense_positions(info),
            Factor("input features", g.in_channels, "Fin"),
            Factor("output features", g.out_channels, "Fout"),
        ]
    )
    return Cost(Terms(expr), "every input feature times every output feature; the bias add is not counted")


def _matrix_sum(info: LayerInfo) -> Expr:
    """The weight matrices' elements, one ``rows·columns`` term per matrix."""
    terms: list[Expr] = []
    for name, shape in info.torch_weights.items():
        if len(shape) >= 2:
            terms.append(
                Product(tuple(Factor(f"{name} axis {i}", n, f"{name}[{i}]") for i, n in enumerate(shape)))
            )
    return terms[0] if len(terms) == 1 else Sum(tuple(terms))


def _recurrent_textbook(info: LayerInfo) -> Cost:
    steps = info.input_shape[0] if len(info.input_shape) > 1 else 1
    expr = Product((Factor("timesteps", steps, "T"), _matrix_sum(info)))
    return Cost(
        Terms(expr),
        "each timestep multiplies the input and the previous state by every gate's weight matrix; "
        "bias adds and the gates' elementwise work are not counted",
    )


def _attention_textbook(info: LayerInfo, call: TorchCall | None = None) -> Cost:
    steps = info.input_shape[0]
    weights = info.torch_weights
    t = Factor("timesteps", steps, "T")
    keys = sequence_rules.keys_factor(steps, call)
    packed = next((s for n, s in weights.items() if n.endswith("in_proj_weight")), None)
    if packed is not None:
        qk = v = packed[0] // 3
    else:
        qk = next(s[0] for n, s in weights.items() if n.endswith("q_proj_weight"))
        v = next(s[0] for n, s in weights.items() if n.endswith("v_proj_weight"))
    projections = Product((t, Factor("projection weights", _matrix_elements(info), "Wproj")))
    scores = Product((t, keys, Factor("query-key features", qk, "h·dk")))
    mix = Product((t, keys, Factor("value features", v, "h·dv")))
    return Cost(
        Terms(Sum((projections, scores, mix))),
        "the projections' weight products at every timestep, plus the parameter-free products QKᵀ "
        "and AV (self-attention); softmax, scaling and bias adds are not counted"
        + sequence_rules.misfed_note(call),
    )


def _zero_textbook(info: LayerInfo) -> Cost:
    return Cost(
        _ZERO,
        "no weight multiplies its input here (pooling, activations, normalisation, dropout, reshaping "
        "and embedding lookups are not counted)",
    )


_TEXTBOOK: Mapping[Family, Callable[[LayerInfo], Cost]] = MappingProxyType(
    {
        Family.CONV: _conv_textbook,
        Family.TRANSPOSE: _transpose_textbook,
        Family.DEPTHWISE: _depthwise_textbook,
        Family.SEPARABLE: _separable_textbook,
        Family.DENSE: _dense_textbook,
        Family.RECURRENT: _recurrent_textbook,
        Family.ATTENTION: _attention_textbook,
        Family.NORM: _zero_textbook,
        **dict.fromkeys(_NO_WEIGHTS, _zero_textbook),
    }
)


# -- torchinfo 1.8 -------------------------------------------------------------------------------------
# torchinfo's LayerInfo.calculate_macs: a module whose class name contains "Conv" multiplies every
# parameter by the output's batch and spatial positions; other modules multiply a parameter called
# exactly "weight" or "bias" by the batch (1), and any other parameter with "weight" or "bias" in its
# name (weight_ih_l0, in_proj_weight) by the output's first two axes with the batch (T·1, or 1·H).
_CONV_LIKE = frozenset([Family.CONV, Family.TRANSPOSE, Family.DEPTHWISE, Family.SEPARABLE])


def _params_expr(info: LayerInfo) -> Expr:
    return info.terms.expr


def _torchinfo(info: LayerInfo, call: TorchCall | None) -> Cost:
    family = _family(info, Convention.TORCHINFO)
    if family is Family.CONTAINER or family is Family.MERGE:
        raise _undefined(info, Convention.TORCHINFO, "it is not one module with its own parameters")
    if info.params == 0:
        return Cost(_ZERO, "torchinfo prints -- for a layer without parameters")
    if family is Family.ATTENTION:
        return sequence_rules.torchinfo_attention(info, call)
    if family in _CONV_LIKE:
        out = _positions(info.split(info.output_shape)[0], "output")
        expr = Product((_params_expr(info), *out))
        note = "every parameter, bias included, times the output positions"
        if family is Family.TRANSPOSE:
            note += " (a transposed convolution's output positions: an over-count of the input-side work)"
        return Cost(Terms(expr), note)
    plain = sum(_elements(s) for n, s in info.torch_weights.items() if n in ("weight", "bias"))
    inner = sum(
        _elements(s)
        for n, s in info.torch_weights.items()
        if n not in ("weight", "bias") and ("weight" in n or "bias" in n)
    )
    first = Factor("first output axis", info.output_shape[0], "T")
    # a "weight" or "bias" is multiplied by output_size[0]: the batch (1) when the model is fed
    # batch-first, the timesteps T when it is fed sequence-first (T, 1, F)
    sequence_first = call is not None and call.model_feed is Feed.SEQUENCE_FIRST
    if inner == 0:
        if sequence_first:
            return Cost(
                Terms(Product((first, _params_expr(info)))),
                "every parameter times the output's first axis, the timesteps T: the model is fed "
                "sequence-first (T, 1, F), and torchinfo multiplies a non-convolution's parameters by "
                "output_size[0]",
            )
        return Cost(
            Terms(_params_expr(info)),
            "every parameter once (torchinfo multiplies by the batch only, not by positions)",
        )
    if plain == 0:
        return Cost(
            Terms(Product((first, _params_expr(info)))),
            "every parameter times the output's first axis (the timesteps; a cell's hidden units)"
            + sequence_rules.misfed_note(call),
        )
    once: Expr = Factor("weight and bias", plain, "n")
    if sequence_first:
        once = Product((first, once))
    mixed = Sum((once, Product((first, Factor("inner weights", inner, "m")))))
    return Cost(
        Terms(mixed),
        "weight and bias times output_size[0] (the batch, or T when fed sequence-first), the other "
        "weights times the output's first axis",
    )


# -- ptflops 0.7.5 (default pytorch backend) -------------------------------------------------------
# Output values an activation costs in ptflops: its module hook counts them once and its patched
# torch.nn.functional call once more (ReLU → F.relu); Softmax and SiLU have only the functional hook,
# ReLU6 (F.hardtanh) and LeakyReLU only the module hook; the others are not counted.
_PTFLOPS_ACTIVATION = MappingProxyType(
    {"relu": 2, "elu": 2, "prelu": 2, "gelu": 2, "relu6": 1, "leakyrelu": 1, "softmax": 1, "silu": 1}
)
# Pooling: the module hook and the patched functional each count the input values once.
_PTFLOPS_POOL_PASSES = 2
# Norm layers with an ``affine`` attribute count two per input value, LayerNorm (elementwise_affine) one.
# InstanceNorm has ``affine`` too (its hook is BatchNorm's), verified with affine=True.
_PTFLOPS_NORM_TWO = frozenset(
    [
        "batchnorm1d",
        "batchnorm2d",
        "batchnorm3d",
        "groupnorm",
        "instancenorm1d",
        "instancenorm2d",
        "instancenorm3d",
    ]
)


def _bias_values(info: LayerInfo) -> int:
    g = info.geometry
    return _elements(info.output_shape) if g is not None and g.bias else 0


def _with_bias_adds(core: Expr, info: LayerInfo) -> Expr:
    bias = _bias_values(info)
    return Sum((core, Factor("bias adds (output values)", bias, "Nout"))) if bias else core


def _ptflops(info: LayerInfo, call: TorchCall | None) -> Cost:
    family = _family(info, Convention.PTFLOPS)
    kind = info.kind
    assert kind is not None
    if family in (Family.CONV, Family.DEPTHWISE, Family.TRANSPOSE):
        core = _TEXTBOOK[family](info).formula.expr
        return Cost(Terms(_with_bias_adds(core, info)), "the weight products plus one add per output value")
    if family is Family.SEPARABLE:
        core = _separable_textbook(info).formula.expr
        return Cost(
            Terms(_with_bias_adds(core, info)),
            "as the two Conv2d a PyTorch model uses: depthwise and pointwise products plus the bias adds",
        )
    if family is Family.DENSE:
        g = info.geometry
        assert g is not None
        per: Expr = Product(
            (
                Factor("input features", g.in_channels, "Fin"),
                Factor("output features", g.out_channels, "Fout"),
            )
        )
        if g.bias:
            per = Sum((per, Factor("bias adds", g.out_channels, "Fout")))
        expr = _product([*_dense_positions(info), per])
        return Cost(Terms(expr), "the weight products plus the bias adds, at every position")
    if family is Family.ACTIVATION:
        passes = _PTFLOPS_ACTIVATION.get(kind.key)
        if passes is None:
            return Cost(_ZERO, "ptflops does not count this activation")
        expr = _product(
            [
                Factor("counted passes", passes, "p"),
                Factor("output values", _elements(info.output_shape), "Nout"),
            ]
        )
        return Cost(Terms(expr), "one per output value for each hook that sees it (module and functional)")
    if family is Family.POOL:
        expr = Product(
            (
                Factor("counted passes", _PTFLOPS_POOL_PASSES, "2"),
                Factor("input values", _elements(info.input_shape), "Nin"),
            )
        )
        return Cost(
            Terms(expr), "one per input value, counted by the module hook and again by the functional"
        )
    if family is Family.NORM:
        n = Factor("input values", _elements(info.input_shape), "Nin")
        affine = info.params > 0 and kind.key in _PTFLOPS_NORM_TWO
        expr = Product((Factor("per value", 2, "2"), n)) if affine else n
        return Cost(
            Terms(expr),
            "one per input value, two with a learned scale and shift (BatchNorm, GroupNorm, InstanceNorm)",
        )
    if family in (Family.DROPOUT, Family.RESHAPE, Family.INPUT, Family.EMBEDDING):
        return Cost(_ZERO, "ptflops does not count dropout, reshaping or lookups")
    if family is Family.RECURRENT:
        return sequence_rules.ptflops_recurrent(info, call)
    if family is Family.ATTENTION:
        return sequence_rules.ptflops_attention(info, call)
    raise _undefined(info, Convention.PTFLOPS, f"convwidget does not reproduce ptflops' {family} rule")


# -- fvcore 0.1.5 --------------------------------------------------------------------------------------
# fvcore counts traced aten ops: convolutions and matrix products, and a few elementwise ops
# (batch_norm at inference 2 per value with an affine, layer/group/instance norm 5 with a learned scale
# and 4 without, adaptive average pooling 1).
_FVCORE_NORM = MappingProxyType(
    {
        "layernorm": 5,
        "groupnorm": 5,
        "instancenorm1d": 5,
        "instancenorm2d": 5,
        "instancenorm3d": 5,
    }
)
_FVCORE_POOL_ONE = frozenset(["global_avg_pool2d"])


def _fvcore(info: LayerInfo, call: TorchCall | None) -> Cost:
    family = _family(info, Convention.FVCORE)
    kind = info.kind
    assert kind is not None
    if family in (Family.CONV, Family.DEPTHWISE, Family.TRANSPOSE, Family.SEPARABLE, Family.DENSE):
        return Cost(_TEXTBOOK[family](info).formula, "the weight products, as the textbook counts them")
    if family is Family.NORM:
        n = Factor("input values", _elements(info.input_shape), "Nin")
        if kind.key in _FVCORE_NORM:
            per = _FVCORE_NORM[kind.key] if info.params else 4
            return Cost(
                Terms(Product((Factor("per value", per, str(per)), n))),
                "fvcore's estimate per value: 5 with a learned scale, 4 without",
            )
        if kind.key.startswith("batchnorm"):
            expr: Expr = Product((Factor("per value", 2, "2"), n)) if info.params else n
            return Cost(Terms(expr), "a scale and a shift per value at inference")
        raise _undefined(info, Convention.FVCORE, "convwidget does not reproduce fvcore's rule for it")
    if family is Family.POOL:
        if kind.key in _FVCORE_POOL_ONE:
            return Cost(
                Terms(Factor("input values", _elements(info.input_shape), "Nin")), "one per input value"
            )
        return Cost(_ZERO, "fvcore skips max and average pooling (unsupported ops)")
    if family in (Family.ACTIVATION, Family.DROPOUT, Family.RESHAPE, Family.INPUT, Family.EMBEDDING):
        return Cost(_ZERO, "fvcore does not count activations, dropout, reshaping or lookups")
    if family is Family.RECURRENT:
        return sequence_rules.fvcore_recurrent(info, call)
    if family is Family.ATTENTION:
        return sequence_rules.fvcore_attention(info, call)
    raise _undefined(
        info, Convention.FVCORE, f"fvcore skips {family} layers as unsupported operators, with a warning"
    )


def _textbook(info: LayerInfo, call: TorchCall | None) -> Cost:
    family = _family(info, Convention.TEXTBOOK)
    rule = _TEXTBOOK.get(family)
    if rule is None:
        raise _undefined(info, Convention.TEXTBOOK, f"a {family} is not one layer with its own weights")
    if family is Family.ATTENTION:
        return _attention_textbook(info, call)  # QKᵀ and AV span the keys PyTorch sees: T, or 1 misfed
    cost = rule(info)
    return Cost(cost.formula, cost.note + sequence_rules.misfed_note(call))


def _check_feed(info: LayerInfo, convention: Convention, call: TorchCall | None) -> None:
    """Refuse a layer a sequence-first model would hand a different tensor than its description says."""
    if call is None or call.batch_first is not None or call.model_feed is Feed.BATCH_FIRST:
        return
    if keeps_layout(info):
        return
    label = f"row {info.name} ({info.layer_type})" if info.name else info.layer_type
    fed = torch_input_shape(Feed.SEQUENCE_FIRST, info.input_shape)
    described = torch_input_shape(Feed.BATCH_FIRST, info.input_shape)
    raise fail(
        f"cost '{convention}'",
        "layer",
        label,
        "the model is fed sequence-first, (T, 1, F) with the batch axis second, because its first layer "
        f"has batch_first=False; PyTorch would hand this layer a {fed} tensor, not the {described} its "
        "description means (batch axis first), so it would not run as described and no tool reports a "
        "figure for it",
        "set batch_first=True on the model's first layer (the model is then fed (1, T, F)), or count "
        "this layer on its own (cost.table(layer, convention, input_shape))",
    )


_RULES: Mapping[Convention, Callable[[LayerInfo, TorchCall | None], Cost]] = MappingProxyType(
    {
        Convention.TEXTBOOK: _textbook,
        Convention.TORCHINFO: _torchinfo,
        Convention.PTFLOPS: _ptflops,
        Convention.FVCORE: _fvcore,
    }
)


def layer_cost(info: LayerInfo, convention: Convention) -> Cost:
    """The multiply-adds of one described layer under ``convention``.

    Parameters
    ----------
    info : LayerInfo
        The layer on its input shape.
    convention : Convention
        Whose way of counting.

    Returns
    -------
    Cost
        The figure, its formula and a note of what it includes.

    Raises
    ------
    ConfigError
        If the convention does not define the layer; the message names both. torchinfo's figure for
        a TransformerEncoderLayer and fvcore's for attention depend on ``batch_first``, which a
        description does not carry: use :func:`layer_cost_called` (or :func:`convwidget.cost.table`
        on the layer or its model) for them.
    """
    return _RULES[convention](info, None)


def layer_cost_called(info: LayerInfo, convention: Convention, call: TorchCall | None) -> Cost:
    """As :func:`layer_cost`, knowing how the PyTorch layer is called (``batch_first``, ``add_zero_attn``).

    Parameters
    ----------
    info : LayerInfo
        The layer on its input shape.
    convention : Convention
        Whose way of counting.
    call : TorchCall or None
        How the layer is called (None: unknown, as in :func:`layer_cost`).

    Returns
    -------
    Cost
        The figure, its formula and a note of what it includes.

    Raises
    ------
    ConfigError
        If the convention does not define the layer; the message names both.
    """
    _check_feed(info, convention, call)
    return _RULES[convention](info, call)
