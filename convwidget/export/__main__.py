"""``python -m convwidget.export NOTEBOOK OUT_DIR``: a lesson's handout folder (Markdown and figures)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import ConfigError
from .handout import write_handout


def main(argv: Sequence[str] | None = None) -> int:
    """Write the handout of the notebook given on the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``): an executed notebook and the output folder.

    Returns
    -------
    int
        0 when written (the Markdown file's path is printed), 2 when the notebook cannot be read.
    """
    parser = argparse.ArgumentParser(
        prog="python -m convwidget.export",
        description="Write a lesson notebook's key results (printed formulas and counts, figures) "
        "as a Markdown handout folder, read from the notebook's saved outputs (no kernel).",
    )
    parser.add_argument("notebook", help="an executed notebook, e.g. notebooks/01-mnist-walkthrough.ipynb")
    parser.add_argument("out_dir", help="the handout folder (created if missing)")
    args = parser.parse_args(argv)
    try:
        path = write_handout(args.notebook, args.out_dir)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
