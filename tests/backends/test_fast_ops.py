"""What is particular to FastOps (numba CPU): batched and strided matmul against numpy, maps
into larger outputs, the on-disk kernel cache, rows walked across tasks.  The op families
against the SimpleOps oracle are in tests/backends/test_backends.py, for every backend."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import FastBackend, SimpleBackend, fast_ops
from minitorch.fast_ops import tensor_matrix_multiply

from ..tensor_strategies import cases, matmul_shapes
from ..torch_oracle import same


@given(shapes=matmul_shapes(), data=st.data())
@settings(max_examples=30)
def test_matmul_against_numpy_and_simple(shapes: Any, data: st.DataObject) -> None:
    a, b = data.draw(cases(shapes[0])), data.draw(cases(shapes[1]))
    fa, fb = a.on(FastBackend), b.on(FastBackend)
    out = fa.view @ fb.view
    np.testing.assert_allclose(out.to_numpy(), a.values() @ b.values(), rtol=1e-12, atol=1e-12)
    out.sum().backward()
    (a.view @ b.view).sum().backward()
    same(fa.leaf.grad, a.leaf.grad)
    same(fb.leaf.grad, b.leaf.grad)


@pytest.mark.parametrize(
    "shape_a,shape_b",
    [((2, 3), (3, 4)), ((4, 2, 3), (1, 3, 2)), ((2, 1, 3, 2), (4, 2, 3)), ((3, 2, 2, 3), (3, 2, 3, 1))],
)
def test_strided_matmul_kernel(shape_a: tuple[int, ...], shape_b: tuple[int, ...]) -> None:
    """The numba kernel itself (the path for non-contiguous operands), 2-4 dims, vs numpy."""
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal(shape_a)
    b_np = rng.standard_normal(shape_b)
    # store b transposed in memory so the kernel walks non-unit strides
    b_t = minitorch.tensor(np.swapaxes(b_np, -1, -2), backend=FastBackend)
    b = b_t.T
    a = minitorch.tensor(a_np, backend=FastBackend)
    assert not b.is_contiguous()
    expected = a_np @ b_np
    out = minitorch.zeros(expected.shape, backend=FastBackend)
    tensor_matrix_multiply(*out.tuple(), *a.tuple(), *b.tuple())
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose((a @ b).to_numpy(), expected, rtol=1e-12, atol=1e-12)


def test_map_into_larger_output() -> None:
    a = minitorch.tensor([[1.0, 2.0, 3.0]], backend=FastBackend)
    out = minitorch.zeros((2, 3), backend=FastBackend)
    FastBackend.id_map(a, out)
    np.testing.assert_array_equal(out.to_numpy(), [[1, 2, 3], [1, 2, 3]])


def test_second_derivative_on_fast_backend() -> None:
    x = minitorch.tensor([0.5, -1.0, 2.0], backend=FastBackend, requires_grad=True)
    (x.sigmoid() * x).sum().backward(create_graph=True)
    g = x.grad
    x.zero_grad_()
    g.sum().backward()
    xs = minitorch.tensor([0.5, -1.0, 2.0], backend=SimpleBackend, requires_grad=True)
    (xs.sigmoid() * xs).sum().backward(create_graph=True)
    gs = xs.grad
    xs.zero_grad_()
    gs.sum().backward()
    same(x.grad, xs.grad)


CACHE_PROBE = """
import numpy as np, minitorch
from minitorch import fast_ops, operators
mul = fast_ops.inline(operators.mul)
parallel = fast_ops.tensor_zip(mul)
serial = fast_ops.serial_kernel(fast_ops._zip_loop(mul))
a = minitorch.tensor(np.ones((3, 4)), backend=minitorch.FastBackend)
for kernel in (parallel, serial):
    kernel(*a.zeros((3, 4)).tuple(), *a.tuple(), *a.tuple())
print(sum(parallel.stats.cache_hits.values()) + sum(serial.stats.cache_hits.values()),
      sum(parallel.stats.cache_misses.values()) + sum(serial.stats.cache_misses.values()))
"""


def test_compiled_kernels_are_reused_by_a_second_process() -> None:
    """Kernels are cached on disk: a fresh process loads both variants instead of compiling."""
    import subprocess
    import sys

    def run() -> tuple[int, int]:
        out = subprocess.run([sys.executable, "-c", CACHE_PROBE], capture_output=True, text=True, check=True)
        hits, misses = out.stdout.split()
        return int(hits), int(misses)

    run()  # compiles, or finds an earlier process's cache
    hits, misses = run()
    assert (hits, misses) == (2, 0)


POOL_PROBE = """
import os, numba, numpy as np, minitorch
from minitorch import fast_ops
seen = []
real = numba.get_num_threads
numba.get_num_threads = lambda: seen.append(os.environ.get("OMP_WAIT_POLICY")) or real()
x = minitorch.rand(fast_ops.PARALLEL_MIN_SIZE + 1)
assert ((x + x).to_numpy() == 2 * x.to_numpy()).all()
print(seen, os.environ.get("OMP_WAIT_POLICY"))
"""


@pytest.mark.parametrize("user_setting", [None, "ACTIVE"])
def test_thread_pool_starts_with_sleeping_idle_threads(user_setting: str | None) -> None:
    """numba's OpenMP pool starts under OMP_WAIT_POLICY=PASSIVE (spinning idle threads took
    the cores from BLAS), set only while it starts, and never over the user's own setting."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if user_setting:
        env["OMP_WAIT_POLICY"] = user_setting
    out = subprocess.run([sys.executable, "-c", POOL_PROBE], capture_output=True, text=True,
                         env=env, check=True)
    expected = (f"['{user_setting}'] {user_setting}" if user_setting else "['PASSIVE'] None")
    assert out.stdout.strip() == expected


@pytest.mark.parametrize("shape", [(3, 5, 7, 300), (4, 3, 150, 150)])
def test_row_walk_across_tasks_and_dimensions(
    shape: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Strided rows split into many tasks (each starting mid-tensor) and carried across
    several outer dimensions, serial and parallel (the second shape is over the
    parallel threshold, lowered for the test), give numpy's results."""
    monkeypatch.setattr(fast_ops, "PARALLEL_MIN_SIZE", 1 << 18)
    rng = np.random.default_rng(3)
    a_np = rng.standard_normal(shape)
    b_np = rng.standard_normal((shape[2], 1, shape[3]))
    a = minitorch.tensor(a_np, backend=FastBackend).permute(0, 2, 1, 3)
    b = minitorch.tensor(b_np, backend=FastBackend)
    a_view = a_np.transpose(0, 2, 1, 3)
    np.testing.assert_allclose((-a).to_numpy(), -a_view)
    np.testing.assert_allclose((a + b).to_numpy(), a_view + b_np)
    np.testing.assert_allclose(a.sum(1).to_numpy(), a_view.sum(1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(a.sum(3).to_numpy(), a_view.sum(3, keepdims=True), rtol=1e-12)
