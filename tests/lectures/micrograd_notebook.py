# The micrograd notebook (seed 003), cells as written, with minitorch's Value in place of
# the class the notebook builds step by step.
import math

import numpy as np  # noqa: F401 - imported by the notebook

from minitorch.micrograd import Value


def f(x):
    return 3*x**2 - 4*x+5


f_of_3 = f(3.0)

h = 0.001
x = 3.0
bumped = f(x + h)
response = f(x + h) - f(x)
slope = (f(x + h) - f(x))/h

# Forward pass (2 * -3 + 10) * -2
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label='e'
d = e+c; d.label='d'
f = Value(-2.0, label='f')
L = d * f; L.label='L'
forward_cell = (L, L._prev, L._op, L.label)

a.grad = 6.0
b.grad = -4.0
c.grad = -2.0
e.grad = -2.0
d.grad = -2.0
f.grad = 4.0
L.grad = 1.0

# optimize leaf nodes
h = 0.01
a.data += h * a.grad
b.data += h * b.grad
c.data += h * c.grad
f.data += h * f.grad

e = a*b; e.label='e'
d = e+c; d.label='d'
f = Value(-2.0, label='f')
L = d * f; L.label='L'
nudged = L.data


def check():
    h = 0.001

    a = Value(2.0, label='a')
    b = Value(-3.0, label='b')
    c = Value(10.0, label='c')
    e = a*b; e.label='e'
    d = e+c; d.label='d'
    f = Value(-2.0, label='f')
    L = d * f; L.label='L'
    L1 = L.data

    a = Value(2.0, label='a')
    b = Value(-3.0 + h, label='b')
    c = Value(10.0, label='c')
    e = a*b; e.label='e'
    d = e+c; d.label='d'
    f = Value(-2.0, label='f')
    L = d * f; L.label='L'
    L2 = L.data

    print((L2 - L1)/h) # rise over run

check() # Derivative of L with respect to h

tanh_of_half = math.tanh(0.5)
