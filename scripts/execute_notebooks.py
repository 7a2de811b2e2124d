"""Re-execute the course notebooks in place, so their saved outputs are what the code prints today.

Usage: ``python scripts/execute_notebooks.py [NOTEBOOK ...]`` (default: every
notebook under ``notebooks/``). Run it after any change to convwidget that
changes what a notebook prints, then review and commit the diff; the nbval
tests compare those saved outputs on every CI run. Outputs are never edited
by hand.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path) -> None:
    """Execute one notebook top to bottom in a fresh kernel and save it in place."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    language = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {
        "name": "python",
        "pygments_lexer": language.get("pygments_lexer", "ipython3"),
    }
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    """Execute the notebooks named in ``argv`` (or all of them); return 0 on success."""
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"executed {path} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
