"""The shape every recorded-case oracle shares: the case dict, the module protocol, running convwidget.

An oracle (:mod:`tests.oracles.keras`, :mod:`tests.oracles.torch`) knows how
to make layer cases, how to run them in the real framework and how to check
convwidget against what the framework did. It is a module with the functions
of :class:`Oracle`; the recorded JSON files in ``tests/data`` are lists of
:class:`Case` dicts, so a record read back from JSON is replayed as is.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, Protocol, TypedDict

from convwidget import ConfigError
from convwidget.info import LayerInfo

__all__ = [
    "DATA",
    "Case",
    "Oracle",
    "Outcome",
    "convwidget_describes",
    "formula_problems",
    "read_recording",
    "shape_problems",
]

DATA = Path(__file__).resolve().parent.parent / "data"


class _CaseKeys(TypedDict):
    id: str
    layer: str
    kwargs: dict[str, Any]
    input_shape: list[int]


class Case(_CaseKeys, total=False):
    """One layer case, and once recorded, what the framework did with it.

    Every case has ``id``, ``layer`` (the framework's class name), ``kwargs``
    and ``input_shape`` (without the batch axis; JSON lists, not tuples). The
    other keys belong to one framework: their names are those of the recorded
    files, which are not rewritten.
    """

    # how the case was made
    args: list[Any]  # PyTorch: positional constructor arguments
    source: str  # Keras: "random", "edge" or "invalid"
    kind: str  # PyTorch: the same three words
    note: str  # Keras: what a hand-picked case is about
    # what Keras did (expect is "ok", "error" or "ConfigError")
    expect: str
    output_shape: list[int]
    trainable: int
    non_trainable: int
    weights: list[list[Any]]
    keras_error: dict[str, str]
    keras_output_shape: list[int]
    keras_note: str
    why: str
    # what PyTorch did: {"ok", "output_shape", "params", "buffers", "param_shapes", "buffer_shapes"}
    # or {"ok": False, "error"}
    torch: dict[str, Any]


class Oracle(Protocol):
    """What each oracle module provides (a module satisfies this protocol)."""

    DEFAULT_SEED: int
    DATA: Path

    def cases(self, seed: int = ..., scale: float = 1.0) -> list[Case]:
        """Every case of a recording, in the recorded order: random, edge and invalid ones."""
        ...

    def random_cases(self, seed: int, scale: float = 1.0) -> list[Case]:
        """A seeded random sample; ``scale`` multiplies its size."""
        ...

    def edge_cases(self) -> list[Case]:
        """Hand-picked cases the framework accepts: the corners of each rule."""
        ...

    def invalid_cases(self) -> list[Case]:
        """Hand-picked cases the framework or convwidget refuses."""
        ...

    def record(self, case: Case) -> Case:
        """Run ``case`` in the real framework (imported here, not before) and add what it did."""
        ...

    def mismatches(self, rec: Case) -> list[str]:
        """How convwidget differs from a recorded case (empty when it agrees); needs no framework."""
        ...


def read_recording(path: Path) -> dict[str, Any]:
    """The recorded JSON file at ``path``: a header (versions, seed) and its ``cases``."""
    recording: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return recording


class Outcome(NamedTuple):
    """What convwidget made of a case: exactly one of the three fields is set."""

    info: LayerInfo | None
    refusal: ConfigError | None
    crash: str  # "" unless convwidget raised something other than ConfigError, which is a bug


def convwidget_describes(namespace: ModuleType, case: Case) -> Outcome:
    """Build ``case`` from ``namespace`` (``convwidget.layers`` or ``convwidget.nn``) and describe it."""
    try:
        layer = getattr(namespace, case["layer"])(*case.get("args", []), **case["kwargs"])
        return Outcome(layer.describe(tuple(case["input_shape"])), None, "")
    except ConfigError as exc:
        return Outcome(None, exc, "")
    except Exception as exc:  # any other exception type is itself the bug the oracle reports
        crash = f"convwidget raised {type(exc).__name__} (only ConfigError is allowed): {exc}"
        return Outcome(None, None, crash)


def formula_problems(info: LayerInfo) -> list[str]:
    """The invariant every described layer keeps: its formula adds up to its parameter count."""
    if info.terms.total != info.params:
        return [f"formula total {info.terms.total} ({info.terms.text}) != params {info.params}"]
    return []


def shape_problems(oracle: ModuleType) -> list[str]:
    """How a module falls short of :class:`Oracle`: missing names, or functions whose parameters differ."""
    problems = [f"no {name}" for name in Oracle.__annotations__ if not hasattr(oracle, name)]
    for name, want in vars(Oracle).items():
        if name.startswith("_") or not callable(want):
            continue
        have = getattr(oracle, name, None)
        if not callable(have):
            problems.append(f"no function {name}")
            continue
        expected = [p for p in inspect.signature(want).parameters if p != "self"]
        if list(inspect.signature(have).parameters) != expected:
            problems.append(f"{name}{inspect.signature(have)}: parameters should be {expected}")
    return problems
