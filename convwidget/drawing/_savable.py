"""``save()`` as a method of every drawing object (the work is :func:`convwidget.drawing.save.save`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .save import Drawing, Saved

__all__ = ["Savable"]


class Savable:
    """Mixin giving a drawing ``save(path, size=None, dpi=100)``."""

    def save(self, path: str | Path, size: Sequence[float] | None = None, dpi: float = 100.0) -> Saved:
        """Write the picture to SVG or PNG (by the suffix) and its text description beside it.

        Parameters
        ----------
        path : str or Path
            Ends in ``.svg`` or ``.png``; the description goes to the same path with ``.txt``.
        size : (float, float), optional
            Width and height in inches (default: the figure's own).
        dpi : float
            Pixels per inch of a PNG.

        Returns
        -------
        Saved
            The picture's path and the description's path.
        """
        # Imported here: save.py imports every drawing class, which all inherit from this mixin.
        from .save import save

        return save(cast("Drawing", self), path, size, dpi)
