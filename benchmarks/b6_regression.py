"""B6: the ML Foundations 8-million-point regression. x = linspace(0, 8, 8e6),
y = -0.5 x + 2 + noise; one step is one full-batch MSE forward + backward for the scalar
parameters m and b, then 100 mini-batch SGD steps (batch 32, drawn by index). minitorch
(FastOps) and PyTorch CPU get the same data and the same batch indices."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import minitorch
from minitorch import FastBackend

from .harness import Row, agreement, time_pair, workload_main

POINTS, ROUNDS, BATCH = 8_000_000, 100, 32


def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(42)
    x = np.linspace(0.0, 8.0, POINTS)
    y = -0.5 * x + 2.0 + rng.standard_normal(POINTS)
    batches = np.stack([rng.choice(POINTS, BATCH, replace=False) for _ in range(ROUNDS)])
    return x, y, batches


def ours(x_np: np.ndarray, y_np: np.ndarray, batches: np.ndarray) -> Callable[[], tuple[float, float]]:
    x = minitorch.tensor(x_np, backend=FastBackend)
    y = minitorch.tensor(y_np, backend=FastBackend)
    idx = [list(map(int, row)) for row in batches]

    def step() -> tuple[float, float]:
        m = minitorch.tensor([0.9], backend=FastBackend, requires_grad=True)
        b = minitorch.tensor([0.1], backend=FastBackend, requires_grad=True)
        (((m * x + b - y) ** 2).sum() / POINTS).backward()
        optimizer = minitorch.SGD([m, b], lr=0.01)
        for rows in idx:
            optimizer.zero_grad()
            (((m * x[rows] + b - y[rows]) ** 2).sum() / BATCH).backward()
            optimizer.step()
        return m.item(), b.item()

    return step


def theirs(x_np: np.ndarray, y_np: np.ndarray, batches: np.ndarray) -> Callable[[], tuple[float, float]]:
    import torch

    x, y = torch.tensor(x_np), torch.tensor(y_np)
    idx = [torch.tensor(row) for row in batches]

    def step() -> tuple[float, float]:
        m = torch.tensor([0.9], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([0.1], dtype=torch.float64, requires_grad=True)
        (((m * x + b - y) ** 2).sum() / POINTS).backward()
        optimizer = torch.optim.SGD([m, b], lr=0.01)
        for rows in idx:
            optimizer.zero_grad()
            (((m * x[rows] + b - y[rows]) ** 2).sum() / BATCH).backward()
            optimizer.step()
        return m.item(), b.item()

    return step


def run(repeat: int = 5) -> list[Row]:
    x, y, batches = data()
    a, b = ours(x, y, batches), theirs(x, y, batches)
    t_ours, t_theirs = time_pair(a, b, repeat)
    (m_a, _), (m_b, _) = a(), b()
    return [Row("B6", "8M-point regression: full batch + 100 SGD steps", "PyTorch CPU",
                t_ours, t_theirs, "<= 0.5", 0.5, check=agreement("m after SGD", m_a, m_b, 1e-12))]


if __name__ == "__main__":
    workload_main(run, __doc__)
