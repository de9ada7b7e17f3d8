"""The ML Foundations exercises in examples/, shortened, checked against the notebooks'
figures, hand-derived gradients and PyTorch (float64) running the same steps."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_single_point_and_batch_gradients_match_the_notebook() -> None:
    reg = example("regression_gradient")
    one = reg.single_point()
    assert one["cost"] == pytest.approx(60.3729, abs=1e-4)
    assert one["dC/dm"] == pytest.approx(108.78) and one["dC/dm"] == pytest.approx(one["2x(yhat - y)"], rel=1e-12)
    assert one["dC/db"] == pytest.approx(15.54) and one["dC/db"] == pytest.approx(one["2(yhat - y)"], rel=1e-12)
    batch = reg.batch_gradient()
    assert batch["cost"] == pytest.approx(19.6755, abs=1e-4)
    assert batch["dC/dm"] == pytest.approx(batch["2/n sum (yhat - y) x"], rel=1e-12)
    assert batch["dC/db"] == pytest.approx(batch["2/n sum (yhat - y)"], rel=1e-12)


def test_gradient_descent_reaches_torchs_m_and_b() -> None:
    reg = example("regression_gradient")
    ours = reg.gradient_descent(epochs=1000)
    xs, ys = torch.tensor(reg.XS, dtype=torch.float64), torch.tensor(reg.YS, dtype=torch.float64)
    m = torch.tensor([0.9], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.1], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([m, b], lr=0.01)
    for _ in range(1000):
        optimizer.zero_grad()
        (((m * xs + b - ys) ** 2).sum() / 8).backward()
        optimizer.step()
    assert ours["m"] == pytest.approx(m.item(), rel=1e-9)
    assert ours["b"] == pytest.approx(b.item(), rel=1e-9)


def test_sgd_from_scratch_shortened() -> None:
    sgd = example("sgd_from_scratch")
    x, y = sgd.make_data(10_000)
    full = sgd.full_batch_gradient(x, y)
    x_np, y_np = x.to_numpy(), y.to_numpy()
    residual = 0.9 * x_np + 0.1 - y_np
    assert full["dC/dm"] == pytest.approx(2 * (residual * x_np).mean(), rel=1e-10)
    assert full["dC/db"] == pytest.approx(2 * residual.mean(), rel=1e-10)
    history = sgd.sgd(x, y, rounds=30, batch_size=32, gamma=0.9, seed=3)
    np.testing.assert_allclose([h["lr"] for h in history], 0.01 * 0.9 ** np.arange(1, 31), rtol=1e-12)
    # the same batches and schedule in torch give the same trajectory
    rng = random.Random(3)
    m = torch.tensor([0.9], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.1], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([m, b], lr=0.01)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, 0.9)
    xt, yt = torch.tensor(x_np), torch.tensor(y_np)
    for _ in range(30):
        idx = rng.sample(range(10_000), 32)
        optimizer.zero_grad()
        (((m * xt[idx] + b - yt[idx]) ** 2).sum() / 32).backward()
        optimizer.step()
        schedule.step()
    assert history[-1]["m"] == pytest.approx(m.item(), rel=1e-10)
    assert history[-1]["b"] == pytest.approx(b.item(), rel=1e-10)


def test_jacobian_and_newton_examples() -> None:
    ex = example("jacobian_hessian")
    layer = ex.dense_layer()
    x, w, a, jac = (layer[k].to_numpy() for k in ("x", "w", "a", "jacobian"))
    assert jac.shape == (128, 784)
    # d sigmoid(x W)_j / d x_i = a_j (1 - a_j) W_ij
    np.testing.assert_allclose(jac, (a * (1 - a))[:, None] * w.T, rtol=1e-9, atol=1e-15)
    a_np = np.array([[3.0, 1.0], [1.0, 2.0]])
    b_np = np.array([1.0, -1.0])
    np.testing.assert_allclose(ex.newton_step(a_np, b_np, np.array([4.0, 4.0])), np.linalg.solve(a_np, b_np))
    assert ex.gradient_descent_steps(a_np, b_np, np.array([4.0, 4.0])) > 10
