"""Math: every operator of ``minitorch.operators`` and its derivative, plotted."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from minitorch import operators
from minitorch.app import expr
from minitorch.autodiff import central_difference
from minitorch.scalar import Scalar

# name -> (the float function, the same as an expression on Scalars, the x range plotted)
FUNCTIONS: dict[str, tuple[Callable[[float], float], str, tuple[float, float]]] = {
    "sigmoid": (operators.sigmoid, "sigmoid(x)", (-6.0, 6.0)),
    "relu": (operators.relu, "relu(x)", (-3.0, 3.0)),
    "exp": (operators.exp, "exp(x)", (-3.0, 2.0)),
    "log": (operators.log, "log(x)", (0.05, 5.0)),
    "inv": (operators.inv, "1 / x", (0.2, 4.0)),
    "tanh": (operators.tanh, "tanh(x)", (-3.0, 3.0)),
    "neg": (operators.neg, "-x", (-3.0, 3.0)),
    "square": (lambda x: operators.mul(x, x), "x * x", (-3.0, 3.0)),
}


def autodiff_derivative(expression: str, x: float) -> float:
    """f'(x) by backpropagation through a Scalar."""
    s = Scalar(x)
    expr.evaluate(expr.parse(expression), {"x": s}).backward()
    assert s.derivative is not None
    return float(s.derivative)


st.title("Operators and their derivatives")
st.markdown(
    "Every scalar function of `minitorch.operators` next to its derivative, found two ways: "
    "**autodiff** (backpropagation through `Scalar`s: exact) and the **central difference** "
    r"$\frac{f(x + \epsilon) - f(x - \epsilon)}{2\epsilon}$ (numerical). Where the function "
    "has a kink (ReLU at 0) they disagree at that one point: there is no derivative there. "
    "Make epsilon large and watch the numerical one drift away."
)
name = st.selectbox("Function", list(FUNCTIONS), key="function")
scalar_f, expression, (low, high) = FUNCTIONS[name]
epsilon = st.select_slider("epsilon of the central difference",
                           options=[1e-1, 1e-2, 1e-3, 1e-6], value=1e-6, key="epsilon")
xs = np.linspace(low, high, 121)
table = pd.DataFrame({
    "x": xs,
    f"f(x) = {expression}": [scalar_f(x) for x in xs],
    "f'(x), autodiff": [autodiff_derivative(expression, x) for x in xs],
    "f'(x), central difference": [central_difference(scalar_f, x, epsilon=epsilon) for x in xs],
}).set_index("x")
st.line_chart(table)
gap = np.abs(table["f'(x), autodiff"] - table["f'(x), central difference"])
st.metric("largest gap between the two derivatives", f"{float(np.max(gap)):.2e}")
st.markdown("The code behind one point of the plot:")
st.code(
    f"""from minitorch import Scalar, central_difference

x = Scalar(1.0)
y = f(x)            # f(x) = {expression}, recorded as it is computed
y.backward()        # the chain rule, from y back to x
x.derivative        # f'(1.0), exact
central_difference(f, 1.0, epsilon={epsilon})   # f'(1.0), numerical""",
    language="python",
)
