"""Layers, losses and initialisers against PyTorch float64: shapes, parameter counts, outputs
with copied weights, loss values and gradients, initialiser statistics, and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import minitorch
from minitorch import FastBackend, nn


def t(a: np.ndarray, grad: bool = False) -> minitorch.Tensor:
    return minitorch.tensor(a, backend=FastBackend, requires_grad=grad)


def n_params(module: minitorch.Module) -> int:
    return sum(p.value.size for p in module.parameters())


def test_linear_matches_torch() -> None:
    ours = minitorch.Linear(5, 3)
    theirs = torch.nn.Linear(5, 3).double()
    assert ours.weight.value.shape == tuple(theirs.weight.shape)
    assert n_params(ours) == sum(p.numel() for p in theirs.parameters())
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.value.to_numpy()))
        theirs.bias.copy_(torch.tensor(ours.bias.value.to_numpy()))
    x = np.random.default_rng(0).standard_normal((4, 5))
    out = ours(t(x))
    np.testing.assert_allclose(out.to_numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12)
    out.sum().backward()
    theirs(torch.tensor(x)).sum().backward()
    np.testing.assert_allclose(ours.weight.value.grad.to_numpy(), theirs.weight.grad.numpy(), rtol=1e-12)
    bound = 1 / math.sqrt(5)
    assert np.all(np.abs(ours.weight.value.to_numpy()) <= bound)
    assert ours(t(x[0])).shape == (3,)
    assert repr(ours) == "Linear(in_features=5, out_features=3)"


@pytest.mark.parametrize("cls,torch_cls,args,x_shape", [
    (minitorch.Conv1d, torch.nn.Conv1d, (2, 4, 3), (2, 2, 7)),
    (minitorch.Conv2d, torch.nn.Conv2d, (3, 4, (2, 3)), (2, 3, 5, 6)),
])
def test_conv_layers(cls, torch_cls, args, x_shape) -> None:  # type: ignore[no-untyped-def]
    ours, theirs = cls(*args), torch_cls(*args).double()
    assert ours.weight.value.shape == tuple(theirs.weight.shape)
    assert n_params(ours) == sum(p.numel() for p in theirs.parameters())
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.value.to_numpy()))
        theirs.bias.copy_(torch.tensor(ours.bias.value.to_numpy()))
    x = np.random.default_rng(1).standard_normal(x_shape)
    k = ours.weight.value.shape[2:]
    pad = (0, k[0] - 1) if len(k) == 1 else (0, k[1] - 1, 0, k[0] - 1)
    expected = theirs(F.pad(torch.tensor(x), pad)).detach().numpy()
    np.testing.assert_allclose(ours(t(x)).to_numpy(), expected, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="expected a"):
        ours(t(np.zeros((2, 2))))


def test_pool_dropout_activations_flatten_sequential() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 4, 4))
    model = minitorch.Sequential(
        minitorch.Conv2d(3, 4, 3), nn.ReLU(), minitorch.MaxPool2d(2), minitorch.AvgPool2d((1, 2)),
        minitorch.Flatten(), minitorch.Dropout(0.5), minitorch.Linear(4 * 2 * 1, 5), nn.Sigmoid(),
        minitorch.Tanh(),
    )
    assert len(model) == 9 and isinstance(model[1], nn.ReLU)
    model.eval()
    a, b = model(t(x)).to_numpy(), model(t(x)).to_numpy()
    np.testing.assert_array_equal(a, b)  # dropout is the identity in eval()
    assert a.shape == (2, 5)
    np.testing.assert_allclose(minitorch.Tanh()(t(x)).to_numpy(), np.tanh(x), rtol=1e-12)
    names = [n for n, _ in model.named_parameters()]
    assert names[:2] == ["0.weight", "0.bias"] and "6.weight" in names
    model.train()
    assert model[5].training


LOSSES = [
    ("mse_loss", F.mse_loss, False),
    ("l1_loss", F.l1_loss, False),
    ("binary_cross_entropy", F.binary_cross_entropy, True),
]


@pytest.mark.parametrize("name,torch_fn,probabilities", LOSSES, ids=[n for n, _, _ in LOSSES])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_pointwise_losses(name: str, torch_fn, probabilities: bool, reduction: str) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    x = rng.uniform(0.05, 0.95, (4, 3)) if probabilities else rng.standard_normal((4, 3))
    y = rng.uniform(0, 1, (4, 3)) if probabilities else rng.standard_normal((4, 3))
    ours_x = t(x, grad=True)
    out = getattr(minitorch, name)(ours_x, t(y), reduction=reduction)
    tx = torch.tensor(x, requires_grad=True)
    tout = torch_fn(tx, torch.tensor(y), reduction=reduction)
    tol = 1e-10
    np.testing.assert_allclose(out.to_numpy().reshape(-1), tout.detach().numpy().reshape(-1), rtol=tol)
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(ours_x.grad.to_numpy(), tx.grad.numpy(), rtol=tol, atol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_and_nll(reduction: str) -> None:
    rng = np.random.default_rng(4)
    logits = rng.standard_normal((5, 4)) * 3
    target = [0, 3, 1, 1, 2]
    x = t(logits, grad=True)
    out = minitorch.cross_entropy(x, target, reduction=reduction)
    tx = torch.tensor(logits, requires_grad=True)
    tout = F.cross_entropy(tx, torch.tensor(target), reduction=reduction)
    np.testing.assert_allclose(out.to_numpy().reshape(-1), tout.detach().numpy().reshape(-1), rtol=1e-12)
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(x.grad.to_numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-14)
    lp = minitorch.logsoftmax(t(logits), 1)
    np.testing.assert_allclose(
        minitorch.nll_loss(lp, minitorch.tensor(target), reduction=reduction).to_numpy().reshape(-1),
        F.nll_loss(torch.log_softmax(torch.tensor(logits), 1), torch.tensor(target), reduction=reduction).numpy().reshape(-1),
        rtol=1e-12,
    )


def test_loss_errors() -> None:
    logits = t(np.zeros((3, 4)))
    with pytest.raises(IndexError, match=r"target classes \[4, -1\] are out of range for 4 classes"):
        minitorch.cross_entropy(logits, [0, 4, -1])
    with pytest.raises(ValueError, match="3 inputs but 2 targets"):
        minitorch.cross_entropy(logits, [0, 1])
    with pytest.raises(ValueError, match=r"input shape \(3, 4\) and target shape \(4,\) differ"):
        minitorch.mse_loss(logits, t(np.zeros(4)))
    with pytest.raises(ValueError, match="reduction must be"):
        minitorch.mse_loss(logits, logits, reduction="avg")


@pytest.mark.parametrize("fn,expected_std", [
    (nn.init.xavier_normal_, math.sqrt(2 / (300 + 200))),
    (nn.init.xavier_uniform_, math.sqrt(6 / (300 + 200)) / math.sqrt(3)),
    (nn.init.kaiming_normal_, math.sqrt(2) / math.sqrt(300)),
    (nn.init.kaiming_uniform_, math.sqrt(2) / math.sqrt(300)),
])
def test_initialisers(fn, expected_std: float) -> None:  # type: ignore[no-untyped-def]
    w = minitorch.zeros((200, 300), backend=FastBackend)
    minitorch.manual_seed(0)
    fn(w)
    vals = w.to_numpy()
    assert abs(vals.mean()) < 0.05 * expected_std + 3 * expected_std / math.sqrt(vals.size)
    assert abs(vals.std() / expected_std - 1) < 0.02
    minitorch.manual_seed(0)
    again = fn(minitorch.zeros((200, 300), backend=FastBackend))
    np.testing.assert_array_equal(again.to_numpy(), vals)
    assert nn.init.ones_(w).to_numpy().min() == 1.0 and nn.init.zeros_(w).to_numpy().max() == 0.0


def test_layer_of_artificial_neurons() -> None:
    """Seed 004's dense layer: 784 inputs -> 128 sigmoid neurons with Xavier-normal weights."""
    minitorch.manual_seed(42)
    layer = minitorch.Linear(784, 128)
    nn.init.xavier_normal_(layer.weight.value)
    nn.init.zeros_(layer.bias.value)
    x = minitorch.rand((1, 784), backend=FastBackend)
    a = layer(x).sigmoid()
    assert a.shape == (1, 128) and 0.0 < a.to_numpy().min() and a.to_numpy().max() < 1.0


def test_binary_cross_entropy_at_the_edges() -> None:
    p = t(np.array([0.0, 1.0, 0.5]))
    y = t(np.array([1.0, 0.0, 1.0]))
    ours = minitorch.binary_cross_entropy(p, y, reduction="none").to_numpy()
    theirs = F.binary_cross_entropy(torch.tensor([0.0, 1.0, 0.5], dtype=torch.float64),
                                    torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64), reduction="none")
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12)


def test_initialiser_errors() -> None:
    with pytest.raises(ValueError, match=r"at least 2 dimensions, got shape \(3,\)"):
        nn.init.xavier_uniform_(minitorch.zeros((3,)))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out', got 'fan'"):
        nn.init.kaiming_normal_(minitorch.zeros((3, 3)), mode="fan")
    with pytest.raises(ValueError, match="nonlinearity must be one of"):
        nn.init.kaiming_uniform_(minitorch.zeros((3, 3)), nonlinearity="gelu")
    with pytest.raises(ValueError, match=r"Dropout: p must be in \[0, 1\], got -0.1"):
        minitorch.Dropout(-0.1)
