"""torch's functional namespace (minitorch.sum, minitorch.matmul, ...) and the matching Tensor
methods, against PyTorch float64: values, gradients, second derivatives, grad_check and
hypothesis-drawn shapes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import grad_check

from ..torch_oracle import Fn, matches_torch, second_derivatives_match

RNG = np.random.default_rng(7)
M = RNG.uniform(-2, 2, (3, 4))
POS = RNG.uniform(0.2, 3, (3, 4))
V = RNG.uniform(-2, 2, 4)

# (name, ours, theirs, inputs): elementwise and binary functions
ELEMENTWISE: list[tuple[str, Fn, Fn, list[Any]]] = [
    ("abs", minitorch.abs, torch.abs, [M]),
    ("exp", minitorch.exp, torch.exp, [M]),
    ("log", minitorch.log, torch.log, [POS]),
    ("sqrt", minitorch.sqrt, torch.sqrt, [POS]),
    ("sigmoid", minitorch.sigmoid, torch.sigmoid, [M]),
    ("relu", minitorch.relu, torch.relu, [M]),
    ("tanh", minitorch.tanh, torch.tanh, [M]),
    ("neg", minitorch.neg, torch.neg, [M]),
    ("sin", minitorch.sin, torch.sin, [M]),
    ("cos", minitorch.cos, torch.cos, [M]),
    ("floor", minitorch.floor, torch.floor, [M]),
    ("ceil", minitorch.ceil, torch.ceil, [M]),
    ("round", minitorch.round, torch.round, [M * 3]),
    ("clone", minitorch.clone, torch.clone, [M]),
    ("floor_divide", lambda a, b: a // b, lambda a, b: a // b, [M, POS]),
    ("remainder", lambda a, b: a % b, lambda a, b: a % b, [M * 3, POS]),
    ("rremainder", lambda a: 7.5 % a, lambda a: 7.5 % a, [POS]),
    ("square", minitorch.square, torch.square, [M]),
    ("clamp", lambda x: minitorch.clamp(x, -0.5, 0.7), lambda x: torch.clamp(x, -0.5, 0.7), [M]),
    ("clamp-min", lambda x: minitorch.clamp(x, min=0.1), lambda x: torch.clamp(x, min=0.1), [M]),
    ("clip-tensor", lambda x, lo: minitorch.clip(x, min=lo), lambda x, lo: torch.clip(x, min=lo),
     [M, V]),
    ("add-alpha", lambda a, b: minitorch.add(a, b, alpha=2.5),
     lambda a, b: torch.add(a, b, alpha=2.5), [M, V]),
    ("add-number", lambda a: minitorch.add(a, 2), lambda a: torch.add(a, 2), [M]),
    ("sub", lambda a, b: minitorch.sub(a, b, alpha=0.5), lambda a, b: torch.sub(a, b, alpha=0.5),
     [M, V]),
    ("mul", minitorch.mul, torch.mul, [M, V]),
    ("multiply", minitorch.multiply, torch.multiply, [M, M]),
    ("div", minitorch.div, torch.div, [M, POS]),
    ("rdiv", lambda a: 2.0 / a, lambda a: 2.0 / a, [POS]),
    ("pow-number", lambda a: minitorch.pow(a, 3), lambda a: torch.pow(a, 3), [M]),
    ("pow-fraction", lambda a: a**0.5, lambda a: a**0.5, [POS]),
    ("pow-tensor", lambda a, b: minitorch.pow(a, b), lambda a, b: torch.pow(a, b), [POS, M]),
    ("rpow", lambda a: 2.0**a, lambda a: 2.0**a, [M]),
    ("maximum", minitorch.maximum, torch.maximum, [M, V]),
    ("minimum", minitorch.minimum, torch.minimum, [M, V]),
    ("max-of-two", lambda a, b: minitorch.max(a, b), lambda a, b: torch.max(a, b), [M, M[::-1].copy()]),
    ("where", lambda a, b: minitorch.where(a > 0, a, b), lambda a, b: torch.where(a > 0, a, b),
     [M, V]),
    ("where-number", lambda a: minitorch.where(a > 0, a, 0.0),
     lambda a: torch.where(a > 0, a, 0.0), [M]),
]

REDUCTIONS: list[tuple[str, Fn, Fn, list[Any]]] = [
    ("sum", minitorch.sum, torch.sum, [M]),
    ("sum-dim", lambda x: minitorch.sum(x, 0), lambda x: torch.sum(x, 0), [M]),
    ("sum-dims-keepdim", lambda x: minitorch.sum(x, (0, 1), keepdim=True),
     lambda x: torch.sum(x, (0, 1), keepdim=True), [M]),
    ("mean", minitorch.mean, torch.mean, [M]),
    ("mean-dim", lambda x: minitorch.mean(x, 1), lambda x: torch.mean(x, 1), [M]),
    ("method-sum-keepdim-false", lambda x: x.sum(1, keepdim=False), lambda x: x.sum(1), [M]),
    ("prod", minitorch.prod, torch.prod, [M]),
    ("prod-dim", lambda x: minitorch.prod(x, 1), lambda x: torch.prod(x, 1), [M]),
    ("prod-with-a-zero", lambda x: x.prod(1), lambda x: x.prod(1),
     [[[1.5, 0.0, 2.0], [0.0, 0.0, 3.0], [1.0, 2.0, 3.0]]]),
    ("max", lambda x: x.max(), lambda x: x.max(), [M]),
    ("max-dim", lambda x: tuple(x.max(1)), lambda x: tuple(x.max(1)), [M]),
    ("min-dim-keepdim", lambda x: tuple(x.min(0, keepdim=True)),
     lambda x: tuple(x.min(0, keepdim=True)), [M]),
    ("amax", lambda x: minitorch.amax(x, 1), lambda x: torch.amax(x, 1), [M]),
    ("amax-ties", lambda x: minitorch.amax(x), lambda x: torch.amax(x), [[[2.0, 1.0], [2.0, 2.0]]]),
    ("amin", lambda x: minitorch.amin(x, (0, 1)), lambda x: torch.amin(x, (0, 1)), [M]),
    ("argmax", lambda x: minitorch.argmax(x), lambda x: torch.argmax(x), [M]),
    ("argmin-dim", lambda x: minitorch.argmin(x, 1), lambda x: torch.argmin(x, 1), [M]),
    ("var", minitorch.var, torch.var, [M]),
    ("var-dim-biased", lambda x: minitorch.var(x, 1, unbiased=False),
     lambda x: torch.var(x, 1, unbiased=False), [M]),
    ("std", lambda x: x.std(0), lambda x: x.std(0), [M]),
    ("norm", minitorch.norm, torch.norm, [M]),
    ("norm-p1-dim", lambda x: minitorch.norm(x, 1, dim=1), lambda x: torch.norm(x, 1, dim=1), [M]),
    ("norm-method-p3", lambda x: x.norm(3), lambda x: x.norm(3), [M]),
]

SHAPES: list[tuple[str, Fn, Fn, list[Any]]] = [
    ("transpose", lambda x: minitorch.transpose(x, 0, 1), lambda x: torch.transpose(x, 0, 1), [M]),
    ("t", lambda x: x.t(), lambda x: x.t(), [M]),
    ("flatten", minitorch.flatten, torch.flatten, [M]),
    ("reshape-minus-one", lambda x: minitorch.reshape(x, (2, -1)),
     lambda x: torch.reshape(x, (2, -1)), [M]),
    ("view-minus-one", lambda x: x.view(-1), lambda x: x.view(-1), [M]),
    ("squeeze", lambda x: minitorch.squeeze(x.view(1, 3, 1, 4)),
     lambda x: torch.squeeze(x.view(1, 3, 1, 4)), [M]),
    ("squeeze-dim", lambda x: x.view(1, 12).squeeze(0), lambda x: x.view(1, 12).squeeze(0), [M]),
    ("unsqueeze", lambda x: minitorch.unsqueeze(x, -1), lambda x: torch.unsqueeze(x, -1), [M]),
    ("expand", lambda v: v.expand(3, 4), lambda v: v.expand(3, 4), [V]),
    ("expand_as", lambda v, m: v.expand_as(m), lambda v, m: v.expand_as(m), [V, M]),
    ("permute-negative", lambda x: x.permute(-1, 0), lambda x: x.permute(-1, 0), [M]),
    ("cat", lambda a, b: minitorch.cat([a, b]), lambda a, b: torch.cat([a, b]), [M, M[:2]]),
    ("cat-dim1", lambda a, b: minitorch.cat((a, b), dim=1), lambda a, b: torch.cat((a, b), 1),
     [M, M[:, :1]]),
    ("stack", lambda a, b: minitorch.stack([a, b], 1), lambda a, b: torch.stack([a, b], 1), [M, M]),
    ("matmul-vv", minitorch.matmul, torch.matmul, [V, V]),
    ("matmul-mv", minitorch.matmul, torch.matmul, [M, V]),
    ("matmul-vm", minitorch.matmul, torch.matmul, [M[:, 0], M]),
    ("matmul-batched-v", minitorch.matmul, torch.matmul, [RNG.normal(size=(2, 3, 4)), V]),
    ("at-operator-1d", lambda a, b: a @ b, lambda a, b: a @ b, [V, M.T]),
    ("mm", minitorch.mm, torch.mm, [M, M.T]),
    ("dot", minitorch.dot, torch.dot, [V, V]),
    ("outer", minitorch.outer, torch.outer, [V, M[0]]),
    ("diag-vector", minitorch.diag, torch.diag, [V]),
    ("diag-matrix", minitorch.diag, torch.diag, [M]),
    ("trace", minitorch.trace, torch.trace, [M[:, :3]]),
]

CASES = ELEMENTWISE + REDUCTIONS + SHAPES


@pytest.mark.parametrize("name,ours,theirs,inputs", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("backend", ["fast", "simple"])
def test_matches_torch(name: str, ours: Fn, theirs: Fn, inputs: list[Any], backend: str) -> None:
    """Values and gradients equal torch's (float64), on both CPU backends."""
    b = minitorch.FastBackend if backend == "fast" else minitorch.SimpleBackend
    matches_torch(ours, theirs, *inputs, backend=b, grad=name not in NO_TORCH_GRADIENT)


NO_TORCH_GRADIENT = {"floor_divide", "rremainder"}  # torch 2.13 raises for these derivatives


DIFFERENTIABLE = [c for c in CASES if c[0] not in ("argmax", "argmin-dim", "max-dim", "floor",
                                                      "ceil", "round", "floor_divide", "remainder",
                                                      "min-dim-keepdim", "amax-ties", "expand_as",
                                                      "prod-with-a-zero", "where", "where-number")]


@pytest.mark.parametrize("name,ours,theirs,inputs", DIFFERENTIABLE,
                         ids=[c[0] for c in DIFFERENTIABLE])
def test_grad_check(name: str, ours: Fn, theirs: Fn, inputs: list[Any]) -> None:
    """Gradients agree with central differences."""
    grad_check(ours, *(minitorch.tensor(np.asarray(a, dtype=float)) for a in inputs))


SECOND = ["abs", "sqrt", "tanh", "sin", "cos", "div", "pow-tensor", "maximum", "clamp", "prod-dim", "var",
          "norm", "matmul-mv", "cat", "amax", "exp", "log", "sigmoid"]


@pytest.mark.parametrize("name", SECOND)
def test_second_derivatives(name: str) -> None:
    """Backward passes are tensor operations: gradients of gradients equal torch's (of the
    function squared, so that piecewise-linear ones have a second derivative too)."""
    _, ours, theirs, inputs = next(c for c in CASES if c[0] == name)
    second_derivatives_match(lambda *x: ours(*x) ** 2, lambda *x: theirs(*x) ** 2, *inputs)


def test_grad_check_catches_the_course_pattern_on_both_backends() -> None:
    """grad_check treats its inputs as fresh leaves, so inputs with history work (the
    course's test_two_grad_broadcast calls grad_check(f, t1.sum(0), t2))."""
    for backend in (minitorch.SimpleBackend, minitorch.FastBackend):
        t1 = minitorch.tensor(M, backend=backend, requires_grad=True)
        t2 = minitorch.tensor(V, backend=backend)
        grad_check(lambda a, b: a * b, t1.sum(0), t2)
        grad_check(lambda a, b: a + b, t1, t2.sum(0))
        assert t1.grad is None  # the caller's tensors are left alone


# -- property tests over drawn shapes -----------------------------------------------------------

shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@st.composite
def arrays(draw: st.DrawFn, lo: float = -5, hi: float = 5) -> np.ndarray:
    shape = draw(shapes)
    values = draw(st.lists(st.floats(lo, hi, allow_nan=False), min_size=math.prod(shape),
                           max_size=math.prod(shape)))
    return np.array(values).reshape(shape)


REDUCERS = {
    "sum": (minitorch.sum, torch.sum), "mean": (minitorch.mean, torch.mean),
    "amax": (minitorch.amax, torch.amax), "amin": (minitorch.amin, torch.amin),
    "prod": (minitorch.prod, torch.prod), "std": (minitorch.std, torch.std),
}


@given(a=arrays(), data=st.data())
@settings(max_examples=40)
def test_reductions_over_drawn_shapes(a: np.ndarray, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(REDUCERS)))
    dim = data.draw(st.integers(0, a.ndim - 1))
    keepdim = data.draw(st.booleans())
    ours, theirs = REDUCERS[name]
    if name in ("amax", "amin"):
        assume(len(np.unique(a)) == a.size)  # ties: a kink
    if name == "std":
        assume(a.shape[dim] > 1 and np.ptp(a, axis=dim).min() > 1e-3)
    if name == "prod":
        assume(np.all(np.abs(a) > 1e-3))
        matches_torch(lambda x: ours(x, dim, keepdim), lambda x: theirs(x, dim, keepdim), a, rtol=1e-7)
        return
    matches_torch(lambda x: ours(x, dim, keepdim=keepdim), lambda x: theirs(x, dim, keepdim=keepdim), a)


@given(a=arrays(), data=st.data())
@settings(max_examples=40)
def test_shape_functions_over_drawn_shapes(a: np.ndarray, data: st.DataObject) -> None:
    d0 = data.draw(st.integers(-a.ndim, a.ndim - 1))
    d1 = data.draw(st.integers(-a.ndim, a.ndim - 1))
    matches_torch(lambda x: x.transpose(d0, d1), lambda x: x.transpose(d0, d1), a)
    matches_torch(lambda x: x.unsqueeze(d0).squeeze(), lambda x: x.unsqueeze(d0).squeeze(), a)
    matches_torch(lambda x: minitorch.cat([x, x * 2.0], d0), lambda x: torch.cat([x, x * 2.0], d0), a)
    matches_torch(lambda x: minitorch.stack([x, -x], d0), lambda x: torch.stack([x, -x], d0), a)
    start, end = sorted((d0 % a.ndim, d1 % a.ndim))
    matches_torch(lambda x: x.flatten(start, end), lambda x: x.flatten(start, end), a)


@given(a=arrays(), data=st.data())
@settings(max_examples=40)
def test_elementwise_over_drawn_shapes(a: np.ndarray, data: st.DataObject) -> None:
    n = a.shape[-1]
    b = np.array(data.draw(st.lists(st.floats(0.5, 5), min_size=n, max_size=n)))
    assume(np.all(np.abs(np.abs(a) - b) > 1e-6))  # clear of maximum's / clamp's kinks
    assume(np.all(np.abs(a) > 1e-6))
    for ours, theirs in [
        (lambda x, y: x / y, lambda x, y: x / y),
        (lambda x, y: minitorch.maximum(x, y), torch.maximum),
        (lambda x, y: x.clamp(-y, y), lambda x, y: x.clamp(-y, y)),
        (lambda x, y: x.abs() ** y, lambda x, y: x.abs() ** y),
        (lambda x, y: (x * y).tanh(), lambda x, y: (x * y).tanh()),
    ]:
        matches_torch(ours, theirs, a, b, rtol=1e-8)


# -- IEEE answers and errors --------------------------------------------------------------------


def test_ieee_answers_as_torch() -> None:
    x = minitorch.tensor([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(minitorch.sqrt(x).to_numpy(), [np.nan, 0.0, 1.0])
    np.testing.assert_array_equal(minitorch.log(x).to_numpy(), [np.nan, -np.inf, 0.0])
    np.testing.assert_array_equal((x / 0.0).to_numpy(), [-np.inf, np.nan, np.inf])
    nan = minitorch.tensor([np.nan, 1.0])
    np.testing.assert_array_equal(minitorch.maximum(nan, minitorch.tensor([0.0, 2.0])).to_numpy(),
                                  [np.nan, 2.0])
    assert math.isnan(nan.max().item())
    assert minitorch.argmax(nan).item() == 0.0  # the NaN's position, as torch


def test_errors_name_the_problem() -> None:
    a = minitorch.ones(2, 3)
    with pytest.raises(IndexError, match=r"cat: tensor 1 has shape \(2, 2\)"):
        minitorch.cat([a, minitorch.ones(2, 2)])
    with pytest.raises(IndexError, match=r"stack: tensor 1 has shape \(3,\)"):
        minitorch.stack([minitorch.ones(2), minitorch.ones(3)])
    with pytest.raises(IndexError, match="dot: expected 1-d tensors"):
        minitorch.dot(a, a)
    with pytest.raises(IndexError, match="inner dimensions 3 and 2 differ"):
        minitorch.matmul(a, minitorch.ones(2))
    with pytest.raises(IndexError, match="dimension 2 is out of range for shape"):
        minitorch.sum(a, 2)
    with pytest.raises(ValueError, match="dimension repeated"):
        minitorch.sum(a, (0, 0))
    with pytest.raises(ValueError, match="clamp: give at least one of min and max"):
        minitorch.clamp(a)
    with pytest.raises(IndexError, match=r"shape \(4, -1\) is invalid for a tensor of 6"):
        a.view(4, -1)


def test_course_names_keep_their_meaning() -> None:
    """Where the course owns a name, its meaning stays (README: Coming from PyTorch)."""
    x = minitorch.tensor([[1.0, 5.0], [7.0, 2.0]])
    assert minitorch.max(x, 1).shape == (2, 1)  # the course's max keeps the dimension
    assert minitorch.max(x).item() == 7.0  # torch's max of everything
    assert x.max(1).values.shape == (2,)  # torch's (values, indices) from the method
    assert x.sum(1).shape == (2, 1) and minitorch.sum(x, 1).shape == (2,)
    assert x.sum().shape == (1,) and minitorch.sum(x).shape == ()
    assert minitorch.prod([2.0, 3.0]) == 6.0 and minitorch.prod(x).item() == 70.0
    np.testing.assert_array_equal(minitorch.nn.argmax(x, 1).to_numpy(), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(minitorch.argmax(x, 1).to_numpy(), [1, 0])
    # torch code that unpacks or picks from minitorch.max(x, dim) is told, not given rows
    with pytest.raises(TypeError, match=r"for torch's \(values, indices\) write x.max\(dim\)"):
        _, predicted = minitorch.max(x, 1)
    with pytest.raises(TypeError, match="gives the maxima only"):
        minitorch.max(x, 1)[1]
    assert minitorch.max(x, 1)[1, 0] == 7.0  # the course's full index still reads a value


def test_legacy_svd_and_random_integers() -> None:
    u, s, v = minitorch.svd(minitorch.tensor(M))
    np.testing.assert_allclose(u.to_numpy() @ np.diag(s.to_numpy()) @ v.to_numpy().T, M,
                               atol=1e-12)
    assert v.shape == torch.svd(torch.tensor(M)).V.shape
    minitorch.manual_seed(1)
    draws = minitorch.randint(3, 7, (1000,)).to_numpy()
    assert draws.min() == 3 and draws.max() == 6 and np.all(draws == np.round(draws))
    assert sorted(minitorch.randperm(5).tolist()) == [0, 1, 2, 3, 4]
    assert minitorch.randint(4, size=(2, 2)).shape == (2, 2)
    with pytest.raises(ValueError, match=r"high \(2\) must be greater than low \(5\)"):
        minitorch.randint(5, 2, (3,))
