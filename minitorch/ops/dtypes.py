"""torch's dtype names (``minitorch.float32``, ``minitorch.long``, ...), for code written for torch.

Every minitorch tensor stores float64.  A ``dtype=`` argument is accepted so that torch code
runs; what it changes is the *values*: integer dtypes truncate towards zero and ``bool`` gives
0.0 / 1.0, as torch's conversion would, while float dtypes keep full float64 precision.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np


class dtype:  # noqa: N801 - torch's name
    """A torch dtype name and the numpy type whose conversion it applies to values."""

    def __init__(self, name: str, numpy_type: Any, is_floating_point: bool) -> None:
        self.name = name
        self.numpy_type = numpy_type
        self.is_floating_point = is_floating_point

    def __repr__(self) -> str:
        return f"minitorch.{self.name}"

    def convert(self, values: np.ndarray) -> np.ndarray:
        """``values`` (float64) as this dtype would hold them, back in float64."""
        if self.is_floating_point:
            return values
        if self.numpy_type is not np.bool_ and not np.all(np.isfinite(values)):
            raise ValueError(f"cannot convert non-finite values to {self!r}")
        return values.astype(self.numpy_type).astype(np.float64)


float16 = dtype("float16", np.float16, True)
float32 = dtype("float32", np.float32, True)
float64 = dtype("float64", np.float64, True)
bfloat16 = dtype("bfloat16", np.float32, True)
uint8 = dtype("uint8", np.uint8, False)
int8 = dtype("int8", np.int8, False)
int16 = dtype("int16", np.int16, False)
int32 = dtype("int32", np.int32, False)
int64 = dtype("int64", np.int64, False)
bool_ = dtype("bool", np.bool_, False)

ALIASES = {
    "half": float16, "float": float32, "double": float64, "short": int16, "int": int32,
    "long": int64, "bool": bool_,
}
"""torch's other names for the same dtypes (``torch.float`` is float32, ``torch.long`` int64)."""


def convert(values: np.ndarray, dt: Optional[dtype]) -> np.ndarray:
    """Apply ``dt``'s conversion to ``values`` (no-op for None and float dtypes)."""
    if dt is None:
        return values
    if not isinstance(dt, dtype):
        raise TypeError(f"dtype must be a minitorch dtype such as minitorch.float64, got {dt!r}")
    return dt.convert(values)
