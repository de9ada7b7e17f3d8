# %% [markdown]
# # Backends and numba
#
# A tensor's arithmetic happens in its **backend**: four kinds of loop (map, zip, reduce and
# matrix multiply) that every operation is built from. `SimpleBackend` writes them as plain
# Python loops over indices, exactly as the course does first; `FastBackend` (the default)
# compiles the same loops with numba into machine code that runs over several cores. Same
# results, very different speed: this page measures by how much, and looks inside a kernel.

# %%
import time

import numpy as np
from numba import njit

import minitorch
from minitorch import FastBackend, SimpleBackend, fast_ops, operators
from minitorch.viz.figure import single

rng = np.random.default_rng(0)
a = rng.standard_normal((20, 30))
b = rng.standard_normal((30, 10))
for backend in (SimpleBackend, FastBackend):
    x, y = minitorch.tensor(a, backend=backend), minitorch.tensor(b, backend=backend)
    name = "simple" if backend is SimpleBackend else "fast  "
    print(name, "(x @ y).relu().sum() =", f"{(x @ y).relu().sum().item():.12f}")

# %% [markdown]
# **How much faster?** Time a matrix product of $n \times n$ matrices ($2n^3$ operations) on
# both, best of a few runs. The pure-Python loops pay about a microsecond for every
# multiply-add; numba's compiled loop (and numpy's BLAS for dense operands) pays nanoseconds.


# %%
def best_time(f, repeat: int = 3) -> float:
    f()  # warm up: compile on first use
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


sizes = [4, 8, 16, 32]
timings: dict[str, list[float]] = {"simple": [], "fast": []}
for n in sizes:
    m = rng.standard_normal((n, n))
    for name, backend in (("simple", SimpleBackend), ("fast", FastBackend)):
        t = minitorch.tensor(m, backend=backend)
        timings[name].append(best_time(lambda t=t: t @ t))
for n, slow, fast in zip(sizes, timings["simple"], timings["fast"]):
    print(f"n = {n:3d}: simple {slow * 1e3:8.3f} ms   fast {fast * 1e3:7.3f} ms   "
          f"ratio {slow / fast:6.0f}x")


# %%
def draw(ax) -> None:
    for name, values in timings.items():
        ax.loglog(sizes, values, "o-", label=f"{name} backend")
    ax.loglog(sizes, [timings["simple"][0] * (n / sizes[0]) ** 3 for n in sizes], ":",
              color="gray", label=r"$\propto n^3$")
    ax.set_xlabel("n (n x n matrix product)")
    ax.set_ylabel("seconds")
    ax.legend()


single(draw, width=1.4)

# %% [markdown]
# The simple backend follows the $n^3$ line: every multiply-add is a Python step. The fast
# one hardly grows at these sizes: its time is the fixed cost of calling a kernel (a few
# microseconds), not arithmetic.
#
# **Inside a kernel.** `fast_ops.tensor_map(fn)` turns a float function into a numba kernel
# over whole tensors: `prange` splits the output positions among threads, and each position
# finds its input through the index arithmetic of the [tensors page](tensors.md)
# (`to_index`, `broadcast_index`, `index_to_position`, inlined). numba reports which loops it
# parallelised (the course's `parallel_check`):

# %%
negate = fast_ops.tensor_map(njit()(operators.neg))
out, x = minitorch.zeros((8,)), minitorch.tensor([1.0, -2.0, 3.0, 0.5, 0.0, 7.0, -1.0, 2.0])
negate(*out.tuple(), *x.tuple())
print(out)
negate.parallel_diagnostics(level=1)

# %% [markdown]
# **Backends never mix.** A tensor keeps its backend, and an operation between two backends
# is an error rather than a silent copy; move a tensor with `.to(backend)`.

# %%
s = minitorch.tensor([1.0, 2.0], backend=SimpleBackend)
f = minitorch.tensor([1.0, 2.0], backend=FastBackend)
try:
    s + f
except Exception as err:  # noqa: BLE001 - the error is the lesson
    print(type(err).__name__, ":", err)
print(s.to(FastBackend) + f)
