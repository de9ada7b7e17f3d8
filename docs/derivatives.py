# %% [markdown]
# # Derivatives: learning with derivatives (Module 1.1)
#
# How small changes in the input change the output: functions, their derivatives, tangent
# lines and numerical derivatives with `minitorch.central_difference`.

# %%
import math
from typing import Callable

import minitorch
from minitorch.viz import *

# %% [markdown]
# $$f(x) = x^2 + 1$$

# %%
def f(x):
    return x * x + 1.0


plot_function("f(x)", f)

# %% [markdown]
# $$f'(x) = 2x$$: the tangent line at $x = 2$.

# %%
def f_prime(x):
    return 2 * x


def tangent_line(slope, x, y):
    def line(x_):
        return slope * (x_ - x) + y
    return line


plot_function("f(x) vs f'(2)",
              f, fn2=tangent_line(f_prime(2), 2, f(2)))

# %% [markdown]
# $$f(x) = \sin(2 x) \Rightarrow f'(x) = 2 \cos(2 x)$$

# %%
plot_function("f(x) = sin(2x)", lambda x: math.sin(2 * x))

# %%
plot_function("f'(x) = 2*cos(2x)", lambda x: 2 * math.cos(2 * x),
              fn2=lambda x: math.sin(2 * x))

# %% [markdown]
# Functions of two arguments, and a partial derivative.

# %%
plot_function3D("f(x, y) = sin(x) + 2 * cos(y)", lambda x, y: math.sin(x) + 2 * math.cos(y))

# %%
plot_function3D("f'_x(x, y) = cos(x)", lambda x, y: math.cos(x))

# %% [markdown]
# The numerical derivative only needs to call $f$:
# $$f'(x) \approx \frac{f(x + \epsilon) - f(x-\epsilon)}{2\epsilon}$$

# %%
def derivative(f: Callable[[float], float]
               ) -> Callable[[float], float]:
    def f_prime(x: float) -> float:
        return minitorch.central_difference(f, x)
    return f_prime


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    else:
        return math.exp(x) / (1.0 + math.exp(x))


plot_function("sigmoid", sigmoid)

# %%
sigmoid_prime = derivative(sigmoid)
plot_function("Derivative of sigmoid", sigmoid_prime)
