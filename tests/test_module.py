"""Module / Parameter: registration, naming, modes, repr, and the errors users meet."""

from __future__ import annotations

from typing import Any

import pytest

import minitorch
from minitorch import Module, Parameter


class ModuleA1(Module):
    def __init__(self) -> None:
        super().__init__()
        self.p1 = Parameter(5)
        self.non_param = 10
        self.a = ModuleA2()
        self.b = ModuleA3()


class ModuleA2(Module):
    def __init__(self) -> None:
        super().__init__()
        self.p2 = Parameter(10)


class ModuleA3(Module):
    def __init__(self) -> None:
        super().__init__()
        self.c = ModuleA4()


class ModuleA4(Module):
    def __init__(self) -> None:
        super().__init__()
        self.p3 = Parameter(15)


def test_stacked_demo() -> None:
    """The docs example: own parameters first, then children, dotted names."""
    mod = ModuleA1()
    np_ = [(k, p.value) for k, p in mod.named_parameters()]
    assert np_ == [("p1", 5), ("a.p2", 10), ("b.c.p3", 15)]
    assert len(mod.parameters()) == 3
    assert mod.non_param == 10
    assert str(mod.named_parameters()[:1]) == "[('p1', 5)]"


class ModuleB(Module):
    def __init__(self, size_a: int, size_b: int, val: float) -> None:
        super().__init__()
        self.module_a = ModuleC(size_a)
        self.module_b = ModuleC(size_b)
        self.parameter_a = Parameter(val)


class ModuleC(Module):
    def __init__(self, size: int) -> None:
        super().__init__()
        for i in range(size):
            self.add_parameter(f"extra_parameter_{i}", 0)
        self.parameter_a = Parameter(1)
        self.parameter_b = Parameter(2)


@pytest.mark.parametrize("size_a,size_b,val", [(0, 0, 1.0), (3, 2, 5.0), (1, 5, -2.0)])
def test_stacked_module(size_a: int, size_b: int, val: float) -> None:
    module = ModuleB(size_a, size_b, val)
    module.eval()
    assert not module.training
    assert not module.module_a.training
    assert not module.module_b.training
    module.train()
    assert module.training and module.module_a.training and module.module_b.training
    assert len(module.parameters()) == 1 + size_a + 2 + size_b + 2
    named = dict(module.named_parameters())
    assert len(named) == 1 + size_a + 2 + size_b + 2
    assert named["parameter_a"].value == val
    assert named["module_a.parameter_a"].value == 1
    assert named["module_a.parameter_b"].value == 2
    assert named["module_b.parameter_b"].value == 2
    for i in range(size_a):
        assert f"module_a.extra_parameter_{i}" in named


def test_modules_and_repr() -> None:
    class Module4(Module):
        pass

    class Module3(Module):
        def __init__(self) -> None:
            super().__init__()
            self.c = Module4()

    m = Module3()
    assert repr(m) == "Module3(\n  (c): Module4()\n)"
    assert [type(c).__name__ for c in m.modules()] == ["Module4"]
    assert repr(Module4()) == "Module4()"


def test_parameter_marks_value() -> None:
    class Mock:
        def __init__(self) -> None:
            self.rg = False
            self.name = ""

        def requires_grad_(self, flag: bool) -> None:
            self.rg = flag

    t = Mock()
    p = Parameter(t, "weight")
    assert t.rg and t.name == "weight"
    t2 = Mock()
    p.update(t2)
    assert t2.rg and t2.name == "weight"
    assert p.value is t2


def test_parameter_of_scalar_repr() -> None:
    p = Parameter(minitorch.Scalar(2.0), "w")
    assert repr(p) == "Scalar(2.000000)"
    assert str(Parameter(15)) == "15"


def test_reassignment_moves_between_kinds() -> None:
    class M(Module):
        def __init__(self) -> None:
            super().__init__()
            self.x = Parameter(1)

    m = M()
    m.x = 5  # a plain attribute now
    assert m.parameters() == []
    assert m.x == 5


def test_unknown_attribute_raises() -> None:
    """Our decision: unknown names raise AttributeError (the course returned None)."""
    m = ModuleA2()
    with pytest.raises(AttributeError, match="ModuleA2 has no attribute 'mood'"):
        _ = m.mood
    assert not hasattr(m, "missing")


def test_mode_follows_train_and_eval() -> None:
    """The course's trainers read ``self.mode == "eval"`` (dropout off when evaluating)."""
    m = ModuleA2()
    assert m.mode == "train"
    m.eval()
    assert m.mode == "eval" and m.training is False
    m.mode = "train"
    assert m.training is True
    with pytest.raises(ValueError, match="'train' or 'eval', got 'test'"):
        m.mode = "test"


def test_forgot_super_init() -> None:
    class Forgetful(Module):
        def __init__(self) -> None:
            self.w = Parameter(1.0)

    with pytest.raises(RuntimeError, match=r"Forgetful.*super\(\).__init__\(\)"):
        Forgetful()


def test_forward_missing_and_call() -> None:
    class Doubler(Module):
        def forward(self, x: Any) -> Any:
            return 2 * x

    assert Doubler()(4) == 8
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        Module()(1)


def test_parameter_update_makes_a_fresh_leaf() -> None:
    """An update computed with history (p - lr * grad) is turned back into a named leaf."""
    w = minitorch.tensor([1.0, 2.0], requires_grad=True)
    p = Parameter(w, "w")
    (w * w).sum().backward()
    assert w.grad is not None
    p.update(w - 0.1 * w.grad)
    assert p.value.is_leaf() and p.value.requires_grad() and p.value.name == "w"
    assert p.value.to_numpy().tolist() == pytest.approx([0.8, 1.6])
