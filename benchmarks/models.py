"""The benchmarks' networks, in minitorch (FastOps) and PyTorch with identical initial
weights: the MLPs of B2/B3 and B8, and B4's LeNet step (the tests of compiled steps train the
same networks)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np

import minitorch
from minitorch import FastBackend, Tensor
from minitorch.train.tensor_train import point_log_loss


def copy_to_torch(w: Tensor) -> Any:
    import torch

    return torch.tensor(w.to_numpy(), dtype=torch.float64, requires_grad=True)


class MLP:
    """Dense layers ``x @ W + b`` with ReLU between them, on minitorch and on torch."""

    def __init__(self, sizes: list[int], seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.weights = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            w = rng.uniform(-1, 1, (n_in, n_out)) / np.sqrt(n_in)
            b = rng.uniform(-0.1, 0.1, (n_out,))
            self.weights.append((w, b))

    def minitorch_params(self, backend: Any = FastBackend) -> list[minitorch.Parameter]:
        return [
            minitorch.Parameter(minitorch.tensor(a, backend=backend))
            for pair in self.weights
            for a in pair
        ]

    def torch_params(self, device: str = "cpu") -> list[Any]:
        import torch

        return [
            torch.tensor(a, dtype=torch.float64, device=device, requires_grad=True)
            for pair in self.weights for a in pair
        ]


def forward(params: list[Any], x: Any) -> Any:
    """Works for minitorch values and torch tensors alike."""
    h = x
    layers = len(params) // 2
    for i in range(layers):
        w, b = params[2 * i], params[2 * i + 1]
        h = h @ w + b
        if i < layers - 1:
            h = h.relu()
    return h


# -- B2: the course's run_fast_tensor epoch ------------------------------------------------------


def b2_data() -> tuple[list[list[tuple[float, float]]], list[list[int]]]:
    random.seed(1)
    data = minitorch.datasets["Split"](50)
    xs = [data.X[i : i + 10] for i in range(0, 50, 10)]
    ys = [data.y[i : i + 10] for i in range(0, 50, 10)]
    return xs, ys


def b2_minitorch(hidden: int, lr: float = 0.05, compiled: bool = False) -> Callable[[], float]:
    """One epoch; ``compiled``: each batch's step through ``minitorch.compile``."""
    xs, ys = b2_data()
    mlp = MLP([2, hidden, hidden, 1])
    params = mlp.minitorch_params()
    optim = minitorch.SGD(params, lr)
    batches = [
        (minitorch.tensor(x, backend=FastBackend), minitorch.tensor(y, backend=FastBackend))
        for x, y in zip(xs, ys)
    ]

    def step(x: Tensor, y: Tensor) -> float:
        optim.zero_grad()
        out = forward([p.value for p in params], x).sigmoid().view(y.size)
        loss = point_log_loss(out, y)
        (loss.sum() / y.size).backward()
        optim.step()
        return loss.sum().item()

    run = minitorch.compile(step, fuse=True) if compiled else step  # steady state: fused

    def epoch() -> float:
        return sum(run(x, y) for x, y in batches)

    return epoch


def b2_torch(hidden: int, lr: float = 0.05) -> Callable[[], float]:
    import torch

    xs, ys = b2_data()
    params = MLP([2, hidden, hidden, 1]).torch_params()
    optim = torch.optim.SGD(params, lr=lr)
    batches = [
        (torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64))
        for x, y in zip(xs, ys)
    ]

    def epoch() -> float:
        total = 0.0
        for x, y in batches:
            optim.zero_grad()
            out = torch.sigmoid(forward(params, x)).view(-1)
            prob = out * y + (out - 1.0) * (y - 1.0)
            loss = -(prob + 1e-6).log()  # the course network logs p + 1e-6 (point_log_loss)
            (loss.sum() / y.numel()).backward()
            optim.step()
            total += loss.sum().item()
        return total

    return epoch


# -- B3: MNIST-size MLP step --------------------------------------------------------------------


def b3_data(batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (batch, 784))
    labels = rng.integers(0, 10, batch)
    onehot = np.zeros((batch, 10))
    onehot[np.arange(batch), labels] = 1.0
    return x, onehot


def b3_minitorch(
    batch: int, lr: float = 0.1, compiled: bool = False, backend: Any = FastBackend
) -> Callable[[], float]:
    """One step; ``compiled``: through ``minitorch.compile``."""
    x_np, y_np = b3_data(batch)
    params = MLP([784, 128, 10]).minitorch_params(backend)
    optim = minitorch.SGD(params, lr)
    x = minitorch.tensor(x_np, backend=backend)
    y = minitorch.tensor(y_np, backend=backend)

    def step(x: Tensor, y: Tensor) -> float:
        optim.zero_grad()
        logits = forward([p.value for p in params], x)
        log_probs = logits - logits.exp().sum(1).log()  # logits are small: no shift needed
        loss = -(log_probs * y).sum() / batch
        loss.backward()
        optim.step()
        return loss.item()

    run = minitorch.compile(step, fuse=True) if compiled else step  # steady state: fused
    return lambda: run(x, y)


def b3_torch(batch: int, lr: float = 0.1, device: str = "cpu") -> Callable[[], float]:
    import torch

    x_np, y_np = b3_data(batch)
    params = MLP([784, 128, 10]).torch_params(device)
    optim = torch.optim.SGD(params, lr=lr)
    x = torch.tensor(x_np, device=device)
    labels = torch.tensor(y_np.argmax(1), device=device)

    def step() -> float:
        optim.zero_grad()
        logits = forward(params, x)
        log_probs = logits - logits.exp().sum(1, keepdim=True).log()
        loss = torch.nn.functional.nll_loss(log_probs, labels)
        loss.backward()
        optim.step()
        return float(loss.item())

    return step


# -- B4: a LeNet-style step ------------------------------------------------------------------

LENET_SHAPES = [(4, 1, 3, 3), (4,), (8, 4, 3, 3), (8,), (64, 392), (64,), (10, 64), (10,)]


def lenet_weights(seed: int = 0) -> list[np.ndarray]:
    """conv 1->4 (3x3) and its bias, conv 4->8 (3x3), Linear 392->64, Linear 64->10."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(-0.3, 0.3, s) for s in LENET_SHAPES]


def lenet_step(
    params: list[minitorch.Parameter], optim: minitorch.Optimizer
) -> Callable[[Tensor, Tensor], float]:
    """One training step of the LeNet on ``params`` (``lenet_weights``' layout): two convs
    with ReLU, 4x4 average pooling, two linear layers, softmax cross-entropy, an optimizer
    step; returns the loss."""

    def step(x: Tensor, y: Tensor) -> float:
        c1, b1, c2, b2, w3, b3, w4, b4 = (p.value for p in params)
        optim.zero_grad()
        h = (minitorch.conv2d(x, c1) + b1.view(1, 4, 1, 1)).relu()
        h = (minitorch.conv2d(h, c2) + b2.view(1, 8, 1, 1)).relu()
        h = minitorch.avgpool2d(h, (4, 4)).reshape(x.shape[0], 392)
        h = (h @ w3.T + b3).relu()
        loss = minitorch.cross_entropy(h @ w4.T + b4, y)
        loss.backward()
        optim.step()
        return loss.item()

    return step
