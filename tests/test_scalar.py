"""Scalar autodiff: every scalar function checked against plain math, central
differences (derivative_check) and PyTorch float64, plus the errors users meet."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

import minitorch
from minitorch import MathTestVariable, Scalar, ScalarFunction, derivative_check, operators
from minitorch.scalar_functions import (
    EQ,
    LT,
    Add,
    Exp,
    Inv,
    Log,
    Mul,
    Neg,
    Pow,
    ReLU,
    Sigmoid,
    Tanh,
)

from .strategies import assert_close, small_floats

one_arg, two_arg, red_arg = MathTestVariable._comp_testing()

# Points where a catalogue function has a kink, pole or jump: numerical derivatives
# are meaningless there, so examples are kept at least this far away.
GAP = 1e-3


def away_from_singularities(name: str, a: float, b: float = 0.0) -> None:
    if name in ("relu",):
        assume(abs(a + 5.5) > GAP)
    if name == "inv":
        assume(abs(a + 3.5) > 0.5)
    if name == "complex":
        assume(abs(a * 10 + 7) > GAP)
    if name == "div2":
        assume(abs(b + 5.5) > 0.5)
    if name in ("gt2", "lt2"):
        assume(abs(a + 1.2 - b) > GAP)
    if name == "eq2":
        assume(abs(a - (b + 5.5)) > GAP)


def test_catalogue_is_the_courses() -> None:
    assert [n for n, _, _ in one_arg] == [
        "addConstant", "complex", "cube", "div", "exp", "explog", "inv", "log",
        "multConstant", "neg", "relu", "sig", "square", "subConstant",
    ]
    assert [n for n, _, _ in two_arg] == ["add2", "div2", "eq2", "gt2", "lt2", "mul2"]
    assert [n for n, _, _ in red_arg] == ["mean_full_red", "mean_red", "sum_red"]


@pytest.mark.parametrize("name,base_fn,scalar_fn", one_arg, ids=[t[0] for t in one_arg])
@given(a=small_floats)
def test_one_arg_forward(name: str, base_fn: Callable[..., Any], scalar_fn: Callable[..., Any], a: float) -> None:
    if name == "inv":
        assume(abs(a + 3.5) > GAP)
    out = scalar_fn(Scalar(a))
    assert out.data == pytest.approx(base_fn(a), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name,base_fn,scalar_fn", two_arg, ids=[t[0] for t in two_arg])
@given(a=small_floats, b=small_floats)
def test_two_arg_forward(name: str, base_fn: Callable[..., Any], scalar_fn: Callable[..., Any], a: float, b: float) -> None:
    if name == "div2":
        assume(abs(b + 5.5) > GAP)
    out = scalar_fn(Scalar(a), Scalar(b))
    assert out.data == pytest.approx(base_fn(a, b), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name,base_fn,scalar_fn", one_arg, ids=[t[0] for t in one_arg])
@given(a=small_floats)
def test_one_derivative(name: str, base_fn: Callable[..., Any], scalar_fn: Callable[..., Any], a: float) -> None:
    away_from_singularities(name, a)
    derivative_check(scalar_fn, Scalar(a))


@pytest.mark.parametrize("name,base_fn,scalar_fn", two_arg, ids=[t[0] for t in two_arg])
@given(a=small_floats, b=small_floats)
def test_two_derivative(name: str, base_fn: Callable[..., Any], scalar_fn: Callable[..., Any], a: float, b: float) -> None:
    away_from_singularities(name, a, b)
    derivative_check(scalar_fn, Scalar(a), Scalar(b))


def torch_grads(fn: Callable[..., Any], *vals: float) -> tuple[float, list[float]]:
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in vals]
    out = fn(*xs)
    out.backward()
    return out.item(), [0.0 if x.grad is None else x.grad.item() for x in xs]


DIFFERENTIABLE_TWO = [t for t in two_arg if t[0] in ("add2", "mul2", "div2")]


@pytest.mark.parametrize("name,base_fn,scalar_fn", one_arg, ids=[t[0] for t in one_arg])
@given(a=small_floats)
def test_one_arg_against_torch(name: str, base_fn: Callable[..., Any], scalar_fn: Callable[..., Any], a: float) -> None:
    away_from_singularities(name, a)
    x = Scalar(a)
    out = scalar_fn(x)
    out.backward()
    t_out, (t_grad,) = torch_grads(scalar_fn, a)
    # abs 1e-7: the course's log adds 1e-6 inside (log(1 + 1e-6) / 50 in `complex`)
    assert out.data == pytest.approx(t_out, rel=1e-9, abs=1e-7)
    assert x.derivative == pytest.approx(t_grad, rel=1e-7, abs=1e-12)


@pytest.mark.parametrize("name,base_fn,scalar_fn", DIFFERENTIABLE_TWO, ids=[t[0] for t in DIFFERENTIABLE_TWO])
@given(a=small_floats, b=small_floats)
def test_two_arg_against_torch(name: str, base_fn: Callable[..., Any], scalar_fn: Callable[..., Any], a: float, b: float) -> None:
    away_from_singularities(name, a, b)
    x, y = Scalar(a), Scalar(b)
    out = scalar_fn(x, y)
    out.backward()
    t_out, (ga, gb) = torch_grads(scalar_fn, a, b)
    assert out.data == pytest.approx(t_out, rel=1e-12, abs=1e-12)
    assert x.derivative == pytest.approx(ga, rel=1e-9, abs=1e-12)
    assert y.derivative == pytest.approx(gb, rel=1e-9, abs=1e-12)


# Each primitive on its own: (apply on Scalars, torch version, domain check).
PRIMITIVES: dict[str, tuple[Callable[..., Scalar], Callable[..., Any], Callable[..., bool]]] = {
    "Add": (lambda a, b: Add.apply(a, b), lambda a, b: a + b, lambda a, b: True),
    "Mul": (lambda a, b: Mul.apply(a, b), lambda a, b: a * b, lambda a, b: True),
    "Neg": (lambda a: Neg.apply(a), lambda a: -a, lambda a: True),
    "Inv": (lambda a: Inv.apply(a), lambda a: 1.0 / a, lambda a: abs(a) > 0.1),
    "Log": (lambda a: Log.apply(a), lambda a: torch.log(a + operators.EPS), lambda a: a > 0.01),
    "Exp": (lambda a: Exp.apply(a), torch.exp, lambda a: True),
    "Sigmoid": (lambda a: Sigmoid.apply(a), torch.sigmoid, lambda a: True),
    "ReLU": (lambda a: ReLU.apply(a), torch.relu, lambda a: abs(a) > GAP),
    "Tanh": (lambda a: Tanh.apply(a), torch.tanh, lambda a: True),
    "Pow3": (lambda a: Pow.apply(a, 3), lambda a: a**3, lambda a: True),
    "Pow-2": (lambda a: Pow.apply(a, -2), lambda a: a**-2, lambda a: abs(a) > 0.1),
    "Pow0.5": (lambda a: Pow.apply(a, 0.5), lambda a: a**0.5, lambda a: a > 0.1),
}


@pytest.mark.parametrize("name", list(PRIMITIVES))
@given(data=st.data())
def test_primitive_three_ways(name: str, data: st.DataObject) -> None:
    """Forward and derivative equal PyTorch float64; derivative passes derivative_check."""
    ours, theirs, ok = PRIMITIVES[name]
    n_args = ours.__code__.co_argcount
    vals = [data.draw(st.floats(min_value=-20, max_value=20, allow_nan=False)) for _ in range(n_args)]
    assume(ok(*vals))
    xs = [Scalar(v) for v in vals]
    out = ours(*xs)
    out.backward()
    t_out, t_grads = torch_grads(theirs, *vals)
    assert out.data == pytest.approx(t_out, rel=1e-10, abs=1e-12)
    for x, g in zip(xs, t_grads):
        assert x.derivative == pytest.approx(g, rel=1e-7, abs=1e-10)
    derivative_check(ours, *[Scalar(v) for v in vals])


@given(small_floats, small_floats)
def test_comparisons_are_scalars_with_zero_gradient(a: float, b: float) -> None:
    x, y = Scalar(a), Scalar(b)
    for out, expected in [(x < y, a < b), (x > y, a > b), (x == y, a == b)]:
        assert isinstance(out, Scalar) and out.data == (1.0 if expected else 0.0)
        assert bool(out) == expected
    (LT.apply(x, y) + EQ.apply(x, y)).backward()
    assert x.derivative == 0.0 and y.derivative == 0.0


def test_scalar_api() -> None:
    a = Scalar(10)
    assert repr(a) == "Scalar(10.000000)"
    assert a.data == 10.0 and isinstance(a.data, float)
    assert a.is_leaf() and not a.is_constant() and a.derivative is None
    assert a.name == str(a.unique_id)
    assert Scalar(1.0, name="w").name == "w"
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)
    assert (5 + a).data == 15.0 and (5 * a).data == 50.0 and (a - 5).data == 5.0
    assert (1.0 - a).data == -9.0  # __rsub__ (our extension)
    assert (1.0 / a).data == pytest.approx(0.1) and (a / 4).data == 2.5
    assert (a**2).data == 100.0 and (-a).data == -10.0
    assert a.tanh().data == pytest.approx(math.tanh(10.0))
    c = Scalar(3.0, None)
    assert c.is_constant() and c.history is None


@given(small_floats, small_floats)
def test_rsub_and_pow_gradients(a: float, b: float) -> None:
    x = Scalar(a)
    (b - x * x).backward()
    assert x.derivative == pytest.approx(-2 * a, rel=1e-12, abs=1e-12)
    y = Scalar(a)
    (y**3).backward()
    assert_close(y.derivative / max(1.0, abs(3 * a * a)), 3 * a * a / max(1.0, abs(3 * a * a)))


# -- errors --------------------------------------------------------------------------------


def test_forward_returning_non_float_is_an_error() -> None:
    class Bad(ScalarFunction):
        @staticmethod
        def forward(ctx: minitorch.Context, x: float) -> str:
            return "oops"

    with pytest.raises(TypeError, match=r"Bad.forward must return a float, but returned str 'oops'"):
        Bad.apply(Scalar(1.0))


def test_forward_returning_int_is_coerced() -> None:
    class TimesFive(ScalarFunction):
        @staticmethod
        def forward(ctx: minitorch.Context, x: float) -> float:
            return x * 5

    out = TimesFive.apply(2)
    assert out.data == 10.0 and isinstance(out.data, float)


@pytest.mark.parametrize("bad", ["x", None, [1.0], Scalar(1.0)])
def test_scalar_needs_a_number(bad: Any) -> None:
    with pytest.raises(TypeError, match=r"Scalar\(\) needs a real number, got"):
        Scalar(bad)


def test_backward_on_constant() -> None:
    with pytest.raises(RuntimeError, match=r"backward\(\) called on a constant Scalar\(2.000000\)"):
        Scalar(2.0, None).backward()


def test_log_of_negative_number() -> None:
    """Our choice: log of x <= -1e-6 raises instead of returning NaN."""
    with pytest.raises(ValueError, match=r"log\(x\) is undefined for x = -2.0"):
        Scalar(-2.0).log()
    assert Scalar(0.0).log().data == pytest.approx(math.log(1e-6))


def test_domain_errors() -> None:
    with pytest.raises(ValueError, match=r"-8.0 \*\* 0.5 is not a real number"):
        Scalar(-8.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="x = 0"):
        1.0 / Scalar(0.0)
    with pytest.raises(TypeError, match="needs a number exponent"):
        Scalar(2.0) ** Scalar(2.0)  # type: ignore[operator]


def test_backward_with_wrong_number_of_derivatives() -> None:
    class OneDerivative(ScalarFunction):
        @staticmethod
        def forward(ctx: minitorch.Context, a: float, b: float) -> float:
            return 1.0 if a < b else 0.0

        @staticmethod
        def backward(ctx: minitorch.Context, d: float) -> float:
            return 0.0

    with pytest.raises(RuntimeError, match="returned 1 derivative.*for 2 input"):
        OneDerivative.apply(Scalar(1.0), Scalar(2.0)).backward()
