"""The classic wrong counts of recurrent, attention and embedding layers, for :func:`convwidget.diagnose`.

Each candidate is the right formula with one thing done wrong, rebuilt from the
factors of the layer's own formula (``info.terms``), so the sentence quotes the
layer's numbers: an LSTM counted with one gate, without its recurrent weights
or its bias; a Keras GRU with one bias per gate; a PyTorch RNN with one bias
per gate instead of ``bias_ih`` and ``bias_hh``; a bidirectional layer with one
direction; stacked layers that all read the first layer's input; attention
with one projection; an Embedding as vocabulary + dimension.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ._candidate import Candidate
from .enums import Dialect, Family
from .formula import Expr, Factor, Product, Sum, Terms, group_digits
from .info import LayerInfo

__all__ = ["CANDIDATES", "MISTAKES"]

MISTAKES = {
    "forgot_gates": "a gated recurrent layer counted with one weight set, not one per gate (LSTM 4, GRU 3)",
    "recurrent_as_dense": "a gated recurrent layer counted as one Dense layer from its inputs to its units",
    "forgot_recurrent_weights": "the recurrent weights (U·U per gate, the previous state fed back) left out",
    "gru_one_bias": "a Keras GRU with reset_after=True (its default) counted with one bias per gate",
    "torch_one_bias": "a PyTorch RNN, LSTM or GRU counted with one bias per gate, not bias_ih and bias_hh",
    "one_direction": "a bidirectional recurrent layer counted for one direction only",
    "stacked_first_input": "stacked recurrent layers all counted with the first layer's input size",
    "attention_one_projection": "attention counted as one projection instead of four (Q, K, V, output)",
    "embedding_vocab_plus_dim": "an Embedding counted as vocabulary + dimension, not vocabulary × dimension",
}

_GATES = {
    1: "one weight set",
    3: "3 gates (update, reset, candidate)",
    4: "4 gates (input, forget, cell, output)",
}


def _n(value: int) -> str:
    return group_digits(value)


def _sum(items: list[Expr]) -> Expr:
    return Sum(tuple(items)) if len(items) > 1 else items[0]


def _times(factor: Factor | None, expr: Expr) -> Expr:
    """``factor·expr``, or ``expr`` when the factor is absent or 1 (one gate, one direction)."""
    return Product((factor, expr)) if factor is not None and factor.value > 1 else expr


@dataclass(frozen=True)
class _Recurrent:
    """The factors of a recurrent layer's formula, and how its per-gate part is written."""

    dialect: Dialect
    gates: Factor | None
    features: Factor
    units: Factor
    bias: bool
    two_biases: bool  # Keras GRU reset_after=True; always for PyTorch with bias
    directions: Factor | None
    above: Factor | None  # PyTorch's layers above the first (L − 1)
    below: Factor | None  # what they read: D·H outputs of the layer below

    @property
    def g(self) -> int:
        return self.gates.value if self.gates is not None else 1

    def per_gate(self, reads: Factor, gates: bool = True, recurrent: bool = True, biases: int = -1) -> Expr:
        """One layer-direction: ``g·(in·U + U·U + b·U)`` (Keras: ``g·((in + U)·U + b·U)``)."""
        u = self.units
        own = (2 if self.two_biases else 1) if self.bias else 0  # none without bias, else one or two per unit
        count = own if biases < 0 else biases
        rec = Factor("recurrent units", u.value, u.symbol)
        parts: list[Expr]
        if self.dialect is Dialect.KERAS and recurrent:
            parts = [Product((Sum((reads, rec)), u))]
        else:
            parts = [Product((reads, u))]
            if recurrent:
                parts.append(Product((rec, u)))
        bias = Factor("biases", u.value, u.symbol)
        if count == 1:
            parts.append(bias)
        elif count == 2 and self.dialect is Dialect.KERAS:
            parts.append(Product((Factor("biases per unit", 2, "2"), bias)))
        elif count == 2:
            parts += [Factor("input bias", u.value, u.symbol), Factor("recurrent bias", u.value, u.symbol)]
        body = _sum(parts)
        return _times(self.gates, body) if gates else body

    @property
    def layer_directions(self) -> int:
        """How many copies of the per-gate weights the layer holds (layers × directions)."""
        layers = 1 + (self.above.value if self.above is not None else 0)
        return layers * (self.directions.value if self.directions is not None else 1)

    def whole(
        self,
        directions: bool = True,
        first_input_everywhere: bool = False,
        gates: bool = True,
        recurrent: bool = True,
        biases: int = -1,
    ) -> Terms:
        """Every layer and direction, with ``per_gate``'s change applied to each."""
        d = self.directions if directions else None
        expr = _times(d, self.per_gate(self.features, gates, recurrent, biases))
        if self.above is not None and self.below is not None:
            reads = self.features if first_input_everywhere else self.below
            upper = _times(d, self.per_gate(reads, gates, recurrent, biases))
            expr = Sum((expr, Product((self.above, upper))))
        return Terms(expr)


def _recurrent(info: LayerInfo) -> _Recurrent | None:
    t = info.terms
    features = t.factor("input features")
    units = t.factor("units") if info.dialect is Dialect.KERAS else t.factor("hidden units")
    if features is None or units is None or t.factor("projection size") is not None:
        return None
    if info.dialect is Dialect.KERAS:
        bias = t.factor("biases") is not None
        two = t.factor("biases per unit") is not None
    else:
        bias = two = t.factor("input bias") is not None
    return _Recurrent(
        info.dialect,
        t.factor("gates"),
        features,
        units,
        bias,
        two,
        t.factor("directions"),
        t.factor("layers above the first"),
        t.factor("inputs from the layer below"),
    )


def _recurrent_candidates(info: LayerInfo) -> list[Candidate]:
    r = _recurrent(info)
    if r is None:
        return []
    right = info.terms.text
    f, u, g = r.features.value, r.units.value, r.g
    layer = info.layer_type
    out: list[Candidate] = []
    if g > 1:
        owner = "each direction" if r.directions is not None else layer
        out.append(
            Candidate(
                "forgot_gates",
                r.whole(gates=False),
                ("gates",),
                (),
                lambda t: (
                    f"{_n(t.total)} = {t.expression} is one weight set; {owner} has {_GATES[g]}, each with "
                    f"its own {f}·{u} input weights, {u}·{u} recurrent weights and biases: {right}."
                ),
            )
        )
    if g > 1 and r.layer_directions == 1:
        # the learner's first guess: a Dense layer from the F inputs to the U units
        out.append(
            Candidate(
                "recurrent_as_dense",
                r.whole(gates=False, recurrent=False, biases=1 if r.bias else 0),
                ("gates", "recurrent units"),
                (),
                lambda t: (
                    f"{_n(t.total)} = {t.expression} would be a Dense layer from {f} inputs to {u} units; "
                    f"{layer} has {_GATES[g]}, and each also reads the previous state through {u}·{u} "
                    f"recurrent weights: {right}."
                ),
            )
        )
    out.append(
        Candidate(
            "forgot_recurrent_weights",
            r.whole(recurrent=False),
            ("recurrent units",),
            (),
            lambda t: (
                f"{_n(t.total)} = {t.expression} leaves out the recurrent weights: "
                f"{'each gate' if g > 1 else 'the layer'} also reads the previous state, {u}·{u} = "
                f"{_n(u * u)} more weights{' per gate' if g > 1 else ''}: {right}."
            ),
        )
    )
    if r.bias:
        per = "per gate " if g > 1 else ""
        out.append(
            Candidate(
                "forgot_bias",
                r.whole(biases=0),
                ("biases",),
                (),
                lambda t: (
                    f"{_n(t.total)} = {t.expression} leaves out the biases: "
                    f"{'two' if r.two_biases else 'one'} per unit {per}({u}{' each' if r.two_biases else ''})"
                    f": {right}."
                ),
            )
        )
    if r.two_biases and r.dialect is Dialect.KERAS:
        out.append(
            Candidate(
                "gru_one_bias",
                r.whole(biases=1),
                ("biases per unit",),
                (),
                lambda t: (
                    f"{_n(t.total)} = {t.expression} has one bias per gate; Keras' GRU resets after the "
                    f"recurrent product by default (reset_after=True) and keeps two per unit, one for the "
                    f"input's product and one for the recurrent product (a bias of shape (2, {g * u})): "
                    f"{right}."
                ),
            )
        )
    if r.two_biases and r.dialect is Dialect.TORCH:
        n = r.layer_directions
        copies = f" in each of {n} layer-directions" if n > 1 else ""
        out.append(
            Candidate(
                "torch_one_bias",
                r.whole(biases=1),
                ("recurrent bias",),
                (),
                lambda t: (
                    f"{_n(t.total)} = {t.expression} is Keras' count with one bias per gate; PyTorch keeps "
                    f"two, bias_ih and bias_hh ({g}·{u} = {_n(g * u)} each{copies}), so "
                    f"{_n(info.params - t.total)} more: {right}."
                ),
            )
        )
    if r.directions is not None:
        out.append(
            Candidate(
                "one_direction",
                r.whole(directions=False),
                ("directions",),
                (),
                lambda t: (
                    f"{_n(t.total)} = {t.expression} counts one direction; a bidirectional layer runs a "
                    f"second copy with its own weights over the reversed sequence: {right}."
                ),
            )
        )
    if r.above is not None and r.below is not None:
        below, symbol = r.below.value, r.below.symbol
        out.append(
            Candidate(
                "stacked_first_input",
                r.whole(first_input_everywhere=True),
                ("inputs from the layer below",),
                ("input features",),
                lambda t: (
                    f"{_n(t.total)} = {t.expression} gives every layer the {f} input features; the layers "
                    f"above the first read the {below} outputs of the layer below ({symbol} = {below}): "
                    f"{right}."
                ),
            )
        )
    return out


def _attention_candidates(info: LayerInfo) -> list[Candidate]:
    t = info.terms
    e = t.factor("embedding size")
    if e is None or info.kind is None or info.kind.key != "multi_head_attention":
        return []
    right = t.text
    if info.dialect is Dialect.KERAS:
        h, dk = t.factor("heads"), t.factor("key size")
        if h is None or dk is None:
            return []
        core: Expr = Product((e, h, dk))
        one: Expr = Product((Sum((e, Factor("bias", 1, "1"))), h, dk)) if t.factor("bias") else core
        size = f"E → h·dk = {h.value}·{dk.value}"
    else:
        if t.factor("query features") is not None:  # kdim/vdim: four separate projections already
            return []
        out_e = Factor("embedding size", e.value, "E")
        one = Product((Sum((e, Factor("bias", 1, "1"))), out_e)) if t.factor("bias") else Product((e, out_e))
        size = f"E → E = {e.value}"
    return [
        Candidate(
            "attention_one_projection",
            Terms(one),
            ("projections (Q, K, V, output)",),
            (),
            lambda g: (
                f"{_n(g.total)} = {g.expression} is one projection ({size}); attention has four: the query, "
                f"key and value projections and the output projection back to {e.value} features: {right}."
            ),
        )
    ]


def _embedding_candidates(info: LayerInfo) -> list[Candidate]:
    t = info.terms
    v, d = t.factor("vocabulary size"), t.factor("embedding size")
    if v is None or d is None:
        return []
    right = t.text
    return [
        Candidate(
            "embedding_vocab_plus_dim",
            Terms(Sum((v, d))),
            (),
            (),
            lambda g: (
                f"{_n(g.total)} = {g.expression}; an Embedding is a table with one row of {d.value} numbers "
                f"for each of the {_n(v.value)} tokens of the vocabulary, so it holds {v.value}×{d.value}: "
                f"{right}."
            ),
        )
    ]


CANDIDATES: Mapping[Family, Callable[[LayerInfo], list[Candidate]]] = {
    Family.RECURRENT: _recurrent_candidates,
    Family.ATTENTION: _attention_candidates,
    Family.EMBEDDING: _embedding_candidates,
}
