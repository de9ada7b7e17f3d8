"""User data as numbers: nested lists, numbers, numpy arrays and one-element tensors become a
numpy array (float64 for Python numbers, a numpy array's or a tensor's own dtype otherwise),
or a ``TypeError`` / ``ValueError`` that says where the data is wrong
(strings, ``None``, complex numbers, ragged lists).  Used by the constructors and by
``Tensor`` when numbers and arrays meet tensors.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import numpy.typing as npt

from ..tensor_data import TensorData
from . import dtypes

Array = npt.NDArray[Any]

NUMBERS = (int, float, np.integer, np.floating, np.bool_)


def _is_tensor(x: Any) -> bool:
    return hasattr(x, "_tensor") and hasattr(x, "item")


def numeric(arr: np.ndarray, where: str = "tensor") -> Array:
    """A copy of a numpy array of numbers, of its own type when a tensor can have it (else
    float64); ``TypeError`` for anything else."""
    kind = arr.dtype.kind
    if kind in "biuf":
        return arr.astype(arr.dtype if dtypes.stored(arr.dtype) else np.float64)
    if kind == "O":
        flat: list[float] = []
        shape = _flatten(arr.tolist(), "data", flat)
        return np.array(flat, dtype=np.float64).reshape(shape)
    what = "complex numbers" if kind == "c" else f"values of numpy type {arr.dtype}"
    raise TypeError(f"{where}: minitorch tensors hold real numbers (float64), got {what}")


def _leaf(x: Any, path: str) -> float:
    """One number of a nested list (a one-element tensor counts as its number, as in torch),
    as a Python number (ints stay exact)."""
    if isinstance(x, NUMBERS):
        return x.item() if isinstance(x, np.generic) else x
    if _is_tensor(x):
        if x._tensor.size != 1:
            raise ValueError(
                f"tensor: {path} is a tensor of shape {x.shape}; inside a list only "
                "one-element tensors can stand for a number (use minitorch.stack to join tensors)"
            )
        value: float = x.item()
        return value
    raise TypeError(
        f"tensor: {path} is {type(x).__name__} {x!r}; a tensor holds numbers (float64)"
    )


def _flatten(data: Any, path: str, flat: list[float]) -> tuple[int, ...]:
    """Append the numbers of nested lists ``data`` to ``flat``; return their shape.

    Raises ``ValueError`` naming the place where the lists are ragged.
    """
    if isinstance(data, np.ndarray):
        arr = numeric(data)
        flat.extend(arr.ravel().tolist())
        return arr.shape
    if not isinstance(data, (list, tuple)):
        flat.append(_leaf(data, path))
        return ()
    if not data:
        return (0,)
    if all(type(x) is float or type(x) is int for x in data):  # the common case, fast
        flat.extend(data)
        return (len(data),)
    shapes = [_flatten(x, f"{path}[{i}]", flat) for i, x in enumerate(data)]
    for i, s in enumerate(shapes[1:], start=1):
        if s != shapes[0]:
            raise ValueError(
                f"tensor: ragged nested list: {path}[0] has shape {shapes[0]} "
                f"but {path}[{i}] has shape {s}"
            )
    return (len(data),) + shapes[0]


def as_array(data: Any, dtype: Optional[dtypes.dtype] = None) -> Array:
    """``data`` (nested lists, numbers, numpy arrays, tensors) as a new numpy array: Python
    numbers as float64 (all bools: bool), or (``dtype`` an integer or bool type) exactly as
    that type."""
    if _is_tensor(data):
        copy: Array = data.to_numpy()
        return copy
    if isinstance(data, (np.ndarray, np.generic)):
        return numeric(np.asarray(data))
    flat: list[float] = []
    shape = _flatten(data, "data", flat)
    if dtype is None and flat and all(type(v) is bool for v in flat):
        return np.array(flat, dtype=np.bool_).reshape(shape)  # torch: a mask
    if dtype is None or dtypes.resolve(dtype).is_floating_point:
        return np.array(flat, dtype=np.float64).reshape(shape)
    dt = dtypes.resolve(dtype)
    try:
        exact = np.array(flat, dtype=dt.storage_type() if _whole(flat) else np.float64)
    except OverflowError:
        raise OverflowError(f"tensor: a value does not fit in {dt!r}: {_widest(flat)!r}") from None
    return dt.convert(exact).reshape(shape)


def _whole(flat: list[Any]) -> bool:
    return all(isinstance(v, (bool, int)) for v in flat)


def _widest(flat: list[Any]) -> Any:
    return max(flat, key=lambda v: abs(v))


def shared_layout(array: np.ndarray) -> TensorData:
    """The layout of a numpy array's values, **sharing** its memory when it is row-major
    of a dtype minitorch has (as torch's ``from_numpy``); others are copied (a copy)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy array, got {type(array).__name__}")
    if dtypes.stored(array.dtype) and array.flags.c_contiguous:
        return TensorData(array.reshape(-1), array.shape)
    return TensorData.from_array(numeric(array, "from_numpy"))
