"""``minitorch.nn.functional``: torch.nn.functional's names for minitorch's functions.

``import minitorch.nn as nn; F = nn.functional`` then ``F.relu(x)``, ``F.softmax(x, dim=1)``,
``F.cross_entropy(logits, target)``, ``F.dropout(x, p, training)`` (torch's argument order,
unlike the course's ``minitorch.dropout(x, rate, ignore)``).  Pooling is over
non-overlapping windows (stride = kernel size), as torch's default.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops.constructors import tensor
from ..ops.elementwise import tanh
from ..ops.functional import relu, sigmoid
from ..tensor import Tensor
from .losses import binary_cross_entropy, cross_entropy, l1_loss, mse_loss, nll_loss
from .ops import avgpool2d, logsoftmax, maxpool2d, softmax
from .ops import dropout as course_dropout

__all__ = [
    "avg_pool2d", "binary_cross_entropy", "cross_entropy", "dropout", "embedding", "l1_loss",
    "linear",
    "log_softmax", "max_pool2d", "mse_loss", "nll_loss", "relu", "sigmoid", "softmax", "tanh",
]

log_softmax = logsoftmax


def dropout(input: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero entries with probability ``p`` while ``training`` (survivors scaled by 1/(1-p))."""
    return course_dropout(input, p, ignore=not training)


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    r""":math:`x W^T + b` (``weight``: (out_features, in_features))."""
    out = input @ weight.T
    return out if bias is None else out + bias


def embedding(input: Any, weight: Tensor, padding_idx: Optional[int] = None) -> Tensor:
    r"""The rows of ``weight`` (num_embeddings, d) picked by the integer ids ``input`` (any
    shape ``S``; a tensor, array or list): :math:`out[s] = W[\text{input}[s]]`, shape ``S + (d,)``.

    Derivative: each picked row's gradient is added back to that row of ``weight`` (a word
    that occurs twice gets both).  Ids equal to ``padding_idx`` give zeros and send no
    gradient (PyTorch's rule, so padding never learns).
    """
    ids = np.asarray(input.to_numpy() if isinstance(input, Tensor) else input)
    if ids.size and (not np.all(np.mod(ids, 1) == 0) or ids.min() < 0
                     or ids.max() >= weight.shape[0]):
        raise IndexError(
            f"embedding: ids must be whole numbers in [0, {weight.shape[0]}) for a table of "
            f"{weight.shape[0]} rows, got values from {ids.min()} to {ids.max()}"
        )
    ids = ids.astype(np.int64)
    rows: Tensor = weight[ids]
    if padding_idx is None:
        return rows
    keep = (ids != padding_idx).astype(np.float64)[..., None]
    masked: Tensor = rows * tensor(keep, backend=weight.backend)
    return masked


def max_pool2d(input: Tensor, kernel_size: int | tuple[int, int]) -> Tensor:
    """The maximum over each window of ``kernel_size`` (stride = kernel size)."""
    k = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return maxpool2d(input, k)


def avg_pool2d(input: Tensor, kernel_size: int | tuple[int, int]) -> Tensor:
    """The mean over each window of ``kernel_size`` (stride = kernel size)."""
    k = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return avgpool2d(input, k)
