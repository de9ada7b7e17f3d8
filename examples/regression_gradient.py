"""The ML Foundations regression exercises in minitorch (Krohn, "Calculus II" and "Optimization").

1. The gradient of one point's quadratic cost, by autodiff and by hand:
   dC/dm = 2x(yhat - y), dC/db = 2(yhat - y).
2. The same for the mean squared error over all eight points.
3. Gradient descent on (m, b) for 1000 epochs with ``minitorch.SGD([m, b], lr=0.01)``.

Run: ``python examples/regression_gradient.py`` (add ``--epochs N`` to shorten).
"""

from __future__ import annotations

import argparse

import minitorch

XS = [0.0, 1, 2, 3, 4, 5, 6, 7]
YS = [1.86, 1.31, 0.62, 0.33, 0.09, -0.67, -1.23, -1.37]


def regression(
    my_x: minitorch.Tensor | float, my_m: minitorch.Tensor, my_b: minitorch.Tensor
) -> minitorch.Tensor:
    """The straight line :math:`\\hat y = m x + b`."""
    return my_m * my_x + my_b


def squared_error(my_yhat: minitorch.Tensor, my_y: float) -> minitorch.Tensor:
    return (my_yhat - my_y) ** 2


def mse(my_yhat: minitorch.Tensor, my_y: minitorch.Tensor) -> minitorch.Tensor:
    sigma = ((my_yhat - my_y) ** 2).sum()
    return sigma / len(my_y)


def start() -> tuple[minitorch.Tensor, minitorch.Tensor]:
    """The notebooks' "random" near-zero starting point, m = 0.9 and b = 0.1."""
    return minitorch.tensor([0.9], requires_grad=True), minitorch.tensor([0.1], requires_grad=True)


def single_point(i: int = 7) -> dict[str, float]:
    """Autodiff and hand-derived gradients of one point's quadratic cost."""
    xs, ys = minitorch.tensor(XS), minitorch.tensor(YS)
    m, b = start()
    x, y = xs[i], ys[i]
    yhat = regression(x, m, b)
    cost = squared_error(yhat, y)
    cost.backward()
    assert m.grad is not None and b.grad is not None
    return {
        "cost": cost.item(),
        "dC/dm": m.grad.item(),
        "dC/db": b.grad.item(),
        "2x(yhat - y)": 2 * x * (yhat.item() - y),
        "2(yhat - y)": 2 * (yhat.item() - y),
    }


def batch_gradient() -> dict[str, float]:
    """Autodiff and hand-derived gradients of the MSE over all points:
    dC/dm = 2/n sum (yhat - y) x, dC/db = 2/n sum (yhat - y)."""
    xs, ys = minitorch.tensor(XS), minitorch.tensor(YS)
    m, b = start()
    yhat = regression(xs, m, b)
    cost = mse(yhat, ys)
    cost.backward()
    assert m.grad is not None and b.grad is not None
    residual = (yhat - ys).detach()
    return {
        "cost": cost.item(),
        "dC/dm": m.grad.item(),
        "dC/db": b.grad.item(),
        "2/n sum (yhat - y) x": (2 * (residual * xs).mean()).item(),
        "2/n sum (yhat - y)": (2 * residual.mean()).item(),
    }


def gradient_descent(epochs: int = 1000, lr: float = 0.01) -> dict[str, float]:
    """Full-batch gradient descent on (m, b); returns the final cost, m and b."""
    xs, ys = minitorch.tensor(XS), minitorch.tensor(YS)
    m, b = start()
    optimizer = minitorch.SGD([m, b], lr=lr)
    cost = mse(regression(xs, m, b), ys)
    for epoch in range(epochs):
        optimizer.zero_grad()
        cost = mse(regression(xs, m, b), ys)
        cost.backward()
        optimizer.step()
        if epoch % max(1, epochs // 5) == 0:
            print(f"epoch {epoch:4d}  cost {cost.item():.3g}  m {m.item():.3g}  b {b.item():.3g}")
    return {"cost": cost.item(), "m": m.item(), "b": b.item()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1000)
    args = parser.parse_args(argv)
    results = [("one point (i = 7)", single_point()), ("all eight points", batch_gradient())]
    for title, result in results:
        print(f"{title}: " + ", ".join(f"{k} = {v:.4f}" for k, v in result.items()))
    final = gradient_descent(args.epochs)
    print(f"after {args.epochs} epochs: m = {final['m']:.4f}, b = {final['b']:.4f}, "
          f"cost {final['cost']:.4f}")


if __name__ == "__main__":
    main()
