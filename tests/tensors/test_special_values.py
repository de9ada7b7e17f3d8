"""NaN, infinities, signed zeros and empty tensors: every elementwise and reduce operation gives
torch's answer on the Simple, Fast and (simulated) CUDA backends."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch.cuda_ops import CudaBackend

from ..torch_oracle import same

exactly = functools.partial(same, rtol=1e-15, atol=0.0)
"""The same NaNs and infinities exactly; finite values to the last bits (the course's
two-branch sigmoid may round differently from torch's)."""

# numba's CUDA simulator runs the device functions on numpy scalars, which warn where the
# compiled kernels silently give IEEE's inf and NaN
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

BACKENDS = {"simple": minitorch.SimpleBackend, "fast": minitorch.FastBackend, "cuda": CudaBackend}
SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 1e300, -1e300, 1e-300, 2.5, -0.5]

UNARY = {
    "neg": (lambda x: -x, lambda x: -x),
    "exp": (lambda x: x.exp(), torch.exp),
    "log": (lambda x: x.log(), torch.log),
    "sigmoid": (lambda x: x.sigmoid(), torch.sigmoid),
    "relu": (lambda x: x.relu(), torch.relu),
    "abs": (lambda x: x.abs(), torch.abs),
    "sqrt": (lambda x: x.sqrt(), torch.sqrt),
    "tanh": (lambda x: x.tanh(), torch.tanh),
    "sin": (lambda x: x.sin(), torch.sin),
    "cos": (lambda x: x.cos(), torch.cos),
    "reciprocal": (lambda x: 1.0 / x, lambda x: 1.0 / x),
    "square": (lambda x: x**2, lambda x: x**2),
    "cube": (lambda x: x**3, lambda x: x**3),
    "root": (lambda x: x**0.5, lambda x: x**0.5),
    "two-to-the": (lambda x: 2.0**x, lambda x: 2.0**x),
    "inverse-power": (lambda x: x**-1.0, lambda x: x**-1.0),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "lt": (lambda a, b: a < b, lambda a, b: (a < b).double()),
    "eq": (lambda a, b: a == b, lambda a, b: (a == b).double()),
    "maximum": (minitorch.maximum, torch.maximum),
    "minimum": (minitorch.minimum, torch.minimum),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
}
REDUCE = {
    "sum": (lambda x, d: x.sum(d), lambda x, d: x.sum(d, keepdim=True)),
    "prod": (lambda x, d: x.prod(d, keepdim=True), lambda x, d: x.prod(d, keepdim=True)),
    "mean": (lambda x, d: x.mean(d), lambda x, d: x.mean(d, keepdim=True)),
    "amax": (lambda x, d: x.amax(d, keepdim=True), lambda x, d: x.amax(d, keepdim=True)),
    "amin": (lambda x, d: x.amin(d, keepdim=True), lambda x, d: x.amin(d, keepdim=True)),
    "course-max": (lambda x, d: minitorch.max(x, d), lambda x, d: x.amax(d, keepdim=True)),
}


def make(values: np.ndarray, backend: str) -> tuple[minitorch.Tensor, torch.Tensor]:
    return minitorch.tensor(values, backend=BACKENDS[backend]), torch.tensor(values)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_on_special_values(name: str, backend: str) -> None:
    ours, theirs = UNARY[name]
    x, t = make(np.array(SPECIAL), backend)
    with np.errstate(all="ignore"):
        exactly(ours(x), theirs(t))


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_on_every_pair_of_special_values(name: str, backend: str) -> None:
    ours, theirs = BINARY[name]
    a_np = np.repeat(SPECIAL, len(SPECIAL)).reshape(len(SPECIAL), len(SPECIAL))
    a, ta = make(a_np, backend)
    b, tb = make(np.array(SPECIAL), backend)  # broadcast along rows
    exactly(ours(a, b), theirs(ta, tb))


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("name", sorted(REDUCE))
def test_reductions_on_special_values(name: str, backend: str) -> None:
    ours, theirs = REDUCE[name]
    grid = np.array(SPECIAL).reshape(3, 4)
    x, t = make(grid, backend)
    for d in (0, 1):
        exactly(ours(x, d), theirs(t, d))


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_empty_tensors_as_numpy_and_torch(backend: str) -> None:
    """Size-0 dimensions broadcast to 0; sums are 0, products 1, means NaN; a maximum over
    nothing is an error (as torch)."""
    e, te = make(np.zeros((0, 3)), backend)
    row, trow = make(np.ones((1, 3)), backend)
    for ours, theirs in [(e + 1.0, te + 1.0), (e + row, te + trow), (-e, -te), (e.exp(), te.exp()),
                         (e.sum(0), te.sum(0, keepdim=True)), (e.sum(1), te.sum(1, keepdim=True)),
                         (e.prod(0), te.prod(0)), (minitorch.mean(e), te.mean()),
                         (minitorch.sum(e), te.sum())]:
        exactly(ours, theirs)
    with pytest.raises(IndexError, match="maximum of an empty dimension"):
        e.amax(0)


@given(st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=6), st.sampled_from(["simple", "fast"]))
@settings(max_examples=40)
def test_chains_of_operations_on_special_values(values: list[float], backend: str) -> None:
    x, t = make(np.array(values), backend)
    with np.errstate(all="ignore"):
        exactly((x.exp() * x - x.sigmoid()).relu().sum(0), (t.exp() * t - t.sigmoid()).relu().sum(0, keepdim=True))
        exactly(minitorch.maximum(x, 0.5 * x).log(), torch.maximum(t, 0.5 * t).log())
