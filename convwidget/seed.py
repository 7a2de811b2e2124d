"""The question convwidget exists for: its MNIST model and the summary its asker printed.

Both travel inside the package (Binder and classrooms have no ``../shared``);
source and licence (Stack Overflow, CC BY-SA 4.0) are in ``data/SOURCES.md``.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Sequential

__all__ = ["seed_model", "seed_model_code", "seed_summary"]


def _data_text(name: str) -> str:
    return (resources.files("convwidget") / "data" / name).read_text(encoding="utf-8")


def seed_summary() -> str:
    """Return the ``model.summary()`` table of the seed question, byte for byte as it was printed.

    Returns
    -------
    str
        The classic Keras 2 table (1,181,161 parameters; conv 2 has 18,207).
    """
    return _data_text("seed_summary.txt")


def seed_model_code() -> str:
    """Return the seed question's model code, as the asker wrote it with ``keras.layers``."""
    return _data_text("seed_model.py.txt")


def seed_model() -> Sequential:
    """Return the seed question's MNIST model, built with ``convwidget.layers`` (1,181,161 parameters).

    Returns
    -------
    convwidget.Sequential
        Conv2D(32) → Conv2D(63) → MaxPooling2D → Dropout → Flatten → Dense(128) → Dropout → Dense(10)
        on a 28×28×1 input.
    """
    from .layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
    from .model import Sequential

    return Sequential(
        [
            Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)),
            Conv2D(63, (3, 3), activation="relu"),
            MaxPooling2D(pool_size=(2, 2)),
            Dropout(0.25),
            Flatten(),
            Dense(128, name="dense", activation="relu"),
            Dropout(0.5),
            Dense(10, activation="softmax"),
        ]
    )
