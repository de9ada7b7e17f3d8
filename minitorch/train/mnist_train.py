"""The course's LeNet-style digit classifier (``run_mnist_multiclass``), trained on FastOps.

conv 1->4 (3x3) + ReLU, conv 4->8 (3x3) + ReLU, 4x4 average pooling (8 x 7 x 7 = 392),
Linear 392->64 + ReLU + dropout, Linear 64->10, log-softmax; negative log-likelihood, SGD.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..compiler import compile
from ..constructors import as_tensor, tensor
from ..mnist import Images, Labels
from ..module import Module
from ..nn import avgpool2d, layers, logsoftmax
from ..nn.losses import nll_loss
from ..optim import SGD
from ..serialization import save
from ..tensor import Tensor
from ..tensor_functions import no_grad
from ..tensor_ops import TensorBackend
from ..utils.data import DataLoader, Generator, TensorDataset


class LeNet(Module):
    """The course's network for 28 x 28 digits.

    Input (batch, 1, 28, 28); output (batch, 10) log-probabilities.
    """

    def __init__(self, dropout: float = 0.25, backend: Optional[TensorBackend] = None) -> None:
        super().__init__()
        self.conv1 = layers.Conv2d(1, 4, 3, backend=backend)
        self.conv2 = layers.Conv2d(4, 8, 3, backend=backend)
        self.linear1 = layers.Linear(392, 64, backend=backend)
        self.linear2 = layers.Linear(64, 10, backend=backend)
        self.drop = layers.Dropout(dropout)

    def forward(self, x: Tensor) -> Tensor:
        h = self.conv1(x).relu()
        h = self.conv2(h).relu()
        h = avgpool2d(h, (4, 4)).reshape(x.shape[0], 392)
        h = self.drop(self.linear1(h).relu())
        return logsoftmax(self.linear2(h), 1)


@dataclass
class MnistEpoch:
    """One epoch: mean training loss, validation accuracy, seconds."""

    epoch: int
    loss: float
    val_correct: int
    val_total: int
    seconds: float


def predict(
    model: LeNet, images: Images, backend: Optional[TensorBackend] = None, batch: int = 250
) -> Labels:
    """The predicted digit of each image (in ``eval()`` mode, without recording history)."""
    model.eval()
    out: list[Labels] = []
    with no_grad():
        for start in range(0, len(images), batch):
            x = tensor(images[start : start + batch, None], backend=backend)
            out.append(model(x).to_numpy().argmax(1))
    model.train()
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def accuracy(
    model: LeNet, images: Images, labels: Labels, backend: Optional[TensorBackend] = None,
    batch: int = 250,
) -> int:
    """How many of ``images`` the model classifies correctly (in ``eval()`` mode)."""
    return int((predict(model, images, backend, batch) == labels).sum())


def train_mnist(
    train: tuple[Images, Labels],
    val: tuple[Images, Labels],
    epochs: int = 10,
    lr: float = 0.05,
    batch_size: int = 16,
    checkpoint: Optional[str] = None,
    on_batch: Optional[Callable[[int, int, float], None]] = None,
    on_epoch: Optional[Callable[[MnistEpoch], None]] = None,
    backend: Optional[TensorBackend] = None,
    compiled: bool = True,
) -> tuple[LeNet, list[MnistEpoch]]:
    """Train LeNet with SGD; after each epoch measure the whole validation set and save the
    best model's ``state_dict`` to ``checkpoint``.  ``compiled``: each step runs through
    :func:`minitorch.compile`."""
    images, labels = train
    model = LeNet(backend=backend)
    optim = SGD(model.parameters(), lr)
    history: list[MnistEpoch] = []
    best = -1
    samples = TensorDataset(as_tensor(images[:, None], backend), as_tensor(labels, backend))
    loader = DataLoader(
        samples, batch_size, shuffle=True, drop_last=True, generator=Generator().manual_seed(0)
    )
    n_batches = len(loader)

    def step(x: Tensor, y: Tensor) -> float:
        optim.zero_grad()
        loss = nll_loss(model(x), y)
        loss.backward()
        optim.step()
        return loss.item()

    run = compile(step) if compiled else step
    for epoch in range(1, epochs + 1):
        start_time = time.perf_counter()
        total = 0.0
        for b, (x, y) in enumerate(loader, start=1):
            loss = run(x, y)
            total += loss
            if on_batch is not None:
                on_batch(epoch, b, loss)
        correct = accuracy(model, val[0], val[1], backend)
        stats = MnistEpoch(epoch, total / max(1, n_batches), correct, len(val[1]),
                           time.perf_counter() - start_time)
        history.append(stats)
        if correct > best:
            best = correct
            if checkpoint is not None:
                save(model.state_dict(), checkpoint)
        if on_epoch is not None:
            on_epoch(stats)
    return model, history
