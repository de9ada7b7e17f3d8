"""What is particular to CudaOps, on numba's CUDA simulator (sizes <= 32 per side): reductions
longer than a block, tiled matmul, sum_practice, mm_practice, to_cuda_.  The op families
against the SimpleOps oracle are in tests/backends/test_backends.py, for every backend."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

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
    """``import minitorch`` does not load numba's CUDA support (a tenth of a second at every
    start); ``minitorch.CudaBackend`` and ``minitorch.cuda`` load it when asked for."""
    script = (
        "import sys, minitorch\n"
        "assert [m for m in sys.modules if m.startswith('numba.cuda')] == ['numba.cuda']\n"
        "from minitorch.cuda_ops import CudaBackend\n"
        "assert minitorch.CudaBackend is CudaBackend and minitorch.cuda.is_available() in (True, False)\n"
        "try:\n    minitorch.no_such_name\nexcept AttributeError as e:\n    print(e)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "no attribute 'no_such_name'" in out.stdout


COURSE_PATTERN = """
import numba

import minitorch

if numba.cuda.is_available():  # at import, as the course's module-3 test file does
    backends = ["fast", "cuda"]
print(type(numba.cuda).__name__, numba.cuda.is_available())
"""


@pytest.mark.parametrize("simulator", ["0", "1"])
def test_the_courses_import_pattern(simulator: str) -> None:
    """The course's test file imports numba and minitorch, then asks ``numba.cuda`` at
    import time: its package imports its CUDA module, so ``numba.cuda`` is there; ours is
    too (loaded at that first use), in a fresh interpreter, with and without the simulator."""
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": simulator}
    out = subprocess.run([sys.executable, "-c", COURSE_PATTERN], capture_output=True,
                         text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "module"  # loaded for real by the first use
    if simulator == "1":
        assert out.stdout.split()[1] == "True"


class CopyCount:
    """Counts the copies between host and device that Mirrors make."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from minitorch.backends.cuda_storage import Mirror

        self.downloads = self.uploads = 0
        on_host, on_device = Mirror.on_host, Mirror.on_device

        def counted_host(mirror: Mirror) -> Any:
            self.downloads += mirror.device_newer
            return on_host(mirror)

        def counted_device(mirror: Mirror) -> Any:
            self.uploads += mirror.host_dirty or mirror.exposed
            return on_device(mirror)

        monkeypatch.setattr(Mirror, "on_host", counted_host)
        monkeypatch.setattr(Mirror, "on_device", counted_device)


def cuda_pair(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, minitorch.Tensor, minitorch.Tensor]:
    rng = np.random.default_rng(5)
    x_np, y_np = rng.normal(size=shape), rng.normal(size=shape)
    return x_np, y_np, minitorch.tensor(x_np, backend=CudaBackend), minitorch.tensor(y_np, backend=CudaBackend)


def test_results_stay_on_the_device_until_python_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chain of kernels (forward and backward) copies nothing back until a value is read;
    the read copies once."""
    from minitorch.backends.cuda_storage import DeviceTensorData

    count = CopyCount(monkeypatch)
    x_np, y_np, x, y = cuda_pair((4, 6))
    x.requires_grad_()
    z = ((x * 0.5).exp() + y).relu().sum(1)
    assert isinstance(z._tensor, DeviceTensorData)
    z.sum().backward()
    assert count.downloads == 0 and count.uploads == 0
    expected = np.maximum(np.exp(0.5 * x_np) + y_np, 0)
    np.testing.assert_allclose(z.to_numpy(), expected.sum(1, keepdims=True), rtol=1e-12)
    assert count.downloads == 1
    np.testing.assert_allclose(
        x.grad.to_numpy(), 0.5 * np.exp(0.5 * x_np) * (expected > 0), rtol=1e-12
    )


def test_python_writes_reach_the_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes by Python into a device tensor (indexing, in-place methods, the raw storage
    the course's code uses) are copied to the device before the next kernel reads it,
    through any view."""
    count = CopyCount(monkeypatch)
    x_np, _, x, _ = cuda_pair((3, 4))
    t = x + 0.0
    t[0, 1] = 5.0
    np.testing.assert_allclose((t * 2.0).to_numpy()[0], 2 * np.array([x_np[0, 0], 5, *x_np[0, 2:]]))
    assert count.uploads == 1
    t.fill_(1.5)
    assert (t.permute(1, 0) * 2.0).to_numpy().tolist() == [[3.0] * 3] * 4
    raw = t._tensor._storage  # handed out: copied over before every kernel from now on
    raw[2] = -1.0
    assert (t + 0.0).to_numpy()[0, 2] == -1.0
    raw[3] = -2.0
    assert (t.view(12) + 0.0).to_numpy()[3] == -2.0


def test_views_share_the_device_copy() -> None:
    """A view of a device tensor reads the values its base got on the device, and host
    reads through a view see them too."""
    x_np, y_np, x, y = cuda_pair((2, 3, 4))
    t = x * y
    p = t.permute(2, 0, 1)
    np.testing.assert_allclose(p.to_numpy(), (x_np * y_np).transpose(2, 0, 1), rtol=1e-15)
    np.testing.assert_allclose((p + 1.0).to_numpy(), (x_np * y_np).transpose(2, 0, 1) + 1.0)
    v = t.view(6, 4)
    assert v[1, 2] == pytest.approx((x_np * y_np).reshape(6, 4)[1, 2])


def test_training_step_on_the_device_matches_the_cpu() -> None:
    """An SGD step of a small network on CudaBackend gives the CPU's parameters."""
    results = []
    for backend in (CudaBackend, minitorch.SimpleBackend):
        rng = np.random.default_rng(0)
        w = minitorch.Parameter(minitorch.tensor(rng.normal(size=(5, 3)), backend=backend))
        b = minitorch.Parameter(minitorch.tensor(rng.normal(size=(3,)), backend=backend))
        opt = minitorch.SGD([w, b], lr=0.1, momentum=0.9)
        x = minitorch.tensor(rng.normal(size=(4, 5)), backend=backend)
        for _ in range(3):
            opt.zero_grad()
            loss = ((x @ w.value + b.value).sigmoid() ** 2).mean()
            loss.backward()
            opt.step()
        results.append((w.value.to_numpy(), b.value.to_numpy(), loss.item()))
    (w1, b1, l1), (w2, b2, l2) = results
    np.testing.assert_allclose(w1, w2, rtol=1e-12)
    np.testing.assert_allclose(b1, b2, rtol=1e-12)
    assert l1 == pytest.approx(l2, rel=1e-12)


def test_compiled_steps_on_the_device_run_eagerly() -> None:
    """CUDA kernels are not replayable yet: minitorch.compile says so and runs eagerly,
    with the eager results."""
    w = minitorch.Parameter(minitorch.tensor(np.ones((3, 2)), backend=CudaBackend))
    opt = minitorch.SGD([w], lr=0.1)
    x = minitorch.tensor(np.ones((4, 3)), backend=CudaBackend)

    def step(x: minitorch.Tensor) -> float:
        opt.zero_grad()
        loss = (x @ w.value).sum()
        loss.backward()
        opt.step()
        return loss.item()

    compiled = minitorch.compile(step)
    with pytest.warns(minitorch.CompileWarning, match="outside the recorded kernels"):
        losses = [compiled(x) for _ in range(3)]
    assert losses == pytest.approx([24.0, 14.4, 4.8])
    assert compiled.stats["replayed"] == 0
