# %% [markdown]
# # Dtypes and indexing
#
# A tensor's values have a type, its **dtype**: `bool`, an integer type (`uint8`, `int8`,
# `int16`, `int32`, `int64`) or a float type (`float16`, `float32`, `float64`). The dtype is
# the numpy type of the tensor's storage, so an `int64` tensor holds every 64-bit integer
# exactly, and a `bool` tensor is a mask. This page shows how dtypes are made and combined,
# how masks and index tensors pick elements, and how gradients flow through picks and writes.

# %%
import minitorch

# %% [markdown]
# ## Where dtypes come from
#
# Python floats make `float64` tensors, minitorch's default float type. Python **integers
# make float64 too**: the course's tests ask for gradients of `tensor([1, 2],
# requires_grad=True)`, and only float tensors have gradients. Integer tensors come from a
# `dtype=`, from integer constructors (`arange` of integers, `randint`, `randperm`, `full`
# with an integer) and from integer results (`argmax`, `nonzero`, the sum of a mask).
# Comparisons give `bool`.

# %%
x = minitorch.tensor([3.0, -1.0, 4.0, -1.5])
print(minitorch.tensor([1, 2]).dtype, minitorch.tensor([1, 2], dtype=minitorch.long).dtype)
print(minitorch.arange(4), x.argmax(), x > 0, (x > 0).sum())

# %% [markdown]
# `x.float()` makes `float32` (torch's meaning), `x.double()` float64, `x.long()` int64,
# `x.int()` int32, `x.bool()` a mask; `x.to(dtype)` any of them. Converting to an integer type
# truncates towards zero, as does writing a float into an integer tensor; NaN or a value out
# of the type's range raises instead of giving a wrong number.

# %%
counts = minitorch.zeros(3, dtype=minitorch.int64)
counts[0] = 2.7
counts += 1
print(counts, x.long(), x.float())
try:
    counts[1] = float("nan")
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# ## Promotion: the dtype of a result
#
# An operation on two dtypes gives torch's result type. The *categories* are ordered
# bool < integer < float, and the higher category wins; within a category the wider type
# wins (`uint8` with `int8` needs `int16`). A Python number, or a 0-d tensor, beside a
# tensor only raises the type by being of a higher category: `int_tensor * 2` stays an
# integer tensor and `float32_tensor * 0.5` stays float32, but `int_tensor * 0.5` is a float
# (float64, the default). Division `/` always gives a float; `//` and `%` of integers round
# towards minus infinity, as Python and torch do.

# %%
i = minitorch.tensor([-7, 7], dtype=minitorch.int32)
f = minitorch.tensor([1.5, 2.0], dtype=minitorch.float32)
for name, value in [("i * 2", i * 2), ("i * 0.5", i * 0.5), ("i / 2", i / 2),
                    ("i // 2", i // 2), ("i % 3", i % 3), ("f * i", f * i),
                    ("f * 0.5", f * 0.5), ("f + float64 0-d", f + minitorch.tensor(1.0))]:
    print(f"{name:16} {value}")

# %% [markdown]
# **How it is stored and computed.** The compiled kernels of every backend work on float64
# storages. An operation on other dtypes converts: a result of a float type is computed by the
# float64 kernel and rounded to its type (for `+ - * /` that is exactly torch's float32
# result; for `exp`, `sqrt` and the like the nearest float32, where torch's own functions
# can be one unit off in the last place), an integer or bool result by numpy's integer
# arithmetic, exact over the whole range:

# %%
big = minitorch.tensor([2**62 + 1], dtype=minitorch.int64)
print(big + 2, minitorch.arange(2**53, 2**53 + 3))

# %% [markdown]
# ## Picking elements
#
# A key with one integer per dimension reads the number there (the course's `t[i, j]`); it is
# a Python number that also has torch's methods (`.item()`, `.log()`, `.exp()`), so
# `minitorch.log(P[i, j])` works. Every other key gives a tensor: slices (positive steps),
# `None`, `...`, integer lists and `int64` tensors, and **bool masks** over the leading
# dimensions.

# %%
m = minitorch.arange(12.0).view(3, 4)
print(m[1, 2], m[1, 2].item(), minitorch.log(m[1, 2]))
print(m[m > 8])  # the masked values, flattened
print(m[m[:, 0] > 0])  # the rows whose first entry is positive
print(m[minitorch.tensor([2, 0], dtype=minitorch.long), 1:3])
print(m[:, [3, 0]], m[None, ..., 0].shape)

# %% [markdown]
# Integers, slices, `None` and `...` alone (*basic* indexing) give a **view**: the result
# shares the storage, so writing into `m[0]` writes into `m` (as in torch); masks and index
# tensors give a copy.

# %%
row = m[0]
row[1] = 100.0
print(m[0], m[:, 1])

# %% [markdown]
# A float tensor of whole numbers still indexes by position (as before dtypes), but a bool
# tensor is a mask: `x[x > 0]` keeps the positive entries. Index tensors mixed with integers
# place the picked dimension where torch does: for a 3-d `t`, `t[0, :, [1, 2]]` keeps the
# slice's dimension first.
#
# The gather family picks by index tensors along one dimension: `gather(dim, index)`,
# `index_select(dim, index)`, and the writes `scatter`, `scatter_add`, `index_put` (with
# `accumulate=True` repeated indices add up), `masked_fill`; `nonzero()` and
# `where(condition)` give the positions of the true entries as `int64`.

# %%
index = minitorch.tensor([[0, 3], [1, 1], [2, 0]], dtype=minitorch.long)
print(m.gather(1, index))
print(m.masked_fill(m > 6, -1.0))
print(minitorch.zeros(3, 4).scatter_add(1, index, minitorch.ones(3, 2)))
print((m > 9).nonzero())

# %% [markdown]
# ## Gradients through picks and writes
#
# A pick is a differentiable copy, **Gather**; its derivative is a **Scatter**: the gradient
# of each picked element goes back to the place it came from, and a place picked twice gets
# both. So the gradient of `(x[x > 0] ** 2).sum()` is `2x` where `x > 0` and 0 elsewhere:

# %%
x = minitorch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
(x[x > 0] ** 2).sum().backward()
print(x.grad)
w = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w[minitorch.tensor([0, 0, 2], dtype=minitorch.long)].sum().backward()
print(w.grad)  # the first entry was picked twice

# %% [markdown]
# A write into a tensor of a graph, `h[key] = v`, is the operation **IndexPut**: the old
# values' gradient is zero where they were overwritten, and the written values get the
# gradient of their places (summed when `v` was broadcast). Writing into a leaf that requires
# grad is refused outside `no_grad()` (as in torch); and when a tensor is written after an
# operation used it, `backward()` refuses to send that operation's gradient into the new
# values (it would be wrong): write into `h.clone()` then.

# %%
x = minitorch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
v = minitorch.tensor([10.0], requires_grad=True)
h = x * 2
h[minitorch.tensor([1, 3], dtype=minitorch.long)] = v
(h * minitorch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
print(h, x.grad, v.grad)
