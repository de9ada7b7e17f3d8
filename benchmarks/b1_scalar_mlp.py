"""B1: the micrograd demo step (MLP(2, [16, 16, 1]), SVM loss + L2, one SGD update).

Three engines train from the same initial weights on the same 100 ``Xor`` points:
micrograd 0.1.0 as shipped (the peer), minitorch's micrograd-compatible ``Value``,
and minitorch's course ``Scalar`` engine with ``Module``/``Parameter``/``SGD``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import minitorch
from minitorch import Module, Scalar
from minitorch.micrograd import MLP as ValueMLP  # noqa: N811
from minitorch.micrograd import Value

from .harness import Row, agreement, gc_share, time_steps, workload_main

SIZES = [16, 16, 1]
POINTS = 100
ALPHA = 1e-4


def make_data(seed: int = 0) -> tuple[list[tuple[float, float]], list[int]]:
    """100 points of the Xor set, labels -1/+1 (the SVM loss wants signs)."""
    random.seed(seed)
    g = minitorch.datasets["Xor"](POINTS)
    return g.X, [1 if y == 1 else -1 for y in g.y]


def learning_rate(k: int) -> float:
    """The demo's schedule: 1.0 decaying linearly to 0.1 over 100 steps."""
    return 1.0 - 0.9 * k / 100


class ScalarNeuron(Module):
    """relu(b + sum_i w_i x_i) on Scalars, summed in micrograd's order."""

    def __init__(self, weights: Sequence[float], bias: float, nonlin: bool) -> None:
        super().__init__()
        self.w = [self.add_parameter(f"w{i}", Scalar(w)) for i, w in enumerate(weights)]
        self.b = self.add_parameter("b", Scalar(bias))
        self.nonlin = nonlin

    def forward(self, x: Sequence[Any]) -> Scalar:
        act = self.b.value
        for w, xi in zip(self.w, x):
            act = act + w.value * xi
        return act.relu() if self.nonlin else act


class ScalarMLP(Module):
    """micrograd's MLP on minitorch Scalars, with weights copied from a micrograd MLP."""

    def __init__(self, source: Any) -> None:
        super().__init__()
        self.layers: list[list[ScalarNeuron]] = []
        for li, layer in enumerate(source.layers):
            neurons = []
            for ni, n in enumerate(layer.neurons):
                neuron = ScalarNeuron([w.data for w in n.w], n.b.data, n.nonlin)
                setattr(self, f"l{li}n{ni}", neuron)
                neurons.append(neuron)
            self.layers.append(neurons)

    def forward(self, x: Sequence[Any]) -> Scalar:
        out: list[Any] = list(x)
        for layer in self.layers:
            out = [n.forward(out) for n in layer]
        return out[0]


def svm_loss(scores: Sequence[Any], ys: Sequence[int], params: Sequence[Any]) -> Any:
    """mean(relu(1 - y * score)) + ALPHA * sum(p * p)."""
    losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in params)
    return data_loss + reg_loss


def value_stepper(
    model: Any, value: Callable[[float], Any], xs: Any, ys: Any
) -> Callable[[], float]:
    """One micrograd-style step (works for micrograd's Value and ours)."""
    k = [0]

    def step() -> float:
        inputs = [[value(a) for a in x] for x in xs]
        scores = [model(x) for x in inputs]
        total = svm_loss(scores, ys, model.parameters())
        model.zero_grad()
        total.backward()
        lr = learning_rate(k[0])
        for p in model.parameters():
            p.data -= lr * p.grad
        k[0] += 1
        return float(total.data)

    return step


def scalar_stepper(model: ScalarMLP, xs: Any, ys: Any) -> Callable[[], float]:
    """The same step with the course engine: Scalars, Parameters and minitorch.SGD."""
    optim = minitorch.SGD(model.parameters(), lr=1.0)
    k = [0]

    def step() -> float:
        inputs = [[Scalar(a) for a in x] for x in xs]
        scores = [model.forward(x) for x in inputs]
        total = svm_loss(scores, ys, [p.value for p in model.parameters()])
        optim.zero_grad()
        total.backward()
        optim.lr = learning_rate(k[0])
        optim.step()
        k[0] += 1
        return float(total.data)

    return step


def run(repeat: int = 5) -> list[Row]:
    import micrograd.engine as mg_engine
    import micrograd.nn as mg_nn

    xs, ys = make_data()
    random.seed(1337)
    reference = mg_nn.MLP(2, SIZES)
    random.seed(1337)
    ours_value = ValueMLP(2, SIZES)
    ours_scalar = ScalarMLP(reference)
    assert [p.data for p in ours_value.parameters()] == [p.data for p in reference.parameters()]

    mg_step = value_stepper(reference, mg_engine.Value, xs, ys)
    value_step = value_stepper(ours_value, Value, xs, ys)
    scalar_step = scalar_stepper(ours_scalar, xs, ys)

    theirs = time_steps(mg_step, repeat)
    ours_v = time_steps(value_step, repeat)
    ours_s = time_steps(scalar_step, repeat)
    loss_theirs, loss_v, loss_s = mg_step(), value_step(), scalar_step()
    collector = {name: gc_share(fn, repeat) for name, fn in
                 (("micrograd", mg_step), ("Value", value_step), ("Scalar", scalar_step))}

    def gc_note(name: str) -> str:
        (mine, mine_gc), (peer, peer_gc) = collector[name], collector["micrograd"]
        return (
            f"garbage collector: {mine_gc * 1e3:.0f} of {mine * 1e3:.0f} ms per step "
            f"(micrograd: {peer_gc * 1e3:.0f} of {peer * 1e3:.0f} ms); without it "
            f"{(mine - mine_gc) / (peer - peer_gc):.2f} of micrograd's time"
        )

    goal = "<= 0.10"
    return [
        Row(
            "B1",
            "Value (micrograd API)",
            "micrograd 0.1.0",
            ours_v,
            theirs,
            goal,
            0.10,
            check=agreement("loss", loss_v, loss_theirs),
            notes=gc_note("Value"),
        ),
        Row(
            "B1",
            "Scalar + SGD",
            "micrograd 0.1.0",
            ours_s,
            theirs,
            goal,
            0.10,
            check=agreement("loss", loss_s, loss_theirs),
            notes=gc_note("Scalar"),
        ),
    ]


if __name__ == "__main__":
    workload_main(run, __doc__)
