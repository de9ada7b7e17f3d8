"""torch's ``Tensor`` methods that are not functions elsewhere, written as functions of a
tensor ``self`` and assigned in :class:`minitorch.Tensor`'s class body (``add_ =
tensor_methods.add_``), as torch does.  The other torch methods are the functions of
:mod:`~minitorch.ops.elementwise`, :mod:`~minitorch.ops.reductions`,
:mod:`~minitorch.ops.shapes` and :mod:`~minitorch.ops.linalg`, assigned the same way
(``x.abs()`` is ``minitorch.abs(x)``).

Here: arithmetic and comparisons under torch's method names, conversions (``float()``,
``tolist()``, ``to(backend)``), and the in-place updates torch code uses (``zero_()``,
``add_()``, ``x -= lr * x.grad`` under ``no_grad``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np

from ..autodiff import Context
from ..backends.default import same_backend
from ..engine.grad_mode import is_grad_enabled
from ..tensor_data import TensorData
from ..tensor_functions import EQ, LT, Function, numpy_result
from ..tensor_ops import TensorBackend
from . import casts, dtypes, elementwise, linalg
from .indexing import Gather

if TYPE_CHECKING:
    from ..tensor import Tensor

Number = Union[int, float]
Operand = Union["Tensor", int, float]


class Flag(int):
    """A yes/no that is also callable: ``x.requires_grad`` (torch's flag) and
    ``x.requires_grad()`` (the course's method) both work."""

    def __call__(self) -> bool:
        return bool(self)

    def __repr__(self) -> str:
        return repr(bool(self))

    __str__ = __repr__


class Count(int):
    """The number of elements (the course's ``t.size``), also callable as torch's
    ``t.size()`` (the shape) and ``t.size(dim)`` (one dimension's size)."""

    shape: tuple[int, ...]

    def __new__(cls, shape: tuple[int, ...], count: int) -> Count:
        obj = super().__new__(cls, count)
        obj.shape = shape
        return obj

    def __call__(self, dim: Optional[int] = None) -> Any:
        return self.shape if dim is None else self.shape[dim]


# -- arithmetic and comparisons under torch's method names ------------------------------------


def add(self: Tensor, other: Operand, alpha: Number = 1) -> Tensor:
    """``self + alpha * other``."""
    return self + (other if alpha == 1 else self._ensure_tensor(other) * alpha)


def sub(self: Tensor, other: Operand, alpha: Number = 1) -> Tensor:
    """``self - alpha * other``."""
    return self - (other if alpha == 1 else self._ensure_tensor(other) * alpha)


def mul(self: Tensor, other: Operand) -> Tensor:
    """``self * other``."""
    return self * other


def div(self: Tensor, other: Operand) -> Tensor:
    """``self / other``."""
    return self / other


def neg(self: Tensor) -> Tensor:
    """``-self``."""
    return -self


def clone(self: Tensor) -> Tensor:
    """A copy with its own storage; gradients flow back through it."""
    return self.contiguous()


def square(self: Tensor) -> Tensor:
    """``self * self``."""
    return self * self


def where(self: Tensor, condition: Tensor, other: Operand) -> Tensor:
    """``self`` where ``condition`` holds, ``other`` elsewhere (``x.where(cond, y)``)."""
    return elementwise.where(condition, self, other)


def eq(self: Tensor, other: Operand) -> Tensor:
    """``self == other`` (1.0 / 0.0)."""
    return self == other


def ne(self: Tensor, other: Operand) -> Tensor:
    """``self != other`` (bool)."""
    return Not.apply(EQ.apply(self, self._ensure_tensor(other)))


def lt(self: Tensor, other: Operand) -> Tensor:
    """``self < other`` (1.0 / 0.0)."""
    return self < other


def gt(self: Tensor, other: Operand) -> Tensor:
    """``self > other`` (1.0 / 0.0)."""
    return self > other


def norm(
    self: Tensor, p: Union[float, str] = "fro", dim: Union[int, tuple[int, ...], None] = None,
    keepdim: bool = False,
) -> Tensor:
    """``torch.norm``: the 2-norm of everything (Frobenius) by default, the nuclear norm of
    a matrix for ``'nuc'``, else the vector ``p``-norm over ``dim``."""
    if p == "nuc":
        rows, cols = (-2, -1) if dim is None or isinstance(dim, int) else dim
        return linalg.matrix_norm(self, "nuc", (rows, cols), keepdim)
    return linalg.vector_norm(self, 2.0 if p == "fro" else float(p), dim, keepdim)


def t(self: Tensor) -> Tensor:
    """The transpose of a matrix (a vector or a number is returned as it is)."""
    return self if self.dims < 2 else self.transpose(0, 1)


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    """This tensor broadcast to ``other``'s shape (a view)."""
    return self.expand(*other.shape)


# -- Python and numpy protocols -------------------------------------------------------------------


def format_(self: Tensor, spec: str) -> str:
    """``f"{t:.3f}"`` formats a one-element tensor's value; ``f"{t}"`` is ``str(t)``."""
    if not spec:
        return str(self)
    if self._tensor.size != 1:
        raise TypeError(f"format spec {spec!r} needs a one-element tensor, got {self.shape}")
    return format(self.item(), spec)


def to_array(self: Tensor, dtype: Any = None, copy: Optional[bool] = None) -> np.ndarray:
    """The values as a numpy array (numpy, matplotlib, scikit-learn take tensors)."""
    values = self.to_numpy()
    return values if dtype is None else values.astype(dtype)


def iterate(self: Tensor) -> Iterator[Tensor]:
    """The sub-tensors along the first dimension (0-d tensors for a vector)."""
    if self.dims == 0:
        raise TypeError("iteration over a 0-d tensor")
    return (Gather.apply(self, key=(i,)) for i in range(self.shape[0]))


def one_value(self: Tensor, what: str) -> float:
    """The value of a one-element tensor, or ``TypeError`` naming the conversion."""
    if self._tensor.size != 1:
        raise TypeError(
            f"{what}(): only one-element tensors convert to Python numbers, got shape "
            f"{self.shape}"
        )
    return self.item()


def to_float(self: Tensor) -> float:
    """``float(t)`` of a one-element tensor."""
    return one_value(self, "float")


def to_int(self: Tensor) -> int:
    """``int(t)`` of a one-element tensor (truncated)."""
    return int(one_value(self, "int"))


def truth(self: Tensor) -> bool:
    """A one-element tensor is true when non-zero; for others the truth is ambiguous."""
    if self._tensor.size != 1:
        raise RuntimeError(
            f"the truth value of a tensor of shape {self.shape} is ambiguous; use "
            "(t != 0).all() or .any(), or compare .item() for one element"
        )
    return self.item() != 0.0


# -- the rest of Python's operators -----------------------------------------------------------


def rmatmul(self: Tensor, other: Any) -> Tensor:
    """``other @ self``."""
    return linalg.matmul(self._ensure_tensor(other), self)


def rpow(self: Tensor, base: Operand) -> Tensor:
    """``base ** self``."""
    return elementwise.Pow.apply(self._ensure_tensor(base), self)


def floordiv(self: Tensor, other: Operand) -> Tensor:
    """``self // other``."""
    return elementwise.floor_divide(self, other)


def rfloordiv(self: Tensor, other: Operand) -> Tensor:
    """``other // self``."""
    return elementwise.floor_divide(self._ensure_tensor(other), self)


def mod(self: Tensor, other: Operand) -> Tensor:
    """``self % other``."""
    return elementwise.remainder(self, other)


def rmod(self: Tensor, other: Operand) -> Tensor:
    """``other % self``."""
    return elementwise.remainder(self._ensure_tensor(other), self)


def less_equal(self: Tensor, other: Operand) -> Tensor:
    """``self <= other`` (1.0 / 0.0; NaN compares false)."""
    b = self._ensure_tensor(other)
    return LT.apply(self, b) + EQ.apply(self, b)  # never both


def greater_equal(self: Tensor, other: Operand) -> Tensor:
    """``self >= other`` (1.0 / 0.0; NaN compares false)."""
    b = self._ensure_tensor(other)
    return LT.apply(b, self) + EQ.apply(self, b)


class Not(Function):
    """``True`` where ``a`` is zero (or False); with ``bitwise``, the bits of an integer
    tensor inverted (torch's ``~``).  A constant for autodiff (derivative 0)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, bitwise: bool = False) -> Tensor:
        return numpy_result(a, np.invert if bitwise else np.logical_not, a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> float:
        return 0.0


def truth_values(t: Tensor) -> Tensor:
    """``t`` as a bool mask: itself when bool, else ``t != 0``."""
    return t if t._tensor.dtype is dtypes.bool_ else Not.apply(Not.apply(t))


def logical_and(self: Tensor, other: Operand) -> Tensor:
    """``mask & other``: True where both are non-zero."""
    return truth_values(self) * truth_values(self._ensure_tensor(other))


def logical_or(self: Tensor, other: Operand) -> Tensor:
    """``mask | other``: True where either is non-zero."""
    return truth_values(self) + truth_values(self._ensure_tensor(other))


def logical_xor(self: Tensor, other: Operand) -> Tensor:
    """``mask ^ other``: True where exactly one is non-zero."""
    return ne(truth_values(self), truth_values(self._ensure_tensor(other)))


def logical_not(self: Tensor) -> Tensor:
    """``~mask``: True where the entry is zero (or False); of an integer tensor, its bits
    inverted, as torch's ``~`` (``~5 == -6``)."""
    return Not.apply(self, bitwise=self._tensor.dtype.category == dtypes.INTEGER)


# -- sizes and conversions ------------------------------------------------------------------------


def numel(self: Tensor) -> int:
    """The number of elements."""
    return int(self._tensor.size)


def dim(self: Tensor) -> int:
    """The number of dimensions."""
    return self._tensor.dims


def tolist(self: Tensor) -> Any:
    """The values as nested Python lists (a float for a 0-d tensor)."""
    return self.to_numpy().tolist()


def same(self: Tensor) -> Tensor:
    """The tensor itself: ``cpu()`` (host memory already)."""
    return self


class ToBackend(Function):
    """The same values on another backend; the gradient goes back to the original one."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, backend: TensorBackend) -> Tensor:
        ctx.save_for_backward(a.backend)
        return type(a)(TensorData.from_array(a.to_numpy()), backend=backend)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (original,) = ctx.saved_values
        return ToBackend.apply(grad_output, backend=original)


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """``to(backend)`` copies to another backend (differentiably); ``to(dtype)`` converts
    (:func:`~minitorch.ops.casts.converted`); ``to(other_tensor)`` takes its backend;
    ``to("cpu")`` is accepted."""
    out = self
    for target in (*args, *kwargs.values()):
        if hasattr(target, "_tensor"):
            target = target.backend
        if isinstance(target, TensorBackend):
            if not same_backend(target, out.backend):
                out = ToBackend.apply(out, backend=target)
        elif isinstance(target, dtypes.dtype):
            out = casts.converted(out, target)
        elif not (target == "cpu" or target is None or isinstance(target, bool)):
            raise TypeError(
                f"to(): expected a backend, a dtype or 'cpu', got {target!r} "
                "(minitorch picks devices with backends, e.g. minitorch.CudaBackend)"
            )
    return out


# -- in-place updates -----------------------------------------------------------------------------


def in_place(self: Tensor, result: Tensor, rebind: bool = False) -> Tensor:
    """Write ``result``'s values into this tensor (``x -= ...``, ``x.add_(...)``).

    Only when no gradient can be lost: with recording off (``with no_grad():``, as an
    update of weights) or on a tensor that takes no part in autodiff.  An update that is
    part of a graph returns the new tensor instead when ``rebind`` (Python's ``x += y`` then
    rebinds ``x``), and otherwise raises.
    """
    if result.history is not None:
        if self.is_leaf() and is_grad_enabled():
            raise RuntimeError(
                f"a leaf tensor that requires grad (shape {self.shape}) is used in an "
                "in-place operation; update it inside `with minitorch.no_grad():`"
            )
        if rebind:
            return result
        raise RuntimeError(
            "in-place operations are not recorded for autodiff; write `x = x + y` "
            "instead of `x.add_(y)` on a tensor that is part of a graph"
        )
    try:
        self._tensor.assign(result._tensor.array_view())
    except ValueError:
        raise ValueError(
            f"in-place: the result has shape {result.shape}, which does not fit this "
            f"tensor's shape {self.shape}"
        ) from None
    return self


def iadd(self: Tensor, other: Operand) -> Tensor:
    """``self += other``."""
    return in_place(self, self + other, rebind=True)


def isub(self: Tensor, other: Operand) -> Tensor:
    """``self -= other``."""
    return in_place(self, self - other, rebind=True)


def imul(self: Tensor, other: Operand) -> Tensor:
    """``self *= other``."""
    return in_place(self, self * other, rebind=True)


def itruediv(self: Tensor, other: Operand) -> Tensor:
    """``self /= other``."""
    return in_place(self, self / other, rebind=True)


def add_(self: Tensor, other: Operand, alpha: Number = 1) -> Tensor:
    """``self += alpha * other``, in place."""
    return in_place(self, add(self, other, alpha))


def sub_(self: Tensor, other: Operand, alpha: Number = 1) -> Tensor:
    """``self -= alpha * other``, in place."""
    return in_place(self, sub(self, other, alpha))


def mul_(self: Tensor, other: Operand) -> Tensor:
    """``self *= other``, in place."""
    return in_place(self, self * other)


def div_(self: Tensor, other: Operand) -> Tensor:
    """``self /= other``, in place."""
    return in_place(self, self / other)


def clamp_(self: Tensor, min: Optional[Operand] = None, max: Optional[Operand] = None) -> Tensor:
    """Values limited to ``[min, max]``, in place."""
    return in_place(self, elementwise.clamp(self, min, max))


def fill_(self: Tensor, value: float) -> Tensor:
    """Every entry set to ``value``, in place."""
    return in_place(self, self.zeros(self.shape) + value)


def zero_(self: Tensor) -> Tensor:
    """Every entry set to 0, in place (``x.grad.zero_()``)."""
    return fill_(self, 0.0)


def copy_(self: Tensor, src: Operand) -> Tensor:
    """The values of ``src`` (broadcast to this shape) written into this tensor."""
    return in_place(self, self._ensure_tensor(src).detach())


def to_torch(self: Tensor) -> Any:
    """The values as a ``torch.float64`` tensor (a copy, no history; needs PyTorch)."""
    from ..io.interop import to_torch as convert

    return convert(self)
