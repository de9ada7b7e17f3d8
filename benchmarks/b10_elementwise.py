"""B10: an elementwise expression on 8 million values with default arguments, as a learner
writes it (the ML Foundations regression data): ``y = -0.5 * x + 2 + noise``, three passes
over the data, with tensors made by ``minitorch.tensor(...)`` and no ``backend=``; numpy
computes the same expression on the same arrays."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import minitorch

from .harness import Row, agreement, time_pair, workload_main

POINTS = 8_000_000


def run(repeat: int = 5) -> list[Row]:
    rng = np.random.default_rng(0)
    x_np = np.linspace(0.0, 8.0, POINTS)
    noise_np = rng.standard_normal(POINTS)
    x, noise = minitorch.tensor(x_np), minitorch.tensor(noise_np)  # the default backend

    def ours() -> Callable[[], object]:
        return -0.5 * x + 2 + noise

    def theirs() -> Callable[[], object]:
        return -0.5 * x_np + 2 + noise_np

    t_ours, t_theirs = time_pair(ours, theirs, repeat)
    y, y_np = ours(), theirs()
    diff = float(np.max(np.abs(y.to_numpy() - y_np)))  # type: ignore[attr-defined]
    backend = x.backend.ops.__name__
    return [Row("B10", f"y = -0.5 x + 2 + noise, 8M values, defaults ({backend})", "numpy",
                t_ours, t_theirs, "<= 3.0", 3.0,
                check=agreement("max |difference|", diff, 0.0, 1e-12))]


if __name__ == "__main__":
    workload_main(run, __doc__)
