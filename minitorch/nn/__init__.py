"""``minitorch.nn``: the course's neural-network functions and PyTorch-named layers.

- the course's functions (its ``nn.py``, here :mod:`minitorch.nn.ops`): ``tile``,
  ``avgpool2d``, ``maxpool2d``, ``max``, ``argmax`` (one-hot), ``softmax``, ``logsoftmax``,
  ``dropout``, and ``conv1d`` / ``conv2d``;
- layers with PyTorch's names (:mod:`minitorch.nn.layers`): ``Linear``, ``Conv2d``,
  ``Sequential``, ``ReLU``, ..., the loss layers ``MSELoss`` ..., and ``Module`` / ``Parameter``;
- losses (:mod:`minitorch.nn.losses`), initialisers (:mod:`minitorch.nn.init`), and torch's
  functional names (:mod:`minitorch.nn.functional`).
"""

from ..fast_conv import conv1d, conv2d
from ..module import Module, Parameter
from . import functional, init, layers, losses, ops
from .layers import (
    AvgPool2d,
    BCELoss,
    Conv1d,
    Conv2d,
    CrossEntropyLoss,
    Dropout,
    Embedding,
    Flatten,
    L1Loss,
    Linear,
    MaxPool2d,
    MSELoss,
    NLLLoss,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)
from .losses import binary_cross_entropy, cross_entropy, l1_loss, mse_loss, nll_loss
from .ops import (
    Max,
    MaxValues,
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

__all__ = [
    "AvgPool2d", "BCELoss", "Conv1d", "Conv2d", "CrossEntropyLoss", "Dropout", "Embedding",
    "Flatten", "L1Loss", "Linear", "Max", "MaxPool2d", "MaxValues", "MSELoss", "Module", "NLLLoss",
    "Parameter", "ReLU", "Sequential", "Sigmoid", "Tanh", "argmax", "avgpool2d",
    "binary_cross_entropy", "conv1d", "conv2d", "cross_entropy", "dropout", "functional", "init",
    "l1_loss", "layers", "logsoftmax", "losses", "max", "max_reduce", "maxpool2d", "mse_loss",
    "nll_loss", "ops", "softmax", "tile",
]
