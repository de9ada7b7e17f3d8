"""A replay is never stale: for each way what a compiled function reads could change between
calls (globals, closures, arguments' contents, parameters, module state, the default
backend), the compiled function gives what the eager one gives, call after call, and it did
replay in between (so the comparison means something)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import minitorch
from minitorch import CompileWarning, Parameter, Tensor

CALLS = 12
CHANGE_AT = (4,)

SCALE = 2.0
CONFIG = {"scale": 2.0, "shift": [1.0, 0.0]}
BIG = np.zeros(300_000)


def same_as_eager(
    fn: Callable[..., Any], args: Callable[[int], tuple[Any, ...]],
    change: Callable[[int], None], changes_at: tuple[int, ...] = CHANGE_AT,
) -> Any:
    """Call ``fn`` eagerly and compiled with the same arguments, ``CALLS`` times, applying
    ``change(i)`` before call ``i`` in ``changes_at``; both must agree every time."""
    compiled = minitorch.compile(fn)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CompileWarning)  # every case here must replay
        for i in range(CALLS):
            if i in changes_at:
                change(i)
            a = args(i)
            expected, got = fn(*a), compiled(*a)
            np.testing.assert_array_equal(np.asarray(got), np.asarray(expected), err_msg=f"call {i}")
    assert compiled.stats["replayed"] >= 4, compiled.stats
    return compiled


X = minitorch.tensor([1.0, -2.0, 3.0])


def scaled(x: Tensor) -> float:
    return (x * SCALE).sum().item()


def test_a_changed_global_number() -> None:
    def change(i: int) -> None:
        global SCALE
        SCALE = 5.0

    try:
        same_as_eager(scaled, lambda i: (X,), change)
    finally:
        globals()["SCALE"] = 2.0


def configured(x: Tensor) -> float:
    return (x * CONFIG["scale"] + minitorch.tensor(CONFIG["shift"] + [2.0])).sum().item()


def test_a_global_dict_mutated_in_place() -> None:
    def change(i: int) -> None:
        CONFIG["scale"] = 3.0
        CONFIG["shift"][0] = -4.0

    try:
        same_as_eager(configured, lambda i: (X,), change)
    finally:
        CONFIG.update(scale=2.0, shift=[1.0, 0.0])


def with_weights(x: Tensor, weights: np.ndarray) -> float:
    return (x * minitorch.tensor(weights)).sum().item()


def test_a_numpy_argument_mutated_in_place() -> None:
    weights = np.array([1.0, 2.0, 3.0])
    same_as_eager(with_weights, lambda i: (X, weights), lambda i: weights.__setitem__(0, 9.0))


def with_settings(x: Tensor, settings: dict[str, float]) -> float:
    return (x * settings["scale"]).sum().item()


def test_a_dict_argument_mutated_in_place() -> None:
    settings = {"scale": 2.0}
    same_as_eager(with_settings, lambda i: (X, settings),
                  lambda i: settings.__setitem__("scale", -1.5))


def test_a_closure_variable_rebound() -> None:
    scale = 2.0

    def fn(x: Tensor) -> float:
        return (x * scale).sum().item()

    def change(i: int) -> None:
        nonlocal scale
        scale = 7.0

    same_as_eager(fn, lambda i: (X,), change)


class Settings:
    """A plain object of the user's: its attributes are read by value."""

    def __init__(self) -> None:
        self.scale = 2.0


def test_an_attribute_of_a_users_object() -> None:
    settings = Settings()

    def fn(x: Tensor) -> float:
        return (x * settings.scale).sum().item()

    same_as_eager(fn, lambda i: (X,), lambda i: setattr(settings, "scale", 0.5))


def test_a_global_read_inside_a_model_s_forward() -> None:
    """The guard covers the user's functions that the compiled one calls, not only itself."""

    class Scaler(minitorch.Module):
        def forward(self, x: Tensor) -> Tensor:
            return x * SCALE

    model = Scaler()

    def fn(x: Tensor) -> float:
        return model(x).sum().item()

    def change(i: int) -> None:
        global SCALE
        SCALE = -3.0

    try:
        same_as_eager(fn, lambda i: (X,), change)
    finally:
        globals()["SCALE"] = 2.0


# -- parameters and module state ----------------------------------------------------------------


def linear_model() -> tuple[minitorch.nn.Linear, Callable[[Tensor], float]]:
    minitorch.manual_seed(0)
    model = minitorch.nn.Linear(3, 2)

    def fn(x: Tensor) -> float:
        with minitorch.no_grad():
            return model(x).sum().item()

    return model, fn


BATCH = minitorch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])


def test_a_new_parameter_tensor() -> None:
    model, fn = linear_model()

    def change(i: int) -> None:
        if i == 4:
            model.weight = Parameter(minitorch.tensor(np.full((2, 3), 0.25)))
        if i == 7:
            model.bias.value = minitorch.tensor([5.0, -5.0])

    same_as_eager(fn, lambda i: (BATCH,), change, changes_at=(4, 7))


def test_a_tensor_given_new_data() -> None:
    """``w.data = other`` replaces the tensor's storage: guarded by storage identity."""
    w = minitorch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)

    def fn(x: Tensor) -> float:
        loss = (x @ w).sum()
        loss.backward()
        w.grad = None
        return loss.item()

    same_as_eager(fn, lambda i: (BATCH,),
                  lambda i: setattr(w, "data", minitorch.tensor([[0.0], [1.0], [-1.0]])))


def test_train_and_eval() -> None:
    """Dropout in training mode, then eval(): each call draws from the same seed."""
    model = minitorch.nn.Sequential(minitorch.nn.Linear(3, 8), minitorch.nn.Dropout(0.5))

    def fn(x: Tensor) -> float:
        with minitorch.no_grad():
            return model(x).sum().item()

    compiled = minitorch.compile(fn)
    for i in range(CALLS):
        if i == 4:
            model.eval()
        minitorch.manual_seed(i)
        expected = fn(BATCH)
        minitorch.manual_seed(i)
        assert compiled(BATCH) == expected, i
    assert compiled.stats["replayed"] >= 4


def test_the_default_backend() -> None:
    def fn(x: Tensor) -> float:
        return (x * minitorch.ones(3)).sum().item()

    compiled = minitorch.compile(fn)
    for _ in range(4):
        compiled(X)
    with minitorch.set_default_backend(minitorch.SimpleBackend):
        x = minitorch.tensor([1.0, -2.0, 3.0])
        assert compiled(x) == fn(x) and compiled(x) == fn(x)
    assert len(compiled.entries) == 2


# -- what cannot be guarded is refused ----------------------------------------------------------

COUNTER = 0


def counted(x: Tensor) -> float:
    y = x * 2.0 if COUNTER >= 0 else x  # (it reads the counter; its value does not matter)
    return y.sum().item()


def test_a_global_that_changes_on_every_call_makes_it_eager() -> None:
    global COUNTER
    compiled = minitorch.compile(counted)
    with pytest.warns(CompileWarning, match="'COUNTER'"):
        for _ in range(12):
            COUNTER += 1
            assert compiled(X) == counted(X)
    assert compiled.explain()


def reads_big(x: Tensor) -> float:
    return (x * float(BIG[0])).sum().item()


def test_a_large_global_array_makes_it_eager() -> None:
    compiled = minitorch.compile(reads_big)
    with pytest.warns(CompileWarning, match="'BIG'.*MiB"):
        for _ in range(3):
            assert compiled(X) == reads_big(X)
    assert compiled.stats["replayed"] == 0


def test_guards_of_plain_values() -> None:
    from minitorch.replay import guards

    for value in (1, 2.5, float("nan"), "a", None, (1, [2.0, {"k": np.ones(2)}]), {3, 4}):
        assert guards.unchanged(guards.snapshot(value), value)
    assert not guards.unchanged(guards.snapshot(1), 1.0)  # another type
    assert not guards.unchanged(guards.snapshot([1, 2]), [1, 2, 3])
    assert not guards.unchanged(guards.snapshot({"a": np.ones(2)}), {"a": np.zeros(2)})
    with pytest.raises(guards.UnguardableError, match="MiB"):
        guards.snapshot(np.zeros(1 << 18))
