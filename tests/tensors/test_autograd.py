"""autograd.grad / jacobian / hessian / hvp against torch (float64), a Newton step,
indexing (gather / slices) against torch with hypothesis, the new constructors, and errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import FastBackend, grad_check
from minitorch.ops import autograd

Fn = Callable[[Any], Any]

# f(x) written twice, for minitorch and torch: x is a vector of 4 values
SCALAR_FUNCTIONS: list[tuple[str, Fn, Fn]] = [
    ("cubic", lambda x: (x * x * x).sum(), lambda x: (x**3).sum()),
    ("exp-product", lambda x: (x.exp() * x).sum(), lambda x: (x.exp() * x).sum()),
    ("sigmoid-log", lambda x: (x.sigmoid() + 1.0).log().sum() * (x * x).sum(),
     lambda x: torch.log(torch.sigmoid(x) + 1.0).sum() * (x * x).sum()),
    ("quadratic-form", lambda x: (x.view(4, 1) @ x.view(1, 4)).sum() * x.sum(),
     lambda x: torch.outer(x, x).sum() * x.sum()),
]
X0 = np.array([0.3, -1.2, 0.8, 2.1])


@pytest.mark.parametrize(("name", "ours", "theirs"), SCALAR_FUNCTIONS, ids=[f[0] for f in SCALAR_FUNCTIONS])
def test_hessian_and_hvp_match_torch(name: str, ours: Fn, theirs: Fn) -> None:
    h = minitorch.hessian(ours, minitorch.tensor(X0))
    th = torch.autograd.functional.hessian(theirs, torch.tensor(X0))
    np.testing.assert_allclose(h.to_numpy(), th.numpy(), rtol=1e-9, atol=1e-9)
    v = np.array([1.0, -0.5, 2.0, 0.25])
    value, hv = minitorch.hvp(ours, minitorch.tensor(X0), minitorch.tensor(v))
    tvalue, thv = torch.autograd.functional.hvp(theirs, torch.tensor(X0), torch.tensor(v))
    assert value.item() == pytest.approx(tvalue.item(), rel=1e-12)
    np.testing.assert_allclose(hv.to_numpy(), thv.numpy(), rtol=1e-9, atol=1e-9)


def test_jacobian_of_a_dense_sigmoid_layer_matches_torch() -> None:
    """The notebook's layer of artificial neurons: 784 inputs, 128 sigmoid outputs."""
    rng = np.random.default_rng(0)
    w, b, x = rng.normal(0, 0.05, (128, 784)), rng.normal(0, 0.1, 128), rng.random(784)
    wt, bt = minitorch.tensor(w, backend=FastBackend), minitorch.tensor(b, backend=FastBackend)

    def layer(v: minitorch.Tensor) -> minitorch.Tensor:
        return ((wt @ v.view(784, 1)).view(128) + bt).sigmoid()

    j = minitorch.jacobian(layer, minitorch.tensor(x, backend=FastBackend))
    tj = torch.autograd.functional.jacobian(
        lambda v: torch.sigmoid(torch.tensor(w) @ v + torch.tensor(b)), torch.tensor(x)
    )
    assert j.shape == (128, 784)
    np.testing.assert_allclose(j.to_numpy(), tj.numpy(), rtol=1e-9, atol=1e-12)


def test_jacobian_keeps_shapes() -> None:
    x = np.arange(6.0).reshape(2, 3) / 5
    j = minitorch.jacobian(lambda t: (t * t).sum(1), minitorch.tensor(x))
    tj = torch.autograd.functional.jacobian(lambda t: (t * t).sum(1), torch.tensor(x))
    assert j.shape == (2, 1, 2, 3) and tuple(tj.shape) == (2, 2, 3)
    np.testing.assert_allclose(j.to_numpy().reshape(2, 2, 3), tj.numpy())


def test_grad_matches_torch_and_leaves_grad_alone() -> None:
    rng = np.random.default_rng(1)
    a_np, b_np, g_np = rng.standard_normal((3, 2)), rng.standard_normal((2, 4)), rng.standard_normal((3, 4))
    a = minitorch.tensor(a_np, requires_grad=True)
    b = minitorch.tensor(b_np, requires_grad=True)
    out = (a @ b).sigmoid()
    ga, gb = autograd.grad(out, [a, b], grad_outputs=minitorch.tensor(g_np))
    assert a.grad is None and b.grad is None  # nothing accumulated
    ta = torch.tensor(a_np, requires_grad=True)
    tb = torch.tensor(b_np, requires_grad=True)
    tga, tgb = torch.autograd.grad(torch.sigmoid(ta @ tb), [ta, tb], grad_outputs=torch.tensor(g_np))
    np.testing.assert_allclose(ga.to_numpy(), tga.numpy(), rtol=1e-12)
    np.testing.assert_allclose(gb.to_numpy(), tgb.numpy(), rtol=1e-12)
    # with respect to an intermediate value, and with create_graph for a second derivative
    x = minitorch.tensor([1.5], requires_grad=True)
    h = x * x
    (dy_dh,) = autograd.grad((h * h * h).sum(), h)
    assert dy_dh.item() == pytest.approx(3 * 1.5**4)
    (dy_dx,) = autograd.grad((x**4).sum(), x, create_graph=True)
    (d2,) = autograd.grad(dy_dx.sum(), x)
    assert d2.item() == pytest.approx(12 * 1.5**2)


def test_newton_step_minimises_a_quadratic_in_one_step() -> None:
    r""":math:`f(x) = \tfrac12 x^\top A x - b^\top x`: :math:`x_1 = x_0 - H^{-1} \nabla f(x_0)` solves
    :math:`A x = b`."""
    a_np = np.array([[3.0, 1.0, 0.0], [1.0, 4.0, 1.0], [0.0, 1.0, 2.0]])
    b_np = np.array([1.0, -2.0, 0.5])
    a, b = minitorch.tensor(a_np), minitorch.tensor(b_np)

    def f(x: minitorch.Tensor) -> minitorch.Tensor:
        return (x.view(1, 3) @ a @ x.view(3, 1)).sum() * 0.5 - (b * x).sum()

    x0 = minitorch.tensor([5.0, -3.0, 2.0], requires_grad=True)
    (g,) = autograd.grad(f(x0), x0)
    h = minitorch.hessian(f, x0)
    x1 = x0.to_numpy() - np.linalg.solve(h.to_numpy(), g.to_numpy())
    np.testing.assert_allclose(a_np @ x1, b_np, atol=1e-12)


def test_autograd_errors() -> None:
    x = minitorch.tensor([1.0, 2.0])
    with pytest.raises(ValueError, match=r"hessian: f must return a one-element tensor.*\(2,\)"):
        minitorch.hessian(lambda t: t * t, x)
    with pytest.raises(RuntimeError, match="does not require grad"):
        autograd.grad((x * x).sum(), x)
    xr = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="pass grad_outputs"):
        autograd.grad(xr * xr, xr)
    other = minitorch.tensor([3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="do not depend on an input of shape"):
        autograd.grad((xr * xr).sum(), [xr, other])
    (_, unused) = autograd.grad((xr * xr).sum(), [xr, other], allow_unused=True)
    assert unused.to_numpy().tolist() == [0.0]
    with pytest.raises(ValueError, match="hvp: v has shape"):
        minitorch.hvp(lambda t: t.sum(), x, minitorch.tensor([1.0]))


# -- indexing ---------------------------------------------------------------------------------


def test_full_integer_index_is_a_float_and_others_are_tensors() -> None:
    x = minitorch.tensor(np.arange(12.0).reshape(3, 4))
    assert x[1, 2] == 6.0 and isinstance(x[1, 2], float)
    assert minitorch.tensor([0.0, 1.0, 7.0])[2] == 7.0
    np.testing.assert_array_equal(x[1].to_numpy(), [4.0, 5.0, 6.0, 7.0])
    np.testing.assert_array_equal(x[1:3].to_numpy(), np.arange(12.0).reshape(3, 4)[1:3])
    np.testing.assert_array_equal(x[:, 1].to_numpy(), [1.0, 5.0, 9.0])
    np.testing.assert_array_equal(x.permute(1, 0)[[3, 0]].to_numpy(), np.arange(12.0).reshape(3, 4).T[[3, 0]])


@given(st.data())
@settings(max_examples=40, deadline=None)
def test_gather_and_slices_match_torch(data: st.DataObject) -> None:
    shape = tuple(data.draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    values = np.array(data.draw(st.lists(st.floats(-5, 5), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(shape)
    idx = data.draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=6))
    start = data.draw(st.integers(0, shape[0] - 1))
    x = minitorch.tensor(values, requires_grad=True)
    tx = torch.tensor(values, requires_grad=True)
    weights = np.arange(1.0, 1.0 + len(idx) * int(np.prod(shape[1:]))).reshape((len(idx), *shape[1:]))
    out = (x[minitorch.tensor(idx)] * minitorch.tensor(weights)).sum() + (x[start:] ** 2).sum()
    tout = (tx[idx] * torch.tensor(weights)).sum() + (tx[start:] ** 2).sum()
    assert out.item() == pytest.approx(tout.item(), rel=1e-12, abs=1e-12)
    out.backward()
    tout.backward()
    assert x.grad is not None and tx.grad is not None
    np.testing.assert_allclose(x.grad.to_numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_gather_grad_check_and_second_derivative() -> None:
    rng = np.random.default_rng(2)
    values = rng.standard_normal((4, 3))
    grad_check(lambda t: t[[0, 2, 2]] * 2.0, minitorch.tensor(values))
    x = minitorch.tensor(values, requires_grad=True)
    (g,) = autograd.grad((x[[1, 1, 3]] ** 3).sum(), x, create_graph=True)
    (gg,) = autograd.grad((g * g).sum(), x)
    tx = torch.tensor(values, requires_grad=True)
    (tg,) = torch.autograd.grad((tx[[1, 1, 3]] ** 3).sum(), tx, create_graph=True)
    (tgg,) = torch.autograd.grad((tg * tg).sum(), tx)
    np.testing.assert_allclose(gg.to_numpy(), tgg.numpy(), rtol=1e-12)


def test_index_errors() -> None:
    x = minitorch.tensor(np.zeros((3, 4)))
    with pytest.raises(IndexError, match=r"out of range for a tensor of shape \(3, 4\): index 5"):
        x[[0, 5]]
    with pytest.raises(IndexError, match="indices must be integers"):
        x[minitorch.tensor([0.5])]
    with pytest.raises(IndexError, match="cannot be indexed by str"):
        x["a"]


# -- constructors -----------------------------------------------------------------------------


def test_linspace_and_arange_match_torch() -> None:
    np.testing.assert_allclose(minitorch.linspace(0, 8, 9).to_numpy(), torch.linspace(0, 8, 9, dtype=torch.float64).numpy())
    np.testing.assert_allclose(minitorch.arange(5).to_numpy(), [0, 1, 2, 3, 4])
    np.testing.assert_allclose(minitorch.arange(1, 2, 0.25).to_numpy(), [1, 1.25, 1.5, 1.75])
    with pytest.raises(ValueError, match="step must not be zero"):
        minitorch.arange(0, 1, 0)
    with pytest.raises(ValueError, match="steps must be a non-negative integer"):
        minitorch.linspace(0, 1, -2)


def test_random_constructors_follow_manual_seed() -> None:
    minitorch.manual_seed(7)
    a = minitorch.randn(100, 100).to_numpy()
    minitorch.manual_seed(7)
    b = minitorch.randn((100, 100)).to_numpy()
    np.testing.assert_array_equal(a, b)
    assert abs(a.mean()) < 0.05 and abs(a.std() - 1.0) < 0.05
    noise = minitorch.normal(mean=minitorch.zeros((20000,)), std=0.2).to_numpy()
    assert noise.shape == (20000,) and abs(noise.std() - 0.2) < 0.01
    assert minitorch.normal(3.0, 0.0, size=(2, 2)).to_numpy().tolist() == [[3.0, 3.0], [3.0, 3.0]]
    with pytest.raises(ValueError, match="std must be >= 0"):
        minitorch.normal(0.0, -1.0, size=(2,))
    with pytest.raises(ValueError, match="give size"):
        minitorch.normal(0.0, 1.0)
    with pytest.raises(ValueError, match=r"size=\(3,\) disagrees with the shape \(2,\)"):
        minitorch.normal(minitorch.zeros((2,)), 1.0, size=(3,))
