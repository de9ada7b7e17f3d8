"""B2 (the course's fast-tensor epoch: 2 -> 100 -> 100 -> 1, batches of 10) and B3 (an
MNIST-size step: 784 -> 128 -> 10, batch 256) on FastOps against PyTorch CPU, float64."""

from __future__ import annotations

from .harness import Row, agreement, time_pair, workload_main
from .models import b2_minitorch, b2_torch, b3_minitorch, b3_torch


def run(repeat: int = 5) -> list[Row]:
    rows = []
    ours, theirs = b2_minitorch(100), b2_torch(100)
    t_ours, t_theirs = time_pair(ours, theirs, repeat * 4)
    # both trained the same number of epochs from the same weights: compare the next loss
    rows.append(Row("B2", "FastOps epoch (5 steps)", "PyTorch CPU", t_ours, t_theirs, "<= 2.0", 2.0,
                    check=agreement("loss", ours(), theirs())))
    ours, theirs = b3_minitorch(256), b3_torch(256)
    t_ours, t_theirs = time_pair(ours, theirs, repeat * 2)
    rows.append(Row("B3", "FastOps step, batch 256", "PyTorch CPU", t_ours, t_theirs, "<= 1.3", 1.3,
                    check=agreement("loss", ours(), theirs())))
    return rows


if __name__ == "__main__":
    workload_main(run, __doc__)
