r"""The course's scalar network (Task 1.5, ``run_scalar``): a 2 -> H -> H -> 1 MLP of Scalars.

Every weight is its own :class:`~minitorch.Scalar`, so this is slow by design:
it shows autodiff one number at a time.  Loss is the log loss
:math:`-\log p` of the probability given to the true class, with
:math:`p = \sigma(\text{score})` for label 1 and :math:`1 - \sigma(\text{score})` for label 0.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Optional

from ..datasets import Graph
from ..module import Module, Parameter
from ..optim import SGD
from ..scalar import Scalar


class Linear(Module):
    r"""Fully connected layer on lists of Scalars: :math:`y_j = b_j + \sum_i x_i w_{ij}`.

    Weights ``weight_i_j`` and biases ``bias_j`` start uniform in [-1, 1).
    """

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__()
        self.weights: list[list[Parameter]] = []
        self.bias: list[Parameter] = []
        for i in range(in_size):
            self.weights.append([])
            for j in range(out_size):
                self.weights[i].append(
                    self.add_parameter(f"weight_{i}_{j}", Scalar(2 * (random.random() - 0.5)))
                )
        for j in range(out_size):
            self.bias.append(self.add_parameter(f"bias_{j}", Scalar(2 * (random.random() - 0.5))))

    def forward(self, inputs: Sequence[Scalar]) -> list[Scalar]:
        if len(inputs) != len(self.weights):
            raise ValueError(
                f"Linear: expected {len(self.weights)} inputs, got {len(inputs)}"
            )
        outputs = []
        for j, b in enumerate(self.bias):
            y: Scalar = b.value
            for i, x in enumerate(inputs):
                y = y + x * self.weights[i][j].value
            outputs.append(y)
        return outputs


class Network(Module):
    """Linear(2, H) -> ReLU -> Linear(H, H) -> ReLU -> Linear(H, 1) -> sigmoid."""

    def __init__(self, hidden_layers: int) -> None:
        super().__init__()
        self.layer1 = Linear(2, hidden_layers)
        self.layer2 = Linear(hidden_layers, hidden_layers)
        self.layer3 = Linear(hidden_layers, 1)

    def forward(self, x: Sequence[Scalar]) -> Scalar:
        h = [v.relu() for v in self.layer1.forward(x)]
        h = [v.relu() for v in self.layer2.forward(h)]
        return self.layer3.forward(h)[0].sigmoid()


@dataclass
class EpochStats:
    """What one epoch of training measured."""

    epoch: int
    loss: float
    correct: int
    total: int
    seconds: float
    losses: list[float] = field(default_factory=list)


LogFn = Callable[[EpochStats], None]


def default_log_fn(stats: EpochStats) -> None:
    """Print ``Epoch  e  loss  L correct C`` (the course's log line)."""
    print("Epoch ", stats.epoch, " loss ", stats.loss, "correct", stats.correct)


class ScalarTrain:
    """Train :class:`Network` on a :class:`~minitorch.datasets.Graph` with SGD."""

    def __init__(self, hidden_layers: int) -> None:
        self.hidden_layers = hidden_layers
        self.model = Network(self.hidden_layers)

    def run_one(self, x: Sequence[float]) -> Scalar:
        """The network's probability of class 1 for one point."""
        return self.model.forward((Scalar(x[0], name="x_1"), Scalar(x[1], name="x_2")))

    def train(
        self,
        data: Graph,
        learning_rate: float,
        max_epochs: int = 500,
        log_fn: Optional[LogFn] = None,
        log_every: int = 10,
    ) -> list[EpochStats]:
        """Full-batch gradient descent: one SGD step per epoch on the mean log loss.

        ``log_fn`` is called every ``log_every`` epochs and after the last one;
        returns the statistics of every epoch.
        """
        self.model = Network(self.hidden_layers)
        optim = SGD(self.model.parameters(), learning_rate)
        n = len(data.X)

        def epoch() -> tuple[float, int]:
            total_loss = 0.0
            correct = 0
            optim.zero_grad()
            for (x_1, x_2), y in zip(data.X, data.y):
                out = self.model.forward((Scalar(x_1, None), Scalar(x_2, None)))
                if y == 1:
                    prob = out
                    correct += 1 if out.data > 0.5 else 0
                else:
                    prob = -out + 1.0
                    correct += 1 if out.data < 0.5 else 0
                loss = -prob.log()
                (loss / n).backward()
                total_loss += loss.data
            optim.step()
            return total_loss, correct

        return run_epochs(epoch, n, max_epochs, log_fn, log_every)


def run_epochs(
    epoch: Callable[[], tuple[float, int]],
    total: int,
    max_epochs: int,
    log_fn: Optional[LogFn] = None,
    log_every: int = 10,
) -> list[EpochStats]:
    """Run ``epoch()`` (returning loss and number correct) ``max_epochs`` times, timing each.

    ``log_fn`` sees every ``log_every``-th epoch and the last one.
    """
    history: list[EpochStats] = []
    for e in range(1, max_epochs + 1):
        start = time.perf_counter()
        loss, correct = epoch()
        stats = EpochStats(e, loss, correct, total, time.perf_counter() - start)
        history.append(stats)
        if log_fn is not None and (e % log_every == 0 or e == max_epochs):
            log_fn(stats)
    return history
