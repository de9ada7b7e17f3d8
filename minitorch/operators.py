r"""Module 0: float -> float operators, their derivatives, and list combinators.

Every scalar function here is plain arithmetic on floats with ``math`` calls and
conditional expressions only, so numba can compile it (``njit`` for the CPU
backend, ``cuda.jit(device=True)`` for the GPU backend).  They give IEEE answers
(:math:`1/0 = \infty`, :math:`\sqrt{-1}` = NaN, NaN in -> NaN out) instead of Python's
exceptions, so every backend agrees with numpy and torch; the Scalar functions check
their domains themselves and raise naming the value.  The names
``id``, ``max``, ``map``, ``sum`` deliberately shadow Python builtins inside
this module, as in the course.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

EPS = 1e-6
r"""Added inside :func:`log` so that :math:`\log 0` is finite (course convention)."""

EXP_MAX = 709.782712893384
r"""The largest :math:`x` with a finite :math:`e^x` in float64."""


def mul(x: float, y: float) -> float:
    r""":math:`f(x, y) = x \cdot y`"""
    return x * y


def id(x: float) -> float:
    r""":math:`f(x) = x`"""
    return x


def add(x: float, y: float) -> float:
    r""":math:`f(x, y) = x + y`"""
    return x + y


def sub(x: float, y: float) -> float:
    r""":math:`f(x, y) = x - y`"""
    return x - y


def neg(x: float) -> float:
    r""":math:`f(x) = -x`"""
    return -x


def lt(x: float, y: float) -> float:
    r""":math:`f(x, y) = 1` if :math:`x < y` else :math:`0` (a float, not a bool)."""
    return 1.0 if x < y else 0.0


def eq(x: float, y: float) -> float:
    r""":math:`f(x, y) = 1` if :math:`x = y` else :math:`0`."""
    return 1.0 if x == y else 0.0


def max(x: float, y: float) -> float:
    r""":math:`f(x, y) = x` if :math:`x > y` else :math:`y`; NaN if either is NaN (as torch)."""
    return x if x > y or x != x else y


def is_close(x: float, y: float) -> float:
    r""":math:`f(x, y) = |x - y| < 10^{-2}` (absolute tolerance, as a float)."""
    return 1.0 if abs(x - y) < 1e-2 else 0.0


def sigmoid(x: float) -> float:
    r"""Numerically stable logistic function.

    .. math::
        \sigma(x) = \frac{1}{1 + e^{-x}} \ (x \ge 0), \qquad
        \sigma(x) = \frac{e^{x}}{1 + e^{x}} \ (x < 0)

    Each branch only exponentiates a non-positive number, so it never overflows.
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    ex = math.exp(x)
    return ex / (1.0 + ex)


def relu(x: float) -> float:
    r""":math:`f(x) = x` if :math:`x > 0` else :math:`0` (NaN stays NaN, as torch)."""
    return 0.0 if x <= 0.0 else x


def sigmoid_back(s: float, d: float) -> float:
    r""":math:`d \cdot \sigma'(x)` from the output :math:`s = \sigma(x)`: :math:`d s (1 - s)`."""
    return d * s * (1.0 - s)


def log(x: float) -> float:
    r""":math:`f(x) = \log(x + \epsilon)` with :math:`\epsilon = 10^{-6}` (course convention);
    :math:`-\infty` / NaN where :math:`x + \epsilon` is 0 / negative."""
    return ln(x + EPS)


def exp(x: float) -> float:
    r""":math:`f(x) = e^{x}` (:math:`\infty` past ``EXP_MAX`` rather than an overflow error)."""
    return math.inf if x > EXP_MAX else math.exp(x)


def log_back(x: float, d: float) -> float:
    r""":math:`d \cdot \frac{\partial}{\partial x}\log(x + \epsilon) = \frac{d}{x + \epsilon}`"""
    return div(d, x + EPS)


def inv(x: float) -> float:
    r""":math:`f(x) = 1/x`; :math:`\pm\infty` at :math:`\pm 0` (IEEE, as torch)."""
    return div(1.0, x)


def inv_back(x: float, d: float) -> float:
    r""":math:`d \cdot \frac{\partial}{\partial x} \frac{1}{x} = -\frac{d}{x^2}`"""
    return div(-d, x * x)


def relu_back(x: float, d: float) -> float:
    r""":math:`d \cdot \mathrm{relu}'(x)`: ``d`` if :math:`x > 0` else 0."""
    return d if x > 0.0 else 0.0


def pow(x: float, n: float) -> float:
    r""":math:`f(x, n) = x^n` with IEEE results, as torch: NaN for a negative base and a
    fractional exponent, :math:`\infty` for :math:`0^{n < 0}` and on overflow (signed for odd
    integer powers of negative numbers)."""
    whole = math.isfinite(n) and n == math.floor(n)
    odd = whole and n % 2.0 == 1.0
    if x < 0.0 and not whole and math.isfinite(n):
        if math.isinf(x):  # C's pow: (-inf) ** y is inf for y > 0, 0 for y < 0
            return math.inf if n > 0.0 else 0.0
        return math.nan
    if x == 0.0:
        if n < 0.0:
            return math.copysign(math.inf, x) if odd else math.inf
    elif n * math.log(math.fabs(x)) > EXP_MAX:  # overflow
        return -math.inf if x < 0.0 and odd else math.inf
    return float(x**n)


def fabs(x: float) -> float:
    r""":math:`f(x) = |x|`"""
    return math.fabs(x)


def sqrt(x: float) -> float:
    r""":math:`f(x) = \sqrt{x}`; NaN for :math:`x < 0` (IEEE, as numpy and torch)."""
    return math.sqrt(x) if x >= 0.0 else math.nan


def ln(x: float) -> float:
    r""":math:`f(x) = \log x` exactly (no :math:`\epsilon`): :math:`-\infty` at 0, NaN below."""
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


def div(x: float, y: float) -> float:
    r""":math:`f(x, y) = x / y` with IEEE results at :math:`y = 0`: :math:`\pm\infty`, or NaN
    for :math:`0 / 0`."""
    if y != 0.0:
        return x / y
    if x == 0.0 or x != x:
        return math.nan
    return math.copysign(math.inf, x) * math.copysign(1.0, y)


maximum = max
"""torch's name for the NaN-propagating :func:`max`."""


def minimum(x: float, y: float) -> float:
    r""":math:`\min(x, y)`, NaN if either is NaN (torch's ``minimum``)."""
    return x if x < y or x != x else y


def sin(x: float) -> float:
    r""":math:`f(x) = \sin x` (NaN at :math:`\pm\infty`)."""
    return math.sin(x) if not math.isinf(x) else math.nan


def cos(x: float) -> float:
    r""":math:`f(x) = \cos x` (NaN at :math:`\pm\infty`)."""
    return math.cos(x) if not math.isinf(x) else math.nan


def tanh(x: float) -> float:
    r""":math:`f(x) = \tanh x = \frac{e^{2x} - 1}{e^{2x} + 1}`"""
    return math.tanh(x)


def tanh_back(x: float, d: float) -> float:
    r""":math:`d \cdot (1 - \tanh^2 x)`"""
    t = math.tanh(x)
    return d * (1.0 - t * t)


# ---------------------------------------------------------------------------
# Task 0.3: higher-order functions on lists


def map(fn: Callable[[float], float]) -> Callable[[Iterable[float]], list[float]]:
    """Return a function that applies ``fn`` to every element of a list.

    ``map(fn)(ls) == [fn(x) for x in ls]``
    """

    def apply(ls: Iterable[float]) -> list[float]:
        return [fn(x) for x in ls]

    return apply


def zipWith(  # noqa: N802 - course name
    fn: Callable[[float, float], float],
) -> Callable[[Iterable[float], Iterable[float]], list[float]]:
    """Return a function combining two lists elementwise with ``fn``.

    ``zipWith(fn)(a, b) == [fn(x, y) for x, y in zip(a, b)]`` (stops at the shorter list).
    """

    def apply(ls1: Iterable[float], ls2: Iterable[float]) -> list[float]:
        return [fn(x, y) for x, y in zip(ls1, ls2)]

    return apply


def reduce(
    fn: Callable[[float, float], float], start: float
) -> Callable[[Iterable[float]], float]:
    r"""Return a function folding a list with ``fn`` from ``start``.

    ``reduce(fn, x0)([x1, x2, x3]) == fn(x3, fn(x2, fn(x1, x0)))``; an empty list gives ``start``.
    """

    def apply(ls: Iterable[float]) -> float:
        acc = start
        for x in ls:
            acc = fn(x, acc)
        return acc

    return apply


def negList(ls: Iterable[float]) -> list[float]:  # noqa: N802 - course name
    """Negate every element: ``map(neg)``."""
    return map(neg)(ls)


def addLists(ls1: Iterable[float], ls2: Iterable[float]) -> list[float]:  # noqa: N802
    """Add two lists elementwise: ``zipWith(add)``."""
    return zipWith(add)(ls1, ls2)


def sum(ls: Iterable[float]) -> float:
    """Sum a list: ``reduce(add, 0.0)``; ``sum([]) == 0``."""
    return reduce(add, 0.0)(ls)


def prod(ls: Iterable[float]) -> float:
    """Multiply a list: ``reduce(mul, 1.0)``; ``prod([]) == 1``."""
    return reduce(mul, 1.0)(ls)
