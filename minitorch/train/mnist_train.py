"""The course's LeNet-style digit classifier (``run_mnist_multiclass``), trained on FastOps.

conv 1->4 (3x3) + ReLU, conv 4->8 (3x3) + ReLU, 4x4 average pooling (8 x 7 x 7 = 392),
Linear 392->64 + ReLU + dropout, Linear 64->10, log-softmax; negative log-likelihood, SGD.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

import numpy as np

from ..module import Module
from ..nn import avgpool2d, layers, logsoftmax
from ..nn.losses import nll_loss
from ..ops.constructors import as_tensor
from ..optim import SGD
from ..readers.mnist import Images, Labels
from ..tensor import Tensor
from ..tensor_ops import TensorBackend
from ..utils.data import DataLoader, Generator, TensorDataset
from .loop import Epoch, fit, outputs


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


MnistEpoch = Epoch  # the name this module gave it first


def predict(
    model: LeNet, images: Images, backend: Optional[TensorBackend] = None, batch: int = 250
) -> Labels:
    """The predicted digit of each image (in ``eval()`` mode, without recording history)."""
    scores = outputs(model, images[:, None], backend, batch)
    return scores.argmax(1) if len(scores) else np.zeros(0, dtype=np.int64)


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
    on_epoch: Optional[Callable[[Epoch], None]] = None,
    backend: Optional[TensorBackend] = None,
    compiled: bool = True,
) -> tuple[LeNet, list[Epoch]]:
    """Train LeNet with SGD; after each epoch measure the whole validation set and save the
    best model's ``state_dict`` to ``checkpoint``.  ``compiled``: each step runs through
    :func:`minitorch.compile`."""
    images, labels = train
    model = LeNet(backend=backend)
    samples = TensorDataset(as_tensor(images[:, None], backend), as_tensor(labels, backend))
    loader = DataLoader(
        samples, batch_size, shuffle=True, drop_last=True, generator=Generator().manual_seed(0)
    )

    def validate() -> tuple[int, int]:
        return accuracy(model, val[0], val[1], backend), len(val[1])

    history = fit(model, SGD(model.parameters(), lr), nll_loss, loader, validate, epochs,
                  checkpoint, on_batch, on_epoch, compiled)
    return model, history
