# %% [markdown]
# # GPU kernels, on numba's simulator
#
# A GPU runs one small function, a **kernel**, on thousands of **threads** at once. Threads
# come in **blocks** (here of 32); the threads of a block share a fast scratch memory and can
# wait for each other (`cuda.syncthreads()`). Each thread works out from its block and
# thread number which element is its own.
#
# This page runs real `numba.cuda` kernels on numba's CUDA **simulator**, which executes them
# on the CPU thread by thread: slow, but every line behaves as on a GPU, so the lesson needs no
# GPU. (With one, run the page with `NUMBA_ENABLE_CUDASIM=0`.) The simulator must be chosen
# before numba is first imported, so this page runs in a fresh Python.

# %%
import os
import sys

if "numba" in sys.modules and os.environ.get("NUMBA_ENABLE_CUDASIM") != "1":
    raise RuntimeError("numba was imported without the simulator: run this page on its own")
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import numba  # noqa: E402
import numpy as np  # noqa: E402
from numba import cuda  # noqa: E402

import minitorch  # noqa: E402
from minitorch import cuda_ops  # noqa: E402

print("simulator:", os.environ["NUMBA_ENABLE_CUDASIM"] == "1")

# %% [markdown]
# **One thread per element.** Thread $t$ of block $b$ handles element
# $i = b \cdot \text{blockDim} + t$; the last block may stick out past the end, so every
# thread checks $i < n$ first. The launch `kernel[blocks, threads](...)` chooses the grid.

# %%
THREADS = 32


@cuda.jit
def add(out, a, b):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < out.size:
        out[i] = a[i] + b[i]


n = 50
a, b = np.arange(n, dtype=np.float64), np.full(n, 0.5)
out = np.zeros(n)
blocks = (n + THREADS - 1) // THREADS  # 2 blocks of 32 threads for 50 elements
add[blocks, THREADS](out, a, b)
print(blocks, "blocks;", out[:5], "...", out[-2:])

# %% [markdown]
# **Sharing within a block: a reduction.** To sum 32 numbers, each thread loads one into the
# block's shared memory; then in $\log_2 32 = 5$ rounds the first half of the threads add the
# second half's values to their own, waiting for each other between rounds. The course's
# `sum_practice` kernel does this per block of 32:

# %%
x = minitorch.tensor(np.arange(1.0, 41.0))  # 1 .. 40: blocks of 32 and 8
sums = cuda_ops.sum_practice(x)
print("per-block sums:", sums._storage, " expected:", np.arange(1, 33).sum(),
      np.arange(33, 41).sum())

# %% [markdown]
# The kernel, as `minitorch.cuda_ops` writes it (each `cuda.shared.array` on its own line):
#
# ```python
# cache = cuda.shared.array(THREADS_PER_BLOCK, numba.float64)
# i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
# pos = cuda.threadIdx.x
# cache[pos] = a[i] if i < size else 0.0
# cuda.syncthreads()
# stride = THREADS_PER_BLOCK // 2
# while stride > 0:
#     if pos < stride:
#         cache[pos] += cache[pos + stride]
#     cuda.syncthreads()
#     stride //= 2
# if pos == 0:
#     out[cuda.blockIdx.x] = cache[0]
# ```
#
# **A matrix product in shared memory.** A block of 32 x 32 threads: thread $(i, j)$ loads
# one element of each matrix into shared memory, the block waits, then each thread computes
# its own $\sum_k a_{ik} b_{kj}$ from the fast copies. Every value is read from the slow
# global memory once instead of $n$ times.

# %%
rng = np.random.default_rng(0)
m1, m2 = rng.standard_normal((6, 6)), rng.standard_normal((6, 6))
product = cuda_ops.mm_practice(minitorch.tensor(m1), minitorch.tensor(m2))
print("largest difference from numpy:", np.abs(product._storage.reshape(6, 6) - m1 @ m2).max())

# %% [markdown]
# **The whole backend.** `CudaBackend` runs every tensor operation with kernels like these
# (one thread per output element for map / zip, a block per output for reductions, tiled
# matrix products), and keeps results on the device until Python reads them. Gradients come
# out the same as on the CPU:

# %%
w_np = rng.standard_normal((4, 3))
results = []
for backend in (minitorch.FastBackend, cuda_ops.CudaBackend):
    w = minitorch.tensor(w_np, backend=backend, requires_grad=True)
    inputs = minitorch.tensor(np.ones((2, 4)), backend=backend)
    (inputs @ w).sigmoid().sum().backward()
    results.append(w.grad.to_numpy())
print("CPU and GPU gradients agree:", np.allclose(results[0], results[1], rtol=1e-12))
print("threads per block:", cuda_ops.THREADS_PER_BLOCK, " numba", numba.__version__)
