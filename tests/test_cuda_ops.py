"""CudaOps against the SimpleOps oracle, run on numba's CUDA simulator (sizes <= 32 per side)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import MathTestVariable, TensorData
from minitorch.cuda_ops import CudaBackend, mm_practice, sum_practice

from .tensor_strategies import Case, broadcast_shapes, cases
from .test_tensor import away_from_kinks

one_arg, two_arg, red_arg = MathTestVariable._comp_testing()
ONE = [t for t in one_arg if t[0] in ("neg", "sig", "relu", "exp", "inv", "complex")]
TWO = [t for t in two_arg if t[0] in ("add2", "mul2", "lt2", "eq2")]


def same(a: minitorch.Tensor, b: minitorch.Tensor) -> None:
    assert a.shape == b.shape
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,base_fn,fn", ONE, ids=[t[0] for t in ONE])
@given(case=cases())
@settings(max_examples=5)
def test_one_arg(name: str, base_fn: object, fn: object, case: Case) -> None:
    away_from_kinks(name, case.values())
    gpu = case.on(CudaBackend)
    out_g, out_s = fn(gpu.view), fn(case.view)  # type: ignore[operator]
    same(out_g, out_s)
    out_g.sum().backward()
    out_s.sum().backward()
    same(gpu.leaf.grad, case.leaf.grad)


@pytest.mark.parametrize("name,base_fn,fn", TWO, ids=[t[0] for t in TWO])
@given(data=st.data())
@settings(max_examples=5)
def test_two_arg_broadcast(name: str, base_fn: object, fn: object, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcast_shapes())
    a, b = data.draw(cases(shape_a)), data.draw(cases(shape_b))
    same(fn(a.on(CudaBackend).view, b.on(CudaBackend).view), fn(a.view, b.view))  # type: ignore[operator]


@given(case=cases(), data=st.data())
@settings(max_examples=8)
def test_reduce(case: Case, data: st.DataObject) -> None:
    dim = data.draw(st.integers(0, case.view.dims - 1))
    gpu = case.on(CudaBackend)
    same(gpu.view.sum(dim), case.view.sum(dim))
    same(gpu.view.all(dim), case.view.all(dim))


@pytest.mark.parametrize("n", [32, 500])
def test_reduce_longer_than_a_block(n: int) -> None:
    values = np.arange(n, dtype=np.float64)
    t = minitorch.tensor(values, backend=CudaBackend)
    assert t.sum(0).item() == values.sum()
    assert minitorch.tensor(np.ones(n) * 1.01, backend=CudaBackend).all().item() == pytest.approx(1.01**n)


def test_sum_rows() -> None:
    values = np.random.default_rng(1).standard_normal((16, 32))
    out = minitorch.tensor(values, backend=CudaBackend).sum(1)
    np.testing.assert_allclose(out.to_numpy(), values.sum(1, keepdims=True), rtol=1e-12)


@pytest.mark.parametrize(
    "shape_a,shape_b",
    [((2, 3), (3, 4)), ((2, 4, 3), (1, 3, 2)), ((2, 1, 3, 2), (3, 2, 2)), ((32, 32), (32, 32))],
)
def test_matmul(shape_a: tuple[int, ...], shape_b: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    a_np, b_np = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    a = minitorch.tensor(a_np, backend=CudaBackend, requires_grad=True)
    b = minitorch.tensor(b_np, backend=CudaBackend, requires_grad=True)
    out = a @ b
    np.testing.assert_allclose(out.to_numpy(), a_np @ b_np, rtol=1e-12, atol=1e-12)
    if a.size <= 24:
        out.sum().backward()
        ta = torch.tensor(a_np, requires_grad=True)
        tb = torch.tensor(b_np, requires_grad=True)
        (ta @ tb).sum().backward()
        np.testing.assert_allclose(a.grad.to_numpy(), ta.grad.numpy(), rtol=1e-12)
        np.testing.assert_allclose(b.grad.to_numpy(), tb.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("size", [16, 64, 48])
def test_sum_practice(size: int) -> None:
    values = np.arange(size, dtype=np.float64)
    out = sum_practice(minitorch.tensor(values, backend=CudaBackend))
    assert out._storage[0] == values[:32].sum()
    assert out._storage[0] + out._storage[1] == values[:64].sum()


@pytest.mark.parametrize("size", [2, 32])
def test_mm_practice(size: int) -> None:
    rng = np.random.default_rng(size)
    a_np, b_np = rng.standard_normal((size, size)), rng.standard_normal((size, size))
    out = mm_practice(minitorch.tensor(a_np, backend=CudaBackend), minitorch.tensor(b_np, backend=CudaBackend))
    np.testing.assert_allclose(out._storage.reshape(size, size), a_np @ b_np, rtol=1e-12)


def test_to_cuda_under_the_simulator() -> None:
    td = TensorData([1.0, 2.0, 3.0], (3,))
    td.to_cuda_()
    assert hasattr(td._storage, "copy_to_host")
    td.to_cuda_()  # already on the device: no second copy
    np.testing.assert_array_equal(td._storage.copy_to_host(), [1.0, 2.0, 3.0])
