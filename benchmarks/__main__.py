"""Run the benchmark suite: ``python -m benchmarks [--only B1] [--repeat N]``.

Each workload runs in a fresh Python process (minitorch and its peer share that
process), and the results are written to ``benchmarks/results/latest.md`` and
``latest.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from minitorch.train.progress import ProgressBar

from .harness import Report, load_rows

WORKLOADS = {
    "B1": "benchmarks.b1_scalar_mlp",
    "B2": "benchmarks.b2_b3_mlp",
    "B4": "benchmarks.b4_lenet",
    "B5": "benchmarks.b5_matmul",
    "B6": "benchmarks.b6_regression",
    "B7": "benchmarks.b7_cold_start",
    "B8": "benchmarks.b8_sweep",
    "B9": "benchmarks.b9_gpu",
    "B10": "benchmarks.b10_elementwise",
}
ALIASES = {"B3": "B2"}  # B2 and B3 run in one process
PENDING = {
    "B9": "GPU: no CUDA GPU here (measured only where numba and PyTorch see one)",
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="*", default=None, help="workload ids, e.g. B1")
    parser.add_argument("--repeat", type=int, default=5, help="timed steps per engine")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()

    wanted = None if args.only is None else {ALIASES.get(w, w) for w in args.only}
    chosen = [w for w in WORKLOADS if wanted is None or w in wanted]
    unknown = set(args.only or []) - set(WORKLOADS) - set(PENDING) - set(ALIASES)
    if unknown:
        parser.error(
            f"unknown workload(s) {sorted(unknown)}; known: {sorted(WORKLOADS) + sorted(PENDING)}"
        )
    report = Report()
    bar = ProgressBar(len(chosen), label="benchmarks")
    for workload in chosen:
        bar.update(0, f"running {workload}")
        proc = subprocess.run(
            [sys.executable, "-m", WORKLOADS[workload], "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            bar.write(f"{workload} failed:\n{proc.stderr}", out=sys.stderr)
            return 1
        rows = load_rows(json.loads(proc.stdout))
        report.rows.extend(rows)
        for r in rows:
            bar.write(
                f"{r.workload} {r.engine}: {r.ratio:.3f} x {r.peer} (goal {r.goal}) - {r.check}"
            )
        bar.update(1)
    bar.close()
    measured = {r.workload for r in report.rows}
    report.pending = [(w, why) for w, why in PENDING.items()
                      if w in chosen and w not in measured]
    md, js = report.write(args.out)
    print()
    print(report.markdown())
    print(f"Written: {md} and {js}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
