# %% [markdown]
# # Optimizers and learning-rate schedules
#
# Training is walking downhill on a cost function. This page builds the walk up from
# scratch: gradient descent by hand on a small regression, stochastic gradient descent on
# mini-batches, learning-rate schedules, and then momentum, RMSprop and Adam racing on 2-D
# surfaces, each checked against `minitorch.optim`.

# %%
import numpy as np

import minitorch
from minitorch.app import race
from minitorch.optim import lr_scheduler
from minitorch.viz.figure import Panel, Picture, single
from minitorch.viz.plots import curves

# %% [markdown]
# **Gradient descent by hand.** Eight points, a line $\hat y = m x + b$, and the mean squared
# error
#
# $$C(m, b) = \frac{1}{n} \sum_i (m x_i + b - y_i)^2 .$$
#
# Each step moves $m$ and $b$ against their gradient: $\theta \leftarrow \theta - \eta
# \, \partial C / \partial \theta$. autodiff finds the gradient; the update is ours, done
# under `no_grad()` so that it is not recorded.

# %%
x = minitorch.tensor([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
y = minitorch.tensor([1.86, 1.31, 0.62, 0.33, 0.09, -0.67, -1.23, -1.37])
m = minitorch.tensor([0.9], requires_grad=True)
b = minitorch.tensor([0.1], requires_grad=True)
costs = []
for _ in range(1000):
    cost = ((m * x + b - y) ** 2).mean()
    costs.append(cost.item())
    m.grad = b.grad = None
    cost.backward()
    with minitorch.no_grad():
        m -= 0.01 * m.grad
        b -= 0.01 * b.grad
print(f"m = {m.item():.3f}, b = {b.item():.3f}, cost {costs[-1]:.4f}")


# %%
def fit(ax) -> None:
    ax.scatter(x.to_numpy(), y.to_numpy())
    xs = np.linspace(0, 7, 2)
    ax.plot(xs, m.item() * xs + b.item(), color="C1")
    ax.set_title("the fitted line")


def cost_curve(ax) -> None:
    ax.semilogy(costs)
    ax.set_xlabel("step")
    ax.set_title("C(m, b)")


Picture([Panel(fit), Panel(cost_curve, width=1.3)])

# %% [markdown]
# **Stochastic gradient descent.** With many points, one step on all of them is expensive;
# a step on a random mini-batch of 32 costs 1/250 as much and points roughly the same way.
# Per pass over the data (an epoch) SGD takes 250 small steps where full-batch descent takes
# one. Here on 8,000 noisy points of $y = 2x + 3$, with `minitorch.optim.SGD` doing the update:

# %%
rng = np.random.default_rng(0)
big_x = rng.uniform(-1, 1, 8000)
big_y = 2 * big_x + 3 + rng.normal(0, 0.5, 8000)


def train(batch: int, epochs: int = 5, lr: float = 0.1) -> list[float]:
    w = minitorch.tensor([0.0], requires_grad=True)
    c = minitorch.tensor([0.0], requires_grad=True)
    optimizer = minitorch.SGD([w, c], lr=lr)
    full = []
    for _ in range(epochs):
        order = rng.permutation(len(big_x))
        for start in range(0, len(big_x), batch):
            pick = order[start : start + batch]
            optimizer.zero_grad()
            loss = ((w * minitorch.tensor(big_x[pick]) + c
                     - minitorch.tensor(big_y[pick])) ** 2).mean()
            loss.backward()
            optimizer.step()
        full.append(float(np.mean((w.item() * big_x + c.item() - big_y) ** 2)))
    return full


curves("mean squared error after each epoch", {
    "full batch (1 step per epoch)": train(8000), "mini-batches of 32": train(32),
})

# %% [markdown]
# SGD reaches the noise floor ($0.5^2 = 0.25$) in its first epoch; the full-batch walk is
# still far away after five.
#
# **Learning-rate schedules** change $\eta$ as training goes: large steps early, small ones
# to settle. Each scheduler wraps an optimizer and sets its rate at every `step()`:

# %%
def rates(make, epochs: int = 40) -> list[float]:
    optimizer = minitorch.SGD([minitorch.tensor([0.0], requires_grad=True)], lr=0.1)
    schedule = make(optimizer)
    out = []
    for _ in range(epochs):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        schedule.step()
    return out


curves("learning rate per epoch", {
    "StepLR(step_size=10, gamma=0.5)": rates(lambda o: lr_scheduler.StepLR(o, 10, 0.5)),
    "ExponentialLR(gamma=0.93)": rates(lambda o: lr_scheduler.ExponentialLR(o, 0.93)),
    "CosineAnnealingLR(T_max=40)": rates(lambda o: lr_scheduler.CosineAnnealingLR(o, 40)),
})

# %% [markdown]
# **Momentum** remembers where it was going: $v \leftarrow \beta v + g$,
# $\theta \leftarrow \theta - \eta v$. Written by hand, it walks exactly the path of
# `SGD(momentum=0.9)`:

# %%
bowl = race.SURFACES["bowl"]
point = minitorch.tensor(list(bowl.start), requires_grad=True)
velocity = minitorch.zeros(2)
by_hand = [tuple(point.to_numpy())]
for _ in range(60):
    point.grad = None
    bowl.fn(point[0:1], point[1:2]).sum().backward()
    with minitorch.no_grad():
        velocity = 0.9 * velocity + point.grad
        point -= 0.005 * velocity
    by_hand.append(tuple(point.to_numpy()))
library = race.walk("bowl", "SGD + momentum", 0.005, 60).points
print("largest difference from minitorch.SGD(momentum=0.9):",
      float(np.abs(np.array(by_hand) - np.array(library)).max()))

# %% [markdown]
# **The race.** Every optimizer from the same start, 150 steps. On the bowl
# $x^2 + 10 y^2$ plain SGD first drops down the steep direction, then crawls along the
# shallow one; momentum overshoots and swings back; RMSprop and Adam scale each coordinate's
# step by the size of its recent gradients, so both directions move at a similar pace. On
# Rosenbrock's curved valley, at rates that keep plain SGD from diverging on its steep walls,
# no one gets far in 150 steps: the [Hessians tutorial](hessians.md) shows a step that does.

# %%
def race_panel(surface: str, names: list[str]) -> Panel:
    xs, ys, zs = race.grid(surface)

    def draw(ax) -> None:
        ax.contour(xs, ys, np.log1p(zs - zs.min()), levels=20, colors="lightgray")
        for name in names:
            path = np.array(race.walk(surface, name, race.default_lr(surface, name), 150).points)
            ax.plot(path[:, 0], path[:, 1], ".-", markersize=2, label=name)
        ax.set_title(f"{surface}: ${race.SURFACES[surface].formula}$", fontsize=9)
        ax.legend(fontsize=7)

    return Panel(draw, width=1.4)


names = ["SGD", "SGD + momentum", "RMSprop", "Adam"]
Picture([race_panel("bowl", names), race_panel("Rosenbrock", names)], sep=0.2)

# %% [markdown]
# The same race runs live, with every optimizer and learning rate adjustable, on the app's
# Optimizers page (`minitorch app`).

# %%
final = {name: race.walk("bowl", name, race.default_lr("bowl", name), 150).values[-1]
         for name in names}
single(lambda ax: (ax.bar(list(final), list(final.values())), ax.set_yscale("log"),
                   ax.set_title("bowl: value after 150 steps")), width=1.4)
