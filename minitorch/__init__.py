"""minitorch: a deep-learning library written from scratch, for learning how it works.

The course API (``minitorch.Scalar``, ``minitorch.operators``,
``minitorch.central_difference``, ``minitorch.Module``, ...) is importable from
the top level.  Note that ``minitorch.datasets`` is the dict of data set
generators, as in the course.
"""

from . import autodiff, module, operators, optim, scalar, scalar_functions, testing
from .autodiff import (
    Context,
    Variable,
    backpropagate,
    central_difference,
    topological_sort,
)
from .datasets import datasets
from .module import Module, Parameter
from .operators import prod
from .optim import SGD, Optimizer
from .scalar import Scalar, ScalarHistory, derivative_check
from .scalar_functions import ScalarFunction
from .testing import MathTest, MathTestVariable

version = "0.4"
__version__ = version

__all__ = [
    "Context",
    "MathTest",
    "MathTestVariable",
    "Module",
    "Optimizer",
    "Parameter",
    "SGD",
    "Scalar",
    "ScalarFunction",
    "ScalarHistory",
    "Variable",
    "autodiff",
    "backpropagate",
    "central_difference",
    "datasets",
    "derivative_check",
    "module",
    "operators",
    "optim",
    "prod",
    "scalar",
    "scalar_functions",
    "testing",
    "topological_sort",
    "version",
]
