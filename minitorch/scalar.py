r"""``Scalar``: a float that remembers how it was computed, so it can be differentiated.

>>> x = Scalar(2.0)
>>> y = x * x + x.log()
>>> y.backward()
>>> round(x.derivative, 6)   # 2x + 1/x
4.5
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Optional, Union

import numpy as np

from .autodiff import Context, central_difference
from .engine.nodes import (
    CONSTANT,
    Node,
    backpropagate_nodes,
    computed,
    contexts,
    ids,
    note_hand_made_inputs,
    run_forward,
)
from .scalar_functions import (
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
    ScalarFunction,
    Sigmoid,
    Tanh,
)

ScalarLike = Union[float, int, "Scalar"]

_new = object.__new__


@dataclass(slots=True)
class ScalarHistory:
    """How a Scalar was made: the function, its context and its inputs.

    A leaf has ``last_fn is None``; a constant has no history at all.
    """

    last_fn: Optional[type[ScalarFunction]] = None
    ctx: Optional[Context] = None
    inputs: Sequence[Scalar] = field(default_factory=tuple)


_LEAF = ScalarHistory()


def _check_number(v: Any) -> float:
    if isinstance(v, Real) and not isinstance(v, Scalar):
        return float(v)
    raise TypeError(
        f"Scalar() needs a real number, got {type(v).__name__} {v!r}"
    )


def _result(fn: type[ScalarFunction], value: Any) -> float:
    """``fn.forward``'s result as a float (ints are taken), or a ``TypeError`` naming ``fn``."""
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    raise TypeError(
        f"{fn.__name__}.forward must return a float, but returned "
        f"{type(value).__name__} {value!r}"
    )


def _node(x: ScalarLike) -> Scalar:
    """``x`` itself, or a number as a constant Scalar."""
    return x if isinstance(x, Scalar) else Scalar(x, None)


# apply1 and apply2 run once per node of every graph, so they are written out: the Context
# pool of run_forward and the slots of engine.nodes.computed inline (a helper call per node
# costs B1 7%).  tests/scalar/test_nodes.py checks that every slot is set on every kind of node.


def apply1(fn: type[ScalarFunction], a: ScalarLike) -> Scalar:
    """``fn.apply(a)``: the one-argument case."""
    if isinstance(a, Scalar):
        x, node_a = a.data, a
    else:
        x, node_a = a, Scalar(a, None)
    ctx = contexts.pop() if contexts else Context()
    ctx.saved_values = ()
    c = fn.forward(ctx, x)
    contexts.append(ctx)
    out: Scalar = _new(Scalar)
    out.data = c if type(c) is float else _result(fn, c)
    out.unique_id = next(ids)
    out._fn = fn
    out._saved = ctx.saved_values
    out._a = node_a
    out._b = None
    out._more = ()
    out._d = 0.0
    out._seen = 0
    out.derivative = None
    out._name = None
    return out


def apply2(fn: type[ScalarFunction], a: ScalarLike, b: ScalarLike) -> Scalar:
    """``fn.apply(a, b)``: the two-argument case."""
    if isinstance(a, Scalar):
        x, node_a = a.data, a
    else:
        x, node_a = a, Scalar(a, None)
    if isinstance(b, Scalar):
        y, node_b = b.data, b
    else:
        y, node_b = b, Scalar(b, None)
    ctx = contexts.pop() if contexts else Context()
    ctx.saved_values = ()
    c = fn.forward(ctx, x, y)
    contexts.append(ctx)
    out: Scalar = _new(Scalar)
    out.data = c if type(c) is float else _result(fn, c)
    out.unique_id = next(ids)
    out._fn = fn
    out._saved = ctx.saved_values
    out._a = node_a
    out._b = node_b
    out._more = ()
    out._d = 0.0
    out._seen = 0
    out.derivative = None
    out._name = None
    return out


def apply(fn: type[ScalarFunction], *vals: ScalarLike) -> Scalar:
    """:meth:`ScalarFunction.apply <minitorch.scalar_functions.ScalarFunction.apply>`: run
    ``fn.forward`` on the numbers of ``vals`` (a plain number is passed as it is, and becomes
    a constant input) and make the result."""
    if len(vals) == 2:
        return apply2(fn, vals[0], vals[1])
    if len(vals) == 1:
        return apply1(fn, vals[0])
    if not vals:
        raise TypeError(f"{fn.__name__}.apply needs at least one argument")
    nodes = [_node(v) for v in vals]
    value, saved = run_forward(fn, *[n.data if n is v else v for n, v in zip(nodes, vals)])
    out = computed(Scalar, _result(fn, value), fn, saved, nodes[0], nodes[1], tuple(nodes[2:]))
    out.derivative = None
    out._name = None
    return out


class Scalar(Node):
    """A real number with autodiff history.

    ``Scalar(v)`` is a leaf (its derivative is computed by ``backward``);
    ``Scalar(v, None)`` is a constant.  Arithmetic, comparisons and the methods
    ``log``, ``exp``, ``sigmoid``, ``relu``, ``tanh`` build new Scalars through
    :class:`~minitorch.scalar_functions.ScalarFunction` primitives.  Scalars are
    unhashable because ``==`` returns a Scalar; the graph keys on ``unique_id``.

    Storage: a Scalar is a :class:`~minitorch.engine.nodes.Node`, its history kept *flat*
    (``_fn``, ``_saved``, its inputs) rather than as three nested objects, and ``history``
    rebuilds the course's :class:`ScalarHistory` view when asked.  Every object that lives
    through a training step is work for Python's garbage collector.
    """

    __slots__ = ("derivative", "_name")

    _fn: Optional[type[ScalarFunction]]

    def __init__(
        self,
        v: float,
        back: Optional[ScalarHistory] = _LEAF,
        name: Optional[str] = None,
    ) -> None:
        self.data = v if type(v) is float else _check_number(v)
        self.unique_id = next(ids)
        self._fn = None
        self._saved = ()
        self._a = self._b = None
        self._more = ()
        self._d = 0.0
        self._seen = 0
        self.derivative: Optional[float] = None
        self._name = name
        if back is not _LEAF:
            self.history = back

    @classmethod
    def _constant(cls, v: Any) -> Scalar:
        """A constant (no history): what a plain number in an operation becomes."""
        return cls(v, None)

    @property
    def history(self) -> Optional[ScalarHistory]:
        """How this Scalar was made (``None`` for a constant)."""
        inputs = self._inputs
        if inputs is None:
            return None
        if self._fn is None:
            return ScalarHistory()
        return ScalarHistory(self._fn, Context(False, self._saved), list(inputs))

    @history.setter
    def history(self, back: Optional[ScalarHistory]) -> None:
        if back is None:
            self._fn, self._saved = None, ()
            self._set_inputs(())
            self._seen = CONSTANT
            return
        self._fn = back.last_fn
        self._saved = back.ctx.saved_values if back.ctx is not None else ()
        self._set_inputs(tuple(back.inputs))
        self._seen = 0
        note_hand_made_inputs(self, back.inputs)

    @property
    def name(self) -> str:
        """The given name, or ``str(unique_id)``."""
        return self._name if self._name is not None else str(self.unique_id)

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    def __repr__(self) -> str:
        return f"Scalar({self.data:f})"

    # -- arithmetic ---------------------------------------------------------------

    def __add__(self, b: ScalarLike) -> Scalar:
        return apply2(Add, self, b)

    def __radd__(self, b: ScalarLike) -> Scalar:
        return apply2(Add, b, self)

    def __sub__(self, b: ScalarLike) -> Scalar:
        return apply2(Add, self, apply1(Neg, b))

    def __rsub__(self, b: ScalarLike) -> Scalar:
        return apply2(Add, b, apply1(Neg, self))

    def __mul__(self, b: ScalarLike) -> Scalar:
        return apply2(Mul, self, b)

    def __rmul__(self, b: ScalarLike) -> Scalar:
        return apply2(Mul, b, self)

    def __truediv__(self, b: ScalarLike) -> Scalar:
        return apply2(Mul, self, apply1(Inv, b))

    def __rtruediv__(self, b: ScalarLike) -> Scalar:
        return apply2(Mul, b, apply1(Inv, self))

    def __neg__(self) -> Scalar:
        return apply1(Neg, self)

    def __pow__(self, n: float) -> Scalar:
        if isinstance(n, Scalar) or not isinstance(n, Real):
            raise TypeError(
                f"Scalar ** n needs a number exponent n, got {type(n).__name__} {n!r}"
            )
        return apply2(Pow, self, n)

    # -- comparisons (Scalars of 1.0 / 0.0) -----------------------------------------

    def __lt__(self, b: ScalarLike) -> Scalar:
        return apply2(LT, self, b)

    def __gt__(self, b: ScalarLike) -> Scalar:
        return apply2(LT, b, self)

    def __eq__(self, b: ScalarLike) -> Scalar:  # type: ignore[override]  # a value, not a bool
        return apply2(EQ, self, b)

    # (defining __eq__ makes the class unhashable, as the course's: the graph keys on unique_id)

    def __bool__(self) -> bool:
        return bool(self.data)

    # -- functions ------------------------------------------------------------------

    def log(self) -> Scalar:
        r""":math:`\log(x + 10^{-6})`; raises ``ValueError`` for :math:`x \le -10^{-6}`."""
        return apply1(Log, self)

    def exp(self) -> Scalar:
        return apply1(Exp, self)

    def sigmoid(self) -> Scalar:
        return apply1(Sigmoid, self)

    def relu(self) -> Scalar:
        return apply1(ReLU, self)

    def tanh(self) -> Scalar:
        return apply1(Tanh, self)

    # -- the Variable protocol --------------------------------------------------------

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to the derivative of this leaf."""
        if not self.is_leaf():
            raise RuntimeError(
                f"accumulate_derivative: {self!r} is not a leaf; only leaves keep derivatives"
            )
        if self.derivative is None:
            self.derivative = 0.0
        self.derivative += x

    def backward(self, d_output: Optional[float] = None) -> None:
        """Compute the derivatives of this Scalar with respect to every leaf.

        ``d_output`` (default 1.0) is the derivative of the final result with
        respect to this Scalar.  Leaves accumulate into ``.derivative``.
        """
        if self.is_constant():
            raise RuntimeError(
                f"backward() called on a constant {self!r}: it has no history. "
                "Make the inputs leaves with Scalar(value) to get derivatives."
            )
        if d_output is None:
            d_output = 1.0
        _, leaves = backpropagate_nodes(self, d_output)
        for leaf in leaves:
            leaf.accumulate_derivative(leaf._d)


def derivative_check(f: Callable[..., Scalar], *scalars: Scalar) -> None:
    """Check autodiff against central differences for every argument of ``f``.

    Runs ``f(*scalars).backward()`` and compares each ``scalars[i].derivative``
    with :func:`~minitorch.central_difference` (rtol = atol = 1e-2).
    """
    out = f(*scalars)
    out.backward()
    for i, x in enumerate(scalars):
        check = central_difference(f, *scalars, arg=i)
        if x.derivative is None:
            raise AssertionError(
                f"derivative_check: argument {i} ({x!r}) got no derivative from backward()"
            )
        np.testing.assert_allclose(
            x.derivative,
            check.data,
            rtol=1e-2,
            atol=1e-2,
            err_msg=(
                f"Derivative check failed for argument {i} of {getattr(f, '__name__', f)!s} "
                f"at {[s.data for s in scalars]}: autodiff {x.derivative}, "
                f"central difference {check.data}"
            ),
        )
