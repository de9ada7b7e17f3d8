# %% [markdown]
# # Tensors and strides
#
# A tensor is three things: a flat **storage** of numbers, a **shape**, and **strides** that
# say how far apart in the storage two neighbours along each dimension are. Every view of a
# tensor (a transpose, a permutation, a reshape of a dense tensor) is a new shape and new
# strides over the *same* storage: nothing is copied. This page takes one tensor apart.

# %%
import numpy as np
from matplotlib.patches import Rectangle

import minitorch
from minitorch.tensor_data import TensorData, index_to_position, strides_from_shape, to_index
from minitorch.viz.figure import Panel, Picture

t = minitorch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
data = t._tensor  # the TensorData behind the tensor
print("storage:", data._storage, " shape:", data.shape, " strides:", data.strides)

# %% [markdown]
# The strides of a row-major (contiguous) layout: the last dimension moves by 1, each earlier
# one by the product of the sizes after it. The position of the index $(i_0, \ldots, i_{n-1})$
# in the storage is
#
# $$\text{position} = \sum_k i_k \, s_k .$$

# %%
print(strides_from_shape((2, 3)), strides_from_shape((4, 2, 3)))
for index in [(0, 0), (0, 2), (1, 0), (1, 2)]:
    position = index_to_position(np.array(index), np.array(data.strides))
    print(index, "-> position", position, "-> value", data._storage[position])

# %% [markdown]
# `to_index` goes the other way: the $k$-th element in row-major order has which index? The
# kernels use it to give each output position (each thread, on a GPU) its own element.

# %%
out = np.zeros(2, dtype=np.int32)
for ordinal in range(6):
    to_index(ordinal, np.array(data.shape), out)
    print(ordinal, "->", tuple(int(i) for i in out))

# %% [markdown]
# **A transpose is a stride swap.** `t.permute(1, 0)` has shape (3, 2) and strides (1, 3):
# moving along its first dimension steps by 1 through the same storage. It is no longer
# contiguous; `contiguous()` copies it into a fresh row-major storage.

# %%
u = t.permute(1, 0)
print("shape", u.shape, "strides", u._tensor.strides, "same storage:",
      u._tensor._storage is data._storage, "contiguous:", u._tensor.is_contiguous())
c = u.contiguous()
print("after contiguous(): strides", c._tensor.strides, "storage", c._tensor._storage)


# %%
def layout(ax, td: TensorData, title: str) -> None:
    """The storage as a row of cells, and each element's index written where it lives."""
    ax.set_title(title)
    n = len(td._storage)
    for p in range(n):
        ax.add_patch(Rectangle((p, 0), 1, 1, fill=False))
        ax.text(p + 0.5, 1.25, f"{td._storage[p]:g}", ha="center", color="gray")
    for index in td.indices():
        p = td.index(index)
        ax.text(p + 0.5, 0.5, str(tuple(index)), ha="center", va="center", fontsize=9)
    ax.set_xlim(0, n)
    ax.set_ylim(-0.2, 1.6)
    ax.set_axis_off()


Picture([Panel(lambda ax: layout(ax, data, "t: shape (2, 3), strides (3, 1)"), width=2.2),
         Panel(lambda ax: layout(ax, u._tensor, "t.permute(1, 0): shape (3, 2), strides (1, 3)"),
               width=2.2)], sep=0.15)

# %% [markdown]
# The same six storage cells: the index written in each cell is the one that reads it. On the
# right the indices are the transposed ones: $(i, j)$ of the permuted tensor reads what
# $(j, i)$ of the original does.
#
# **A view needs a dense layout.** `view` reshapes without copying, which only works when the
# elements already lie in row-major order; on the transposed tensor it refuses and says so.

# %%
print(t.view(3, 2))
try:
    u.view(6)
except Exception as err:  # noqa: BLE001 - the error is the lesson
    print(type(err).__name__, ":", err)
print(u.contiguous().view(6))

# %% [markdown]
# Gradients follow the same layouts: the derivative of a permutation is the inverse
# permutation of the incoming gradient, and of a view the reverse view.

# %%
x = minitorch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
y = (x.permute(1, 0) * minitorch.tensor([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])).sum()
y.backward()
x.grad
