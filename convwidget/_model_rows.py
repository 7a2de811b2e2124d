"""A model's rows and the automatic layer names Keras gives them (data only; model.py builds them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ._checks import fail
from ._describe import DescribedLayer
from .enums import Family, SummaryStyle
from .info import Describable, LayerInfo

__all__ = ["NAMINGS", "Row", "layer_names"]

NAMINGS: tuple[SummaryStyle, ...] = (SummaryStyle.KERAS3, SummaryStyle.KERAS2)
"""How automatic layer names are numbered: as Keras 3 does, or as Keras 2 did."""


@dataclass(frozen=True)
class Row:
    """One layer of a model on the shape it receives there.

    Parameters
    ----------
    index : int
        Position of the layer among the model's rows (0-based; an ``Input`` is not a row).
    name : str
        The layer's name in the model (explicit or automatic).
    info : LayerInfo
        The layer's ``describe`` result on the shape it receives; ``info.name`` is ``name``.
    running_total : int
        Parameters of this layer and every layer before it.
    source : str or None
        Name of the layer whose output this layer reads, or None for the model's input.
    layer : Describable or None
        The layer itself.
    """

    index: int
    name: str
    info: LayerInfo
    running_total: int
    source: str | None = None
    layer: Describable | None = field(default=None, compare=False, repr=False)

    @property
    def params(self) -> int:
        """All parameters of the layer (the summary's "Param #")."""
        return self.info.params


def _is_input(layer: Describable) -> bool:
    # An Input fixes the model's input shape and is no row; its kind says so (a FrameworkLayer never
    # stands for one: from_keras reads the input shape off the Keras model instead).
    return isinstance(layer, DescribedLayer) and layer.kind.family is Family.INPUT


def _stem(layer: Describable) -> str:
    # Local import: layers.py is a core module that never imports model.py, so no cycle.
    from .layers import snake_case

    return snake_case(type(layer).__name__)


def layer_names(layers: Sequence[Describable], naming: SummaryStyle | str = SummaryStyle.KERAS3) -> list[str]:
    """Name layers as Keras would, counting per model.

    Parameters
    ----------
    layers : sequence of layers
        Layers with an optional ``name`` attribute.
    naming : {"keras3", "keras2"}
        ``"keras3"`` numbers repeats ``conv2d``, ``conv2d_1``, …; ``"keras2"`` numbers
        every automatic name from 1: ``conv2d_1``, ``conv2d_2``, … as the classic
        Keras 2 summaries show.

    Returns
    -------
    list of str
        One name per layer. Explicit names are kept; automatic names skip every
        name already taken (where Keras 3 itself would raise).

    Raises
    ------
    ConfigError
        If two layers were given the same explicit name.
    """
    if naming not in NAMINGS:
        raise fail("Sequential", "naming", naming, "it must be 'keras3' or 'keras2'")
    explicit: dict[str, int] = {}
    for i, layer in enumerate(layers):
        name = layer.name
        if not name:
            continue
        if name in explicit:
            j = explicit[name]
            raise fail(
                f"Sequential: layer {i} ({type(layer).__name__})",
                "name",
                name,
                f"layer {j} ({type(layers[j]).__name__}) already has it; every layer name in a model "
                "must be unique",
                "give one of them another name, or leave it out for an automatic one",
            )
        explicit[name] = i
    taken = set(explicit)
    counters: dict[str, int] = {}
    names: list[str] = []
    for layer in layers:
        name = layer.name
        if name:
            names.append(name)
            continue
        stem = _stem(layer)
        k = counters.get(stem, 0)
        while True:
            keras3 = naming == SummaryStyle.KERAS3
            candidate = (stem if k == 0 else f"{stem}_{k}") if keras3 else f"{stem}_{k + 1}"
            k += 1
            if candidate not in taken:
                break
        counters[stem] = k
        taken.add(candidate)
        names.append(candidate)
    return names
