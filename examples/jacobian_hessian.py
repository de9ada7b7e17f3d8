"""Jacobian and Hessian matrices (ML Foundations, "Calculus II" and "Optimization").

1. A layer of artificial neurons: 784 inputs (a flattened 28x28 image), 128 sigmoid units,
   Xavier-normal weights.  Its Jacobian, d a / d x, is a 128 x 784 matrix.
2. Second-order optimisation: Newton's step x <- x - H^{-1} grad f(x) lands on the minimum
   of a quadratic f(x) = 1/2 x^T A x - b^T x in one step, where gradient descent needs many.

Run: ``python examples/jacobian_hessian.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import minitorch
from minitorch import FastBackend
from minitorch.ops import autograd


def dense_layer(n_input: int = 784, n_dense: int = 128, seed: int = 42) -> dict[str, object]:
    """The layer ``a = sigmoid(x W + b)`` and its Jacobian with respect to ``x``."""
    minitorch.manual_seed(seed)
    x = minitorch.rand((n_input,), backend=FastBackend)
    w = minitorch.zeros((n_input, n_dense), backend=FastBackend)
    minitorch.nn.init.xavier_normal_(w)
    b = minitorch.zeros((n_dense,), backend=FastBackend)

    def layer(v: minitorch.Tensor) -> minitorch.Tensor:
        return ((v.view(1, n_input) @ w).view(n_dense) + b).sigmoid()

    a = layer(x)
    jac = minitorch.jacobian(layer, x)
    return {"x": x, "w": w, "a": a, "jacobian": jac}


def quadratic(a_np: np.ndarray, b_np: np.ndarray) -> Callable[[minitorch.Tensor], minitorch.Tensor]:
    """:math:`f(x) = \tfrac12 x^\top A x - b^\top x`."""
    a, b = minitorch.tensor(a_np), minitorch.tensor(b_np)
    n = len(b_np)

    def f(x: minitorch.Tensor) -> minitorch.Tensor:
        return (x.view(1, n) @ a @ x.view(n, 1)).sum() * 0.5 - (b * x).sum()

    return f


def newton_step(a_np: np.ndarray, b_np: np.ndarray, x0: np.ndarray) -> np.ndarray:
    """One Newton step from ``x0`` on :math:`\\tfrac12 x^\\top A x - b^\\top x`."""
    f = quadratic(a_np, b_np)
    x = minitorch.tensor(x0, requires_grad=True)
    (g,) = autograd.grad(f(x), x)
    h = minitorch.hessian(f, x)
    step: np.ndarray = x0 - np.linalg.solve(h.to_numpy(), g.to_numpy())
    return step


def gradient_descent_steps(a_np: np.ndarray, b_np: np.ndarray, x0: np.ndarray,
                           lr: float = 0.1, tol: float = 1e-8) -> int:
    """How many plain gradient steps reach the same point (to ``tol``)."""
    f = quadratic(a_np, b_np)
    x = minitorch.tensor(x0, requires_grad=True)
    optimizer = minitorch.SGD([x], lr=lr)
    target = np.linalg.solve(a_np, b_np)
    for step in range(1, 100_000):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
        if np.abs(x.to_numpy() - target).max() < tol:
            return step
    return -1


def main() -> None:
    layer = dense_layer()
    jac = layer["jacobian"]
    assert isinstance(jac, minitorch.Tensor)
    print(f"dense layer: Jacobian of the 128 activations by the 784 inputs, shape {jac.shape}, "
          f"largest entry {np.abs(jac.to_numpy()).max():.4f}")
    a_np = np.array([[3.0, 1.0, 0.0], [1.0, 4.0, 1.0], [0.0, 1.0, 2.0]])
    b_np = np.array([1.0, -2.0, 0.5])
    x0 = np.array([5.0, -3.0, 2.0])
    x1 = newton_step(a_np, b_np, x0)
    print(f"Newton: one step from {x0} reaches {np.round(x1, 6)}; the minimum is "
          f"{np.round(np.linalg.solve(a_np, b_np), 6)}")
    print(f"gradient descent (lr 0.1) needs {gradient_descent_steps(a_np, b_np, x0)} steps "
          "to get within 1e-8")


if __name__ == "__main__":
    main()
