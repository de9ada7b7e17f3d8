"""Tensor autodiff beyond first order, the PyTorch-style conveniences, and the errors users meet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from minitorch import IndexingError, Tensor, tensor


def second_derivatives(
    f_ours: Callable[..., Tensor], f_torch: Callable[..., torch.Tensor], *values: Sequence[Any]
) -> None:
    """First and second derivatives (grad of the summed first gradient of input 0) equal torch's."""
    xs = [tensor(v, requires_grad=True) for v in values]
    f_ours(*xs).sum().backward(create_graph=True)
    g = xs[0].grad
    assert g is not None and g.requires_grad()
    for x in xs:
        x.zero_grad_()
    g.sum().backward()

    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    (tg,) = torch.autograd.grad(f_torch(*ts).sum(), ts[0], create_graph=True)
    tgg = torch.autograd.grad(tg.sum(), ts, allow_unused=True)
    np.testing.assert_allclose(g.to_numpy(), tg.detach().numpy(), rtol=1e-9)
    for x, t in zip(xs, tgg):
        expected = np.zeros(x.shape) if t is None else t.numpy()
        got = np.zeros(x.shape) if x.grad is None else x.grad.to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_second_derivative_cube() -> None:
    second_derivatives(lambda x: x**3, lambda x: x**3, [0.5, -1.25, 2.0])


def test_second_derivative_sigmoid() -> None:
    second_derivatives(lambda x: x.sigmoid(), torch.sigmoid, [0.5, -1.25, 2.0])


def test_second_derivative_log() -> None:
    second_derivatives(lambda x: x.log(), lambda x: torch.log(x), [0.5, 1.25, 2.0])


def test_second_derivative_exp_of_product() -> None:
    second_derivatives(lambda x, y: (x * y).exp(), lambda x, y: (x * y).exp(), [0.5, -0.3], [1.5, 0.7])


def test_second_derivative_broadcast_product() -> None:
    second_derivatives(
        lambda x, y: x * x * y, lambda x, y: x * x * y, [[0.5, -0.3, 1.0]], [[1.5], [0.7]]
    )


def test_second_derivative_matmul_expression() -> None:
    a = [[0.5, -0.3], [1.0, 2.0]]
    b = [[1.5, 0.2], [0.7, -1.1]]
    second_derivatives(
        lambda x, w: ((x @ w).sigmoid() @ w) * x,
        lambda x, w: (torch.sigmoid(x @ w) @ w) * x,
        a, b,
    )


def test_backward_records_nothing_by_default() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    assert x.grad is not None and not x.grad.requires_grad()


def test_no_grad_context_and_decorator() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    with minitorch.no_grad():
        y = x * 2
    assert not y.requires_grad()
    assert minitorch.is_grad_enabled()

    @minitorch.no_grad()
    def double(t: Tensor) -> Tensor:
        return t * 2

    assert not double(x).requires_grad()
    assert (x * 2).requires_grad()


def test_gradients_accumulate_and_reset() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.to_numpy(), [4.0, 8.0])
    x.zero_grad_()
    assert x.grad is None


def test_conveniences() -> None:
    t = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.size == 6 and t.dims == 2 and len(t) == 2
    assert t.T.shape == (3, 2) and t.T[2, 1] == 6.0
    assert not t.requires_grad()
    assert t.requires_grad_(True).requires_grad() and t.is_leaf()
    assert not t.requires_grad_(False).requires_grad()
    assert tensor([3.5]).item() == 3.5 and tensor([[2.0]]).item() == 2.0
    arr = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(tensor(arr).numpy(), arr)
    np.testing.assert_array_equal(Tensor.from_numpy(arr).to_numpy(), arr)
    assert tensor(2.5).shape == () and tensor(2.5).item() == 2.5
    assert tensor([[[1, 2, 3], [4, 5, 6]]]).shape == (1, 2, 3)
    d = (t * 2).detach()
    assert not d.requires_grad()
    assert repr(tensor([[1.0, 2.0], [3.0, 4.0]])) == "tensor([[1., 2.],\n        [3., 4.]])"
    assert "grad_fn=<Mul>" in repr(tensor([1.0], requires_grad=True) * 2)
    assert str(tensor([1.0, 2.0])) == "tensor([1., 2.])"  # torch's format
    assert tensor([1.0, 2.0])._tensor.to_string() == "\n[1.00 2.00]"  # the course's
    one = tensor([[5.0]], requires_grad=True)
    (one * one).backward()  # backward() on any one-element tensor
    assert one.grad[0, 0] == 10.0


def test_view_and_permute_of_constants_do_not_track() -> None:
    t = tensor([[1.0, 2.0], [3.0, 4.0]])
    assert not t.permute(1, 0).requires_grad()
    assert not t.view(4).requires_grad()


def test_view_backward_with_non_contiguous_gradient() -> None:
    x = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = x.view(3, 2).permute(1, 0)
    w = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (y * w).sum().backward()
    tx = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=torch.float64, requires_grad=True)
    (tx.view(3, 2).permute(1, 0) * torch.tensor(w.to_numpy())).sum().backward()
    np.testing.assert_allclose(x.grad.to_numpy(), tx.grad.numpy())


def test_rand_and_zeros() -> None:
    import random

    random.seed(3)
    a = minitorch.rand((2, 3))
    random.seed(3)
    b = minitorch.rand((2, 3))
    assert (a == b).all().item() == 1.0 and not a.requires_grad()
    assert minitorch.rand((2,), requires_grad=True).requires_grad()
    assert minitorch.zeros((2, 2)).sum().item() == 0.0


# -- errors -------------------------------------------------------------------------------


def test_error_broadcast() -> None:
    with pytest.raises(IndexingError, match=r"cannot broadcast shapes \(2, 3\) and \(4,\)"):
        tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) + tensor([1.0, 2.0, 3.0, 4.0])


def test_error_view() -> None:
    t = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with pytest.raises(RuntimeError, match=r"not contiguous; call .contiguous\(\) first"):
        t.permute(1, 0).view(6)
    with pytest.raises(RuntimeError, match=r"view\(4,\): shape \(2, 3\) has 6 elements, \(4,\) needs 4"):
        t.view(4)


def test_error_backward_without_gradient() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"backward\(\) needs grad_output for a tensor of shape \(2,\)"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        tensor([1.0]).backward()


def test_error_indexing() -> None:
    t = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with pytest.raises(IndexingError, match=r"index \(50, 2\) is out of range for shape \(2, 3\)"):
        t[50, 2]
    assert t[-1, 0] == 4.0 and t[0, -1] == 3.0  # negative indices count from the end
    with pytest.raises(IndexingError, match=r"index \(-3, 0\) is out of range for shape \(2, 3\)"):
        t[-3, 0]
    with pytest.raises(IndexingError, match="must be size of shape"):
        t._tensor.index(0)
    assert t[0].to_numpy().tolist() == [1.0, 2.0, 3.0]  # a partial index selects a row (a tensor)
    with pytest.raises(IndexingError, match=r"not a permutation of \(0, 1\)"):
        t.permute(0, 2)


def test_error_matmul() -> None:
    with pytest.raises(IndexingError, match=r"inner dimensions 3 and 2 differ"):
        tensor([[1.0, 2.0, 3.0]]) @ tensor([[1.0], [2.0]])


def test_error_ragged_list() -> None:
    with pytest.raises(ValueError, match=r"ragged nested list: data\[0\] has shape \(2,\) but data\[1\] has shape \(1,\)"):
        tensor([[1.0, 2.0], [3.0]])


def test_error_item_and_pow() -> None:
    with pytest.raises(ValueError, match=r"item\(\) needs a tensor with one element, got shape \(2,\)"):
        tensor([1.0, 2.0]).item()
    with pytest.raises(TypeError, match="expected a Tensor or a number, got str"):
        tensor([1.0]) ** "2"  # type: ignore[operator]
