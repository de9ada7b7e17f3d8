"""minitorch.utils.data against torch.utils.data: the same batches for the same orders."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from minitorch.utils.data import (
    DataLoader,
    Dataset,
    Generator,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)

X = np.arange(20.0).reshape(10, 2)
Y = np.arange(10.0) % 3


def batches(loader: object) -> list[list[np.ndarray]]:
    return [[np.asarray(part) for part in batch] for batch in loader]  # type: ignore[attr-defined]


@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (3, False), (3, True), (10, False),
                                                  (16, False), (16, True)])
def test_batches_in_order_match_torch(batch_size: int, drop_last: bool) -> None:
    ours = DataLoader(TensorDataset(minitorch.tensor(X), minitorch.tensor(Y)), batch_size,
                      drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y)), batch_size,
        drop_last=drop_last)
    got, want = batches(ours), batches(theirs)
    assert len(ours) == len(theirs) == len(got) == len(want)
    for (gx, gy), (wx, wy) in zip(got, want):
        np.testing.assert_array_equal(gx, wx)
        np.testing.assert_array_equal(gy, wy)


def test_shuffle_is_a_permutation_reproducible_by_seed() -> None:
    data = TensorDataset(minitorch.tensor(X), minitorch.tensor(Y))
    minitorch.manual_seed(0)
    first = batches(DataLoader(data, 4, shuffle=True))
    minitorch.manual_seed(0)
    again = batches(DataLoader(data, 4, shuffle=True))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(first, again))
    rows = np.concatenate([b[0] for b in first])
    assert sorted(rows[:, 0].tolist()) == X[:, 0].tolist()  # every sample once
    assert not np.array_equal(rows, X)  # and a different order
    g1 = batches(DataLoader(data, 4, shuffle=True, generator=Generator().manual_seed(3)))
    g2 = batches(DataLoader(data, 4, shuffle=True, generator=Generator().manual_seed(3)))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(g1, g2))


def test_batches_are_differentiable_and_on_the_data_backend() -> None:
    x = minitorch.tensor(X, backend=minitorch.SimpleBackend, requires_grad=True)
    (xb,) = next(iter(DataLoader(TensorDataset(x), 4)))
    assert xb.backend is minitorch.SimpleBackend
    xb.sum().backward()
    assert x.grad.to_numpy()[:, 0].tolist() == [1.0] * 4 + [0.0] * 6


class Squares(Dataset[tuple[float, float]]):
    def __len__(self) -> int:
        return 5

    def __getitem__(self, i: int) -> tuple[float, float]:
        return float(i), float(i * i)


def test_any_dataset_with_the_default_collate() -> None:
    (xs, ys), (xs2, ys2) = list(DataLoader(Squares(), batch_size=3))[:2]
    assert xs.to_numpy().tolist() == [0.0, 1.0, 2.0] and ys2.to_numpy().tolist() == [9.0, 16.0]
    stacked = default_collate([minitorch.ones(2), minitorch.zeros(2)])
    assert stacked.shape == (2, 2)
    assert default_collate([{"a": 1.0}, {"a": 2.0}])["a"].to_numpy().tolist() == [1.0, 2.0]
    assert [s for s in DataLoader(Squares(), batch_size=None)][2] == (2.0, 4.0)
    with pytest.raises(TypeError, match="cannot batch samples of type str"):
        default_collate(["a", "b"])


def test_random_split_and_subset() -> None:
    parts = random_split(Squares(), [3, 2], generator=Generator().manual_seed(1))
    assert [len(p) for p in parts] == [3, 2]
    seen = sorted(p[i][0] for p in parts for i in range(len(p)))
    assert seen == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert [len(p) for p in random_split(Squares(), [0.6, 0.4])] == [3, 2]
    assert Subset(Squares(), [4])[0] == (4.0, 16.0)
    with pytest.raises(ValueError, match="do not add up to 5 samples"):
        random_split(Squares(), [2, 2])


def test_errors() -> None:
    with pytest.raises(ValueError, match=r"first dimensions differ: \[10, 3\]"):
        TensorDataset(minitorch.tensor(X), minitorch.ones(3))
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        DataLoader(Squares(), batch_size=0)
    with pytest.raises(NotImplementedError, match="does not define __len__"):
        len(Dataset())
