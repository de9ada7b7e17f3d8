"""The ML primer's pictures: labelled points, a model's decision boundary, loss curves.

A *model* is anything with ``forward(x1, x2)`` returning a number (or a Scalar): the
lecture's ``Linear`` dataclass, a Scalar network, ...  Its positive side is class 1.
The data ``s`` (ten points of the "Simple" set, drawn after ``random.seed(10)``),
``s1`` (its class-1 points) and ``s2`` (class 0) are the lectures' examples;
``s1_hard`` / ``s2_hard`` are the same for the "Split" set.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from ..datasets import Graph, datasets
from .figure import Panel, Picture, hcat, single
from .plots import as_float

Point = tuple[float, float]
CLASS1 = "#2ca02c"  # green: class 1, the positive side
CLASS0 = "#d62728"  # red: class 0
REGIONS = ListedColormap(["#f4c7c3", "#c7e9c0"])  # light red (negative), light green (positive)


@dataclasses.dataclass
class Linear:
    """The ML primer's model: :math:`w_1 x_1 + w_2 x_2 + b` (positive means class 1)."""

    w1: float
    w2: float
    b: float

    def forward(self, x1: float, x2: float) -> float:
        return self.w1 * x1 + self.w2 * x2 + self.b


def _sample(name: str, n: int = 10, seed: int = 10) -> tuple[Graph, list[Point], list[Point]]:
    """Points of a course data set drawn after ``random.seed(seed)``, leaving the caller's
    random state as it was."""
    state = random.getstate()
    try:
        random.seed(seed)
        graph = datasets[name](n)
    finally:
        random.setstate(state)
    ones = [p for p, y in zip(graph.X, graph.y) if y == 1]
    zeros = [p for p, y in zip(graph.X, graph.y) if y == 0]
    return graph, ones, zeros


s, s1, s2 = _sample("Simple")
_, s1_hard, s2_hard = _sample("Split")


def _points(ax: Axes, pts1: Sequence[Point], pts2: Sequence[Point]) -> None:
    for pts, colour, marker in ((pts1, CLASS1, "o"), (pts2, CLASS0, "x")):
        if pts:
            xs, ys = zip(*pts)
            ax.scatter(xs, ys, color=colour, marker=marker, s=50, zorder=3)


def _frame(ax: Axes, show_origin: bool = False) -> None:
    low = -0.1 if show_origin else 0.0
    ax.set_xlim(low, 1.0)
    ax.set_ylim(low, 1.0)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if show_origin:
        ax.axhline(0, color="lightgray", linewidth=0.8, zorder=0)
        ax.axvline(0, color="lightgray", linewidth=0.8, zorder=0)


def boundary_grid(
    score_many: Callable[[list[Point]], Sequence[float]], n: int = 60
) -> tuple[np.ndarray, ...]:
    """``(x1, x2, scores)`` on an ``n`` x ``n`` grid of the unit square; ``score_many`` scores a
    list of points at once (a model's batch forward, or one point after another)."""
    axis = np.linspace(0.0, 1.0, n)
    x1, x2 = np.meshgrid(axis, axis)
    points = list(zip(x1.ravel().tolist(), x2.ravel().tolist()))
    scores = np.asarray(score_many(points), dtype=float).reshape(x1.shape)
    return x1, x2, scores


def _each(score: Callable[[float, float], Any]) -> Callable[[list[Point]], list[float]]:
    """Score a list of points with a function of one point ``(x1, x2)``."""
    return lambda points: [as_float(score(a, b)) for a, b in points]


def decision_panel(
    score: Callable[[float, float], Any] | tuple[np.ndarray, ...],
    pts1: Sequence[Point] = (), pts2: Sequence[Point] = (), threshold: float = 0.0,
) -> Panel:
    """The unit square coloured by the side of ``score = threshold`` (green above), the
    boundary line, and the points.  ``score`` is a function of ``(x1, x2)`` or a grid
    ``(x1, x2, scores)`` computed already (see :func:`boundary_grid`)."""
    x1, x2, scores = score if isinstance(score, tuple) else boundary_grid(_each(score))

    def draw(ax: Axes) -> None:
        ax.contourf(x1, x2, (scores > threshold).astype(float), levels=[-0.5, 0.5, 1.5],
                    cmap=REGIONS)
        if scores.min() < threshold < scores.max():
            ax.contour(x1, x2, scores, levels=[threshold], colors="black", linewidths=1)
        _points(ax, pts1, pts2)
        _frame(ax)

    return Panel(draw)


def split_graph(pts1: Sequence[Point], pts2: Sequence[Point], show_origin: bool = True) -> Picture:
    """The two classes of points: class 1 as green circles, class 0 as red crosses."""

    def draw(ax: Axes) -> None:
        _points(ax, pts1, pts2)
        _frame(ax, show_origin)

    return single(draw, meta={"points": (len(pts1), len(pts2))})


def draw_graph(model: Any) -> Picture:
    """The model's decision boundary: the unit square green where ``forward > 0``, red elsewhere."""
    return Picture([decision_panel(model.forward)], meta={"model": model})


def with_points(pts1: Sequence[Point], pts2: Sequence[Point], model: Any) -> Picture:
    """The decision boundary with the points on it."""
    return Picture([decision_panel(model.forward, pts1, pts2)], meta={"model": model})


def show(model: Any) -> Picture:
    """``with_points(s1, s2, model)``: the lectures' data under a model."""
    return with_points(s1, s2, model)


def compare(m1: Any, m2: Any) -> Picture:
    """Two models side by side on the lectures' data."""
    return hcat([show(m1), show(m2)], 0.3)


def show_loss(full_loss: Callable[[Any], Any], model: Any) -> Picture:
    """The model on the data, and (for a model with a bias ``b`` such as ``Linear``) the loss
    as the bias moves, with the model's own bias marked."""
    loss = as_float(full_loss(model))
    panels = [decision_panel(model.forward, s1, s2)]
    if dataclasses.is_dataclass(model) and not isinstance(model, type) and hasattr(model, "b"):
        bs = np.linspace(model.b - 2.0, model.b + 2.0, 81)
        losses = [as_float(full_loss(dataclasses.replace(model, b=float(b)))) for b in bs]

        def draw(ax: Axes) -> None:
            ax.plot(bs, losses, color="#1f77b4")
            ax.scatter([model.b], [loss], color="black", zorder=3)
            ax.set_xlabel("b")
            ax.set_ylabel("loss")

        panels.append(Panel(draw, width=1.4))
    return Picture(panels, title=f"loss = {loss:.3f}", meta={"loss": loss})
