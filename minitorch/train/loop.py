"""The training loop the digit and sentiment tasks share: mini-batches of SGD-family steps,
the whole validation set measured after each epoch, the best model saved.

One step is ``zero_grad``, ``loss_fn(model(x), y)``, ``backward``, ``optimizer.step``; with
``compiled`` it is recorded once and replayed by :func:`minitorch.compile`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

import numpy as np
import numpy.typing as npt

from ..engine.grad_mode import no_grad
from ..io.serialization import save
from ..module import Module
from ..ops.constructors import tensor
from ..optim import Optimizer
from ..replay.compiler import compile
from ..tensor import Tensor
from ..tensor_ops import TensorBackend
from ..utils.data import DataLoader


@dataclass
class Epoch:
    """One epoch: mean training loss, validation accuracy, seconds."""

    epoch: int
    loss: float
    val_correct: int
    val_total: int
    seconds: float


def outputs(
    model: Module, inputs: npt.NDArray[np.float64], backend: Optional[TensorBackend] = None,
    batch: int = 250,
) -> npt.NDArray[np.float64]:
    """The model's outputs for ``inputs`` (the first dimension is the sample), computed in
    ``eval()`` mode without recording history, ``batch`` samples at a time."""
    model.eval()
    out: list[npt.NDArray[np.float64]] = []
    with no_grad():
        for start in range(0, len(inputs), batch):
            out.append(model(tensor(inputs[start : start + batch], backend=backend)).to_numpy())
    model.train()
    return np.concatenate(out) if out else np.zeros(0)


def fit(
    model: Module,
    optim: Optimizer,
    loss_fn: Callable[[Tensor, Tensor], Tensor],
    loader: DataLoader[tuple[Tensor, Tensor]],
    validate: Callable[[], tuple[int, int]],
    epochs: int,
    checkpoint: Optional[str] = None,
    on_batch: Optional[Callable[[int, int, float], None]] = None,
    on_epoch: Optional[Callable[[Epoch], None]] = None,
    compiled: bool = True,
) -> list[Epoch]:
    """Train for ``epochs`` passes over ``loader``; after each, ``validate()`` gives
    ``(correct, total)`` and the best model's ``state_dict`` goes to ``checkpoint``.

    ``on_batch(epoch, batch, loss)`` follows every step, ``on_epoch(stats)`` every epoch."""

    def step(x: Tensor, y: Tensor) -> float:
        optim.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optim.step()
        return loss.item()

    run = compile(step) if compiled else step
    history: list[Epoch] = []
    best = -1
    for epoch in range(1, epochs + 1):
        start_time = time.perf_counter()
        total = 0.0
        for b, (x, y) in enumerate(loader, start=1):
            loss = run(x, y)
            total += loss
            if on_batch is not None:
                on_batch(epoch, b, loss)
        correct, count = validate()
        stats = Epoch(epoch, total / max(1, len(loader)), correct, count,
                      time.perf_counter() - start_time)
        history.append(stats)
        if correct > best:
            best = correct
            if checkpoint is not None:
                save(model.state_dict(), checkpoint)
        if on_epoch is not None:
            on_epoch(stats)
    return history
