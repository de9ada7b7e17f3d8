r"""torch's dtypes (``minitorch.float32``, ``minitorch.long``, ...) and its type promotion.

A tensor's dtype is the numpy type of its storage: ``bool``, ``uint8``, ``int8``, ``int16``,
``int32``, ``int64``, ``float16``, ``float32`` or ``float64`` (the default float type).
Operations on two dtypes give the result torch gives (:func:`promote`): the higher
*category* wins (bool < integers < floats), and within a category the wider type.  A Python
number beside a tensor takes the tensor's dtype when it is of the same category or a lower
one (:func:`number_dtype`: ``int_tensor * 2`` stays an integer tensor, ``float32_tensor * 0.5``
float32), and otherwise the category's default (``int64``, ``float64``).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

BOOL, INTEGER, FLOAT = 0, 1, 2
"""The categories of :func:`promote`."""


class dtype:  # noqa: N801 - torch's name
    """A tensor element type: torch's name, and the numpy type its storage has."""

    __slots__ = ("name", "numpy_type", "category", "is_floating_point", "is_signed", "itemsize")

    def __init__(self, name: str, numpy_type: Optional[type]) -> None:
        self.name = name
        stored = None if numpy_type is None else np.dtype(numpy_type)
        self.numpy_type = stored
        kind = "f" if stored is None else stored.kind  # (bfloat16: a float)
        self.category = {"b": BOOL, "u": INTEGER, "i": INTEGER, "f": FLOAT}[kind]
        self.is_floating_point = self.category == FLOAT
        self.is_signed = kind in "if"
        self.itemsize = 2 if self.numpy_type is None else self.numpy_type.itemsize

    def __repr__(self) -> str:
        return f"minitorch.{self.name}"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return resolve, (self.name,)  # pickled by name: the same object comes back

    def storage_type(self) -> np.dtype:
        """The numpy type of a storage of this dtype, or ``TypeError`` (bfloat16)."""
        if self.numpy_type is None:
            raise TypeError(
                f"minitorch tensors cannot hold {self!r}: numpy has no such type; "
                "use minitorch.float32 (or float16)"
            )
        return self.numpy_type

    def convert(self, values: np.ndarray) -> np.ndarray:
        """``values`` as this dtype stores them (integers truncated towards zero, as torch),
        or ``ValueError`` for values an integer type cannot hold (NaN, inf, out of range)."""
        target = self.storage_type()
        values = np.asarray(values)
        if values.dtype == target:
            return values
        if self.category == INTEGER and values.dtype.kind == "f" and values.size:
            info = np.iinfo(target)
            bad = ~np.isfinite(values) | (values < info.min) | (values >= float(info.max) + 1)
            if bad.any():
                raise ValueError(
                    f"cannot convert {values[bad].ravel()[0].item()!r} to {self!r}: it holds whole "
                    f"numbers from {info.min} to {info.max}"
                )
        return values.astype(target)


bool_ = dtype("bool", np.bool_)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
bfloat16 = dtype("bfloat16", None)

default_float = float64
"""The float type of tensors made from Python floats, and of integer results of float ops
(torch's default is float32; see the dtypes guide for why minitorch keeps float64)."""

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64, bfloat16)
ALIASES = {
    "half": float16, "float": float32, "double": float64, "short": int16, "int": int32,
    "long": int64, "bool": bool_,
}
"""torch's other names for the same dtypes (``torch.float`` is float32, ``torch.long`` int64)."""

BY_NAME = {**{d.name: d for d in ALL}, **ALIASES}
_BY_NUMPY = {d.numpy_type: d for d in ALL if d.numpy_type is not None}


def of(numpy_type: Any) -> dtype:
    """The dtype of a numpy type (``np.int64`` -> ``minitorch.int64``), or ``TypeError``."""
    found = _BY_NUMPY.get(np.dtype(numpy_type))
    if found is None:
        raise TypeError(
            f"minitorch tensors hold bool, integers (uint8, int8 .. int64) and floats "
            f"(float16, float32, float64), not numpy's {np.dtype(numpy_type)}"
        )
    return found


def stored(numpy_type: Any) -> bool:
    """Whether a numpy array of this type can be a storage as it is."""
    return numpy_type in _BY_NUMPY


def resolve(dt: Any) -> dtype:
    """A dtype given as a dtype, its name (``"float32"``), or a numpy type."""
    if isinstance(dt, dtype):
        return dt
    if isinstance(dt, str) and dt in BY_NAME:
        return BY_NAME[dt]
    try:
        return of(dt)
    except TypeError:
        raise TypeError(
            f"dtype must be a minitorch dtype such as minitorch.float64, got {dt!r}"
        ) from None


def promote(a: dtype, b: dtype) -> dtype:
    """torch's result type of an operation on tensors of dtypes ``a`` and ``b``.

    >>> promote(int64, float32), promote(uint8, int8), promote(bool_, int32)
    (minitorch.float32, minitorch.int16, minitorch.int32)
    """
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.numpy_type is None or b.numpy_type is None:  # bfloat16 beside another float
        return b if a.numpy_type is None else a
    return of(np.promote_types(a.numpy_type, b.numpy_type))


def number_category(value: Any) -> int:
    """The category of a Python (or numpy) number."""
    if isinstance(value, (bool, np.bool_)):
        return BOOL
    if isinstance(value, (int, np.integer)):
        return INTEGER
    return FLOAT


def number_dtype(value: Any, beside: dtype) -> dtype:
    """The dtype a number takes in an operation with a tensor of dtype ``beside``: the
    tensor's own when the number's category is not higher, else that category's default."""
    category = number_category(value)
    if category <= beside.category:
        return beside
    return int64 if category == INTEGER else default_float


def floating(dt: dtype) -> dtype:
    """The result dtype of a float operation (``exp``, ``/``) on ``dt``: itself if it is a
    float type, else the default float type (torch: an integer tensor's ``exp`` is a float)."""
    return dt if dt.is_floating_point else default_float

