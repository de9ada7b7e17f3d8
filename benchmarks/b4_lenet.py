"""B4: a LeNet-style training step on a batch of 16 1x28x28 images: conv 1->4 (3x3) ReLU,
conv 4->8 (3x3) ReLU, 4x4 average pooling, Linear 392->64 ReLU, Linear 64->10, softmax
cross-entropy, one SGD step; FastOps against PyTorch CPU with the same weights. minitorch's
convolutions keep the size with zero padding on the right/bottom, so PyTorch gets the same."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import minitorch
from minitorch import FastBackend

from .harness import MODES, Row, agreement, time_pair, workload_main
from .models import lenet_step, lenet_weights


def data(batch: int = 16) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    return rng.uniform(0, 1, (batch, 1, 28, 28)), rng.integers(0, 10, batch)


def ours(lr: float = 0.05, compiled: bool = False) -> Callable[[], float]:
    """One step; ``compiled``: through ``minitorch.compile``."""
    params = [minitorch.Parameter(minitorch.tensor(w, backend=FastBackend))
              for w in lenet_weights()]
    step = lenet_step(params, minitorch.SGD(params, lr))
    x_np, y_np = data()
    x = minitorch.tensor(x_np, backend=FastBackend)
    labels = minitorch.tensor(y_np.astype(float), backend=FastBackend)
    run = minitorch.compile(step, fuse=True) if compiled else step  # steady state: fused
    return lambda: run(x, labels)


def theirs(lr: float = 0.05) -> Callable[[], float]:
    import torch
    import torch.nn.functional as F

    params = [torch.tensor(w, requires_grad=True) for w in lenet_weights()]
    optim = torch.optim.SGD(params, lr=lr)
    x_np, y_np = data()
    x, y = torch.tensor(x_np), torch.tensor(y_np)

    def step() -> float:
        c1, b1, c2, b2, w3, b3, w4, b4 = params
        optim.zero_grad()
        h = F.relu(F.conv2d(F.pad(x, (0, 2, 0, 2)), c1, b1))
        h = F.relu(F.conv2d(F.pad(h, (0, 2, 0, 2)), c2, b2))
        h = F.avg_pool2d(h, 4).reshape(16, 392)
        h = F.relu(h @ w3.T + b3)
        loss = F.cross_entropy(h @ w4.T + b4, y)
        loss.backward()
        optim.step()
        return float(loss.item())

    return step


def run(repeat: int = 5) -> list[Row]:
    rows = []
    for compiled, goal in ((False, 1.5), (True, 1.0)):
        a, b = ours(compiled=compiled), theirs()
        t_ours, t_theirs = time_pair(a, b, repeat * 2, warmup=3)
        rows.append(Row("B4", f"LeNet step, batch 16, {MODES[compiled]}", "PyTorch CPU",
                        t_ours, t_theirs, f"<= {goal}", goal, check=agreement("loss", a(), b())))
    return rows


if __name__ == "__main__":
    workload_main(run, __doc__)
