"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

import minitorch

small_floats = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False)
small_ints = st.integers(min_value=1, max_value=3)


def scalars(min_value: float = -100, max_value: float = 100) -> st.SearchStrategy[minitorch.Scalar]:
    """Leaf Scalars with values in ``[min_value, max_value]``."""
    return st.floats(
        min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False
    ).map(minitorch.Scalar)


def assert_close(a: float, b: float) -> None:
    """The course's closeness check: ``operators.is_close`` (absolute 1e-2)."""
    assert minitorch.operators.is_close(a, b), f"Failure x={a} y={b}"
