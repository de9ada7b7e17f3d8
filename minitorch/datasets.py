"""The course's 2-D binary classification data sets.

Each generator ``f(N)`` returns a :class:`Graph` of ``N`` points in the unit
square with 0/1 labels.  Points are drawn with Python's ``random`` module, so
``random.seed(...)`` makes them reproducible.  ``datasets`` maps the names
Simple, Diag, Split, Xor, Circle, Spiral to the generators.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass


def make_pts(N: int) -> list[tuple[float, float]]:  # noqa: N803 - course name
    """``N`` points with coordinates uniform in [0, 1), drawn x_1 then x_2."""
    if N < 0:
        raise ValueError(f"make_pts: the number of points must be >= 0, got {N}")
    X = []
    for _ in range(N):
        x_1 = random.random()
        x_2 = random.random()
        X.append((x_1, x_2))
    return X


@dataclass
class Graph:
    """A data set: ``N`` requested points, coordinates ``X`` and 0/1 labels ``y``."""

    N: int
    X: list[tuple[float, float]]
    y: list[int]


def _labelled(N: int, rule: Callable[[float, float], bool]) -> Graph:  # noqa: N803
    X = make_pts(N)
    y = [1 if rule(x_1, x_2) else 0 for x_1, x_2 in X]
    return Graph(N, X, y)


def simple(N: int) -> Graph:  # noqa: N803
    r"""Label 1 left of a vertical line: :math:`x_1 < 0.5`."""
    return _labelled(N, lambda x_1, x_2: x_1 < 0.5)


def diag(N: int) -> Graph:  # noqa: N803
    r"""Label 1 below a diagonal: :math:`x_1 + x_2 < 0.5`."""
    return _labelled(N, lambda x_1, x_2: x_1 + x_2 < 0.5)


def split(N: int) -> Graph:  # noqa: N803
    r"""Label 1 in two outer bands: :math:`x_1 < 0.2` or :math:`x_1 > 0.8`."""
    return _labelled(N, lambda x_1, x_2: x_1 < 0.2 or x_1 > 0.8)


def xor(N: int) -> Graph:  # noqa: N803
    r"""Label 1 in the top-left and bottom-right quadrants (exclusive or of the halves)."""
    return _labelled(
        N, lambda x_1, x_2: (x_1 < 0.5 and x_2 > 0.5) or (x_1 > 0.5 and x_2 < 0.5)
    )


def circle(N: int) -> Graph:  # noqa: N803
    r"""Label 1 outside a circle: :math:`(x_1 - 0.5)^2 + (x_2 - 0.5)^2 > 0.1`."""
    return _labelled(N, lambda x_1, x_2: (x_1 - 0.5) ** 2 + (x_2 - 0.5) ** 2 > 0.1)


def spiral(N: int) -> Graph:  # noqa: N803
    r"""Two interleaved spirals (deterministic).

    With :math:`h = N // 2` and :math:`t = 10 i / h` for :math:`i = 5 \ldots 5 + h - 1`,
    class 0 is :math:`(x(t) + 0.5, y(t) + 0.5)` and class 1 is
    :math:`(y(-t) + 0.5, x(-t) + 0.5)`, where :math:`x(t) = t \cos(t) / 20` and
    :math:`y(t) = t \sin(t) / 20`.  For odd ``N`` there are ``N - 1`` points.
    """

    def x(t: float) -> float:
        return t * math.cos(t) / 20.0

    def y(t: float) -> float:
        return t * math.sin(t) / 20.0

    h = N // 2
    ts = [10.0 * (i / h) for i in range(5, 5 + h)]
    X = [(x(t) + 0.5, y(t) + 0.5) for t in ts]
    X = X + [(y(-t) + 0.5, x(-t) + 0.5) for t in ts]
    labels = [0] * h + [1] * h
    return Graph(N, X, labels)


datasets: dict[str, Callable[[int], Graph]] = {
    "Simple": simple,
    "Diag": diag,
    "Split": split,
    "Xor": xor,
    "Circle": circle,
    "Spiral": spiral,
}
