"""Hypothesis strategies for tensors (shapes of 1-4 dims with sizes 1-3, permuted layouts,
broadcasting pairs, matmul pairs, the same values as torch tensors) and the helpers the
tensor tests share (``same``, ``away_from_kinks``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from hypothesis import assume
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


@st.composite
def matmul_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Shapes ``(..., n, m)`` and ``(..., m, p)`` whose batch dimensions broadcast."""
    n, m, p = (draw(st.integers(1, 3)) for _ in range(3))
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    b_batch = tuple(1 if draw(st.booleans()) else s for s in batch)
    if draw(st.booleans()):
        b_batch = b_batch[1:] if b_batch else b_batch
    return batch + (n, m), b_batch + (m, p)


def away_from_kinks(name: str, vals: np.ndarray, other: np.ndarray | None = None) -> None:
    """Keep examples off the kinks, poles and jumps of the catalogue functions."""
    if name == "relu":
        assume(np.all(np.abs(vals + 5.5) > 1e-3))
    if name == "inv":
        assume(np.all(np.abs(vals + 3.5) > 0.5))
    if name == "complex":
        assume(np.all(np.abs(vals * 10 + 7) > 1e-3))
    if other is not None and name == "div2":
        assume(np.all(np.abs(other + 5.5) > 0.5))
