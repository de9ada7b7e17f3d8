"""Tensor constructors with PyTorch's names and signatures.

Sizes are given as torch takes them: ``zeros(3)``, ``zeros(2, 3)``, ``zeros((2, 3))`` or
``zeros([2, 3])`` (the course's ``zeros(shape, backend)`` still works).  Every constructor
puts its tensor on the default backend (``FastBackend`` unless changed with
:func:`minitorch.set_default_backend`) when no ``backend=`` is given, and makes a tensor that
tracks gradients only with ``requires_grad=True``.

The random constructors (``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ...) are
in :mod:`minitorch.ops.random`, with the generators.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt

from ..backends.default import resolve
from ..tensor import Tensor
from ..tensor_data import UserShape, check_shape
from ..tensor_ops import TensorBackend
from . import dtypes
from .values import NUMBERS, as_array, shared_layout

Array = npt.NDArray[Any]


def _number(value: Any, where: str) -> float:
    """A fill value as a float, or ``TypeError`` naming it."""
    if not isinstance(value, NUMBERS):
        raise TypeError(f"{where}: the fill value must be a number, got {value!r}")
    return float(value)


def new_tensor(
    values: Array, backend: Optional[TensorBackend], requires_grad: bool,
    dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """A tensor over ``values`` (used as the storage when it is row-major and of the dtype),
    of ``dtype`` (None: the values' own numpy type, float64 for a type minitorch lacks)."""
    values = np.asarray(values)
    if dtype is not None:
        values = dtypes.resolve(dtype).convert(values)
    elif not dtypes.stored(values.dtype):
        values = values.astype(np.float64)
    values = np.asarray(values, order="C")
    t = Tensor.make(values.reshape(-1), values.shape, backend=resolve(backend))
    return t.requires_grad_(requires_grad)


def parse_size(
    args: Sequence[Any], where: str
) -> tuple[tuple[int, ...], Optional[TensorBackend]]:
    """Sizes given as ints, one tuple/list, or the course's ``(shape, backend)``.

    Returns the shape and the backend when one was passed positionally.
    """
    backend = None
    if args and isinstance(args[-1], TensorBackend):
        backend, args = args[-1], args[:-1]
    if not args:
        raise TypeError(f"{where}() needs a size: {where}(3), {where}(2, 3) or {where}(())")
    if len(args) == 1 and isinstance(args[0], (tuple, list, np.ndarray)):
        args = tuple(args[0])
    for s in args:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{where}: sizes must be integers, got {s!r} in {tuple(args)}")
        if s < 0:
            raise ValueError(f"{where}: sizes must not be negative, got {tuple(args)}")
    shape = tuple(int(s) for s in args)
    check_shape(shape)  # before anything is allocated
    return shape, backend


# -- from data ------------------------------------------------------------------------------------


def tensor(
    ls: Any, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """A tensor from nested lists, a number, a numpy array or a tensor (the data are copied).

    One-element tensors inside lists count as their numbers (``tensor([[b, m]])``), as in
    torch; strings, ``None`` and complex numbers raise ``TypeError``.  Python numbers give
    float64 (also integers: the course asks for their gradients), unless ``dtype`` says
    otherwise (integers are then taken exactly); a numpy array or a tensor keeps its dtype.
    """
    return new_tensor(as_array(ls, dtype), backend, requires_grad, dtype)


def _tensor(
    ls: Any, shape: UserShape, backend: Optional[TensorBackend] = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor from a flat list of values and a shape (the course's helper)."""
    t = Tensor.make(ls, tuple(shape), backend=resolve(backend))
    return t.requires_grad_(requires_grad)


def from_numpy(array: np.ndarray, backend: Optional[TensorBackend] = None) -> Tensor:
    """A tensor over a numpy array.

    A row-major array of a dtype minitorch has is **shared**, as in torch: writing to one
    changes the other.  Other arrays are copied (numpy's other number types as float64).
    """
    return Tensor(shared_layout(array), backend=resolve(backend))


def as_tensor(
    data: Any, backend: Optional[TensorBackend] = None,
    *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """``data`` as a tensor, sharing memory where it can (a tensor itself, a float64 array)."""
    if isinstance(data, Tensor) and dtype is None and backend in (None, data.backend):
        return data
    if isinstance(data, np.ndarray) and dtype is None:
        return from_numpy(data, backend)
    return tensor(data, backend, dtype=dtype)


# -- filled ---------------------------------------------------------------------------------------


def full(
    size: Union[int, Sequence[int]], fill_value: float, backend: Optional[TensorBackend] = None,
    requires_grad: bool = False, *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """A tensor of ``size`` with every entry ``fill_value`` (of the value's dtype, as torch:
    ``full((2,), 7)`` is int64, ``full((2,), True)`` bool, a float float64)."""
    shape, _ = parse_size((size,), "full")
    return new_tensor(np.full(shape, _fill(fill_value, "full", dtype)), backend, requires_grad,
                      dtype)


def _fill(value: Any, where: str, dtype: Optional[dtypes.dtype]) -> Any:
    """A fill value: a float, or (for an integer or bool dtype, or no dtype) as it is."""
    number = _number(value, where)
    if dtype is None and isinstance(value, (bool, int, np.integer, np.bool_)):
        return value
    if dtype is not None and not dtypes.resolve(dtype).is_floating_point:
        return value
    return number


def _filled(
    where: str, size: Sequence[Any], value: float, backend: Optional[TensorBackend],
    requires_grad: bool, dtype: Optional[dtypes.dtype],
) -> Tensor:
    shape, given = parse_size(size, where)
    return new_tensor(np.full(shape, value), backend or given, requires_grad, dtype)


def zeros(
    *size: Any, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """Zeros: ``zeros(2, 3)``, ``zeros((2, 3))``, or the course's ``zeros(shape, backend)``."""
    return _filled("zeros", size, 0.0, backend, requires_grad, dtype)


def ones(
    *size: Any, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """Ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    return _filled("ones", size, 1.0, backend, requires_grad, dtype)


def empty(
    *size: Any, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """A tensor to be filled later.  Unlike torch's, its entries are zeros, never garbage."""
    return _filled("empty", size, 0.0, backend, requires_grad, dtype)


def eye(
    n: int, m: Optional[int] = None, backend: Optional[TensorBackend] = None,
    requires_grad: bool = False, *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """The ``n x m`` identity matrix (``m = n`` by default)."""
    (rows, cols), _ = parse_size((n, n if m is None else m), "eye")
    return new_tensor(np.eye(rows, cols), backend, requires_grad, dtype)


# -- ranges ---------------------------------------------------------------------------------------


def linspace(
    start: float, end: float, steps: int, backend: Optional[TensorBackend] = None,
    requires_grad: bool = False, *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    r"""``steps`` evenly spaced values from ``start`` to ``end`` inclusive:
    :math:`x_i = \text{start} + i \, (\text{end} - \text{start}) / (\text{steps} - 1)`."""
    if int(steps) != steps or steps < 0:
        raise ValueError(f"linspace: steps must be a non-negative integer, got {steps!r}")
    return new_tensor(np.linspace(start, end, int(steps)), backend, requires_grad, dtype)


def arange(
    start: float, end: Optional[float] = None, step: float = 1,
    backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """Values ``start, start + step, ...`` below ``end`` (``arange(n)``: ``0 .. n-1``): int64
    when all three are integers (as torch), else float64."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    whole = all(dtypes.number_category(v) == dtypes.INTEGER for v in (start, end, step))
    kind = np.int64 if whole and (dtype is None or not dtypes.resolve(dtype).is_floating_point) \
        else np.float64
    values = np.arange(start, end, step, dtype=kind)
    return new_tensor(values, backend, requires_grad, dtype)


# -- shaped like another tensor ---------------------------------------------------------------


def like_shape(t: Tensor, where: str) -> tuple[int, ...]:
    """The shape of the tensor a ``*_like`` constructor copies, or ``TypeError``."""
    if not isinstance(t, Tensor):
        raise TypeError(f"{where}: expected a Tensor to take the shape of, got {type(t).__name__}")
    return t.shape


def full_like(t: Tensor, fill_value: float, backend: Optional[TensorBackend] = None,
              requires_grad: bool = False, *, dtype: Optional[dtypes.dtype] = None,
              where: str = "full_like") -> Tensor:
    """``fill_value`` everywhere, with ``t``'s shape and dtype (unless ``dtype``), on ``t``'s
    backend."""
    shape = like_shape(t, where)
    _number(fill_value, where)
    dt = t.dtype if dtype is None else dtype
    return new_tensor(np.full(shape, fill_value), backend or t.backend, requires_grad, dt)


def zeros_like(t: Tensor, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
               *, dtype: Optional[dtypes.dtype] = None) -> Tensor:
    """Zeros with ``t``'s shape, on ``t``'s backend (also ``empty_like``)."""
    return full_like(t, 0.0, backend, requires_grad, dtype=dtype, where="zeros_like")


def ones_like(t: Tensor, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
              *, dtype: Optional[dtypes.dtype] = None) -> Tensor:
    """Ones with ``t``'s shape, on ``t``'s backend."""
    return full_like(t, 1.0, backend, requires_grad, dtype=dtype, where="ones_like")


empty_like = zeros_like
