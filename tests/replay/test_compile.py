"""minitorch.compile: a replayed call gives exactly what the eager call gives (bit for bit),
over many training steps of the course's networks, LeNet and every optimizer; and whatever
would make a replay wrong (control flow, reads of values, state changes) records again or
runs eagerly."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import minitorch
from benchmarks.models import lenet_step, lenet_weights
from minitorch import CompileError, CompileWarning, Parameter, Tensor
from minitorch.train.tensor_train import Network, point_log_loss

STEPS = 50


def _values(params: list[Parameter]) -> list[np.ndarray]:
    return [p.value.to_numpy() for p in params]


def twin_runs(
    build: Callable[[], tuple[Callable[..., Any], list[Parameter]]],
    calls: list[tuple[Any, ...]],
) -> tuple[list[Any], list[Any], Any]:
    """Run the same sequence of calls eagerly and compiled, from identical models; check
    that results and parameters agree exactly after every call."""
    eager_step, eager_params = build()
    step, params = build()
    compiled = minitorch.compile(step)
    eager_out, compiled_out = [], []
    for args in calls:
        eager_out.append(eager_step(*args))
        compiled_out.append(compiled(*args))
        assert eager_out[-1] == compiled_out[-1]
        for a, b in zip(_values(eager_params), _values(params)):
            np.testing.assert_array_equal(a, b)
    return eager_out, compiled_out, compiled


def mlp_step(
    optimizer: Callable[[list[Parameter]], Any], sizes: tuple[int, ...] = (6, 16, 3)
) -> Callable[[], tuple[Callable[..., Any], list[Parameter]]]:
    """An MLP training step on (x, labels) arguments with softmax cross-entropy."""

    def build() -> tuple[Callable[..., Any], list[Parameter]]:
        rng = np.random.default_rng(0)
        params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            params.append(Parameter(minitorch.tensor(rng.uniform(-1, 1, (n_in, n_out)))))
            params.append(Parameter(minitorch.tensor(rng.uniform(-0.1, 0.1, (n_out,)))))
        opt = optimizer(params)

        def step(x: Tensor, labels: Tensor) -> float:
            opt.zero_grad()
            h = x
            for i in range(0, len(params), 2):
                h = h @ params[i].value + params[i + 1].value
                if i + 2 < len(params):
                    h = h.relu()
            loss = minitorch.cross_entropy(h, labels)
            loss.backward()
            opt.step()
            return loss.item()

        return step, params

    return build


def batches(n: int, batch: int = 8, features: int = 6, classes: int = 3) -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(1)
    return [
        (minitorch.tensor(rng.normal(size=(batch, features))),
         minitorch.tensor(rng.integers(0, classes, batch).astype(float)))
        for _ in range(n)
    ]


OPTIMIZERS = {
    "sgd": lambda p: minitorch.SGD(p, lr=0.1),
    "sgd-momentum-nesterov-wd": lambda p: minitorch.SGD(
        p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3
    ),
    "adagrad": lambda p: minitorch.Adagrad(p, lr=0.1, lr_decay=1e-3),
    "adadelta": lambda p: minitorch.Adadelta(p, lr=1.0, weight_decay=1e-3),
    "rmsprop-centered-momentum": lambda p: minitorch.RMSprop(
        p, lr=1e-2, momentum=0.5, centered=True
    ),
    "adam-amsgrad": lambda p: minitorch.Adam(p, lr=1e-2, amsgrad=True),
    "adamw": lambda p: minitorch.AdamW(p, lr=1e-2),
    "nadam": lambda p: minitorch.NAdam(p, lr=1e-2),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_replays_exactly(name: str) -> None:
    _, _, compiled = twin_runs(mlp_step(OPTIMIZERS[name]), batches(STEPS))
    assert compiled.stats["replayed"] >= STEPS - 3
    assert compiled.explain() == []


def test_course_network_with_its_own_loss() -> None:
    """The course's Network (Linear as broadcast and sum) with point_log_loss, as
    ``minitorch train`` runs it."""
    data = minitorch.datasets["Xor"](40)
    x = minitorch.tensor(data.X)
    y = minitorch.tensor(data.y)

    def build() -> tuple[Callable[..., Any], list[Parameter]]:
        minitorch.manual_seed(3)
        model = Network(8)
        opt = minitorch.SGD(model.parameters(), 0.5)

        def step(x: Tensor, y: Tensor) -> float:
            opt.zero_grad()
            out = model.forward(x).view(y.shape[0])
            loss = point_log_loss(out, y)
            (loss.sum() / y.shape[0]).backward()
            opt.step()
            return loss.sum().item()

        return step, list(model.parameters())

    _, _, compiled = twin_runs(build, [(x, y)] * STEPS)
    assert compiled.stats["replayed"] == STEPS - 2


def test_lenet_replays_exactly() -> None:
    """conv2d, avgpool2d, linear layers and cross-entropy (the benchmark's LeNet)."""
    rng = np.random.default_rng(0)
    weights = lenet_weights()
    images = [(minitorch.tensor(rng.uniform(0, 1, (16, 1, 28, 28))),
               minitorch.tensor(rng.integers(0, 10, 16).astype(float))) for _ in range(3)]

    def build() -> tuple[Callable[..., Any], list[Parameter]]:
        params = [Parameter(minitorch.tensor(w)) for w in weights]
        return lenet_step(params, minitorch.SGD(params, 0.05, momentum=0.9)), params

    _, _, compiled = twin_runs(build, [images[i % 3] for i in range(STEPS)])
    assert compiled.stats["replayed"] == STEPS - 2


class _Model(minitorch.nn.Module):
    def __init__(self, p: float = 0.3) -> None:
        super().__init__()
        self.fc1 = minitorch.nn.Linear(6, 12)
        self.drop = minitorch.nn.Dropout(p)
        self.fc2 = minitorch.nn.Linear(12, 3)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(self.drop(self.fc1(x).tanh()))


class _Setup:
    """A model, an Adam optimizer with a StepLR schedule, and its training step."""

    def __init__(self) -> None:
        minitorch.manual_seed(5)
        self.model = _Model()
        self.opt = minitorch.Adam(self.model.parameters(), lr=0.01)
        self.schedule = minitorch.lr_scheduler.StepLR(self.opt, step_size=7, gamma=0.5)
        self.params = list(self.model.parameters())

    def step(self, x: Tensor, y: Tensor) -> float:
        self.opt.zero_grad()
        loss = minitorch.nn.functional.cross_entropy(self.model(x), y)
        loss.backward()
        self.opt.step()
        return loss.item()


def test_module_layers_dropout_and_scheduler() -> None:
    """nn layers with dropout (new masks on every replay, drawn from the same random state
    as eager code) and a learning rate changed between calls (read when the update runs)."""
    eager, other = _Setup(), _Setup()
    compiled = minitorch.compile(other.step)
    for i, (x, y) in enumerate(batches(STEPS)):
        minitorch.manual_seed(100 + i)
        a = eager.step(x, y)
        eager.schedule.step()
        minitorch.manual_seed(100 + i)
        b = compiled(x, y)
        other.schedule.step()
        assert a == b
        for u, v in zip(_values(eager.params), _values(other.params)):
            np.testing.assert_array_equal(u, v)
    assert compiled.stats["replayed"] == STEPS - 2
    assert other.opt.param_groups[0]["lr"] < 0.01


def test_eval_mode_and_new_parameters_record_again() -> None:
    """model.eval() (dropout off) and a Parameter given a new tensor are state a replay
    cannot see: the next call records again, and still equals eager."""
    eager, other = _Setup(), _Setup()
    compiled = minitorch.compile(other.step)
    data = batches(12)
    for i, (x, y) in enumerate(data):
        if i == 5:
            eager.model.eval()
            other.model.eval()
        if i == 9:
            for setup in (eager, other):
                w = setup.model.fc2.weight
                w.update(minitorch.tensor(np.full(w.value.shape, 0.01)))
        minitorch.manual_seed(i)
        a = eager.step(x, y)
        minitorch.manual_seed(i)
        assert compiled(x, y) == a
        for u, v in zip(_values(eager.params), _values(other.params)):
            np.testing.assert_array_equal(u, v)
    assert compiled.stats["recorded"] == 6  # twice at the start, after eval(), after update()


def test_new_shapes_record_their_own_replay() -> None:
    data = batches(6, batch=8) + batches(6, batch=5)
    _, _, compiled = twin_runs(mlp_step(OPTIMIZERS["sgd"]), data + data)
    assert len(compiled.entries) == 2
    assert compiled.stats["recorded"] == 4


def test_gradients_accumulated_outside_the_function() -> None:
    """zero_grad outside the compiled function: a replay starts from no gradient, so a
    call without zero_grad (gradients would accumulate) records again."""
    x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])

    def build() -> tuple[Callable[..., Any], list[Parameter]]:
        w = Parameter(minitorch.tensor([[0.5], [-0.25]]))

        def backward_only(x: Tensor) -> float:
            loss = (x @ w.value).sum()
            loss.backward()
            return loss.item()

        return backward_only, [w]

    eager_fn, eager_w = build()
    fn, w = build()
    compiled = minitorch.compile(fn)
    for i in range(12):
        if i % 4 != 3:  # now and then the gradient is kept and accumulates
            eager_w[0].value.grad = None
            w[0].value.grad = None
        assert compiled(x) == eager_fn(x)
        np.testing.assert_array_equal(w[0].value.grad.to_numpy(), eager_w[0].value.grad.to_numpy())
    assert compiled.stats["replayed"] == 3


def _eager_reason(fn: Callable[..., Any], *args: Any) -> str:
    compiled = minitorch.compile(fn)
    with pytest.warns(CompileWarning) as caught:
        for _ in range(3):
            compiled(*args)
    assert compiled.stats["replayed"] == 0
    with pytest.raises(CompileError):
        strict = minitorch.compile(fn, fullgraph=True)
        for _ in range(3):
            strict(*args)
    return str(caught[0].message)


def test_reading_values_before_the_end_runs_eagerly() -> None:
    x = minitorch.tensor([1.0, -2.0, 3.0])

    def branchy(x: Tensor) -> Tensor:
        if (x.sum()).item() > 0:  # Python control flow on a value
            return x * 2.0
        return x * 3.0

    assert "reads tensor values" in _eager_reason(branchy, x)

    def branchy_then_read(x: Tensor) -> float:  # a read in the middle and one at the end
        y = x.sum()
        if y.item() > 0:
            y = y * 0.1
        return (y * 2.0).item()

    assert "reads tensor values" in _eager_reason(branchy_then_read, x)


def test_changing_python_constants_run_eagerly() -> None:
    calls = [0]
    x = minitorch.tensor([1.0, 2.0])

    def counting(x: Tensor) -> Tensor:
        calls[0] += 1
        return x * float(calls[0])  # a constant that changes on every call

    compiled = minitorch.compile(counting)
    with pytest.warns(CompileWarning, match="differ from call to call"):
        results = [compiled(x).to_numpy() for _ in range(8)]
    np.testing.assert_array_equal(results[-1], [8.0, 16.0])
    assert compiled.stats["replayed"] == 0


def test_a_graph_returned_without_backward_runs_eagerly_but_no_grad_replays() -> None:
    model = _Model(p=0.0)
    x = minitorch.tensor(np.ones((2, 6)))
    assert "no backward pass" in _eager_reason(model, x)

    infer = minitorch.compile(model)
    with minitorch.no_grad():
        outs = [infer(x) for _ in range(4)]
    assert infer.stats["replayed"] == 2
    assert not outs[-1].requires_grad
    np.testing.assert_array_equal(outs[-1].to_numpy(), model(x).to_numpy())
    assert outs[-1] is not outs[-2]  # each call returns its own tensor


def test_arguments_that_require_grad_run_eagerly() -> None:
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    assert "requires grad" in _eager_reason(lambda t: (t * t).sum() * 1.0, x)


def test_manual_update_with_in_place_operations() -> None:
    """A notebook's loop: ``with no_grad(): w -= lr * w.grad`` and ``w.grad = None``."""
    rng = np.random.default_rng(2)
    xs = [minitorch.tensor(rng.normal(size=(10, 3))) for _ in range(4)]

    def build() -> tuple[Callable[..., Any], list[Tensor]]:
        w = minitorch.tensor([[0.1], [0.2], [0.3]], requires_grad=True)
        b = minitorch.tensor([0.5], requires_grad=True)

        def step(x: Tensor) -> float:
            loss = ((x @ w + b - 1.0) ** 2).mean()
            loss.backward()
            with minitorch.no_grad():
                w.sub_(0.1 * w.grad)
            b.data -= 0.1 * b.grad.data
            w.grad = None
            b.grad = None
            return loss.item()

        return step, [w, b]

    eager_step, eager_wb = build()
    step, wb = build()
    compiled = minitorch.compile(step)
    for i in range(20):
        assert compiled(xs[i % 4]) == eager_step(xs[i % 4])
        for u, v in zip(wb, eager_wb):
            np.testing.assert_array_equal(u.to_numpy(), v.to_numpy())
    assert compiled.stats["replayed"] == 18


def test_checks_still_run_on_replay() -> None:
    """binary_cross_entropy refuses values outside [0, 1] on a replayed call too."""

    def loss(p: Tensor, y: Tensor) -> float:
        return minitorch.nn.functional.binary_cross_entropy(p, y).item()

    compiled = minitorch.compile(loss)
    y = minitorch.tensor([1.0, 0.0])
    for _ in range(3):
        compiled(minitorch.tensor([0.9, 0.2]), y)
    assert compiled.stats["replayed"] == 1
    with pytest.raises(ValueError, match="probabilities in"):
        compiled(minitorch.tensor([1.5, 0.2]), y)
    assert compiled(minitorch.tensor([0.9, 0.2]), y) == loss(minitorch.tensor([0.9, 0.2]), y)


def test_spellings() -> None:
    def double(x: Tensor) -> Tensor:
        return x * 2.0

    assert minitorch.compile(double, disable=True) is double
    decorated = minitorch.compile()(double)
    x = minitorch.tensor([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outs = [decorated(x) for _ in range(3)]
    np.testing.assert_array_equal(outs[-1].to_numpy(), [2.0, 4.0])
    assert decorated.__name__ == "double"
    with pytest.raises(TypeError, match="function or a Module"):
        minitorch.compile(3)
