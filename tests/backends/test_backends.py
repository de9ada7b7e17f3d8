"""Every backend against the SimpleOps oracle: the course's catalogue of one- and two-argument
functions and the reductions, forward and backward, over hypothesis-drawn shapes with permuted
(non-contiguous) layouts and broadcasting.  Adding a backend is one entry in BACKENDS (the CUDA
one runs on numba's simulator, so it gets a subset of functions and fewer examples)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import FastBackend, MathTestVariable
from minitorch.cuda_ops import CudaBackend

from ..tensor_strategies import Case, away_from_kinks, broadcast_shapes, cases
from ..torch_oracle import same

Fn = Callable[..., Any]
one_arg, two_arg, _ = MathTestVariable._comp_testing()

BACKENDS: dict[str, minitorch.TensorBackend] = {"fast": FastBackend, "cuda": CudaBackend}
SIMULATED = {"cuda"}
SIMULATED_ONE = {"neg", "sig", "relu", "exp", "inv", "complex"}
SIMULATED_TWO = {"add2", "mul2", "lt2", "eq2"}
ONE = [(b, *f) for b in BACKENDS for f in one_arg if b not in SIMULATED or f[0] in SIMULATED_ONE]
TWO = [(b, *f) for b in BACKENDS for f in two_arg if b not in SIMULATED or f[0] in SIMULATED_TWO]


@pytest.mark.parametrize("backend,name,base_fn,fn", ONE, ids=[f"{t[0]}-{t[1]}" for t in ONE])
@given(data=st.data())
@settings(max_examples=15)
def test_one_arg(backend: str, name: str, base_fn: Fn, fn: Fn, data: st.DataObject) -> None:
    case = data.draw(cases())
    away_from_kinks(name, case.values())
    other = case.on(BACKENDS[backend])
    out, expected = fn(other.view), fn(case.view)
    same(out, expected)
    out.sum().backward()
    expected.sum().backward()
    same(other.leaf.grad, case.leaf.grad)


@pytest.mark.parametrize("backend,name,base_fn,fn", TWO, ids=[f"{t[0]}-{t[1]}" for t in TWO])
@given(data=st.data())
@settings(max_examples=15)
def test_two_arg_broadcast(
    backend: str, name: str, base_fn: Fn, fn: Fn, data: st.DataObject
) -> None:
    shape_a, shape_b = data.draw(broadcast_shapes())
    a, b = data.draw(cases(shape_a)), data.draw(cases(shape_b))
    away_from_kinks(name, a.values(), b.values())
    oa, ob = a.on(BACKENDS[backend]), b.on(BACKENDS[backend])
    out, expected = fn(oa.view, ob.view), fn(a.view, b.view)
    same(out, expected)
    if name in ("eq2", "gt2", "lt2") or backend in SIMULATED:
        return
    out.sum().backward()
    expected.sum().backward()
    same(oa.leaf.grad, a.leaf.grad)
    same(ob.leaf.grad, b.leaf.grad)


@pytest.mark.parametrize("backend", sorted(set(BACKENDS) - SIMULATED))
@given(case=cases(), data=st.data())
@settings(max_examples=15)
def test_reductions(backend: str, case: Case, data: st.DataObject) -> None:
    dim = data.draw(st.integers(0, case.view.dims - 1))
    other = case.on(BACKENDS[backend])
    same(other.view.sum(dim), case.view.sum(dim))
    same(other.view.mean(), case.view.mean())
    same(other.view.all(dim), case.view.all(dim))
    (other.view.sum(dim) * other.view.sum(dim)).sum().backward()
    (case.view.sum(dim) * case.view.sum(dim)).sum().backward()
    same(other.leaf.grad, case.leaf.grad)


@pytest.mark.parametrize("backend", sorted(SIMULATED))
@given(case=cases(), data=st.data())
@settings(max_examples=6)
def test_reductions_on_a_simulator(backend: str, case: Case, data: st.DataObject) -> None:
    """The same forward checks, fewer examples: a simulated block of threads is slow."""
    dim = data.draw(st.integers(0, case.view.dims - 1))
    other = case.on(BACKENDS[backend])
    same(other.view.sum(dim), case.view.sum(dim))
    same(other.view.all(dim), case.view.all(dim))
