"""Benchmark: the whole ConvExplorer update after one slider change, at every slider position.

Run by hand or in CI: ``python benchmarks/bench_widgets.py [--step 1] [--repeats 40]``.
It prints numbers and asserts nothing (tests never time anything).

One timed update is ``slider.value = v`` from code, which in ConvExplorer runs
synchronously: bounds of every control (:mod:`convwidget.controls`), the core's
``describe``, the count, formula and shapes HTML, the kernel-stack drawing
rendered to PNG bytes and assigned to the ``ipywidgets.Image`` the front end
receives. Everything the kernel does is timed; outside a kernel the comm is a
dummy, so the websocket send (PNG bytes go as a binary buffer, not base64) is not.

Sweeps, like a hand dragging a slider from one end to the other (each position
set after its neighbour, so caches are as warm as in real use):

- each of ``kernel_size`` (1–11), ``in_channels`` and ``filters`` (every stop of their sliders:
  1–64, then the usual widths to 512), with the other two at the seed layer (3, 32, 63) and at
  the maximum (11, 512, 512);
- then (11, 512, 512) itself, ``filters`` alternating 511/512 ``--repeats`` times.

The two last columns split each update into the picture (drawing → PNG) and
the rest (bounds, describe, HTML, widget traits).

Then a drag from the browser: ``set_state`` (what a comm message does) for every
stop of ``filters`` as fast as the loop allows, inside an asyncio event
loop, counting how many pictures were rendered (the rest were skipped, not queued).

Targets on a 2-core machine: p95 ≤ 50 ms at every slider position, median ≤ 30 ms at (11, 512, 512).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

import numpy as np

from convwidget.widgets import FRAME_SECONDS, ConvExplorer

BASES = {"seed (3, 32, 63)": (3, 32, 63), "max (11, 512, 512)": (11, 512, 512)}
SLIDERS = ("kernel_size", "in_channels", "filters")


def p95(xs: list[float]) -> float:
    """95th percentile (nearest rank)."""
    s = sorted(xs)
    return s[min(len(s) - 1, int(np.ceil(0.95 * len(s))) - 1)]


def explorer(base: tuple[int, int, int]) -> ConvExplorer:
    """An explorer at ``base`` on a 64×64 input (large enough for every kernel with padding 'valid')."""
    k, cin, cout = base
    return ConvExplorer(kernel_size=k, in_channels=cin, filters=cout, input_size=64)


def timed_drawing(w: ConvExplorer, spent: list[float]) -> None:
    """Record, in ``spent``, the seconds each picture render (drawing → PNG) takes inside an update.

    A benchmark may look inside: it wraps the explorer's private Picture to split the time.
    """
    render = w._picture.render

    def timed(*args):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return render(*args)
        finally:
            spent.append(time.perf_counter() - t0)

    w._picture.render = timed  # type: ignore[method-assign]


def positions(slider: object, step: int) -> list[int]:
    """Every value the slider offers, left to right (a channel slider's stops; an IntSlider's range)."""
    options = getattr(slider, "options", None)
    if options is not None:
        values = [v for _, v in options][::step]
    else:
        values = list(range(slider.min, slider.max + 1, step))  # type: ignore[attr-defined]
    last = [v for _, v in options][-1] if options is not None else slider.max  # type: ignore[attr-defined]
    if values[-1] != last:
        values.append(last)
    return values


def sweep(name: str, base: tuple[int, int, int], step: int, drawing: list[float]) -> list[float]:
    """Times (s) of ``slider.value = v`` for every value the slider offers, left to right."""
    w = explorer(base)
    slider = getattr(w, name)
    assert not w.message.value, w.message.value
    values = positions(slider, step)
    slider.value = values[0]  # start at the left end, untimed
    timed_drawing(w, drawing)
    out = []
    for v in values[1:]:
        t0 = time.perf_counter()
        slider.value = v
        out.append(time.perf_counter() - t0)
    # A failed render is reported in the widget, not raised: a silent failure would time nothing.
    assert "⚠" not in w.message.value and len(drawing) == len(out), w.message.value
    return out


def at_max(repeats: int) -> list[float]:
    """Times (s) at (11, 512, 512), filters alternating 511/512 so no call is a no-op."""
    w = explorer((11, 512, 512))
    out = []
    for i in range(repeats):
        t0 = time.perf_counter()
        w.filters.value = 511 if i % 2 == 0 else 512
        out.append(time.perf_counter() - t0)
    return out


def browser_drag() -> tuple[int, int, float, bool]:
    """Drag filters 1→512 via set_state in an event loop.

    Returns (positions, renders, seconds, whether the final picture shows the last position).
    """
    w = explorer((3, 32, 63))
    w.filters.value = 1
    stops = len(w.filters.options)
    indices = list(range(1, stops))

    async def drag() -> float:
        t0 = time.perf_counter()
        for i in indices:
            w.filters.set_state({"index": i})  # a channel slider's front end sends the stop's index
            await asyncio.sleep(0)  # let the loop run, as the kernel does between messages
        while w.picture_pending:
            await asyncio.sleep(FRAME_SECONDS / 4)
        return time.perf_counter() - t0

    renders: list[int] = []
    w.picture.observe(lambda _change: renders.append(1), "value")  # each picture the front end receives
    seconds = asyncio.run(drag())
    current = bytes(w.picture.value) == bytes(explorer((3, 32, 512)).picture.value)
    return len(indices), len(renders), seconds, current


def ms(x: float) -> str:
    return f"{1000 * x:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--step", type=int, default=1, help="slider step of the sweeps (1 = every position)")
    parser.add_argument("--repeats", type=int, default=40, help="timed updates at (11, 512, 512)")
    args = parser.parse_args()

    load = os.getloadavg()
    print(
        f"load average (1, 5, 15 min) at start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} "
        f"on {os.cpu_count()} cores"
    )
    print("ConvExplorer: slider.value = v → count, formula, shapes, kernel stack PNG on the Image (ms)")
    print(
        f"{'slider':<12} {'others at':<20} {'n':>4} {'median':>7} {'p95':>7} {'max':>7}"
        f"   {'drawing median':>14} {'rest median':>11}"
    )
    worst = 0.0
    for label, base in BASES.items():
        for name in SLIDERS:
            drawing: list[float] = []
            times = sweep(name, base, args.step, drawing)
            rest = [a - b for a, b in zip(times, drawing)]
            worst = max(worst, p95(times))
            print(
                f"{name:<12} {label:<20} {len(times):>4} {ms(statistics.median(times))} "
                f"{ms(p95(times))} {ms(max(times))}   {ms(statistics.median(drawing)):>14} "
                f"{ms(statistics.median(rest)):>11}"
            )
    times = at_max(args.repeats)
    print(
        f"\nat (11, 512, 512), filters 511↔512, {len(times)} updates: "
        f"median {ms(statistics.median(times))} ms, p95 {ms(p95(times))} ms"
    )
    print(f"worst p95 over all sweeps: {ms(worst)} ms  (target ≤ 50 ms; median at max target ≤ 30 ms)")

    load = os.getloadavg()
    print(f"load average at the end of the sweeps: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    n, renders, seconds, current = browser_drag()
    print(
        f"\nbrowser drag of filters over {n} positions in {seconds * 1000:.0f} ms: "
        f"{renders} pictures rendered, {n - renders} positions skipped; "
        f"final picture shows the last position: {current}"
    )


if __name__ == "__main__":
    main()
