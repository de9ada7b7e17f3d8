"""Kernel fusion in replays: fused chains of elementwise kernels give the eager results bit
for bit, and launches whose order matters across positions are never fused together."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import Tensor, fast_ops, operators
from minitorch.replay import compiler, fusion
from minitorch.replay.compiler import CompiledFunction
from minitorch.replay.tape import Launch

UNARY: dict[str, Callable[[Tensor], Tensor]] = {
    "exp": lambda t: (t * 0.1).exp(),
    "relu": lambda t: t.relu(),
    "sigmoid": lambda t: t.sigmoid(),
    "neg": lambda t: -t,
    "log": lambda t: (t * t + 1.0).log(),
}
BINARY: dict[str, Callable[[Tensor, Tensor, Tensor], Tensor]] = {
    "add other": lambda t, other, row: t + other,
    "times row": lambda t, other, row: t * row,
    "minus row": lambda t, other, row: row - t,
    "max other": lambda t, other, row: minitorch.maximum(t, other),
    "lt other": lambda t, other, row: (t < other) * t,
}


def replayed_launches(compiled: CompiledFunction) -> list[Launch]:
    (entry,) = compiled.entries.values()
    assert entry.tape is not None
    return entry.tape.launches


@given(
    st.integers(1, 7), st.integers(1, 9),
    st.lists(st.sampled_from(sorted(UNARY) + sorted(BINARY)), min_size=2, max_size=6),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=25, deadline=None)
def test_fused_chains_equal_eager(rows: int, cols: int, ops: list[str], seed: int) -> None:
    """Random chains of maps and zips (full operands, scalar constants, broadcast rows)
    replayed fused give exactly the eager values."""
    rng = np.random.default_rng(seed)

    def chain(x: Tensor, other: Tensor, row: Tensor) -> Tensor:
        t = x
        for name in ops:
            t = UNARY[name](t) if name in UNARY else BINARY[name](t, other, row)
        return t

    compiled = minitorch.compile(chain, fullgraph=True, fuse=True)
    for _ in range(4):
        args = [minitorch.tensor(rng.normal(size=s)) for s in ((rows, cols), (rows, cols), (cols,))]
        expected = chain(*args).to_numpy()
        got = compiled(*args).to_numpy()
        np.testing.assert_array_equal(got, expected)
    assert compiled.stats["replayed"] == 2
    names = [getattr(fn, "__name__", "") for fn, _ in replayed_launches(compiled)]
    assert "fused" in names


def adam_run(fuse: bool) -> tuple[list[float], np.ndarray, np.ndarray]:
    """20 compiled Adam steps of a small network; the losses and the final weights."""
    rng = np.random.default_rng(1)
    w = minitorch.Parameter(minitorch.tensor(rng.normal(size=(4, 5))))
    b = minitorch.Parameter(minitorch.tensor(rng.normal(size=(5,))))
    opt = minitorch.optim.Adam([w, b], lr=0.01)

    def step(x: Tensor) -> float:
        opt.zero_grad()
        loss = ((x @ w.value + b.value).relu().sigmoid() * 2.0 - 1.0).exp().sum()
        loss.backward()
        opt.step()
        return loss.item()

    compiled = minitorch.compile(step, fuse=fuse)
    losses = [compiled(minitorch.tensor(rng.normal(size=(3, 4)))) for _ in range(20)]
    fused = [fn for fn, _ in replayed_launches(compiled) if getattr(fn, "__name__", "") == "fused"]
    assert bool(fused) == fuse
    return losses, w.value.to_numpy(), b.value.to_numpy()


def test_training_steps_fused_and_unfused_agree() -> None:
    """The same training step compiled with and without fusion: identical parameters."""
    (l1, w1, b1), (l2, w2, b2) = adam_run(True), adam_run(False)
    assert l1 == l2
    np.testing.assert_array_equal(w1, w2)
    np.testing.assert_array_equal(b1, b2)


def test_fusion_waits_until_it_pays_and_kernels_are_cached_on_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """By default a replay compiles the fused kernels it lacks only after FUSE_AFTER
    replays; they are kept on disk, and a fresh process fuses with them at once."""
    monkeypatch.setattr(compiler, "FUSE_AFTER", 3)
    monkeypatch.setattr(fusion, "CACHE", tmp_path)
    monkeypatch.setattr(fusion, "_compiled", {})

    def step(x: Tensor) -> Tensor:
        return ((x * 3.0).exp() * x).relu() * 2.0 + 1.5

    def fused_count(c: CompiledFunction) -> int:
        return sum(getattr(fn, "__name__", "") == "fused" for fn, _ in replayed_launches(c))

    x = minitorch.tensor(np.random.default_rng(0).normal(size=(3, 7)))
    compiled = minitorch.compile(step)
    counts = []
    for _ in range(6):
        np.testing.assert_array_equal(compiled(x).to_numpy(), step(x).to_numpy())
        counts.append(fused_count(compiled) if compiled.stats["replayed"] else None)
    assert counts == [None, None, 0, 0, 1, 1]  # records twice, replays; fused at the 3rd replay
    assert len(list(tmp_path.glob("fused_*.py"))) == 1

    script = f"""
import numpy as np, minitorch
from pathlib import Path
from minitorch.replay import fusion
fusion.CACHE = Path({str(tmp_path)!r})
step = lambda x: ((x * 3.0).exp() * x).relu() * 2.0 + 1.5
compiled = minitorch.compile(step)
x = minitorch.tensor(np.random.default_rng(0).normal(size=(3, 7)))
for _ in range(3):
    assert (compiled(x).to_numpy() == step(x).to_numpy()).all()
(entry,) = compiled.entries.values()
print(sum(getattr(fn, "__name__", "") == "fused" for fn, _ in entry.tape.launches))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1"]  # a new process fuses at its first replay


# -- the rules, on launches written by hand ------------------------------------------------


def zip_kernel(fn: Callable[[float, float], float]) -> fast_ops.MapKernel:
    kernel = fast_ops.serial_kernel(fast_ops._zip_loop(fast_ops.inline(fn)))
    fusion.register(kernel, fn, 2)
    return kernel


ADD = zip_kernel(operators.add)
MUL = zip_kernel(operators.mul)


def layout(a: np.ndarray, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    strides, size = [], 1
    for s in reversed(shape):
        strides.insert(0, size if s > 1 else 0)
        size *= s
    return a, np.array(shape, np.int64), np.array(strides, np.int64)


def run_both(launches: list[Launch], arrays: list[np.ndarray]) -> list[Launch]:
    """Run ``launches`` as recorded and fused on copies of ``arrays``; they must agree."""
    before = [a.copy() for a in arrays]
    for fn, args in launches:
        fn(*args)
    eager = [a.copy() for a in arrays]
    for a, b in zip(arrays, before):
        a[...] = b
    fused = fusion.fuse(launches)
    for fn, args in fused:
        fn(*args)
    for a, b in zip(arrays, eager):
        np.testing.assert_array_equal(a, b)
    return fused


def test_a_broadcast_read_of_a_buffer_written_later_is_not_fused() -> None:
    """``y = x[0] + z`` then ``x = z * z``: fused position by position, the later positions
    of y would see the new x[0]; the two launches stay apart."""
    x, y, z = np.arange(1.0, 5.0), np.zeros(4), np.full(4, 3.0)
    first = (ADD, (*layout(y, (4,)), *layout(x[:1], (1,)), *layout(z, (4,))))
    second = (MUL, (*layout(x, (4,)), *layout(z, (4,)), *layout(z, (4,))))
    fused = run_both([first, second], [x, y, z])
    assert len(fused) == 2
    np.testing.assert_array_equal(y, np.full(4, 4.0))


def test_runs_break_at_other_sizes_and_layouts() -> None:
    """Launches over different numbers of positions, or with a transposed operand, are not
    fused with their neighbours; the ones that can be are."""
    a, b, c, d = (np.arange(6.0) + k for k in range(4))
    small = np.zeros(3)
    chain = [
        (ADD, (*layout(b, (2, 3)), *layout(a, (2, 3)), *layout(a, (2, 3)))),
        (MUL, (*layout(c, (2, 3)), *layout(b, (2, 3)), *layout(a, (2, 3)))),
        (ADD, (*layout(small, (3,)), *layout(a[:3].copy(), (3,)), *layout(a[:3].copy(), (3,)))),
        (ADD, (*layout(d, (2, 3)), *layout(c, (2, 3)), c, np.array([2, 3]), np.array([1, 2]))),
    ]
    fused = run_both(chain, [a, b, c, d, small])
    assert [getattr(fn, "__name__", "") for fn, _ in fused][0] == "fused"
    assert len(fused) == 3
