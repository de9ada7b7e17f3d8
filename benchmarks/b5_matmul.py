"""B5: float64 matrix multiply on FastOps against numpy (BLAS): 1024x1024 @ 1024x1024 and a
batched 64 x (128x128 @ 128x128). The ratio is minitorch's GFLOP/s over numpy's."""

from __future__ import annotations

from functools import partial
from operator import matmul

import numpy as np

import minitorch
from minitorch import FastBackend

from .harness import Row, agreement, time_pair, workload_main


def run(repeat: int = 5) -> list[Row]:
    rng = np.random.default_rng(0)
    rows = []
    for label, shape_a, shape_b in [
        ("1024x1024 @ 1024x1024", (1024, 1024), (1024, 1024)),
        ("64 x (128x128 @ 128x128)", (64, 128, 128), (64, 128, 128)),
    ]:
        a_np, b_np = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
        a = minitorch.tensor(a_np, backend=FastBackend)
        b = minitorch.tensor(b_np, backend=FastBackend)
        flops = 2.0 * np.prod(shape_a) * shape_b[-1]
        ours, theirs = time_pair(partial(matmul, a, b), partial(np.matmul, a_np, b_np), repeat)
        diff = float(np.abs((a @ b).to_numpy() - a_np @ b_np).max())
        rows.append(Row(
            "B5", f"matmul {label}", "numpy (BLAS)", ours, theirs, ">= 0.8 of GFLOP/s", 0.8,
            lower_is_better=False, check=agreement("max |difference|", 1.0 + diff, 1.0, tol=1e-9),
            notes=f"minitorch {flops / ours.median / 1e9:.1f} GFLOP/s, numpy {flops / theirs.median / 1e9:.1f} GFLOP/s",
        ))
    return rows


if __name__ == "__main__":
    workload_main(run, __doc__)
