"""Candidate search for recurrent and attention rows (issue #17's layers), under the same truth rule.

Each search tries a small grid of the arguments a paste does not show (bias, GRU's reset_after, the
wrapped layer and merge mode of Bidirectional, PyTorch's num_layers and bidirectional, attention
heads), builds each with the dialect's own class and keeps it when ``describe()`` on the row's input
gives the printed shape and count (:meth:`Finder.add <convwidget.reading.finder.Finder.add>`). The
input features are a fact when the input is printed; for a first row they are solved from the count
(which grows linearly with them) and checked by building the layer again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from .. import layers as keras_layers
from .._counting import Counted
from ..errors import ConfigError
from ..info import Describable, Shape
from .finder import Finder, divisors, known, layer_class

__all__ = ["search_attention", "search_recurrent"]

_MAX_LAYERS = 4  # stacked PyTorch recurrent layers tried
_MAX_HEADS = 16

_Make = Callable[[int], Describable]
"""Builds the candidate for a given number of input features."""


def _params(layer: Describable, shape: Shape) -> int | None:
    try:
        return layer.describe(shape).params
    except ConfigError:
        return None


def _solve_features(make: _Make, shape: Callable[[int], Shape], count: int) -> int | None:
    """The input features that give ``count`` (a count grows linearly with them), or None."""
    one, two = _params(make(1), shape(1)), _params(make(2), shape(2))
    if one is None or two is None or two <= one or (count - one) % (two - one):
        return None
    features = 1 + (count - one) // (two - one)
    return features if features >= 1 else None


def _counted(make: _Make, shape: Shape) -> Callable[[], Counted]:
    """The count of ``make(features)`` on ``shape`` (its last axis the features), as the core gives it."""
    return _counted_built(partial(make, shape[-1]), shape)


def _counted_built(build: Callable[[], Describable], shape: Shape) -> Callable[[], Counted]:
    def counted() -> Counted:
        info = build().describe(shape)
        return Counted(info.terms, {}, {})

    return counted


def _try(f: Finder, code: str, make: _Make, out_len: int | None, assumed: list[str], penalty: int) -> None:
    """Keep the candidate ``make(features)`` on the row's input (or on the features the count implies)."""
    ins = known(f.in_shape)
    if ins is not None:
        f.add(code, partial(make, ins[-1]), _counted(make, ins), assumed, penalty)
        return
    if f.count is None:
        return
    steps = out_len or 1

    def shape(features: int) -> Shape:
        return (steps, features)

    features = _solve_features(make, shape, f.count)
    if features is not None and _params(make(features), shape(features)) == f.count:
        f.add(code.replace("{F}", str(features)), None, _counted(make, shape(features)), assumed, penalty)


def _sequence_length(f: Finder) -> int | None:
    out = f.out
    return out[0] if out is not None and len(out) == 2 and out[0] is not None else None


def _keras_recurrent(
    f: Finder, name: str, units: int, extra: list[str]
) -> Iterator[tuple[str, _Make, list[str]]]:
    """(code, maker, assumptions) of the Keras SimpleRNN/LSTM/GRU configurations with ``units``."""
    cls = getattr(keras_layers, name)
    sequences = f.out is not None and len(f.out) == 2
    for bias in (True, False):
        for reset_after in (True, False) if name == "GRU" else (True,):
            kwargs: dict[str, object] = {"use_bias": bias, "return_sequences": sequences}
            code = [str(units)]
            assumed: list[str] = []
            if sequences:
                code.append("return_sequences=True")
            if not bias:
                code.append("use_bias=False")
                assumed.append("no bias")
            if name == "GRU":
                kwargs["reset_after"] = reset_after
                if not reset_after:
                    code.append("reset_after=False")
                    assumed.append("reset_after=False")

            def make(features: int, kw: dict[str, object] = kwargs) -> Describable:
                del features
                layer: Describable = cls(units, **kw)
                return layer

            yield f"{name}({', '.join(code + extra)})", make, assumed


def search_recurrent(f: Finder) -> None:
    """Candidates for a recurrent row: SimpleRNN/LSTM/GRU, Bidirectional, PyTorch's RNN/LSTM/GRU and cells."""
    out, count = f.out, f.count
    if out is None or count is None or not out or out[-1] is None or out[-1] < 1:
        return
    width = out[-1]
    if f.torch:
        _torch_recurrent(f, width)
        return
    steps = _sequence_length(f)
    if f.kind.keras != "Bidirectional":
        for code, make, assumed in _keras_recurrent(f, f.name, width, []):
            _try(f, code, make, steps, assumed, 0)
        return
    for merge in ("concat", "sum", "ave", "mul"):
        units = width // 2 if merge == "concat" else width
        if units < 1 or (merge == "concat" and width % 2):
            continue
        for inner in ("LSTM", "GRU", "SimpleRNN"):
            for code, make_inner, assumed in _keras_recurrent(f, inner, units, []):
                tail = [] if merge == "concat" else [f"merge_mode='{merge}'"]

                def make(features: int, mi: _Make = make_inner, mode: str = merge) -> Describable:
                    return keras_layers.Bidirectional(mi(features), merge_mode=mode)

                full = f"Bidirectional({', '.join([code, *tail])})"
                _try(f, full, make, steps, assumed + [t.split("=")[0] for t in tail], int(inner != "LSTM"))


def _torch_recurrent(f: Finder, width: int) -> None:
    cls = layer_class(f.kind, f.dialect)
    if cls is None:
        return
    cell = f.name.endswith("Cell")
    steps = _sequence_length(f)
    for bidirectional in (False,) if cell else (False, True):
        hidden = width // 2 if bidirectional else width
        if hidden < 1 or (bidirectional and width % 2):
            continue
        for layers in (1,) if cell else range(1, _MAX_LAYERS + 1):
            for bias in (True, False):
                for batch_first in (False,) if cell else (True, False):
                    kwargs: dict[str, object] = {"bias": bias}
                    if not cell:
                        kwargs.update(num_layers=layers, bidirectional=bidirectional, batch_first=batch_first)
                    extra = [
                        a
                        for a, on in (
                            (f"num_layers={layers}", layers > 1),
                            ("bias=False", not bias),
                            ("batch_first=True", batch_first),
                            ("bidirectional=True", bidirectional),
                        )
                        if on
                    ]

                    def make(features: int, kw: dict[str, object] = kwargs, h: int = hidden) -> Describable:
                        return cls(features, h, **kw)

                    ins = known(f.in_shape)
                    features = str(ins[-1]) if ins else "{F}"
                    code = f"{f.name}({', '.join([features, str(hidden), *extra])})"
                    assumed = [a.split("=")[0] for a in extra if not a.startswith("batch_first")]
                    _try(f, code, make, steps, assumed, layers - 1)


def search_attention(f: Finder) -> None:
    """Candidates for an attention row: Keras' MultiHeadAttention, PyTorch's MultiheadAttention and
    TransformerEncoderLayer (heads do not change PyTorch's counts; Keras' depend on heads·key_dim)."""
    out, count = f.out, f.count
    cls = layer_class(f.kind, f.dialect)
    # Attention keeps its query's shape: an unprinted input (a first row) is the output's shape.
    ins = known(f.in_shape) or known(out)
    if out is None or count is None or not out or out[-1] is None or cls is None or ins is None:
        return
    embed = out[-1]
    if f.torch and f.name == "MultiheadAttention":
        for bias in (True, False):
            for bias_kv in (False, True):
                extra = [a for a, on in (("bias=False", not bias), ("add_bias_kv=True", bias_kv)) if on]
                build = partial(cls, embed, 1, bias=bias, add_bias_kv=bias_kv)
                code = f"MultiheadAttention({', '.join([str(embed), '1', *extra])})"
                f.add(code, build, _counted_built(build, ins), extra, 0)
        return
    if f.torch:
        _transformer(f, cls, embed, ins, count)
        return
    _keras_attention(f, cls, ins, embed, count)


def _transformer(f: Finder, cls: Callable[..., Describable], d_model: int, ins: Shape, count: int) -> None:
    for bias in (True, False):

        def make(ff: int, b: bool = bias) -> Describable:
            return cls(d_model, 1, dim_feedforward=ff, bias=b)

        ff = _solve_features(make, lambda _x: ins, count)
        if ff is None:
            continue
        extra = ["bias=False"] if not bias else []
        code = f"TransformerEncoderLayer({', '.join([str(d_model), '1', f'dim_feedforward={ff}', *extra])})"
        f.add(code, partial(make, ff), _counted_built(partial(make, ff), ins), extra, 0)


def _keras_attention(f: Finder, cls: Callable[..., Describable], ins: Shape, embed: int, count: int) -> None:
    # Keras' count grows linearly with heads·key_dim (value_dim = key_dim): solve it, then split it.
    for bias in (True, False):

        def make(product: int, b: bool = bias) -> Describable:
            return cls(1, product, use_bias=b)

        product = _solve_features(make, lambda _x: ins, count)
        if product is None:
            continue
        for heads in [h for h in divisors(product) if h <= _MAX_HEADS]:
            key_dim = product // heads
            extra = ["use_bias=False"] if not bias else []
            code = f"MultiHeadAttention({', '.join([f'num_heads={heads}', f'key_dim={key_dim}', *extra])})"
            build = partial(cls, heads, key_dim, use_bias=bias)
            f.add(
                code,
                build,
                _counted_built(build, ins),
                ["no bias"] if extra else [],
                int(heads == 1),
            )
    del embed
