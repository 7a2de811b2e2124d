"""Parameter counts as formulas in data: named factors that render as text or LaTeX.

A count such as Conv2D's ``(3·3·32 + 1)·63 = 18,207`` is kept as a small
expression tree of :class:`Factor`, :class:`Product` and :class:`Sum`, so the
same object can be evaluated, rendered as plain text, rendered as LaTeX, or
searched for the factor a learner forgot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

__all__ = ["Factor", "Product", "Sum", "Terms", "group_digits"]


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


def _render(expr: Expr, leaf: str, times: str, plus: str, parent: str) -> str:
    if isinstance(expr, Factor):
        return leaf.format(expr)
    if isinstance(expr, Product):
        text = times.join(_render(i, leaf, times, plus, "product") for i in expr.items)
        return text
    text = plus.join(_render(i, leaf, times, plus, "sum") for i in expr.items)
    # A sum only needs brackets inside a product; a sum inside a sum reads fine flat.
    if parent == "product" and len(expr.items) > 1:
        return f"({text})"
    return text


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
        return _render(self.expr, "{0.value}", "·", " + ", "top")

    @property
    def symbolic(self) -> str:
        """The formula in symbols, e.g. ``(Fh·Fw·Cin + 1)·Cout``."""
        return _render(self.expr, "{0.symbol}", "·", " + ", "top")

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
        body = _render(self.expr, "{0.value}", r" \cdot ", " + ", "top")
        return f"{body} = {total}"

    def __str__(self) -> str:
        return self.text
