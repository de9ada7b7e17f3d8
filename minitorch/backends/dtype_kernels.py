r"""Kernels for tensors that are not float64: the dtype rules of map, zip, reduce and matmul.

The compiled kernels of every backend work on float64 storages.  An operation whose inputs or
result have another dtype comes here from the backend's wrapper, and is computed one of two
ways, by its result dtype (torch's, :func:`result_dtype`):

- **a float result** (``float32 * float32``, ``int_tensor.exp()``, ``a < b`` on floats): the
  inputs are converted to float64 (exactly: every stored type's values are float64 values,
  except int64 beyond :math:`2^{53}`, which torch rounds in the same place), the backend's own
  float64 kernel runs, and the result is rounded to its dtype.  For :math:`+, -, \times, /`
  that is exactly torch's float32 (or float16) result (rounding the exact
  float64 result twice is harmless for these, as float64 has more than twice float32's
  precision); for the other functions it is the float32 nearest a float64 value, which can
  differ from torch's vectorised float32 functions in the last bit (its float32 ``sqrt(999)``
  is one unit below the nearest).
- **an integer or bool result**: numpy's integer arithmetic on the values as they are, exact
  over the whole range (wrapping on overflow, as torch does).

Each of these is a launch (:func:`minitorch.replay.tape.computed`), so compiled steps replay
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from .. import operators
from ..ops import dtypes
from ..replay import tape
from ..tensor_data import TensorData

if TYPE_CHECKING:
    from ..tensor import Tensor

F64 = dtypes.float64

FLOAT_RESULT = frozenset({
    operators.sigmoid, operators.log, operators.exp, operators.inv, operators.sqrt,
    operators.tanh, operators.ln, operators.sin, operators.cos, operators.div,
    operators.log_back, operators.inv_back, operators.sigmoid_back,
})
"""Functions whose result is a float whatever their inputs (torch: ``int_tensor.exp()``)."""

COMPARISONS = frozenset({operators.lt, operators.eq, operators.is_close})
"""Functions whose result is ``bool``."""


def _relu(a: np.ndarray) -> np.ndarray:
    return np.where(a > 0, a, np.zeros_like(a))


def _relu_back(a: np.ndarray, g: np.ndarray) -> np.ndarray:
    return np.where(a > 0, g, np.zeros_like(g))


EXACT: dict[Callable[..., Any], Callable[..., np.ndarray]] = {
    operators.neg: np.negative, operators.id: np.copy, operators.fabs: np.abs,
    operators.relu: _relu, operators.add: np.add, operators.sub: np.subtract,
    operators.mul: np.multiply, operators.maximum: np.maximum, operators.minimum: np.minimum,
    operators.pow: np.power, operators.lt: np.less, operators.eq: np.equal,
    operators.is_close: np.equal, operators.relu_back: _relu_back,
}
"""numpy's exact integer (and bool) versions of the kernels' functions."""

REDUCTIONS: dict[Callable[..., Any], np.ufunc] = {
    operators.add: np.add, operators.mul: np.multiply, operators.maximum: np.maximum,
}

_BOOL_REFUSED = {
    operators.neg: "negation, the `-` operator, on a bool tensor is not supported; to invert "
    "a mask use the `~` operator or logical_not()",
    operators.sub: "subtraction, the `-` operator, with bool tensors is not supported; use "
    "the `^` operator or logical_xor() instead",
}


def result_dtype(fn: Callable[..., Any], *inputs: dtypes.dtype) -> dtypes.dtype:
    """The dtype ``fn`` computes in: the inputs' promoted type, a float for a float function.
    (A comparison's result is ``bool``; this is the type it compares in.)"""
    dt = inputs[0]
    for other in inputs[1:]:
        dt = dtypes.promote(dt, other)
    return dtypes.floating(dt) if fn in FLOAT_RESULT else dt


def operand_dtype(a: Tensor, b: Tensor) -> dtypes.dtype:
    """The promoted dtype of two operands, with torch's rule for a 0-d tensor beside a
    dimensioned one: like a number, it raises the type only by being of a higher category
    (``float32_matrix * float64_scalar`` is float32)."""
    da, db = a._tensor.dtype, b._tensor.dtype
    if da is db:
        return da
    if (a._tensor.dims == 0) != (b._tensor.dims == 0):
        zero, other = (da, db) if a._tensor.dims == 0 else (db, da)
        return other if zero.category <= other.category else zero
    return dtypes.promote(da, db)


def converted(t: Tensor, dt: dtypes.dtype) -> Tensor:
    """``t``'s values as a new tensor of dtype ``dt`` (a launch; ``t`` itself if it is one)."""
    if t._tensor.dtype is dt:
        return t
    dt.storage_type()  # (refuses bfloat16 before anything is launched)
    values = tape.computed(_cast, t._tensor.array_view(), dt)
    return t._new(TensorData.from_array(values))


def _cast(values: np.ndarray, dt: dtypes.dtype) -> np.ndarray:
    return dt.convert(values)


def _exact(fn: Callable[..., Any], compute: dtypes.dtype, *inputs: Tensor) -> Tensor:
    """``fn`` on the values of ``inputs`` as dtype ``compute``, with numpy (exact)."""
    if compute is dtypes.bool_ and fn in _BOOL_REFUSED:
        raise TypeError(_BOOL_REFUSED[fn])
    ufunc = EXACT.get(fn)
    if ufunc is None:
        raise TypeError(f"{fn.__name__} is not defined for {compute!r} tensors")
    arrays = [converted(t, compute)._tensor.array_view() for t in inputs]
    return inputs[0]._new(TensorData.from_array(tape.computed(ufunc, *arrays)))


def map_(fn: Callable[..., Any], run: Callable[..., Tensor], a: Tensor,
         out: Optional[Tensor]) -> Tensor:
    """``fn(a)`` (into ``out`` when given) for any dtypes; ``run`` is the float64 map."""
    dt = result_dtype(fn, a._tensor.dtype)
    if dt.is_floating_point:
        result = converted(run(converted(a, F64)), dt)
    else:
        result = _exact(fn, dt, a)
    if out is None:
        return result
    out._tensor.write(..., result._tensor.array_view())
    return out


def zip_(fn: Callable[..., Any], run: Callable[..., Tensor], a: Tensor, b: Tensor) -> Tensor:
    """``fn(a, b)`` for any dtypes (a comparison gives ``bool``); ``run`` is the float64 zip."""
    dt = result_dtype(fn, operand_dtype(a, b))
    if dt.is_floating_point:
        result = run(converted(a, F64), converted(b, F64))
        return converted(result, dtypes.bool_ if fn in COMPARISONS else dt)
    return _exact(fn, dt, a, b)


def reduce_(fn: Callable[..., Any], run: Callable[..., Tensor], a: Tensor, dim: int) -> Tensor:
    """``fn`` folded over ``dim`` (kept) for any dtype: a sum or a product of integers or
    bools is an int64 (as torch), a maximum keeps the dtype."""
    dt = a._tensor.dtype
    if dt.is_floating_point:
        return converted(run(converted(a, F64), dim), dt)
    ufunc = REDUCTIONS[fn]
    if ufunc is not np.maximum:
        dt = dtypes.int64
    values = tape.computed(_reduced, converted(a, dt)._tensor.array_view(), ufunc, dim)
    return a._new(TensorData.from_array(values))


def _reduced(values: np.ndarray, ufunc: np.ufunc, dim: int) -> np.ndarray:
    if values.shape[dim] == 0 and ufunc is np.maximum:
        raise RuntimeError(
            f"max of an empty dimension ({dim} of shape {values.shape}): there is no value"
        )
    reduced: np.ndarray = ufunc.reduce(values, axis=dim, keepdims=True)
    return reduced


def matmul(run: Callable[..., Tensor], a: Tensor, b: Tensor) -> Tensor:
    """``a @ b`` for any dtypes: floats through the float64 product, integers exactly."""
    dt = dtypes.promote(a._tensor.dtype, b._tensor.dtype)
    if dt.is_floating_point:
        return converted(run(converted(a, F64), converted(b, F64)), dt)
    if dt is dtypes.bool_:
        raise TypeError("matmul is not defined for bool tensors: convert them with .long()")
    arrays = [converted(t, dt)._tensor.array_view() for t in (a, b)]
    return a._new(TensorData.from_array(tape.computed(np.matmul, *arrays)))
