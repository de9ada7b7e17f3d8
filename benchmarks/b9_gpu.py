"""B9: the GPU. B3's step (784-128-10, batch 256) and B5's 1024x1024 product on CudaBackend
against PyTorch CUDA, float64. Measured only where numba sees a real CUDA GPU (not the
simulator) and PyTorch was built with CUDA; elsewhere it reports no rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from .harness import Row, agreement, time_pair, workload_main


def gpu_present() -> bool:
    """A real CUDA GPU for both numba and PyTorch."""
    try:
        import numba
        import torch
        from numba import cuda
    except ImportError:
        return False
    return (not numba.config.ENABLE_CUDASIM and cuda.is_available()
            and torch.cuda.is_available())


def synchronized(fn: Any) -> Any:
    """``fn`` followed by waiting for the GPU (kernels run asynchronously)."""
    import torch
    from numba import cuda

    def run() -> Any:
        out = fn()
        torch.cuda.synchronize()
        cuda.synchronize()
        return out

    return run


def run(repeat: int = 5) -> list[Row]:
    if not gpu_present():
        return []
    import torch

    import minitorch
    from minitorch.cuda_ops import CudaBackend

    from .models import b3_minitorch, b3_torch

    ours, theirs = b3_minitorch(256, backend=CudaBackend), b3_torch(256, device="cuda")
    loss_ours, loss_theirs = ours(), theirs()
    t_ours, t_theirs = time_pair(synchronized(ours), synchronized(theirs), repeat)
    rows = [Row("B9", "B3 step on CudaBackend", "PyTorch CUDA", t_ours, t_theirs,
                "measured", float("inf"), check=agreement("loss", loss_ours, loss_theirs))]

    rng = np.random.default_rng(0)
    a_np, b_np = rng.standard_normal((1024, 1024)), rng.standard_normal((1024, 1024))
    a, b = (minitorch.tensor(v, backend=CudaBackend) for v in (a_np, b_np))
    a_t, b_t = (torch.tensor(v, device="cuda") for v in (a_np, b_np))
    t_ours, t_theirs = time_pair(synchronized(lambda: a @ b), synchronized(lambda: a_t @ b_t), repeat)
    diff = float(np.abs((a @ b).to_numpy() - a_np @ b_np).max())
    rows.append(Row("B9", "matmul 1024x1024 on CudaBackend", "PyTorch CUDA", t_ours, t_theirs,
                    "measured", float("inf"),
                    check=agreement("max |difference|", 1.0 + diff, 1.0, tol=1e-9)))
    return rows


if __name__ == "__main__":
    workload_main(run, __doc__)
