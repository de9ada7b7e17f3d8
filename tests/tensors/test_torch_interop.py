"""Drop-in behaviour for torch code: the default backend and its rules, constructors with
torch's signatures, numpy interop, Python protocols, dtypes, torch's method names and
in-place updates."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import minitorch  # noqa: E402
from minitorch import FastBackend, SimpleBackend  # noqa: E402

# -- one default backend, no silent switching ---------------------------------------------------


def test_every_constructor_and_layer_defaults_to_the_fast_backend() -> None:
    made = [
        minitorch.tensor([1.0]), minitorch.zeros(2), minitorch.ones(2), minitorch.empty(2),
        minitorch.full((2,), 3.0), minitorch.rand(2), minitorch.randn(2), minitorch.eye(2),
        minitorch.normal(0.0, 1.0, size=(2,)), minitorch.linspace(0, 1, 3), minitorch.arange(3),
        minitorch.from_numpy(np.ones(2)), minitorch.zeros_like(minitorch.ones(2)),
        minitorch.Linear(2, 2).weight.value, minitorch.Conv2d(1, 1, 3).weight.value,
    ]
    assert all(t.backend is FastBackend for t in made)
    assert minitorch.get_default_backend() is FastBackend


def test_set_default_backend_now_and_in_a_block() -> None:
    with minitorch.set_default_backend(SimpleBackend):
        assert minitorch.zeros(2).backend is SimpleBackend
        assert minitorch.Linear(2, 2).weight.value.backend is SimpleBackend
    assert minitorch.zeros(2).backend is FastBackend
    minitorch.set_default_backend(SimpleBackend)
    try:
        assert minitorch.tensor([1.0]).backend is SimpleBackend
    finally:
        minitorch.set_default_backend(FastBackend)
    assert minitorch.tensor([1.0], backend=SimpleBackend).backend is SimpleBackend
    with pytest.raises(TypeError, match="backend must be a TensorBackend"):
        minitorch.set_default_backend("fast")  # type: ignore[arg-type]


def test_mixing_backends_raises_and_names_both() -> None:
    fast = minitorch.tensor([1.0, 2.0])
    simple = minitorch.tensor([1.0, 2.0], backend=SimpleBackend)
    with pytest.raises(TypeError, match="Add: the inputs are on two backends, FastOps backend "
                                        "and SimpleOps backend"):
        fast + simple
    with pytest.raises(TypeError, match="two backends"):
        minitorch.Linear(2, 2)(simple)
    assert simple.backend is SimpleBackend  # nothing was moved
    assert (fast + 1).backend is FastBackend and (2.0 * simple).backend is SimpleBackend
    course_fast = minitorch.TensorBackend(minitorch.FastOps)  # the course builds its own
    assert (fast + minitorch.tensor([1.0, 1.0], backend=course_fast)).shape == (2,)
    moved = simple.to(FastBackend)
    assert moved.backend is FastBackend and (fast + moved).to_numpy().tolist() == [2.0, 4.0]


def test_to_another_backend_is_differentiable() -> None:
    x = minitorch.tensor([1.0, 2.0], backend=SimpleBackend, requires_grad=True)
    (x.to(FastBackend) * 3.0).sum().backward()
    assert x.grad.backend is SimpleBackend and x.grad.to_numpy().tolist() == [3.0, 3.0]


# -- constructors -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_sizes_as_ints_varargs_or_a_tuple(name: str) -> None:
    make = getattr(minitorch, name)
    for args in [(3,), (2, 3), ((2, 3),), ([2, 3],), ((),)]:
        assert make(*args).shape == getattr(torch, name)(*args).shape
    with pytest.raises(TypeError, match=f"{name}\\(\\) needs a size"):
        make()
    assert make((2, 3), SimpleBackend).backend is SimpleBackend  # the course's positional backend
    with pytest.raises(ValueError, match="sizes must not be negative"):
        make(2, -1)
    with pytest.raises(TypeError, match="sizes must be integers"):
        make(2.5)


def test_filled_constructors_match_torch() -> None:
    pairs = [
        (minitorch.full((2, 3), 1.5), torch.full((2, 3), 1.5)),
        (minitorch.eye(3), torch.eye(3)), (minitorch.eye(2, 3), torch.eye(2, 3)),
        (minitorch.ones_like(minitorch.zeros(2, 2)), torch.ones_like(torch.zeros(2, 2))),
        (minitorch.full_like(minitorch.zeros(2), 7.0), torch.full_like(torch.zeros(2), 7.0)),
        (minitorch.arange(1, 4, 0.5), torch.arange(1, 4, 0.5)),
        (minitorch.linspace(0, 1, 5), torch.linspace(0, 1, 5)),
    ]
    for ours, theirs in pairs:
        np.testing.assert_array_equal(ours.to_numpy(), theirs.numpy())
    assert minitorch.empty(2, 3).to_numpy().tolist() == [[0.0] * 3] * 2  # never garbage


def test_random_constructors_are_seeded_by_manual_seed() -> None:
    for make in (lambda: minitorch.rand(3), lambda: minitorch.randn(2, 2),
                 lambda: minitorch.rand_like(minitorch.ones(2)),
                 lambda: minitorch.normal(minitorch.zeros(4), 0.2)):
        minitorch.manual_seed(5)
        a = make().to_numpy()
        minitorch.manual_seed(5)
        np.testing.assert_array_equal(a, make().to_numpy())


def test_tensor_of_one_element_tensors_and_numbers() -> None:
    b = minitorch.tensor([15.54], requires_grad=True)
    m = minitorch.tensor(108.78, requires_grad=True)
    g = minitorch.tensor([[b, m]])
    assert g.shape == (1, 2) and g.to_numpy().tolist() == [[15.54, 108.78]]
    assert not g.requires_grad  # the values are copied, as in torch
    assert minitorch.tensor([np.float64(1.0), np.int64(2), True]).to_numpy().tolist() == [1, 2, 1]
    assert minitorch.tensor(np.array([[1, 2]], dtype=np.int32)).shape == (1, 2)
    with pytest.raises(ValueError, match=r"data\[0\] is a tensor of shape \(3,\)"):
        minitorch.tensor([minitorch.ones(3), minitorch.ones(3)])


@pytest.mark.parametrize("bad,what", [(["1.5", "2"], "str"), (None, "NoneType"),
                                       ([1.0, None], "NoneType"), ([1 + 2j], "complex"),
                                       (np.array([1 + 2j]), "complex numbers")])
def test_tensor_refuses_what_is_not_a_number(bad: object, what: str) -> None:
    with pytest.raises(TypeError, match=what):
        minitorch.tensor(bad)


def test_from_numpy_shares_memory_like_torch() -> None:
    array = np.arange(6.0).reshape(2, 3)
    t = minitorch.from_numpy(array)
    array[0, 0] = 42.0
    assert t[0, 0] == 42.0
    t[1, 2] = -1.0
    assert array[1, 2] == -1.0
    copy = minitorch.from_numpy(np.arange(3))  # int64: converted, so copied
    assert copy.to_numpy().tolist() == [0.0, 1.0, 2.0]
    assert minitorch.as_tensor(array) is not None and minitorch.as_tensor(t) is t
    with pytest.raises(TypeError, match="from_numpy expects a numpy array"):
        minitorch.from_numpy([1.0])  # type: ignore[arg-type]


def test_dtypes_are_accepted_and_convert_values_as_torch() -> None:
    x = minitorch.tensor([1.7, -1.7, 0.0], dtype=minitorch.long)
    assert x.to_numpy().tolist() == torch.tensor([1.7, -1.7, 0.0]).long().tolist()
    assert minitorch.tensor([2.0, 0.0], dtype=minitorch.bool).to_numpy().tolist() == [1.0, 0.0]
    assert minitorch.tensor(25, dtype=minitorch.float16).item() == 25.0
    assert x.dtype is minitorch.int64 and x.to_numpy().dtype == np.int64
    y = minitorch.tensor([0.1])
    assert y.double() is y and y.dtype is minitorch.float64
    assert y.float().dtype is minitorch.float32 and y.float().item() == torch.tensor([0.1]).item()
    assert minitorch.tensor([2.9]).int().item() == 2 and minitorch.tensor([3.5]).long().item() == 3
    assert minitorch.tensor([2.9]).int().dtype is minitorch.int32
    assert minitorch.tensor([2.9]).to(minitorch.int64).item() == 2
    assert repr(minitorch.float32) == "minitorch.float32" and minitorch.float is minitorch.float32


# -- numpy and Python protocols -----------------------------------------------------------------


def test_numpy_takes_tensors() -> None:
    a, b = minitorch.tensor([25.0, 2.0, 5.0]), minitorch.tensor([0.0, 1.0, 2.0])
    assert np.dot(a, b) == 12.0
    assert np.linalg.det(minitorch.tensor([[4.0, 2.0], [-5.0, -3.0]])) == pytest.approx(-2.0)
    assert np.asarray(a).dtype == np.float64 and np.array(a, dtype=np.float32).dtype == np.float32
    assert isinstance(np.float64(2.0) * a, minitorch.Tensor)  # numpy defers to our operators
    assert isinstance(a * np.array([1.0, 2.0, 3.0]), minitorch.Tensor)


def test_matplotlib_takes_tensors() -> None:
    x = minitorch.linspace(0, 1, 10)
    fig, ax = plt.subplots()
    ax.scatter(x, x * 2.0)
    counts, _, _ = ax.hist(minitorch.tensor([0.1, 0.2, 0.9]), bins=2)
    ax.plot([0.0, 1.0], [minitorch.tensor(0.5).item(), 1.0])
    assert counts.tolist() == [2.0, 1.0]
    plt.close(fig)


def test_iteration_and_indexing_errors() -> None:
    m = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    rows = list(m)
    assert [r.to_numpy().tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]
    items = list(minitorch.tensor([5.0, 6.0]))
    assert [i.shape for i in items] == [(), ()] and [float(i) for i in items] == [5.0, 6.0]
    assert issubclass(minitorch.IndexingError, IndexError)
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(minitorch.tensor(1.0))
    with pytest.raises(IndexError):
        m[5]


def test_zero_dimensional_tensors_stay_zero_dimensional() -> None:
    r = minitorch.tensor(3.0, requires_grad=True)
    length = minitorch.tensor(5.0, requires_grad=True)
    v = math.pi * r**2 * length
    assert v.shape == ()
    v.backward()
    assert length.grad.shape == () and length.grad[0] == pytest.approx(math.pi * 9)
    assert r.grad.item() == pytest.approx(2 * math.pi * 15)
    assert (r + minitorch.tensor(1.0)).shape == () and (r * minitorch.tensor([2.0])).shape == (1,)


def test_python_numbers_truth_and_formatting() -> None:
    assert float(minitorch.tensor([2.5])) == 2.5 and int(minitorch.tensor(3.9)) == 3
    assert f"{minitorch.tensor(2.5):.3f}" == "2.500" and f"{minitorch.tensor([1.0])}" == "tensor([1.])"
    assert bool(minitorch.tensor([0.0])) is False and bool(minitorch.tensor(2.0)) is True
    with pytest.raises(RuntimeError, match=r"truth value of a tensor of shape \(2,\) is ambiguous"):
        bool(minitorch.tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="only one-element tensors convert"):
        float(minitorch.tensor([1.0, 2.0]))
    assert minitorch.tensor([[1.0, 2.0]]).tolist() == [[1.0, 2.0]]
    assert minitorch.tensor(4.0).tolist() == 4.0


def test_sizes_and_flags_answer_both_ways() -> None:
    t = minitorch.zeros(2, 3, requires_grad=True)
    assert t.size == 6 and t.size() == (2, 3) and t.size(1) == 3 and t.size(-1) == 3
    assert t.numel() == 6 and t.dim() == 2 and t.ndim == 2 and t.dims == 2
    assert t.requires_grad and t.requires_grad() is True and str(t.requires_grad) == "True"
    u = minitorch.zeros(2)
    assert not u.requires_grad
    u.requires_grad = True
    assert u.requires_grad() and u.is_leaf()
    assert (t * 2).grad_fn is minitorch.Mul and t.grad_fn is None
    assert t.device is FastBackend and t.cpu() is t


def test_comparisons_and_masks() -> None:
    x = minitorch.tensor([1.0, 2.0, float("nan")])
    y = minitorch.tensor([2.0, 2.0, 1.0])
    tx, ty = torch.tensor(x.to_numpy()), torch.tensor(y.to_numpy())
    for ours, theirs in [(x <= y, tx <= ty), (x >= y, tx >= ty), (x != y, tx != ty),
                         ((x < y) | (x > y), (tx < ty) | (tx > ty)),
                         ((x <= y) & (y > 1.5), (tx <= ty) & (ty > 1.5)), (~(x == y), ~(tx == ty)),
                         (x.ne(y), tx.ne(ty)), (x.ge(1.5), tx.ge(1.5))]:
        np.testing.assert_array_equal(ours.to_numpy(), theirs.double().numpy())


# -- in-place updates ---------------------------------------------------------------------------


def test_gradient_descent_by_hand_updates_in_place() -> None:
    w = minitorch.tensor([1.0, -2.0], requires_grad=True)
    x = minitorch.tensor([0.5, 1.5])
    for _ in range(3):
        loss = ((w * x).sum() - 1.0) ** 2
        loss.backward()
        with minitorch.no_grad():
            w -= 0.1 * w.grad
        w.grad.zero_()
    tw = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    tx = torch.tensor([0.5, 1.5], dtype=torch.float64)
    for _ in range(3):
        (((tw * tx).sum() - 1.0) ** 2).backward()
        with torch.no_grad():
            tw -= 0.1 * tw.grad
        tw.grad.zero_()
    np.testing.assert_allclose(w.to_numpy(), tw.detach().numpy(), rtol=1e-12)
    assert w.requires_grad and w.is_leaf() and w.grad.to_numpy().tolist() == [0.0, 0.0]


def test_in_place_rules() -> None:
    w = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad .* in-place"):
        w += 1.0
    h = w * 2.0
    h += 1.0  # part of a graph: Python rebinds h to the new tensor
    h.sum().backward()
    assert w.grad.to_numpy().tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="in-place operations are not recorded"):
        (w * 2.0).add_(1.0)
    c = minitorch.zeros(2, 2)
    c.add_(minitorch.tensor([1.0, 2.0]), alpha=2.0).mul_(3.0)
    assert c.to_numpy().tolist() == [[6.0, 12.0], [6.0, 12.0]]
    c.fill_(float("nan")).zero_()
    assert c.to_numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    c.copy_(minitorch.tensor([5.0, 6.0])).clamp_(max=5.5).div_(2.0).sub_(1.0)
    assert c.to_numpy().tolist() == [[1.5, 1.75], [1.5, 1.75]]
    c[0] = 9.0
    c[:, 1] = minitorch.tensor([7.0, 8.0])
    assert c.to_numpy().tolist() == [[9.0, 7.0], [1.5, 8.0]]
    w.data -= 0.5 * w.grad.data  # the older idiom
    assert w.to_numpy().tolist() == [0.0, 1.0]
    with pytest.raises(ValueError, match=r"does not fit this tensor's shape \(2,\)"):
        minitorch.zeros(2).copy_(minitorch.ones(3))


@pytest.mark.parametrize("name", ["MSELoss", "L1Loss", "BCELoss", "CrossEntropyLoss", "NLLLoss"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_loss_layers_match_torch(name: str, reduction: str) -> None:
    rng = np.random.default_rng(2)
    if name in ("CrossEntropyLoss", "NLLLoss"):
        x, target = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
        t_target = torch.tensor(target)
    else:
        x, target = rng.uniform(0.1, 0.9, (4, 3)), rng.uniform(0, 1, (4, 3))
        t_target = torch.tensor(target)
    ours = getattr(minitorch.nn, name)(reduction=reduction)(
        minitorch.tensor(x), minitorch.tensor(target) if target.dtype == float else target)
    theirs = getattr(torch.nn, name)(reduction=reduction)(torch.tensor(x), t_target)
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)


def test_nn_functional_names() -> None:
    F = minitorch.nn.functional
    x = minitorch.tensor([[-1.0, 2.0], [3.0, -4.0]])
    tx = torch.tensor(x.to_numpy())
    for ours, theirs in [(F.relu(x), torch.nn.functional.relu(tx)),
                         (F.softmax(x, 1), torch.nn.functional.softmax(tx, 1)),
                         (F.log_softmax(x, 0), torch.nn.functional.log_softmax(tx, 0)),
                         (F.linear(x, x, x[0]), torch.nn.functional.linear(tx, tx, tx[0])),
                         (F.dropout(x, 0.5, training=False), tx)]:
        np.testing.assert_allclose(ours.to_numpy(), theirs.numpy(), rtol=1e-12)
