r"""The course's autodiff engine, shared by :class:`~minitorch.Scalar`, :class:`~minitorch.Tensor`
and :class:`~minitorch.micrograd.Value`.

A value that needs a gradient carries a *history*: the function that made it, a
:class:`Context` holding what its backward pass needs, and its inputs.  Nothing
points from an input to its output, so a graph has no reference cycles and is
freed by reference counting as soon as its last result is dropped.

:func:`topological_sort` and :func:`backpropagate` walk the graph with explicit
stacks (no recursion), so graphs of any depth work.  :class:`Primitive` is what every
primitive (scalar or tensor) provides, and :func:`local_derivatives` the one step of the
chain rule they all take.  Graphs of numbers also have a faster engine of their own,
:mod:`minitorch.engine.nodes`, which gives the same derivatives.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

variable_count = 1  # kept for course compatibility (unused)


def central_difference(
    f: Callable[..., Any], *vals: Any, arg: int = 0, epsilon: float = 1e-6
) -> Any:
    r"""Numerical derivative of ``f`` with respect to argument ``arg``.

    .. math::
        \frac{\partial f}{\partial x_i} \approx
        \frac{f(\ldots, x_i + \epsilon, \ldots) - f(\ldots, x_i - \epsilon, \ldots)}{2 \epsilon}

    Works with plain numbers (returns a float) and with :class:`~minitorch.Scalar`
    arguments (returns a ``Scalar``).
    """
    if not 0 <= arg < len(vals):
        raise IndexError(
            f"central_difference: arg={arg} is out of range for {len(vals)} value(s)"
        )
    plus = list(vals)
    minus = list(vals)
    plus[arg] = plus[arg] + epsilon
    minus[arg] = minus[arg] - epsilon
    return (f(*plus) - f(*minus)) / (2.0 * epsilon)


class Variable(Protocol):
    """What the backward pass needs from a value in a computation graph."""

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to this leaf's derivative."""

    @property
    def unique_id(self) -> int:
        """An integer identifying this value (values themselves are unhashable)."""

    def is_leaf(self) -> bool:
        """True if the value was created by the user (no ``last_fn``)."""

    def is_constant(self) -> bool:
        """True if the value does not take part in differentiation (no history)."""

    @property
    def parents(self) -> Iterable[Variable]:
        """The inputs of the function that made this value."""

    def chain_rule(self, d_output: Any) -> Iterable[tuple[Variable, Any]]:
        """Pair each input with ``d_output`` times the local derivative."""


_by_id = operator.attrgetter("unique_id")

V = TypeVar("V", bound=Variable)


def topological_sort(variable: V) -> list[V]:
    r"""Order the non-constant values reachable from ``variable``, output first.

    Every value comes before all of its inputs (reverse post-order of a
    depth-first walk), so derivatives are complete when a value is reached.
    Values are deduplicated by ``unique_id``; the walk uses an explicit stack.
    (The inputs of a value are values of its kind: the order holds ``V``\ s.)
    """
    if variable.is_constant():
        return []
    order: list[Any] = []
    seen: set[int] = set()
    # (value, True) is pushed under its inputs: popped once they are all placed.
    stack: list[tuple[Variable, bool]] = [(variable, False)]
    while stack:
        var, inputs_done = stack.pop()
        if inputs_done:
            order.append(var)
            continue
        uid = var.unique_id
        if uid in seen:
            continue
        seen.add(uid)
        stack.append((var, True))
        if var.is_leaf():
            continue
        for parent in var.parents:
            if parent.unique_id not in seen and not parent.is_constant():
                stack.append((parent, False))
    order.reverse()
    return order


def creation_order(variable: Variable) -> list[Variable]:
    """The non-constant values reachable from ``variable``, newest first: a topological
    order like :func:`topological_sort`'s, found more cheaply.

    A value gets a larger ``unique_id`` than its inputs (they exist before it is computed
    from them), so sorting by decreasing id puts every value before its inputs.  A graph
    assembled by hand against that rule (a history naming a newer value as an input) is
    ordered by :func:`topological_sort` instead.
    """
    if variable.is_constant():
        return []
    seen = {variable.unique_id}
    found = [variable]
    stack = [variable]
    while stack:
        var = stack.pop()
        if var.is_leaf():
            continue
        uid = var.unique_id
        for parent in var.parents:
            puid = parent.unique_id
            if puid >= uid:
                return topological_sort(variable)
            if puid not in seen and not parent.is_constant():
                seen.add(puid)
                found.append(parent)
                stack.append(parent)
    found.sort(key=_by_id, reverse=True)
    return found


def backpropagate(variable: Variable, deriv: Any, capture: dict[int, Any] | None = None) -> None:
    r"""Run the chain rule from ``variable`` (with derivative ``deriv``) to the leaves.

    Derivatives of intermediate values are summed in a dict keyed by
    ``unique_id`` (a value used twice receives both contributions) and
    dropped once passed on; only leaves keep them, via
    ``accumulate_derivative``, accumulating across calls until zeroed.
    Constants are not in the topological order, so what reaches them is ignored.

    With ``capture`` (a dict whose keys are ``unique_id``\ s) the complete derivative
    of each of those values is stored in it instead, and no leaf is touched: that is
    :func:`minitorch.autograd.grad`.
    """
    pending: dict[int, Any] = {variable.unique_id: deriv}
    for var in creation_order(variable):
        uid = var.unique_id
        d = pending.pop(uid)
        if capture is not None and uid in capture:
            capture[uid] = d
        if var.is_leaf():
            if capture is None:
                take = getattr(var, "take_derivative", None)  # may keep d itself (tensors)
                if take is None:
                    var.accumulate_derivative(d)
                else:
                    take(d)
            continue
        for parent, parent_d in var.chain_rule(d):
            puid = parent.unique_id
            if puid in pending:
                pending[puid] = pending[puid] + parent_d
            else:
                pending[puid] = parent_d


@dataclass(slots=True)
class Context:
    """What a function's forward pass leaves for its backward pass.

    ``save_for_backward(*values)`` stores ``values`` (replacing earlier ones)
    unless ``no_grad`` is set; ``saved_values`` / ``saved_tensors`` read them.
    """

    no_grad: bool = False
    saved_values: tuple[Any, ...] = ()
    needs_input_grad: tuple[bool, ...] = field(default=(), repr=False)
    """Which inputs need a gradient (PyTorch's name); empty means all of them."""
    saved_versions: tuple[Any, ...] = field(default=(), repr=False)
    """(version, count) of each saved tensor's storage when it was saved: a backward pass
    refuses to run on a tensor changed in place since (see ``TensorData.version``)."""

    def needs_grad(self, i: int) -> bool:
        """Whether input ``i`` needs a gradient: ``backward`` may skip the ones that do not."""
        return not self.needs_input_grad or self.needs_input_grad[i]

    def save_for_backward(self, *values: Any) -> None:
        """Store ``values`` for the backward pass (a no-op when ``no_grad``)."""
        if self.no_grad:
            return
        self.saved_values = values

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """Alias of ``saved_values``."""
        return self.saved_values


class Primitive:
    r"""What every primitive provides, for Scalars, Tensors and micrograd's Values alike.

    ``forward(ctx, *inputs)`` computes the result and may ``ctx.save_for_backward(...)``;
    ``backward(ctx, d_output)`` returns the derivative for each input (one value, or a tuple).
    Subclasses write both as ``@staticmethod``\ s, side by side; they are never instantiated.
    """

    forward: ClassVar[Callable[..., Any]]
    backward: ClassVar[Callable[..., Any]]

    @classmethod
    def _forward(cls, ctx: Context, *inputs: Any, **options: Any) -> Any:
        """``forward`` (the course's name for the call its ``apply`` makes)."""
        return cls.forward(ctx, *inputs, **options)

    @classmethod
    def _backward(cls, ctx: Context, d_output: Any) -> tuple[Any, ...]:
        """``backward`` as a tuple (a subclass may check ``ctx`` first)."""
        return wrap_tuple(cls.backward(ctx, d_output))


def local_derivatives(
    fn: type[Primitive], ctx: Context, d_output: Any, inputs: Sequence[Any]
) -> tuple[Any, ...]:
    """The derivatives ``fn.backward`` gives for ``inputs``: the one step of the chain rule
    every front end (Scalar, Tensor, Value) takes.

    ``backward`` returns one derivative per argument of ``forward``; arguments that were
    not recorded as inputs (the constant exponent of micrograd's ``**``) come last and
    their derivatives are dropped.
    """
    derivs = fn._backward(ctx, d_output)
    if len(derivs) < len(inputs):
        raise RuntimeError(
            f"{fn.__name__}.backward returned {len(derivs)} derivative(s) for "
            f"{len(inputs)} input(s)"
        )
    return derivs


def wrap_tuple(x: Any) -> tuple[Any, ...]:
    """Turn a non-tuple into a 1-tuple; return a tuple unchanged."""
    if isinstance(x, tuple):
        return x
    return (x,)


def unwrap_tuple(x: Sequence[Any]) -> Any:
    """Turn a 1-tuple into its element; return anything else unchanged."""
    if isinstance(x, tuple) and len(x) == 1:
        return x[0]
    return x
