"""micrograd's ``Value`` (its ``micrograd.engine``), running on minitorch's engine.

``Value`` keeps micrograd's interface (``data``, ``grad``, ``_prev``, ``_op``,
``label``; ``+ - * / **``, ``relu``, ``tanh``, ``exp``, ``backward``) so
micrograd lectures and notebooks run unchanged, but each operation is one of the
:mod:`minitorch.scalar_functions` primitives and ``backward`` is
:func:`minitorch.engine.nodes.backpropagate_nodes`, the engine of :class:`~minitorch.Scalar`
too: one engine, two front ends.

As in micrograd, every node of the graph (not only the leaves) gets its
``grad`` filled in by ``backward()``, and gradients accumulate until
``zero_grad()``.  Unlike micrograd, a Value holds no closure over itself, so a
graph has no reference cycles and is freed as soon as it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Real
from typing import Any, Optional, Union

from ..autodiff import Context
from ..engine.nodes import Node, backpropagate_nodes, contexts, ids
from ..scalar_functions import Add, Exp, Mul, Pow, ReLU, ScalarFunction, Tanh

Number = Union[int, float]
ValueLike = Union["Value", Number]

_new = object.__new__


class Value(Node):
    """A scalar value with a gradient, micrograd style.

    A Value made by an operation stores the primitive (``_fn``), what its forward pass saved
    (``_saved``) and its inputs: one :class:`~minitorch.engine.nodes.Node` per node, no other
    object.
    """

    __slots__ = ("grad", "_op", "label")

    def __init__(
        self, data: Number, _children: Iterable[Value] = (), _op: str = "", label: str = ""
    ) -> None:
        kind = type(data)
        if kind is not float and kind is not int and not _is_number(data):
            raise TypeError(f"Value() needs a real number, got {kind.__name__} {data!r}")
        self.data = data
        self.grad: float = 0.0
        self._op = _op
        self.label = label
        self._fn = None
        self._saved = ()
        self._set_inputs(tuple(_children))
        self._d = 0.0
        self._seen = 0
        self.unique_id = next(ids)

    @property
    def _children(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in order."""
        return self.parents

    @property
    def _prev(self) -> set[Value]:
        """The Values this one was computed from (a set, as in micrograd)."""
        return set(self._children)

    @staticmethod
    def _apply(
        fn: type[ScalarFunction], op: str, a: Value, *raw: Any, b: Optional[Value] = None
    ) -> Value:
        """Run primitive ``fn`` forward on the numbers ``raw`` and record inputs ``a`` (and
        ``b``).  ``raw`` holds their data followed by any constant arguments (the exponent
        of ``**``), which take no part in differentiation."""
        # written out (once per node): run_forward and engine.nodes.computed inline
        ctx = contexts.pop() if contexts else Context()
        ctx.saved_values = ()
        data = fn.forward(ctx, *raw)
        contexts.append(ctx)
        out: Value = _new(Value)
        out.data = data
        out.unique_id = next(ids)
        out._fn = fn
        out._saved = ctx.saved_values
        out._a = a
        out._b = b
        out._more = ()
        out._d = 0.0
        out._seen = 0
        out.grad = 0.0
        out._op = op
        out.label = ""
        return out

    # -- operations (micrograd's definitions) ----------------------------------------

    def __add__(self, other: ValueLike) -> Value:
        if type(other) is not Value:
            other = _wrap(other)
        return Value._apply(Add, "+", self, self.data, other.data, b=other)

    def __mul__(self, other: ValueLike) -> Value:
        if type(other) is not Value:
            other = _wrap(other)
        return Value._apply(Mul, "*", self, self.data, other.data, b=other)

    def __pow__(self, other: Number) -> Value:
        if isinstance(other, Value) or not _is_number(other):
            raise TypeError(
                f"Value ** n supports int/float powers only, got {type(other).__name__} {other!r}"
            )
        return Value._apply(Pow, f"**{other}", self, self.data, other)

    def relu(self) -> Value:
        """:math:`\\max(0, x)`"""
        return Value._apply(ReLU, "ReLU", self, self.data)

    def tanh(self) -> Value:
        """:math:`\\tanh x`"""
        return Value._apply(Tanh, "tanh", self, self.data)

    def exp(self) -> Value:
        """:math:`e^x`"""
        return Value._apply(Exp, "exp", self, self.data)

    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: ValueLike) -> Value:
        return self + other

    def __sub__(self, other: ValueLike) -> Value:
        return self + (-_wrap(other))

    def __rsub__(self, other: ValueLike) -> Value:
        return other + (-self)

    def __rmul__(self, other: ValueLike) -> Value:
        return self * other

    def __truediv__(self, other: ValueLike) -> Value:
        return self * _wrap(other) ** -1

    def __rtruediv__(self, other: ValueLike) -> Value:
        return other * self**-1

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    # -- the Variable protocol (the rest is Node's) ---------------------------------------

    def accumulate_derivative(self, x: float) -> None:
        self.grad += x

    def chain_rule(self, d_output: float) -> Iterable[tuple[Value, float]]:
        """Record this node's gradient (micrograd keeps every node's) and pass it on; the
        derivative of a trailing constant argument (the exponent of ``**``) is dropped."""
        self.grad += d_output
        return super().chain_rule(d_output)

    def backward(self) -> None:
        """Fill in ``grad`` of every Value this one depends on (``d self / d node``).

        Every node keeps its gradient, as in micrograd (they accumulate until
        ``zero_grad()``); the chain rule runs in
        :func:`~minitorch.engine.nodes.backpropagate_nodes`, the engine of
        :class:`~minitorch.Scalar` too.
        """
        inner, leaves = backpropagate_nodes(self, 1.0)
        self.grad = 0.0
        for node in inner:
            node.grad += node._d
        for leaf in leaves:
            leaf.grad += leaf._d


def _is_number(x: Any) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool)


def _wrap(x: ValueLike) -> Value:
    return x if isinstance(x, Value) else Value(x)
