"""Autodiff: an expression in x and y, drawn as its computation graph after ``backward()``."""

from __future__ import annotations

from typing import Any

import streamlit as st

from minitorch.app import expr
from minitorch.micrograd import Value
from minitorch.ops.constructors import tensor
from minitorch.scalar import Scalar
from minitorch.tensor import Tensor
from minitorch.viz.graph import make_graph

ENGINES = ["Scalar", "Tensor", "micrograd Value"]


def leaf(engine: str, value: float, name: str) -> Any:
    """A variable of ``engine`` holding ``value``, named for the drawing."""
    if engine == "Scalar":
        return Scalar(value, name=name)
    if engine == "Tensor":
        t = tensor([value], requires_grad=True)
        t.name = name
        return t
    return Value(value, label=name)


def gradient(variable: Any) -> float:
    if isinstance(variable, Scalar):
        return float(variable.derivative or 0.0)
    if isinstance(variable, Tensor):
        return 0.0 if variable.grad is None else float(variable.grad.item())
    return float(variable.grad)


st.title("Autodiff: the graph of a computation")
st.markdown(
    "Type an expression in `x` and `y` (numbers, `+ - * / **`, and "
    f"{', '.join(f'`{f}()`' for f in sorted(expr.FUNCTIONS))}). It is computed on the engine "
    "you pick, which records every operation; `backward()` then runs the chain rule from the "
    "output back to the inputs. Each box shows a value with its data and, after the backward "
    "pass, its gradient; each oval is the operation that made the value below it."
)
text = st.text_input("Expression", "x * y + relu(x - 2) ** 2", key="expression")
left, middle, right = st.columns(3)
x_value = left.number_input("x", value=3.0, key="x")
y_value = middle.number_input("y", value=-1.5, key="y")
engine = right.radio("Engine", ENGINES, key="engine", horizontal=True)

try:
    tree = expr.parse(text)
    x, y = leaf(engine, x_value, "x"), leaf(engine, y_value, "y")
    out = expr.evaluate(tree, {"x": x, "y": y})
    if not hasattr(out, "backward"):
        raise expr.ExpressionError("the expression does not use x or y")
    out.backward()
except expr.ExpressionError as err:
    st.error(f"{err}")
else:
    data = out.item() if isinstance(out, Tensor) else out.data
    cols = st.columns(3)
    cols[0].metric("output", f"{data:.6g}")
    cols[1].metric("d output / dx", f"{gradient(x):.6g}")
    cols[2].metric("d output / dy", f"{gradient(y):.6g}")
    st.graphviz_chart(make_graph(out, lr=True).source)
    st.code(
        f"""x, y = {type(x).__name__}({x_value}), {type(y).__name__}({y_value})  # on {engine}
out = {text}
out.backward()
make_graph(out, lr=True)   # minitorch.viz: this drawing""",
        language="python",
    )
