# %% [markdown]
# # Jacobians, Hessians and Newton's step
#
# The gradient says which way is downhill. The **Jacobian** generalises it to functions with
# several outputs; the **Hessian**, the matrix of second derivatives, says how the slope
# itself changes: how curved the surface is in every direction. Newton's method uses the
# curvature to jump to the bottom of the local bowl instead of walking.

# %%
import numpy as np

import minitorch
from minitorch.app import race
from minitorch.ops import autograd
from minitorch.viz.figure import single

# %% [markdown]
# **The Jacobian** of $f: \mathbb{R}^n \to \mathbb{R}^m$ is the $m \times n$ matrix
# $J_{ij} = \partial f_i / \partial x_j$. For a layer $f(x) = \tanh(W x)$ it is
# $\mathrm{diag}(1 - f^2) \, W$, which autodiff finds row by row (one backward pass per
# output):

# %%
W = minitorch.tensor([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])


def layer(x):
    return (W @ x).tanh()


x0 = minitorch.tensor([0.1, 0.2, -0.3])
J = autograd.jacobian(layer, x0)
f0 = layer(x0).to_numpy()
print(J)
print("matches diag(1 - f^2) W:", np.allclose(J.to_numpy(), np.diag(1 - f0 ** 2) @ W.to_numpy()))

# %% [markdown]
# **The Hessian** of a function with one output is the Jacobian of its gradient:
# $H_{ij} = \partial^2 f / \partial x_i \partial x_j$. minitorch differentiates the backward
# pass itself (`backward(create_graph=True)`). For Rosenbrock's
# $f(x, y) = (1 - x)^2 + 100 (y - x^2)^2$ at the minimum $(1, 1)$:

# %%
def rosenbrock(v):
    x, y = v[0:1], v[1:2]
    return ((1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2).sum()


H = autograd.hessian(rosenbrock, minitorch.tensor([1.0, 1.0]))
print(H)
print("by hand: [[2 + 1200 x^2 - 400 y, -400 x], [-400 x, 200]] =", [[802, -400], [-400, 200]])
print("eigenvalues:", np.linalg.eigvalsh(H.to_numpy()))

# %% [markdown]
# Both eigenvalues positive: a minimum, but a badly shaped one: one direction is 2,500
# times steeper than the other (the valley). A gradient step small enough not to bounce off
# the steep walls crawls along the floor. The eigenvalues tell a minimum (all positive) from a
# saddle (mixed signs):

# %%
for surface, point in [("bowl", (0.0, 0.0)), ("saddle", (0.0, 0.0)), ("Rosenbrock", (1.0, 1.0))]:
    print(f"{surface:10s} at {point}: eigenvalues {race.hessian_eigenvalues(surface, point)}")

# %% [markdown]
# **Hessian-vector products** $Hv$ cost about two gradients, without forming $H$ (which has
# $n^2$ entries): the gradient of $\nabla f \cdot v$.

# %%
value, Hv = autograd.hvp(rosenbrock, minitorch.tensor([1.0, 1.0]), minitorch.tensor([1.0, 0.0]))
print("H v for v = (1, 0):", Hv, " (the first column of H)")

# %% [markdown]
# **Newton's step.** Near a point, $f(\theta + d) \approx f + g^\top d + \frac12 d^\top H d$;
# its minimum is at $d = -H^{-1} g$. On a quadratic bowl one step lands exactly on the
# minimum. On Rosenbrock the quadratic picture is only local, so a pure Newton step is not
# always downhill (step 2 below jumps far up the wall), yet six steps reach $(1, 1)$ to
# twelve digits, while gradient descent, at a rate that keeps it off the steep walls, has
# barely entered the valley after 500.

# %%
def newton(f, start, steps):
    theta = minitorch.tensor(list(start))
    path = [tuple(theta.to_numpy())]
    for _ in range(steps):
        leaf = theta.detach().requires_grad_(True)
        (g,) = autograd.grad(f(leaf), [leaf])
        H = autograd.hessian(f, theta)
        theta = theta - minitorch.linalg.solve(H, g)
        path.append(tuple(theta.to_numpy()))
    return np.array(path)


def bowl(v):
    return (v[0:1] ** 2 + 10.0 * v[1:2] ** 2).sum()


print("bowl, one Newton step from (-4, 1.5):", newton(bowl, (-4.0, 1.5), 1)[-1])
start = race.SURFACES["Rosenbrock"].start
newton_path = newton(rosenbrock, start, 6)
descent = np.array(race.walk("Rosenbrock", "SGD", race.default_lr("Rosenbrock", "SGD"), 500).points)
for k, p in enumerate(newton_path):
    print(f"Newton step {k}: ({p[0]:+.6f}, {p[1]:+.6f})  f = {rosenbrock(minitorch.tensor(p)).item():.3g}")
print(f"gradient descent after 500 steps: ({descent[-1][0]:+.3f}, {descent[-1][1]:+.3f})")


# %%
def draw(ax) -> None:
    xs, ys, zs = race.grid("Rosenbrock")
    ax.contour(xs, ys, np.log1p(zs), levels=20, colors="lightgray")
    ax.plot(descent[:, 0], descent[:, 1], ".-", markersize=2, label="gradient descent, 500 steps")
    ax.plot(newton_path[:, 0], newton_path[:, 1], "o-", label="Newton, 6 steps")
    ax.plot([1], [1], "k*", markersize=12, label="minimum (1, 1)")
    ax.set_title("Rosenbrock")
    ax.legend(fontsize=8)


single(draw, width=1.4)

# %% [markdown]
# Newton's method needs the whole Hessian and a linear solve, $O(n^3)$ for $n$ parameters:
# out of reach for a network with millions. Adam's per-coordinate scaling (see the
# [optimizers tutorial](optimizers.md)) is a cheap stand-in for the diagonal of the curvature.
