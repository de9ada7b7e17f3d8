r"""The course's neural-network functions on tensors: pooling, max / argmax, softmax, dropout
(its ``nn.py``; ``minitorch.nn.avgpool2d`` and the others are these).

Everything here is built from differentiable tensor operations (``view``,
``permute``, ``contiguous``, reductions, matrix products), so gradients, and gradients of
gradients, come for free.  Shapes: images are ``(batch, channel, height, width)``.
"""

from __future__ import annotations

from typing import Any, Union

import numpy as np

from .. import operators
from ..autodiff import Context
from ..fast_ops import FastOps
from ..ops import dtypes, reductions
from ..ops.constructors import tensor
from ..ops.elementwise import Maximum
from ..ops.random import rand
from ..tensor import Tensor
from ..tensor_functions import Function

max_reduce = FastOps.reduce(operators.max, float("-inf"))
"""The course's compiled maximum over a dimension (kept with size 1) on any host backend.
The functions here use each backend's own ``max_reduce`` kernel (which propagates NaN)."""


def _check_image(input: Tensor, kernel: tuple[int, int], what: str) -> tuple[int, int, int, int]:
    if input.dims != 4:
        raise ValueError(
            f"{what}: expected a (batch, channel, height, width) tensor, got shape {input.shape}"
        )
    batch, channel, height, width = input.shape
    kh, kw = kernel
    if kh <= 0 or kw <= 0 or height % kh != 0 or width % kw != 0:
        raise ValueError(
            f"{what}: kernel {kernel} must divide the input's height and width, "
            f"got {height} x {width}"
        )
    return batch, channel, height, width


def tile(input: Tensor, kernel: tuple[int, int]) -> tuple[Tensor, int, int]:
    r"""Cut each image into :math:`k_h \times k_w` tiles.

    Returns a tensor of shape ``(batch, channel, height / kh, width / kw, kh * kw)``
    whose last dimension holds the values of one tile, and the new height and width.
    """
    batch, channel, height, width = _check_image(input, kernel, "tile")
    kh, kw = kernel
    new_h, new_w = height // kh, width // kw
    # split the width into (new_w, kw), then bring new_w before the height
    t = input.reshape(batch, channel, height, new_w, kw).permute(0, 1, 3, 2, 4)
    # split the height into (new_h, kh) and merge kh with kw: one row-major tile per row
    t = t.contiguous().view(batch, channel, new_w, new_h, kh * kw)
    return t.permute(0, 1, 3, 2, 4).contiguous(), new_h, new_w


def _pooling_matrix(size: int, k: int, like: Tensor) -> Tensor:
    r""":math:`P = I_{size/k} \otimes \mathbf{1}_k^\top / k`, shape ``(size / k, size)``: row
    :math:`i` averages entries :math:`ik \ldots ik + k - 1`."""
    matrix = np.kron(np.eye(size // k), np.full((1, k), 1.0 / k))
    return tensor(matrix, backend=like.backend, dtype=dtypes.floating(like.dtype))


def avgpool2d(input: Tensor, kernel: tuple[int, int]) -> Tensor:
    r"""Mean over each :math:`k_h \times k_w` tile: ``(batch, channel, h / kh, w / kw)``.

    The tile means (``tile(input, kernel)[0].mean(4)``) as two matrix products,
    :math:`P_h \, x \, P_w^\top` with the averaging matrices of :func:`_pooling_matrix`:
    BLAS, no copies of tiles, and differentiable to any order.
    """
    _, _, height, width = _check_image(input, kernel, "avgpool2d")
    rows = _pooling_matrix(height, kernel[0], input)
    cols = _pooling_matrix(width, kernel[1], input)
    out: Tensor = rows @ input @ cols.T
    return out


class MaxValues(Tensor):
    """What the course's ``max(input, dim)`` gives: the maxima, with ``dim`` kept.

    torch's ``max(input, dim)`` gives ``(values, indices)`` instead, so torch code would
    unpack this tensor (``_, predicted = max(out, 1)``) or pick ``[0]`` / ``[1]`` from it and
    silently get rows: both raise here, saying what to write.
    """

    _MESSAGE = (
        "minitorch.max(x, dim) gives the maxima only, with dim kept (the course's max); "
        "for torch's (values, indices) write x.max(dim)"
    )

    def __iter__(self) -> Any:
        raise TypeError(self._MESSAGE)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (int, np.integer)) and self.dims > 1:
            raise TypeError(self._MESSAGE)
        return super().__getitem__(key)


class Max(Function):
    r"""Maximum over ``dim`` (kept with size 1).

    The derivative flows to the maximal entries (every one of them on ties).
    """

    @staticmethod
    def forward(ctx: Context, input: Tensor, dim: Tensor) -> Tensor:
        out = input.f.max_reduce(input, int(dim.item()))
        ctx.save_for_backward(input, out)
        return MaxValues(out._tensor, backend=out.backend)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        input, out = ctx.saved_values
        mask = (input == out).detach()
        grad: Tensor = grad_output * mask
        return grad, 0.0


def max(input: Tensor, dim: Union[int, Tensor, None] = None) -> Tensor:
    """The course's ``max(input, dim)``: the maximum over ``dim``, **kept** with size 1
    (every maximal entry gets the gradient).

    Also torch's other forms: ``max(input)`` is the largest value (a 0-d tensor) and
    ``max(input, other)`` with a tensor ``other`` the elementwise maximum.  For torch's
    ``(values, indices)`` use ``input.max(dim)``.
    """
    if dim is None:
        return reductions.amax(input)
    if isinstance(dim, Tensor):
        return Maximum.apply(input, dim)
    return Max.apply(input, input._ensure_tensor(input._dim(dim)))


def argmax(input: Tensor, dim: int) -> Tensor:
    """The course's argmax: a one-hot (1.0 / 0.0) mask of the maxima along ``dim`` (ties mark
    every maximum).  ``minitorch.argmax`` is torch's (indices)."""
    out = input.f.max_reduce(input, input._dim(dim))
    return (out == input).detach()


def softmax(input: Tensor, dim: int) -> Tensor:
    r""":math:`\mathrm{softmax}(x)_i = e^{x_i} / \sum_j e^{x_j}` along ``dim``.

    The maximum is subtracted first (it cancels), so large inputs do not overflow.
    """
    shifted = input - max(input, dim).detach()
    e = shifted.exp()
    out: Tensor = e / e.sum(dim)
    return out


def logsoftmax(input: Tensor, dim: int) -> Tensor:
    r""":math:`\log \mathrm{softmax}(x) = x - m - \log \sum_j e^{x_j - m}` with :math:`m = \max x`.

    Computed with the max-shift, so it is finite for inputs of any size.
    """
    m = max(input, dim).detach()
    total = (input - m).exp().sum(dim)  # >= 1: the maximum contributes e^0
    out: Tensor = input - m - total.log()
    return out


def maxpool2d(input: Tensor, kernel: tuple[int, int]) -> Tensor:
    """Maximum over each :math:`k_h \\times k_w` tile: ``(batch, channel, h / kh, w / kw)``.

    The maximum of the row maxima of each block, on a view of the blocks (no tile
    copies); the gradient reaches every maximal entry."""
    batch, channel, height, width = _check_image(input, kernel, "maxpool2d")
    (kh, kw), new_h, new_w = kernel, height // kernel[0], width // kernel[1]
    blocks = input.reshape(batch, channel, new_h, kh, new_w, kw)
    return max(max(blocks, 5), 3).view(batch, channel, new_h, new_w)


def dropout(input: Tensor, rate: float, ignore: bool = False) -> Tensor:
    r"""Zero each element with probability ``rate`` (drawn with Python's ``random``).

    Survivors are scaled by :math:`1 / (1 - \text{rate})` so the expected value is
    unchanged (PyTorch's convention); ``rate = 1`` gives all zeros and
    ``ignore=True`` (or ``rate = 0``) returns ``input`` unchanged.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"dropout: rate must be in [0, 1], got {rate}")
    if ignore or rate == 0.0:
        return input
    if rate == 1.0:
        return input * 0.0
    keep = (rand(input.shape, backend=input.backend) > rate).detach()
    out: Tensor = input * keep * (1.0 / (1.0 - rate))
    return out
