"""minitorch: a deep-learning library written from scratch, for learning how it works.

The course API (``minitorch.Scalar``, ``minitorch.operators``,
``minitorch.central_difference``, ``minitorch.Module``, ...) is importable from
the top level.  Note that ``minitorch.datasets`` is the dict of data set
generators, as in the course.
"""

from . import (
    autodiff,
    autograd,
    constructors,
    cuda_ops,
    fast_conv,
    fast_ops,
    init,
    layers,
    losses,
    lr_scheduler,
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
)
from .autodiff import (
    Context,
    Variable,
    backpropagate,
    central_difference,
    topological_sort,
)
from .autograd import hessian, hvp, jacobian
from .constructors import arange, linspace, normal, randn
from .cuda_ops import THREADS_PER_BLOCK, CudaBackend, CudaOps, mm_practice, sum_practice
from .datasets import datasets
from .fast_conv import Conv1dFun, Conv2dFun, conv1d, conv2d
from .fast_ops import FastBackend, FastOps, tensor_matrix_multiply
from .init import manual_seed
from .layers import (  # ReLU / Sigmoid layers: minitorch.nn.ReLU (top-level names are Functions)
    AvgPool2d,
    Conv1d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
    Sequential,
    Tanh,
)
from .losses import binary_cross_entropy, cross_entropy, l1_loss, mse_loss, nll_loss
from .module import Module, Parameter
from .nn import (
    Max,
    argmax,
    avgpool2d,
    dropout,
    logsoftmax,
    max,
    max_reduce,
    maxpool2d,
    softmax,
    tile,
)
from .operators import prod
from .optim import SGD, Adadelta, Adagrad, Adam, AdamW, NAdam, Optimizer, RMSprop
from .scalar import Scalar, ScalarHistory, derivative_check
from .scalar_functions import ScalarFunction
from .serialization import load, save
from .tensor import History, Tensor
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
    BroadcastTo,
    Copy,
    Exp,
    Function,
    Gather,
    Inv,
    IsClose,
    Log,
    MatMul,
    Mul,
    Neg,
    Permute,
    Pow,
    ReLU,
    Scatter,
    Sigmoid,
    Sub,
    Sum,
    View,
    _tensor,
    grad_central_difference,
    grad_check,
    is_grad_enabled,
    no_grad,
    rand,
    tensor,
    zeros,
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
