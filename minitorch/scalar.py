r"""``Scalar``: a float that remembers how it was computed, so it can be differentiated.

>>> x = Scalar(2.0)
>>> y = x * x + x.log()
>>> y.backward()
>>> round(x.derivative, 6)   # 2x + 1/x
4.5
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Optional, Union, cast

import numpy as np

from .autodiff import (
    CONSTANT,
    Context,
    Node,
    backpropagate_nodes,
    central_difference,
    local_derivatives,
    out_of_order,
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
    _ids,
    _new,
    _scalar_class,
    apply1,
    apply2,
)

ScalarLike = Union[float, int, "Scalar"]



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


class Scalar(Node):
    """A real number with autodiff history.

    ``Scalar(v)`` is a leaf (its derivative is computed by ``backward``);
    ``Scalar(v, None)`` is a constant.  Arithmetic, comparisons and the methods
    ``log``, ``exp``, ``sigmoid``, ``relu``, ``tanh`` build new Scalars through
    :class:`~minitorch.scalar_functions.ScalarFunction` primitives.  Scalars are
    unhashable because ``==`` returns a Scalar; the graph keys on ``unique_id``.

    Storage: a Scalar is a :class:`~minitorch.autodiff.Node`, its history kept *flat*
    (``_fn``, ``_saved``, ``_inputs``) rather than as three nested objects, and ``history``
    rebuilds the course's :class:`ScalarHistory` view when asked.  Every object that lives
    through a training step is work for Python's garbage collector.
    """

    __slots__ = ("derivative", "_name")

    def __init__(
        self,
        v: float,
        back: Optional[ScalarHistory] = _LEAF,
        name: Optional[str] = None,
    ) -> None:
        self.data = v if type(v) is float else _check_number(v)
        self.derivative: Optional[float] = None
        self.unique_id = next(_ids)
        self._name = name
        self._fn = None
        self._saved = ()
        self._a = self._b = None
        self._more = ()
        self._d = 0.0
        self._seen = 0
        if back is not _LEAF:
            self.history = back

    @classmethod
    def _constant(cls, v: Any) -> Scalar:
        """A constant (no history): what a plain number in an operation becomes."""
        return cls(v, None)

    @classmethod
    def _from_function(
        cls,
        v: float,
        fn: type[ScalarFunction],
        saved: tuple[Any, ...],
        a: Scalar,
        b: Optional[Scalar] = None,
        more: tuple[Scalar, ...] = (),
    ) -> Scalar:
        """The result of primitive ``fn`` on inputs ``a`` (, ``b``, ``*more``); ``saved``:
        what its forward pass kept."""
        out = _new(cls)
        out.data = v
        out.derivative = None
        out.unique_id = next(_ids)
        out._name = None
        out._fn = fn
        out._saved = saved
        out._a = a
        out._b = b
        out._more = more
        out._seen = 0
        return out

    @property
    def history(self) -> Optional[ScalarHistory]:
        """How this Scalar was made (``None`` for a constant)."""
        inputs = self._scalar_inputs()
        if inputs is None:
            return None
        if self._fn is None:
            return ScalarHistory()
        fn = cast(type[ScalarFunction], self._fn)
        return ScalarHistory(fn, Context(False, self._saved), list(inputs))


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
        if any(x.unique_id >= self.unique_id for x in back.inputs):
            out_of_order[0] = True

    def _scalar_inputs(self) -> Optional[tuple[Scalar, ...]]:
        """The inputs (Scalars: a Scalar is only ever computed from Scalars)."""
        return cast(Optional[tuple[Scalar, ...]], self._inputs)

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
        return LT.apply(self, b)

    def __gt__(self, b: ScalarLike) -> Scalar:
        return LT.apply(b, self)

    def __eq__(self, b: ScalarLike) -> Scalar:  # type: ignore[override]  # a value, not a bool
        return EQ.apply(self, b)

    # unhashable: == gives a Scalar, so the graph keys on unique_id (None is Python's marker)
    __hash__ = None  # type: ignore[assignment]

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

    def is_leaf(self) -> bool:
        """True if this Scalar was created by the user (it has no ``last_fn``)."""
        return self._fn is None and self._seen != CONSTANT

    def is_constant(self) -> bool:
        """True if this Scalar takes no part in differentiation (no history)."""
        return self._seen == CONSTANT

    @property
    def parents(self) -> Iterable[Scalar]:
        """The inputs of the function that made this Scalar."""
        return self._scalar_inputs() or ()

    def chain_rule(self, d_output: Any) -> Iterable[tuple[Scalar, Any]]:
        """Pair each input with ``d_output`` times its local derivative."""
        fn, inputs = self._fn, self._scalar_inputs()
        if fn is None or inputs is None:
            raise RuntimeError(f"chain_rule: {self!r} was not computed by a function")
        return zip(inputs, local_derivatives(fn, Context(False, self._saved), d_output, inputs))

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
        for leaf in cast(list[Scalar], leaves):
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


_scalar_class.append(Scalar)
