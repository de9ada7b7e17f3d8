"""state_dict / load_state_dict and save / load: bit-exact round trips, atomic writes, and
clear errors for truncated, corrupt, wrong-shape and wrong-name files (model untouched)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import minitorch
from minitorch import FastBackend


def model() -> minitorch.Module:
    return minitorch.Sequential(minitorch.Linear(4, 3), minitorch.Tanh(), minitorch.Linear(3, 2))


def values(m: minitorch.Module) -> dict[str, np.ndarray]:
    return {k: v.to_numpy() for k, v in m.state_dict().items()}


def test_round_trip_is_bit_exact(tmp_path: Path) -> None:
    minitorch.manual_seed(0)
    a = model()
    path = tmp_path / "model.npz"
    minitorch.save(a.state_dict(), path)
    minitorch.manual_seed(1)
    b = model()
    b.load_state_dict(minitorch.load(path, backend=FastBackend))
    for k, v in values(a).items():
        np.testing.assert_array_equal(values(b)[k], v)  # exact, not approximate
    assert list(values(b)) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert b[0].weight.value.is_leaf() and b[0].weight.value.requires_grad()
    x = minitorch.tensor(np.ones((1, 4)), backend=FastBackend)
    np.testing.assert_array_equal(a(x).to_numpy(), b(x).to_numpy())
    assert os.listdir(tmp_path) == ["model.npz"]  # no temporary file left behind


def test_scalar_modules_round_trip() -> None:
    from minitorch.train.scalar_train import Network

    a, b = Network(2), Network(2)
    b.load_state_dict(a.state_dict())
    assert [p.value.data for p in b.parameters()] == [p.value.data for p in a.parameters()]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_corrupt_files(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "model.npz"
    minitorch.save(model().state_dict(), path)
    raw = path.read_bytes()
    path.write_bytes({"truncated": raw[: len(raw) // 2], "garbage": b"not a checkpoint" * 10, "empty": b""}[damage])
    with pytest.raises(ValueError, match="is not a readable minitorch checkpoint"):
        minitorch.load(path)


def test_wrong_shape_or_names_leave_the_model_untouched(tmp_path: Path) -> None:
    m = model()
    before = values(m)
    state = m.state_dict()
    state["2.weight"] = minitorch.tensor(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"'2.weight' has shape \(2, 3\), the state has \(3, 3\)"):
        m.load_state_dict(state)
    state = m.state_dict()
    state["extra"] = minitorch.tensor([1.0])
    del state["0.bias"]
    with pytest.raises(KeyError, match=r"missing parameters \['0.bias'\], unexpected names \['extra'\]"):
        m.load_state_dict(state)
    after = values(m)
    for k in before:
        np.testing.assert_array_equal(after[k], before[k])


def test_save_refuses_what_it_cannot_store(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="expected a dict"):
        minitorch.save([1, 2], tmp_path / "x.npz")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'f' is a builtin_function_or_method; only tensors"):
        minitorch.save({"f": print}, tmp_path / "x.npz")
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_files_with_pickled_objects_are_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, obj=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="not a readable minitorch checkpoint"):
        minitorch.load(path)
