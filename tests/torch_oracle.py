"""Comparing results: :func:`same` (one result with another: a minitorch tensor with a torch
tensor, a numpy array or another backend's tensor), and :func:`matches_torch` (one function
run on minitorch and on PyTorch float64: values and gradients)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

import minitorch

Fn = Callable[..., Any]


def as_array(value: Any) -> np.ndarray:
    """A minitorch tensor, a torch tensor or array-like data as a float64 numpy array."""
    if isinstance(value, minitorch.Tensor):
        return value.to_numpy()
    if isinstance(value, torch.Tensor):
        return value.detach().double().numpy()
    return np.asarray(value, dtype=np.float64)


def same(ours: Any, theirs: Any, rtol: float = 1e-12, atol: float = 1e-12) -> None:
    """The same shape and the same values (NaN where the other has NaN, infinities exactly)."""
    got, want = as_array(ours), as_array(theirs)
    assert got.shape == want.shape, f"shape {got.shape} != {want.shape}"
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)


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


def matches_torch(
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
        same(g, w, rtol, atol)
    if grad:
        rng = np.random.default_rng(0)
        weights = [rng.uniform(0.5, 1.5, np.shape(w)) for w in want]
        loss = _weighted_sum(out, weights, lambda w: minitorch.tensor(w, backend=xs[0].backend))
        tloss = _weighted_sum(tout, weights, torch.tensor)
        if loss is not None:
            loss.backward()
            tloss.backward()
            for x, t in zip(xs, ts):
                expected = np.zeros(t.shape) if t.grad is None else t.grad
                actual = np.zeros(x.shape) if x.grad is None else x.grad
                same(actual, expected, rtol * 100, atol * 100)
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
        same(g, t, rtol=1e-7, atol=1e-9)
