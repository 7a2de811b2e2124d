"""The explorer's sliders: an IntSlider with the explorer's look, and a channel slider over fixed stops.

Split from :mod:`.explorer` so that module holds the explorer's state and updates only.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
from traitlets import validate

from .. import controls
from .._checks import fail

__all__ = ["DESCRIPTION_WIDTH", "ChannelSlider", "channel_slider", "set_bounds", "slider"]


def set_bounds(widget: ipw.IntSlider, bounds: tuple[int, int], enabled: bool = True) -> None:
    """Give ``widget`` the range ``bounds`` (disabled when it is one value or ``enabled`` is False)."""
    lo, hi = bounds
    # ipywidgets refuses min > max at every step, so order the two assignments.
    if lo > widget.max:
        widget.max = hi
        widget.min = lo
    else:
        widget.min = lo
        widget.max = hi
    widget.disabled = not enabled or lo == hi


DESCRIPTION_WIDTH = "8.5em"
"""The width of every control's label in the explorer, so the controls line up."""


def slider(description: str, value: int, bounds: tuple[int, int], css: str, tooltip: str) -> ipw.IntSlider:
    """An IntSlider labelled ``description`` over ``bounds``, updating while dragged, with class ``css``."""
    s = ipw.IntSlider(
        value=value,
        min=bounds[0],
        max=bounds[1],
        description=description,
        description_allow_html=False,
        tooltip=tooltip,
        continuous_update=True,
        style={"description_width": DESCRIPTION_WIDTH},
        layout=ipw.Layout(width="100%", max_width="30em"),
    )
    s.add_class(css)
    return s


class ChannelSlider(ipw.SelectionSlider):
    """A slider over :data:`convwidget.controls.CHANNEL_STEPS` whose value is the channel count.

    Every count up to 64, then the usual widths up to 512: a mouse dragged one pixel at a time
    reaches each stop, and the readout beside the handle shows the count. ``value`` is an int,
    as for an IntSlider; a count that is not a stop is refused with a ConfigError that says to
    use ``ConvExplorer.set`` (which adds the stop).
    """

    def __init__(self, field: str, **kwargs: Any) -> None:
        self.field = field  # the ConvSettings field, for error messages
        super().__init__(**kwargs)

    @validate("value")  # type: ignore[untyped-decorator]  # traitlets' decorator has no type hints
    def _validate_value(self, proposal: Any) -> Any:
        value = proposal.value
        if value is not None and value not in self._options_values:
            larger = ", ".join(str(v) for v in self._options_values if v > 64)
            raise fail(
                f"ConvExplorer.{self.field}",
                "value",
                value,
                f"the slider stops at every count from 1 to 64, then at {larger}",
                f"use w.set({self.field}={value!r}) for any count from 1 to 512 (it adds the stop)",
            )
        return super()._validate_value(proposal)

    @property
    def min(self) -> int:
        """The smallest count offered."""
        return int(self._options_values[0])

    @property
    def max(self) -> int:
        """The largest count offered."""
        return int(self._options_values[-1])

    def offer(self, value: int) -> None:
        """Make ``value`` one of the stops (the explorer calls this while its observers are silent)."""
        if value not in self._options_values:
            steps = controls.channel_steps(value, *self._options_values)
            self.options = [(str(v), v) for v in steps]


def channel_slider(field: str, description: str, value: int, css: str, tooltip: str) -> ChannelSlider:
    """A :class:`ChannelSlider` for the settings field ``field``, looking like :func:`slider`."""
    s = ChannelSlider(
        field,
        options=[(str(v), v) for v in controls.channel_steps(value)],
        value=value,
        description=description,
        description_allow_html=False,
        tooltip=tooltip,
        continuous_update=True,
        style={"description_width": DESCRIPTION_WIDTH},
        layout=ipw.Layout(width="100%", max_width="30em"),
    )
    s.add_class(css)
    return s
