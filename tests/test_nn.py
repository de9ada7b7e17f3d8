"""Pooling, max/argmax, softmax/logsoftmax and dropout against PyTorch float64, grad_check,
and the errors for bad shapes."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import FastBackend, SimpleBackend, grad_check

BACKENDS = [SimpleBackend, FastBackend]


def image(rng: np.random.Generator, shape: tuple[int, ...], backend: minitorch.TensorBackend) -> minitorch.Tensor:
    return minitorch.tensor(rng.standard_normal(shape), backend=backend, requires_grad=True)


def torch_of(t: minitorch.Tensor) -> torch.Tensor:
    return torch.tensor(t.to_numpy(), requires_grad=True)


def close(ours: minitorch.Tensor, theirs: torch.Tensor) -> None:
    np.testing.assert_allclose(ours.to_numpy(), theirs.detach().numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS, ids=["simple", "fast"])
@pytest.mark.parametrize("kernel", [(2, 2), (1, 3), (3, 1), (2, 3)])
def test_avgpool2d(backend: minitorch.TensorBackend, kernel: tuple[int, int]) -> None:
    rng = np.random.default_rng(0)
    x = image(rng, (2, 3, 6, 6), backend)
    out = minitorch.avgpool2d(x, kernel)
    tx = torch_of(x)
    tout = torch.nn.functional.avg_pool2d(tx, kernel)
    close(out, tout)
    w = rng.standard_normal(out.shape)
    (out * minitorch.tensor(w, backend=backend)).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    close(x.grad, tx.grad)
    grad_check(lambda t: minitorch.avgpool2d(t, kernel), x.detach())


@pytest.mark.parametrize("backend", BACKENDS, ids=["simple", "fast"])
def test_maxpool2d(backend: minitorch.TensorBackend) -> None:
    rng = np.random.default_rng(1)
    x = image(rng, (2, 2, 4, 6), backend)  # continuous values: no ties
    out = minitorch.maxpool2d(x, (2, 3))
    tx = torch_of(x)
    tout = torch.nn.functional.max_pool2d(tx, (2, 3))
    close(out, tout)
    out.sum().backward()
    tout.sum().backward()
    close(x.grad, tx.grad)
    grad_check(lambda t: minitorch.maxpool2d(t, (2, 3)), x.detach())


def test_tile_layout() -> None:
    x = minitorch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    tiles, h, w = minitorch.tile(x, (2, 2))
    assert (h, w) == (2, 2) and tiles.shape == (1, 1, 2, 2, 4)
    assert tiles.to_numpy()[0, 0, 0, 1].tolist() == [2.0, 3.0, 6.0, 7.0]
    assert tiles.to_numpy()[0, 0, 1, 0].tolist() == [8.0, 9.0, 12.0, 13.0]


def test_pooling_equals_the_course_tile_construction() -> None:
    """avgpool2d / maxpool2d skip tile's copies; they must still be tile's mean / max."""
    rng = np.random.default_rng(4)
    x = image(rng, (2, 3, 6, 8), FastBackend)
    tiles, h, w = minitorch.tile(x, (3, 2))
    np.testing.assert_allclose(
        minitorch.avgpool2d(x, (3, 2)).to_numpy(), tiles.mean(4).view(2, 3, h, w).to_numpy()
    )
    np.testing.assert_array_equal(
        minitorch.maxpool2d(x, (3, 2)).to_numpy(),
        minitorch.max(tiles, 4).view(2, 3, h, w).to_numpy(),
    )


def test_avgpool2d_second_derivative_matches_torch() -> None:
    rng = np.random.default_rng(6)
    x = image(rng, (1, 2, 4, 4), FastBackend)
    ((minitorch.avgpool2d(x, (2, 2)) ** 3).sum()).backward(create_graph=True)
    g = x.grad
    assert g is not None
    x.zero_grad_()
    (g * g).sum().backward()
    tx = torch_of(x)
    (tg,) = torch.autograd.grad((torch.nn.functional.avg_pool2d(tx, 2) ** 3).sum(), tx, create_graph=True)
    (tgg,) = torch.autograd.grad((tg * tg).sum(), tx)
    close(g, tg)
    close(x.grad, tgg)


@given(st.data())
@settings(max_examples=25)
def test_max_and_argmax(data: st.DataObject) -> None:
    shape = (2, 3, 4)
    # distinct values (gaps of `scale`), so the maximum is unique and differentiable
    order = np.array(data.draw(st.permutations(range(24))), dtype=float)
    scale = data.draw(st.floats(0.01, 3.0))
    offset = data.draw(st.floats(-10, 10))
    vals = (order * scale + offset).reshape(shape)
    dim = data.draw(st.integers(0, 2))
    x = minitorch.tensor(vals, backend=FastBackend, requires_grad=True)
    out = minitorch.max(x, dim)
    tx = torch.tensor(vals, requires_grad=True)
    tout = tx.max(dim, keepdim=True).values
    close(out, tout)
    (out * out).sum().backward()
    (tout * tout).sum().backward()
    close(x.grad, tx.grad)
    onehot = minitorch.nn.argmax(x, dim).to_numpy()  # the course's one-hot argmax
    expected = np.zeros(shape)
    np.put_along_axis(expected, np.expand_dims(np.argmax(vals, axis=dim), dim), 1.0, axis=dim)
    np.testing.assert_array_equal(onehot, expected)
    indices = minitorch.argmax(x, dim).to_numpy()  # torch's: the indices
    np.testing.assert_array_equal(indices, torch.argmax(tx, dim).numpy())
    grad_check(lambda t: minitorch.max(t, dim), x.detach())


@pytest.mark.parametrize("dim", [0, 1, 2])
@pytest.mark.parametrize("fn,torch_fn", [(minitorch.softmax, torch.softmax), (minitorch.logsoftmax, torch.log_softmax)], ids=["softmax", "logsoftmax"])
def test_softmax_family(fn, torch_fn, dim: int) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(dim)
    x = image(rng, (2, 3, 4), FastBackend)
    out = fn(x, dim)
    tx = torch_of(x)
    tout = torch_fn(tx, dim)
    close(out, tout)
    w = rng.standard_normal(out.shape)
    (out * minitorch.tensor(w, backend=FastBackend)).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    close(x.grad, tx.grad)
    grad_check(lambda t: fn(t, dim), x.detach())


def test_softmax_properties_and_large_inputs() -> None:
    x = minitorch.tensor([[1e4, -1e4, 0.0], [5.0, 5.0, 5.0]], backend=FastBackend)
    s = minitorch.softmax(x, 1).to_numpy()
    assert np.all(np.isfinite(s)) and np.allclose(s.sum(1), 1.0)
    ls = minitorch.logsoftmax(x, 1).to_numpy()
    assert np.all(np.isfinite(ls))
    np.testing.assert_allclose(ls, torch.log_softmax(torch.tensor(x.to_numpy()), 1).numpy(), rtol=1e-12)
    np.testing.assert_allclose(np.exp(minitorch.logsoftmax(x, 0).to_numpy()), minitorch.softmax(x, 0).to_numpy(), rtol=1e-12)


def test_dropout() -> None:
    x = minitorch.tensor(np.ones((100, 100)), backend=FastBackend)
    assert minitorch.dropout(x, 0.0) is x
    assert minitorch.dropout(x, 0.7, ignore=True) is x
    assert minitorch.dropout(x, 1.0).to_numpy().max() == 0.0
    random.seed(0)
    half = minitorch.dropout(x, 0.5).to_numpy()
    kept = (half != 0).mean()
    assert abs(kept - 0.5) < 0.03  # 10,000 draws: 3 standard deviations is 0.015
    assert set(np.unique(half)) <= {0.0, 2.0}  # survivors scaled by 1 / (1 - rate)
    assert abs(half.mean() - 1.0) < 0.06
    with pytest.raises(ValueError, match=r"rate must be in \[0, 1\], got 1.5"):
        minitorch.dropout(x, 1.5)


def test_pooling_errors() -> None:
    x = minitorch.tensor(np.zeros((1, 1, 5, 4)))
    with pytest.raises(ValueError, match=r"kernel \(2, 2\) must divide the input's height and width, got 5 x 4"):
        minitorch.avgpool2d(x, (2, 2))
    with pytest.raises(ValueError, match=r"expected a \(batch, channel, height, width\) tensor, got shape \(5, 4\)"):
        minitorch.maxpool2d(minitorch.tensor(np.zeros((5, 4))), (1, 1))
