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

        Contiguous operands are multiplied by numpy (BLAS); others by the strided kernel.
        """
        from .tensor_functions import check_matmul_shapes

        check_matmul_shapes(a.shape, b.shape)
        out_shape = shape_broadcast(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1])
        if a.is_contiguous() and b.is_contiguous():
            a_np = a._tensor._storage[: a.size].reshape(a.shape)
            b_np = b._tensor._storage[: b.size].reshape(b.shape)
            result = np.matmul(a_np, b_np)
            return a._new(tensor_data.TensorData(result.ravel(), out_shape))
        out = a.zeros(out_shape)
        tensor_matrix_multiply(*out.tuple(), *a.tuple(), *b.tuple())
        return out


def tensor_map(fn: Callable[[float], float]) -> MapKernel:
    """Compiled map: ``out[o] = fn(in[broadcast(o)])`` over all output positions in parallel."""

    def _map(
        out: Storage, out_shape: Shape, out_strides: Strides,
        in_storage: Storage, in_shape: Shape, in_strides: Strides,
    ) -> None:
        size = _size(out_shape)
        if _aligned(out, out_shape, out_strides, in_storage, in_shape, in_strides):
            for i in prange(size):
                out[i] = fn(in_storage[i])
            return
        for i in prange(size):
            out_index: Index = np.empty(MAX_DIMS, np.int32)
            in_index: Index = np.empty(MAX_DIMS, np.int32)
            to_index(i, out_shape, out_index)
            broadcast_index(out_index, out_shape, in_shape, in_index)
            o = index_to_position(out_index, out_strides)
            j = index_to_position(in_index, in_strides)
            out[o] = fn(in_storage[j])

    return kernel(_map)


def tensor_zip(fn: Callable[[float, float], float]) -> MapKernel:
    """Compiled zip: ``out[o] = fn(a[broadcast(o)], b[broadcast(o)])`` in parallel."""

    def _zip(
        out: Storage, out_shape: Shape, out_strides: Strides,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        b_storage: Storage, b_shape: Shape, b_strides: Strides,
    ) -> None:
        size = _size(out_shape)
        if _aligned(out, out_shape, out_strides, a_storage, a_shape, a_strides) and _aligned(
            out, out_shape, out_strides, b_storage, b_shape, b_strides
        ):
            for i in prange(size):
                out[i] = fn(a_storage[i], b_storage[i])
            return
        for i in prange(size):
            out_index: Index = np.empty(MAX_DIMS, np.int32)
            a_index: Index = np.empty(MAX_DIMS, np.int32)
            b_index: Index = np.empty(MAX_DIMS, np.int32)
            to_index(i, out_shape, out_index)
            o = index_to_position(out_index, out_strides)
            broadcast_index(out_index, out_shape, a_shape, a_index)
            j = index_to_position(a_index, a_strides)
            broadcast_index(out_index, out_shape, b_shape, b_index)
            k = index_to_position(b_index, b_strides)
            out[o] = fn(a_storage[j], b_storage[k])

    return kernel(_zip)


def tensor_reduce(fn: Callable[[float, float], float]) -> MapKernel:
    """Compiled reduce over ``reduce_dim``: each output folds a strided run of the input.

    The inner loop only reads, applies the (inlined) ``fn`` to a local
    accumulator, and steps a position; the output is written once.
    """

    def _reduce(
        out: Storage, out_shape: Shape, out_strides: Strides,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        reduce_dim: int,
    ) -> None:
        size = _size(out_shape)
        reduce_size = a_shape[reduce_dim]
        step = a_strides[reduce_dim]
        for i in prange(size):
            out_index: Index = np.empty(MAX_DIMS, np.int32)
            to_index(i, out_shape, out_index)
            o = index_to_position(out_index, out_strides)
            j = index_to_position(out_index, a_strides)
            acc = out[o]
            for _ in range(reduce_size):
                acc = fn(acc, a_storage[j])
                j += step
            out[o] = acc

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
