r"""A tensor's dtype at the Tensor level: conversions (``.to(dtype)``, ``.float()``,
``.long()``...), numbers beside typed tensors, and gradients of the inputs' dtypes.

A conversion between float types is differentiable: its derivative is 1, and the gradient
is converted back to the input's dtype.  A conversion to an integer or bool dtype is a
constant (torch's result does not require grad either).  A gradient always has the dtype
of the tensor it belongs to (torch's rule: a float32 leaf used in a float64 computation
gets a float32 gradient); a bool or integer tensor inside a graph (the result of a
comparison, which the course differentiates with derivative 0) has float64 gradients.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..autodiff import Context
from ..backends import dtype_kernels
from ..tensor_data import IndexingError, TensorData, shape_broadcast
from ..tensor_functions import Function
from . import dtypes, shapes

if TYPE_CHECKING:
    from ..tensor import Tensor


class Cast(Function):
    r"""The values of ``a`` as another float dtype; derivative 1 (the gradient converted back
    to ``a``'s dtype)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, dtype: dtypes.dtype) -> Tensor:
        ctx.save_for_backward(a._tensor.dtype)
        return dtype_kernels.converted(a, dtype)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (original,) = ctx.saved_values
        return gradient_as(grad_output, original)


def gradient_as(grad: Tensor, dt: dtypes.dtype) -> Tensor:
    """``grad`` with the dtype of a tensor of dtype ``dt`` (unchanged for a bool or integer
    tensor, whose gradients stay float64)."""
    if grad._tensor.dtype is dt or not dt.is_floating_point:
        return grad
    return Cast.apply(grad, dtype=dt)


def converted(self: Tensor, dt: Any) -> Tensor:
    """``self.to(dt)``: the values as dtype ``dt`` holds them (integer dtypes truncate
    towards zero, ``bool`` is ``!= 0``; NaN or values out of an integer type's range raise).
    ``self`` itself when it already has that dtype."""
    dt = dtypes.resolve(dt)
    if self._tensor.dtype is dt:
        return self
    if dt.is_floating_point and self._tensor.dtype.is_floating_point:
        return Cast.apply(self, dtype=dt)
    return dtype_kernels.converted(self.detach(), dt)


def to_float(self: Tensor) -> Tensor:
    """torch's ``float()``: float32."""
    return converted(self, dtypes.float32)


def to_double(self: Tensor) -> Tensor:
    """torch's ``double()``: float64 (minitorch's default float type)."""
    return converted(self, dtypes.float64)


def to_half(self: Tensor) -> Tensor:
    """torch's ``half()``: float16."""
    return converted(self, dtypes.float16)


def to_long(self: Tensor) -> Tensor:
    """torch's ``long()``: int64, truncated towards zero."""
    return converted(self, dtypes.int64)


def to_int(self: Tensor) -> Tensor:
    """torch's ``int()``: int32, truncated towards zero."""
    return converted(self, dtypes.int32)


def to_bool(self: Tensor) -> Tensor:
    """torch's ``bool()``: True where non-zero."""
    return converted(self, dtypes.bool_)


def floating_only(self: Tensor, what: str) -> None:
    """Refuse ``what`` (a mean, a variance) of a tensor that is not of a float type, as torch
    does (naming the dtype and what to do)."""
    if not self._tensor.dtype.is_floating_point:
        raise RuntimeError(
            f"{what}(): the input must have a floating point dtype, got {self._tensor.dtype!r}; "
            "convert it first (x.double() or x.float())"
        )


def type_as(self: Tensor, other: Tensor) -> Tensor:
    """``self`` converted to ``other``'s dtype."""
    return converted(self, other._tensor.dtype)


def number_like(self: Tensor, value: Any) -> Tensor:
    """A Python number beside ``self`` as a 0-d tensor of torch's dtype for it
    (:func:`~minitorch.ops.dtypes.number_dtype`: ``int_tensor + 2`` stays integer)."""
    dt = dtypes.number_dtype(value, self._tensor.dtype)
    try:
        array = np.array([value], dtype=dt.storage_type())
    except OverflowError:
        raise OverflowError(f"{value!r} does not fit in a {dt!r} tensor's values") from None
    return self._new(TensorData(array, ()))


def dtype_suffix(self: Tensor) -> str:
    """What ``repr`` adds for a dtype that is not the default of its kind (as torch)."""
    dt = self._tensor.dtype
    if dt in (dtypes.float64, dtypes.int64, dtypes.bool_):
        return ""
    return f", dtype={dt!r}"


def is_floating_point(self: Tensor) -> bool:
    """Whether the dtype is a float type."""
    return self._tensor.dtype.is_floating_point


def element_size(self: Tensor) -> int:
    """Bytes per element."""
    return self._tensor.dtype.itemsize


def gradient_for(self: Tensor, d: Any, output: Tensor) -> Tensor:
    """The derivative ``d`` that ``output`` sends to its input ``self``, as a tensor of
    ``self``'s dtype and shape, summing over the dimensions it was broadcast along (the
    course's ``self.expand(d)``).

    An input made after its output can only be a tensor written in place (``t[...] = v``:
    see ``ops.indexing.assign``) since the operation used it: the gradient would go into
    the history of the new values, so that is refused (unless it is zero)."""
    if self.unique_id > output.unique_id and not (isinstance(d, float) and d == 0.0):
        fn = output.history.last_fn if output.history is not None else None
        raise RuntimeError(
            f"backward: a tensor of shape {self.shape} was written in place (t[...] = ...) "
            f"after {getattr(fn, '__name__', 'an operation')} used it, so its gradient would "
            "be wrong; write into a copy (t = t.clone()) before using it, or use minitorch.where"
        )
    grad = output._ensure_tensor(d)
    if grad._tensor.dtype is not self._tensor.dtype:
        grad = gradient_as(grad, self._tensor.dtype)
    if self.shape == grad.shape:
        return grad
    true_shape = shape_broadcast(self.shape, grad.shape)
    if true_shape != grad.shape:
        grad = shapes.BroadcastTo.apply(grad, shape=true_shape)
    padded = (1,) * (grad.dims - self.dims) + self.shape
    for dim, (mine, theirs) in enumerate(zip(padded, grad.shape)):
        if mine == 1 and theirs != 1:
            grad = grad.sum(dim)
    if grad._tensor.size != self._tensor.size:
        raise IndexingError(f"cannot reduce a gradient of shape {grad.shape} to {self.shape}")
    reduced: Tensor = grad if grad.shape == self.shape else grad.reshape(*self.shape)
    return reduced
