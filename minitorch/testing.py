"""The shared catalogue of test functions (course Task 0-2 tests).

``MathTest`` writes each function with :mod:`minitorch.operators` on floats;
``MathTestVariable`` writes the same functions with methods and operators of
:class:`~minitorch.Scalar` / ``Tensor``.  Domains are shifted to stay away
from poles and kinks (``inv`` at -3.5, ``relu`` at -5.5, ``lt`` at +1.2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from . import operators

A = TypeVar("A")

Fn = Callable[..., Any]


class MathTest(Generic[A]):
    """One-argument, two-argument (names end in ``2``) and reduction (``red``) functions."""

    @staticmethod
    def neg(a: A) -> A:
        "Negate the argument"
        return -a  # type: ignore[operator]

    @staticmethod
    def addConstant(a: A) -> A:  # noqa: N802
        "Add constant to the argument"
        return 5 + a  # type: ignore[operator, return-value]

    @staticmethod
    def square(a: A) -> A:
        "Manual square"
        return a * a  # type: ignore[operator, no-any-return]

    @staticmethod
    def cube(a: A) -> A:
        "Manual cube"
        return a * a * a  # type: ignore[operator, no-any-return]

    @staticmethod
    def subConstant(a: A) -> A:  # noqa: N802
        "Subtract a constant from the argument"
        return a - 5  # type: ignore[operator, no-any-return]

    @staticmethod
    def multConstant(a: A) -> A:  # noqa: N802
        "Multiply a constant to the argument"
        return 5 * a  # type: ignore[operator, return-value]

    @staticmethod
    def div(a: A) -> A:
        "Divide by a constant"
        return a / 5  # type: ignore[operator, no-any-return]

    @staticmethod
    def inv(a: A) -> A:
        "Invert after adding"
        return operators.inv(a + 3.5)  # type: ignore[operator, return-value]

    @staticmethod
    def sig(a: A) -> A:
        "Apply sigmoid"
        return operators.sigmoid(a)  # type: ignore[arg-type, return-value]

    @staticmethod
    def log(a: A) -> A:
        "Apply log to a large value"
        return operators.log(a + 100000)  # type: ignore[operator, return-value]

    @staticmethod
    def relu(a: A) -> A:
        "Apply relu"
        return operators.relu(a + 5.5)  # type: ignore[operator, return-value]

    @staticmethod
    def exp(a: A) -> A:
        "Apply exp to a smaller value"
        return operators.exp(a - 200)  # type: ignore[operator, return-value]

    @staticmethod
    def explog(a: A) -> A:
        return operators.log(a + 100000) + operators.exp(a - 200)  # type: ignore[operator, return-value]

    @staticmethod
    def add2(a: A, b: A) -> A:
        "Add two arguments"
        return a + b  # type: ignore[operator, no-any-return]

    @staticmethod
    def mul2(a: A, b: A) -> A:
        "Mul two arguments"
        return a * b  # type: ignore[operator, no-any-return]

    @staticmethod
    def div2(a: A, b: A) -> A:
        "Divide two arguments"
        return a / (b + 5.5)  # type: ignore[operator, no-any-return]

    @staticmethod
    def gt2(a: A, b: A) -> A:
        return operators.lt(b, a + 1.2)  # type: ignore[arg-type, operator, return-value]

    @staticmethod
    def lt2(a: A, b: A) -> A:
        return operators.lt(a + 1.2, b)  # type: ignore[arg-type, operator, return-value]

    @staticmethod
    def eq2(a: A, b: A) -> A:
        return operators.eq(a, (b + 5.5))  # type: ignore[arg-type, operator, return-value]

    @staticmethod
    def sum_red(a: Any) -> A:
        return operators.sum(a)  # type: ignore[return-value]

    @staticmethod
    def mean_red(a: Any) -> A:
        return operators.sum(a) / float(len(a))  # type: ignore[return-value]

    @staticmethod
    def mean_full_red(a: Any) -> A:
        return operators.sum(a) / float(len(a))  # type: ignore[return-value]

    @staticmethod
    def complex(a: A) -> A:
        return (
            operators.log(
                operators.sigmoid(
                    operators.relu(operators.relu(a * 10 + 7) * 6 + 5) * 10  # type: ignore[operator]
                )
            )
            / 50
        )  # type: ignore[return-value]

    @classmethod
    def _tests(
        cls,
    ) -> tuple[list[tuple[str, Fn]], list[tuple[str, Fn]], list[tuple[str, Fn]]]:
        """Split the catalogue into (one-arg, two-arg, reduction) ``(name, fn)`` lists."""
        one_arg: list[tuple[str, Fn]] = []
        two_arg: list[tuple[str, Fn]] = []
        red_arg: list[tuple[str, Fn]] = []
        for k in dir(MathTest):
            if callable(getattr(MathTest, k)) and not k.startswith("_"):
                base_fn = getattr(cls, k)
                tup = (k, base_fn)
                if k.endswith("2"):
                    two_arg.append(tup)
                elif k.endswith("red"):
                    red_arg.append(tup)
                else:
                    one_arg.append(tup)
        return one_arg, two_arg, red_arg

    @classmethod
    def _comp_testing(
        cls,
    ) -> tuple[
        list[tuple[str, Fn, Fn]], list[tuple[str, Fn, Fn]], list[tuple[str, Fn, Fn]]
    ]:
        """Triples ``(name, float reference, this class's version)`` per group."""
        one_arg, two_arg, red_arg = MathTest._tests()
        one_argv, two_argv, red_argv = cls._tests()
        one = [(n1, f1, f2) for (n1, f1), (_, f2) in zip(one_arg, one_argv)]
        two = [(n1, f1, f2) for (n1, f1), (_, f2) in zip(two_arg, two_argv)]
        red = [(n1, f1, f2) for (n1, f1), (_, f2) in zip(red_arg, red_argv)]
        return one, two, red


class MathTestVariable(MathTest[Any]):
    """The same catalogue written with Scalar/Tensor methods and operators."""

    @staticmethod
    def inv(a: Any) -> Any:
        return 1.0 / (a + 3.5)

    @staticmethod
    def sig(x: Any) -> Any:
        return x.sigmoid()

    @staticmethod
    def log(x: Any) -> Any:
        return (x + 100000).log()

    @staticmethod
    def relu(x: Any) -> Any:
        return (x + 5.5).relu()

    @staticmethod
    def exp(a: Any) -> Any:
        return (a - 200).exp()

    @staticmethod
    def explog(a: Any) -> Any:
        return (a + 100000).log() + (a - 200).exp()

    @staticmethod
    def sum_red(a: Any) -> Any:
        return a.sum(0)

    @staticmethod
    def mean_red(a: Any) -> Any:
        return a.mean(0)

    @staticmethod
    def mean_full_red(a: Any) -> Any:
        return a.mean()

    @staticmethod
    def eq2(a: Any, b: Any) -> Any:
        return a == (b + 5.5)

    @staticmethod
    def gt2(a: Any, b: Any) -> Any:
        return a + 1.2 > b

    @staticmethod
    def lt2(a: Any, b: Any) -> Any:
        return a + 1.2 < b

    @staticmethod
    def complex(a: Any) -> Any:
        return (((a * 10 + 7).relu() * 6 + 5).relu() * 10).sigmoid().log() / 50
