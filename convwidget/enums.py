"""Every option convwidget names with a word, as string enums.

Each enum mixes in ``str`` (Python 3.10 has no ``StrEnum``), so
``info.dialect == "keras"`` and ``row.status == "explained"`` keep working
and the values print as the plain words users pass.
"""

from __future__ import annotations

from enum import Enum, unique

__all__ = ["Dialect", "Family", "Layout", "Padding", "Status", "SummaryStyle"]


class _Word(str, Enum):
    """A str enum that prints as its value (``str(Dialect.KERAS) == "keras"``)."""

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return repr(self.value)


@unique
class Dialect(_Word):
    """Which framework's names, arguments and layouts a layer follows."""

    KERAS = "keras"
    TORCH = "torch"

    @property
    def other(self) -> Dialect:
        """The other framework."""
        return Dialect.TORCH if self is Dialect.KERAS else Dialect.KERAS


@unique
class Layout(_Word):
    """Where a layer's channel (feature) axis sits in its input and output shapes."""

    CHANNELS_LAST = "channels_last"
    CHANNELS_FIRST = "channels_first"


@unique
class Padding(_Word):
    """Keras' padding words: no padding, or pad so the output keeps ``⌈n / stride⌉`` cells."""

    VALID = "valid"
    SAME = "same"


@unique
class Family(_Word):
    """What a layer does, which decides how it is counted, explained, compared and drawn."""

    CONV = "conv"
    TRANSPOSE = "transpose"
    DEPTHWISE = "depthwise"
    SEPARABLE = "separable"
    DENSE = "dense"
    NORM = "norm"
    RECURRENT = "recurrent"
    ATTENTION = "attention"
    EMBEDDING = "embedding"
    POOL = "pool"
    RESHAPE = "reshape"
    ACTIVATION = "activation"
    DROPOUT = "dropout"
    MERGE = "merge"
    INPUT = "input"
    CONTAINER = "container"


@unique
class Status(_Word):
    """What the summary explainer could say about one pasted row."""

    EXPLAINED = "explained"
    AMBIGUOUS = "ambiguous"
    MISMATCH = "mismatch"
    NO_PARAMS = "no_params"
    UNKNOWN = "unknown"


@unique
class SummaryStyle(_Word):
    """The look of ``model.summary()``: Keras 3, Keras 2 (and tf.keras) or torchinfo."""

    KERAS3 = "keras3"
    KERAS2 = "keras2"
    TORCH = "torch"
