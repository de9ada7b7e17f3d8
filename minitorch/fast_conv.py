r"""Convolutions (course Tasks 4.1-4.2).

The course's convention keeps the output the size of the input: the kernel is
anchored at the output position and reads zeros past the right (and bottom) edge.

.. math::
    \text{conv1d}: out[b, o, t] = \sum_c \sum_k w[o, c, k] \; in[b, c, t + k]

With ``reverse=True`` the kernel reads backwards, :math:`in[b, c, t - k]` (zeros
before the start): that is the transposed operation the backward pass needs.

``tensor_conv1d`` / ``tensor_conv2d`` are the course's numba kernels, one output value
per parallel iteration.  The Functions run the same sums as BLAS matrix products over
sliding windows of the input (``conv_numpy``), several times faster; tests check the
two agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numba import prange

from .autodiff import Context
from .fast_ops import kernel, to_index
from .replay import tape
from .tensor_data import MAX_DIMS, Index, Shape, Storage, Strides
from .tensor_functions import Function, numpy_result

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


def _windows(x: np.ndarray, kernel: tuple[int, ...], reverse: bool) -> np.ndarray:
    """Every ``kernel``-sized window of ``x`` (batch, channels, *spatial), zero-padded so
    there is one window per position: (batch, channels, *spatial, *kernel), a view.

    Forward windows start at the position (padding after the end); reversed ones end
    there (padding before the start), which with a flipped kernel reads ``x[t - k]``.
    """
    pads = [(0, k - 1) if not reverse else (k - 1, 0) for k in kernel]
    padded = np.pad(x, [(0, 0), (0, 0), *pads])
    axes = tuple(range(2, x.ndim))
    return np.lib.stride_tricks.sliding_window_view(padded, kernel, axis=axes)


def columns(
    x: np.ndarray, kernel: tuple[int, ...], reverse: bool, out: np.ndarray | None = None
) -> np.ndarray:
    r"""The windows of ``x`` as a matrix for one BLAS product (im2col): row :math:`(c, k)`,
    column :math:`(b, t)` holds :math:`in[b, c, t + k]` (``t - k`` reversed, with the kernel
    flipped).  Shape ``(channels * |kernel|, batch * |spatial|)``.

    The copy is laid out channel, kernel offset, batch, position, so it runs along rows of
    the image, the cheap order to copy in."""
    n = len(kernel)
    windows = _windows(x, kernel, reverse)  # (b, c, *S, *K)
    order = (1, *range(2 + n, 2 + 2 * n), 0, *range(2, 2 + n))  # (c, *K, b, *S)
    shape = [windows.shape[i] for i in order]
    cols = np.empty(shape) if out is None else out.reshape(shape)
    np.copyto(cols, windows.transpose(order))
    return cols.reshape(x.shape[1] * int(np.prod(kernel)), -1)


def conv_numpy(
    x: np.ndarray, w: np.ndarray, reverse: bool = False, cols: np.ndarray | None = None
) -> np.ndarray:
    r"""The convolution of the numba kernels as one BLAS product,
    ``out[b, o, t] = sum_{c,k} w[o, c, k] * in[b, c, t + k]`` (``t - k`` when ``reverse``),
    for 1 or 2 spatial axes; ``cols``: :func:`columns` of ``x``, if already made."""
    kernel = w.shape[2:]
    if cols is None:
        cols = columns(x, kernel, reverse)
    weights = (_flip(w) if reverse else w).reshape(w.shape[0], -1)
    out: np.ndarray = weights @ cols  # (o, b * |S|)
    out = out.astype(np.result_type(x, w), copy=False)  # (float32 in, float32 out)
    return out.reshape(w.shape[0], x.shape[0], *x.shape[2:]).swapaxes(0, 1)


def conv_weight_numpy(
    x: np.ndarray, grad: np.ndarray, kernel: tuple[int, ...], reverse: bool = False,
    cols: np.ndarray | None = None,
) -> np.ndarray:
    r"""Weight gradient of :func:`conv_numpy`:
    :math:`\sum_{b,t} g[b, o, t] \, in[b, c, t \pm k]` for each :math:`(o, c, k)`."""
    if cols is None:
        cols = columns(x, kernel, reverse)
    out_ch = grad.shape[1]
    g = np.ascontiguousarray(grad.swapaxes(0, 1)).reshape(out_ch, -1)  # (o, b * |S|)
    out = (g @ cols.T).reshape(out_ch, x.shape[1], *kernel).astype(np.result_type(x, grad))
    return _flip(out) if reverse else out


def _columns_of(input: Tensor, kernel: tuple[int, ...], reverse: bool) -> np.ndarray:
    """:func:`columns` of a tensor, made by a launch (a compiled step makes them afresh on
    every call, once for the convolution and its weight gradient)."""
    x = input._tensor.array_view()
    rows = x.shape[1] * int(np.prod(kernel))
    cols = tape.empty((rows, x.shape[0] * int(np.prod(x.shape[2:]))))
    tape.launch(_fill_columns, cols, x, tuple(kernel), reverse)
    return cols


def _fill_columns(
    out: np.ndarray, x: np.ndarray, kernel: tuple[int, ...], reverse: bool
) -> None:
    columns(x, kernel, reverse, out)


def _flip(w: np.ndarray) -> np.ndarray:
    """``w`` with its kernel axes (all after the first two) reversed."""
    return w[(slice(None), slice(None), *[slice(None, None, -1)] * (w.ndim - 2))]


def _swap_channels(weight: Tensor) -> Tensor:
    """(out_ch, in_ch, *kernel) -> (in_ch, out_ch, *kernel): the transposed convolution's weight."""
    return weight.permute(1, 0, *range(2, weight.dims))


class ConvFun(Function):
    r"""Convolution over 1 or 2 spatial axes, :math:`out = in \star w` (``reverse``: the
    kernel reads backwards, the transposed operation).

    The backward pass is two more convolutions, written as Functions, so gradients of
    gradients work (``backward(create_graph=True)``):

    .. math::
        \frac{\partial L}{\partial in} = g \star_{\text{reversed}} w^\top, \qquad
        \frac{\partial L}{\partial w}[o, c, k] = \sum_{b,t} g[b, o, t] \, in[b, c, t + k].
    """

    dims: ClassVar[int] = 0
    name: ClassVar[str] = "conv"

    @classmethod
    def forward(
        cls, ctx: Context, input: Tensor, weight: Tensor, reverse: bool = False
    ) -> Tensor:
        if cls.dims:
            _check_conv(input, weight, cls.dims, cls.name)
        cols = _columns_of(input, weight.shape[2:], reverse)
        ctx.save_for_backward(input, weight, reverse, cols)
        return numpy_result(input, conv_numpy, input, weight, reverse, cols)

    @classmethod
    def backward(
        cls, ctx: Context, grad_output: Tensor
    ) -> tuple[Tensor | float, Tensor | float]:
        input, weight, reverse, cols = ctx.saved_values
        grad_input: Tensor | float = 0.0  # skipped for an input that needs none (images)
        if ctx.needs_grad(0):
            grad_input = ConvFun.apply(grad_output, _swap_channels(weight), reverse=not reverse)
        grad_weight: Tensor | float = 0.0
        if ctx.needs_grad(1):
            grad_weight = ConvWeightFun.apply(
                input, grad_output, kernel=weight.shape[2:], reverse=reverse, cols=cols
            )
        return grad_input, grad_weight


class ConvWeightFun(Function):
    r"""The weight gradient of :class:`ConvFun` as a Function of ``(input, grad)``:
    :math:`W[o, c, k] = \sum_{b,t} g[b, o, t] \, in[b, c, t \pm k]`. It is linear in
    each argument; its derivatives are convolutions again:
    :math:`\partial L/\partial g = in \star G` and
    :math:`\partial L/\partial in = g \star_{\text{reversed}} G^\top`.
    """

    @staticmethod
    def forward(
        ctx: Context, input: Tensor, grad: Tensor, kernel: tuple[int, ...], reverse: bool,
        cols: np.ndarray | None = None,
    ) -> Tensor:
        ctx.save_for_backward(input, grad, reverse)
        if cols is None:
            cols = _columns_of(input, tuple(kernel), reverse)
        return numpy_result(input, conv_weight_numpy, input, grad, tuple(kernel), reverse, cols)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        input, grad, reverse = ctx.saved_values
        grad_input = ConvFun.apply(grad, _swap_channels(grad_output), reverse=not reverse)
        grad_grad = ConvFun.apply(input, grad_output, reverse=reverse)
        return grad_input, grad_grad


class Conv1dFun(ConvFun):
    """1-d convolution, input (batch, in_ch, width), weight (out_ch, in_ch, kw), with the
    course's same-size, one-sided zero padding. ``tensor_conv1d`` is the numba kernel."""

    dims = 3
    name = "conv1d"


class Conv2dFun(ConvFun):
    """2-d convolution, input (batch, in_ch, h, w), weight (out_ch, in_ch, kh, kw), with the
    course's same-size, one-sided zero padding (bottom/right). ``tensor_conv2d`` is the
    numba kernel of the same computation."""

    dims = 4
    name = "conv2d"


def conv1d(input: Tensor, weight: Tensor) -> Tensor:
    """1-d convolution (see :class:`Conv1dFun`): (batch, in_ch, w) -> (batch, out_ch, w)."""
    return Conv1dFun.apply(input, weight)


def conv2d(input: Tensor, weight: Tensor) -> Tensor:
    """2-d convolution (see :class:`Conv2dFun`): (batch, in_ch, h, w) -> (batch, out_ch, h, w)."""
    return Conv2dFun.apply(input, weight)
