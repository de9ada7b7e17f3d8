r"""Scalar primitives: each one's forward pass with its derivative beside it.

A :class:`ScalarFunction` is never instantiated.  ``forward(ctx, *floats)``
computes the value and may ``ctx.save_for_backward(...)``;
``backward(ctx, d)`` returns :math:`d \cdot \partial f / \partial x_i` for each
input (a tuple for two inputs).  ``apply`` wraps and unwraps
:class:`~minitorch.Scalar` values and records the history that
:func:`~minitorch.backpropagate` walks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from . import operators
from .autodiff import Context, Primitive, unwrap_tuple, wrap_tuple

if TYPE_CHECKING:
    from .scalar import Scalar

    ScalarLike = Union[float, int, Scalar]

__all__ = [
    "EQ", "LT", "Add", "Exp", "Inv", "Log", "Mul", "Neg", "Pow", "ReLU", "ScalarFunction",
    "Sigmoid", "Tanh", "unwrap_tuple", "wrap_tuple",
]


class ScalarFunction(Primitive):
    """Base class of the scalar primitives (``forward``/``backward`` are staticmethods on
    floats)."""

    @classmethod
    def apply(cls, *vals: ScalarLike) -> Scalar:
        """Run ``forward`` on the values of ``vals`` and record how the result was made.

        Plain numbers are wrapped as constant Scalars (they get no derivative)
        and passed to ``forward`` as they are.
        """
        from .scalar import apply  # the course's cycle: a function of Scalars makes Scalars

        return apply(cls, *vals)


class Add(ScalarFunction):
    r""":math:`f(a, b) = a + b`, :math:`f'_a = f'_b = 1`"""

    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        return float(a + b)

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        return d_output, d_output


class Mul(ScalarFunction):
    r""":math:`f(a, b) = a b`, :math:`f'_a = b`, :math:`f'_b = a`"""

    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        ctx.save_for_backward(a, b)
        return float(a * b)

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        a, b = ctx.saved_values
        return b * d_output, a * d_output


class Neg(ScalarFunction):
    r""":math:`f(a) = -a`, :math:`f' = -1`"""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return float(-a)

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return -d_output


class Inv(ScalarFunction):
    r""":math:`f(a) = 1/a`, :math:`f' = -1/a^2`"""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        if a == 0:
            raise ZeroDivisionError("Inv: 1/x is undefined at x = 0")
        ctx.save_for_backward(a)
        return float(operators.inv(a))

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        (a,) = ctx.saved_values
        return operators.inv_back(a, d_output)


class Log(ScalarFunction):
    r""":math:`f(a) = \log(a + \epsilon)`, :math:`f' = 1/(a + \epsilon)`.

    Raises ``ValueError`` where the logarithm is undefined (:math:`a + \epsilon \le 0`)
    instead of returning NaN, so a bad domain is caught where it happens.
    """

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        if a + operators.EPS <= 0.0:
            raise ValueError(
                f"Log: log(x) is undefined for x = {a!r}; the input must be positive"
            )
        ctx.save_for_backward(a)
        return float(operators.log(a))

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        (a,) = ctx.saved_values
        return operators.log_back(a, d_output)


class Exp(ScalarFunction):
    r""":math:`f(a) = e^a`, :math:`f' = e^a`"""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        out = operators.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        out: float = ctx.saved_values[0]
        return out * d_output


class Sigmoid(ScalarFunction):
    r""":math:`f(a) = \sigma(a)`, :math:`f' = \sigma(a)(1 - \sigma(a))`"""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        out = operators.sigmoid(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        out: float = ctx.saved_values[0]
        return out * (1.0 - out) * d_output


class ReLU(ScalarFunction):
    r""":math:`f(a) = \max(a, 0)`, :math:`f' = 1` if :math:`a > 0` else 0"""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        ctx.save_for_backward(a)
        return float(operators.relu(a))

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        (a,) = ctx.saved_values
        return operators.relu_back(a, d_output)


class Tanh(ScalarFunction):
    r""":math:`f(a) = \tanh a`, :math:`f' = 1 - \tanh^2 a`"""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        out = operators.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        out: float = ctx.saved_values[0]
        return (1.0 - out * out) * d_output


class Pow(ScalarFunction):
    r""":math:`f(a, n) = a^n` for a number ``n``; :math:`f'_a = n a^{n-1}`.

    ``n`` is treated as a constant: its derivative is reported as 0.
    """

    @staticmethod
    def forward(ctx: Context, a: float, n: float) -> float:
        if a < 0 and not float(n).is_integer():
            raise ValueError(
                f"Pow: {a!r} ** {n!r} is not a real number "
                "(a negative base needs an integer exponent)"
            )
        if a == 0 and n < 0:
            raise ZeroDivisionError(f"Pow: 0 ** {n!r} is undefined (negative exponent)")
        ctx.save_for_backward(a, n)
        return float(a**n)

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        a, n = ctx.saved_values
        if n == 0:
            return 0.0, 0.0
        return float(n * a ** (n - 1)) * d_output, 0.0


class LT(ScalarFunction):
    r""":math:`f(a, b) = 1` if :math:`a < b` else 0; derivative 0 almost everywhere."""

    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        return operators.lt(a, b)

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        return 0.0, 0.0


class EQ(ScalarFunction):
    r""":math:`f(a, b) = 1` if :math:`a = b` else 0; derivative 0 almost everywhere."""

    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        return operators.eq(a, b)

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        return 0.0, 0.0
