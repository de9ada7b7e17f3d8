"""Stochastic gradient descent on 8,000,000 points, then with a learning-rate schedule
(ML Foundations, "Optimization": mini-batches, SGD, learning-rate scheduling).

The data: x evenly spaced on [0, 8], y = -0.5 x + 2 + normal noise (std 1).  The full-batch
gradient costs a pass over all eight million points; a mini-batch of 32 points drawn by index
(``x[idx]``) gives a noisy but cheap estimate of it, so many more steps fit in the same time.

Run: ``python examples/sgd_from_scratch.py`` (``--points``, ``--rounds``, ``--batch-size``).
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

import minitorch
from minitorch import FastBackend
from minitorch.optim import lr_scheduler


def make_data(points: int, seed: int = 42) -> tuple[minitorch.Tensor, minitorch.Tensor]:
    minitorch.manual_seed(seed)
    x = minitorch.linspace(0.0, 8.0, points, backend=FastBackend)
    noise = minitorch.normal(mean=minitorch.zeros((points,), backend=FastBackend), std=1.0)
    return x, -0.5 * x + 2.0 + noise


def regression(x: minitorch.Tensor, m: minitorch.Tensor, b: minitorch.Tensor) -> minitorch.Tensor:
    return m * x + b


def mse(yhat: minitorch.Tensor, y: minitorch.Tensor) -> minitorch.Tensor:
    return ((yhat - y) ** 2).sum() / len(y)


def parameters() -> tuple[minitorch.Tensor, minitorch.Tensor]:
    return (
        minitorch.tensor([0.9], backend=FastBackend, requires_grad=True),
        minitorch.tensor([0.1], backend=FastBackend, requires_grad=True),
    )


def full_batch_gradient(x: minitorch.Tensor, y: minitorch.Tensor) -> dict[str, float]:
    """One forward and backward pass over every point."""
    m, b = parameters()
    started = time.perf_counter()
    cost = mse(regression(x, m, b), y)
    cost.backward()
    assert m.grad is not None and b.grad is not None
    return {"cost": cost.item(), "dC/dm": m.grad.item(), "dC/db": b.grad.item(),
            "seconds": time.perf_counter() - started}


def sgd(
    x: minitorch.Tensor, y: minitorch.Tensor, rounds: int = 100, batch_size: int = 32,
    lr: float = 0.01, gamma: float | None = None, seed: int = 0,
) -> list[dict[str, float]]:
    """Mini-batch SGD; with ``gamma``, the rate decays by that factor each round
    (``ExponentialLR``).  Returns the cost, m, b and rate after each round."""
    m, b = parameters()
    optimizer = minitorch.SGD([m, b], lr=lr)
    schedule = lr_scheduler.ExponentialLR(optimizer, gamma) if gamma is not None else None
    rng = random.Random(seed)
    history = []
    for _ in range(rounds):
        idx = rng.sample(range(len(x)), batch_size)
        optimizer.zero_grad()
        cost = mse(regression(x[idx], m, b), y[idx])
        cost.backward()
        optimizer.step()
        if schedule is not None:
            schedule.step()
        history.append({"cost": cost.item(), "m": m.item(), "b": b.item(),
                        "lr": optimizer.param_groups[0]["lr"]})
    return history


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=8_000_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)
    x, y = make_data(args.points)
    full = full_batch_gradient(x, y)
    print(f"full batch of {args.points:,} points: cost {full['cost']:.3f}, "
          f"dC/dm {full['dC/dm']:.3f}, dC/db {full['dC/db']:.3f} ({full['seconds'] * 1e3:.0f} ms)")
    for title, gamma in [("constant lr 0.01", None), ("lr 0.01 x 0.97 per round", 0.97)]:
        history = sgd(x, y, args.rounds, args.batch_size, gamma=gamma)
        costs = np.array([h["cost"] for h in history])
        last = history[-1]
        print(f"SGD, {title}: m = {last['m']:.3f}, b = {last['b']:.3f} (true -0.5, 2), "
              f"mean batch cost of the last 10 rounds {costs[-10:].mean():.3f}, "
              f"final lr {last['lr']:.4f}")


if __name__ == "__main__":
    main()
