"""Benchmark: how long the kernel stack takes from ``update(...)`` to PNG bytes.

Run by hand or in CI: ``python benchmarks/bench_drawing.py [--repeats 40] [--quick]``.
It prints numbers and asserts nothing (tests never time anything).

For each (F, Cin, Cout) of a sweep from (1, 1, 1) to (11, 512, 512), a
:class:`convwidget.drawing.KernelStackFigure` is updated alternately to that
point and to a neighbour (Cout − 1), so no call is a no-op, and each timed
call is ``update(info)`` followed by ``to_png()``:

- *warm*: back and forth between two states whose sprites are cached (a slider moved back);
- *drag*: Cout goes up by one at every call, so the count labels are new every time
  (rendered by matplotlib) while the block sprites are reused (a slider being dragged);
- *deepen*: Cin goes up by one at every call, so the kernels are one slice deeper (a new
  block sprite) and the depth and count labels are new (the in_channels slider dragged);
- *cold*: the cache is cleared before every call (the worst case, a first frame: every
  block kind, label and the background are rendered by matplotlib again).

Then the *vector* path, as in a script or with an interactive backend:
``draw_kernels(ax, info)`` once on a 10×6-inch Axes, then per call
``stack.update(info)`` and ``fig.canvas.draw()`` (Agg), alternating between
the point and its neighbour (Cout − 1).

Median and p95 in ms; peak memory is the largest Python allocation peak
(``tracemalloc``, numpy buffers included) over one cold call. Then a naive
``mpl_toolkits.mplot3d`` drawing of the same kernels (one ``bar3d`` per cell of
every slice of every kernel, ``savefig`` to PNG) at small sizes, and the ratio.
Targets on a 2-core machine: widget path p95 ≤ 50 ms at every point; vector path median ≤ 30 ms
and p95 ≤ 50 ms over the sweep. The load average is printed: on a shared machine, compare runs
made under similar load.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
import tracemalloc

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from convwidget.drawing import KernelStackFigure, draw_kernels
from convwidget.info import LayerInfo
from convwidget.layers import Conv2D

SWEEP = [(1, 1, 1), (3, 1, 32), (3, 32, 63), (5, 64, 128), (7, 128, 256), (11, 256, 256), (11, 512, 512)]
NAIVE = [(1, 1, 1), (2, 2, 2), (3, 2, 3), (3, 4, 4)]


def info_for(f: int, cin: int, cout: int) -> LayerInfo:
    """LayerInfo of Conv2D(cout, f) on an f×f×cin input (counts do not depend on H, W)."""
    return Conv2D(cout, f).describe((f, f, cin))


def p95(xs: list[float]) -> float:
    """95th percentile (nearest rank)."""
    s = sorted(xs)
    return s[min(len(s) - 1, int(np.ceil(0.95 * len(s))) - 1)]


def time_point(fig: KernelStackFigure, point: tuple[int, int, int], repeats: int, mode: str) -> list[float]:
    """Times (s) of update → PNG at ``point``; ``mode`` is "warm", "drag", "deepen" or "cold" (see above)."""
    f, cin, cout = point
    if mode == "drag":
        states = [info_for(f, cin, cout + i) for i in range(repeats)]
    elif mode == "deepen":
        states = [info_for(f, cin + 1 + i, cout) for i in range(repeats)]
    else:
        states = [info_for(f, cin, cout), info_for(f, cin, max(cout - 1, 1) if cout > 1 else 2)]
    fig.update(info_for(f, cin, cout)).to_png()  # the block kind of this point is drawn once first
    out = []
    for i in range(repeats):
        if mode == "cold":
            fig.clear_cache()
        t0 = time.perf_counter()
        fig.update(states[i % len(states)]).to_png()
        out.append(time.perf_counter() - t0)
    return out


def peak_memory(fig: KernelStackFigure, point: tuple[int, int, int]) -> int:
    """Peak bytes allocated by one cold update → PNG."""
    fig.clear_cache()
    tracemalloc.start()
    fig.update(info_for(*point)).to_png()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def time_vector(point: tuple[int, int, int], repeats: int) -> list[float]:
    """Times (s) of ``update(info)`` + ``fig.canvas.draw()`` on a 10×6-inch Axes at ``point``."""
    f, cin, cout = point
    states = [info_for(f, cin, cout), info_for(f, cin, max(cout - 1, 1) if cout > 1 else 2)]
    fig = Figure(figsize=(10, 6), dpi=100)
    canvas = FigureCanvasAgg(fig)
    stack = draw_kernels(fig.add_axes((0.0, 0.0, 1.0, 1.0)), states[0])
    canvas.draw()  # type: ignore[no-untyped-call]
    out = []
    for i in range(repeats):
        t0 = time.perf_counter()
        stack.update(states[(i + 1) % 2])
        canvas.draw()  # type: ignore[no-untyped-call]
        out.append(time.perf_counter() - t0)
    return out


def naive_png(f: int, cin: int, cout: int) -> bytes:
    """The same kernels with mplot3d: one bar3d per cell of every slice of every kernel."""
    fig = Figure(figsize=(8, 4.5), dpi=100)
    ax = fig.add_subplot(projection="3d")
    colors = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
    for k in range(cout):
        for c in range(cin):
            for r in range(f):
                for q in range(f):
                    ax.bar3d(k * (f + 2) + q, c, r, 1, 1, 1, color=colors[c % 7], shade=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def main() -> None:
    """Run the sweep and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    repeats = 6 if args.quick else args.repeats
    fig = KernelStackFigure(info_for(3, 32, 63))
    fig.to_png()  # import PIL, fonts, etc. once, outside the timings
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    t0 = time.perf_counter()
    total = 0
    for i in range(3_000_000):  # a fixed amount of pure-Python work, to compare machines and loads
        total += i
    print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} cores;", end=" ")
    print(f"3M-iteration Python loop: {(time.perf_counter() - t0) * 1e3:.0f} ms")
    print(f"update(info) -> to_png(), {repeats} calls per point, ms")
    head = ["warm med", "warm p95", "drag med", "drag p95", "deep med", "deep p95", "cold med", "cold p95"]
    print(f"{'(F, Cin, Cout)':>16} " + " ".join(f"{h:>9}" for h in head) + f" {'peak MB':>8}")
    fast_at: dict[tuple[int, int, int], float] = {}
    for point in SWEEP:
        runs = [
            time_point(fig, point, repeats, "warm"),
            time_point(fig, point, repeats, "drag"),
            time_point(fig, point, repeats, "deepen"),
            time_point(fig, point, max(repeats // 4, 3), "cold"),
        ]
        peak = peak_memory(fig, point)
        cells = " ".join(f"{statistics.median(r) * 1e3:9.1f} {p95(r) * 1e3:9.1f}" for r in runs)
        print(f"{point!s:>16} {cells} {peak / 2**20:8.1f}")
    print("\nvector path: draw_kernels on a 10×6-inch Axes, then update(info) + fig.canvas.draw(), ms")
    print(f"{'(F, Cin, Cout)':>16} {'median':>9} {'p95':>9}")
    every: list[float] = []
    for point in SWEEP:
        vector = time_vector(point, repeats)
        every += vector
        print(f"{point!s:>16} {statistics.median(vector) * 1e3:9.1f} {p95(vector) * 1e3:9.1f}")
    print(f"{'whole sweep':>16} {statistics.median(every) * 1e3:9.1f} {p95(every) * 1e3:9.1f}")
    print("\nnaive mplot3d bar3d (one call per cell) vs KernelStackFigure, median ms")
    print(f"{'(F, Cin, Cout)':>16} {'mplot3d':>9} {'fast':>9} {'ratio':>7}")
    for point in NAIVE:
        naive = []
        for _ in range(3 if not args.quick else 1):
            t0 = time.perf_counter()
            naive_png(*point)
            naive.append(time.perf_counter() - t0)
        fast_at[point] = statistics.median(time_point(fig, point, repeats, "warm"))
        m = statistics.median(naive)
        print(f"{point!s:>16} {m * 1e3:9.1f} {fast_at[point] * 1e3:9.1f} {m / fast_at[point]:7.0f}x")


if __name__ == "__main__":
    main()
