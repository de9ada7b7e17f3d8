# %% [markdown]
# # Autodiff: functions as boxes, and the graph of a computation
#
# The autodiff lectures draw a computation as boxes joined by wires: values flow forward
# (left to right), derivatives flow back (right to left).

# %%
from typing import Tuple

import minitorch
from minitorch import Context, Scalar, ScalarFunction
from minitorch.viz import *

draw_boxes([("", ""), "", "", ""], [1, 2, 1], lr=True)

# %%
backprop(6)

# %% [markdown]
# One box per function: $f(x) = \text{ReLU}(x)$, $f(x, y) = x \times y$, and a composition.

# %%
draw_boxes(["$x_1$", "$f(x_1)$"], [1])

# %%
draw_boxes([("$x$", "$y$"), "$f(x, y)$"], [1])

# %%
draw_boxes(["$x$", "$g(x)$", "$f(g(x))$"], [1, 1])

# %% [markdown]
# A function is a class with `forward` and `backward`; `apply` wraps and unwraps Scalars.

# %%
class TimesFive(ScalarFunction):
    @staticmethod
    def forward(ctx, x: float) -> float:
        return x * 5

    @staticmethod
    def backward(ctx, d: float) -> float:
        f_prime = 5
        return f_prime * d


draw_boxes(["", "", ""], [1, 1], lr=False)

# %%
class AddTimes2(ScalarFunction):
    @staticmethod
    def forward(ctx, x: float, y: float) -> float:
        return x + 2 * y

    @staticmethod
    def backward(ctx, d) -> Tuple[float, float]:
        return d, 2 * d


draw_boxes([("", ""), ""], [1], lr=False)

# %% [markdown]
# What `forward` needs to keep for `backward` goes in the context.

# %%
class Square(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, x: float) -> float:
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx: Context, d_out: float) -> Tuple[float, float]:
        (x,) = ctx.saved_values
        f_prime = 2 * x
        return f_prime * d_out


x = minitorch.Scalar(10)
x_2 = Square.apply(x)
x_2.history

# %% [markdown]
# The graph of an expression: one node per value (name, value, derivative once known) and one
# per operation. Before `backward()`:

# %%
x = Scalar(2.0, name="x")
y = Scalar(3.0, name="y")
z = TimesFive.apply(x) * y + AddTimes2.apply(x, y)
z.name = "z"
make_graph(z, lr=True)

# %% [markdown]
# After `backward()`, the leaves carry their derivatives: $dz/dx = 5y + 1 = 16$, $dz/dy = 5x + 2 = 12$.

# %%
z.backward()
make_graph(z, lr=True)

# %% [markdown]
# The same picture for micrograd's `Value` (every node keeps its `grad` there).

# %%
from minitorch.micrograd import Value

a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b + a
c.label = "c"
c.backward()
draw_dot(c)
