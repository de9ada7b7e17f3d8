"""Run one function on minitorch and on PyTorch (float64) and compare values and gradients."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

import minitorch

Fn = Callable[..., Any]


def _values(out: Any) -> list[np.ndarray]:
    """The numeric results of a function: one tensor, or a tuple of them."""
    outs = out if isinstance(out, tuple) else (out,)
    return [o.to_numpy() if isinstance(o, minitorch.Tensor) else o.detach().numpy() for o in outs]


def _weighted_sum(out: Any, weights: list[np.ndarray], make: Fn) -> Any:
    """sum_k <w_k, out_k> (only over outputs that carry gradients)."""
    outs = out if isinstance(out, tuple) else (out,)
    total = None
    for o, w in zip(outs, weights):
        if o.requires_grad:
            term = (o * make(w)).sum()
            total = term if total is None else total + term
    return total


def same(
    ours: Fn, theirs: Fn, *arrays: Sequence[Any], grad: bool = True, rtol: float = 1e-9,
    atol: float = 1e-9, backend: minitorch.TensorBackend | None = None,
) -> list[minitorch.Tensor]:
    """``ours`` on minitorch tensors and ``theirs`` on torch tensors of the same values give
    the same results and (with ``grad``) the same gradients of a random weighting of them.
    Returns the minitorch inputs (with their gradients)."""
    xs = [minitorch.tensor(np.asarray(a, dtype=float), backend=backend, requires_grad=grad)
          for a in arrays]
    ts = [torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64, requires_grad=grad)
          for a in arrays]
    out, tout = ours(*xs), theirs(*ts)
    got, want = _values(out), _values(tout)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape, f"shape {g.shape} != torch's {w.shape}"
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    if grad:
        rng = np.random.default_rng(0)
        weights = [rng.uniform(0.5, 1.5, np.shape(w)) for w in want]
        loss = _weighted_sum(out, weights, lambda w: minitorch.tensor(w, backend=xs[0].backend))
        tloss = _weighted_sum(tout, weights, torch.tensor)
        if loss is not None:
            loss.backward()
            tloss.backward()
            for x, t in zip(xs, ts):
                expected = np.zeros(t.shape) if t.grad is None else t.grad.numpy()
                actual = np.zeros(x.shape) if x.grad is None else x.grad.to_numpy()
                np.testing.assert_allclose(actual, expected, rtol=rtol * 100, atol=atol * 100)
    return xs


def second_derivatives_match(ours: Fn, theirs: Fn, *arrays: Sequence[Any]) -> None:
    """The gradient of (the sum of the gradients) equals torch's: second derivatives."""
    xs = [minitorch.tensor(np.asarray(a, dtype=float), requires_grad=True) for a in arrays]
    ts = [torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64, requires_grad=True)
          for a in arrays]
    grads = minitorch.autograd.grad(ours(*xs).sum(), xs, create_graph=True)
    tgrads = torch.autograd.grad(theirs(*ts).sum(), ts, create_graph=True)
    total = grads[0].sum()
    for g in grads[1:]:
        total = total + g.sum()
    ttotal = sum(g.sum() for g in tgrads)
    second = minitorch.autograd.grad(total, xs, allow_unused=True)
    tsecond = torch.autograd.grad(ttotal, ts, allow_unused=True, materialize_grads=True)
    for g, t in zip(second, tsecond):
        expected = t.detach().numpy()
        np.testing.assert_allclose(g.to_numpy(), expected, rtol=1e-7, atol=1e-9)
