"""Regenerate the README's picture, ``docs/kernel-stack.png``, from the code.

Usage: ``python scripts/make_readme_figure.py``

It draws the kernel stack of the question's second layer,
``Conv2D(63, (3, 3))`` on a 26×26×32 input, with
:class:`convwidget.drawing.KernelStackFigure` and saves it through
matplotlib's ``savefig`` (the vector artists, not the fast raster path).
"""

from __future__ import annotations

from pathlib import Path

from convwidget.drawing import KernelStackFigure
from convwidget.layers import Conv2D

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "kernel-stack.png"


def main() -> None:
    """Draw and save the figure, printing its path and the labels it shows."""
    fig = KernelStackFigure(Conv2D(63, (3, 3)).describe((26, 26, 32)))
    OUT.parent.mkdir(exist_ok=True)
    # Fixed metadata, so regenerating an unchanged figure gives the same bytes.
    fig.figure.savefig(OUT, dpi=100, metadata={"Software": None})
    print(OUT.relative_to(ROOT))
    for label in fig.plan.labels:
        print(f"  {label.role}: {label.text}")


if __name__ == "__main__":
    main()
