"""What the course's own programs need from the package: one parallel numba kernel per
fast_ops.tensor_map/zip/reduce with numba's parallel diagnostics (its parallel_check script),
module paths, 0-d gradients read with [0], Module.mode."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from numba import njit

import minitorch
from minitorch import fast_ops, operators

DIAGNOSTICS = textwrap.dedent(
    """
    from numba import njit
    import minitorch
    from minitorch import fast_ops, operators

    mapper = fast_ops.tensor_map(njit()(operators.neg))
    out, a = minitorch.zeros((8,)), minitorch.ones((8,))
    mapper(*out.tuple(), *a.tuple())
    mapper.parallel_diagnostics(level=3)
    mm = fast_ops.tensor_matrix_multiply
    c, x, y = minitorch.zeros((1, 4, 4)), minitorch.ones((1, 4, 5)), minitorch.ones((1, 5, 4))
    mm(*c.tuple(), *x.tuple(), *y.tuple())
    mm.parallel_diagnostics(level=3)
    print("values", out.to_numpy().tolist()[:2], c.to_numpy()[0, 0, 0])
    """
)


@pytest.mark.parametrize("make", [fast_ops.tensor_map, fast_ops.tensor_zip, fast_ops.tensor_reduce])
def test_fast_ops_kernels_are_single_parallel_kernels(make: object) -> None:
    """Each returns one kernel (not a pair) that runs the loops and reports its parallel loops."""
    fn = {fast_ops.tensor_map: operators.neg}.get(make, operators.add)  # type: ignore[call-overload]
    k = make(njit()(fn))  # type: ignore[operator]
    assert callable(k) and hasattr(k, "parallel_diagnostics") and not isinstance(k, tuple)


def test_parallel_diagnostics_in_a_fresh_process() -> None:
    """The course's parallel_check prints numba's diagnostics, also when the kernels were
    loaded from the on-disk cache (run twice: the second run loads them)."""
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", DIAGNOSTICS], capture_output=True, text=True,
                             check=True)
        assert run.stdout.count("Parallel loop listing for") == 2
        assert "values [-1.0, -1.0] 5.0" in run.stdout


def test_lr_scheduler_is_a_module_path() -> None:
    code = "import minitorch.optim.lr_scheduler as s; print(s.StepLR.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "StepLR"
    assert minitorch.optim.lr_scheduler is sys.modules["minitorch.optim.lr_scheduler"]


def test_zero_dimensional_gradients_read_with_index_zero() -> None:
    """The course's pages read gradients as x.grad[0]; with 0-d tensors that still works."""
    x = minitorch.tensor(2.0, requires_grad=True)
    (x * x * x).backward()
    assert x.grad.shape == () and x.grad[0] == 12.0 and x.grad.item() == 12.0


def test_trainers_switch_dropout_with_mode() -> None:
    """run_mnist_multiclass / run_sentiment pass ignore=(self.mode == "eval") to dropout."""
    class Net(minitorch.Module):
        def forward(self, x: minitorch.Tensor) -> minitorch.Tensor:
            return minitorch.dropout(x, 0.5, ignore=self.mode == "eval")

    net, x = Net(), minitorch.ones(1000)
    net.eval()
    assert net(x).sum().item() == 1000.0
    net.train()
    assert net(x).sum().item() != 1000.0
