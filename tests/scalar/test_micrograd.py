"""micrograd compatibility: Value and MLP behave like micrograd 0.1.0, on minitorch's engine."""

from __future__ import annotations

import gc
import random

import pytest
import torch

import minitorch
from minitorch.engine import nodes
from minitorch.micrograd import MLP, Layer, Neuron, Value


def test_sanity_check() -> None:
    """micrograd's first PyTorch comparison."""
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xmg, ymg = x, y

    x = torch.Tensor([-4.0]).double()  # type: ignore[assignment]
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y

    assert ymg.data == ypt.data.item()  # type: ignore[union-attr]
    assert xmg.grad == xpt.grad.item()  # type: ignore[union-attr]


def test_more_ops() -> None:
    """micrograd's second PyTorch comparison."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    amg, bmg, gmg = a, b, g

    a = torch.Tensor([-4.0]).double()  # type: ignore[assignment]
    b = torch.Tensor([2.0]).double()  # type: ignore[assignment]
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g

    tol = 1e-6
    assert abs(gmg.data - gpt.data.item()) < tol  # type: ignore[union-attr]
    assert abs(amg.grad - apt.grad.item()) < tol  # type: ignore[union-attr]
    assert abs(bmg.grad - bpt.grad.item()) < tol  # type: ignore[union-attr]


def test_value_interface() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    assert e._op == "*" and e._prev == {a, b} and e.label == "e"
    assert repr(e) == "Value(data=-6.0, grad=0.0)"
    assert (a**2)._op == "**2" and a.relu()._op == "ReLU"
    assert a.tanh()._op == "tanh" and a.exp()._op == "exp"
    assert (a - b).data == 5.0 and (1 - a).data == -1.0 and (a / 4).data == 0.5
    assert (8 / a).data == 4.0 and (-a).data == -2.0 and (3 + a).data == 5.0
    assert Value(1.0)._prev == set() and Value(1.0)._op == ""
    with pytest.raises(TypeError, match="int/float powers only"):
        a ** Value(2.0)  # type: ignore[operator]
    with pytest.raises(TypeError, match="needs a real number"):
        Value("3")  # type: ignore[arg-type]


def test_every_node_gets_its_gradient_and_accumulates() -> None:
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    assert (a.grad, b.grad, c.grad, e.grad, d.grad, f.grad, L.grad) == (6.0, -4.0, -2.0, -2.0, -2.0, 4.0, 1.0)
    L.backward()
    assert a.grad == 12.0 and L.grad == 1.0  # grads accumulate; the output's is reset


def test_tanh_exp_against_torch() -> None:
    x = Value(0.7)
    y = (x.tanh() * x.exp() + x**-1.5).tanh()
    y.backward()
    t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    ty = (t.tanh() * t.exp() + t**-1.5).tanh()
    ty.backward()
    assert y.data == pytest.approx(ty.item(), rel=1e-12)
    assert x.grad == pytest.approx(t.grad.item(), rel=1e-12)  # type: ignore[union-attr]


def test_value_runs_on_the_shared_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Value.backward and Scalar.backward are minitorch.engine.nodes.backpropagate_nodes: one
    engine, two front ends (and topological_sort sees the same graph)."""
    calls = []
    real = nodes.backpropagate_nodes

    def spy(variable, deriv):  # type: ignore[no-untyped-def]
        calls.append(variable)
        return real(variable, deriv)

    monkeypatch.setattr("minitorch.micrograd.engine.backpropagate_nodes", spy)
    monkeypatch.setattr("minitorch.scalar.backpropagate_nodes", spy)
    x = Value(3.0)
    y = x * x
    y.backward()
    s = minitorch.Scalar(3.0)
    z = s * s
    z.backward()
    assert calls == [y, z] and x.grad == 6.0 and s.derivative == 6.0
    assert [v.unique_id for v in minitorch.topological_sort(y)] == [y.unique_id, x.unique_id]


def test_mlp_structure_and_reprs() -> None:
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)
    assert repr(Neuron(3)) == "ReLUNeuron(3)"
    assert repr(Neuron(3, nonlin=False)) == "LinearNeuron(3)"
    assert repr(Layer(2, 2)) == "Layer of [ReLUNeuron(2), ReLUNeuron(2)]"
    assert repr(MLP(2, [1])) == "MLP of [Layer of [LinearNeuron(2)]]"
    out = model([1.0, -2.0])
    assert isinstance(out, Value)
    out.backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_same_weights_and_loss_as_micrograd() -> None:
    """With the same seed, MLP draws the same weights as micrograd and computes the same loss."""
    mg_engine = pytest.importorskip("micrograd.engine")
    mg_nn = pytest.importorskip("micrograd.nn")
    random.seed(1337)
    theirs = mg_nn.MLP(2, [4, 4, 1])
    random.seed(1337)
    ours = MLP(2, [4, 4, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    xs = [[0.3, -1.2], [1.5, 0.4], [-0.7, 0.9]]
    ys = [1, -1, 1]

    def loss(model, V):  # type: ignore[no-untyped-def]
        scores = [model([V(a) for a in x]) for x in xs]
        total = sum((1 + -y * s).relu() for y, s in zip(ys, scores)) * (1.0 / len(xs))
        return total + 1e-4 * sum(p * p for p in model.parameters())

    l_ours, l_theirs = loss(ours, Value), loss(theirs, mg_engine.Value)
    l_ours.backward()
    l_theirs.backward()
    assert l_ours.data == pytest.approx(l_theirs.data, rel=1e-12)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert p.grad == pytest.approx(q.grad, rel=1e-9, abs=1e-15)


def test_value_graph_has_no_cycles() -> None:
    gc.collect()
    gc.disable()
    try:
        x = Value(1.5)
        y = (x * x + x.relu()).tanh()
        y.backward()
        del y
        assert gc.collect() == 0
    finally:
        gc.enable()
