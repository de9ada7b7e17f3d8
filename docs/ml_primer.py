# %% [markdown]
# # ML primer: a linear model, its decision boundary and its loss
#
# The first lecture's pictures, made with `minitorch.viz`. Ten points of the "Simple" data set:
# class 1 (green circles, `s1`) and class 0 (red crosses, `s2`).

# %%
import math
from dataclasses import dataclass

import minitorch
from minitorch.viz import *

split_graph(s1, s2)

# %% [markdown]
# A model splits the plane with a line: $m(x) = w_1 x_1 + w_2 x_2 + b$, class 1 where it is positive.

# %%
@dataclass
class Linear:
    # Parameters
    w1: float
    w2: float
    b: float

    def forward(self, x1: float, x2: float) -> float:
        return self.w1 * x1 + self.w2 * x2 + self.b


model = Linear(1, 1, -0.9)
draw_graph(model)

# %%
with_points(s1, s2, Linear(1, 1, -0.4))

# %% [markdown]
# How wrong is a point? The loss of a point on the wrong side grows with its distance from the line.

# %%
def point_loss(x):
    return -math.log(minitorch.operators.sigmoid(-x))


graph(point_loss, [], [])

# %%
graph(point_loss, [], [-2, -0.2, 1])

# %%
hcat([show(Linear(1, 1, -0.6)),
      show(Linear(1, 1, -0.7)),
      show(Linear(1, 1, -0.8))], 0.3)

# %%
model1 = Linear(1, 1, -0.4)
model2 = Linear(1, 1, -0.5)
compare(model1, model2)

# %%
with_points(s1, s2, Linear(1, 1, -1.5))

# %% [markdown]
# The full loss sums the loss of every point; moving the bias $b$ moves it.

# %%
def point_loss(out, y=1):
    return (y *  # Correct Side
            -math.log(minitorch.operators.sigmoid(  # Log-Sigmoid
                -out)))  # Distance


def full_loss(m):
    l = 0
    for x, y in zip(s.X, s.y):
        l += point_loss(-m.forward(*x), y)
    return -l


hcat([graph(point_loss, [], [-2, -0.2, 1]),
      graph(lambda x: point_loss(-x), [-1, 0.4, 1.3], [])], 0.3)

# %%
hcat([show(Linear(1, 1, -1.5)),
      show(Linear(1, 1, -1.45))], 0.3)

# %%
set_svg_height(300)
show_loss(full_loss, Linear(1, 1, 0))
