"""A leaf keeps the derivative a backward pass made for it instead of a copy, but only when
nothing else can see that tensor: never the user's grad_output, a tensor of the forward pass,
a shared constant, or a derivative another leaf got too. Each test writes a gradient in
place afterwards (as optimizers do) and checks that nothing else changed."""

from __future__ import annotations

from typing import Any

import numpy as np

import minitorch
from minitorch import Context, Function, Tensor


def copies(monkeypatch: Any) -> list[tuple[int, ...]]:
    """Shapes of the gradients copied (``accumulate_derivative`` starting a gradient)."""
    made: list[tuple[int, ...]] = []
    original = Tensor.accumulate_derivative

    def counted(self: Tensor, x: Any) -> None:
        if self.grad is None:
            made.append(self.shape)
        original(self, x)

    monkeypatch.setattr(Tensor, "accumulate_derivative", counted)
    return made


def test_a_training_step_copies_no_gradient(monkeypatch: Any) -> None:
    rng = np.random.default_rng(0)
    w1 = minitorch.tensor(rng.normal(size=(4, 8)), requires_grad=True)
    b1 = minitorch.tensor(rng.normal(size=(8,)), requires_grad=True)
    w2 = minitorch.tensor(rng.normal(size=(8, 1)), requires_grad=True)
    x = minitorch.tensor(rng.normal(size=(5, 4)))
    made = copies(monkeypatch)
    ((x @ w1 + b1).relu() @ w2).sigmoid().sum().backward()
    assert made == []
    expected = [g.copy() for g in (w1.grad.to_numpy(), b1.grad.to_numpy(), w2.grad.to_numpy())]
    w1.grad.add_(1.0)  # in place, as an optimizer does: the others stay
    np.testing.assert_array_equal(b1.grad.to_numpy(), expected[1])
    np.testing.assert_array_equal(w2.grad.to_numpy(), expected[2])


def test_leaves_given_the_same_derivative_get_their_own() -> None:
    x = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = minitorch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    c = minitorch.tensor([0.5, -1.0, 2.0])
    ((x + y) * c).sum().backward()  # Add passes one derivative to both
    assert x.grad._tensor._storage is not y.grad._tensor._storage
    x.grad.add_(10.0)
    assert y.grad.to_numpy().tolist() == [0.5, -1.0, 2.0]


def test_the_users_grad_output_is_copied() -> None:
    x = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    g = minitorch.tensor([1.0, 1.0, 1.0])
    x.view(3, 1).view(3).backward(g)  # views all the way: the derivative is g's storage
    assert x.grad._tensor._storage is not g._tensor._storage
    x.grad.add_(1.0)
    assert g.to_numpy().tolist() == [1.0, 1.0, 1.0]


class GiveBack(Function):
    """out = a * b, with a made-up backward that returns the saved ``a`` itself as b's
    derivative and the shared constant 2.0 as a's."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        ctx.save_for_backward(a)
        return a.f.mul_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Any, Any]:
        (a,) = ctx.saved_values
        return 2.0, a


def test_forward_tensors_and_shared_constants_are_copied() -> None:
    a = minitorch.tensor([3.0], requires_grad=True)
    b = minitorch.tensor([4.0], requires_grad=True)
    GiveBack.apply(a, b).backward()
    a.grad.add_(100.0)
    b.grad.add_(100.0)
    assert a.to_numpy().tolist() == [3.0]  # b's gradient was a copy of a, not a
    assert (minitorch.tensor([1.0]) * 2.0).to_numpy().tolist() == [2.0]  # the constant 2.0


def test_create_graph_gradients_are_copies_with_history() -> None:
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward(create_graph=True)
    assert x.grad.history is not None and x.grad.to_numpy().tolist() == [2.0, 4.0]
