r"""Loss functions with PyTorch's names and ``reduction`` ('mean' by default, 'sum', 'none').

Class targets are given as integer class indices (a list, a numpy array or a tensor of
shape ``(N,)``), as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff import Context
from ..ops import reductions
from ..ops.elementwise import clamp, maximum, where
from ..replay import tape
from ..tensor import Tensor
from ..tensor_functions import Function, numpy_result
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
    tape.launch(_check_probabilities, None, input._tensor.array_view())  # also on replay
    return _reduce(BinaryCrossEntropy.apply(input, target), reduction)


def _check_probabilities(_: None, p: np.ndarray) -> None:
    if not np.all((p >= 0.0) & (p <= 1.0)):
        bad = p[~((p >= 0.0) & (p <= 1.0))]
        raise ValueError(
            f"binary_cross_entropy: inputs must be probabilities in [0, 1], got {bad[:5]}; "
            "apply sigmoid() to the model's outputs first"
        )


def _class_indices(labels: np.ndarray, classes: int) -> np.ndarray:
    """Class targets as int64 indices, or the error that names the bad ones."""
    if not np.all(labels == np.round(labels)):
        raise ValueError(f"nll_loss: targets must be whole class indices, got {labels.tolist()}")
    bad = [int(v) for v in labels if not 0 <= v < classes]
    if bad:
        raise IndexError(f"nll_loss: target classes {bad} are out of range for {classes} classes")
    return labels.astype(np.int64)


def _pick_targets(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    rows = np.arange(values.shape[0])
    picked: np.ndarray = values[rows, _class_indices(labels, values.shape[1])]
    return picked


def _place_targets(g: np.ndarray, labels: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    out = np.zeros(shape)
    out[np.arange(shape[0]), _class_indices(labels, shape[1])] = g
    return out


class PickTargets(Function):
    r""":math:`out_n = x[n, y_n]` for class indices :math:`y` (a tensor, read when the kernel
    runs, so a compiled step reads each call's labels); derivative: the gradient placed at
    :math:`[n, y_n]` (:class:`PlaceTargets`), zero elsewhere."""

    @staticmethod
    def forward(ctx: Context, input: Tensor, target: Tensor) -> Tensor:
        ctx.save_for_backward(input.shape, target)
        return numpy_result(input, _pick_targets, input, target)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        shape, target = ctx.saved_values
        return PlaceTargets.apply(grad_output, target, shape=shape), 0.0


class PlaceTargets(Function):
    r"""The adjoint of :class:`PickTargets`: zeros of ``shape`` with :math:`g_n` at
    :math:`[n, y_n]`; its derivative is that pick again."""

    @staticmethod
    def forward(ctx: Context, g: Tensor, target: Tensor, shape: tuple[int, int]) -> Tensor:
        ctx.save_for_backward(target)
        return numpy_result(g, _place_targets, g, target, tuple(shape))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        (target,) = ctx.saved_values
        return PickTargets.apply(grad_output, target), 0.0


def nll_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    r""":math:`-\text{input}[n, y_n]` for log-probabilities ``input`` of shape (N, C).

    ``target``: class indices, a tensor (read by the kernel) or a list / array (checked now)."""
    if input.dims != 2:
        raise ValueError(
            f"nll_loss: expected (batch, classes) log-probabilities, got {input.shape}"
        )
    n, classes = input.shape
    if not isinstance(target, Tensor):
        try:
            labels = np.asarray(target, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise TypeError(
                f"nll_loss: targets must be class indices, got {target!r:.80}"
            ) from None
        target = input._ensure_tensor(labels)
    if target.size != n:
        raise ValueError(f"nll_loss: {n} inputs but {int(target.size)} targets")
    return _reduce(-PickTargets.apply(input, target.detach().reshape(n)), reduction)


def cross_entropy(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    r"""Softmax cross-entropy of logits (N, C): :math:`-\log \mathrm{softmax}(x)_{n, y_n}`."""
    if input.dims != 2:
        raise ValueError(f"cross_entropy: expected (batch, classes) logits, got {input.shape}")
    return nll_loss(logsoftmax(input, 1), target, reduction)


