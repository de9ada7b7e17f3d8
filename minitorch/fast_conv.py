r"""Convolutions (course Tasks 4.1-4.2), compiled with numba.

The course's convention keeps the output the size of the input: the kernel is
anchored at the output position and reads zeros past the right (and bottom) edge.

.. math::
    \text{conv1d}: out[b, o, t] = \sum_c \sum_k w[o, c, k] \; in[b, c, t + k]

With ``reverse=True`` the kernel reads backwards, :math:`in[b, c, t - k]` (zeros
before the start): that is the transposed operation the backward pass needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numba import prange

from .autodiff import Context
from .fast_ops import kernel, to_index
from .tensor_data import MAX_DIMS, Index, Shape, Storage, Strides, TensorData
from .tensor_functions import Function, is_grad_enabled

if TYPE_CHECKING:
    from .tensor import Tensor


def _tensor_conv1d(
    out: Storage, out_shape: Shape, out_strides: Strides, out_size: int,
    input: Storage, input_shape: Shape, input_strides: Strides,
    weight: Storage, weight_shape: Shape, weight_strides: Strides,
    reverse: bool,
) -> None:
    """1-d convolution: input (batch, in_ch, width), weight (out_ch, in_ch, kw),
    out (batch, out_ch, out_width). Loops over the output's width."""
    in_channels = input_shape[1]
    width = input_shape[2]
    kw = weight_shape[2]
    s0, s1, s2 = input_strides[0], input_strides[1], input_strides[2]
    w0, w1, w2 = weight_strides[0], weight_strides[1], weight_strides[2]
    for i in prange(out_size):
        out_index: Index = np.empty(MAX_DIMS, np.int32)
        to_index(i, out_shape, out_index)
        b, o, t = out_index[0], out_index[1], out_index[2]
        acc = 0.0
        for c in range(in_channels):
            for k in range(kw):
                pos = t - k if reverse else t + k
                if 0 <= pos < width:
                    acc += weight[o * w0 + c * w1 + k * w2] * input[b * s0 + c * s1 + pos * s2]
        out[b * out_strides[0] + o * out_strides[1] + t * out_strides[2]] = acc


tensor_conv1d = kernel(_tensor_conv1d)


def _tensor_conv2d(
    out: Storage, out_shape: Shape, out_strides: Strides, out_size: int,
    input: Storage, input_shape: Shape, input_strides: Strides,
    weight: Storage, weight_shape: Shape, weight_strides: Strides,
    reverse: bool,
) -> None:
    """2-d convolution: input (batch, in_ch, h, w), weight (out_ch, in_ch, kh, kw),
    out (batch, out_ch, out_h, out_w); top-left anchor (bottom-right when reversed)."""
    in_channels = input_shape[1]
    height, width = input_shape[2], input_shape[3]
    kh, kw = weight_shape[2], weight_shape[3]
    s0, s1, s2, s3 = input_strides[0], input_strides[1], input_strides[2], input_strides[3]
    w0, w1, w2, w3 = weight_strides[0], weight_strides[1], weight_strides[2], weight_strides[3]
    for i in prange(out_size):
        out_index: Index = np.empty(MAX_DIMS, np.int32)
        to_index(i, out_shape, out_index)
        b, o, y, x = out_index[0], out_index[1], out_index[2], out_index[3]
        acc = 0.0
        for c in range(in_channels):
            for di in range(kh):
                py = y - di if reverse else y + di
                if py < 0 or py >= height:
                    continue
                for dj in range(kw):
                    px = x - dj if reverse else x + dj
                    if 0 <= px < width:
                        acc += (
                            weight[o * w0 + c * w1 + di * w2 + dj * w3]
                            * input[b * s0 + c * s1 + py * s2 + px * s3]
                        )
        out[b * out_strides[0] + o * out_strides[1] + y * out_strides[2] + x * out_strides[3]] = acc


tensor_conv2d = kernel(_tensor_conv2d)


def _check_conv(input: Tensor, weight: Tensor, dims: int, name: str) -> None:
    if input.dims != dims or weight.dims != dims:
        layout = "(batch, channels, width)" if dims == 3 else "(batch, channels, height, width)"
        raise ValueError(
            f"{name}: input must be {layout} and weight (out_channels, in_channels, kernel...), "
            f"got shapes {input.shape} and {weight.shape}"
        )
    if input.shape[1] != weight.shape[1]:
        raise ValueError(
            f"{name}: the input has {input.shape[1]} channels but the weight expects "
            f"{weight.shape[1]} (input {input.shape}, weight {weight.shape})"
        )
    for size, k in zip(input.shape[2:], weight.shape[2:]):
        if k > size:
            raise ValueError(
                f"{name}: kernel {weight.shape[2:]} is larger than the input {input.shape[2:]}"
            )


def _run(conv: Any, out: Tensor, input: Tensor, weight: Tensor, reverse: bool) -> Tensor:
    conv(*out.tuple(), out.size, *input.tuple(), *weight.tuple(), reverse)
    return out


def _no_second_order(name: str) -> None:
    if is_grad_enabled():
        raise NotImplementedError(
            f"{name}: gradients of gradients (backward(create_graph=True)) through "
            "convolutions are not supported yet"
        )


class Conv1dFun(Function):
    """1-d convolution with the course's same-size, one-sided zero padding."""

    @staticmethod
    def forward(ctx: Context, input: Tensor, weight: Tensor) -> Tensor:
        _check_conv(input, weight, 3, "conv1d")
        ctx.save_for_backward(input, weight)
        batch, _, width = input.shape
        out = input.zeros((batch, weight.shape[0], width))
        return _run(tensor_conv1d, out, input, weight, False)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        _no_second_order("conv1d")
        input, weight = ctx.saved_values
        out_ch, in_ch, kw = weight.shape
        grad_weight = grad_output.zeros((in_ch, out_ch, kw))
        _run(
            tensor_conv1d, grad_weight, input.permute(1, 0, 2), grad_output.permute(1, 0, 2), False
        )
        grad_input = input.zeros(input.shape)
        _run(tensor_conv1d, grad_input, grad_output, weight.permute(1, 0, 2), True)
        return grad_input.detach(), grad_weight.permute(1, 0, 2).detach()


def _windows(x: np.ndarray, kh: int, kw: int, reverse: bool) -> np.ndarray:
    """Every (kh, kw) window of ``x`` (batch, channels, h, w), zero-padded so there is one
    window per position: (batch, channels, h, w, kh, kw), a view, no copy.

    Forward windows start at the position (padding bottom/right); reversed ones end there
    (padding top/left), which with a flipped kernel reads ``x[y - i, x - j]``.
    """
    pad_h, pad_w = (kh - 1, 0), (kw - 1, 0)
    if not reverse:
        pad_h, pad_w = pad_h[::-1], pad_w[::-1]
    padded = np.pad(x, ((0, 0), (0, 0), pad_h, pad_w))
    return np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(2, 3))


def conv2d_numpy(x: np.ndarray, w: np.ndarray, reverse: bool = False) -> np.ndarray:
    r"""The same convolution as the numba kernel, as one matrix product per call (BLAS):
    ``out[b, o, y, x] = sum_{c,i,j} w[o, c, i, j] * in[b, c, y + i, x + j]`` (``y - i`` when
    ``reverse``)."""
    kh, kw = w.shape[2], w.shape[3]
    if reverse:
        w = w[:, :, ::-1, ::-1]
    windows = _windows(x, kh, kw, reverse)
    out: np.ndarray = np.einsum("bchwij,ocij->bohw", windows, w, optimize=True)
    return out


def conv2d_weight_grad_numpy(x: np.ndarray, grad: np.ndarray, kh: int, kw: int) -> np.ndarray:
    r"""Weight gradient of :func:`conv2d_numpy`:
    :math:`\sum_{b,y,x} g[b, o, y, x] \, in[b, c, y + i, x + j]` for each :math:`(o, c, i, j)`."""
    windows = _windows(x, kh, kw, False)
    out: np.ndarray = np.einsum("bohw,bchwij->ocij", grad, windows, optimize=True)
    return out


class Conv2dFun(Function):
    """2-d convolution with the course's same-size, one-sided zero padding.

    The forward and backward products run as BLAS matrix products over sliding
    windows of the input; ``tensor_conv2d`` is the same computation as a numba kernel.
    """

    @staticmethod
    def forward(ctx: Context, input: Tensor, weight: Tensor) -> Tensor:
        _check_conv(input, weight, 4, "conv2d")
        ctx.save_for_backward(input, weight)
        out = conv2d_numpy(input.to_numpy(), weight.to_numpy())
        return input._new(TensorData(out.ravel(), out.shape))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        _no_second_order("conv2d")
        input, weight = ctx.saved_values
        g, w = grad_output.to_numpy(), weight.to_numpy()
        grad_weight = conv2d_weight_grad_numpy(input.to_numpy(), g, w.shape[2], w.shape[3])
        grad_input = conv2d_numpy(g, w.transpose(1, 0, 2, 3), reverse=True)
        return (
            input._new(TensorData(grad_input.ravel(), grad_input.shape)),
            weight._new(TensorData(grad_weight.ravel(), grad_weight.shape)),
        )


conv1d = Conv1dFun.apply
conv2d = Conv2dFun.apply
