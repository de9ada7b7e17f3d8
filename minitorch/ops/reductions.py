r"""Reductions with torch's signatures: ``sum``, ``mean``, ``prod``, ``max`` / ``min`` (values and
indices), ``amax`` / ``amin``, ``argmax`` / ``argmin``, ``var``, ``std``, ``all``, ``any``.

``dim`` is an int, a tuple of ints, or None for every dimension; the reduced dimensions are
dropped unless ``keepdim=True``, as in torch.  (The course's methods ``Tensor.sum(dim)`` and
``Tensor.mean(dim)`` keep them; these functions are what ``minitorch.sum`` ... are.)
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Optional, Union

import numpy as np

from ..autodiff import Context
from ..engine.grad_mode import is_grad_enabled
from ..tensor_data import TensorData
from ..tensor_functions import Function
from . import casts
from .elementwise import Maximum, Minimum
from .indexing import Gather

if TYPE_CHECKING:
    from ..tensor import Tensor

Dims = Union[int, Sequence[int], None]


def dims_of(t: Tensor, dim: Dims) -> tuple[int, ...]:
    """The dimensions ``dim`` names, as sorted non-negative ints (all of them for None)."""
    if dim is None:
        return tuple(range(t.dims))
    given = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    dims = sorted(t._dim(int(d)) for d in given)
    if len(set(dims)) != len(dims):
        raise ValueError(f"dimension repeated in dim={dim!r} for shape {t.shape}")
    return tuple(dims)


def _drop_dims(kept: Tensor, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """``kept`` (reduced dimensions of size 1) without those dimensions unless ``keepdim``."""
    if keepdim:
        return kept
    return kept.reshape(*(s for i, s in enumerate(kept.shape) if i not in dims))


def merge_dims(t: Tensor, dims: tuple[int, ...]) -> Tensor:
    """``t`` with the ``dims`` moved to the end and merged into one (kept ones in place,
    as size-1 dimensions): a reduction over the last dimension then covers all of them."""
    rest = [d for d in range(t.dims) if d not in dims]
    moved = t.permute(*rest, *dims)
    merged = moved.reshape(*(t.shape[d] for d in rest), math.prod(t.shape[d] for d in dims))
    return merged


def with_kept_dims(out: Tensor, t: Tensor, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """The result of a reduction over ``merge_dims(t, dims)``'s last dimension, shaped as
    torch's with or without ``keepdim``."""
    shape = tuple(1 if d in dims else s for d, s in enumerate(t.shape))
    return out.reshape(*shape) if keepdim else out.reshape(*(s for s in out.shape[:-1]))


def sum(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    r""":math:`\sum` over ``dim`` (every element for None: a 0-d tensor)."""
    dims = dims_of(input, dim)
    if dim is None:
        total = input.sum()  # the course's shape-(1,) sum of everything
        return total.reshape(*(1,) * input.dims) if keepdim else total.reshape()
    out = input
    for d in dims:
        out = out.sum(d)
    return _drop_dims(out, dims, keepdim)


def mean(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    r"""The mean over ``dim``: the sum divided by the number of terms (NaN when there are none).
    Only of float tensors (torch's rule: convert integers with ``.double()`` first)."""
    casts.floating_only(input, "mean")
    dims = dims_of(input, dim)
    count = math.prod(input.shape[d] for d in dims)
    return sum(input, dim, keepdim) / float(count)


class Prod(Function):
    r""":math:`\prod` over ``dim`` (kept with size 1); derivative: the product of the others,
    :math:`\prod / a_i` when no factor is 0."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, dim: int) -> Tensor:
        out = a.f.mul_reduce(a, dim)
        ctx.save_for_backward(a, dim, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a: Tensor
        a, dim, out = ctx.saved_values
        values = a._tensor.numpy_view()
        if np.all(values != 0.0):
            total = Prod.apply(a, dim=dim) if is_grad_enabled() else out
            return grad_output * total / a
        if is_grad_enabled():
            raise NotImplementedError(
                "prod: second derivatives through a factor equal to 0 are not supported"
            )
        return grad_output * a._new(_products_of_others(values, dim))


def _products_of_others(values: np.ndarray, dim: int) -> TensorData:
    """For each entry, the product of the other entries along ``dim`` (exclusive products from
    both sides, so zeros are handled exactly)."""
    ones = np.ones_like(np.take(values, [0], axis=dim))
    left = np.cumprod(np.concatenate([ones, values], axis=dim), axis=dim)
    right = np.flip(np.cumprod(np.flip(np.concatenate([values, ones], axis=dim), dim), dim), dim)
    n = values.shape[dim]
    others = np.take(left, range(n), axis=dim) * np.take(right, range(1, n + 1), axis=dim)
    return TensorData.from_array(others)


def over_dims(reduction: type[Function], input: Tensor, dim: Dims, keepdim: bool) -> Tensor:
    """Apply a reduction Function over the dimensions ``dim`` at once (merged into one), with
    torch's shape rules."""
    dims = dims_of(input, dim)
    merged = merge_dims(input, dims)
    return with_kept_dims(reduction.apply(merged, dim=merged.dims - 1), input, dims, keepdim)


def prod(input: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Tensor:
    r""":math:`\prod` over ``dim`` (every element for None)."""
    return over_dims(Prod, input, dim, keepdim)


class AMax(Function):
    r""":math:`\max` over ``dim`` (kept with size 1, NaN if any entry is); the gradient is
    shared evenly by the entries equal to the maximum (torch's ``amax``)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, dim: int) -> Tensor:
        if a.shape[dim] == 0:
            raise IndexError(
                f"the maximum of an empty dimension (dimension {dim} of shape {a.shape}) is "
                "undefined"
            )
        out = a.f.max_reduce(a, dim)
        ctx.save_for_backward(a, dim, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a, dim, out = ctx.saved_values
        if is_grad_enabled():
            out = AMax.apply(a, dim=dim)
        mask = (a == out).detach()
        share: Tensor = mask / mask.sum(dim)
        return grad_output * share


def amax(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """The maximum over ``dim`` (every element for None)."""
    return over_dims(AMax, input, dim, keepdim)


def amin(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """The minimum over ``dim`` (every element for None)."""
    return -amax(-input, dim, keepdim)


class MaxResult(NamedTuple):
    """``values`` and ``indices`` of a maximum or minimum along a dimension (as torch's)."""

    values: Tensor
    indices: Tensor


def _arg_extreme(input: Tensor, dim: Optional[int], keepdim: bool, largest: bool) -> Tensor:
    """Indices (int64) of the first maximum / minimum along ``dim`` (NaN wins)."""
    values = input._tensor.numpy_view()
    if dim is None:
        values = values.reshape(-1)
    axis = 0 if dim is None else input._dim(dim)
    if values.shape[axis] == 0:
        raise IndexError(f"argmax/argmin of an empty dimension (shape {input.shape})")
    picked = np.argmax(values, axis=axis) if largest else np.argmin(values, axis=axis)
    has_nan = np.isnan(values).any(axis=axis)
    if np.any(has_nan):  # torch returns the position of a NaN
        picked = np.where(has_nan, np.argmax(np.isnan(values), axis=axis), picked)
    picked = np.asarray(picked, dtype=np.int64)
    if keepdim:
        picked = np.expand_dims(picked, axis) if dim is not None else picked.reshape(
            (1,) * input.dims
        )
    return input._new(TensorData.from_array(picked))


def argmax(input: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Tensor:
    """Index of the (first) maximum along ``dim``, or in the flattened tensor for None."""
    return _arg_extreme(input, dim, keepdim, True)


def argmin(input: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Tensor:
    """Index of the (first) minimum along ``dim``, or in the flattened tensor for None."""
    return _arg_extreme(input, dim, keepdim, False)


def _extreme(input: Tensor, dim: int, keepdim: bool, largest: bool) -> MaxResult:
    """``(values, indices)`` along ``dim``; the gradient reaches the entry at the index."""
    d = input._dim(dim)
    indices = _arg_extreme(input, d, False, largest)
    key = list(np.indices(indices.shape, sparse=True))
    key.insert(d, indices._tensor.numpy_view().astype(np.int64))
    values = Gather.apply(input, key=tuple(key))
    if keepdim:
        values, indices = values.unsqueeze(d), indices.unsqueeze(d)
    return MaxResult(values, indices)


def max(input: Tensor, dim: Union[int, Tensor, None] = None, keepdim: bool = False) -> object:
    """``max(x)``: the largest value (0-d); ``max(x, dim)``: ``(values, indices)``;
    ``max(x, y)`` with a tensor ``y``: the elementwise maximum."""
    if dim is None:
        return amax(input)
    if isinstance(dim, (int, np.integer)):
        return _extreme(input, int(dim), keepdim, True)
    return Maximum.apply(input, input._ensure_tensor(dim))


def min(input: Tensor, dim: Union[int, Tensor, None] = None, keepdim: bool = False) -> object:
    """``min(x)``: the smallest value (0-d); ``min(x, dim)``: ``(values, indices)``;
    ``min(x, y)`` with a tensor ``y``: the elementwise minimum."""
    if dim is None:
        return amin(input)
    if isinstance(dim, (int, np.integer)):
        return _extreme(input, int(dim), keepdim, False)
    return Minimum.apply(input, input._ensure_tensor(dim))


def var(
    input: Tensor, dim: Dims = None, unbiased: Optional[bool] = None, keepdim: bool = False,
    *, correction: Optional[float] = None,
) -> Tensor:
    r"""Variance :math:`\sum (x - \bar x)^2 / (N - c)` with ``correction`` :math:`c` (1 by
    default, Bessel's; ``unbiased=False`` means 0)."""
    if correction is None:
        correction = 0.0 if unbiased is False else 1.0
    dims = dims_of(input, dim)
    count = math.prod(input.shape[d] for d in dims)
    centred = input - mean(input, dims, keepdim=True)
    return sum(centred * centred, dims, keepdim) / builtins.max(count - correction, 0.0)


def std(
    input: Tensor, dim: Dims = None, unbiased: Optional[bool] = None, keepdim: bool = False,
    *, correction: Optional[float] = None,
) -> Tensor:
    r"""Standard deviation: :math:`\sqrt{\operatorname{var}}` (same arguments as :func:`var`)."""
    return var(input, dim, unbiased, keepdim, correction=correction).sqrt()


def all(input: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Tensor:
    """1.0 where every entry along ``dim`` (or of the tensor) is non-zero, else 0.0 (torch's
    logical ``all``; the course's ``Tensor.all()`` is a product, equal on 0/1 tensors)."""
    return amin(input.ne(0.0).detach(), dim, keepdim) if input.size else input._ensure_tensor(1.0)


def any(input: Tensor, dim: Optional[int] = None, keepdim: bool = False) -> Tensor:
    """1.0 where some entry along ``dim`` (or of the tensor) is non-zero, else 0.0."""
    return amax(input.ne(0.0).detach(), dim, keepdim) if input.size else input._ensure_tensor(0.0)


