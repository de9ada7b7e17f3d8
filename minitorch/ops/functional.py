"""torch's functional namespace: ``minitorch.sum(x, 0)``, ``minitorch.matmul(a, b)``, ...

``max`` is here but not exported at the top level: ``minitorch.max`` is the course's
(:func:`minitorch.nn.max`, which keeps the dimension).

Each function takes torch's arguments and follows torch's rules (``sum(x, dim)`` drops the
dimension, ``matmul`` has the 1-d rules, ``max(x)`` is the largest value), and is
differentiable where torch's is.  They are re-exported at the top level, except where the
course owns a name (``minitorch.max(x, dim)`` keeps the dimension, ``minitorch.prod`` also
multiplies a list of numbers): see ``minitorch/__init__.py`` and the README's
"Coming from PyTorch".
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Optional, Union

from .. import operators
from ..tensor import Tensor
from . import linalg, reductions
from .casts import is_floating_point
from .elementwise import (
    Maximum,
    Minimum,
    abs,
    ceil,
    clamp,
    cos,
    floor,
    floor_divide,
    remainder,
    round,
    sin,
    sqrt,
    tanh,
    where,
)
from .indexing import (
    gather,
    index_put,
    index_select,
    masked_fill,
    nonzero,
    scatter,
    scatter_add,
)
from .linalg import det, dot, inv, matmul, mm, outer, pinv, trace
from .reductions import all, amax, amin, any, argmax, argmin, mean, min, std, sum, var
from .shapes import cat, diag, expand, flatten, squeeze, stack, transpose, unsqueeze

Operand = Union[Tensor, int, float]

__all__ = [
    "abs", "add", "all", "amax", "amin", "any", "argmax", "argmin", "cat", "ceil", "clamp", "clip",
    "clone", "concat", "concatenate", "cos", "det", "diag", "div", "divide", "dot", "exp",
    "expand", "flatten", "floor", "floor_divide", "inverse", "is_tensor", "log", "matmul",
    "maximum", "mean", "min", "minimum", "mm", "mul", "multiply", "neg", "negative", "norm",
    "numel", "outer", "pinverse", "pow", "prod", "relu", "remainder", "reshape", "round",
    "sigmoid", "sin", "sqrt", "square", "squeeze", "stack", "std", "sub", "subtract", "sum", "svd",
    "tanh", "trace", "transpose", "true_divide", "unsqueeze", "var", "where", "e", "inf", "nan",
    "pi", "gather", "index_put", "index_select", "masked_fill", "nonzero", "scatter",
    "scatter_add", "is_floating_point",
]

pi, e, inf, nan = math.pi, math.e, math.inf, math.nan


def _tensor_of(*operands: Any) -> Tensor:
    """The first tensor among the operands (to give numbers a backend)."""
    for x in operands:
        if isinstance(x, Tensor):
            return x
    raise TypeError(f"expected at least one Tensor, got {[type(x).__name__ for x in operands]}")


def _pair(input: Operand, other: Operand) -> tuple[Tensor, Tensor]:
    like = _tensor_of(input, other)
    return like._ensure_tensor(input), like._ensure_tensor(other)


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a minitorch Tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    """The number of elements."""
    return input.numel()


def exp(input: Tensor) -> Tensor:
    """:math:`e^x`."""
    return input.exp()


def log(input: Tensor) -> Tensor:
    r""":math:`\log x` (natural; :math:`-\infty` at 0, NaN below)."""
    return input.log()


def square(input: Tensor) -> Tensor:
    """:math:`x^2`."""
    return input * input


def sigmoid(input: Tensor) -> Tensor:
    r""":math:`1 / (1 + e^{-x})`."""
    return input.sigmoid()


def relu(input: Tensor) -> Tensor:
    r""":math:`\max(x, 0)`."""
    return input.relu()


def neg(input: Tensor) -> Tensor:
    """:math:`-x`."""
    return -input


def add(input: Operand, other: Operand, alpha: Union[int, float] = 1) -> Tensor:
    """``input + alpha * other``."""
    a, b = _pair(input, other)
    return a + (b if alpha == 1 else b * alpha)


def sub(input: Operand, other: Operand, alpha: Union[int, float] = 1) -> Tensor:
    """``input - alpha * other``."""
    a, b = _pair(input, other)
    return a - (b if alpha == 1 else b * alpha)


def mul(input: Operand, other: Operand) -> Tensor:
    """``input * other``."""
    a, b = _pair(input, other)
    return a * b


def div(input: Operand, other: Operand) -> Tensor:
    """``input / other`` (IEEE at 0: inf or NaN)."""
    a, b = _pair(input, other)
    return a / b


def pow(input: Operand, exponent: Operand) -> Tensor:
    """``input ** exponent`` (either may be a number)."""
    a, b = _pair(input, exponent)
    return a**b


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise maximum (NaN if either is NaN)."""
    return Maximum.apply(*_pair(input, other))


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise minimum (NaN if either is NaN)."""
    return Minimum.apply(*_pair(input, other))


def reshape(input: Tensor, shape: Any) -> Tensor:
    """``input`` with another shape (a copy only when the layout needs one; ``-1`` fits)."""
    return input.reshape(shape)


def prod(input: Any, dim: Optional[int] = None, keepdim: bool = False) -> Any:
    """The product over ``dim`` of a tensor (everything for None), as torch's; given a list
    of numbers, the course's ``operators.prod`` (``minitorch.prod([2, 3]) == 6``)."""
    if isinstance(input, Tensor):
        return reductions.prod(input, dim, keepdim)
    return operators.prod(input)


def clone(input: Tensor) -> Tensor:
    """A copy with its own storage (gradients flow back through it)."""
    return input.clone()


class SVD(NamedTuple):
    """``U``, ``S``, ``V`` of :func:`svd` (torch.svd's order: ``V``, not ``V^T``)."""

    U: Tensor
    S: Tensor
    V: Tensor


def svd(input: Tensor, some: bool = True) -> SVD:
    r"""torch.svd: :math:`A = U \operatorname{diag}(S) V^T` (reduced when ``some``); prefer
    :func:`minitorch.linalg.svd`, which returns :math:`V^T`."""
    u, s, vh = linalg.svd(input, full_matrices=not some)
    return SVD(u, s, vh.transpose(-2, -1))


def norm(input: Tensor, p: Union[float, str] = "fro", dim: Any = None,
         keepdim: bool = False) -> Tensor:
    """``torch.norm``: the Frobenius / 2-norm of everything by default, else the ``p``-norm."""
    return input.norm(p, dim, keepdim)


clip = clamp
multiply = mul
subtract = sub
divide = true_divide = div
negative = neg
concat = concatenate = cat
inverse = inv
pinverse = pinv
