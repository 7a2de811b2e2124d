"""What the convolution explorer says in words: the picture described, the cost's change, refusals.

Pure functions of the layer's data (no widgets), kept apart from :mod:`.explorer`,
which owns the controls and their state.
"""

from __future__ import annotations

from dataclasses import fields

from .. import controls
from .._checks import fail
from ..controls import ConvSettings
from ..cost import Convention, Cost, layer_cost
from ..enums import Family
from ..errors import ConfigError
from ..formula import Terms
from ..html import dims_text
from ..info import LayerInfo
from ._picture import View

__all__ = ["changed_factors", "cost_change", "not_a_layer", "picture_text", "textbook_cost"]


def changed_factors(old: Terms, new: Terms) -> set[str]:
    """The names of the factors whose value differs between ``old`` and ``new`` (or that are new).

    The truth for the highlight: a factor is underlined only if its number changed, whichever
    control (or ``set`` call, or walkthrough step) caused it.
    """
    before: dict[str, list[int]] = {}
    for f in old.factors:
        before.setdefault(f.name, []).append(f.value)
    after: dict[str, list[int]] = {}
    for f in new.factors:
        after.setdefault(f.name, []).append(f.value)
    return {name for name, values in after.items() if before.get(name) != values}


def picture_text(info: LayerInfo, view: View) -> str:
    """Say in words what the picture shows, for screen readers and for anyone who reads first."""
    g = info.geometry
    if g is None:
        return f"{info.layer_type}: no kernels."
    k = dims_text(g.kernel_size)
    bias = " + 1 bias" if g.bias else " (no bias)"
    if g.kind is Family.DEPTHWISE:
        kernels = f"{g.out_channels} kernels, each {k}×1 weights{bias}: one per input channel and multiplier"
    elif g.kind is Family.SEPARABLE:
        mid = g.in_channels * g.depth_multiplier
        kernels = (
            f"{mid} depthwise kernels of {k}×1 weights, then {g.out_channels} pointwise kernels, "
            f"each 1×1×{mid} weights{bias}"
        )
    else:
        kernels = f"{g.out_channels} kernels, each {k}×{g.channels_per_kernel} weights{bias}"
        if g.groups > 1:
            kernels += (
                f" (groups={g.groups}: each kernel sees {g.channels_per_kernel} of {g.in_channels} channels)"
            )
    if view is View.CONVOLUTION_VOLUME:
        i = dims_text(info.input_shape)
        o = dims_text(info.output_shape)
        return f"Input {i} → {kernels} → output {o}."
    return kernels + "."


def textbook_cost(info: LayerInfo) -> Cost:
    """The layer's multiply-adds as the textbook counts them: arithmetic on the shapes, well under 1 ms."""
    return layer_cost(info, Convention.TEXTBOOK)


def cost_change(before: int, after: int) -> str:
    """``; the multiply-adds went from 10,450,944 to 45,360,000 (×4.34)``, or ``""`` if they stayed."""
    if before == after:
        return ""
    ratio = f" (×{after / before:.2f})" if before else ""
    return f"; the multiply-adds went from {before:,} to {after:,}{ratio}"


def not_a_layer(wanted: ConvSettings, settled: ConvSettings, notes: tuple[str, ...]) -> ConfigError:
    """The error for constructor arguments that :func:`controls.settle` had to change."""
    changed = [f.name for f in fields(ConvSettings) if getattr(wanted, f.name) != getattr(settled, f.name)]
    name = changed[0] if changed else "kernel_size"
    value = getattr(wanted, name)
    if notes:
        why = "the arguments do not make a valid layer: " + " ".join(notes).rstrip(".")
    elif name in controls.BOUNDS:
        lo, hi = controls.BOUNDS[name]
        why = f"it must be an integer from {lo} to {hi}"
    else:  # e.g. groups=2 for a depthwise layer, whose groups are fixed
        why = f"with the other arguments it can only be {getattr(settled, name)!r}"
    return fail("ConvExplorer", name, value, why, f"use {name}={getattr(settled, name)!r}")
