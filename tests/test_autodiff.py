"""The autodiff core: central differences, chain rule, topological order, backpropagation,
and the engine's guarantees (iterative, cycle-free, accumulating)."""

from __future__ import annotations

import gc
import math
import random
import tracemalloc

import pytest

import minitorch
from minitorch import Context, Scalar, ScalarFunction, ScalarHistory, operators
from minitorch.train.scalar_train import Network

# -- central_difference ---------------------------------------------------------------


def test_central_difference_pinned_points() -> None:
    d = minitorch.central_difference(operators.id, 5, arg=0)
    assert d == pytest.approx(1.0, abs=1e-2)
    assert minitorch.central_difference(operators.add, 5, 10, arg=0) == pytest.approx(1.0, abs=1e-2)
    assert minitorch.central_difference(operators.mul, 5, 10, arg=0) == pytest.approx(10.0, abs=1e-2)
    assert minitorch.central_difference(operators.mul, 5, 10, arg=1) == pytest.approx(5.0, abs=1e-2)
    assert minitorch.central_difference(operators.exp, 2, arg=0) == pytest.approx(math.exp(2), abs=1e-2)


def test_central_difference_on_scalars_returns_scalar() -> None:
    d = minitorch.central_difference(lambda x: x * x, Scalar(3.0))
    assert isinstance(d, Scalar) and d.data == pytest.approx(6.0, abs=1e-4)


def test_central_difference_bad_arg() -> None:
    with pytest.raises(IndexError, match="arg=2 is out of range for 2"):
        minitorch.central_difference(operators.add, 1.0, 2.0, arg=2)


# -- chain rule (course tests) ----------------------------------------------------------


class Function1(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, x: float, y: float) -> float:
        "$f(x, y) = x + y + 10$"
        return x + y + 10

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        "Derivatives are $f'_x(x, y) = 1$ and $f'_y(x, y) = 1$"
        return d_output, d_output


class Function2(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, x: float, y: float) -> float:
        "$f(x, y) = x \times y + x$"
        ctx.save_for_backward(x, y)
        return x * y + x

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        "Derivatives are $f'_x(x, y) = y + 1$ and $f'_y(x, y) = x$"
        x, y = ctx.saved_values
        return d_output * (y + 1), d_output * x


def test_chain_rule1() -> None:
    x = Scalar(0.0)
    constant = Scalar(0.0, ScalarHistory(Function1, ctx=Context(), inputs=[x, x]))
    back = list(constant.chain_rule(d_output=5))
    assert len(back) == 2


def test_chain_rule2() -> None:
    var = Scalar(0.0, ScalarHistory())
    constant = Scalar(0.0, ScalarHistory(Function1, ctx=Context(), inputs=[var, var]))
    back = list(constant.chain_rule(d_output=5))
    assert len(back) == 2
    variable, deriv = back[0]
    assert deriv == 5


def test_chain_rule3() -> None:
    """A plain number becomes a constant input, but chain_rule still reports it."""
    constant = 10
    var = Scalar(5)
    y = Function2.apply(constant, var)
    back = list(y.chain_rule(d_output=5))
    assert len(back) == 2
    variable, deriv = back[1]
    assert variable is var
    assert deriv == 5 * 10
    assert back[0][0].is_constant()


def test_chain_rule4() -> None:
    var1 = Scalar(5)
    var2 = Scalar(10)
    y = Function2.apply(var1, var2)
    back = list(y.chain_rule(d_output=5))
    assert len(back) == 2
    variable, deriv = back[0]
    assert deriv == 5 * (10 + 1)
    variable, deriv = back[1]
    assert deriv == 5 * 5


def test_backprop1() -> None:
    var = Scalar(0)
    var2 = Function1.apply(0, var)
    var2.backward(d_output=5)
    assert var.derivative == 5


def test_backprop2() -> None:
    var = Scalar(0)
    var2 = Function1.apply(0, var)
    var3 = Function1.apply(0, var2)
    var3.backward(d_output=5)
    assert var.derivative == 5


def test_backprop3() -> None:
    var1 = Scalar(0)
    var2 = Function1.apply(0, var1)
    var3 = Function1.apply(0, var1)
    var4 = Function1.apply(var2, var3)
    var4.backward(d_output=5)
    assert var1.derivative == 10


def test_backprop4() -> None:
    var0 = Scalar(0)
    var1 = Function1.apply(0, var0)
    var2 = Function1.apply(0, var1)
    var3 = Function1.apply(0, var1)
    var4 = Function1.apply(var2, var3)
    var4.backward(d_output=5)
    assert var0.derivative == 10


def test_hand_computed_graph() -> None:
    """f(a, b) = (a*b + a) * sigmoid(b): derivatives worked out by hand."""
    a, b = Scalar(2.0), Scalar(-1.5)
    out = (a * b + a) * b.sigmoid()
    out.backward()
    s = 1.0 / (1.0 + math.exp(1.5))
    assert a.derivative == pytest.approx((b.data + 1.0) * s, rel=1e-12)
    assert b.derivative == pytest.approx(a.data * s + (a.data * b.data + a.data) * s * (1 - s), rel=1e-12)
    assert out.derivative is None  # intermediates keep no derivative


# -- topological order -------------------------------------------------------------------


def test_topological_sort_diamond() -> None:
    """out = a + b where a = f(b): a must come before b so b's derivative is complete."""
    x = Scalar(1.0)
    b = x * 2.0
    a = b.relu()
    out = b + a
    order = minitorch.topological_sort(out)
    ids = [v.unique_id for v in order]
    assert ids[0] == out.unique_id
    assert ids.index(a.unique_id) < ids.index(b.unique_id) < ids.index(x.unique_id)
    assert len(ids) == len(set(ids)) == 4  # constants (the 2.0) are excluded
    out.backward()
    assert x.derivative == 4.0


def test_topological_sort_of_constant_is_empty() -> None:
    assert minitorch.topological_sort(Scalar(1.0, None)) == []


# -- engine guarantees ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "build,expected",
    [
        (lambda x: x * x, 2 * 3.0),
        (lambda x: x + x, 2.0),
        (lambda x: (x * 2.0).relu() + x.exp() * x, 2.0 + math.exp(3.0) * 4.0),
    ],
    ids=["x*x", "a+a", "two-branches"],
)
def test_reused_nodes_sum_gradients(build, expected) -> None:  # type: ignore[no-untyped-def]
    x = Scalar(3.0)
    build(x).backward()
    assert x.derivative == pytest.approx(expected, rel=1e-12)


def test_gradients_accumulate_until_zeroed() -> None:
    x = Scalar(3.0)
    (x * x).backward()
    (x * x).backward()
    assert x.derivative == 12.0
    opt = minitorch.SGD([minitorch.Parameter(x)], lr=0.1)
    opt.zero_grad()
    assert x.derivative is None
    (x * x).backward()
    assert x.derivative == 6.0


def test_long_chain_is_iterative() -> None:
    """100,000 operations in a chain: no recursion limit is hit."""
    x = Scalar(0.5)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.derivative == 1.0


def test_graph_has_no_reference_cycles() -> None:
    """After a forward/backward pass is dropped, the cyclic collector finds nothing."""
    random.seed(0)
    net = Network(4)
    gc.collect()
    gc.disable()
    try:
        out = net.forward([Scalar(0.3), Scalar(0.7)])
        (-out.log()).backward()
        del out
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_memory_is_flat_across_training_steps() -> None:
    """1,000 training steps: memory after the last equals memory after the 100th."""
    random.seed(1)
    data = minitorch.datasets["Simple"](4)
    net = Network(3)
    opt = minitorch.SGD(net.parameters(), lr=0.1)

    def step() -> None:
        opt.zero_grad()
        for (x1, x2), y in zip(data.X, data.y):
            out = net.forward([Scalar(x1, None), Scalar(x2, None)])
            prob = out if y == 1 else -out + 1.0
            (-prob.log()).backward()
        opt.step()

    tracemalloc.start()
    try:
        for _ in range(100):
            step()
        gc.collect()
        early, _ = tracemalloc.get_traced_memory()
        for _ in range(900):
            step()
        gc.collect()
        late, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert late - early < 20_000, f"memory grew by {late - early} bytes over 900 steps"


def test_context_repr_and_no_grad() -> None:
    ctx = Context()
    ctx.save_for_backward(10.0)
    assert repr(ctx) == "Context(no_grad=False, saved_values=(10.0,))"
    assert ctx.saved_tensors == (10.0,)
    quiet = Context(no_grad=True)
    quiet.save_for_backward(1.0)
    assert quiet.saved_values == ()


def test_backward_through_a_history_assigned_out_of_creation_order() -> None:
    """Decreasing ids are the sweep's topological order; a history assigned by hand that
    names a newer Scalar as an input is still differentiated correctly."""
    out = Scalar(0.0)  # made first ...
    x = Scalar(3.0)
    y = x * x  # ... but computed from these, made later
    ctx = Context(saved_values=(y.data, 2.0))
    out.history = ScalarHistory(Function2, ctx=ctx, inputs=[y, Scalar(2.0)])  # y * 2 + y
    out.backward()
    assert x.derivative == pytest.approx((2.0 + 1.0) * 2 * 3.0)
    assert minitorch.topological_sort(out)[0] is out
