r"""Indexing: ``t[key]`` and ``t[key] = value``, with their derivatives.

A key with one integer per dimension reads the float there (the course's API); any other key
numpy accepts (slices, ``None``, ``...``, integer lists / arrays / tensors) is parsed by
:func:`index_key` and read with :class:`Gather` (a differentiable copy) or written in place
(:func:`setitem`).  The derivative of a gather is a :class:`Scatter` of the gradient back to
the picked positions (repeated indices add up), and the other way round.

A new kind of index (a bool mask, say) is parsed in :func:`index_key`; a new index op
(``index_select``, ``take_along_dim``) is a Function here with its adjoint beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from ..autodiff import Context
from ..tensor_data import IndexingError, UserShape
from ..tensor_functions import Function, numpy_result

if TYPE_CHECKING:
    from ..tensor import Tensor


def element_index(t: Tensor, key: Any) -> Optional[tuple[int, ...]]:
    """The index of one element of ``t`` when ``key`` is one integer per dimension (negative
    ones count from the end; a 0-d tensor takes ``t[0]``), else None."""
    parts = key if isinstance(key, tuple) else (key,)
    if not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in parts):
        return None
    if t.dims == 0 and parts == (0,):
        return ()
    if len(parts) != t.dims:
        return None
    index = []
    for d, (k, size) in enumerate(zip(parts, t.shape)):
        if k < -size:
            raise IndexingError(
                f"index {tuple(parts)} is out of range for shape {t.shape} "
                f"(dimension {d} has size {size})"
            )
        index.append(int(k) + size if k < 0 else int(k))
    return tuple(index)


def getitem(t: Tensor, key: Any) -> Any:
    """``t[i, j]`` with one integer per dimension is the float there (course API; negative
    integers count from the end, and a 0-d tensor takes ``t[0]``).

    Any other key numpy accepts (``t[2:5]``, ``t[idx]`` with a list / array / integer
    tensor of indices, ``t[:, 0]``) gives a new tensor: a differentiable gather (a copy,
    not a view).
    """
    index = element_index(t, key)
    if index is not None:
        return t._tensor.get(index)
    return Gather.apply(t, key=index_key(key))


def setitem(t: Tensor, key: Any, val: Any) -> None:
    """Write into the storage (not recorded by autodiff): ``t[i, j] = 1.0``,
    ``t[0:2] = 0.0``, ``t[mask_indices] = other_tensor``."""
    index = element_index(t, key)
    if index is not None:
        t._tensor.set(index, float(val))
        return
    values = val.to_numpy() if hasattr(val, "to_numpy") else val
    t._tensor.write(index_key(key), values)


Key = tuple[Any, ...]
"""A numpy indexing key: a tuple of ints, slices and integer arrays (see ``index_key``)."""


def index_key(key: Any) -> Key:
    """Turn a user's key (ints, slices, lists, numpy arrays, integer-valued tensors) into a
    numpy key, or raise ``IndexError`` naming the bad part."""
    parts = key if isinstance(key, tuple) else (key,)
    out: list[Any] = []
    for part in parts:
        if hasattr(part, "to_numpy"):  # a tensor of indices
            part = part.to_numpy()
        if isinstance(part, (list, np.ndarray)):
            arr = np.asarray(part)
            if arr.dtype != bool:
                if arr.size and not np.all(np.mod(arr, 1) == 0):
                    raise IndexError(f"indices must be integers, got {arr.ravel()[:5]}...")
                arr = arr.astype(np.int64)
            part = arr
        elif not (isinstance(part, (int, np.integer, slice)) or part is None or part is ...):
            raise IndexError(
                f"a tensor cannot be indexed by {type(part).__name__}: use integers, slices, "
                "or lists / arrays / tensors of integer indices"
            )
        out.append(part)
    return tuple(out)


class Gather(Function):
    r""":math:`out = a[\text{key}]` (numpy indexing: slices, integers, integer arrays);
    derivative: the gradient is added back at the picked positions (:class:`Scatter`)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, key: Key) -> Tensor:
        ctx.save_for_backward(a.shape, key)
        return numpy_result(a, _gather, a, key)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        shape, key = ctx.saved_values
        return Scatter.apply(grad_output, shape=shape, key=key)


class Scatter(Function):
    r""":math:`out = 0_{\text{shape}}` with ``out[key] += g`` (repeated indices add up): the
    adjoint of :class:`Gather`, whose derivative is that gather again."""

    @staticmethod
    def forward(ctx: Context, g: Tensor, shape: UserShape, key: Key) -> Tensor:
        ctx.save_for_backward(key)
        return numpy_result(g, _scatter, g, tuple(shape), key)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (key,) = ctx.saved_values
        return Gather.apply(grad_output, key=key)


def _gather(values: np.ndarray, key: Key) -> np.ndarray:
    try:
        return np.array(values[key])  # a copy, never a view
    except IndexError as e:
        raise IndexError(f"index out of range for a tensor of shape {values.shape}: {e}") from None


def _scatter(g: np.ndarray, shape: tuple[int, ...], key: Key) -> np.ndarray:
    out = np.zeros(shape)
    np.add.at(out, key, g)
    return out
