"""convwidget: why a Conv2D layer has the parameters it has, in numbers, formulas and pictures.

The package root imports only the pure counting core: no matplotlib, no
ipywidgets, no deep-learning framework.
"""

from __future__ import annotations

from . import cost, layers, nn
from .diagnose import Diagnosis, diagnose
from .errors import ConfigError, ParseError
from .explain import explain_summary
from .formula import Terms
from .frameworks import from_keras, from_torch
from .grading import Choice, choices
from .info import KernelGeometry, LayerInfo
from .model import Sequential
from .seed import seed_model, seed_summary

__version__ = "0.1.0"

__all__ = [
    "Choice",
    "ConfigError",
    "Diagnosis",
    "KernelGeometry",
    "LayerInfo",
    "ParseError",
    "Sequential",
    "Terms",
    "__version__",
    "choices",
    "cost",
    "diagnose",
    "explain_summary",
    "from_keras",
    "from_torch",
    "layers",
    "nn",
    "seed_model",
    "seed_summary",
]
