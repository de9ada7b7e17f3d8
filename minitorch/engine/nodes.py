r"""The engine of graphs of numbers: :class:`Node` (what a :class:`~minitorch.Scalar` and a
micrograd :class:`~minitorch.micrograd.Value` are) and :func:`backpropagate_nodes`.

A node keeps its value, the primitive that made it (``_fn``: None for a leaf or a constant),
what that primitive's forward pass saved (``_saved``) and its inputs, in slots (``_a``, ``_b``,
and ``_more`` for a primitive of three or more inputs).  It keeps no Context, history or
inputs tuple: each would be another object per node for Python's garbage collector to scan.
:class:`~minitorch.Scalar` rebuilds the course's ``ScalarHistory`` view when asked.

Every node gets an increasing ``unique_id`` when it is made, and a node's inputs exist before
it, so decreasing ids are a topological order: the backward pass sorts the reachable nodes
once and sweeps them (:func:`backpropagate_nodes`), where the course's
:func:`~minitorch.autodiff.backpropagate` orders any :class:`~minitorch.autodiff.Variable` by
a depth-first walk.  Both give the same derivatives (the tests run both).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Sequence
from typing import Any, Optional, Self, TypeVar

from ..autodiff import Context, Primitive, local_derivatives, topological_sort

CONSTANT = -1
"""``Node._seen`` of a constant: a node that takes no part in differentiation."""

N = TypeVar("N", bound="Node")

ids = itertools.count(1)
"""The ids of nodes, in order of creation (the order :func:`backpropagate_nodes` relies on)."""

_new = object.__new__


class Node:
    r"""One node of a graph of numbers: its value ``data``, the primitive ``_fn`` that made it
    from its inputs (``_a``, ``_b``, ``*_more``) and what ``_fn.forward`` saved (``_saved``).

    ``_d`` and ``_seen`` are scratch space of :func:`backpropagate_nodes` (``_seen`` is
    :data:`CONSTANT` for a constant).  A node implements the
    :class:`~minitorch.autodiff.Variable` protocol, so the course's
    :func:`~minitorch.autodiff.backpropagate` walks it too; subclasses say where a leaf's
    derivative goes (:meth:`accumulate_derivative`).
    """

    __slots__ = ("data", "unique_id", "_fn", "_saved", "_a", "_b", "_more", "_d", "_seen")

    data: float
    unique_id: int
    _fn: Optional[type[Primitive]]
    _saved: tuple[Any, ...]
    _a: Optional[Self]
    _b: Optional[Self]
    _more: tuple[Self, ...]
    _d: float
    _seen: int

    def _set_inputs(self, inputs: Sequence[Self]) -> None:
        self._a = inputs[0] if len(inputs) > 0 else None
        self._b = inputs[1] if len(inputs) > 1 else None
        self._more = tuple(inputs[2:])

    @property
    def _inputs(self) -> Optional[tuple[Self, ...]]:
        """The inputs as a tuple (``()`` for a leaf, None for a constant)."""
        if self._seen == CONSTANT:
            return None
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b, *self._more)

    # -- the Variable protocol ------------------------------------------------------------

    def is_leaf(self) -> bool:
        """True if this node was made by the user (no primitive made it)."""
        return self._fn is None and self._seen != CONSTANT

    def is_constant(self) -> bool:
        """True if this node takes no part in differentiation."""
        return self._seen == CONSTANT

    @property
    def parents(self) -> tuple[Self, ...]:
        """The inputs of the primitive that made this node."""
        return self._inputs or ()

    def chain_rule(self, d_output: Any) -> Iterable[tuple[Self, Any]]:
        """Pair each input with ``d_output`` times its local derivative."""
        fn, inputs = self._fn, self._inputs
        if fn is None or inputs is None:
            raise RuntimeError(f"chain_rule: {self!r} was not computed by a function")
        return zip(inputs, local_derivatives(fn, Context(False, self._saved), d_output, inputs))

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to this leaf's derivative (where it is kept is the subclass's choice)."""
        raise NotImplementedError(f"{type(self).__name__} keeps no derivatives")


def computed(
    kind: type[N], data: float, fn: type[Primitive], saved: tuple[Any, ...],
    a: N, b: Optional[N] = None, more: tuple[N, ...] = (),
) -> N:
    """A new node of class ``kind`` made by primitive ``fn`` from inputs ``a`` (, ``b``,
    ``*more``), with the value ``data`` and what ``fn.forward`` saved: every slot of
    :class:`Node` set (a subclass sets its own after), without running ``__init__``."""
    out: N = _new(kind)
    out.data = data
    out.unique_id = next(ids)
    out._fn = fn
    out._saved = saved
    out._a = a
    out._b = b
    out._more = more
    out._d = 0.0
    out._seen = 0
    return out


_by_id = operator.attrgetter("unique_id")
_passes = itertools.count(1)
_hand_ordered = False
"""Set once a node was given inputs newer than itself (a history assigned by hand): from then
on :func:`backpropagate_nodes` checks each graph, and sorts one in which decreasing ids are
not a topological order."""


def note_hand_made_inputs(node: Node, inputs: Sequence[Node]) -> None:
    """``node`` was given ``inputs`` by hand: note it if one of them is newer than it."""
    global _hand_ordered
    if any(x.unique_id >= node.unique_id for x in inputs):
        _hand_ordered = True


def backpropagate_nodes(root: N, deriv: float) -> tuple[list[N], list[N]]:
    r"""The chain rule from ``root`` over a graph of :class:`Node`\ s, in one sweep.

    The nodes reachable from ``root`` are collected (an explicit stack, no recursion),
    sorted by decreasing id (a topological order, see the module), and each passes
    ``fn.backward``'s derivatives on to its inputs, summed in their ``_d``.

    Returns the computed nodes and the leaves reached, each with its complete derivative in
    ``_d`` (constants take no part): :func:`~minitorch.autodiff.backpropagate` for the Node
    layout, without a Context, a tuple or a dict entry per node.
    """
    if _hand_ordered and _misordered(root):
        return _in_topological_order(root, deriv)
    mark = next(_passes)
    root._seen = mark
    root._d = deriv
    inner: list[N] = []
    leaves: list[N] = []
    stack = [root]
    pop, push = stack.pop, stack.append
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


def _sweep(inner: Sequence[Node]) -> None:
    """Pass each computed node's derivative ``_d`` on to its inputs, in the order given."""
    ctx = Context()
    for node in inner:
        fn, a, b = node._fn, node._a, node._b
        assert fn is not None and a is not None  # a computed node
        ctx.saved_values = node._saved
        derivs = fn.backward(ctx, node._d)
        if b is None:  # one input (a trailing constant argument's derivative is dropped)
            if type(derivs) is tuple:
                derivs = derivs[0] if derivs else local_derivatives(fn, ctx, node._d, (a,))
            a._d += derivs
        elif type(derivs) is tuple and len(derivs) == 2 and not node._more:
            a._d += derivs[0]  # (a constant's _d is never read)
            b._d += derivs[1]
        else:  # three or more inputs, or a wrong number of derivatives (which raises)
            inputs = (a, b, *node._more)
            for x, dx in zip(inputs, local_derivatives(fn, ctx, node._d, inputs)):
                x._d += dx


def _misordered(root: Node) -> bool:
    """Whether a node reachable from ``root`` has an input newer than itself."""
    seen = {root.unique_id}
    stack = [root]
    while stack:
        node = stack.pop()
        for x in node.parents:
            if x.unique_id >= node.unique_id:
                return True
            if x.unique_id not in seen:
                seen.add(x.unique_id)
                stack.append(x)
    return False


def _in_topological_order(root: N, deriv: float) -> tuple[list[N], list[N]]:
    """:func:`backpropagate_nodes` for a graph whose ids are not in creation order."""
    order: list[N] = topological_sort(root)
    for node in order:
        node._d = 0.0
    root._d = deriv
    inner = [n for n in order if n._a is not None]
    _sweep(inner)
    return inner, [n for n in order if n._a is None]


contexts: list[Context] = []
"""Contexts free for reuse by :func:`run_forward` (a forward pass does not keep its Context;
the scalar front ends' hot paths take them from here too)."""


def run_forward(fn: type[Primitive], *values: Any) -> tuple[Any, tuple[Any, ...]]:
    """``fn.forward`` on plain values: the result and what it saved for backward (one pooled
    Context serves every forward pass; a forward pass may run others inside it)."""
    ctx = contexts.pop() if contexts else Context()
    ctx.saved_values = ()
    out = fn.forward(ctx, *values)
    saved = ctx.saved_values
    contexts.append(ctx)
    return out, saved
