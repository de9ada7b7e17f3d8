r"""The course's tensor network (Task 2.5, ``run_tensor``): 2 -> H -> H -> 1 on whole batches.

The same model as :mod:`minitorch.train.scalar_train`, but every layer is a few tensor
operations over the whole data set.  With the same random seed it draws the same
initial weights (row-major, weights then bias), so both engines follow the same
training trajectory.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, Optional

from ..datasets import Graph
from ..engine.grad_mode import no_grad
from ..module import Module, Parameter
from ..operators import EPS
from ..ops.constructors import tensor, zeros
from ..ops.random import rand
from ..optim import SGD
from ..replay.compiler import compile
from ..tensor import Tensor
from ..tensor_ops import TensorBackend
from .scalar_train import EpochStats, LogFn, run_epochs


def RParam(*shape: int, backend: Optional[TensorBackend] = None) -> Parameter:  # noqa: N802
    """A parameter with values uniform in [-1, 1)."""
    r = 2 * (rand(shape, backend=backend) - 0.5)
    return Parameter(r)


class Linear(Module):
    r"""Fully connected layer :math:`y = x W + b` for ``x`` of shape (batch, in).

    Written without matrix multiply, as in the course: broadcast
    (batch, in, 1) * (1, in, out), then sum over ``in``.
    """

    def __init__(
        self, in_size: int, out_size: int, backend: Optional[TensorBackend] = None
    ) -> None:
        super().__init__()
        self.weights = RParam(in_size, out_size, backend=backend)
        self.bias = RParam(out_size, backend=backend)
        self.out_size = out_size

    def forward(self, x: Tensor) -> Tensor:
        batch, in_size = x.shape
        w: Tensor = self.weights.value.view(1, in_size, self.out_size)
        prod = x.view(batch, in_size, 1) * w
        out: Tensor = prod.sum(1).view(batch, self.out_size) + self.bias.value
        return out


class Network(Module):
    """Linear(2, H) -> ReLU -> Linear(H, H) -> ReLU -> Linear(H, 1) -> sigmoid."""

    layer_type: Callable[[int, int, Optional[TensorBackend]], Module] = Linear

    def __init__(self, hidden_layers: int, backend: Optional[TensorBackend] = None) -> None:
        super().__init__()
        make = self.layer_type
        self.layer1 = make(2, hidden_layers, backend)
        self.layer2 = make(hidden_layers, hidden_layers, backend)
        self.layer3 = make(hidden_layers, 1, backend)

    def forward(self, x: Tensor) -> Tensor:
        h = self.layer1.forward(x).relu()
        h = self.layer2.forward(h).relu()
        out: Tensor = self.layer3.forward(h).sigmoid()
        return out


def point_log_loss(out: Tensor, y: Tensor) -> Tensor:
    r"""Per-point log loss :math:`-\log p` of the true class.

    :math:`p = o` for label 1 and :math:`1 - o` for label 0, written without branches.
    """
    prob = (out * y) + (out - 1.0) * (y - 1.0)
    return -(prob + EPS).log()  # the course's log(p + 1e-6), as the scalar engine computes it


class TensorTrain:
    """Train :class:`Network` full-batch with SGD on a :class:`~minitorch.datasets.Graph`."""

    def __init__(
        self, hidden_layers: int, backend: Optional[TensorBackend] = None, compiled: bool = True
    ) -> None:
        self.hidden_layers = hidden_layers
        self.backend = backend
        self.compiled = compiled
        """Run each training step through :func:`minitorch.compile` (``--no-compile``: not)."""
        self.model = self.make_model()

    def _compiled(self, step: Callable[..., Any]) -> Callable[..., Any]:
        return compile(step) if self.compiled else step

    def _sgd_step(self, optim: SGD, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
        """One SGD step on the mean log loss of the points ``x`` with labels ``y``: the
        summed loss and the outputs."""
        optim.zero_grad()
        out = self.model.forward(x).view(y.shape[0])
        loss = point_log_loss(out, y).sum()
        (loss / y.shape[0]).backward()
        optim.step()
        return loss, out

    def make_model(self) -> Module:
        """A freshly initialised network."""
        return Network(self.hidden_layers, self.backend)

    def run_one(self, x: tuple[float, float]) -> Tensor:
        """The network's probability of class 1 for one point (shape (1, 1))."""
        return self.run_many([x])

    def run_many(self, X: list[tuple[float, float]]) -> Tensor:  # noqa: N803
        """The network's probabilities of class 1 for many points (shape (N, 1))."""
        out: Tensor = self.model.forward(tensor(X, backend=self.backend))
        return out

    def train(
        self,
        data: Graph,
        learning_rate: float,
        max_epochs: int = 500,
        log_fn: Optional[LogFn] = None,
        log_every: int = 10,
    ) -> list[EpochStats]:
        r"""One SGD step per epoch on the mean log loss :math:`-\log p` over all points."""
        self.model = self.make_model()
        optim = SGD(self.model.parameters(), learning_rate)
        X = tensor(data.X, backend=self.backend)
        y = tensor(data.y, backend=self.backend)
        n = len(data.X)

        def step(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
            loss, out = self._sgd_step(optim, x, y)
            return loss, ((out.detach() > 0.5) == y).sum()

        run = self._compiled(step)

        def epoch() -> tuple[float, int]:
            loss, correct = run(X, y)
            return loss.item(), int(correct.item())

        return run_epochs(epoch, n, max_epochs, log_fn, log_every)


class MatMulLinear(Module):
    r"""Fully connected layer :math:`y = x W + b` as a matrix multiply (``run_fast_tensor``).

    Weights start uniform in [-0.5, 0.5); the bias starts at 0.1.
    """

    def __init__(self, in_size: int, out_size: int, backend: Optional[TensorBackend]) -> None:
        super().__init__()
        self.weights = Parameter(rand((in_size, out_size), backend=backend) - 0.5)
        self.bias = Parameter(zeros((out_size,), backend=backend) + 0.1)

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = x @ self.weights.value + self.bias.value
        return out


class FastNetwork(Network):
    """The course's network with matrix-multiply layers."""

    layer_type = MatMulLinear


class FastTrain(TensorTrain):
    """Mini-batch SGD (course ``run_fast_tensor``): shuffled batches, one step per batch."""

    def __init__(
        self, hidden_layers: int, backend: TensorBackend, batch_size: int = 10,
        compiled: bool = True,
    ) -> None:
        self.batch_size = batch_size
        super().__init__(hidden_layers, backend, compiled)

    def make_model(self) -> Module:
        return FastNetwork(self.hidden_layers, self.backend)

    def train(
        self,
        data: Graph,
        learning_rate: float,
        max_epochs: int = 500,
        log_fn: Optional[LogFn] = None,
        log_every: int = 10,
    ) -> list[EpochStats]:
        """Each epoch: shuffle, then an SGD step per batch; the loss is summed over the epoch."""
        self.model = self.make_model()
        optim = SGD(self.model.parameters(), learning_rate)
        X_all = tensor(data.X, backend=self.backend)
        y_all = tensor(data.y, backend=self.backend)
        points = list(zip(data.X, data.y))
        n = len(points)

        def step(x: Tensor, y: Tensor) -> float:
            return self._sgd_step(optim, x, y)[0].item()

        run = self._compiled(step)

        def epoch() -> tuple[float, int]:
            random.shuffle(points)
            total_loss = 0.0
            for start in range(0, n, self.batch_size):
                batch = points[start : start + self.batch_size]
                X = tensor([p for p, _ in batch], backend=self.backend)
                y = tensor([label for _, label in batch], backend=self.backend)
                total_loss += run(X, y)
            with no_grad():
                out = self.model.forward(X_all).view(n)
                correct = int(((out > 0.5) == y_all).sum().item())
            return total_loss, correct

        return run_epochs(epoch, n, max_epochs, log_fn, log_every)
