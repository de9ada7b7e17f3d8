"""What is particular to CudaOps, on numba's CUDA simulator (sizes <= 32 per side): reductions
longer than a block, tiled matmul, sum_practice, mm_practice, to_cuda_.  The op families
against the SimpleOps oracle are in tests/test_backends.py, for every backend."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import minitorch
from minitorch import TensorData
from minitorch.cuda_ops import CudaBackend, mm_practice, sum_practice


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


def test_cuda_backend_is_imported_on_first_use() -> None:
    """``import minitorch`` leaves numba's CUDA support alone (a tenth of a second at every
    start); ``minitorch.CudaBackend`` and ``minitorch.cuda`` import it when asked for."""
    script = (
        "import sys, minitorch\n"
        "assert 'numba.cuda' not in sys.modules\n"
        "from minitorch.cuda_ops import CudaBackend\n"
        "assert minitorch.CudaBackend is CudaBackend and minitorch.cuda.is_available() in (True, False)\n"
        "try:\n    minitorch.no_such_name\nexcept AttributeError as e:\n    print(e)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "no attribute 'no_such_name'" in out.stdout
