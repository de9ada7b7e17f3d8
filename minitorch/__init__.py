"""minitorch: a deep-learning library written from scratch, for learning how it works.

The course API (``minitorch.Scalar``, ``minitorch.operators``,
``minitorch.central_difference``, ``minitorch.Module``, ...) is importable from
the top level.  Note that ``minitorch.datasets`` is the dict of data set
generators, as in the course.

torch's names are here too (``import minitorch as torch``): the functional namespace
(``minitorch.sum``, ``minitorch.matmul``, ...), the constructors, ``minitorch.linalg``,
``minitorch.utils.data`` and the dtype names.  Where the course owns a name its meaning is
kept: ``minitorch.max(x, dim)`` keeps the dimension, ``minitorch.prod`` also multiplies a list
of numbers, ``minitorch.dropout`` is the course's (see the README's "Coming from PyTorch").
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any, Optional

from . import (
    autodiff,
    backends,
    fast_conv,
    fast_ops,
    module,
    nn,
    operators,
    optim,
    scalar,
    scalar_functions,
    tensor_data,
    tensor_functions,
    tensor_ops,
    testing,
    utils,
)
from .autodiff import (
    Context,
    Variable,
    backpropagate,
    central_difference,
    topological_sort,
)
from .backends.default import get_default_backend, set_default_backend
from .datasets import datasets
from .engine.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .fast_conv import Conv1dFun, Conv2dFun, conv1d, conv2d
from .fast_ops import FastBackend, FastOps, tensor_matrix_multiply
from .io.interop import from_torch, to_torch
from .io.serialization import load, save
from .module import Module, Parameter
from .nn import (  # after the functional names: the course keeps max (argmax is torch's)
    Max,
    avgpool2d,
    dropout,
    init,
    layers,
    logsoftmax,
    losses,
    max,
    max_reduce,
    maxpool2d,
    softmax,
    tile,
)
from .nn.layers import (  # ReLU / Sigmoid layers: minitorch.nn.ReLU (top-level names are Functions)
    AvgPool2d,
    Conv1d,
    Conv2d,
    Dropout,
    Embedding,
    Flatten,
    Linear,
    MaxPool2d,
    Sequential,
    Tanh,
)
from .nn.losses import binary_cross_entropy, cross_entropy, l1_loss, mse_loss, nll_loss
from .ops import autograd, constructors, dtypes, elementwise, functional, linalg, reductions, shapes
from .ops.autograd import hessian, hvp, jacobian
from .ops.constructors import (
    _tensor,
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from .ops.dtypes import bfloat16, dtype, float16, float32, float64, int8, int16, int32, int64, uint8
from .ops.elementwise import Abs, Clamp, Div, Maximum, Minimum, Pow, Sqrt, Sub, Where
from .ops.functional import *  # noqa: F403 - torch's functional names (sum, matmul, ...)
from .ops.indexing import Gather, Scatter
from .ops.random import (
    Generator,
    manual_seed,
    normal,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
)
from .ops.shapes import BroadcastTo
from .optim import SGD, Adadelta, Adagrad, Adam, AdamW, NAdam, Optimizer, RMSprop, lr_scheduler
from .replay.compiler import CompileError, CompileWarning, compile
from .scalar import Scalar, ScalarHistory, derivative_check
from .scalar_functions import ScalarFunction
from .tensor import Tensor
from .tensor_data import (
    MAX_DIMS,
    Index,
    IndexingError,
    OutIndex,
    Shape,
    Storage,
    Strides,
    TensorData,
    UserIndex,
    UserShape,
    UserStrides,
    broadcast_index,
    index_to_position,
    shape_broadcast,
    strides_from_shape,
    to_index,
)
from .tensor_functions import (
    EQ,
    LT,
    Add,
    All,
    Copy,
    Exp,
    Function,
    History,
    Inv,
    IsClose,
    Log,
    MatMul,
    Mul,
    Neg,
    Permute,
    ReLU,
    Sigmoid,
    Sum,
    View,
    grad_central_difference,
    grad_check,
)
from .tensor_ops import (
    MapProto,
    SimpleBackend,
    SimpleOps,
    TensorBackend,
    TensorOps,
    tensor_map,
    tensor_reduce,
    tensor_zip,
)
from .testing import MathTest, MathTestVariable

version = "0.4"
__version__ = version

# torch's other names for dtypes (they shadow builtins only inside this namespace).
half, float, double, short, int, long, bool = (  # noqa: A001
    dtypes.ALIASES[name] for name in ("half", "float", "double", "short", "int", "long", "bool")
)


# -- module paths from before the subpackages -------------------------------------------------

MOVED = {
    "allocator": "backends.allocator", "autograd": "ops.autograd", "compiler": "replay.compiler",
    "constructors": "ops.constructors", "cuda_storage": "backends.cuda_storage",
    "dtypes": "ops.dtypes", "elementwise": "ops.elementwise", "functional": "ops.functional",
    "fusion": "replay.fusion", "grad_pass": "engine.grad_pass", "interop": "io.interop",
    "linalg": "ops.linalg", "mnist": "readers.mnist", "reductions": "ops.reductions",
    "safetensors_io": "io.safetensors", "sentiment": "readers.sentiment",
    "serialization": "io.serialization", "shapes": "ops.shapes", "tape": "replay.tape",
    "tensor_methods": "ops.tensor_methods", "train.cli": "cli.commands",
    "train.sentiment_cli": "cli.sentiment", "values": "ops.values",
}
"""Where each module that moved into a subpackage lives now (``minitorch.tape`` is
``minitorch.replay.tape``): ``import minitorch.tape`` and ``minitorch.tape`` keep working, and
give the module itself.  (torch's namespaces ``minitorch.linalg`` and ``minitorch.autograd``
are these modules too.)"""


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """The import system's side of :data:`MOVED`: consulted only after the real modules."""

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        old = fullname.removeprefix(__name__ + ".")
        if old == fullname or old not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        found = importlib.import_module(f"{__name__}.{MOVED[spec.name.split('.', 1)[1]]}")
        self.own_spec = found.__spec__  # the import system sets the old name's next
        return found

    def exec_module(self, found: ModuleType) -> None:
        """Nothing to run (the module was imported where it lives); it keeps its own spec."""
        found.__spec__ = self.own_spec


sys.meta_path.append(_MovedModules())


# The course's package imports its CUDA module, so its tests may call numba.cuda.is_available()
# after importing numba and minitorch: numba.cuda is there, loaded when first used.
backends.runtime.expose_numba_cuda()

_CUDA_NAMES = ("cuda_ops", "CudaBackend", "CudaOps", "cuda", "THREADS_PER_BLOCK", "mm_practice",
               "sum_practice")

if TYPE_CHECKING:
    from . import cuda_ops
    from .cuda_ops import THREADS_PER_BLOCK, CudaBackend, CudaOps, cuda, mm_practice, sum_practice


def __getattr__(name: str) -> Any:
    """The CUDA backend (``minitorch.CudaBackend``, ``minitorch.cuda``, ...) is imported on
    first use: importing numba's CUDA support takes a tenth of a second that a program on
    the CPU backends would spend at every start.  A module that moved (:data:`MOVED`) is
    found where it lives now."""
    if name in MOVED and "." not in name:
        return importlib.import_module(f"{__name__}.{name}")
    if name not in _CUDA_NAMES:
        raise AttributeError(f"module 'minitorch' has no attribute {name!r}")
    cuda_module = importlib.import_module(".cuda_ops", __name__)
    value = cuda_module if name == "cuda_ops" else getattr(cuda_module, name)
    globals()[name] = value
    return value
