r"""FastOps: the ``TensorOps`` contract compiled with numba for the CPU.

The kernels are the same loops as :mod:`minitorch.tensor_ops`, compiled with
``njit(parallel=True)``: ``prange`` splits the output positions across cores,
each iteration keeps its own index buffers, and when the output and the inputs
are laid out alike (same shape, same dense strides) the index arithmetic is
skipped altogether.  The user's scalar function is inlined into the loop.

Compiled kernels are cached on disk (numba ``cache=True``), so a second process
loads them instead of compiling again.  Matrix products of contiguous operands
go to numpy's BLAS; ``tensor_matrix_multiply`` is the general strided kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from numba import njit as _njit
from numba import prange
from numba.extending import register_jitable

from . import tensor_data
from .tensor_data import MAX_DIMS, Index, Shape, Storage, Strides, shape_broadcast
from .tensor_ops import (
    MapKernel,
    MapProto,
    TensorBackend,
    TensorOps,
    map_wrapper,
    reduce_wrapper,
    zip_wrapper,
)

if TYPE_CHECKING:
    from .tensor import Tensor

F = TypeVar("F", bound=Callable[..., Any])


def inline(fn: F) -> F:
    """Make a plain Python function callable inside compiled kernels (LLVM inlines it).

    The function object itself is returned, so it still runs as Python, and a
    kernel closing over it can be cached on disk.
    """
    return register_jitable(fn)


def kernel(fn: F) -> F:
    """Compile a kernel: parallel over ``prange`` loops, cached on disk."""
    return _njit(parallel=True, cache=True)(fn)  # type: ignore[return-value]


to_index = inline(tensor_data.to_index)
index_to_position = inline(tensor_data.index_to_position)
broadcast_index = inline(tensor_data.broadcast_index)


@inline
def _size(shape: Shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


CHUNK = 2048
"""Output positions per parallel task: each task allocates its index buffers once."""


@inline
def _chunks(size: int) -> int:
    return (size + CHUNK - 1) // CHUNK


@inline
def _aligned(
    out: Storage, out_shape: Shape, out_strides: Strides,
    a: Storage, a_shape: Shape, a_strides: Strides,
) -> bool:
    """True when ``a`` and ``out`` are dense and laid out alike: position i <-> position i."""
    n = _size(out_shape)
    return (
        len(out) == n
        and len(a) == n
        and len(out_shape) == len(a_shape)
        and np.array_equal(out_shape, a_shape)
        and np.array_equal(out_strides, a_strides)
    )


class FastOps(TensorOps):
    """The numba CPU backend."""

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        return map_wrapper(tensor_map(inline(fn)))

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        return zip_wrapper(tensor_zip(inline(fn)))

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        return reduce_wrapper(tensor_reduce(inline(fn)), start)

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        r"""Batched :math:`C = A B` for ``(..., n, m) @ (..., m, p)`` with broadcast batch dims.

        Operands whose storage is exactly their elements (contiguous or permuted)
        are handed to numpy's BLAS as strided views; others go to the numba kernel.
        """
        from .tensor_functions import check_matmul_shapes

        check_matmul_shapes(a.shape, b.shape)
        out_shape = shape_broadcast(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1])
        a_np, b_np = _dense_view(a._tensor), _dense_view(b._tensor)
        if a_np is not None and b_np is not None:
            result = np.matmul(a_np, b_np)
            return a._new(tensor_data.TensorData(result.ravel(), out_shape))
        out = a.zeros(out_shape)
        tensor_matrix_multiply(*out.tuple(), *a.tuple(), *b.tuple())
        return out


def _dense_view(td: tensor_data.TensorData) -> np.ndarray | None:
    """A numpy view of a tensor whose storage holds exactly its elements, else None."""
    if len(td._storage) != td.size or td.size == 0:
        return None
    item = td._storage.itemsize
    return np.lib.stride_tricks.as_strided(
        td._storage, shape=td.shape, strides=tuple(st * item for st in td.strides), writeable=False
    )


@inline
def _steps(out_shape: Shape, out_strides: Strides, shapes: Any, strides: Any) -> Any:
    """Row 0: the output's strides; row k: input k's strides aligned to the output's
    dimensions (0 where input k is broadcast, so stepping that dimension stays put)."""
    dims = len(out_shape)
    steps = np.zeros((1 + len(shapes), dims), np.int64)
    for d in range(dims):
        steps[0, d] = out_strides[d]
    for k in range(len(shapes)):
        offset = dims - len(shapes[k])
        for d in range(len(shapes[k])):
            if shapes[k][d] > 1:
                steps[k + 1, offset + d] = strides[k][d]
    return steps


@inline
def _start(begin: int, out_shape: Shape, steps: Any, index: Index, pos: Any) -> None:
    """Set ``index`` to the ``begin``-th output index and ``pos`` to every operand's position."""
    to_index(begin, out_shape, index)
    for k in range(len(pos)):
        pos[k] = 0
        for d in range(len(out_shape)):
            pos[k] += index[d] * steps[k, d]


@inline
def _step(out_shape: Shape, steps: Any, index: Index, pos: Any) -> None:
    """Advance to the next output index (last dimension fastest), moving every position
    by that dimension's step and rewinding the dimensions that wrap around."""
    d = len(out_shape) - 1
    while d >= 0:
        index[d] += 1
        for k in range(len(pos)):
            pos[k] += steps[k, d]
        if index[d] < out_shape[d]:
            return
        for k in range(len(pos)):
            pos[k] -= out_shape[d] * steps[k, d]
        index[d] = 0
        d -= 1


def tensor_map(fn: Callable[[float], float]) -> MapKernel:
    """Compiled map: ``out[o] = fn(in[broadcast(o)])`` over all output positions in parallel.

    Each parallel task takes a run of output positions, finds its first index
    once, then walks on by adding strides (no division per element).
    """

    def _map(
        out: Storage, out_shape: Shape, out_strides: Strides,
        in_storage: Storage, in_shape: Shape, in_strides: Strides,
    ) -> None:
        size = _size(out_shape)
        if _aligned(out, out_shape, out_strides, in_storage, in_shape, in_strides):
            for i in prange(size):
                out[i] = fn(in_storage[i])
            return
        steps = _steps(out_shape, out_strides, (in_shape,), (in_strides,))
        for c in prange(_chunks(size)):
            index: Index = np.empty(MAX_DIMS, np.int32)
            pos = np.empty(2, np.int64)
            _start(c * CHUNK, out_shape, steps, index, pos)
            for _ in range(c * CHUNK, min(size, (c + 1) * CHUNK)):
                out[pos[0]] = fn(in_storage[pos[1]])
                _step(out_shape, steps, index, pos)

    return kernel(_map)


def tensor_zip(fn: Callable[[float, float], float]) -> MapKernel:
    """Compiled zip: ``out[o] = fn(a[broadcast(o)], b[broadcast(o)])`` in parallel."""

    def _zip(
        out: Storage, out_shape: Shape, out_strides: Strides,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        b_storage: Storage, b_shape: Shape, b_strides: Strides,
    ) -> None:
        size = _size(out_shape)
        a_aligned = _aligned(out, out_shape, out_strides, a_storage, a_shape, a_strides)
        b_aligned = _aligned(out, out_shape, out_strides, b_storage, b_shape, b_strides)
        if a_aligned and b_aligned:
            for i in prange(size):
                out[i] = fn(a_storage[i], b_storage[i])
            return
        if a_aligned and _size(b_shape) == 1:  # tensor with a number
            b0 = b_storage[0]
            for i in prange(size):
                out[i] = fn(a_storage[i], b0)
            return
        if b_aligned and _size(a_shape) == 1:  # number with a tensor
            a0 = a_storage[0]
            for i in prange(size):
                out[i] = fn(a0, b_storage[i])
            return
        steps = _steps(out_shape, out_strides, (a_shape, b_shape), (a_strides, b_strides))
        for c in prange(_chunks(size)):
            index: Index = np.empty(MAX_DIMS, np.int32)
            pos = np.empty(3, np.int64)
            _start(c * CHUNK, out_shape, steps, index, pos)
            for _ in range(c * CHUNK, min(size, (c + 1) * CHUNK)):
                out[pos[0]] = fn(a_storage[pos[1]], b_storage[pos[2]])
                _step(out_shape, steps, index, pos)

    return kernel(_zip)


def tensor_reduce(fn: Callable[[float, float], float]) -> MapKernel:
    """Compiled reduce over ``reduce_dim``: each output folds a strided run of the input.

    The inner loop only reads, applies ``fn`` to a local accumulator, and steps a
    position; the output is written once.
    """

    def _reduce(
        out: Storage, out_shape: Shape, out_strides: Strides,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        reduce_dim: int,
    ) -> None:
        size = _size(out_shape)
        reduce_size = a_shape[reduce_dim]
        step = a_strides[reduce_dim]
        steps = _steps(out_shape, out_strides, (a_shape,), (a_strides,))
        for c in prange(_chunks(size)):
            index: Index = np.empty(MAX_DIMS, np.int32)
            pos = np.empty(2, np.int64)
            _start(c * CHUNK, out_shape, steps, index, pos)
            for _ in range(c * CHUNK, min(size, (c + 1) * CHUNK)):
                j = pos[1]
                acc = out[pos[0]]
                for _ in range(reduce_size):
                    acc = fn(acc, a_storage[j])
                    j += step
                out[pos[0]] = acc
                _step(out_shape, steps, index, pos)

    return kernel(_reduce)


def _tensor_matrix_multiply(
    out: Storage, out_shape: Shape, out_strides: Strides,
    a_storage: Storage, a_shape: Shape, a_strides: Strides,
    b_storage: Storage, b_shape: Shape, b_strides: Strides,
) -> None:
    r"""Strided batched matrix product.

    .. math:: out[\ldots, i, j] = \sum_k a[\ldots, i, k] \, b[\ldots, k, j]

    Batch dimensions broadcast (a size-1 or missing batch dimension is reused).
    The inner loop is one multiply-add into a local; each output is written once.
    """
    size = _size(out_shape)
    n_shared = a_shape[len(a_shape) - 1]
    a_step = a_strides[len(a_strides) - 1]
    b_step = b_strides[len(b_strides) - 2]
    for ordinal in prange(size):
        out_index: Index = np.empty(MAX_DIMS, np.int32)
        a_index: Index = np.empty(MAX_DIMS, np.int32)
        b_index: Index = np.empty(MAX_DIMS, np.int32)
        to_index(ordinal, out_shape, out_index)
        broadcast_index(out_index, out_shape, a_shape, a_index)
        broadcast_index(out_index, out_shape, b_shape, b_index)
        a_index[len(a_shape) - 1] = 0  # k starts at 0; row i came from the output index
        b_index[len(b_shape) - 2] = 0  # column j came from the output index
        a_pos = index_to_position(a_index, a_strides)
        b_pos = index_to_position(b_index, b_strides)
        acc = 0.0
        for _ in range(n_shared):
            acc += a_storage[a_pos] * b_storage[b_pos]
            a_pos += a_step
            b_pos += b_step
        out[index_to_position(out_index, out_strides)] = acc


tensor_matrix_multiply = kernel(_tensor_matrix_multiply)


FastBackend = TensorBackend(FastOps)
"""Tensors on the numba CPU backend: ``minitorch.tensor(data, backend=minitorch.FastBackend)``."""
