"""B8: scaling sweep. B2's model with hidden sizes 32..1024 and B3 with batches 16..1024,
time per step on FastOps and PyTorch; writes a log-log plot when matplotlib is installed."""

from __future__ import annotations

from pathlib import Path

from .harness import Row, agreement, time_pair, workload_main
from .models import b2_minitorch, b2_torch, b3_minitorch, b3_torch

HIDDEN = [32, 64, 128, 256, 512, 1024]
BATCH = [16, 64, 256, 1024]
PLOT = Path(__file__).parent / "results" / "b8_sweep.png"


def run(repeat: int = 5) -> list[Row]:
    rows = []
    for h in HIDDEN:
        ours, theirs = b2_minitorch(h), b2_torch(h)
        t_o, t_t = time_pair(ours, theirs, repeat)
        rows.append(Row("B8", f"B2 hidden {h}", "PyTorch CPU", t_o, t_t, "<= 1.3", 1.3,
                        check=agreement("loss", ours(), theirs())))
    for n in BATCH:
        ours, theirs = b3_minitorch(n), b3_torch(n)
        t_o, t_t = time_pair(ours, theirs, repeat)
        rows.append(Row("B8", f"B3 batch {n}", "PyTorch CPU", t_o, t_t, "<= 1.3", 1.3,
                        check=agreement("loss", ours(), theirs())))
    plot(rows)
    return rows


def plot(rows: list[Row]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, prefix, xs, xlabel in [
        (axes[0], "B2 hidden", HIDDEN, "hidden size (B2 model)"),
        (axes[1], "B3 batch", BATCH, "batch size (B3 model)"),
    ]:
        sel = [r for r in rows if r.engine.startswith(prefix)]
        ax.loglog(xs, [r.ours.median * 1000 for r in sel], "o-", label="minitorch FastOps")
        ax.loglog(xs, [r.theirs.median * 1000 for r in sel], "s-", label="PyTorch CPU")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("ms, median (B2: one epoch, B3: one step)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle("B8: time per training step, float64")
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(PLOT, dpi=100)


if __name__ == "__main__":
    workload_main(run, __doc__)
