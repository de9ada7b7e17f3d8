r"""The autodiff core shared by :class:`~minitorch.Scalar`, :class:`~minitorch.Tensor` and
:class:`~minitorch.micrograd.Value`.

A value that needs a gradient carries a *history*: the function that made it, a
:class:`Context` holding what its backward pass needs, and its inputs.  Nothing
points from an input to its output, so a graph has no reference cycles and is
freed by reference counting as soon as its last result is dropped.

:func:`topological_sort` and :func:`backpropagate` walk the graph with explicit
stacks (no recursion), so graphs of any depth work.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional, Protocol

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


def topological_sort(variable: Variable) -> list[Variable]:
    """Order the non-constant values reachable from ``variable``, output first.

    Every value comes before all of its inputs (reverse post-order of a
    depth-first walk), so derivatives are complete when a value is reached.
    Values are deduplicated by ``unique_id``; the walk uses an explicit stack.
    """
    if variable.is_constant():
        return []
    order: list[Variable] = []
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


CONSTANT = -1
"""``Node._seen`` of a constant: never collected by :func:`backpropagate_nodes`."""


class Node:
    """One node of a graph of numbers (a :class:`~minitorch.Scalar` or a micrograd
    :class:`~minitorch.micrograd.Value`), kept in one object: its value, the primitive that
    made it (``_fn``, None for a leaf or a constant), what its forward pass saved
    (``_saved``) and its inputs, in slots (``_a``, ``_b``, and ``_more`` for a primitive of
    three or more): an inputs tuple per node would be a second object for Python's garbage
    collector to scan, and no Context or history object is kept either.

    ``_d`` and ``_seen`` are scratch space of :func:`backpropagate_nodes` (``_seen`` is
    :data:`CONSTANT` for a constant, which takes no part in differentiation).
    """

    __slots__ = ("data", "unique_id", "_fn", "_saved", "_a", "_b", "_more", "_d", "_seen")

    data: float
    unique_id: int
    _fn: Optional[type[Primitive]]
    _saved: tuple[Any, ...]
    _a: Optional[Node]
    _b: Optional[Node]
    _more: tuple[Node, ...]
    _d: Any
    _seen: int

    def _set_inputs(self, inputs: Sequence[Node]) -> None:
        self._a = inputs[0] if len(inputs) > 0 else None
        self._b = inputs[1] if len(inputs) > 1 else None
        self._more = tuple(inputs[2:])

    @property
    def _inputs(self) -> Optional[tuple[Node, ...]]:
        """The inputs as a tuple (``()`` for a leaf, None for a constant)."""
        if self._seen == CONSTANT:
            return None
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b, *self._more)


_passes = itertools.count(1)
out_of_order = [False]
"""Set once a node was given inputs newer than itself (a history assigned by hand): from then
on :func:`backpropagate_nodes` checks each graph, and sorts one in which decreasing ids are
not a topological order."""


def backpropagate_nodes(root: Node, deriv: Any) -> tuple[list[Node], list[Node]]:
    r"""The chain rule from ``root`` over a graph of :class:`Node`\ s, in one sweep.

    Every node gets an increasing ``unique_id`` when it is made, and an input is always made
    before the nodes computed from it, so decreasing ids are a topological order: the nodes
    reachable from ``root`` are collected (an explicit stack, no recursion), sorted by id,
    and each passes ``fn.backward``'s derivatives to its inputs, summed in their ``_d``.

    Returns the computed nodes and the leaves reached, each with its complete derivative in
    ``_d`` (constants take no part).  It is :func:`backpropagate` for the Node layout,
    without a Context, a tuple or a dict entry per node.
    """
    mark = next(_passes)
    root._seen = mark
    root._d = deriv
    inner: list[Node] = []
    leaves: list[Node] = []
    stack = [root]
    pop, push = stack.pop, stack.append
    if out_of_order[0] and _misordered(root):  # a history assigned by hand, against it
        return _in_topological_order(root)
    while stack:
        node = pop()
        x = node._a
        if x is None:
            leaves.append(node)
            continue
        inner.append(node)
        seen = x._seen
        if seen != mark and seen != CONSTANT:
            x._seen = mark
            x._d = 0.0
            push(x)
        x = node._b
        if x is not None:
            seen = x._seen
            if seen != mark and seen != CONSTANT:
                x._seen = mark
                x._d = 0.0
                push(x)
            for x in node._more:
                if x._seen != mark and x._seen != CONSTANT:
                    x._seen = mark
                    x._d = 0.0
                    push(x)
    inner.sort(key=_by_id, reverse=True)
    _sweep(inner)
    return inner, leaves


def _sweep(inner: list[Node]) -> None:
    """Pass each node's derivative ``_d`` on to its inputs, in the order given."""
    ctx = Context()
    for node in inner:
        ctx.saved_values = node._saved
        derivs = node._fn.backward(ctx, node._d)  # type: ignore[union-attr]  # computed node
        b = node._b
        if b is None:  # one input (a trailing constant argument's derivative is dropped)
            if type(derivs) is tuple:
                derivs = derivs[0] if derivs else local_derivatives(
                    node._fn, ctx, node._d, (node._a,))  # type: ignore[arg-type]  # raises
            node._a._d += derivs  # type: ignore[union-attr]
        elif type(derivs) is tuple and len(derivs) == 2 and not node._more:
            node._a._d += derivs[0]  # type: ignore[union-attr]  # a constant's _d is unused
            b._d += derivs[1]
        else:  # three or more inputs, or a wrong number of derivatives (which raises)
            inputs = node._inputs or ()
            fn = node._fn
            assert fn is not None
            for x, dx in zip(inputs, local_derivatives(fn, ctx, node._d, inputs)):
                x._d += dx


def _misordered(root: Node) -> bool:
    """Whether a node reachable from ``root`` has an input newer than itself."""
    seen = {root.unique_id}
    stack = [root]
    while stack:
        node = stack.pop()
        for x in node._inputs or ():
            if x.unique_id >= node.unique_id:
                return True
            if x.unique_id not in seen:
                seen.add(x.unique_id)
                stack.append(x)
    return False


def _in_topological_order(root: Node) -> tuple[list[Node], list[Node]]:
    """:func:`backpropagate_nodes` for a graph whose ids are not in creation order."""
    deriv = root._d
    order = topological_sort(root)  # type: ignore[arg-type]  # a Node graph is Variables
    for node in order:
        node._d = 0.0  # type: ignore[attr-defined]
    root._d = deriv
    inner = [n for n in order if n._a is not None]  # type: ignore[attr-defined]
    _sweep(inner)  # type: ignore[arg-type]
    leaves = [n for n in order if n._a is None]  # type: ignore[attr-defined]
    return inner, leaves  # type: ignore[return-value]


_contexts: list[Context] = []
"""Contexts free for reuse by :func:`run_forward` (a forward pass does not keep its Context)."""


def run_forward(fn: type[Primitive], *values: Any) -> tuple[Any, tuple[Any, ...]]:
    """``fn.forward`` on plain values: the result and what it saved for backward."""
    ctx = _contexts.pop() if _contexts else Context()
    ctx.saved_values = ()
    out = fn.forward(ctx, *values)
    saved = ctx.saved_values
    _contexts.append(ctx)
    return out, saved


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
