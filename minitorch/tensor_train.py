r"""The course's tensor network (Task 2.5, ``run_tensor``): 2 -> H -> H -> 1 on whole batches.

The same model as :mod:`minitorch.scalar_train`, but every layer is a few tensor
operations over the whole data set.  With the same random seed it draws the same
initial weights (row-major, weights then bias), so both engines follow the same
training trajectory.
"""

from __future__ import annotations

from typing import Optional

from .datasets import Graph
from .module import Module, Parameter
from .optim import SGD
from .scalar_train import EpochStats, LogFn, run_epochs
from .tensor import Tensor
from .tensor_functions import rand, tensor
from .tensor_ops import SimpleBackend, TensorBackend


def RParam(*shape: int, backend: TensorBackend = SimpleBackend) -> Parameter:  # noqa: N802
    """A parameter with values uniform in [-1, 1)."""
    r = 2 * (rand(shape, backend=backend) - 0.5)
    return Parameter(r)


class Linear(Module):
    r"""Fully connected layer :math:`y = x W + b` for ``x`` of shape (batch, in).

    Written without matrix multiply, as in the course: broadcast
    (batch, in, 1) * (1, in, out), then sum over ``in``.
    """

    def __init__(self, in_size: int, out_size: int, backend: TensorBackend = SimpleBackend) -> None:
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

    def __init__(self, hidden_layers: int, backend: TensorBackend = SimpleBackend) -> None:
        super().__init__()
        self.layer1 = Linear(2, hidden_layers, backend)
        self.layer2 = Linear(hidden_layers, hidden_layers, backend)
        self.layer3 = Linear(hidden_layers, 1, backend)

    def forward(self, x: Tensor) -> Tensor:
        h = self.layer1.forward(x).relu()
        h = self.layer2.forward(h).relu()
        return self.layer3.forward(h).sigmoid()


class TensorTrain:
    """Train :class:`Network` full-batch with SGD on a :class:`~minitorch.datasets.Graph`."""

    def __init__(self, hidden_layers: int, backend: TensorBackend = SimpleBackend) -> None:
        self.hidden_layers = hidden_layers
        self.backend = backend
        self.model = Network(hidden_layers, backend)

    def run_one(self, x: tuple[float, float]) -> Tensor:
        return self.model.forward(tensor([x], backend=self.backend))

    def run_many(self, X: list[tuple[float, float]]) -> Tensor:  # noqa: N803
        return self.model.forward(tensor(X, backend=self.backend))

    def train(
        self,
        data: Graph,
        learning_rate: float,
        max_epochs: int = 500,
        log_fn: Optional[LogFn] = None,
        log_every: int = 10,
    ) -> list[EpochStats]:
        r"""One SGD step per epoch on the mean log loss :math:`-\log p` over all points."""
        self.model = Network(self.hidden_layers, self.backend)
        optim = SGD(self.model.parameters(), learning_rate)
        X = tensor(data.X, backend=self.backend)
        y = tensor(data.y, backend=self.backend)
        n = len(data.X)

        def epoch() -> tuple[float, int]:
            optim.zero_grad()
            out = self.model.forward(X).view(n)
            prob = (out * y) + (out - 1.0) * (y - 1.0)
            loss = -prob.log()
            (loss.sum() / n).backward()
            optim.step()
            correct = int(((out.detach() > 0.5) == y).sum().item())
            return loss.sum().item(), correct

        return run_epochs(epoch, n, max_epochs, log_fn, log_every)
