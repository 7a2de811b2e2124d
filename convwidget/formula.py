"""Parameter counts as formulas in data: named factors that render as text or LaTeX.

A count such as Conv2D's ``(3·3·32 + 1)·63 = 18,207`` is kept as a small
expression tree of :class:`Factor`, :class:`Product` and :class:`Sum`, so the
same object can be evaluated, rendered as plain text, rendered as LaTeX, or
searched for the factor a learner forgot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Union

__all__ = ["Factor", "Product", "Sum", "Terms", "group_digits", "render"]


def group_digits(n: int) -> str:
    """Return ``n`` with comma-grouped thousands, as Keras prints totals.

    Parameters
    ----------
    n : int
        The number.

    Returns
    -------
    str
        For example ``"18,207"``.
    """
    return f"{n:,}"


@dataclass(frozen=True)
class Factor:
    """One named number in a formula, e.g. the kernel height 3.

    Parameters
    ----------
    name : str
        What the number means, in words ("kernel height").
    value : int
        The number.
    symbol : str
        A short symbol for the symbolic form ("Fh", "Cin", "1").
    """

    name: str
    value: int
    symbol: str

    def evaluate(self) -> int:
        """Return the factor's value."""
        return self.value


@dataclass(frozen=True)
class Product:
    """A product of sub-expressions."""

    items: tuple[Expr, ...]

    def evaluate(self) -> int:
        """Return the product of the items' values."""
        out = 1
        for item in self.items:
            out *= item.evaluate()
        return out


@dataclass(frozen=True)
class Sum:
    """A sum of sub-expressions."""

    items: tuple[Expr, ...]

    def evaluate(self) -> int:
        """Return the sum of the items' values."""
        return sum(item.evaluate() for item in self.items)


Expr = Union[Factor, Product, Sum]


def render(expr: Expr, leaf: Callable[[Factor], str], times: str = "·", plus: str = " + ") -> str:
    """Write ``expr`` with ``leaf(factor)`` for each factor, bracketing a sum inside a product.

    The one place that knows where the brackets go: plain text, LaTeX and the
    widgets' HTML all render through it, so their visible text is the same.

    Parameters
    ----------
    expr : Factor, Product or Sum
        The formula.
    leaf : callable
        Writes one factor, e.g. ``lambda f: str(f.value)``.
    times, plus : str
        The product and sum operators.

    Returns
    -------
    str
        For example ``(3·3·32 + 1)·63``.
    """
    return _render(expr, leaf, times, plus, "top")


def _render(expr: Expr, leaf: Callable[[Factor], str], times: str, plus: str, parent: str) -> str:
    if isinstance(expr, Factor):
        return leaf(expr)
    if isinstance(expr, Product):
        return times.join(_render(i, leaf, times, plus, "product") for i in expr.items)
    text = plus.join(_render(i, leaf, times, plus, "sum") for i in expr.items)
    # A sum only needs brackets inside a product; a sum inside a sum reads fine flat.
    if parent == "product" and len(expr.items) > 1:
        return f"({text})"
    return text


def _value(factor: Factor) -> str:
    return str(factor.value)


def _symbol(factor: Factor) -> str:
    return factor.symbol


def _leaves(expr: Expr) -> list[Factor]:
    if isinstance(expr, Factor):
        return [expr]
    out: list[Factor] = []
    for item in expr.items:
        out.extend(_leaves(item))
    return out


@dataclass(frozen=True)
class Terms:
    """A layer's parameter count as a formula.

    Parameters
    ----------
    expr : Factor, Product or Sum
        The formula; its value is the total count of the layer's weights.
    """

    expr: Expr

    @property
    def total(self) -> int:
        """The count the formula evaluates to."""
        return self.expr.evaluate()

    @property
    def factors(self) -> tuple[Factor, ...]:
        """Every named factor, left to right."""
        return tuple(_leaves(self.expr))

    def factor(self, name: str) -> Factor | None:
        """Return the first factor called ``name``, or None."""
        for f in self.factors:
            if f.name == name:
                return f
        return None

    @property
    def expression(self) -> str:
        """The formula with numbers filled in, e.g. ``(3·3·32 + 1)·63``."""
        return render(self.expr, _value)

    @property
    def symbolic(self) -> str:
        """The formula in symbols, e.g. ``(Fh·Fw·Cin + 1)·Cout``."""
        return render(self.expr, _symbol)

    @property
    def text(self) -> str:
        """Plain text with the result, e.g. ``(3·3·32 + 1)·63 = 18,207``."""
        if isinstance(self.expr, Factor):
            return group_digits(self.total)
        return f"{self.expression} = {group_digits(self.total)}"

    @property
    def latex(self) -> str:
        r"""LaTeX, e.g. ``(3 \cdot 3 \cdot 32 + 1) \cdot 63 = 18{,}207``."""
        total = group_digits(self.total).replace(",", "{,}")
        if isinstance(self.expr, Factor):
            return total
        body = render(self.expr, _value, r" \cdot ")
        return f"{body} = {total}"

    def __str__(self) -> str:
        return self.text
