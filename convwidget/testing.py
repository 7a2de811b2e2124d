"""Helpers for testing course notebooks that use convwidget.

``python -m convwidget.testing`` prints the path of the nbval sanitize file
shipped with the package, for::

    pytest --nbval --nbval-current-env \\
        --nbval-sanitize-with "$(python -m convwidget.testing)" notebooks/
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["sanitize_file"]


def sanitize_file() -> Path:
    """Return the path of the nbval sanitize file shipped with convwidget.

    Returns
    -------
    pathlib.Path
        A file with rules for memory addresses, embedded PNGs and widget ids.
    """
    return Path(str(resources.files("convwidget") / "data" / "nbval_sanitize.cfg"))


if __name__ == "__main__":
    print(sanitize_file())
