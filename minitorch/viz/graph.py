"""Computation graphs of ``Scalar``, ``Tensor`` and micrograd ``Value`` expressions, drawn with
Graphviz: one record node per value (name, data, gradient; shape for tensors) and one round
node per operation, edges from inputs to operation to result.

``make_graph(out, lr=False)`` is the course's name, ``draw_dot(root, rankdir="LR")``
micrograd's.  Drawing needs the ``graphviz`` Python package (``pip install "minitorch[viz]"``)
and Graphviz's ``dot`` program (``apt-get install graphviz``, ``brew install graphviz`` or
``conda install graphviz``); the graph itself (``.source``, ``.values``, ``.ops``) does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from .figure import Renderable

INSTALL_DOT = (
    "drawing a graph needs Graphviz's `dot` program, which was not found on PATH: install it "
    "with `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or "
    "`conda install graphviz`, then try again (the graph's text is in `.source` meanwhile)"
)


ARGUMENT_OPS = {"View", "Permute", "Sum", "All", "Max", "Pow"}
"""Tensor Functions whose later inputs are settings (a shape, a dim, an exponent), not data."""


@dataclass
class Node:
    """What the drawing shows of one value of the expression."""

    uid: int
    label: str
    data: str
    grad: str
    op: Optional[str]
    inputs: list[Any] = field(default_factory=list)


def _setting(value: Any) -> str:
    """A Function's setting as the label shows it: ``0``, ``4`` or ``2, 3``."""
    if isinstance(value, (tuple, list)):
        return ", ".join(_setting(v) for v in value)
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _number(x: float) -> str:
    return f"{x:.4f}"


def _tensor_text(t: Any) -> str:
    values = t.to_numpy()
    if values.size <= 4:
        return "[" + ", ".join(_number(v) for v in values.ravel()) + "]"
    return f"shape {t.shape}, mean {_number(float(np.mean(values)))}"


def describe(value: Any) -> Node:
    """A :class:`Node` for a Scalar, a Tensor or a micrograd Value."""
    from ..micrograd import Value
    from ..scalar import Scalar
    from ..tensor import Tensor

    if isinstance(value, Value):
        return Node(value.unique_id, value.label, _number(value.data), _number(value.grad),
                    value._op or None, list(value._children))
    if isinstance(value, Scalar):
        history = value.history
        fn = history.last_fn if history is not None else None
        grad = "" if value.derivative is None else _number(value.derivative)
        return Node(value.unique_id, value._name or "", _number(value.data), grad,
                    fn.__name__ if fn is not None else None,
                    list(history.inputs) if fn is not None and history is not None else [])
    if isinstance(value, Tensor):
        made = value.history
        op = made.last_fn if made is not None else None
        grad = "" if value.grad is None else _tensor_text(value.grad)
        label = value._name or ("" if value.size == 1 else f"shape {value.shape}")
        inputs = list(made.inputs) if op is not None and made is not None else []
        name = op.__name__ if op is not None else None
        if made is not None and made.options:  # settings (a dim, a shape): in the label
            name = f"{name}({', '.join(_setting(v) for v in made.options.values())})"
        elif name in ARGUMENT_OPS:  # shape / dim / exponent tensors: settings, in the label
            settings = ", ".join(f"{v:g}" for t in inputs[1:] for v in t.to_numpy().ravel())
            name, inputs = f"{name}({settings})", inputs[:1]
        return Node(value.unique_id, label, _tensor_text(value), grad, name, inputs)
    raise TypeError(
        f"cannot draw the graph of a {type(value).__name__}: expected a Scalar, Tensor or Value"
    )


def walk(root: Any) -> list[Node]:
    """Every value reachable from ``root`` (each once, output first), without recursion."""
    nodes: list[Node] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = describe(stack.pop())
        if node.uid in seen:
            continue
        seen.add(node.uid)
        nodes.append(node)
        stack.extend(reversed(node.inputs))
    return nodes


def _escape(text: str) -> str:
    return "".join("\\" + c if c in "{}|<>\"" else c for c in text)


class GraphPicture(Renderable):
    """A computation graph: ``.source`` (Graphviz text), ``.values`` / ``.ops`` (node labels),
    ``save("g.svg")``, and inline display in Jupyter."""

    def __init__(self, root: Any, rankdir: str = "LR") -> None:
        self.nodes = walk(root)
        self.rankdir = rankdir
        self.values = [n.label or n.data for n in self.nodes]
        self.ops = [n.op for n in self.nodes if n.op is not None]
        self.source = self._source()

    def _source(self) -> str:
        lines = [f"digraph {{ rankdir={self.rankdir}; node [fontname=Helvetica];"]
        for n in self.nodes:
            grad = f"grad {n.grad}" if n.grad else ""
            parts = [p for p in (n.label, f"data {n.data}", grad) if p]
            record = " | ".join(_escape(p) for p in parts)
            lines.append(f'  v{n.uid} [shape=record, label="{{ {record} }}"];')
            if n.op is not None:
                lines.append(f'  op{n.uid} [shape=ellipse, style=filled, fillcolor="#fdf1d6", '
                             f'label="{_escape(n.op)}"];')
                lines.append(f"  op{n.uid} -> v{n.uid};")
                for parent in n.inputs:
                    lines.append(f"  v{parent.unique_id} -> op{n.uid};")
        lines.append("}")
        return "\n".join(lines)

    def render(self, fmt: str) -> bytes:
        try:
            import graphviz
        except ImportError as e:
            raise ImportError(
                'drawing graphs needs the graphviz package: pip install "minitorch[viz]"'
            ) from e
        try:
            data: bytes = graphviz.Source(self.source).pipe(format=fmt)
        except graphviz.ExecutableNotFound:
            raise RuntimeError(INSTALL_DOT) from None
        return data


def make_graph(out: Any, lr: bool = False) -> GraphPicture:
    """The course's drawing of the expression that computed ``out`` (left to right when ``lr``,
    else top to bottom)."""
    return GraphPicture(out, rankdir="LR" if lr else "TB")


def draw_dot(root: Any, format: str = "svg", rankdir: str = "LR") -> GraphPicture:  # noqa: A002
    """micrograd's ``draw_dot``: the graph of ``root`` (``format`` is kept for compatibility:
    the picture renders to SVG or PNG as asked)."""
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_dot: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    return GraphPicture(root, rankdir=rankdir)
