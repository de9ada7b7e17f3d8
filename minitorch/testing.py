"""The shared catalogue of test functions (course Task 0-2 tests).

``MathTest`` writes each function with :mod:`minitorch.operators` on floats;
``MathTestVariable`` writes the same functions with methods and operators of
:class:`~minitorch.Scalar` / ``Tensor``.  Domains are shifted to stay away
from poles and kinks (``inv`` at -3.5, ``relu`` at -5.5, ``lt`` at +1.2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import operators

Fn = Callable[..., Any]


class MathTest:
    """One-argument, two-argument (names end in ``2``) and reduction (``red``) functions."""

    @staticmethod
    def neg(a: Any) -> Any:
        "Negate the argument"
        return -a

    @staticmethod
    def addConstant(a: Any) -> Any:  # noqa: N802
        "Add constant to the argument"
        return 5 + a

    @staticmethod
    def square(a: Any) -> Any:
        "Manual square"
        return a * a

    @staticmethod
    def cube(a: Any) -> Any:
        "Manual cube"
        return a * a * a

    @staticmethod
    def subConstant(a: Any) -> Any:  # noqa: N802
        "Subtract a constant from the argument"
        return a - 5

    @staticmethod
    def multConstant(a: Any) -> Any:  # noqa: N802
        "Multiply a constant to the argument"
        return 5 * a

    @staticmethod
    def div(a: Any) -> Any:
        "Divide by a constant"
        return a / 5

    @staticmethod
    def inv(a: Any) -> Any:
        "Invert after adding"
        return operators.inv(a + 3.5)

    @staticmethod
    def sig(a: Any) -> Any:
        "Apply sigmoid"
        return operators.sigmoid(a)

    @staticmethod
    def log(a: Any) -> Any:
        "Apply log to a large value"
        return operators.log(a + 100000)

    @staticmethod
    def relu(a: Any) -> Any:
        "Apply relu"
        return operators.relu(a + 5.5)

    @staticmethod
    def exp(a: Any) -> Any:
        "Apply exp to a smaller value"
        return operators.exp(a - 200)

    @staticmethod
    def explog(a: Any) -> Any:
        return operators.log(a + 100000) + operators.exp(a - 200)

    @staticmethod
    def add2(a: Any, b: Any) -> Any:
        "Add two arguments"
        return a + b

    @staticmethod
    def mul2(a: Any, b: Any) -> Any:
        "Mul two arguments"
        return a * b

    @staticmethod
    def div2(a: Any, b: Any) -> Any:
        "Divide two arguments"
        return a / (b + 5.5)

    @staticmethod
    def gt2(a: Any, b: Any) -> Any:
        return operators.lt(b, a + 1.2)

    @staticmethod
    def lt2(a: Any, b: Any) -> Any:
        return operators.lt(a + 1.2, b)

    @staticmethod
    def eq2(a: Any, b: Any) -> Any:
        return operators.eq(a, (b + 5.5))

    @staticmethod
    def sum_red(a: Any) -> Any:
        return operators.sum(a)

    @staticmethod
    def mean_red(a: Any) -> Any:
        return operators.sum(a) / float(len(a))

    @staticmethod
    def mean_full_red(a: Any) -> Any:
        return operators.sum(a) / float(len(a))

    @staticmethod
    def complex(a: Any) -> Any:
        inner = operators.relu(operators.relu(a * 10 + 7) * 6 + 5) * 10
        return operators.log(operators.sigmoid(inner)) / 50

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


class MathTestVariable(MathTest):
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
