r"""The backend contract (``TensorOps``), the named kernels (``TensorBackend``), and
``SimpleOps``: the readable pure-Python reference backend.

Every kernel walks the *output* positions: ``to_index`` turns an ordinal into a
multi-index, ``broadcast_index`` maps it onto each (smaller) input, and
``index_to_position`` finds the storage slot, so any strides (permuted,
broadcast) work.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional, Protocol

import numpy as np

from . import operators
from .backends import dtype_kernels
from .ops import dtypes
from .ops.dtypes import float64
from .replay import tape
from .tensor_data import (
    MAX_DIMS,
    Index,
    Shape,
    Storage,
    Strides,
    TensorData,
    broadcast_index,
    check_matmul_shapes,
    index_to_position,
    shape_broadcast,
    to_index,
)

if TYPE_CHECKING:
    from .tensor import Tensor


class MapProto(Protocol):
    def __call__(self, x: Tensor, out: Optional[Tensor] = ..., /) -> Tensor: ...


class TensorOps:
    """What a backend implements: ``map``, ``zip``, ``reduce`` and ``matrix_multiply``."""

    cuda = False

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        raise NotImplementedError("Not implemented in this backend")

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        raise NotImplementedError("Not implemented in this backend")

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        raise NotImplementedError("Not implemented in this backend")

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        raise NotImplementedError("Not implemented in this backend")


class TensorBackend:
    """The named kernels built once from a ``TensorOps``: ``neg_map``, ``add_zip``, ...

    Every kernel a Function uses is named here (a Function calls ``t.f.<name>``), so a new
    backend is one ``TensorOps`` class: its ``map`` / ``zip`` / ``reduce`` build them all.
    """

    def __init__(self, ops: type[TensorOps]) -> None:
        self.ops = ops
        # maps
        self.neg_map = ops.map(operators.neg)
        self.sigmoid_map = ops.map(operators.sigmoid)
        self.relu_map = ops.map(operators.relu)
        self.log_map = ops.map(operators.log)
        self.exp_map = ops.map(operators.exp)
        self.id_map = ops.map(operators.id)
        self.inv_map = ops.map(operators.inv)
        self.abs_map = ops.map(operators.fabs)
        self.sqrt_map = ops.map(operators.sqrt)
        self.tanh_map = ops.map(operators.tanh)
        self.ln_map = ops.map(operators.ln)
        self.sin_map = ops.map(operators.sin)
        self.cos_map = ops.map(operators.cos)
        # zips
        self.add_zip = ops.zip(operators.add)
        self.sub_zip = ops.zip(operators.sub)
        self.mul_zip = ops.zip(operators.mul)
        self.lt_zip = ops.zip(operators.lt)
        self.eq_zip = ops.zip(operators.eq)
        self.is_close_zip = ops.zip(operators.is_close)
        # the course's backward kernels: part of its API, unused by minitorch's Functions,
        # whose backward passes are tensor operations (so that they can be differentiated)
        self.relu_back_zip = ops.zip(operators.relu_back)
        self.log_back_zip = ops.zip(operators.log_back)
        self.inv_back_zip = ops.zip(operators.inv_back)
        self.sigmoid_back_zip = ops.zip(operators.sigmoid_back)
        self.pow_zip = ops.zip(operators.pow)
        self.div_zip = ops.zip(operators.div)
        self.maximum_zip = ops.zip(operators.maximum)
        self.minimum_zip = ops.zip(operators.minimum)
        # reductions
        self.add_reduce = ops.reduce(operators.add, 0.0)
        self.mul_reduce = ops.reduce(operators.mul, 1.0)
        self.max_reduce = ops.reduce(operators.maximum, -math.inf)
        self.matrix_multiply = ops.matrix_multiply  # (which applies the dtype rules itself)
        self.cuda = ops.cuda


MapKernel = Callable[..., None]
ZipProto = Callable[["Tensor", "Tensor"], "Tensor"]
ReduceProto = Callable[["Tensor", int], "Tensor"]

broadcast_shapes = functools.lru_cache(maxsize=4096)(shape_broadcast)
"""``shape_broadcast`` remembered for the shapes kernels see again and again."""


def map_wrapper(kernel: MapKernel, fn: Callable[..., Any]) -> MapProto:
    """The user-facing map around a low-level kernel: ``out = fn(a)``, ``out`` optional.

    A given ``out`` may be larger than ``a``: ``a`` is broadcast into it.
    """

    def raw(a: Tensor, out: Optional[Tensor] = None) -> Tensor:
        if out is None:
            out = a._new(TensorData.empty(a.shape))
        tape.launch(kernel, *out.tuple(), *a.tuple())
        return out

    def ret(a: Tensor, out: Optional[Tensor] = None) -> Tensor:  # (typed_map, inlined)
        if a._tensor.dtype is not float64 or (out is not None and out._tensor.dtype is not float64):
            return dtype_kernels.map_(fn, raw, a, out)
        if out is None:
            out = a._new(TensorData.empty(a.shape))
        tape.launch(kernel, *out.tuple(), *a.tuple())
        return out

    return ret


def zip_wrapper(kernel: MapKernel, fn: Callable[..., Any]) -> Callable[[Tensor, Tensor], Tensor]:
    """The user-facing zip: ``out = fn(a, b)`` on the broadcast shape of ``a`` and ``b``."""

    def raw(a: Tensor, b: Tensor, dtype: dtypes.dtype = float64) -> Tensor:
        c_shape = a.shape if a.shape == b.shape else broadcast_shapes(a.shape, b.shape)
        out = a._new(TensorData.empty(c_shape, dtype))
        tape.launch(kernel, *out.tuple(), *a.tuple(), *b.tuple())
        return out

    if fn in dtype_kernels.COMPARISONS:
        return typed_zip(fn, raw, bool_outputs=True)

    def ret(a: Tensor, b: Tensor) -> Tensor:  # (typed_zip, inlined: the common case)
        if a._tensor.dtype is not float64 or b._tensor.dtype is not float64:
            return dtype_kernels.zip_(fn, raw, a, b)
        c_shape = a.shape if a.shape == b.shape else broadcast_shapes(a.shape, b.shape)
        out = a._new(TensorData.empty(c_shape))
        tape.launch(kernel, *out.tuple(), *a.tuple(), *b.tuple())
        return out

    return ret


def reduce_wrapper(
    kernel: MapKernel, start: float, fn: Callable[..., Any]
) -> Callable[[Tensor, int], Tensor]:
    """The user-facing reduce: fold over ``dim`` from ``start``; ``dim`` is kept with size 1."""

    def raw(a: Tensor, dim: int) -> Tensor:
        out_shape = list(a.shape)
        out_shape[dim] = 1
        out = a._new(TensorData.empty(tuple(out_shape)))
        tape.launch(tape.fill, out._tensor._storage, start)
        tape.launch(kernel, *out.tuple(), *a.tuple(), dim)
        return out

    return typed_reduce(fn, raw)  # (reductions are few: no need to inline the dtype test)


# Every backend's kernels compute on float64 storages; these put the dtype rules around them:
# tensors of other dtypes (and comparisons, whose result is bool) go to dtype_kernels.  (The
# map and zip wrappers above inline them: one call fewer on every elementwise operation; a
# backend's matrix_multiply checks for itself.)


def typed_map(fn: Callable[..., Any], raw: MapProto) -> MapProto:
    """``raw`` (a float64 map of ``fn``) for tensors of every dtype."""

    def ret(a: Tensor, out: Optional[Tensor] = None) -> Tensor:
        if a._tensor.dtype is not float64 or (out is not None and out._tensor.dtype is not float64):
            return dtype_kernels.map_(fn, raw, a, out)
        return raw(a, out)

    return ret


def typed_zip(
    fn: Callable[..., Any], raw: Callable[..., Tensor], bool_outputs: bool = False
) -> ZipProto:
    """``raw`` (a float64 zip of ``fn``) for tensors of every dtype.  With ``bool_outputs``
    ``raw(a, b, dtypes.bool_)`` writes a comparison of float64 tensors into a bool output
    directly (the kernel's 1.0 / 0.0 stored as True / False)."""
    compares = fn in dtype_kernels.COMPARISONS
    direct = compares and bool_outputs

    def ret(a: Tensor, b: Tensor) -> Tensor:
        if a._tensor.dtype is not float64 or b._tensor.dtype is not float64:
            return dtype_kernels.zip_(fn, raw, a, b)
        if direct:
            return raw(a, b, dtypes.bool_)
        if compares:
            return dtype_kernels.zip_(fn, raw, a, b)
        return raw(a, b)

    return ret


def typed_reduce(fn: Callable[..., Any], raw: ReduceProto) -> ReduceProto:
    """``raw`` (a float64 fold of ``fn``) for tensors of every dtype."""

    def ret(a: Tensor, dim: int) -> Tensor:
        if a._tensor.dtype is not float64:
            return dtype_kernels.reduce_(fn, raw, a, dim)
        return raw(a, dim)

    return ret


def _quietly(kernel: MapKernel) -> MapKernel:
    """Run a pure-Python kernel without numpy's warnings: it works on numpy's float64
    scalars, which warn on overflow and NaN where the compiled kernels (and torch) just give
    IEEE's inf and NaN."""

    def run(*args: Any) -> None:
        with np.errstate(all="ignore"):
            kernel(*args)

    return run


class SimpleOps(TensorOps):
    """Pure-Python loops over the index arithmetic: slow, readable, and the oracle."""

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        """``out = fn(a)`` elementwise; ``out`` may be given and larger than ``a`` (broadcast)."""
        return map_wrapper(_quietly(tensor_map(fn)), fn)

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        """``out = fn(a, b)`` elementwise with numpy broadcasting."""
        return zip_wrapper(_quietly(tensor_zip(fn)), fn)

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        """Fold ``fn`` over dimension ``dim`` from ``start`` (``dim`` is kept with size 1)."""
        return reduce_wrapper(_quietly(tensor_reduce(fn)), start, fn)

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        """Batched matrix product as a broadcast multiply and a sum over the shared dimension.

        ``a``: (..., n, m), ``b``: (..., m, p) -> (..., n, p).
        """
        if a._tensor.dtype is not float64 or b._tensor.dtype is not float64:
            return dtype_kernels.matmul(SimpleOps.matrix_multiply, a, b)
        check_matmul_shapes(a.shape, b.shape)
        a2 = a.reshape(*a.shape, 1)
        b_shape = b.shape[:-2] + (1,) + b.shape[-2:]
        b2 = b.reshape(*b_shape)
        prod_ = a2 * b2  # (..., n, m, p)
        summed = prod_.sum(prod_.dims - 2)  # (..., n, 1, p)
        out_shape = summed.shape[:-2] + summed.shape[-1:]
        return summed.reshape(*out_shape)


def tensor_map(fn: Callable[[float], float]) -> Callable[..., None]:
    """Low-level map: ``out[o] = fn(in[broadcast(o)])`` for every output index ``o``."""

    def _map(
        out: Storage, out_shape: Shape, out_strides: Strides,
        in_storage: Storage, in_shape: Shape, in_strides: Strides,
    ) -> None:
        out_index: Index = np.zeros(MAX_DIMS, np.int32)
        in_index: Index = np.zeros(MAX_DIMS, np.int32)
        for i in range(int(operators.prod(out_shape))):
            to_index(i, out_shape, out_index)
            broadcast_index(out_index, out_shape, in_shape, in_index)
            o = index_to_position(out_index, out_strides)
            j = index_to_position(in_index, in_strides)
            out[o] = fn(in_storage[j])

    return _map


def tensor_zip(fn: Callable[[float, float], float]) -> Callable[..., None]:
    """Low-level zip: ``out[o] = fn(a[broadcast(o)], b[broadcast(o)])``."""

    def _zip(
        out: Storage, out_shape: Shape, out_strides: Strides,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        b_storage: Storage, b_shape: Shape, b_strides: Strides,
    ) -> None:
        out_index: Index = np.zeros(MAX_DIMS, np.int32)
        a_index: Index = np.zeros(MAX_DIMS, np.int32)
        b_index: Index = np.zeros(MAX_DIMS, np.int32)
        for i in range(int(operators.prod(out_shape))):
            to_index(i, out_shape, out_index)
            o = index_to_position(out_index, out_strides)
            broadcast_index(out_index, out_shape, a_shape, a_index)
            j = index_to_position(a_index, a_strides)
            broadcast_index(out_index, out_shape, b_shape, b_index)
            k = index_to_position(b_index, b_strides)
            out[o] = fn(a_storage[j], b_storage[k])

    return _zip


def tensor_reduce(fn: Callable[[float, float], float]) -> Callable[..., None]:
    """Low-level reduce over ``reduce_dim``: ``out[o] = fn(out[o], a[o, dim=j])`` for each j."""

    def _reduce(
        out: Storage, out_shape: Shape, out_strides: Strides,
        a_storage: Storage, a_shape: Shape, a_strides: Strides,
        reduce_dim: int,
    ) -> None:
        out_index: Index = np.zeros(MAX_DIMS, np.int32)
        reduce_size = a_shape[reduce_dim]
        for i in range(int(operators.prod(out_shape))):
            to_index(i, out_shape, out_index)
            o = index_to_position(out_index, out_strides)
            acc = out[o]
            for s in range(reduce_size):
                out_index[reduce_dim] = s
                j = index_to_position(out_index, a_strides)
                acc = fn(acc, a_storage[j])
            out[o] = acc

    return _reduce


SimpleBackend = TensorBackend(SimpleOps)


