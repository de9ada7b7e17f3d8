"""micrograd-compatible ``Value`` and ``MLP``, running on minitorch's autodiff core.

``Value`` keeps micrograd's interface (``data``, ``grad``, ``_prev``, ``_op``,
``label``; ``+ - * / **``, ``relu``, ``tanh``, ``exp``, ``backward``) so
micrograd lectures and notebooks run unchanged, but each operation is one of the
:mod:`minitorch.scalar_functions` primitives and ``backward`` is
:func:`minitorch.autodiff.backpropagate`: one engine, two front ends.

As in micrograd, every node of the graph (not only the leaves) gets its
``grad`` filled in by ``backward()``, and gradients accumulate until
``zero_grad()``.  Unlike micrograd, a Value holds no closure over itself, so a
graph has no reference cycles and is freed as soon as it is dropped.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from numbers import Real
from typing import Any, Union

from .autodiff import Context, Node, _contexts, backpropagate_nodes, local_derivatives
from .scalar_functions import Add, Exp, Mul, Pow, ReLU, ScalarFunction, Tanh

Number = Union[int, float]
ValueLike = Union["Value", Number]

_ids = itertools.count(1)
_new = object.__new__


class Value(Node):
    """A scalar value with a gradient, micrograd style.

    A Value made by an operation stores the primitive (``_fn``), what its forward pass saved
    (``_saved``) and its inputs: one :class:`~minitorch.autodiff.Node` per node, no other
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
        self.unique_id = next(_ids)

    @property
    def _children(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in order."""
        return self._inputs or ()  # type: ignore[return-value]  # a Value's inputs are Values

    @property
    def _prev(self) -> set[Value]:
        """The Values this one was computed from (a set, as in micrograd)."""
        return set(self._children)

    @staticmethod
    def _apply(fn: type[ScalarFunction], op: str, a: Value, *raw: Any, b: Any = None) -> Value:
        """Run primitive ``fn`` forward on the numbers ``raw`` and record inputs ``a`` (and
        ``b``).  ``raw`` holds their data followed by any constant arguments (the exponent
        of ``**``), which take no part in differentiation."""
        ctx = _contexts.pop() if _contexts else Context()
        ctx.saved_values = ()
        data = fn.forward(ctx, *raw)
        saved = ctx.saved_values
        _contexts.append(ctx)
        out = _new(Value)
        out.data = data
        out.grad = 0.0
        out._op = op
        out.label = ""
        out._fn = fn
        out._saved = saved
        out._a = a
        out._b = b
        out._more = ()
        out._seen = 0
        out.unique_id = next(_ids)
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

    # -- the Variable protocol --------------------------------------------------------

    def is_leaf(self) -> bool:
        return self._fn is None

    def is_constant(self) -> bool:
        return False

    @property
    def parents(self) -> tuple[Value, ...]:
        return self._children

    def accumulate_derivative(self, x: float) -> None:
        self.grad += x

    def chain_rule(self, d_output: float) -> Iterable[tuple[Value, float]]:
        """Record this node's gradient (micrograd keeps every node's) and pass it on.

        ``zip`` pairs the children with the first derivatives; the derivative of a
        trailing constant argument (the exponent of ``**``) is dropped.
        """
        self.grad += d_output
        assert self._fn is not None
        ctx = Context(False, self._saved)
        return zip(self._children, local_derivatives(self._fn, ctx, d_output, self._children))

    def backward(self) -> None:
        """Fill in ``grad`` of every Value this one depends on (``d self / d node``).

        Every node keeps its gradient, as in micrograd (they accumulate until
        ``zero_grad()``); the chain rule runs in :func:`~minitorch.autodiff.backpropagate_nodes`,
        the engine of :class:`~minitorch.Scalar` too.
        """
        inner, leaves = backpropagate_nodes(self, 1.0)
        self.grad = 0.0
        for node in inner:
            node.grad += node._d  # type: ignore[attr-defined]  # the nodes are Values
        for leaf in leaves:
            leaf.grad += leaf._d  # type: ignore[attr-defined]


def _is_number(x: Any) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool)


def _wrap(x: ValueLike) -> Value:
    return x if isinstance(x, Value) else Value(x)


class Module:
    """micrograd's module base: ``parameters()`` and ``zero_grad()``."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


class Neuron(Module):
    r"""One neuron: :math:`\mathrm{relu}(\sum_i w_i x_i + b)` (linear if ``nonlin=False``).

    Weights are drawn from ``random.uniform(-1, 1)``; the bias starts at 0.
    """

    def __init__(self, nin: int, nonlin: bool = True) -> None:
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x: Iterable[ValueLike]) -> Value:
        act: Value = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs."""

    def __init__(self, nin: int, nout: int, **kwargs: Any) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: Iterable[ValueLike]) -> Union[Value, list[Value]]:
        xs = list(x)
        out = [n(xs) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ReLU layers and a linear last layer."""

    def __init__(self, nin: int, nouts: list[int]) -> None:
        sizes = [nin] + list(nouts)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))
        ]

    def __call__(self, x: Iterable[ValueLike]) -> Any:
        out: Any = x
        for layer in self.layers:
            out = layer(out)
        return out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
