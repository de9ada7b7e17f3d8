"""Hypothesis strategies for tensors: shapes of 1-4 dims (sizes 1-3), permuted layouts,
broadcasting pairs, and the same values as torch tensors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from hypothesis import strategies as st

import minitorch
from minitorch import Tensor

shapes = st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=4).map(tuple)


@dataclass
class Case:
    """A leaf tensor, the (possibly permuted, non-contiguous) view under test, and numpy values."""

    leaf: Tensor
    view: Tensor
    order: tuple[int, ...]

    def torch_pair(self) -> tuple[torch.Tensor, torch.Tensor]:
        leaf = torch.tensor(self.leaf.to_numpy(), dtype=torch.float64, requires_grad=True)
        return leaf, leaf.permute(*self.order)

    def values(self) -> np.ndarray:
        return self.view.to_numpy()

    def on(self, backend: minitorch.TensorBackend) -> Case:
        """The same values and layout on another backend."""
        leaf = minitorch.tensor(self.leaf.to_numpy(), backend=backend, requires_grad=True)
        return Case(leaf, leaf.permute(*self.order), self.order)


@st.composite
def cases(
    draw: st.DrawFn,
    shape: tuple[int, ...] | None = None,
    lo: float = -10,
    hi: float = 10,
    backend: minitorch.TensorBackend = minitorch.SimpleBackend,
) -> Case:
    """A tensor of ``shape`` (drawn if None), laid out permuted about half the time."""
    if shape is None:
        shape = draw(shapes)
    order = tuple(draw(st.permutations(range(len(shape)))))
    inverse = tuple(int(i) for i in np.argsort(order))
    leaf_shape = tuple(shape[i] for i in inverse)
    size = int(np.prod(leaf_shape))
    vals = draw(st.lists(st.floats(lo, hi, allow_nan=False), min_size=size, max_size=size))
    leaf = minitorch.tensor(np.array(vals).reshape(leaf_shape), backend=backend, requires_grad=True)
    view = leaf.permute(*order)
    assert view.shape == tuple(shape)
    return Case(leaf, view, order)


@st.composite
def broadcast_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast: the second drops leading dims and/or sets sizes to 1."""
    a = draw(shapes)
    drop = draw(st.integers(0, len(a) - 1))
    b = list(a[drop:])
    for i in range(len(b)):
        if draw(st.booleans()):
            b[i] = 1
    if draw(st.booleans()):
        return a, tuple(b)
    return tuple(b), a
