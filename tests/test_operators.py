"""Module 0 operators: contracts, algebraic properties, list combinators, numba compilation."""

from __future__ import annotations

import math

import numba
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from minitorch import operators
from minitorch.operators import (
    add,
    addLists,
    eq,
    exp,
    id,
    inv,
    inv_back,
    is_close,
    log,
    log_back,
    lt,
    max,
    mul,
    neg,
    negList,
    prod,
    relu,
    relu_back,
    sigmoid,
)
from minitorch.operators import map as mt_map
from minitorch.operators import reduce as mt_reduce
from minitorch.operators import sum as mt_sum
from minitorch.operators import zipWith as mt_zip  # noqa: N813

from .strategies import assert_close, small_floats


@given(small_floats, small_floats)
def test_same_as_python(x: float, y: float) -> None:
    assert mul(x, y) == x * y
    assert add(x, y) == x + y
    assert neg(x) == -x
    assert max(x, y) == (x if x > y else y)
    assert id(x) == x
    assert lt(x, y) == (1.0 if x < y else 0.0)
    assert eq(x, y) == (1.0 if x == y else 0.0)
    assert isinstance(lt(x, y), float) and isinstance(eq(x, y), float)
    if abs(x) > 1e-3:
        assert_close(inv(x), 1.0 / x)


@given(small_floats)
def test_relu(a: float) -> None:
    assert relu(a) == (a if a > 0 else 0.0)
    assert relu_back(a, 3.0) == (3.0 if a > 0 else 0.0)


@given(small_floats, small_floats)
def test_relu_back(a: float, b: float) -> None:
    assert relu_back(a, b) == (b if a > 0 else 0.0)


def test_sigmoid_back_is_the_derivative_from_the_output() -> None:
    for x in [-3.0, 0.0, 0.7, 20.0]:
        s = operators.sigmoid(x)
        slope = (operators.sigmoid(x + 1e-6) - operators.sigmoid(x - 1e-6)) / 2e-6
        assert operators.sigmoid_back(s, 2.0) == pytest.approx(2.0 * slope, rel=1e-5, abs=1e-8)


@given(small_floats)
def test_id(a: float) -> None:
    assert id(a) == a


@given(small_floats)
def test_lt_eq_self(a: float) -> None:
    assert lt(a - 1.0, a) == 1.0
    assert lt(a, a - 1.0) == 0.0
    assert eq(a, a) == 1.0
    assert eq(a, a - 1.0) == 0.0


@given(small_floats)
def test_max(a: float) -> None:
    assert max(a - 1.0, a) == a
    assert max(a, a - 1.0) == a
    assert max(a + 1.0, a) == a + 1.0


@given(small_floats)
def test_eq(a: float) -> None:
    assert eq(a, a) == 1.0
    assert eq(a, a - 1.0) == 0.0
    assert eq(a, a + 1.0) == 0.0


def test_is_close_tolerance() -> None:
    assert is_close(1.0, 1.0 + 0.009)
    assert not is_close(1.0, 1.02)


@given(st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_log_exp_against_math(a: float) -> None:
    assert exp(a) == math.exp(a)
    if a + operators.EPS > 0:
        assert log(a) == math.log(a + operators.EPS)
        assert_close(log_back(a, 2.0) * (a + operators.EPS), 2.0)
    if abs(a) > 1e-100:
        assert inv_back(a, 2.0) == pytest.approx(-2.0 / (a * a))


def test_log_of_zero_is_finite() -> None:
    assert log(0.0) == pytest.approx(math.log(1e-6))


# -- Task 0.2: properties ---------------------------------------------------------


@given(small_floats)
def test_sigmoid(a: float) -> None:
    """Range [0, 1], symmetry 1 - s(a) = s(-a), s(0) = 1/2, and agreement with the formula."""
    s = sigmoid(a)
    assert 0.0 <= s <= 1.0
    assert_close(1.0 - s, sigmoid(-a))
    assert sigmoid(0.0) == 0.5
    assert s == pytest.approx(1.0 / (1.0 + math.exp(-a)), rel=1e-12, abs=1e-300)


@given(small_floats, small_floats)
def test_sigmoid_monotone(a: float, b: float) -> None:
    assume(a < b)
    assert sigmoid(a) <= sigmoid(b)


@pytest.mark.parametrize("x", [1e4, -1e4, 6e4, -6e4, 710.0, -710.0])
def test_sigmoid_stable_for_large_inputs(x: float) -> None:
    s = sigmoid(x)
    assert 0.0 <= s <= 1.0 and not math.isnan(s)


@given(small_floats, small_floats, small_floats)
def test_transitive(a: float, b: float, c: float) -> None:
    if lt(a, b) and lt(b, c):
        assert lt(a, c)


@given(small_floats, small_floats)
def test_symmetric(a: float, b: float) -> None:
    assert mul(a, b) == mul(b, a)


@given(small_floats, small_floats, small_floats)
def test_distribute(z: float, x: float, y: float) -> None:
    assert_close(mul(z, add(x, y)), add(mul(z, x), mul(z, y)))


@given(small_floats)
def test_other(a: float) -> None:
    """Negation is an involution and relu is idempotent."""
    assert neg(neg(a)) == a
    assert relu(relu(a)) == relu(a)


# -- Task 0.3: higher-order functions ------------------------------------------------


@given(small_floats, small_floats, small_floats, small_floats)
def test_zip_with(a: float, b: float, c: float, d: float) -> None:
    x1, x2 = addLists([a, b], [c, d])
    y1, y2 = a + c, b + d
    assert_close(x1, y1)
    assert_close(x2, y2)


@given(st.lists(small_floats, min_size=5, max_size=5), st.lists(small_floats, min_size=5, max_size=5))
def test_sum_distribute(ls1: list[float], ls2: list[float]) -> None:
    """sum(ls1) + sum(ls2) == sum(addLists(ls1, ls2))"""
    assert_close(mt_sum(ls1) + mt_sum(ls2), mt_sum(addLists(ls1, ls2)))


@given(st.lists(small_floats))
def test_sum(ls: list[float]) -> None:
    assert_close(mt_sum(ls), sum(ls))


@given(small_floats, small_floats, small_floats)
def test_prod(x: float, y: float, z: float) -> None:
    assert_close(prod([x, y, z]), x * y * z)


def test_empty_reductions() -> None:
    assert mt_sum([]) == 0
    assert prod(()) == 1


@given(st.lists(small_floats))
def test_negList(ls: list[float]) -> None:  # noqa: N802
    check = negList(ls)
    for i, j in zip(ls, check):
        assert_close(i, -j)


def test_map_zip_reduce_semantics() -> None:
    assert mt_map(lambda x: x * 2)([1.0, 2.0]) == [2.0, 4.0]
    assert mt_zip(lambda x, y: x - y)([5.0, 6.0, 7.0], [1.0, 1.0]) == [4.0, 5.0]
    # element first, accumulator second: fn(x3, fn(x2, fn(x1, x0)))
    assert mt_reduce(lambda x, acc: f"({x},{acc})", "s")(["a", "b"]) == "(b,(a,s))"  # type: ignore[arg-type]


# -- numba: the scalar operators are compilable ---------------------------------------

UNARY = ["id", "neg", "sigmoid", "relu", "log", "exp", "inv", "tanh"]
BINARY = ["mul", "add", "lt", "eq", "max", "is_close", "log_back", "inv_back", "relu_back",
          "tanh_back", "sigmoid_back"]


@pytest.mark.parametrize("name", UNARY)
def test_numba_compiles_unary(name: str) -> None:
    fn = getattr(operators, name)
    jitted = numba.njit(fn)
    for x in [-2.5, 0.5, 3.0] if name != "log" else [0.0, 0.5, 3.0]:
        assert jitted(x) == pytest.approx(fn(x), rel=1e-12)


@pytest.mark.parametrize("name", BINARY)
def test_numba_compiles_binary(name: str) -> None:
    fn = getattr(operators, name)
    jitted = numba.njit(fn)
    for x, y in [(-2.5, 1.5), (0.5, 0.5), (3.0, -1.0)]:
        assert jitted(x, y) == pytest.approx(fn(x, y), rel=1e-12)
