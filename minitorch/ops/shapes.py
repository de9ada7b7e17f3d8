r"""Shape functions with torch's names and rules: ``transpose``, ``flatten``, ``squeeze``,
``unsqueeze``, ``expand`` (the view :class:`BroadcastTo`), ``cat``, ``stack``, ``diag``.

All but ``BroadcastTo`` and ``cat`` are compositions of differentiable views and gathers
(``permute``, ``view``, ``Gather``), so their derivatives come from those.  (The products,
``matmul`` and its family, are in :mod:`~minitorch.ops.linalg`.)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Optional

import numpy as np

from ..autodiff import Context
from ..tensor_data import IndexingError, TensorData, UserShape
from ..tensor_functions import Function, numpy_result
from . import dtypes
from .indexing import Gather

if TYPE_CHECKING:
    from ..tensor import Tensor


class BroadcastTo(Function):
    r"""``a`` seen with a larger ``shape`` (numpy broadcasting) without a copy: the
    broadcast dimensions get stride 0.  Derivative: the gradient summed back to ``a``'s
    shape (which ``Tensor.chain_rule`` does for every input)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, shape: UserShape) -> Tensor:
        td = a._tensor
        pad = len(shape) - td.dims
        strides = [0] * pad + [
            0 if size == 1 and target != 1 else stride
            for size, stride, target in zip(td.shape, td.strides, tuple(shape)[pad:])
        ]
        return a._new(td.view_as(tuple(shape), tuple(strides)))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``input`` with dimensions ``dim0`` and ``dim1`` swapped (a view)."""
    order = list(range(input.dims))
    a, b = input._dim(dim0), input._dim(dim1)
    order[a], order[b] = order[b], order[a]
    return input.permute(*order)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dimensions ``start_dim .. end_dim`` merged into one (a 0-d tensor becomes 1-d)."""
    if input.dims == 0:
        return input.reshape(1)
    start, end = input._dim(start_dim), input._dim(end_dim)
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    shape = input.shape
    merged = int(np.prod(shape[start : end + 1]))
    return input.reshape(*shape[:start], merged, *shape[end + 1 :])


def squeeze(input: Tensor, dim: Optional[int] = None) -> Tensor:
    """``input`` without its size-1 dimensions (or only ``dim``, if its size is 1)."""
    if dim is None:
        return input.reshape(*(s for s in input.shape if s != 1))
    d = input._dim(dim) if input.dims else 0
    if input.dims == 0 or input.shape[d] != 1:
        return input.reshape(*input.shape)
    return input.reshape(*(s for i, s in enumerate(input.shape) if i != d))


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """``input`` with a new size-1 dimension at ``dim`` (``-1``: at the end)."""
    n = input.dims + 1
    if not -n <= dim < n:
        raise IndexingError(f"unsqueeze: dim {dim} is out of range for {n} dimensions")
    d = dim % n
    return input.reshape(*input.shape[:d], 1, *input.shape[d:])


def expand(input: Tensor, *sizes: int) -> Tensor:
    """``input`` seen with a larger shape (numpy broadcasting, ``-1`` keeps a size): a view."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    pad = len(sizes) - input.dims
    if pad < 0:
        raise IndexingError(f"expand: {sizes} has fewer dimensions than shape {input.shape}")
    shape = tuple(
        input.shape[i - pad] if s == -1 and i >= pad else int(s) for i, s in enumerate(sizes)
    )
    for i, size in enumerate(input.shape):
        if size != 1 and size != shape[i + pad]:
            raise IndexingError(f"expand: cannot expand shape {input.shape} to {shape}")
    return BroadcastTo.apply(input, shape=shape)


def _concatenate(dim: int, *arrays: np.ndarray) -> np.ndarray:
    return np.concatenate(arrays, axis=dim)


class Cat(Function):
    r"""Tensors joined along ``dim``; the gradient of each is its slice of the output's."""

    @staticmethod
    def forward(ctx: Context, *tensors: Tensor, dim: int) -> Tensor:
        ctx.save_for_backward(dim, [t.shape[dim] for t in tensors])
        return numpy_result(tensors[0], _concatenate, dim, *tensors)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, ...]:
        dim, sizes = ctx.saved_values
        grads = []
        start = 0
        for size in sizes:
            key = (slice(None),) * dim + (slice(start, start + size),)
            grads.append(Gather.apply(grad_output, key=key))
            start += size
        return tuple(grads)


def _tensor_list(items: Sequence[Tensor], where: str) -> list[Tensor]:
    """``items`` as a list, after checking it is a non-empty list of tensors."""
    tensors = list(items)
    if not tensors:
        raise ValueError(f"{where}: expected a non-empty list of tensors")
    for i, t in enumerate(tensors):
        if not hasattr(t, "_tensor"):
            raise TypeError(f"{where}: item {i} is {type(t).__name__} {t!r:.40}, not a tensor")
    return tensors


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of the same shape (but in ``dim``) along ``dim``."""
    tensors = _tensor_list(tensors, "cat")
    common = functools.reduce(dtypes.promote, (t._tensor.dtype for t in tensors))
    tensors = [t if t._tensor.dtype is common else t.to(common) for t in tensors]
    first = tensors[0]
    d = first._dim(dim)
    for i, t in enumerate(tensors):
        if t.dims != first.dims or any(
            a != b for k, (a, b) in enumerate(zip(t.shape, first.shape)) if k != d
        ):
            raise IndexingError(
                f"cat: tensor {i} has shape {t.shape}, which does not fit tensor 0's "
                f"{first.shape} outside dimension {d}"
            )
    return Cat.apply(*tensors, dim=d)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension ``dim``."""
    tensors = _tensor_list(tensors, "stack")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise IndexingError(
                f"stack: tensor {i} has shape {t.shape}, tensor 0 has {tensors[0].shape}"
            )
    return cat([unsqueeze(t, dim) for t in tensors], dim)


def check_dims(name: str, expected: int, *tensors: Tensor) -> None:
    for t in tensors:
        if t.dims != expected:
            raise IndexingError(
                f"{name}: expected {expected}-d tensors, got shapes {[x.shape for x in tensors]}"
            )


def diag(input: Tensor) -> Tensor:
    """A vector as a diagonal matrix, or the diagonal of a matrix as a vector."""
    if input.dims == 1:
        n = input.shape[0]
        eye = input._new(TensorData.from_array(np.eye(n)))
        return input.reshape(n, 1) * eye
    check_dims("diag", 2, input)
    k = np.arange(min(input.shape))
    return Gather.apply(input, key=(k, k))
