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

import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from numba import njit as _njit
from numba import prange
from numba.extending import register_jitable

from . import tensor_data
from .backends import dtype_kernels, runtime
from .ops.dtypes import float64
from .replay import fusion, tape
from .tensor_data import (
    MAX_DIMS,
    Index,
    Shape,
    Storage,
    Strides,
    check_matmul_shapes,
)
from .tensor_ops import (
    MapKernel,
    MapProto,
    TensorBackend,
    TensorOps,
    broadcast_shapes,
    map_wrapper,
    reduce_wrapper,
    zip_wrapper,
)

if TYPE_CHECKING:
    from .tensor import Tensor

F = TypeVar("F", bound=Callable[..., Any])


runtime.use_kernel_cache()  # before any kernel is made: their cache covers what they inline


def inline(fn: F) -> F:
    """Make a plain Python function callable inside compiled kernels (LLVM inlines it).

    The function object itself is returned, so it still runs as Python, and a
    kernel closing over it can be cached on disk.
    """
    return register_jitable(fn)


class ParallelKernel:
    """A kernel compiled parallel over its ``prange`` loops and cached on disk.

    It calls like the numba dispatcher it wraps (whose attributes it shows), and keeps
    ``parallel_diagnostics(level=...)`` working when the code came from the on-disk cache,
    where numba keeps no diagnostics: then the kernel is compiled once more, uncached, for
    the report (the course's ``parallel_check.py`` prints it).
    """

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.py_func = fn
        self.dispatcher = _njit(parallel=True, cache=True)(fn)
        self._serial: Any = None

    def __call__(self, *args: Any) -> Any:
        if runtime.forked_after_pool:  # (see there) stay off the thread pool
            if self._serial is None:
                self._serial = serial_kernel(self.py_func)
            return self._serial(*args)
        if not runtime.pool_started:
            runtime.start_pool()
        return self.dispatcher(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.dispatcher, name)

    def parallel_diagnostics(self, signature: Any = None, level: int = 1) -> None:
        """Print numba's report of how the loops were parallelised."""
        fresh = _njit(parallel=True)(self.py_func)
        for sig in self.dispatcher.signatures:
            fresh.compile(sig)
        fresh.parallel_diagnostics(signature, level)


def kernel(fn: Callable[..., None]) -> MapKernel:
    """Compile a kernel: parallel over ``prange`` loops, cached on disk."""
    return ParallelKernel(fn)


def serial_kernel(fn: Callable[..., None]) -> MapKernel:
    """Compile a kernel to run on one thread (``prange`` as ``range``), cached on disk.

    The function is compiled under its own name (``..._serial``) so that the cache keeps
    it apart from the parallel kernel made from the same source.
    """
    copy = types.FunctionType(
        fn.__code__, fn.__globals__, fn.__name__ + "_serial", fn.__defaults__, fn.__closure__
    )
    copy.__qualname__ = fn.__qualname__ + "_serial"
    compiled: MapKernel = _njit(cache=True)(copy)
    return compiled


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
"""About this many output positions per parallel task (whole rows); each task allocates
its index buffers once."""


@inline
def _rows_per_task(length: int) -> int:
    return max(1, CHUNK // max(1, length))


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


@inline
def _constant(shape: Shape, strides: Strides) -> bool:
    """Every element is ``storage[0]``: one element, or broadcast (stride 0) in every dim."""
    for d in range(len(shape)):
        if shape[d] > 1 and strides[d] != 0:
            return False
    return True


PARALLEL_MIN_SIZE = 1 << 22
"""Outputs smaller than this (4M values, 32 MiB) run on one thread.

Elementwise work is bound by memory bandwidth, so a second thread gains little below
that, while the pool's threads compete for the cores with the BLAS threads of the matrix
products around them, and with another OpenMP runtime in the process: with PyTorch
imported, numba's pool runs on PyTorch's OpenMP, whose idle threads spin.  On 2 cores a
step of a network with a 512 x 512 layer took 44 ms with the pool used from 2^18 values
(as before), 13 ms with it used from 2^22."""


class _Sized:
    """Launch the parallel kernel for large outputs (storage: argument 0), the serial one else.

    ``pick(args)`` names the one chosen, so a recording keeps that kernel itself.  The first
    serial launch sets up the runtime (:func:`~minitorch.backends.runtime.first_use`), then
    the kernel itself takes its place in ``serial``."""

    def __init__(self, parallel: MapKernel, serial: MapKernel) -> None:
        self.parallel = parallel
        self.kernel = serial
        self.serial: MapKernel = self._first_serial

    def _first_serial(self, *args: Any) -> None:
        runtime.first_use()
        self.serial = self.kernel
        self.kernel(*args)

    def pick(self, args: tuple[Any, ...]) -> MapKernel:
        if len(args[0]) >= PARALLEL_MIN_SIZE:
            return self.parallel
        if self.serial is not self.kernel:  # (a recording's first launch of it)
            runtime.first_use()
            self.serial = self.kernel
        return self.kernel

    def __call__(self, *args: Any) -> None:
        if len(args[0]) >= PARALLEL_MIN_SIZE:
            self.parallel(*args)
        else:
            self.serial(*args)


class FastOps(TensorOps):
    """The numba CPU backend."""

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        fn = inline(fn)
        serial = serial_kernel(_map_loop(fn))
        fusion.register(serial, fn, 1)
        return map_wrapper(_Sized(tensor_map(fn), serial), fn)

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        fn = inline(fn)
        serial = serial_kernel(_zip_loop(fn))
        fusion.register(serial, fn, 2)
        return zip_wrapper(_Sized(tensor_zip(fn), serial), fn)

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        fn = inline(fn)
        return reduce_wrapper(
            _Sized(tensor_reduce(fn), serial_kernel(_reduce_loop(fn))), start, fn
        )

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        r"""Batched :math:`C = A B` for ``(..., n, m) @ (..., m, p)`` with broadcast batch dims.

        Operands whose storage is exactly their elements (contiguous or permuted)
        are handed to numpy's BLAS as strided views; others go to the numba kernel.
        """
        if a._tensor.dtype is not float64 or b._tensor.dtype is not float64:
            return dtype_kernels.matmul(FastOps.matrix_multiply, a, b)
        a_shape, b_shape = a._tensor.shape, b._tensor.shape
        check_matmul_shapes(a_shape, b_shape)
        batch = a_shape[:-2] if a_shape[:-2] == b_shape[:-2] else broadcast_shapes(
            a_shape[:-2], b_shape[:-2]
        )
        out_shape = (*batch, a_shape[-2], b_shape[-1])
        a_np, b_np = _dense_view(a._tensor), _dense_view(b._tensor)
        if a_np is not None and b_np is not None:
            layout = tensor_data.TensorData.empty(out_shape)
            tape.launch(_blas_matmul, layout._storage.reshape(out_shape), a_np, b_np)
            return a._new(layout)
        out = a.zeros(out_shape)
        tape.launch(tensor_matrix_multiply, *out.tuple(), *a.tuple(), *b.tuple())
        return out


@_njit(cache=True)
def subtract_scaled(theta: Storage, lr: float, g: Storage) -> None:
    r""":math:`\theta \mathrel{-}= \eta g` in one pass over 1-d arrays (an SGD step; the
    same two roundings as numpy's ``theta - lr * g``)."""
    for i in range(theta.shape[0]):
        theta[i] = theta[i] - lr * g[i]


def _blas_matmul(out: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """``out = a @ b`` with numpy's BLAS, IEEE results (inf, NaN) without warnings, as the
    kernels give."""
    with np.errstate(all="ignore"):
        np.matmul(a, b, out=out)


def _dense_view(td: tensor_data.TensorData) -> np.ndarray | None:
    """A numpy view of a tensor whose storage holds exactly its elements, else None."""
    if len(td._storage) != td.size or td.size == 0:
        return None
    return td.array_view()


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
def _row_positions(row: int, out_shape: Shape, steps: Any, index: Index, pos: Any) -> None:
    """Positions, in every operand, of the first element of output row ``row``.

    A row runs along the last dimension; rows are numbered in row-major order of
    the other dimensions.
    """
    outer = len(out_shape) - 1
    cur = row
    for d in range(outer - 1, -1, -1):
        index[d] = cur % out_shape[d]
        cur = cur // out_shape[d]
    for k in range(len(pos)):
        pos[k] = 0
        for d in range(outer):
            pos[k] += index[d] * steps[k, d]


@inline
def _next_row(out_shape: Shape, steps: Any, index: Index, pos: Any) -> None:
    """Move ``index``/``pos`` from one output row to the next, like an odometer:
    step the innermost outer dimension, carrying into the ones before it (no division)."""
    d = len(out_shape) - 2
    while d >= 0:
        index[d] += 1
        for k in range(len(pos)):
            pos[k] += steps[k, d]
        if index[d] < out_shape[d]:
            return
        for k in range(len(pos)):
            pos[k] -= steps[k, d] * out_shape[d]
        index[d] = 0
        d -= 1


@inline
def _row_length(out_shape: Shape) -> int:
    return out_shape[len(out_shape) - 1] if len(out_shape) > 0 else 1


@inline
def _row_plan(out_shape: Shape, size: int) -> tuple[int, int, int, int]:
    """How the output's rows are shared out: the row length, the number of rows, rows per
    parallel task, and the number of tasks."""
    length = _row_length(out_shape)
    rows = size // length
    per_task = _rows_per_task(length)
    return length, rows, per_task, (rows + per_task - 1) // per_task


@inline
def _task_start(task: int, per_task: int, rows: int, out_shape: Shape, steps: Any) -> Any:
    """A task's index buffer, its operands' positions at its first row, and its rows
    ``first .. last - 1``."""
    index: Index = np.empty(MAX_DIMS, np.int32)
    pos = np.empty(steps.shape[0], np.int64)
    first = task * per_task
    _row_positions(first, out_shape, steps, index, pos)
    return index, pos, first, min(rows, first + per_task)


@inline
def _row_step(steps: Any, k: int) -> int:
    dims = steps.shape[1]
    return steps[k, dims - 1] if dims > 0 else 0


def tensor_map(fn: Callable[[float], float]) -> MapKernel:
    """Compiled parallel map: ``out[o] = fn(in[broadcast(o)])`` over all output positions.

    One numba kernel (``parallel_diagnostics`` works on it); the serial twin that FastOps
    runs for small outputs is ``serial_kernel(_map_loop(fn))``.
    """
    return kernel(_map_loop(fn))


def _map_loop(fn: Callable[[float], float]) -> MapKernel:
    """The loops of :func:`tensor_map`, before compiling.

    When input and output share one dense layout the loop runs over storage positions.
    Otherwise each parallel task takes one row (the last dimension) of the output,
    finds where that row starts in every operand once, then walks along it by
    adding strides (no division per element).
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
        if size == 0:
            return
        steps = _steps(out_shape, out_strides, (in_shape,), (in_strides,))
        so, si = _row_step(steps, 0), _row_step(steps, 1)
        length, rows, per_task, tasks = _row_plan(out_shape, size)
        for task in prange(tasks):
            index, pos, first, last = _task_start(task, per_task, rows, out_shape, steps)
            for _ in range(first, last):
                o, i = pos[0], pos[1]  # locals: not reloaded from ``pos`` after each store
                for _ in range(length):
                    out[o] = fn(in_storage[i])
                    o += so
                    i += si
                _next_row(out_shape, steps, index, pos)

    return _map


def tensor_zip(fn: Callable[[float, float], float]) -> MapKernel:
    """Compiled parallel zip: ``out[o] = fn(a[broadcast(o)], b[broadcast(o)])``.

    One numba kernel; the serial twin is ``serial_kernel(_zip_loop(fn))``.
    """
    return kernel(_zip_loop(fn))


def _zip_loop(fn: Callable[[float, float], float]) -> MapKernel:
    """The loops of :func:`tensor_zip`, before compiling (fast paths for aligned operands and
    for a tensor with a number, rows walked by strides otherwise)."""

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
        if a_aligned and _constant(b_shape, b_strides):  # tensor with a number
            b0 = b_storage[0]
            for i in prange(size):
                out[i] = fn(a_storage[i], b0)
            return
        if b_aligned and _constant(a_shape, a_strides):  # number with a tensor
            a0 = a_storage[0]
            for i in prange(size):
                out[i] = fn(a0, b_storage[i])
            return
        if size == 0:
            return
        steps = _steps(out_shape, out_strides, (a_shape, b_shape), (a_strides, b_strides))
        so, sa, sb = _row_step(steps, 0), _row_step(steps, 1), _row_step(steps, 2)
        length, rows, per_task, tasks = _row_plan(out_shape, size)
        for task in prange(tasks):
            index, pos, first, last = _task_start(task, per_task, rows, out_shape, steps)
            for _ in range(first, last):
                o, i, j = pos[0], pos[1], pos[2]
                for _ in range(length):
                    out[o] = fn(a_storage[i], b_storage[j])
                    o += so
                    i += sa
                    j += sb
                _next_row(out_shape, steps, index, pos)

    return _zip


def tensor_reduce(fn: Callable[[float, float], float]) -> MapKernel:
    """Compiled parallel reduce over ``reduce_dim``: each output folds a strided run of the input.

    One numba kernel; the serial twin is ``serial_kernel(_reduce_loop(fn))``.
    """
    return kernel(_reduce_loop(fn))


def _reduce_loop(fn: Callable[[float, float], float]) -> MapKernel:
    """The loops of :func:`tensor_reduce`, before compiling.

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
        if size == 0:
            return
        steps = _steps(out_shape, out_strides, (a_shape,), (a_strides,))
        so, sa = _row_step(steps, 0), _row_step(steps, 1)
        length, rows, per_task, tasks = _row_plan(out_shape, size)
        for task in prange(tasks):
            index, pos, first, last = _task_start(task, per_task, rows, out_shape, steps)
            for _ in range(first, last):
                o, i = pos[0], pos[1]
                for _ in range(length):
                    j = i
                    acc = out[o]
                    for _ in range(reduce_size):
                        acc = fn(acc, a_storage[j])
                        j += step
                    out[o] = acc
                    o += so
                    i += sa
                _next_row(out_shape, steps, index, pos)

    return _reduce


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
