# %% [markdown]
# # Broadcasting
#
# `a + b` works for tensors of different shapes when each dimension either matches or is 1
# (or is missing on the left). The smaller tensor is not copied: it is read with stride 0
# along the dimensions it lacks. This page shows the rule, how a kernel finds the element to
# read, and why the gradient of a broadcast is a sum.

# %%
import numpy as np

import minitorch
from minitorch.tensor_data import broadcast_index, shape_broadcast
from minitorch.viz.figure import Panel, Picture

# %% [markdown]
# **The rule.** Line the shapes up on the right; a missing dimension counts as 1; sizes must be
# equal or one of them 1, and the result takes the larger.

# %%
for a, b in [((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((5, 1, 3), (2, 1)), ((2, 3), (3, 2))]:
    try:
        print(a, "+", b, "->", shape_broadcast(a, b))
    except Exception as err:  # noqa: BLE001 - the error is the lesson
        print(a, "+", b, "->", type(err).__name__, ":", err)

# %% [markdown]
# **Which element does an output position read?** `broadcast_index` maps an index of the big
# (output) shape to the index of the small input: dimensions of size 1 read index 0, the
# missing ones are dropped.

# %%
small = np.zeros(2, dtype=np.int32)
for big in [(0, 2), (2, 3), (1, 0)]:
    broadcast_index(np.array(big), np.array((3, 4)), np.array((3, 1)), small)
    print("output", big, "reads a at", tuple(int(i) for i in small))

# %%
a = minitorch.tensor([[0.0], [10.0], [20.0]])  # (3, 1): a column
b = minitorch.tensor([[1.0, 2.0, 3.0, 4.0]])  # (1, 4): a row
c = a + b
print(c)


# %%
def grid(ax, values: np.ndarray, title: str, shape: tuple[int, int]) -> None:
    """Values in a grid of ``shape``; cells outside the tensor's own size are faded copies."""
    ax.set_title(title)
    rows, cols = values.shape
    for i in range(shape[0]):
        for j in range(shape[1]):
            own = i < rows and j < cols
            v = values[min(i, rows - 1), min(j, cols - 1)]
            ax.text(j, -i, f"{v:g}", ha="center", va="center",
                    color="black" if own else "lightgray", fontsize=12)
    ax.set_xlim(-0.6, shape[1] - 0.4)
    ax.set_ylim(-shape[0] + 0.4, 0.6)
    ax.set_xticks([])
    ax.set_yticks([])


Picture([
    Panel(lambda ax: grid(ax, a.to_numpy(), "a (3, 1), read with stride 0 along columns",
                          (3, 4)), width=1.3),
    Panel(lambda ax: grid(ax, b.to_numpy(), "b (1, 4), stride 0 along rows", (3, 4)),
          width=1.3),
    Panel(lambda ax: grid(ax, c.to_numpy(), "a + b (3, 4)", (3, 4)), width=1.3),
], sep=0.2)

# %% [markdown]
# The gray numbers are never stored: `expand` makes the same picture as a view with stride 0.

# %%
print(a.expand(3, 4)._tensor.strides, b.expand(3, 4)._tensor.strides)

# %% [markdown]
# **The gradient of a broadcast is a sum.** Each element of `a` was used once per column, so
# its derivative adds up the incoming gradient along the broadcast dimension:
#
# $$\frac{\partial L}{\partial a_{i0}} = \sum_j \frac{\partial L}{\partial c_{ij}} .$$

# %%
a.requires_grad_(True)
b.requires_grad_(True)
weights = minitorch.tensor([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
((a + b) * weights).sum().backward()
print("a.grad (the row sums):", a.grad.to_numpy().ravel())
print("b.grad (the column sums):", b.grad.to_numpy().ravel())

# %% [markdown]
# The same check against numerical derivatives (`grad_check` perturbs every input element):

# %%
minitorch.grad_check(lambda x, y: (x + y) * weights, a.detach(), b.detach())
print("grad_check passed")
