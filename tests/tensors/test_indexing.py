"""torch's indexing, read and write, with gradients: bool masks, index tensors mixed with
slices, writes into tensors of a graph, gather / scatter and relatives, against PyTorch
float64 on the Simple, Fast and (simulated) CUDA backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

import minitorch
from minitorch.cuda_ops import CudaBackend

BACKENDS = {"simple": minitorch.SimpleBackend, "fast": minitorch.FastBackend, "cuda": CudaBackend}
ON_EACH = pytest.mark.parametrize("backend", list(BACKENDS.values()), ids=list(BACKENDS))


def both(values: Any, backend: minitorch.TensorBackend, grad: bool = True) -> tuple:
    array = np.asarray(values, dtype=float)
    return (minitorch.tensor(array, backend, requires_grad=grad),
            torch.tensor(array, requires_grad=grad))


def same(got: minitorch.Tensor, want: torch.Tensor) -> None:
    assert got.shape == tuple(want.shape), (got.shape, tuple(want.shape))
    assert got.dtype.name == str(want.dtype).removeprefix("torch.")
    np.testing.assert_allclose(got.to_numpy(), want.detach().numpy(), rtol=1e-12)


def same_everywhere(fn: Callable[[Any, Any], Any], values: Any,
                    backend: minitorch.TensorBackend) -> None:
    """``fn(x, module)`` on minitorch and torch: the same result and the same gradient of
    a weighted sum of it."""
    x, t = both(values, backend)
    out, tout = fn(x, minitorch), fn(t, torch)
    same(out, tout)
    weights = np.arange(1.0, 1.0 + np.prod(tout.shape)).reshape(tuple(tout.shape))
    (out * minitorch.tensor(weights, backend)).sum().backward()
    (tout * torch.tensor(weights)).sum().backward()
    same(x.grad, t.grad)


def long(m: Any, values: Any) -> Any:
    """An int64 index tensor, in minitorch or torch (``m``)."""
    return m.tensor(values, dtype=m.long)


VALUES = [[-1.0, 2.0, -3.0, 4.0], [5.0, -6.0, 7.0, 0.5], [0.0, -2.5, 3.5, -4.5]]


@ON_EACH
@pytest.mark.parametrize("name,fn", [
    ("mask", lambda x, m: x[x > 0]),
    ("row mask", lambda x, m: x[x[:, 0] > -1]),
    ("and", lambda x, m: x[(x > 0) & (x < 5)]),
    ("or not", lambda x, m: x[~(x > 0) | (x > 6)]),
    ("square of a mask", lambda x, m: (x[x > 0] ** 2)),
    ("index tensor", lambda x, m: x[long(m, [2, 0, 2])]),
    ("index list and slice", lambda x, m: x[[0, 2], 1:]),
    ("slice and index", lambda x, m: x[:, [3, 0, 0]]),
    ("two index tensors", lambda x, m: x[long(m, [0, 2]), long(m, [1, 3])]),
    ("broadcast indices", lambda x, m: x[long(m, [[0], [2]]), long(m, [1, 3])]),
    ("negative and step", lambda x, m: x[-1, ::2]),
    ("none and ellipsis", lambda x, m: x[None, ..., 1]),
    ("gather", lambda x, m: x.gather(1, long(m, [[0, 0], [3, 1], [2, 2]]))),
    ("index_select", lambda x, m: x.index_select(1, long(m, [3, 1, 3]))),
    ("masked_fill", lambda x, m: x.masked_fill(x < 0, 0.5)),
    ("where", lambda x, m: m.where(x > 0, x, x * 3.0)),
    ("scatter", lambda x, m: x.scatter(1, long(m, [[1], [0], [3]]), x[:, :1] * 2.0)),
    ("scatter_add", lambda x, m: x.scatter_add(0, long(m, [[0, 1, 2, 0]]), x[:1] * 2.0)),
    ("index_put accumulate", lambda x, m: x.index_put((long(m, [0, 0, 2]),), x[:3] * 1.0,
                                                      accumulate=True)),
])
def test_reads_and_their_gradients_are_torchs(
    backend: minitorch.TensorBackend, name: str, fn: Callable[[Any, Any], Any]
) -> None:
    same_everywhere(fn, VALUES, backend)


def test_the_issues_cases() -> None:
    x = minitorch.tensor([-1.0, 2, -3, 4])
    assert x[x > 0].tolist() == [2.0, 4.0]
    m = minitorch.tensor([[1.0, 2], [-1, 3], [4, 5]])
    assert m[m[:, 0] > 0].tolist() == [[1.0, 2.0], [4.0, 5.0]]
    big = minitorch.arange(9.0).view(3, 3)
    assert big[big > 4].tolist() == [5.0, 6.0, 7.0, 8.0]
    x[x < 0] = 0
    assert x.tolist() == [0.0, 2.0, 0.0, 4.0]
    y = minitorch.tensor([-1.0, 2, -3, 4], requires_grad=True)
    (y[y > 0] ** 2).sum().backward()
    assert y.grad.tolist() == [0.0, 4.0, 0.0, 8.0]
    w = minitorch.tensor([1.0, 2, 3, 4], requires_grad=True)
    h = w * 2
    h[minitorch.tensor([1, 3], dtype=minitorch.long)] = 0
    h.sum().backward()
    assert w.grad.tolist() == [2.0, 0.0, 2.0, 0.0]
    # a float tensor of whole numbers still indexes by position, as before
    assert minitorch.tensor([5.0, 6.0, 7.0])[minitorch.tensor([2.0, 0.0])].tolist() == [7.0, 5.0]


@ON_EACH
@pytest.mark.parametrize("name,write", [
    ("mask", lambda h, v, m: h.__setitem__(h > 2, 0.0)),
    ("indices from a tensor", lambda h, v, m: h.__setitem__((long(m, [0, 2]),), v[:2] * 3.0)),
    ("slice", lambda h, v, m: h.__setitem__(slice(1, 3), v[:2])),
    ("broadcast row", lambda h, v, m: h.__setitem__((slice(None), 1), v[0:1])),
    ("one element", lambda h, v, m: h.__setitem__((1, 0), (v[1:2] * v[2:3]).sum())),
    ("masked_fill_", lambda h, v, m: h.masked_fill_(h < 1.5, -1.0)),
    ("index_put_", lambda h, v, m: h.index_put_((long(m, [1, 1]),), v[:1], accumulate=True)),
])
def test_writes_into_a_graph_give_torchs_gradients(
    backend: minitorch.TensorBackend, name: str, write: Callable[..., Any]
) -> None:
    x, t = both([[1.0, 2.0], [3.0, 4.0], [0.5, 1.0]], backend)
    v, tv = both([2.0, -1.0, 0.5], backend)
    h, th = x * 1.5, t * 1.5
    write(h, v, minitorch)
    write(th, tv, torch)
    same(h, th)
    weights = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    (h * minitorch.tensor(weights, backend)).sum().backward()
    (th * torch.tensor(weights)).sum().backward()
    same(x.grad, t.grad)
    np.testing.assert_allclose(
        np.zeros(3) if v.grad is None else v.grad.to_numpy(),
        np.zeros(3) if tv.grad is None else tv.grad.numpy(),
    )


def test_writes_that_would_lose_gradients_are_refused() -> None:
    leaf = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        leaf[0] = 5.0
    with minitorch.no_grad():
        leaf[0] = 5.0  # an update of weights
    assert leaf.tolist() == [5.0, 2.0]
    h = leaf * 2.0
    used = h + 1.0
    h[0] = 0.0  # after `used` was made from h: its gradient cannot flow into the new h
    assert used.tolist() == [11.0, 5.0]
    with pytest.raises(RuntimeError, match="written in place .* after Add used it"):
        (used.sum() + h.sum()).backward()
    fresh = leaf * 2.0
    fresh[0] = 0.0  # before any use: fine
    (fresh > 1.0).sum()  # a comparison's zero derivative does not mind a later write
    fresh.sum().backward()
    assert leaf.grad.tolist() == [0.0, 2.0]


def test_index_errors_name_the_index_the_dimension_and_its_size() -> None:
    x = minitorch.zeros(3, 4)
    with pytest.raises(IndexError, match="index 7 is out of bounds for axis 1 with size 4"):
        x[:, minitorch.tensor([7], dtype=minitorch.long)]
    with pytest.raises(IndexError, match="index 5 is out of range for dimension 0 of size 3"):
        x.gather(0, minitorch.tensor([[5, 0, 0, 0]], dtype=minitorch.long))
    with pytest.raises(IndexError, match="boolean index did not match"):
        x[minitorch.tensor([True, False])]
    with pytest.raises(TypeError, match="must be a bool tensor"):
        x.masked_fill(minitorch.ones(3, 4), 1.0)


def test_nonzero_and_where_of_a_condition_are_int64_as_torch() -> None:
    x = minitorch.tensor([[0.0, 1.5], [2.0, 0.0]])
    t = torch.tensor([[0.0, 1.5], [2.0, 0.0]])
    same(x.nonzero(), t.nonzero())
    for got, want in zip(minitorch.where(x > 1), torch.where(t > 1)):
        same(got, want)
    for got, want in zip(minitorch.nonzero(x, as_tuple=True), torch.nonzero(t, as_tuple=True)):
        same(got, want)


KEY_PART = st.one_of(
    st.integers(-3, 2), st.none(), st.just(Ellipsis),
    st.builds(slice, st.integers(0, 3) | st.none(), st.integers(0, 3) | st.none(),
              st.integers(1, 2) | st.none()),
    st.lists(st.integers(-3, 2), min_size=1, max_size=3),
)


@given(st.lists(KEY_PART, min_size=1, max_size=3), st.booleans())
def test_drawn_keys_read_as_torch_with_gradients(parts: list[Any], masked: bool) -> None:
    assume(sum(p is Ellipsis for p in parts) <= 1)
    values = np.arange(1.0, 37.0).reshape(3, 3, 4)
    key = tuple(parts)
    if masked:  # a mask over the first dimension in place of the first part
        key = ((values[:, 0, 0] > 10).tolist(),) + key[1:]
    assume(not all(isinstance(p, int) for p in key) or len(key) < 3)  # (the course's number)
    try:
        want = torch.tensor(values)[key]
    except (IndexError, RuntimeError, TypeError, ValueError):
        return  # torch refuses the key too (too many indices, ...)
    assume(want.numel() > 0)
    same_everywhere(lambda x, m: x[key], values, minitorch.FastBackend)


def test_the_courses_numbers_answer_torchs_methods() -> None:
    counts = minitorch.zeros(3, 3, dtype=minitorch.int32)
    counts[1, 2] += 1
    counts[1, 2] += 1
    assert counts[1, 2] == 2 and isinstance(counts[1, 2], int) and counts[1, 2].item() == 2
    p = minitorch.tensor([[0.5, 0.25]])
    assert isinstance(p[0, 1], float) and p[0, 1] * 2 == 0.5  # the course's number
    same(minitorch.log(p[0, 1]), torch.log(torch.tensor([[0.5, 0.25]], dtype=torch.float64)[0, 1]))
    same(p[0, 0].exp(), torch.tensor(0.5, dtype=torch.float64).exp())
    assert p[0, 1].dtype is minitorch.float64 and p[0, 1].item() == 0.25


def test_compiled_steps_with_masks_and_index_tensors_equal_eager() -> None:
    import warnings

    rows = minitorch.tensor([2, 0, 1, 2], dtype=minitorch.long)

    def step(x: minitorch.Tensor) -> float:
        picked = x[rows] * 2.0
        return (picked[picked > 3.0].sum() + x.gather(1, rows.view(2, 2)[:, :1]).sum()).item()

    compiled = minitorch.compile(step)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a mask's size depends on the values: may stay eager
        for i in range(5):
            x = minitorch.tensor(np.arange(9.0).reshape(3, 3) * (i - 2))
            assert compiled(x) == step(x)


@pytest.mark.parametrize("name,write", [
    ("row", lambda t, m: t[0].__setitem__(1, 50.0)),
    ("row of a slice", lambda t, m: t[1:3][0].__setitem__(2, 7.0)),
    ("column fill_", lambda t, m: t[:, 1].fill_(9.0)),
    ("stepped block zero_", lambda t, m: t[::2, 1:3].zero_()),
    ("row +=", lambda t, m: t[2].__iadd__(100.0)),
    ("none and ellipsis", lambda t, m: t[None, ..., 3].__setitem__((0, 1), -1.0)),
])
@pytest.mark.parametrize("backend", [minitorch.SimpleBackend, minitorch.FastBackend],
                         ids=["simple", "fast"])
def test_basic_picks_are_views_as_torchs(
    backend: minitorch.TensorBackend, name: str, write: Callable[..., Any]
) -> None:
    t = minitorch.tensor(np.arange(12.0).reshape(3, 4), backend)
    want = torch.arange(12.0, dtype=torch.float64).view(3, 4)
    write(t, minitorch)
    write(want, torch)
    same(t, want)
    view, base = t[1:, ::2], want[1:, ::2]
    same(view * 2.0, base * 2)  # kernels read the view's offset and strides
    same(view.contiguous().view(4), base.contiguous().view(4))


def test_views_and_writes_in_a_graph() -> None:
    x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (x[0] * x[:, 1]).sum().backward()
    assert x.grad.tolist() == [[2.0, 5.0], [0.0, 2.0]]
    h = x * 2.0
    with pytest.raises(RuntimeError, match=r"write into a view \(made by BasicView\)"):
        h[0][1] = 5.0
    h = x * 2.0
    row = h[1]
    h[1, 0] = 0.0  # the view's values change with it: its gradient would be stale
    with pytest.raises(RuntimeError, match="changed in place afterwards"):
        row.sum().backward()


@pytest.mark.parametrize("name,fn", [
    ("column as (n, 1)", lambda x: x[:, 1].view(3, 1)),
    ("block with a new dim", lambda x: x[:, 1:3].view(3, 2, 1)),
    ("stepped rows split", lambda x: x[::2].view(2, 2, 2)),
    ("transpose with a new dim", lambda x: x.T.view(4, 3, 1)),
    ("stepped columns merged", lambda x: x[:, ::2].view(6)),
])
def test_views_of_views_are_torchs(name: str, fn: Callable[[Any], Any]) -> None:
    ours_view = fn(minitorch.arange(12.0).view(3, 4))
    theirs_view = fn(torch.arange(12.0, dtype=torch.float64).view(3, 4))
    same(ours_view, theirs_view)
    assert ours_view._tensor.strides == theirs_view.stride()


def test_views_that_would_move_elements_are_refused() -> None:
    with pytest.raises(RuntimeError, match="not contiguous; call .contiguous"):
        minitorch.arange(12.0).view(3, 4).T.view(12)
