r"""Elementwise tensor primitives beyond the course's: subtraction, abs, sqrt, tanh, sin, cos,
rounding, powers, division, maximum, minimum, clamp and where, each with its derivative beside
it.

They follow torch's IEEE answers (``sqrt(-1)`` is NaN, ``1 / 0`` is inf) and torch's
derivatives at the kinks: ``abs`` has derivative 0 at 0, ``maximum`` / ``minimum`` split
the gradient evenly on ties, ``clamp`` passes it where :math:`lo \le x \le hi`.
Every ``backward`` is written with tensor operations, so second derivatives work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional, Union, overload

import numpy as np

from ..autodiff import Context
from ..backends import dtype_kernels
from ..tensor_data import shape_broadcast
from ..tensor_functions import Function, numpy_result, saved_result
from . import dtypes, indexing

if TYPE_CHECKING:
    from ..tensor import Tensor

Number = Union[int, float]


def sign(t: Tensor) -> Tensor:
    r""":math:`\operatorname{sign}(t) \in \{-1, 0, 1\}` (NaN gives 0), a constant."""
    positive, negative = (t > 0.0).to(t.dtype), (t < 0.0).to(t.dtype)
    out: Tensor = positive - negative
    return out


class Sub(Function):
    r""":math:`a - b` (broadcasting); derivatives 1 and -1."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor, t2: Tensor) -> Tensor:
        return t1.f.sub_zip(t1, t2)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor | float]:
        return grad_output, -grad_output if ctx.needs_grad(1) else 0.0


class Abs(Function):
    r""":math:`|a|`; derivative :math:`\operatorname{sign}(a)` (0 at 0, as torch)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        ctx.save_for_backward(a)
        return a.f.abs_map(a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (a,) = ctx.saved_values
        return grad_output * sign(a)


class Sqrt(Function):
    r""":math:`\sqrt a` (NaN below 0); derivative :math:`1 / (2\sqrt a)`, from the output."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        out = a.f.sqrt_map(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output / (saved_result(ctx, Sqrt) * 2.0)


class Tanh(Function):
    r""":math:`\tanh a`; derivative :math:`1 - \tanh^2 a`, from the output."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        out = a.f.tanh_map(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        t = saved_result(ctx, Tanh)
        grad: Tensor = grad_output * (1.0 - t * t)
        return grad


class Sin(Function):
    r""":math:`\sin a`; derivative :math:`\cos a`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        ctx.save_for_backward(a)
        return a.f.sin_map(a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (a,) = ctx.saved_values
        return grad_output * Cos.apply(a)


class Cos(Function):
    r""":math:`\cos a`; derivative :math:`-\sin a`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        ctx.save_for_backward(a)
        return a.f.cos_map(a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (a,) = ctx.saved_values
        return -grad_output * Sin.apply(a)


ROUNDINGS: dict[str, Callable[..., Any]] = {"floor": np.floor, "ceil": np.ceil, "round": np.round}


class Rounded(Function):
    r""":math:`\lfloor a \rfloor`, :math:`\lceil a \rceil` or :math:`a` rounded half to even
    (``how``: ``"floor"``, ``"ceil"``, ``"round"``); step functions, so the derivative is 0."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, how: str) -> Tensor:
        return numpy_result(a, ROUNDINGS[how], a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> float:
        return 0.0


class Pow(Function):
    r""":math:`a^b` for a tensor :math:`a` and a number or tensor :math:`b` (broadcasting);
    derivatives :math:`b\,a^{b-1}` and :math:`a^b \log a` (0 where :math:`a = 0`)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        ctx.save_for_backward(a, b)
        if _is_constant(b, 2.0):  # the most common power: one product instead of pow
            return a.f.mul_zip(a, a)
        if _is_constant(b, 0.5):  # a square root (NaN for -inf too, as torch)
            return a.f.sqrt_map(a)
        return a.f.pow_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor | float]:
        a, b = ctx.saved_values
        da: Tensor | float = 0.0
        db: Tensor | float = 0.0
        if ctx.needs_grad(0):
            two = _is_constant(b, 2.0)
            da = grad_output * a * 2.0 if two else grad_output * b * Pow.apply(a, b - 1.0)
        if ctx.needs_grad(1):
            log_a = where(a == 0.0, 0.0, a.log())  # a^b log a -> 0 as a -> 0 (b > 0)
            db = grad_output * Pow.apply(a, b) * log_a
        return da, db


def _is_constant(b: Tensor, value: float) -> bool:
    """Whether an exponent is the number ``value`` (2: a product; 0.5: a square root)."""
    return b._tensor.size == 1 and b.is_constant() and b.item() == value


class Div(Function):
    r""":math:`a / b` (broadcasting; IEEE at :math:`b = 0`); derivatives :math:`1/b` and
    :math:`-a / b^2`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        ctx.save_for_backward(a, b)
        return a.f.div_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor | float]:
        a, b = ctx.saved_values
        da = grad_output / b if ctx.needs_grad(0) else 0.0
        db = -grad_output * a / (b * b) if ctx.needs_grad(1) else 0.0
        return da, db


def _floor_divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if b.dtype.kind in "biu" and a.dtype.kind in "biu" and not np.all(b):
        raise ZeroDivisionError("integer division or remainder by zero (as torch refuses)")
    with np.errstate(divide="ignore", invalid="ignore"):
        q: np.ndarray = np.floor_divide(a, b)
    return q


class FloorDivide(Function):
    r""":math:`\lfloor a / b \rfloor` (broadcasting); a step function, so its derivatives are 0."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        return numpy_result(a, _floor_divide, a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, float]:
        return 0.0, 0.0


def floor_divide(input: Tensor, other: Union[Tensor, Number]) -> Tensor:
    """``input // other``: the quotient rounded down."""
    return FloorDivide.apply(input, input._ensure_tensor(other))


def remainder(input: Tensor, other: Union[Tensor, Number]) -> Tensor:
    r"""``input % other`` = :math:`a - b \lfloor a / b \rfloor` (the sign of ``other``, as
    Python and torch); derivatives 1 and :math:`-\lfloor a / b \rfloor`."""
    b = input._ensure_tensor(other)
    return input - b * FloorDivide.apply(input, b)


def _to_the_picked(grad: Tensor, a: Tensor, b: Tensor, a_wins: Tensor) -> tuple[Tensor, Tensor]:
    """The gradients of a pick between ``a`` and ``b`` (a maximum or a minimum): all of it to
    the picked input, half to each on ties (as torch)."""
    share: Tensor = a_wins.detach() + (a == b).detach() * 0.5
    return grad * share, grad * (1.0 - share)


class Maximum(Function):
    r""":math:`\max(a, b)` elementwise (NaN if either is); the gradient goes to the larger."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        ctx.save_for_backward(a, b)
        return a.f.maximum_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        a, b = ctx.saved_values
        return _to_the_picked(grad_output, a, b, b < a)


class Minimum(Function):
    r""":math:`\min(a, b)` elementwise (NaN if either is); the gradient goes to the smaller."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        ctx.save_for_backward(a, b)
        return a.f.minimum_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        a, b = ctx.saved_values
        return _to_the_picked(grad_output, a, b, a < b)


class Clamp(Function):
    r""":math:`\min(\max(a, lo), hi)` for numbers ``lo`` / ``hi`` (either may be None);
    derivative 1 where :math:`lo \le a \le hi`, else 0."""

    @staticmethod
    def forward(
        ctx: Context, a: Tensor, low: Optional[float] = None, high: Optional[float] = None
    ) -> Tensor:
        ctx.save_for_backward(a, low, high)
        out = a
        if low is not None:
            out = a.f.maximum_zip(out, a._ensure_tensor(low))
        if high is not None:
            out = a.f.minimum_zip(out, a._ensure_tensor(high))
        return out if out is not a else a.f.id_map(a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a, low, high = ctx.saved_values
        inside = grad_output
        if low is not None:
            inside = inside * (1.0 - (a < low).detach())
        if high is not None:
            inside = inside * (1.0 - (a > high).detach())
        return inside


def _where(cond: np.ndarray, a: np.ndarray, b: np.ndarray, dt: dtypes.dtype) -> np.ndarray:
    return np.where(cond != 0, a, b).astype(dt.storage_type(), copy=False)


class Where(Function):
    r""":math:`\text{cond} \ne 0 \;?\; a : b` elementwise (broadcasting the three); the gradient
    goes to ``a`` where the condition holds and to ``b`` elsewhere (itself a ``where``)."""

    @staticmethod
    def forward(ctx: Context, cond: Tensor, a: Tensor, b: Tensor) -> Tensor:
        ctx.save_for_backward(cond)
        shape_broadcast(shape_broadcast(cond.shape, a.shape), b.shape)  # names the shapes
        return numpy_result(a, _where, cond, a, b, dtype_kernels.operand_dtype(a, b))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, Tensor | float, Tensor | float]:
        (cond,) = ctx.saved_values
        zero = grad_output._ensure_tensor(0.0)
        return (
            0.0,
            Where.apply(cond, grad_output, zero) if ctx.needs_grad(1) else 0.0,
            Where.apply(cond, zero, grad_output) if ctx.needs_grad(2) else 0.0,
        )


def abs(input: Tensor) -> Tensor:
    """:math:`|x|`."""
    return Abs.apply(input)


def sqrt(input: Tensor) -> Tensor:
    r""":math:`\sqrt x` (NaN below 0)."""
    return Sqrt.apply(input)


def tanh(input: Tensor) -> Tensor:
    r""":math:`\tanh x`."""
    return Tanh.apply(input)


def sin(input: Tensor) -> Tensor:
    r""":math:`\sin x`."""
    return Sin.apply(input)


def cos(input: Tensor) -> Tensor:
    r""":math:`\cos x`."""
    return Cos.apply(input)


def floor(input: Tensor) -> Tensor:
    r""":math:`\lfloor x \rfloor`."""
    return Rounded.apply(input, how="floor")


def ceil(input: Tensor) -> Tensor:
    r""":math:`\lceil x \rceil`."""
    return Rounded.apply(input, how="ceil")


def round(input: Tensor) -> Tensor:
    """``x`` rounded to the nearest integer, halves to even (as torch and numpy)."""
    return Rounded.apply(input, how="round")


def maximum(input: Tensor, other: Union[Tensor, Number]) -> Tensor:
    """The elementwise maximum (NaN if either is NaN)."""
    return Maximum.apply(input, input._ensure_tensor(other))


def minimum(input: Tensor, other: Union[Tensor, Number]) -> Tensor:
    """The elementwise minimum (NaN if either is NaN)."""
    return Minimum.apply(input, input._ensure_tensor(other))


Operand = Union["Tensor", Number]


@overload
def where(condition: Tensor) -> tuple[Tensor, ...]: ...
@overload
def where(condition: Tensor, input: Operand, other: Operand) -> Tensor: ...
def where(
    condition: Tensor, input: Union[Tensor, Number, None] = None,
    other: Union[Tensor, Number, None] = None,
) -> Any:
    """``input`` where ``condition`` is true (non-zero), ``other`` elsewhere (torch.where; the
    dtype is the two's promoted one).  ``where(condition)`` alone is
    ``nonzero(condition, as_tuple=True)``."""
    if not hasattr(condition, "_tensor"):
        raise TypeError(f"where: condition must be a Tensor, got {type(condition).__name__}")
    if input is None and other is None:
        return indexing.nonzero(condition, as_tuple=True)
    if input is None or other is None:
        raise TypeError("where(condition, input, other) needs both input and other (or neither)")
    return Where.apply(
        condition.detach(), condition._ensure_tensor(input), condition._ensure_tensor(other)
    )


def clamp(
    input: Tensor, min: Union[Tensor, Number, None] = None, max: Union[Tensor, Number, None] = None
) -> Tensor:
    """Limit values to ``[min, max]`` (torch.clamp); bounds may be numbers or tensors."""
    if min is None and max is None:
        raise ValueError("clamp: give at least one of min and max")
    if hasattr(min, "_tensor") or hasattr(max, "_tensor"):
        out = input
        if min is not None:
            out = Maximum.apply(out, input._ensure_tensor(min))
        if max is not None:
            out = Minimum.apply(out, input._ensure_tensor(max))
        return out
    for bound in (min, max):
        if bound is not None and not isinstance(bound, (int, float, np.number)):
            raise TypeError(f"clamp: bounds must be numbers or tensors, got {bound!r}")
    return Clamp.apply(input, low=min, high=max)  # (numbers keep their kind: int stays int)
