"""The one table of layer kinds: every layer both dialects know, stated once.

Each :class:`LayerKind` says what one kind of layer is called in Keras and in
PyTorch, what it does (its :class:`~convwidget.enums.Family`), whether it has
weights, how they are counted, which constructor arguments ``from_torch``
reads off a live module, and whether its features sit on the last axis in
both frameworks. Every dispatch on a layer's name in the package — the
explainer, the comparison, the framework bridges, the diagnosis, the models,
the drawings and the widgets — reads this table instead of keeping a list of
its own.

A name can be known without convwidget having a class for it
(``GaussianNoise``: a pasted summary may show it, and it has no weights), so
``keras`` / ``torch`` name the frameworks' classes; ``convwidget.layers`` and
``convwidget.nn`` implement those that :attr:`LayerKind.modelled` lists, and
a test proves the two agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from ._kind_rows import table
from ._layer_kind import LayerKind
from .enums import Dialect

__all__ = ["KINDS", "LayerKind", "by_name", "kind_of", "names"]


KINDS: tuple[LayerKind, ...] = tuple(table())


def _index() -> Mapping[str, LayerKind]:
    index: dict[str, LayerKind] = {}
    for kind in KINDS:
        for name in (kind.keras, kind.torch, *kind.aliases):
            # The first kind to claim a name keeps it (BatchNorm2d's row owns BatchNormalization).
            if name is not None and name not in index:
                index[name] = kind
    return MappingProxyType(index)


_BY_NAME = _index()


def by_name(name: str | None) -> LayerKind | None:
    """The kind a class name (Keras or PyTorch, or an old alias) stands for, or None if unknown."""
    return _BY_NAME.get(name) if name else None


def kind_of(dialect: Dialect | str, cls: type | str) -> LayerKind:
    """The kind of a convwidget class (or class name) of ``dialect``.

    For a class, its bases are tried in order, so a user's subclass of ``Conv2D`` is a
    Conv2D. A convwidget class without an entry is a programming error (a test checks
    every class has one).
    """
    candidates = [cls] if isinstance(cls, str) else [base.__name__ for base in cls.__mro__]
    for name in candidates:
        kind = by_name(name)
        if kind is not None and Dialect(dialect) in kind.modelled and kind.name_in(dialect) == name:
            return kind
    label = cls if isinstance(cls, str) else cls.__name__
    raise LookupError(f"convwidget.kinds has no {dialect} entry for {label!r} or its bases")


def names(dialect: Dialect | str | None = None) -> Iterator[str]:
    """Every known class name (of one dialect, or of both), aliases included."""
    for name, kind in _BY_NAME.items():
        if dialect is None or name in (kind.name_in(dialect), *kind.aliases):
            yield name
