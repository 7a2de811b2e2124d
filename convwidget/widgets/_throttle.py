"""Draw at most one picture per frame while a slider is dragged in the browser.

A value changed from the browser updates the text at once, but the picture at
most once per :data:`FRAME_SECONDS`: when several changes arrive within one
frame, a single render is scheduled on the kernel's event loop and draws
whatever the controls hold *when it runs*. The values in between are skipped,
never queued, so the picture cannot lag behind the hand.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["FRAME_SECONDS", "Cancellable", "Clock", "Debounce", "FrameThrottle", "Schedule", "from_browser"]

# One frame at ~30 fps: a dragged slider gets at most one picture per frame.
FRAME_SECONDS = 1 / 30


class Cancellable(Protocol):
    """What a scheduler returns for a scheduled call (``asyncio.TimerHandle`` is one)."""

    def cancel(self) -> object:
        """Make sure the call does not happen."""
        ...


Clock = Callable[[], float]
"""Monotonic seconds, e.g. :func:`time.perf_counter`."""

Schedule = Callable[[float, Callable[[], None]], Cancellable | None]
"""``schedule(delay, callback)``: call ``callback`` after ``delay`` seconds; None if it cannot."""


class FrameThrottle:
    """Call ``render`` for the latest state, at most once per ``interval`` for front-end changes.

    ``request(now=True)`` (a change from code) renders immediately and cancels
    any pending render. ``request(now=False)`` (a change from the browser)
    renders immediately if the last render is older than ``interval``; otherwise
    it makes sure one render is scheduled for the end of the interval and
    returns. ``render`` always draws the current state, so every change in
    between is skipped rather than queued.

    Parameters
    ----------
    render : callable
        Draws the current state.
    interval : float
        Seconds between two renders triggered from the browser.
    clock : callable
        Monotonic seconds.
    schedule : callable
        ``schedule(delay, callback)`` returns an object with ``cancel()``, or None
        when there is no event loop to schedule on (then the render happens now).
    """

    def __init__(
        self,
        render: Callable[[], None],
        interval: float = FRAME_SECONDS,
        clock: Clock = time.perf_counter,
        schedule: Schedule | None = None,
    ) -> None:
        self._render = render
        self.interval = interval
        self._clock = clock
        self._schedule = schedule or _schedule_on_loop
        self._last = -float("inf")
        self._pending: Cancellable | None = None

    @property
    def pending(self) -> bool:
        """Whether a render is scheduled and not yet done."""
        return self._pending is not None

    def request(self, now: bool) -> None:
        """Ask for the current state to be drawn; see the class docstring."""
        if now:
            self._cancel()
            self._fire()
            return
        if self._pending is not None:
            return  # the pending render will draw the latest state
        wait = self._last + self.interval - self._clock()
        if wait <= 0:
            self._fire()
            return
        handle = self._schedule(wait, self._fire_pending)
        if handle is None:
            self._fire()
        else:
            self._pending = handle

    def _cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def _fire_pending(self) -> None:
        self._pending = None
        self._fire()

    def _fire(self) -> None:
        self._render()
        self._last = self._clock()


class Debounce:
    """Call ``run`` once changes from the browser pause for ``delay`` seconds (typing in a text box).

    ``request(now=True)`` (a change from code) runs at once and cancels a pending run;
    ``request(now=False)`` cancels the pending run and schedules a new one ``delay`` from now, so
    a burst of keystrokes costs one run, after the last. Without an event loop it runs at once.

    Parameters
    ----------
    run : callable
        The work to do for the latest state.
    delay : float
        Seconds of quiet before it runs.
    clock : callable
        Monotonic seconds (kept for symmetry with :class:`FrameThrottle`; tests pass a fake).
    schedule : callable
        As for :class:`FrameThrottle`.
    """

    def __init__(
        self,
        run: Callable[[], None],
        delay: float,
        clock: Clock = time.perf_counter,
        schedule: Schedule | None = None,
    ) -> None:
        self._run = run
        self.delay = delay
        self._clock = clock
        self._schedule = schedule or _schedule_on_loop
        self._pending: Cancellable | None = None

    @property
    def pending(self) -> bool:
        """Whether a run is scheduled and not yet done."""
        return self._pending is not None

    def request(self, now: bool) -> None:
        """Ask for a run; see the class docstring."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if now:
            self._run()
            return
        handle = self._schedule(self.delay, self._fire_pending)
        if handle is None:
            self._run()
        else:
            self._pending = handle

    def _fire_pending(self) -> None:
        self._pending = None
        self._run()


def _schedule_on_loop(delay: float, callback: Callable[[], None]) -> Cancellable | None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None  # no kernel event loop (plain Python, tests): draw synchronously
    return loop.call_later(delay, callback)


def from_browser(widget: Any) -> bool:
    """Whether ``widget`` (an ipywidgets Widget) is applying a change that came from the front end."""
    # ipywidgets holds _property_lock while it applies a state update from the front end.
    return bool(getattr(widget, "_property_lock", None))
