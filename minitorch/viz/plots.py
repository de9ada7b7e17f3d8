"""Function plots of the derivatives lecture: ``plot_function``, ``plot_function3D``, ``graph``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Optional

import numpy as np
from matplotlib.axes import Axes

from .figure import Picture, single

Fn1 = Callable[[float], Any]
Fn2 = Callable[[float, float], Any]

DEFAULT_RANGE = [i / 10.0 for i in range(-50, 50)]
"""The lectures' x values: -5.0, -4.9, ..., 4.9."""

LINE = "#1f77b4"
SECOND = "#ff7f0e"
CROSS = "#d62728"
CIRCLE = "#2ca02c"


def as_float(value: Any) -> float:
    """A plain float from a float, a Scalar (``.data``), a Value or a one-element Tensor."""
    if hasattr(value, "item"):
        return float(value.item())
    return float(getattr(value, "data", value))


def plot_function(
    title: str, fn: Fn1, arange: Sequence[float] = DEFAULT_RANGE, fn2: Optional[Fn1] = None
) -> Picture:
    """``fn`` (and ``fn2``, dashed, e.g. a tangent line) over ``arange`` (default [-5, 5))."""
    xs = np.asarray(arange, dtype=float)
    ys = np.array([as_float(fn(float(x))) for x in xs])
    ys2 = None if fn2 is None else np.array([as_float(fn2(float(x))) for x in xs])

    def draw(ax: Axes) -> None:
        ax.plot(xs, ys, color=LINE, label="fn")
        if ys2 is not None:
            ax.plot(xs, ys2, color=SECOND, linestyle="--", label="fn2")
        ax.axhline(0, color="lightgray", linewidth=0.8, zorder=0)
        ax.axvline(0, color="lightgray", linewidth=0.8, zorder=0)
        ax.set_title(title)
        ax.set_xlabel("x")

    return single(draw, width=1.4, meta={"x": xs, "y": ys, "y2": ys2})


def plot_function3D(  # noqa: N802 - the lectures' name
    title: str, fn: Fn2, arange: Sequence[float] = DEFAULT_RANGE
) -> Picture:
    """The surface ``z = fn(x, y)`` over ``arange`` x ``arange`` (a coarser grid of it)."""
    grid = np.asarray(arange, dtype=float)[::3]
    xs, ys = np.meshgrid(grid, grid)
    zs = np.vectorize(lambda x, y: as_float(fn(float(x), float(y))))(xs, ys)

    def draw(ax: Axes) -> None:
        surface_axes: Any = ax  # a 3-d Axes: matplotlib's stubs type it as a 2-d one
        surface_axes.plot_surface(xs, ys, zs, cmap="viridis", linewidth=0)
        ax.set_title(title)
        ax.set_xlabel("x")
        ax.set_ylabel("y")

    return single(draw, projection="3d", width=1.2, meta={"x": xs, "y": ys, "z": zs})


def graph(
    fn: Fn1, xs: Sequence[float] = (), os: Sequence[float] = (), width: float = 4,
    offset: float = 0, c: str = LINE,
) -> Picture:
    """``fn`` on ``[offset - width, offset + width]`` with the points ``xs`` marked by crosses
    and ``os`` by circles on the curve (the ML primer's loss pictures)."""
    grid = np.linspace(offset - width, offset + width, 200)
    ys = np.array([as_float(fn(float(x))) for x in grid])
    crosses = [(float(x), as_float(fn(float(x)))) for x in xs]
    circles = [(float(x), as_float(fn(float(x)))) for x in os]

    def draw(ax: Axes) -> None:
        ax.plot(grid, ys, color=c)
        for points, marker, colour in ((crosses, "x", CROSS), (circles, "o", CIRCLE)):
            if points:
                px, py = zip(*points)
                ax.scatter(px, py, marker=marker, color=colour, s=60, zorder=3)
        ax.axhline(0, color="lightgray", linewidth=0.8, zorder=0)

    meta = {"x": grid, "y": ys, "crosses": crosses, "circles": circles}
    return single(draw, width=1.4, meta=meta)


def curves(title: str, series: dict[str, Sequence[float]], xlabel: str = "epoch") -> Picture:
    """Line plots of several named series against their index (loss / accuracy curves)."""

    def draw(ax: Axes) -> None:
        for name, values in series.items():
            ax.plot(np.arange(1, len(values) + 1), values, label=name)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.legend()

    return single(draw, width=1.4, meta={"series": series})
