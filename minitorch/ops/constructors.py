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

Array = npt.NDArray[np.float64]


def _number(value: Any, where: str) -> float:
    """A fill value as a float, or ``TypeError`` naming it."""
    if not isinstance(value, NUMBERS):
        raise TypeError(f"{where}: the fill value must be a number, got {value!r}")
    return float(value)


def new_tensor(
    values: Array, backend: Optional[TensorBackend], requires_grad: bool,
    dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """A tensor over ``values`` (used as the storage when it is row-major float64)."""
    values = np.asarray(dtypes.convert(values, dtype), dtype=np.float64, order="C")
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
    torch; strings, ``None`` and complex numbers raise ``TypeError``.
    """
    return new_tensor(as_array(ls), backend, requires_grad, dtype)


def _tensor(
    ls: Any, shape: UserShape, backend: Optional[TensorBackend] = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor from a flat list of values and a shape (the course's helper)."""
    t = Tensor.make(ls, tuple(shape), backend=resolve(backend))
    return t.requires_grad_(requires_grad)


def from_numpy(array: np.ndarray, backend: Optional[TensorBackend] = None) -> Tensor:
    """A tensor over a numpy array.

    A row-major float64 array is **shared**, as in torch: writing to one changes the other.
    Arrays of other number types are converted to float64, which makes a copy.
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
    """A tensor of ``size`` with every entry ``fill_value``."""
    shape, _ = parse_size((size,), "full")
    return new_tensor(np.full(shape, _number(fill_value, "full")), backend, requires_grad, dtype)


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
    start: float, end: Optional[float] = None, step: float = 1.0,
    backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """Values ``start, start + step, ...`` below ``end`` (``arange(n)``: ``0 .. n-1``)."""
    if end is None:
        start, end = 0.0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    return new_tensor(np.arange(start, end, step, dtype=np.float64), backend, requires_grad, dtype)


# -- shaped like another tensor ---------------------------------------------------------------


def like_shape(t: Tensor, where: str) -> tuple[int, ...]:
    """The shape of the tensor a ``*_like`` constructor copies, or ``TypeError``."""
    if not isinstance(t, Tensor):
        raise TypeError(f"{where}: expected a Tensor to take the shape of, got {type(t).__name__}")
    return t.shape


def full_like(t: Tensor, fill_value: float, backend: Optional[TensorBackend] = None,
              requires_grad: bool = False, *, dtype: Optional[dtypes.dtype] = None,
              where: str = "full_like") -> Tensor:
    """``fill_value`` everywhere, with ``t``'s shape, on ``t``'s backend."""
    shape = like_shape(t, where)
    return new_tensor(np.full(shape, _number(fill_value, where)), backend or t.backend,
                      requires_grad, dtype)


def zeros_like(t: Tensor, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
               *, dtype: Optional[dtypes.dtype] = None) -> Tensor:
    """Zeros with ``t``'s shape, on ``t``'s backend (also ``empty_like``)."""
    return full_like(t, 0.0, backend, requires_grad, dtype=dtype, where="zeros_like")


def ones_like(t: Tensor, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
              *, dtype: Optional[dtypes.dtype] = None) -> Tensor:
    """Ones with ``t``'s shape, on ``t``'s backend."""
    return full_like(t, 1.0, backend, requires_grad, dtype=dtype, where="ones_like")


empty_like = zeros_like
