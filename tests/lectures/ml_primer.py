# Lecture code from the ML primer (seed 000) and Module 1.1 (seed 001), as written,
# without the plotting lines (docs/ml_primer.py has them, drawn with minitorch.viz).
import math
import random
from dataclasses import dataclass
from typing import Callable

import minitorch
from minitorch import Module, Parameter

# The lectures' data sets: `s` (Simple), `s1`/`s2` its two classes.
random.seed(10)
s = minitorch.datasets["Simple"](10)
s1 = [x for x, y in zip(s.X, s.y) if y == 1]
s2 = [x for x, y in zip(s.X, s.y) if y == 0]


@dataclass
class Linear:
    # Parameters
    w1: float
    w2: float
    b: float

    def forward(self, x1: float, x2: float) -> float:
        return self.w1 * x1 + self.w2 * x2 + self.b


model = Linear(1, 1, -0.9)


def point_loss(x):
    return -math.log(minitorch.operators.sigmoid(-x))


warmup_losses = [point_loss(x) for x in [-2, -0.2, 1]]

model1 = Linear(1, 1, -0.4)
model2 = Linear(1, 1, -0.5)


def point_loss(out, y=1):  # noqa: F811 - redefined in the lecture
    return (y * # Correct Side
            -math.log(minitorch.operators.sigmoid( # Log-Sigmoid
                -out))) # Distance


def full_loss(m):
    l = 0
    for x, y in zip(s.X, s.y):
        l += point_loss(-m.forward(*x), y)
    return -l


losses = {b: full_loss(Linear(1, 1, b)) for b in [-1.5, -1.45, 0]}


# Module 1.1: the same model as a Module with Parameters
class LinearModule(Module):
    def __init__(self, w1, w2, b):
        super().__init__()
        self.w1 = Parameter(w1)
        self.w2 = Parameter(w2)
        self.b = Parameter(b)

    def forward(self, x1: float, x2: float) -> float:
        return self.w1.value * x1 + self.w2.value * x2 + self.b.value


module_model = LinearModule(1, 1, -0.4)


def relu_point_loss(m_x):
    return minitorch.operators.relu(m_x)


# Derivatives
def f(x):
    return x * x + 1.0


def f_prime(x):
    return 2 * x


def tangent_line(slope, x, y):
    def line(x_):
        return slope * (x_ - x) + y
    return line


tangent = tangent_line(f_prime(2), 2, f(2))


def derivative(f: Callable[[float], float]) -> Callable[[float], float]:
    def f_prime(x: float) -> float:
        return minitorch.central_difference(f, x)
    return f_prime


def f2(x, y):
    return math.sin(x) + 2 * math.cos(y)


def f_x_prime(x: float, y: float) -> float:
    def inner(x: float) -> float:
        return f2(x, y)
    return derivative(inner)(x)


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    else:
        return math.exp(x) / (1.0 + math.exp(x))


sigmoid_prime = derivative(sigmoid)
