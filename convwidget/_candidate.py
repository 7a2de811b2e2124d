"""One wrong formula a learner may use for a layer: what :mod:`convwidget.diagnose` tries against a guess."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .formula import Terms

__all__ = ["Candidate"]


@dataclass(frozen=True)
class Candidate:
    """A named mistake and the wrong formula it produces for one layer.

    Parameters
    ----------
    mistake : str
        Id of the mistake (a key of :data:`convwidget.diagnose.MISTAKES`).
    terms : Terms
        The wrong formula with this layer's numbers.
    dropped, added : tuple of str
        Names of the factors the wrong formula leaves out or puts in.
    explain : callable
        The sentence for the learner, given ``terms``.
    """

    mistake: str
    terms: Terms
    dropped: tuple[str, ...]
    added: tuple[str, ...]
    explain: Callable[[Terms], str]
