"""Timing and reporting helpers shared by the benchmark workloads."""

from __future__ import annotations

import gc
import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Optional


@dataclass
class Timing:
    """Seconds per step: every repeat, and their min and median."""

    samples: list[float]

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


class GcClock:
    """Seconds spent in the cyclic garbage collector while active (``gc.callbacks``), so a
    report can show them apart from the work itself."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._start = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: Any) -> None:
        gc.callbacks.remove(self._callback)


def gc_share(step: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median seconds per step and mean seconds of garbage collection per step."""
    gc.collect()
    with GcClock() as clock:
        timing = time_steps(step, repeat, warmup=0)
    return timing.median, clock.seconds / repeat


def time_steps(step: Callable[[], Any], repeat: int, warmup: int = 1) -> Timing:
    """Run ``step`` ``warmup`` times untimed, then ``repeat`` times timed.

    The cyclic garbage collector stays on (as users run), after one
    ``gc.collect()`` so that earlier work does not bill this one.
    """
    for _ in range(warmup):
        step()
    gc.collect()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        samples.append(time.perf_counter() - start)
    return Timing(samples)


ROUNDS = 2
"""``time_pair`` times each engine in this many blocks, alternating."""

SETTLE = 2
"""Untimed runs at the start of each block, after a pause of ``PAUSE_S``."""

PAUSE_S = 0.1


def time_pair(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int, warmup: int = 1
) -> tuple[Timing, Timing]:
    """Time two steps in alternating blocks (ours x k, theirs x k, ...; ``ROUNDS`` rounds,
    ``repeat`` runs of each in all), so that load on a shared machine falls on both alike
    while neither runs between the other's steps.  Each block starts after a pause and a
    few untimed runs: the idle threads of the other library's pool (OpenMP threads spin
    after a parallel region, and so do BLAS threads) would otherwise take the cores.  Run
    step by step, the two made each other 1.6x (minitorch) and 2.5x (PyTorch) slower on B4.
    Both engines run equally often, so results computed afterwards still compare."""
    for _ in range(warmup):
        ours()
        theirs()
    gc.collect()
    a: list[float] = []
    b: list[float] = []
    block = max(1, -(-repeat // ROUNDS))
    while len(a) < repeat:
        for fn, samples in ((ours, a), (theirs, b)):
            time.sleep(PAUSE_S)
            for _ in range(SETTLE):
                fn()
            for _ in range(min(block, repeat - len(samples))):
                start = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - start)
    return Timing(a), Timing(b)


MODES = {False: "eager", True: "compiled"}
"""How minitorch ran a workload: operation by operation, or replayed by ``minitorch.compile``."""


@dataclass
class Row:
    """One line of the report: minitorch's engine against a peer on one workload."""

    workload: str
    engine: str
    peer: str
    ours: Timing
    theirs: Timing
    goal: str
    goal_ratio: float
    lower_is_better: bool = True
    check: str = ""
    unit: str = "ms"
    notes: str = ""
    absolute_goal_s: Optional[float] = None

    @property
    def ratio(self) -> float:
        """Time ratio minitorch / peer, or (throughput goals) speed ratio peer time / ours."""
        if self.lower_is_better:
            return self.ours.median / self.theirs.median
        return self.theirs.median / self.ours.median

    @property
    def spread(self) -> tuple[float, float]:
        """The middle half (25th to 75th percentile) of the ratios of the runs, paired in
        order (``time_pair`` alternates blocks of the two engines, so run i of each ran at
        about the same time)."""
        pairs = [o / t if self.lower_is_better else t / o
                 for o, t in zip(self.ours.samples, self.theirs.samples)]
        if len(pairs) < 2:
            return self.ratio, self.ratio
        q = statistics.quantiles(pairs, n=4)
        return q[0], q[2]

    @property
    def met(self) -> bool:
        if self.absolute_goal_s is not None:
            return self.ours.median <= self.absolute_goal_s
        return (
            self.ratio <= self.goal_ratio if self.lower_is_better else self.ratio >= self.goal_ratio
        )

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(ratio=self.ratio, met=self.met, spread=list(self.spread))
        d["ours"] = {"min": self.ours.min, "median": self.ours.median, "samples": self.ours.samples}
        d["theirs"] = {
            "min": self.theirs.min,
            "median": self.theirs.median,
            "samples": self.theirs.samples,
        }
        return d


@dataclass
class Report:
    """Rows of one benchmark run with the machine they ran on."""

    rows: list[Row] = field(default_factory=list)
    pending: list[tuple[str, str]] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))

    def machine(self) -> str:
        import os

        return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"

    def markdown(self) -> str:
        lines = [
            f"Benchmarks of {self.started} on {self.machine()} (ratio = minitorch / peer, medians).",
            "",
            "| id | minitorch | peer | minitorch median (min) | peer median (min) | ratio | ratio "
            "spread (IQR) | goal | met | check |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in self.rows:
            lines.append(
                f"| {r.workload} | {r.engine} | {r.peer} | {_fmt(r.ours.median)} ({_fmt(r.ours.min)}) "
                f"| {_fmt(r.theirs.median)} ({_fmt(r.theirs.min)}) | {r.ratio:.3f} "
                f"| {r.spread[0]:.2f}-{r.spread[1]:.2f} | {r.goal} "
                f"| {'yes' if r.met else 'no'} | {r.check} |"
            )
        for workload, why in self.pending:
            lines.append(f"| {workload} | - | - | - | - | - | - | - | - | {why} |")
        notes = [f"- {r.workload} {r.engine}: {r.notes}" for r in self.rows if r.notes]
        if notes:
            lines += ["", "Notes:", "", *notes]
        return "\n".join(lines) + "\n"

    def write(self, out_dir: Path) -> tuple[Path, Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        md, js = out_dir / "latest.md", out_dir / "latest.json"
        md.write_text(self.markdown())
        payload = {
            "started": self.started,
            "machine": self.machine(),
            "rows": [r.as_dict() for r in self.rows],
            "pending": [{"workload": w, "why": why} for w, why in self.pending],
        }
        js.write_text(json.dumps(payload, indent=2))
        return md, js


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def relative_difference(a: float, b: float) -> float:
    """``|a - b| / max(|a|, |b|)`` (0 when both are 0)."""
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def agreement(name: str, ours: float, theirs: float, tol: float = 1e-9) -> str:
    """A check cell: the relative difference of two results and whether it is within ``tol``."""
    diff = relative_difference(ours, theirs)
    verdict = "ok" if diff <= tol else "MISMATCH"
    return f"{name} agrees to {diff:.1e} ({verdict})"


def load_rows(payload: dict[str, Any]) -> list[Row]:
    """Rebuild rows from a workload process's JSON output."""
    rows = []
    for d in payload["rows"]:
        rows.append(
            Row(
                workload=d["workload"],
                engine=d["engine"],
                peer=d["peer"],
                ours=Timing(d["ours"]["samples"]),
                theirs=Timing(d["theirs"]["samples"]),
                goal=d["goal"],
                goal_ratio=d["goal_ratio"],
                lower_is_better=d["lower_is_better"],
                check=d["check"],
                unit=d["unit"],
                notes=d["notes"],
                absolute_goal_s=d.get("absolute_goal_s"),
            )
        )
    return rows


def optional_import(name: str) -> Optional[Any]:
    """Import a peer library if it is installed."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def workload_main(run: Callable[[int], list[Row]], doc: Optional[str] = None) -> None:
    """Command line of a workload module: ``--repeat N``; prints its rows as JSON."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    json.dump({"rows": [r.as_dict() for r in run(args.repeat)]}, sys.stdout)
