"""Optimizers and learning-rate schedulers against torch.optim (float64): 50-step parameter
trajectories for every option, 100-step learning-rate sequences, state_dict round trips, errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from minitorch.optim import lr_scheduler

RNG = np.random.default_rng(0)
A, Y, W0 = RNG.standard_normal((5, 3)), RNG.standard_normal(5), RNG.standard_normal(3)

OPTIMIZER_CASES: list[tuple[str, dict[str, Any]]] = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.5, dampening=0.3)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-8)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.9, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, eps=1e-6)),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, amsgrad=True, weight_decay=0.05)),
    ("NAdam", dict(lr=0.05)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, momentum_decay=0.01, eps=1e-6)),
]


@pytest.fixture(autouse=True)
def _float64() -> Iterator[None]:
    """torch keeps some optimizer scalars (NAdam's momentum product) in the default dtype."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def trajectory_ours(cls: type, options: dict[str, Any], steps: int = 50) -> np.ndarray:
    w = minitorch.tensor(W0, requires_grad=True)
    b = minitorch.tensor([0.3], requires_grad=True)
    x, y = minitorch.tensor(A), minitorch.tensor(Y)
    opt = cls([w, b], **options)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        pred = (x * w.view(1, 3)).sum(1).view(5) + b
        ((pred - y) ** 2).mean().backward()
        opt.step()
        out.append(np.concatenate([w.to_numpy(), b.to_numpy()]))
    return np.array(out)


def trajectory_torch(cls: type, options: dict[str, Any], steps: int = 50) -> np.ndarray:
    w = torch.tensor(W0, requires_grad=True)
    b = torch.tensor([0.3], requires_grad=True)
    x, y = torch.tensor(A), torch.tensor(Y)
    opt = cls([w, b], **options)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        ((x @ w + b - y) ** 2).mean().backward()
        opt.step()
        out.append(np.concatenate([w.detach().numpy(), b.detach().numpy()]))
    return np.array(out)


@pytest.mark.parametrize(("name", "options"), OPTIMIZER_CASES, ids=[f"{n}-{o}" for n, o in OPTIMIZER_CASES])
def test_optimizer_trajectory_matches_torch(name: str, options: dict[str, Any]) -> None:
    ours = trajectory_ours(getattr(minitorch.optim, name), options)
    theirs = trajectory_torch(getattr(torch.optim, name), options)
    assert np.abs(ours[-1] - ours[0]).max() > 1e-3  # the parameters really moved
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=0)


def test_optimizers_update_parameters_of_scalars_and_tensors() -> None:
    """Parameters holding Scalars (course models) and Tensors are updated through
    Parameter.update; the course's SGD(parameters, lr) is the plain rule."""
    s = minitorch.Parameter(minitorch.Scalar(2.0))
    t = minitorch.Parameter(minitorch.tensor([1.0, -1.0]))
    opt = minitorch.Adam([s, t], lr=0.1)
    (s.value * s.value).backward()
    (t.value * t.value).sum().backward()
    opt.step()
    assert s.value.data == pytest.approx(1.9)  # Adam's first step moves by lr * sign(g)
    np.testing.assert_allclose(t.value.to_numpy(), [0.9, -0.9])
    assert t.value.requires_grad() and t.value.is_leaf()
    sgd = minitorch.SGD([s], 0.5)
    s.value.derivative = 1.0
    sgd.step()
    assert s.value.data == pytest.approx(1.4)
    sgd.zero_grad()
    assert s.value.derivative is None
    sgd.lr = 0.25  # the course (and micrograd's demo) set the rate as an attribute
    assert sgd.param_groups[0]["lr"] == 0.25 and sgd.lr == 0.25


def test_bare_tensors_are_updated_in_place() -> None:
    m = minitorch.tensor([0.9], requires_grad=True)
    opt = minitorch.SGD([m], lr=0.01)
    (m * 2.0).sum().backward()
    opt.step()
    assert m.item() == pytest.approx(0.88)  # the caller's tensor changed
    opt.zero_grad()
    assert m.grad is None


def test_state_dict_round_trip_continues_the_same_trajectory() -> None:
    full = trajectory_ours(minitorch.Adam, dict(lr=0.05), steps=6)
    w = minitorch.tensor(W0, requires_grad=True)
    b = minitorch.tensor([0.3], requires_grad=True)
    x, y = minitorch.tensor(A), minitorch.tensor(Y)

    def step(opt: minitorch.Optimizer) -> None:
        opt.zero_grad()
        (((x * w.view(1, 3)).sum(1).view(5) + b - y) ** 2).mean().backward()
        opt.step()

    first = minitorch.Adam([w, b], lr=0.05)
    for _ in range(3):
        step(first)
    saved = first.state_dict()
    second = minitorch.Adam([w, b], lr=1.0)
    second.load_state_dict(saved)
    assert second.param_groups[0]["lr"] == 0.05
    for _ in range(3):
        step(second)
    np.testing.assert_allclose(np.concatenate([w.to_numpy(), b.to_numpy()]), full[-1], rtol=1e-13)
    with pytest.raises(ValueError, match="do not match"):
        minitorch.Adam([w], lr=0.1).load_state_dict(saved)


def test_optimizer_errors() -> None:
    w = minitorch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"learning rate lr must be a finite number >= 0.0, got -0.1"):
        minitorch.SGD([w], lr=-0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        minitorch.Adam([])
    with pytest.raises(ValueError, match=r"shape \(2,\) does not require grad.*requires_grad_"):
        minitorch.Adam([minitorch.tensor([1.0, 2.0])])
    with pytest.raises(TypeError, match="got float"):
        minitorch.RMSprop([1.0])
    with pytest.raises(ValueError, match="Nesterov momentum needs momentum > 0"):
        minitorch.SGD([w], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"betas\[1\] must be a finite number in \[0.0, 1.0\], got 1.5"):
        minitorch.Adam([w], betas=(0.9, 1.5))


SCHEDULER_CASES: list[tuple[str, dict[str, Any]]] = [
    ("StepLR", dict(step_size=7, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[10, 30, 30, 80], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.97)),
    ("CosineAnnealingLR", dict(T_max=30, eta_min=0.01)),
    ("LinearLR", dict(start_factor=0.25, end_factor=0.9, total_iters=40)),
    ("LinearLR", dict()),
]


@pytest.mark.parametrize(("name", "options"), SCHEDULER_CASES, ids=[f"{n}-{o}" for n, o in SCHEDULER_CASES])
def test_scheduler_sequence_matches_torch(name: str, options: dict[str, Any]) -> None:
    ours_opt = minitorch.SGD([minitorch.tensor([1.0], requires_grad=True)], lr=0.5)
    theirs_opt = torch.optim.SGD([torch.tensor([1.0], requires_grad=True)], lr=0.5)
    ours = getattr(lr_scheduler, name)(ours_opt, **options)
    theirs = getattr(torch.optim.lr_scheduler, name)(theirs_opt, **options)
    seq_ours, seq_theirs = [], []
    for _ in range(100):
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()
        seq_ours.append(ours.get_last_lr()[0])
        seq_theirs.append(theirs.get_last_lr()[0])
    assert len(set(seq_ours)) > 1
    np.testing.assert_allclose(seq_ours, seq_theirs, rtol=1e-12, atol=1e-15)
    assert ours_opt.param_groups[0]["lr"] == seq_ours[-1]


def test_lambda_lr_matches_torch() -> None:
    def fn(epoch: int) -> float:
        return 0.95**epoch if epoch < 50 else 0.1

    ours_opt = minitorch.Adam([minitorch.tensor([1.0], requires_grad=True)], lr=0.01)
    theirs_opt = torch.optim.Adam([torch.tensor([1.0], requires_grad=True)], lr=0.01)
    ours, theirs = lr_scheduler.LambdaLR(ours_opt, fn), torch.optim.lr_scheduler.LambdaLR(theirs_opt, fn)
    for _ in range(100):
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-14)


@pytest.mark.parametrize(
    "options",
    [dict(), dict(mode="max", factor=0.5, patience=3, cooldown=2, threshold_mode="abs", threshold=0.01, min_lr=0.02)],
)
def test_reduce_on_plateau_matches_torch(options: dict[str, Any]) -> None:
    metrics = np.concatenate([np.linspace(1.0, 0.5, 20), np.full(40, 0.5), np.linspace(0.5, 0.45, 10), np.full(30, 0.45)])
    ours_opt = minitorch.SGD([minitorch.tensor([1.0], requires_grad=True)], lr=0.5)
    theirs_opt = torch.optim.SGD([torch.tensor([1.0], requires_grad=True)], lr=0.5)
    ours = lr_scheduler.ReduceLROnPlateau(ours_opt, **options)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs_opt, **options)
    lrs_ours, lrs_theirs = [], []
    for metric in metrics:
        ours.step(metric)
        theirs.step(metric)
        lrs_ours.append(ours_opt.param_groups[0]["lr"])
        lrs_theirs.append(theirs_opt.param_groups[0]["lr"])
    assert len(set(lrs_ours)) > 1
    np.testing.assert_allclose(lrs_ours, lrs_theirs, rtol=1e-14)


def test_scheduler_errors() -> None:
    opt = minitorch.SGD([minitorch.tensor([1.0], requires_grad=True)], lr=0.5)
    with pytest.raises(ValueError, match="step_size must be a positive integer, got 0"):
        lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="factor must be < 1.0"):
        lr_scheduler.ReduceLROnPlateau(opt, factor=2.0)
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'.*'median'"):
        lr_scheduler.ReduceLROnPlateau(opt, mode="median")
    with pytest.raises(ValueError, match="T_max must be >= 1, got 0"):
        lr_scheduler.CosineAnnealingLR(opt, T_max=0)
    with pytest.raises(ValueError, match=r"start_factor must be in \(0, 1\].*got 0.0"):
        lr_scheduler.LinearLR(opt, start_factor=0.0)
    with pytest.raises(ValueError, match="expected 2 lr_lambdas, got 1"):
        lr_scheduler.LambdaLR(minitorch.SGD([{"params": [minitorch.tensor([1.0], requires_grad=True)]},
                                             {"params": [minitorch.tensor([2.0], requires_grad=True)]}], lr=0.1),
                              [lambda e: 1.0])
    with pytest.raises(TypeError, match="expected a minitorch optimizer"):
        lr_scheduler.ExponentialLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1), 0.9)  # type: ignore[arg-type]

