"""conv1d / conv2d against PyTorch float64 (the course's same-size, right/bottom zero padding
is torch's convolution of the input padded on the right and bottom), grad_check, and errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import minitorch
from minitorch import FastBackend, SimpleBackend, grad_check

BACKENDS = [SimpleBackend, FastBackend]


def test_conv1d_simple() -> None:
    """The course's pinned example."""
    t = minitorch.tensor([0, 1, 2, 3]).view(1, 1, 4)
    t2 = minitorch.tensor([[1, 2, 3]]).view(1, 1, 3)
    out = minitorch.conv1d(t, t2)
    assert out.to_numpy().reshape(-1).tolist() == [8.0, 14.0, 8.0, 3.0]


@pytest.mark.parametrize("backend", BACKENDS, ids=["simple", "fast"])
@pytest.mark.parametrize("in_shape,w_shape", [((1, 1, 6), (1, 1, 4)), ((2, 2, 6), (3, 2, 2)), ((3, 4, 7), (2, 4, 3))])
def test_conv1d_against_torch(backend: minitorch.TensorBackend, in_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    x_np, w_np = rng.standard_normal(in_shape), rng.standard_normal(w_shape)
    x = minitorch.tensor(x_np, backend=backend, requires_grad=True)
    w = minitorch.tensor(w_np, backend=backend, requires_grad=True)
    out = minitorch.conv1d(x, w)
    tx, tw = torch.tensor(x_np, requires_grad=True), torch.tensor(w_np, requires_grad=True)
    tout = F.conv1d(F.pad(tx, (0, w_shape[2] - 1)), tw)
    np.testing.assert_allclose(out.to_numpy(), tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(out.shape)
    (out * minitorch.tensor(g, backend=backend)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(x.grad.to_numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(w.grad.to_numpy(), tw.grad.numpy(), rtol=1e-12, atol=1e-12)
    grad_check(minitorch.conv1d, x.detach(), w.detach())


@pytest.mark.parametrize("backend", BACKENDS, ids=["simple", "fast"])
@pytest.mark.parametrize(
    "in_shape,w_shape",
    [((1, 1, 6, 6), (1, 1, 2, 4)), ((2, 1, 6, 6), (1, 1, 2, 4)), ((2, 2, 6, 6), (3, 2, 2, 4)), ((1, 1, 4, 4), (1, 1, 2, 2))],
)
def test_conv2d_against_torch(backend: minitorch.TensorBackend, in_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    x_np, w_np = rng.standard_normal(in_shape), rng.standard_normal(w_shape)
    x = minitorch.tensor(x_np, backend=backend, requires_grad=True)
    w = minitorch.tensor(w_np, backend=backend, requires_grad=True)
    out = minitorch.conv2d(x, w)
    tx, tw = torch.tensor(x_np, requires_grad=True), torch.tensor(w_np, requires_grad=True)
    tout = F.conv2d(F.pad(tx, (0, w_shape[3] - 1, 0, w_shape[2] - 1)), tw)
    np.testing.assert_allclose(out.to_numpy(), tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(x.grad.to_numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(w.grad.to_numpy(), tw.grad.numpy(), rtol=1e-12, atol=1e-12)
    grad_check(minitorch.conv2d, x.detach(), w.detach())


def test_conv_on_permuted_input() -> None:
    rng = np.random.default_rng(2)
    x_np = rng.standard_normal((5, 2, 3))  # stored (width, channels, batch)
    w_np = rng.standard_normal((2, 2, 2))
    x = minitorch.tensor(x_np, backend=FastBackend).permute(2, 1, 0)
    out = minitorch.conv1d(x, minitorch.tensor(w_np, backend=FastBackend))
    expected = F.conv1d(F.pad(torch.tensor(x_np).permute(2, 1, 0), (0, 1)), torch.tensor(w_np))
    np.testing.assert_allclose(out.to_numpy(), expected.numpy(), rtol=1e-12)


def test_conv_errors() -> None:
    x = minitorch.tensor(np.zeros((1, 2, 6)))
    with pytest.raises(ValueError, match=r"input has 2 channels but the weight expects 3"):
        minitorch.conv1d(x, minitorch.tensor(np.zeros((1, 3, 2))))
    with pytest.raises(ValueError, match=r"kernel \(7,\) is larger than the input \(6,\)"):
        minitorch.conv1d(x, minitorch.tensor(np.zeros((1, 2, 7))))
    with pytest.raises(ValueError, match=r"conv2d: input must be \(batch, channels, height, width\)"):
        minitorch.conv2d(x, minitorch.tensor(np.zeros((1, 2, 2))))


def test_second_order_through_conv_is_refused() -> None:
    x = minitorch.tensor(np.ones((1, 1, 4)), requires_grad=True)
    w = minitorch.tensor(np.ones((1, 1, 2)), requires_grad=True)
    with pytest.raises(NotImplementedError, match="not supported yet"):
        minitorch.conv1d(x, w).sum().backward(create_graph=True)


@pytest.mark.parametrize("reverse", [False, True])
def test_numba_conv2d_kernel_matches_the_blas_path(reverse: bool) -> None:
    """The course's numba kernel and the sliding-window BLAS path compute the same thing."""
    from minitorch.fast_conv import conv2d_numpy, tensor_conv2d

    rng = np.random.default_rng(5)
    x_np, w_np = rng.standard_normal((2, 3, 5, 6)), rng.standard_normal((4, 3, 2, 3))
    x = minitorch.tensor(x_np, backend=FastBackend)
    w = minitorch.tensor(w_np, backend=FastBackend)
    out = minitorch.zeros((2, 4, 5, 6), backend=FastBackend)
    tensor_conv2d(*out.tuple(), out.size, *x.tuple(), *w.tuple(), reverse)
    np.testing.assert_allclose(out.to_numpy(), conv2d_numpy(x_np, w_np, reverse), rtol=1e-12, atol=1e-12)
