"""The Training page's model: a run that trains the course's network one epoch at a time, so
the page can draw it as it learns (and stop or continue it between epochs)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..datasets import datasets
from ..engine.grad_mode import no_grad
from ..fast_ops import FastBackend
from ..module import Module
from ..ops.constructors import tensor
from ..optim import lr_scheduler
from ..optim.optimizers import SGD, Adadelta, Adagrad, Adam, NAdam, Optimizer, RMSprop
from ..scalar import Scalar
from ..tensor_ops import SimpleBackend
from ..train import scalar_train, tensor_train

OPTIMIZERS: dict[str, Callable[[list[Any], float], Optimizer]] = {
    "SGD": lambda p, lr: SGD(p, lr=lr),
    "SGD + momentum": lambda p, lr: SGD(p, lr=lr, momentum=0.9),
    "Nesterov": lambda p, lr: SGD(p, lr=lr, momentum=0.9, nesterov=True),
    "Adagrad": lambda p, lr: Adagrad(p, lr=lr),
    "Adadelta": lambda p, lr: Adadelta(p, lr=lr),
    "RMSprop": lambda p, lr: RMSprop(p, lr=lr),
    "Adam": lambda p, lr: Adam(p, lr=lr),
    "NAdam": lambda p, lr: NAdam(p, lr=lr),
}
SCHEDULES = ["constant", "step (x0.5 every 100 epochs)", "cosine over 500 epochs"]
ENGINES = ["fast tensors", "simple tensors", "scalars"]


def choose(name: str, options: Iterable[str], what: str) -> str:
    """``name`` if it is one of ``options``, else a ValueError listing them."""
    known = list(options)
    if name not in known:
        raise ValueError(f"unknown {what} {name!r}; choose one of {', '.join(known)}")
    return name


@dataclass
class Epoch:
    """What one epoch did."""

    epoch: int
    loss: float
    correct: int
    seconds: float
    lr: float


class TrainingRun:
    """The course's 2 -> H -> H -> 1 network on a 2-D data set, full batch, with any optimizer
    and learning-rate schedule; :meth:`epoch` trains one more epoch."""

    def __init__(
        self, dataset: str, points: int, engine: str, hidden: int, optimizer: str, lr: float,
        schedule: str = "constant", seed: int = 1,
    ) -> None:
        choose(dataset, datasets, "data set")
        choose(engine, ENGINES, "engine")
        choose(optimizer, OPTIMIZERS, "optimizer")
        choose(schedule, SCHEDULES, "schedule")
        if points < 1 or hidden < 1 or not lr > 0:
            raise ValueError(
                f"points and hidden must be at least 1 and lr above 0, got points={points}, "
                f"hidden={hidden}, lr={lr}"
            )
        random.seed(seed)
        self.data = datasets[dataset](points)
        self.engine = engine
        self.model: Module
        if engine == "scalars":
            self.model = scalar_train.Network(hidden)
        else:
            backend = FastBackend if engine == "fast tensors" else SimpleBackend
            self.model = tensor_train.Network(hidden, backend)
            self.X = tensor(self.data.X, backend=backend)
            self.y = tensor(self.data.y, backend=backend)
        self.optimizer = OPTIMIZERS[optimizer](list(self.model.parameters()), lr)
        self.scheduler: Any = None
        if schedule.startswith("step"):
            self.scheduler = lr_scheduler.StepLR(self.optimizer, step_size=100, gamma=0.5)
        elif schedule.startswith("cosine"):
            self.scheduler = lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=500)
        self.history: list[Epoch] = []

    def epoch(self) -> Epoch:
        """Train one epoch (one full-batch step) and record it."""
        start = time.perf_counter()
        lr = float(self.optimizer.param_groups[0]["lr"])
        self.optimizer.zero_grad()
        loss, correct = self._scalar_step() if self.engine == "scalars" else self._tensor_step()
        self.optimizer.step()
        if self.scheduler is not None:
            self.scheduler.step()
        record = Epoch(len(self.history) + 1, loss, correct, time.perf_counter() - start, lr)
        self.history.append(record)
        return record

    def _tensor_step(self) -> tuple[float, int]:
        n = len(self.data.y)
        out = self.model.forward(self.X).view(n)
        loss = tensor_train.point_log_loss(out, self.y).sum() / n
        loss.backward()
        correct = int(((out.detach() > 0.5) == self.y).sum().item())
        return loss.item() * n, correct

    def _scalar_step(self) -> tuple[float, int]:
        total: Any = 0.0
        correct = 0
        n = len(self.data.y)
        for (x1, x2), label in zip(self.data.X, self.data.y):
            out = self.model.forward([Scalar(x1), Scalar(x2)])
            prob = out if label == 1 else -out + 1.0
            total = total + (-prob.log()) * (1.0 / n)
            correct += int((out.data > 0.5) == (label == 1))
        total.backward()
        return float(total.data) * n, correct

    def probabilities(self, steps: int = 40) -> np.ndarray:
        """The model's output on a ``steps`` x ``steps`` grid over the unit square (rows: x2)."""
        ticks = (np.arange(steps) + 0.5) / steps
        points = [(x1, x2) for x2 in ticks for x1 in ticks]
        if self.engine == "scalars":
            values = [self.model.forward([Scalar(a), Scalar(b)]).data for a, b in points]
            return np.array(values).reshape(steps, steps)
        with no_grad():
            out = self.model.forward(tensor(points, backend=self.X.backend))
        grid: np.ndarray = out.to_numpy().reshape(steps, steps)
        return grid
