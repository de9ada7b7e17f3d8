"""The Optimizers page's model: every optimizer walking a 2-D surface from the same start."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..module import Parameter
from ..ops.autograd import hessian
from ..ops.constructors import tensor
from ..tensor import Tensor
from .training import OPTIMIZERS, choose

Surface = Callable[[Tensor, Tensor], Tensor]


def _bowl(x: Tensor, y: Tensor) -> Tensor:
    return x * x + 10.0 * y * y


def _rosenbrock(x: Tensor, y: Tensor) -> Tensor:
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _saddle(x: Tensor, y: Tensor) -> Tensor:
    return x * x - y * y + 0.25 * y ** 4


def _beale(x: Tensor, y: Tensor) -> Tensor:
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2
            + (2.625 - x + x * y * y * y) ** 2)


@dataclass
class SurfaceSpec:
    """A surface, where the race starts, and the window drawn."""

    fn: Surface
    start: tuple[float, float]
    window: tuple[float, float, float, float]
    formula: str


SURFACES: dict[str, SurfaceSpec] = {
    "bowl": SurfaceSpec(_bowl, (-4.0, 1.5), (-5, 5, -2, 2), r"x^2 + 10 y^2"),
    "Rosenbrock": SurfaceSpec(_rosenbrock, (-1.5, 2.0), (-2, 2, -1, 3),
                              r"(1 - x)^2 + 100 (y - x^2)^2"),
    "saddle": SurfaceSpec(_saddle, (-2.0, 0.01), (-2.5, 2.5, -2, 2), r"x^2 - y^2 + y^4 / 4"),
    "Beale": SurfaceSpec(_beale, (1.0, 1.4), (-0.5, 4, -1.5, 2),
                         r"\sum_i (c_i - x + x y^i)^2,\ c = (1.5, 2.25, 2.625)"),
}

LEARNING_RATES: dict[str, float] = {
    "SGD": 0.01, "SGD + momentum": 0.005, "Nesterov": 0.005, "Adagrad": 0.5,
    "Adadelta": 1.0, "RMSprop": 0.01, "Adam": 0.05, "NAdam": 0.05,
}
"""Starting learning rates (the page lets each be changed)."""

STEEP = {"SGD": 0.001, "SGD + momentum": 0.0005, "Nesterov": 0.0005}
"""Rosenbrock's valley walls are steep: plain gradient steps need a smaller rate there."""


def default_lr(surface: str, optimizer: str) -> float:
    """A learning rate that does not diverge at once on ``surface``."""
    if surface == "Rosenbrock" and optimizer in STEEP:
        return STEEP[optimizer]
    return LEARNING_RATES[optimizer]


@dataclass
class Path:
    """One optimizer's walk: the points visited and the value there."""

    optimizer: str
    lr: float
    points: list[tuple[float, float]]
    values: list[float]

    @property
    def diverged(self) -> bool:
        return not all(math.isfinite(v) for v in self.values)


def walk(surface: str, optimizer: str, lr: float, steps: int) -> Path:
    """``steps`` steps of ``optimizer`` on ``surface`` from its start (stopping if it
    diverges)."""
    spec = SURFACES[choose(surface, SURFACES, "surface")]
    choose(optimizer, OPTIMIZERS, "optimizer")
    x = Parameter(tensor([spec.start[0]], requires_grad=True))
    y = Parameter(tensor([spec.start[1]], requires_grad=True))
    opt = OPTIMIZERS[optimizer]([x, y], lr)
    points, values = [spec.start], []
    for _ in range(steps):
        opt.zero_grad()
        z = spec.fn(x.value, y.value)
        values.append(z.item())
        if not math.isfinite(values[-1]) or abs(values[-1]) > 1e12:
            break
        z.backward()
        opt.step()
        points.append((x.value.item(), y.value.item()))
    else:
        values.append(spec.fn(x.value, y.value).item())
    return Path(optimizer, lr, points, values)


def hessian_eigenvalues(surface: str, point: tuple[float, float]) -> np.ndarray:
    """The eigenvalues of the surface's Hessian at ``point`` (both > 0: a minimum; mixed
    signs: a saddle)."""
    fn = SURFACES[choose(surface, SURFACES, "surface")].fn
    h = hessian(lambda v: fn(v[0:1], v[1:2]).sum(), tensor(list(point)))
    return np.linalg.eigvalsh(h.to_numpy())


def grid(surface: str, steps: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The surface's values over its window, for a contour plot (computed with numpy on the
    same formula: the tensor operations also take numpy arrays)."""
    spec = SURFACES[choose(surface, SURFACES, "surface")]
    x0, x1, y0, y1 = spec.window
    xs, ys = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    zs = spec.fn(xs, ys)  # type: ignore[arg-type]  # the formulas are plain arithmetic
    return xs, ys, np.asarray(zs)
