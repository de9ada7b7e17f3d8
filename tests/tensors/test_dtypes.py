"""dtypes: storage, torch's promotion rules, conversions and gradients, with PyTorch as the
oracle (its default dtype set to float64, minitorch's default, where a rule involves it)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.cuda_ops import CudaBackend

BACKENDS = {"simple": minitorch.SimpleBackend, "fast": minitorch.FastBackend, "cuda": CudaBackend}
NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
PAIRS = list(itertools.product(NAMES, NAMES))


@pytest.fixture(autouse=True)
def torch_default_float64() -> Iterator[None]:
    """torch's rules with minitorch's default float type (float64)."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def ours(name: str) -> minitorch.dtype:
    return getattr(minitorch, name)


def theirs(name: str) -> torch.dtype:
    return getattr(torch, name)


def values_for(name: str, n: int = 6, seed: int = 0) -> np.ndarray:
    """Values every dtype holds: small integers (no zero, for division), or bools."""
    rng = np.random.default_rng(seed)
    if name == "bool":
        return rng.integers(0, 2, n).astype(bool)
    low = 1 if name == "uint8" else -5
    picked = rng.integers(low, 6, n)
    return np.where(picked == 0, 3, picked).astype(np.dtype(name))


def pair(a: str, b: str, backend: minitorch.TensorBackend) -> tuple:
    x, y = values_for(a), values_for(b, seed=1)
    return (
        minitorch.tensor(x, backend, dtype=ours(a)), minitorch.tensor(y, backend, dtype=ours(b)),
        torch.tensor(x, dtype=theirs(a)), torch.tensor(y, dtype=theirs(b)),
    )


def same_tensor(got: minitorch.Tensor, want: torch.Tensor, exact: bool = True) -> None:
    assert got.dtype.name == str(want.dtype).removeprefix("torch."), (got.dtype, want.dtype)
    assert got.shape == tuple(want.shape)
    if exact:
        np.testing.assert_array_equal(got.to_numpy(), want.detach().numpy())
    else:
        np.testing.assert_allclose(got.to_numpy(), want.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("a,b", PAIRS)
def test_promotion_is_torchs(a: str, b: str) -> None:
    assert minitorch.ops.dtypes.promote(ours(a), ours(b)).name == str(
        torch.promote_types(theirs(a), theirs(b))
    ).removeprefix("torch.")


BINARY = {
    "add": lambda x, y: x + y, "mul": lambda x, y: x * y, "truediv": lambda x, y: x / y,
    "lt": lambda x, y: x < y, "eq": lambda x, y: x == y, "ne": lambda x, y: x != y,
    "ge": lambda x, y: x >= y, "maximum": lambda x, y: x.maximum(y),
}


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("a,b", [p for p in PAIRS if "float16" not in p])
def test_binary_operations_follow_torch(op: str, a: str, b: str) -> None:
    x, y, tx, ty = pair(a, b, minitorch.FastBackend)
    fn = BINARY[op]
    if op == "truediv" or "float" in a + b:
        same_tensor(fn(x, y), fn(tx, ty), exact=op != "truediv")
    else:
        same_tensor(fn(x, y), fn(tx, ty))


@pytest.mark.parametrize("name", ["simple", "fast", "cuda"])
@pytest.mark.parametrize("a,b", [("int64", "int64"), ("int32", "float32"), ("bool", "int64"),
                                 ("bool", "bool"), ("float32", "float64"), ("uint8", "int8")])
def test_every_backend_gives_the_same_dtypes_and_values(name: str, a: str, b: str) -> None:
    x, y, tx, ty = pair(a, b, BACKENDS[name])
    same_tensor(x * y, tx * ty)
    same_tensor(x < y, tx < ty)
    same_tensor(x.sum(0), tx.sum(0, keepdim=True))
    if "bool" not in a + b:  # torch's matmul wants one dtype; minitorch's promotes (see guide)
        common = torch.promote_types(tx.dtype, ty.dtype)
        same_tensor(x @ y.view(6, 1), tx.to(common) @ ty.to(common).view(6, 1))


def test_integer_division_and_remainder_of_negatives_are_torchs() -> None:
    a = [-7, -6, -1, 0, 1, 6, 7]
    for b in (3, -3, 2):
        x, t = minitorch.tensor(a, dtype=minitorch.int64), torch.tensor(a)
        same_tensor(x // b, t // b)
        same_tensor(x % b, t % b)
        same_tensor(x / b, t / b)


def test_integers_are_exact_over_the_whole_range() -> None:
    big = [2**62 + 1, -(2**63), 2**63 - 1]
    x = minitorch.tensor(big, dtype=minitorch.int64)
    assert x.tolist() == big and x[0] == 2**62 + 1
    assert (x[0:1] + 2).item() == 2**62 + 3
    assert minitorch.arange(2**53, 2**53 + 4).tolist() == [2**53 + i for i in range(4)]
    assert minitorch.from_numpy(np.array([2**60 + 1])).item() == 2**60 + 1
    with pytest.raises(OverflowError, match="does not fit"):
        minitorch.tensor([2**64], dtype=minitorch.int64)


def test_numbers_beside_tensors_keep_the_tensors_category() -> None:
    i = minitorch.tensor([1, 2], dtype=minitorch.int32)
    f = minitorch.tensor([1, 2], dtype=minitorch.float32)
    b = minitorch.tensor([True, False], dtype=minitorch.bool)
    ti, tf, tb = torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1.0, 2.0],
                                                                        dtype=torch.float32), \
        torch.tensor([True, False])
    for number in (2, 2.5, True):
        same_tensor(i * number, ti * number)
        same_tensor(f * number, tf * number)
        same_tensor(b + number, tb + number)
    # a 0-d tensor raises the type only by its category, as a number does
    same_tensor(f * minitorch.tensor(2.0), tf * torch.tensor(2.0))
    same_tensor(i + minitorch.tensor(2.5), ti + torch.tensor(2.5))


def test_results_that_are_integers() -> None:
    x = minitorch.tensor([[1.0, 5.0], [7.0, 2.0]])
    assert x.argmax().dtype is minitorch.int64 and x.argmax(1).tolist() == [1, 0]
    assert (x > 2).sum().dtype is minitorch.int64 and (x > 2).sum().item() == 2
    assert minitorch.randint(0, 5, (3,)).dtype is minitorch.int64
    assert minitorch.randperm(4).dtype is minitorch.int64
    assert minitorch.arange(3).dtype is minitorch.int64
    assert minitorch.arange(3.0).dtype is minitorch.float64
    assert minitorch.tensor([1, 2, 3]).dtype is minitorch.float64  # the course's (see the guide)
    assert minitorch.full((2,), 7).dtype is minitorch.int64
    assert minitorch.zeros_like(minitorch.arange(3)).dtype is minitorch.int64


def test_writing_into_integer_tensors_truncates_and_refuses_nan() -> None:
    z = minitorch.zeros(3, dtype=minitorch.int64)
    z[0] = 2.7
    z[1:] = minitorch.tensor([-1.9, 3.2])
    assert z.tolist() == [2, -1, 3]
    assert z.fill_(2.5).tolist() == [2, 2, 2]
    with pytest.raises(ValueError, match="cannot convert nan to minitorch.int64"):
        z[0] = float("nan")
    with pytest.raises(ValueError, match="cannot convert"):
        minitorch.tensor([float("inf")]).long()


def test_conversions() -> None:
    x = minitorch.tensor([1.7, -1.7, 0.0])
    t = torch.tensor([1.7, -1.7, 0.0])
    for name in ("float", "double", "half", "long", "int", "bool"):
        same_tensor(getattr(x, name)(), getattr(t, name)())
    same_tensor(x.to(minitorch.int16), t.to(torch.int16))
    assert x.double() is x and x.type_as(minitorch.arange(2)).dtype is minitorch.int64
    assert x.is_floating_point() and not x.long().is_floating_point()
    assert x.float().element_size() == 4
    with pytest.raises(TypeError, match="bfloat16"):
        x.to(minitorch.bfloat16)


def test_only_floating_tensors_require_gradients() -> None:
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype"):
        minitorch.tensor([1, 2], dtype=minitorch.int64, requires_grad=True)
    with pytest.raises(RuntimeError, match="minitorch.bool"):
        (minitorch.tensor([1.0]) > 0).requires_grad_()


def test_gradients_have_the_dtype_of_their_tensor() -> None:
    w32 = minitorch.tensor([1.5, -2.0], dtype=minitorch.float32, requires_grad=True)
    w64 = minitorch.tensor([0.25, 3.0], requires_grad=True)
    t32 = torch.tensor([1.5, -2.0], dtype=torch.float32, requires_grad=True)
    t64 = torch.tensor([0.25, 3.0], requires_grad=True)
    out, tout = (w32 * w64).exp().sum(), (t32 * t64).exp().sum()
    same_tensor(out.view(()), tout, exact=False)
    out.backward()
    tout.backward()
    same_tensor(w32.grad, t32.grad, exact=False)
    same_tensor(w64.grad, t64.grad, exact=False)
    # a conversion between float types passes the gradient back
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    (x.float() * 3.0).sum().backward()
    assert x.grad.dtype is minitorch.float64 and x.grad.tolist() == [3.0, 3.0]


@given(st.lists(st.floats(-1e6, 1e6, width=32), min_size=1, max_size=8),
       st.lists(st.floats(0.5, 1e3, width=32), min_size=1, max_size=8))
def test_float32_arithmetic_is_torchs_bit_for_bit(a: list[float], b: list[float]) -> None:
    n = min(len(a), len(b))
    x, y = minitorch.tensor(a[:n], dtype=minitorch.float32), minitorch.tensor(
        b[:n], dtype=minitorch.float32)
    tx, ty = torch.tensor(a[:n], dtype=torch.float32), torch.tensor(b[:n], dtype=torch.float32)
    for fn in (lambda p, q: p + q, lambda p, q: p - q, lambda p, q: p * q, lambda p, q: p / q):
        same_tensor(fn(x, y), fn(tx, ty))
    # functions are correctly rounded here, torch's vectorised ones to within a unit in the
    # last place (its float32 sqrt(999) is one below the nearest float32)
    np.testing.assert_allclose(y.sqrt().to_numpy(), ty.sqrt().numpy(), rtol=2**-23)


@given(st.sampled_from(NAMES[:6]), st.sampled_from(NAMES[:6]),
       st.lists(st.integers(-100, 100), min_size=1, max_size=6))
def test_integer_arithmetic_wraps_as_torchs(a: str, b: str, values: list[int]) -> None:
    x, y = np.array(values), np.array(values[::-1])
    if a == "uint8" or b == "uint8":
        x, y = np.abs(x), np.abs(y)
    mx, my = minitorch.tensor(x, dtype=ours(a)), minitorch.tensor(y, dtype=ours(b))
    tx, ty = torch.tensor(x).to(theirs(a)), torch.tensor(y).to(theirs(b))
    for fn in (lambda p, q: p * q, lambda p, q: p + q, lambda p, q: p < q):
        if "bool" in (a, b) and fn(tx, ty).dtype == torch.bool and a != b:
            continue
        same_tensor(fn(mx, my), fn(tx, ty))


def test_bool_arithmetic_and_its_refusals() -> None:
    a = minitorch.tensor([True, True, False], dtype=minitorch.bool)
    b = minitorch.tensor([True, False, False], dtype=minitorch.bool)
    ta, tb = torch.tensor([True, True, False]), torch.tensor([True, False, False])
    for fn in (lambda p, q: p + q, lambda p, q: p * q, lambda p, q: p & q, lambda p, q: p | q,
               lambda p, q: p ^ q, lambda p, q: ~p):
        same_tensor(fn(a, b), fn(ta, tb))
    with pytest.raises(TypeError, match="subtraction"):
        _ = a - b
    with pytest.raises(TypeError, match="negation"):
        _ = -a


def test_printing_as_torch() -> None:
    assert repr(minitorch.arange(3)) == "tensor([0, 1, 2])"
    assert repr(minitorch.tensor([1.0, -2.0]) > 0) == "tensor([ True, False])"
    assert repr(minitorch.tensor([1.5]).float()) == "tensor([1.5], dtype=minitorch.float32)"
    assert repr(minitorch.tensor([2], dtype=minitorch.int32)) == (
        "tensor([2], dtype=minitorch.int32)")


def test_dtypes_pickle_to_themselves() -> None:
    import pickle

    for dt in minitorch.ops.dtypes.ALL:
        assert pickle.loads(pickle.dumps(dt)) is dt


def test_compiled_functions_tell_dtypes_apart() -> None:
    def step(x: minitorch.Tensor) -> minitorch.Tensor:
        return (x * 3 + 1).sum(0) + (x > 2).sum()

    compiled = minitorch.compile(step)
    for dt in ("float64", "int64", "float32", "int32", "float64", "int64", "float32"):
        for scale in (1, 2):
            x = (minitorch.arange(6) * scale).to(ours(dt))
            got, want = compiled(x), step(x)
            assert got.dtype is want.dtype
            np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())


def test_integer_tensors_in_torchs_other_rules() -> None:
    i = minitorch.tensor([-1, 5, 3], dtype=minitorch.int64)
    t = torch.tensor([-1, 5, 3])
    same_tensor(~i, ~t)
    same_tensor(i.clamp(min=0), t.clamp(min=0))
    same_tensor(minitorch.cat([i[:1].int(), minitorch.tensor([1.5]).float()]),
                torch.cat([t[:1].int(), torch.tensor([1.5]).float()]))
    with pytest.raises(RuntimeError, match="mean.*floating point dtype.*minitorch.int64"):
        i.mean()
    with pytest.raises(RuntimeError, match="mean"):
        minitorch.mean(i, 0)
    with pytest.raises(ZeroDivisionError, match="by zero"):
        i // minitorch.tensor([1, 0, 1], dtype=minitorch.int64)
    with pytest.raises(ZeroDivisionError, match="by zero"):
        i % 0
    with pytest.raises(ValueError, match="cannot convert 300.0 to minitorch.int8"):
        minitorch.tensor([300.0]).to(minitorch.int8)  # torch wraps to 44: never a silent number


def test_float32_reductions_accumulate_in_float64() -> None:
    x = minitorch.tensor([0.1] * 10, dtype=minitorch.float32)
    exact = np.float32(np.sum(np.float64(np.float32(0.1)) * 10))
    assert x.sum().item() == exact  # torch's float32 accumulation gives 1.0000001


@pytest.mark.parametrize("suffix", [".npz", ".safetensors", ".pt"])
def test_files_and_torch_keep_dtypes_and_exact_integers(suffix: str, tmp_path: Any) -> None:
    state = {
        "big": minitorch.tensor([2**60 + 1, -3], dtype=minitorch.int64),
        "mask": minitorch.tensor([1.0, -1.0]) > 0,
        "half": minitorch.tensor([0.1, 2.5]).float(),
        "w": minitorch.tensor([[0.1, 0.2]]),
        "small": minitorch.tensor([7], dtype=minitorch.uint8),
    }
    path = tmp_path / f"state{suffix}"
    minitorch.save(state, path)
    back = minitorch.load(path)
    for name, value in state.items():
        assert back[name].dtype is value.dtype, name
        assert back[name].tolist() == value.tolist(), name
    theirs = minitorch.to_torch(state)
    assert theirs["big"].dtype == torch.int64 and theirs["big"][0].item() == 2**60 + 1
    assert theirs["mask"].dtype == torch.bool and theirs["w"].dtype == torch.float64
    again = minitorch.from_torch(theirs)
    assert {k: v.dtype for k, v in again.items()} == {k: v.dtype for k, v in state.items()}
    assert minitorch.from_torch(torch.tensor([2**60 + 1])).item() == 2**60 + 1
    assert minitorch.from_torch(torch.tensor([1.5], dtype=torch.bfloat16)).dtype is (
        minitorch.float32)


def test_convolution_and_pooling_keep_float32_as_torch() -> None:
    rng = np.random.default_rng(0)
    x_np, w_np = rng.uniform(-1, 1, (2, 1, 6, 6)), rng.uniform(-1, 1, (3, 1, 3, 3))
    x = minitorch.tensor(x_np, dtype=minitorch.float32)
    w = minitorch.tensor(w_np, dtype=minitorch.float32, requires_grad=True)
    out = minitorch.conv2d(x, w)
    assert out.dtype is minitorch.float32 and minitorch.avgpool2d(x, (2, 2)).dtype is (
        minitorch.float32)
    out.sum().backward()
    assert w.grad.dtype is minitorch.float32
    want = minitorch.conv2d(minitorch.tensor(x.to_numpy().astype(float)),
                            minitorch.tensor(w.to_numpy().astype(float)))
    np.testing.assert_allclose(out.to_numpy(), want.to_numpy(), rtol=1e-6)


@pytest.mark.parametrize("backend", list(BACKENDS.values()), ids=list(BACKENDS))
@given(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(sorted(BINARY)),
       st.integers(0, 2**16))
def test_drawn_dtypes_and_operations_on_every_backend(
    backend: minitorch.TensorBackend, a: str, b: str, op: str, seed: int
) -> None:
    x_np, y_np = values_for(a, 4, seed), values_for(b, 4, seed + 1)
    x, y = minitorch.tensor(x_np, backend, dtype=ours(a)), minitorch.tensor(
        y_np, backend, dtype=ours(b))
    tx, ty = torch.tensor(x_np, dtype=theirs(a)), torch.tensor(y_np, dtype=theirs(b))
    try:
        want = BINARY[op](tx, ty)
    except RuntimeError:  # torch refuses some (maximum of bools with ints, ...)
        return
    got = BINARY[op](x, y)
    same_tensor(got, want, exact="float16" not in (a, b) and op != "truediv")
