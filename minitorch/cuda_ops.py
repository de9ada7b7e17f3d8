r"""CudaOps: the ``TensorOps`` contract as ``numba.cuda`` kernels.

Each output element gets its own GPU thread (map, zip); a reduction gives each
output cell one block whose threads stride through the reduced dimension and
then combine their partial results in shared memory (so dimensions of any
length work); matrix multiply loads 32x32 tiles of both operands into shared
memory.  Kernels' outputs stay on the device until Python reads them
(:mod:`minitorch.backends.cuda_storage`), so a chain of operations copies nothing between
them; tensors made on the host are copied over by each kernel that reads them.
The tests run it on the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

import numba
import numpy as np
from numba import cuda as _numba_cuda

from . import operators, tensor_data
from .backends import dtype_kernels
from .backends.cuda_storage import DeviceTensorData, device_empty, kernel_args
from .ops.dtypes import float64
from .tensor_data import (
    MAX_DIMS,
    Shape,
    Storage,
    Strides,
    TensorData,
    UserShape,
    check_matmul_shapes,
    shape_broadcast,
)
from .tensor_ops import MapProto, TensorBackend, TensorOps, typed_map, typed_reduce, typed_zip

if TYPE_CHECKING:
    from .tensor import Tensor

cuda: Any = _numba_cuda  # numba.cuda's kernel API (threadIdx, shared, ...) has no type stubs

THREADS_PER_BLOCK = 32
"""Threads per block for map, zip, reduce and the practice kernels (a power of two)."""
TILE = 32
"""Side of the square shared-memory tiles of matrix multiply."""


def device_jit(fn: Callable[..., Any]) -> Any:
    """Compile a function to be called from GPU kernels."""
    return cuda.jit(device=True)(fn)


def jit(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Compile a GPU kernel."""
    return cuda.jit(**kwargs)(fn)


to_index = device_jit(tensor_data.to_index)
index_to_position = device_jit(tensor_data.index_to_position)
broadcast_index = device_jit(tensor_data.broadcast_index)


def _blocks(n: int, per_block: int = THREADS_PER_BLOCK) -> int:
    return max(1, (n + per_block - 1) // per_block)


def _launch(
    kernel: Any, grid: Any, block: Any, out: Tensor, *inputs: Tensor, extra: Any = ()
) -> Tensor:
    """Run ``kernel[grid, block](out..., out.size, input..., *extra)`` on device storages
    (see :mod:`minitorch.backends.cuda_storage`) and note that ``out`` was written there."""
    args = [*kernel_args(out._tensor), out.size]
    for t in inputs:
        args.extend(kernel_args(t._tensor))
    kernel[grid, block](*args, *extra)
    written(out._tensor)
    return out


def written(td: TensorData) -> None:
    """After a kernel wrote ``td``: a device storage is now newer than its host copy; a host
    one (an ``out=`` given by the caller) gets the values copied back."""
    if isinstance(td, DeviceTensorData):
        td.written_on_device()


class CudaOps(TensorOps):
    """The numba.cuda backend; kernels' outputs stay on the device (see cuda_storage)."""

    cuda = True

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        kernel = tensor_map(device_jit(fn))

        def ret(a: Tensor, out: Optional[Tensor] = None) -> Tensor:
            if out is None:
                out = a._new(device_empty(a.shape))
            return _launch(kernel, _blocks(out.size), THREADS_PER_BLOCK, out, a)

        return typed_map(fn, ret)

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        kernel = tensor_zip(device_jit(fn))

        def ret(a: Tensor, b: Tensor) -> Tensor:
            out = a._new(device_empty(shape_broadcast(a.shape, b.shape)))
            return _launch(kernel, _blocks(out.size), THREADS_PER_BLOCK, out, a, b)

        return typed_zip(fn, ret)

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        kernel = tensor_reduce(device_jit(fn))

        def ret(a: Tensor, dim: int) -> Tensor:
            out_shape = list(a.shape)
            out_shape[dim] = 1
            out = a._new(device_empty(tuple(out_shape)))
            # one block per output cell; every cell is written (start when nothing is folded)
            return _launch(kernel, out.size, THREADS_PER_BLOCK, out, a, extra=(dim, start))

        return typed_reduce(fn, ret)

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        """Batched product with broadcast batch dimensions, on 32x32 shared-memory tiles."""
        if a._tensor.dtype is not float64 or b._tensor.dtype is not float64:
            return dtype_kernels.matmul(CudaOps.matrix_multiply, a, b)
        check_matmul_shapes(a.shape, b.shape)
        batch_shape = shape_broadcast(a.shape[:-2], b.shape[:-2])
        a3, b3 = _batched(a, batch_shape), _batched(b, batch_shape)
        n, p = a.shape[-2], b.shape[-1]
        batch = max(a3.shape[0], b3.shape[0])
        out = a._new(device_empty((batch, n, p)))
        grid = (_blocks(n, TILE), _blocks(p, TILE), batch)
        _launch(_matmul_kernel, grid, (TILE, TILE), out, a3, b3)
        return out.view(*(batch_shape + (n, p)))


def _batched(t: Tensor, batch_shape: UserShape) -> Tensor:
    """``t`` as a contiguous 3-d (batch, rows, cols) tensor; broadcast batch dims are copied out."""
    rows, cols = t.shape[-2:]
    if int(operators.prod(t.shape[:-2])) == 1:
        return t.reshape(1, rows, cols)
    full = t._new(device_empty(tuple(batch_shape) + (rows, cols)))
    t.f.id_map(t, full)
    return full.view(int(operators.prod(batch_shape)), rows, cols)


def tensor_map(fn: Callable[[float], float]) -> Any:
    """Kernel: thread ``i`` computes output position ``i``: ``out = fn(in[broadcast(i)])``."""

    def _map(
        out: Storage, out_shape: Shape, out_strides: Strides, out_size: int,
        in_storage: Storage, in_shape: Shape, in_strides: Strides,
    ) -> None:
        out_index = cuda.local.array(MAX_DIMS, numba.int32)
        in_index = cuda.local.array(MAX_DIMS, numba.int32)
        i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
        if i < out_size:
            to_index(i, out_shape, out_index)
            broadcast_index(out_index, out_shape, in_shape, in_index)
            o = index_to_position(out_index, out_strides)
            j = index_to_position(in_index, in_strides)
            out[o] = fn(in_storage[j])

    return jit(_map)


def tensor_zip(fn: Callable[[float, float], float]) -> Any:
    """Kernel: thread ``i`` computes ``out = fn(a[broadcast(i)], b[broadcast(i)])``."""

    def _zip(
        out: Storage, out_shape: Shape, out_strides: Strides, out_size: int,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        b_storage: Storage, b_shape: Shape, b_strides: Strides,
    ) -> None:
        out_index = cuda.local.array(MAX_DIMS, numba.int32)
        a_index = cuda.local.array(MAX_DIMS, numba.int32)
        b_index = cuda.local.array(MAX_DIMS, numba.int32)
        i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
        if i < out_size:
            to_index(i, out_shape, out_index)
            o = index_to_position(out_index, out_strides)
            broadcast_index(out_index, out_shape, a_shape, a_index)
            j = index_to_position(a_index, a_strides)
            broadcast_index(out_index, out_shape, b_shape, b_index)
            k = index_to_position(b_index, b_strides)
            out[o] = fn(a_storage[j], b_storage[k])

    return jit(_zip)


def tensor_reduce(fn: Callable[[float, float], float]) -> Any:
    """Kernel: block ``b`` reduces output cell ``b``.

    Thread ``t`` folds elements ``t, t + T, t + 2T, ...`` of the reduced dimension
    (``T`` threads per block, so any length works), then the block combines the
    ``T`` partial results in shared memory, halving the active threads each step.
    """

    def _reduce(
        out: Storage, out_shape: Shape, out_strides: Strides, out_size: int,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        reduce_dim: int, reduce_value: float,
    ) -> None:
        cache = cuda.shared.array(THREADS_PER_BLOCK, numba.float64)
        out_index = cuda.local.array(MAX_DIMS, numba.int32)
        cell = cuda.blockIdx.x
        pos = cuda.threadIdx.x
        if cell < out_size:  # the same for the whole block, so syncthreads is safe
            to_index(cell, out_shape, out_index)
            o = index_to_position(out_index, out_strides)
            base = index_to_position(out_index, a_strides)
            step = a_strides[reduce_dim]
            acc = reduce_value
            k = pos
            while k < a_shape[reduce_dim]:
                acc = fn(acc, a_storage[base + k * step])
                k += THREADS_PER_BLOCK
            cache[pos] = acc
            cuda.syncthreads()
            stride = THREADS_PER_BLOCK // 2
            while stride > 0:
                if pos < stride:
                    cache[pos] = fn(cache[pos], cache[pos + stride])
                cuda.syncthreads()
                stride //= 2
            if pos == 0:
                out[o] = cache[0]

    return jit(_reduce)


def _tensor_matrix_multiply(
    out: Storage, out_shape: Shape, out_strides: Strides, out_size: int,
    a_storage: Storage, a_shape: Shape, a_strides: Strides,
    b_storage: Storage, b_shape: Shape, b_strides: Strides,
) -> None:
    r"""Tiled :math:`out[z, i, j] = \sum_k a[z, i, k] b[z, k, j]` on 3-d operands.

    Thread (x, y) of block (bx, by, z) owns output cell (bx*32 + x, by*32 + y) of
    batch z.  For each 32-wide slice of k, the block copies one tile of ``a`` and
    one of ``b`` into shared memory (each global value read once per tile), waits,
    and accumulates 32 products from shared memory.  One global write per thread.
    A batch size of 1 in an operand is broadcast.
    """
    a_shared = cuda.shared.array((TILE, TILE), numba.float64)
    b_shared = cuda.shared.array((TILE, TILE), numba.float64)
    z = cuda.blockIdx.z
    a_batch = a_strides[0] if a_shape[0] > 1 else 0
    b_batch = b_strides[0] if b_shape[0] > 1 else 0
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    i = cuda.blockIdx.x * TILE + tx
    j = cuda.blockIdx.y * TILE + ty
    n_rows = out_shape[1]
    n_cols = out_shape[2]
    shared = a_shape[2]
    acc = 0.0
    for start in range(0, shared, TILE):
        k = start + ty
        if i < n_rows and k < shared:
            a_shared[tx, ty] = a_storage[z * a_batch + i * a_strides[1] + k * a_strides[2]]
        else:
            a_shared[tx, ty] = 0.0
        k = start + tx
        if j < n_cols and k < shared:
            b_shared[tx, ty] = b_storage[z * b_batch + k * b_strides[1] + j * b_strides[2]]
        else:
            b_shared[tx, ty] = 0.0
        cuda.syncthreads()
        for kk in range(TILE):
            acc += a_shared[tx, kk] * b_shared[kk, ty]
        cuda.syncthreads()
    if i < n_rows and j < n_cols:
        out[z * out_strides[0] + i * out_strides[1] + j * out_strides[2]] = acc


_matmul_kernel = jit(_tensor_matrix_multiply)
tensor_matrix_multiply = _matmul_kernel


# -- practice kernels (course tasks 3.3 / 3.4) ---------------------------------------------


def _sum_practice(out: Storage, a: Storage, size: int) -> None:
    """Block b sums its 32 consecutive elements of ``a`` (0 beyond ``size``) into ``out[b]``."""
    cache = cuda.shared.array(THREADS_PER_BLOCK, numba.float64)
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    pos = cuda.threadIdx.x
    cache[pos] = a[i] if i < size else 0.0
    cuda.syncthreads()
    stride = THREADS_PER_BLOCK // 2
    while stride > 0:
        if pos < stride:
            cache[pos] += cache[pos + stride]
        cuda.syncthreads()
        stride //= 2
    if pos == 0 and cuda.blockIdx.x < out.size:
        out[cuda.blockIdx.x] = cache[0]


jit_sum_practice = jit(_sum_practice)


def sum_practice(a: Tensor) -> TensorData:
    """Per-block sums of 32 elements (the course's practice reduction); 2 output cells."""
    size = a.size
    out = TensorData(np.zeros(2), (2,))
    jit_sum_practice[(size // THREADS_PER_BLOCK) + 1, THREADS_PER_BLOCK](
        out._storage, a._tensor._storage, size
    )
    return out


def _mm_practice(out: Storage, a: Storage, b: Storage, size: int) -> None:
    """One block of 32x32 threads multiplies square ``size`` x ``size`` matrices (size <= 32)."""
    a_shared = cuda.shared.array((TILE, TILE), numba.float64)
    b_shared = cuda.shared.array((TILE, TILE), numba.float64)
    i = cuda.threadIdx.x
    j = cuda.threadIdx.y
    if i < size and j < size:
        a_shared[i, j] = a[i * size + j]
        b_shared[i, j] = b[i * size + j]
    cuda.syncthreads()
    if i < size and j < size:
        acc = 0.0
        for k in range(size):
            acc += a_shared[i, k] * b_shared[k, j]
        out[i * size + j] = acc


jit_mm_practice = jit(_mm_practice)


def mm_practice(a: Tensor, b: Tensor) -> TensorData:
    """``a @ b`` for square matrices of side <= 32, with one block (practice kernel)."""
    size = a.shape[0]
    if a.shape != (size, size) or b.shape != (size, size) or size > TILE:
        raise ValueError(
            f"mm_practice needs two square matrices of side <= {TILE}, got {a.shape}, {b.shape}"
        )
    out = TensorData(np.zeros(size * size), (size, size))
    jit_mm_practice[1, (TILE, TILE)](
        out._storage, a.contiguous()._tensor._storage, b.contiguous()._tensor._storage, size
    )
    return out


CudaBackend = TensorBackend(CudaOps)
"""Tensors on the numba.cuda backend (needs a GPU, or NUMBA_ENABLE_CUDASIM=1)."""

