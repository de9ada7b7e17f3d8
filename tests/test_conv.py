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


@pytest.mark.parametrize(
    ("name", "in_shape", "w_shape"),
    [("conv1d", (2, 3, 7), (4, 3, 3)), ("conv2d", (2, 2, 5, 6), (3, 2, 2, 3))],
)
def test_second_order_through_conv_matches_torch(
    name: str, in_shape: tuple[int, ...], w_shape: tuple[int, ...]
) -> None:
    """Differentiate the gradient norm of a conv loss (a double backward) and compare."""
    rng = np.random.default_rng(11)
    x_np, w_np = rng.standard_normal(in_shape), rng.standard_normal(w_shape)
    x = minitorch.tensor(x_np, requires_grad=True, backend=FastBackend)
    w = minitorch.tensor(w_np, requires_grad=True, backend=FastBackend)
    (getattr(minitorch, name)(x, w) ** 2).sum().backward(create_graph=True)
    gx, gw = x.grad, w.grad
    assert gx is not None and gw is not None
    x.zero_grad_()
    w.zero_grad_()
    ((gx * gx).sum() + (gw * gw * gw).sum()).backward()

    tx = torch.tensor(x_np, requires_grad=True)
    tw = torch.tensor(w_np, requires_grad=True)
    pad = [0, w_shape[-1] - 1] if name == "conv1d" else [0, w_shape[3] - 1, 0, w_shape[2] - 1]
    tout = getattr(F, name)(F.pad(tx, pad), tw)
    tgx, tgw = torch.autograd.grad((tout**2).sum(), (tx, tw), create_graph=True)
    np.testing.assert_allclose(gx.to_numpy(), tgx.detach().numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(gw.to_numpy(), tgw.detach().numpy(), rtol=1e-9, atol=1e-9)
    ttx, ttw = torch.autograd.grad((tgx * tgx).sum() + (tgw**3).sum(), (tx, tw))
    assert x.grad is not None and w.grad is not None
    np.testing.assert_allclose(x.grad.to_numpy(), ttx.numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(w.grad.to_numpy(), ttw.numpy(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("reverse", [False, True])
def test_numba_conv_kernels_match_the_blas_path(reverse: bool) -> None:
    """The course's numba kernels and the sliding-window BLAS path compute the same thing."""
    from minitorch.fast_conv import conv_numpy, tensor_conv1d, tensor_conv2d

    rng = np.random.default_rng(5)
    for kernel, x_shape, w_shape in [
        (tensor_conv1d, (2, 3, 7), (4, 3, 3)),
        (tensor_conv2d, (2, 3, 5, 6), (4, 3, 2, 3)),
    ]:
        x_np, w_np = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
        x = minitorch.tensor(x_np, backend=FastBackend)
        w = minitorch.tensor(w_np, backend=FastBackend)
        out = minitorch.zeros((x_shape[0], w_shape[0], *x_shape[2:]), backend=FastBackend)
        kernel(*out.tuple(), out.size, *x.tuple(), *w.tuple(), reverse)
        expected = conv_numpy(x_np, w_np, reverse)
        np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-12, atol=1e-12)
