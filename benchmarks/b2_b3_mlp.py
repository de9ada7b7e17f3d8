"""B2 (the course's fast-tensor epoch: 2 -> 100 -> 100 -> 1, batches of 10) and B3 (an
MNIST-size step: 784 -> 128 -> 10, batch 256) on FastOps against PyTorch CPU, float64."""

from __future__ import annotations

from .harness import MODES, Row, agreement, time_pair, workload_main
from .models import b2_minitorch, b2_torch, b3_minitorch, b3_torch


def run(repeat: int = 5) -> list[Row]:
    rows = []
    for compiled, goal in ((False, 1.5), (True, 0.8)):
        ours, theirs = b2_minitorch(100, compiled=compiled), b2_torch(100)
        t_ours, t_theirs = time_pair(ours, theirs, repeat * 4)
        # both trained the same number of epochs from the same weights: compare the next loss
        rows.append(Row("B2", f"FastOps epoch (5 steps), {MODES[compiled]}", "PyTorch CPU",
                        t_ours, t_theirs, f"<= {goal}", goal,
                        check=agreement("loss", ours(), theirs())))
    for compiled, goal in ((False, 1.0), (True, 0.8)):
        ours, theirs = b3_minitorch(256, compiled=compiled), b3_torch(256)
        t_ours, t_theirs = time_pair(ours, theirs, repeat * 2, warmup=3)
        rows.append(Row("B3", f"FastOps step, batch 256, {MODES[compiled]}", "PyTorch CPU",
                        t_ours, t_theirs, f"<= {goal}", goal,
                        check=agreement("loss", ours(), theirs())))
    return rows


if __name__ == "__main__":
    workload_main(run, __doc__)
