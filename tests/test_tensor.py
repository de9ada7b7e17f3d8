"""Tensor operations: forward against numpy, gradients against PyTorch float64 and grad_check,
over hypothesis-drawn shapes with permuted layouts and broadcasting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import MathTestVariable, grad_check

from .tensor_strategies import Case, away_from_kinks, broadcast_shapes, cases, matmul_shapes

one_arg, two_arg, red_arg = MathTestVariable._comp_testing()
Fn = Callable[..., Any]


def reference(base_fn: Fn, *arrays: np.ndarray) -> np.ndarray:
    """Apply a float function of the catalogue elementwise (with broadcasting)."""
    return np.vectorize(base_fn, otypes=[np.float64])(*arrays)


@pytest.mark.parametrize("name,base_fn,fn", one_arg, ids=[t[0] for t in one_arg])
@given(case=cases())
@settings(max_examples=25)
def test_one_arg(name: str, base_fn: Fn, fn: Fn, case: Case) -> None:
    """Forward equals numpy; gradient equals torch's; grad_check passes."""
    vals = case.values()
    away_from_kinks(name, vals)
    out = fn(case.view)
    # the scalar catalogue logs with the course's log(x + 1e-6); tensors log exactly, so
    # "complex" (a log of a sigmoid, divided by 50) may differ by up to 1e-6 / 50
    atol = 3e-8 if name == "complex" else 1e-9
    np.testing.assert_allclose(out.to_numpy(), reference(base_fn, vals), rtol=1e-9, atol=atol)
    out.sum().backward()
    t_leaf, t_view = case.torch_pair()
    fn(t_view).sum().backward()
    np.testing.assert_allclose(case.leaf.grad.to_numpy(), t_leaf.grad.numpy(), rtol=1e-6, atol=1e-9)
    grad_check(fn, case.view.detach().contiguous())


@pytest.mark.parametrize("name,base_fn,fn", two_arg, ids=[t[0] for t in two_arg])
@given(data=st.data())
@settings(max_examples=25)
def test_two_arg_broadcast(name: str, base_fn: Fn, fn: Fn, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcast_shapes())
    a, b = data.draw(cases(shape_a)), data.draw(cases(shape_b))
    va, vb = a.values(), b.values()
    away_from_kinks(name, va, vb)
    if name in ("gt2", "lt2"):
        assume(np.all(np.abs(va[..., None] + 1.2 - vb.reshape(-1)) > 1e-3))
    out = fn(a.view, b.view)
    np.testing.assert_allclose(out.to_numpy(), reference(base_fn, va, vb), rtol=1e-9, atol=1e-9)
    if name in ("eq2", "gt2", "lt2"):
        return  # comparisons: forward only (their gradient is zero)
    out.sum().backward()
    ta, tva = a.torch_pair()
    tb, tvb = b.torch_pair()
    fn(tva, tvb).sum().backward()
    np.testing.assert_allclose(a.leaf.grad.to_numpy(), ta.grad.numpy(), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(b.leaf.grad.to_numpy(), tb.grad.numpy(), rtol=1e-6, atol=1e-9)
    grad_check(fn, a.view.detach().contiguous(), b.view.detach().contiguous())


@given(case=cases(), data=st.data())
@settings(max_examples=40)
def test_reductions(case: Case, data: st.DataObject) -> None:
    dim = data.draw(st.integers(0, case.view.dims - 1))
    vals = case.values()
    np.testing.assert_allclose(case.view.sum(dim).to_numpy(), vals.sum(dim, keepdims=True), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(case.view.mean(dim).to_numpy(), vals.mean(dim, keepdims=True), rtol=1e-12, atol=1e-12)
    assert case.view.sum().shape == (1,)
    assert case.view.mean().item() == pytest.approx(vals.mean(), rel=1e-12, abs=1e-12)
    (case.view.sum(dim) * case.view.mean()).sum().backward()
    t_leaf, t_view = case.torch_pair()
    (t_view.sum(dim, keepdim=True) * t_view.mean()).sum().backward()
    np.testing.assert_allclose(case.leaf.grad.to_numpy(), t_leaf.grad.numpy(), rtol=1e-9, atol=1e-9)
    grad_check(lambda t: t.sum(dim), case.view.detach().contiguous())


@pytest.mark.parametrize("name,base_fn,fn", red_arg, ids=[t[0] for t in red_arg])
@given(case=cases())
@settings(max_examples=20)
def test_catalogue_reductions(name: str, base_fn: Fn, fn: Fn, case: Case) -> None:
    out = fn(case.view)
    vals = case.values()
    expected = vals.mean() if name == "mean_full_red" else (vals.sum(0) if name == "sum_red" else vals.mean(0))
    np.testing.assert_allclose(out.to_numpy().reshape(-1), np.array(expected).reshape(-1), rtol=1e-12, atol=1e-12)
    grad_check(fn, case.view.detach().contiguous())


@given(case=cases(), data=st.data())
@settings(max_examples=40)
def test_permute_view_contiguous(case: Case, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(case.view.dims)))
    p = case.view.permute(*order)
    np.testing.assert_array_equal(p.to_numpy(), np.transpose(case.values(), order))
    flat = p.contiguous().view(p.size)
    np.testing.assert_array_equal(flat.to_numpy(), np.transpose(case.values(), order).reshape(-1))
    weights = minitorch.tensor(list(range(p.size)), backend=case.leaf.backend)
    (flat * weights).sum().backward()
    t_leaf, t_view = case.torch_pair()
    (t_view.permute(*order).reshape(-1) * torch.arange(p.size, dtype=torch.float64)).sum().backward()
    np.testing.assert_allclose(case.leaf.grad.to_numpy(), t_leaf.grad.numpy(), rtol=1e-12)
    grad_check(lambda t: t.permute(*order).contiguous().view(t.size) * weights, case.view.detach().contiguous())


@given(shapes=matmul_shapes(), data=st.data())
@settings(max_examples=40)
def test_matmul(shapes: tuple[tuple[int, ...], tuple[int, ...]], data: st.DataObject) -> None:
    a, b = data.draw(cases(shapes[0])), data.draw(cases(shapes[1]))
    out = a.view @ b.view
    np.testing.assert_allclose(out.to_numpy(), a.values() @ b.values(), rtol=1e-9, atol=1e-9)
    out.sum().backward()
    ta, tva = a.torch_pair()
    tb, tvb = b.torch_pair()
    (tva @ tvb).sum().backward()
    np.testing.assert_allclose(a.leaf.grad.to_numpy(), ta.grad.numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(b.leaf.grad.to_numpy(), tb.grad.numpy(), rtol=1e-9, atol=1e-9)
    grad_check(lambda x, y: x @ y, a.view.detach().contiguous(), b.view.detach().contiguous())


@given(case=cases(lo=0.5, hi=3.0), n=st.sampled_from([2, 3, -1, 0.5, -1.5]))
@settings(max_examples=30)
def test_pow(case: Case, n: float) -> None:
    out = case.view**n
    np.testing.assert_allclose(out.to_numpy(), case.values() ** n, rtol=1e-12)
    out.sum().backward()
    t_leaf, t_view = case.torch_pair()
    (t_view**n).sum().backward()
    np.testing.assert_allclose(case.leaf.grad.to_numpy(), t_leaf.grad.numpy(), rtol=1e-9)
    grad_check(lambda t: t**n, case.view.detach().contiguous())


@given(case=cases())
@settings(max_examples=20)
def test_rsub_and_comparisons(case: Case) -> None:
    vals = case.values()
    np.testing.assert_allclose((1.0 - case.view).to_numpy(), 1.0 - vals)
    np.testing.assert_array_equal((case.view > 0.5).to_numpy(), (vals > 0.5).astype(float))
    np.testing.assert_array_equal((case.view < 0.5).to_numpy(), (vals < 0.5).astype(float))
    np.testing.assert_array_equal((case.view == case.view).to_numpy(), np.ones_like(vals))
    assert case.view.is_close(case.view + 0.001).all().item() == 1.0
    (1.0 - case.view * case.view).sum().backward()
    np.testing.assert_allclose(case.leaf.grad.to_numpy(), np.transpose(-2 * vals, np.argsort(case.order)), rtol=1e-12)
