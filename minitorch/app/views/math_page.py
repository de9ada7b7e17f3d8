"""Math: every operator of ``minitorch.operators`` and its derivative, plotted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from minitorch import operators
from minitorch.autodiff import central_difference
from minitorch.scalar import Scalar

Function = tuple[Callable[[float], float], Callable[[Any], Any], str, tuple[float, float]]

# name -> (the float function of minitorch.operators, the same on a Scalar (autodiff
# differentiates it), its formula, the x range plotted); binary operators with y fixed
FUNCTIONS: dict[str, Function] = {
    "sigmoid": (operators.sigmoid, lambda x: x.sigmoid(), "sigmoid(x)", (-6.0, 6.0)),
    "relu": (operators.relu, lambda x: x.relu(), "relu(x)", (-3.0, 3.0)),
    "exp": (operators.exp, lambda x: x.exp(), "exp(x)", (-3.0, 2.0)),
    "log": (operators.log, lambda x: x.log(), "log(x)", (0.05, 5.0)),
    "inv": (operators.inv, lambda x: 1.0 / x, "1 / x", (0.2, 4.0)),
    "tanh": (operators.tanh, lambda x: x.tanh(), "tanh(x)", (-3.0, 3.0)),
    "neg": (operators.neg, lambda x: -x, "-x", (-3.0, 3.0)),
    "id": (operators.id, lambda x: x * 1.0, "x", (-3.0, 3.0)),
    "mul (y = 2.5)": (lambda x: operators.mul(x, 2.5), lambda x: x * 2.5, "x * 2.5", (-3.0, 3.0)),
    "add (y = 2.5)": (lambda x: operators.add(x, 2.5), lambda x: x + 2.5, "x + 2.5", (-3.0, 3.0)),
    "div (y = 2.5)": (lambda x: operators.div(x, 2.5), lambda x: x / 2.5, "x / 2.5", (-3.0, 3.0)),
    "pow (n = 3)": (lambda x: operators.pow(x, 3.0), lambda x: x ** 3, "x ** 3", (-2.0, 2.0)),
    "square": (lambda x: operators.mul(x, x), lambda x: x * x, "x * x", (-3.0, 3.0)),
    "lt (y = 1.2)": (lambda x: operators.lt(x, 1.2), lambda x: x < 1.2, "x < 1.2", (-1.0, 3.0)),
    "eq (y = 1)": (lambda x: operators.eq(x, 1.0), lambda x: x == 1.0, "x == 1", (-1.0, 3.0)),
}


def autodiff_derivative(f: Callable[[Any], Any], x: float) -> float:
    """f'(x) by backpropagation through a Scalar (0 where the result does not depend on x)."""
    s = Scalar(x)
    out = f(s)
    if out.history is None or out.history.last_fn is None:
        return 0.0
    out.backward()
    return float(s.derivative) if s.derivative is not None else 0.0


st.title("Operators and their derivatives")
st.markdown(
    "Every scalar function of `minitorch.operators` next to its derivative, found two ways: "
    "**autodiff** (backpropagation through `Scalar`s: exact) and the **central difference** "
    r"$\frac{f(x + \epsilon) - f(x - \epsilon)}{2\epsilon}$ (numerical). Where the function "
    "has a kink (ReLU at 0) or a jump (`lt`, `eq`) they disagree there: there is no derivative. "
    "Make epsilon large and watch the numerical one drift away."
)
name = st.selectbox("Function", list(FUNCTIONS), key="function")
scalar_f, autodiff_f, expression, (low, high) = FUNCTIONS[name]
epsilon = st.select_slider("epsilon of the central difference",
                           options=[1e-1, 1e-2, 1e-3, 1e-6], value=1e-6, key="epsilon")
xs = np.linspace(low, high, 121)
table = pd.DataFrame({
    "x": xs,
    f"f(x) = {expression}": [scalar_f(x) for x in xs],
    "f'(x), autodiff": [autodiff_derivative(autodiff_f, x) for x in xs],
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
