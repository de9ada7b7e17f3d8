r"""Loss functions with PyTorch's names and ``reduction`` ('mean' by default, 'sum', 'none').

Class targets are given as integer class indices (a list, a numpy array or a tensor of
shape ``(N,)``), as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import reductions
from ..autodiff import Context
from ..elementwise import clamp, maximum, where
from ..tensor import Tensor
from ..tensor_functions import Function
from .ops import logsoftmax


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """The losses' mean or sum as a 0-d tensor (as torch), or every loss (``"none"``)."""
    if reduction == "mean":
        return reductions.mean(loss)
    if reduction == "sum":
        return reductions.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _same_shape(input: Tensor, target: Tensor, name: str) -> None:
    if input.shape != target.shape:
        raise ValueError(
            f"{name}: input shape {input.shape} and target shape {target.shape} differ"
        )


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r""":math:`(x - y)^2`, reduced."""
    _same_shape(input, target, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r""":math:`|x - y| = \mathrm{relu}(x - y) + \mathrm{relu}(y - x)`, reduced."""
    _same_shape(input, target, "l1_loss")
    diff = input - target
    return _reduce(diff.relu() + (-diff).relu(), reduction)


def _clamped_log(t: Tensor) -> Tensor:
    r""":math:`\max(\log t, -100)` as PyTorch's ``binary_cross_entropy`` computes it (-100 at
    :math:`t = 0`; the log only ever sees positive numbers, so no derivative is 0 / 0)."""
    positive = (t > 0.0).detach()
    safe = where(positive, t, 1.0)
    return clamp(where(positive, safe.log(), -100.0), min=-100.0)


class BinaryCrossEntropy(Function):
    r""":math:`-[y \log p + (1 - y) \log(1 - p)]` elementwise, each log clamped at -100;
    derivatives :math:`(p - y) / \max(p (1 - p), 10^{-12})` and
    :math:`\log(1 - p) - \log p` (both as torch computes them, finite at 0 and 1)."""

    @staticmethod
    def forward(ctx: Context, p: Tensor, y: Tensor) -> Tensor:
        ctx.save_for_backward(p, y)
        loss: Tensor = -(y * _clamped_log(p) + (1.0 - y) * _clamped_log(1.0 - p))
        return loss

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor | float]:
        p, y = ctx.saved_values
        dp: Tensor = grad_output * (p - y) / maximum(p * (1.0 - p), 1e-12)
        dy: Tensor | float = 0.0
        if ctx.needs_grad(1):
            dy = grad_output * (_clamped_log(1.0 - p) - _clamped_log(p))
        return dp, dy


def binary_cross_entropy(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r""":math:`-[y \log p + (1 - y) \log(1 - p)]` for probabilities ``input`` in [0, 1].

    Each log is clamped at -100, as in PyTorch, so probabilities of 0 or 1 stay finite.
    """
    _same_shape(input, target, "binary_cross_entropy")
    p = input._tensor.numpy_view()
    if not np.all((p >= 0.0) & (p <= 1.0)):
        bad = p[~((p >= 0.0) & (p <= 1.0))]
        raise ValueError(
            f"binary_cross_entropy: inputs must be probabilities in [0, 1], got {bad[:5]}; "
            "apply sigmoid() to the model's outputs first"
        )
    return _reduce(BinaryCrossEntropy.apply(input, target), reduction)


def _class_indices(target: Any, n: int, classes: int, name: str) -> np.ndarray:
    labels = target.to_numpy() if isinstance(target, Tensor) else np.asarray(target)
    labels = labels.reshape(-1)
    if labels.shape[0] != n:
        raise ValueError(f"{name}: {n} inputs but {labels.shape[0]} targets")
    if not np.all(labels == np.round(labels)):
        raise ValueError(f"{name}: targets must be whole class indices, got {labels.tolist()}")
    bad = [int(v) for v in labels if not 0 <= v < classes]
    if bad:
        raise IndexError(f"{name}: target classes {bad} are out of range for {classes} classes")
    return labels.astype(np.int64)


def nll_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    r""":math:`-\text{input}[n, y_n]` for log-probabilities ``input`` of shape (N, C)."""
    if input.dims != 2:
        raise ValueError(
            f"nll_loss: expected (batch, classes) log-probabilities, got {input.shape}"
        )
    n, classes = input.shape
    labels = _class_indices(target, n, classes, "nll_loss")
    picked = input[np.arange(n), labels]  # only the targets' entries: -inf elsewhere is fine
    return _reduce(-picked, reduction)


def cross_entropy(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    r"""Softmax cross-entropy of logits (N, C): :math:`-\log \mathrm{softmax}(x)_{n, y_n}`."""
    if input.dims != 2:
        raise ValueError(f"cross_entropy: expected (batch, classes) logits, got {input.shape}")
    return nll_loss(logsoftmax(input, 1), target, reduction)


