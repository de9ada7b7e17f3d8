"""The engine of graphs of numbers (minitorch.engine.nodes): every node fully made, and the
same derivatives from its sweep (``backward()``) as from the course's ``backpropagate``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch import Scalar, ScalarFunction, scalar_functions
from minitorch.autodiff import Context
from minitorch.engine.nodes import Node
from minitorch.micrograd import Value


def all_slots(kind: type) -> list[str]:
    return [name for cls in kind.__mro__ for name in getattr(cls, "__slots__", ())]


class Cube3(ScalarFunction):
    """A primitive of three inputs: the generic apply path."""

    @staticmethod
    def forward(ctx: Context, a: float, b: float, c: float) -> float:
        ctx.save_for_backward(a, b, c)
        return a * b * c

    @staticmethod
    def backward(ctx: Context, d: float) -> tuple[float, float, float]:
        a, b, c = ctx.saved_values
        return b * c * d, a * c * d, a * b * d


def every_kind_of_node() -> dict[str, Node]:
    x, y = Scalar(1.5), Scalar(-2.0)
    v, w = Value(1.5), Value(-2.0)
    by_hand = Scalar(4.0)
    by_hand.history = minitorch.ScalarHistory(scalar_functions.Add, Context(), [x, y])
    return {
        "Scalar leaf": x, "Scalar constant": Scalar(3.0, None), "Scalar one input": x.relu(),
        "Scalar two inputs": x * y, "Scalar with a number": 2 + x,
        "Scalar of ScalarFunction.apply": scalar_functions.Mul.apply(x, 3),
        "Scalar of three inputs": Cube3.apply(x, y, 2.0), "Scalar history by hand": by_hand,
        "Value leaf": v, "Value one input": v.tanh(), "Value two inputs": v * w,
        "Value power": v**3, "Value with a number": v + 1,
    }


@pytest.mark.parametrize("kind", list(every_kind_of_node()))
def test_every_slot_is_set(kind: str) -> None:
    """apply1 / apply2 / Value._apply fill the slots written out (see scalar.py): none left
    unset, on any kind of node."""
    node = every_kind_of_node()[kind]
    missing = [s for s in all_slots(type(node)) if not hasattr(node, s)]
    assert not missing, f"{kind}: slots never set: {missing}"


# -- backward() and the course's backpropagate agree ------------------------------------------

Program = list[tuple[str, int, int]]
"""A random graph: each step applies an operation to two earlier values (by position)."""

UNARY = {"relu": lambda a: a.relu(), "tanh": lambda a: a.tanh(), "exp": lambda a: (a * 0.1).exp(),
         "square": lambda a: a**2}
BINARY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}


@st.composite
def programs(draw: Any) -> tuple[list[float], Program]:
    inputs = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=3))
    steps: Program = []
    for k in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(sorted(UNARY) + sorted(BINARY)))
        n = len(inputs) + k
        steps.append((op, draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))))
    return inputs, steps


def run(program: tuple[list[float], Program], make: Callable[[float], Any]) -> tuple[list[Any], Any]:
    inputs, steps = program
    leaves = [make(x) for x in inputs]
    values = list(leaves)
    for op, i, j in steps:
        values.append(UNARY[op](values[i]) if op in UNARY else BINARY[op](values[i], values[j]))
    return leaves, values[-1]


def derivatives(program: tuple[list[float], Program], make: type, walk: bool) -> list[float]:
    """Every leaf's derivative of the program's result, by the node engine's sweep
    (``backward()``) or by the course's ``backpropagate`` (``walk``)."""
    leaves, out = run(program, make)
    if walk:
        minitorch.backpropagate(out, 1.0)
    else:
        out.backward()
    return [(x.grad if make is Value else x.derivative) or 0.0 for x in leaves]


@given(programs())
def test_backward_is_backpropagate_on_scalars_and_values(
    program: tuple[list[float], Program],
) -> None:
    """The sweep and the course's engine, on Scalars and on micrograd's Values, give every
    leaf the same derivative."""
    expected = derivatives(program, Scalar, walk=False)
    for make, walk in ((Scalar, True), (Value, False), (Value, True)):
        for a, b in zip(derivatives(program, make, walk), expected):
            assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (make, walk)


def test_a_history_assigned_by_hand_is_ordered_by_the_walk() -> None:
    """A history naming newer values as inputs (as a lecture may build one) still
    differentiates: the sweep falls back to the course's depth-first order."""
    out = Scalar(0.0)
    x, y = Scalar(2.0), Scalar(5.0)
    out.history = minitorch.ScalarHistory(scalar_functions.Mul, Context(False, (2.0, 5.0)), [x, y])
    out.backward()
    assert (x.derivative, y.derivative) == (5.0, 2.0)


# -- the course's names -----------------------------------------------------------------------


def test_the_courses_primitive_names() -> None:
    """Names the course's API lists (SPEC 1.5, 1.11): ``_forward`` / ``_backward`` on both
    kinds of Function, ``wrap_tuple`` / ``unwrap_tuple`` in scalar_functions."""
    ctx = Context()
    assert scalar_functions.Mul._forward(ctx, 3.0, 4.0) == 12.0
    assert scalar_functions.Mul._backward(ctx, 1.0) == (4.0, 3.0)
    assert scalar_functions.Neg._backward(Context(), 2.0) == (-2.0,)
    assert scalar_functions.wrap_tuple(1.0) == (1.0,)
    assert scalar_functions.unwrap_tuple((1.0,)) == 1.0
    t = minitorch.tensor([1.0, 2.0])
    assert minitorch.Neg._forward(Context(), t).tolist() == [-1.0, -2.0]
    assert minitorch.tensor_functions.Function._backward is not None
