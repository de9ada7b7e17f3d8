"""Datasets and mini-batch loaders with torch's names and rules (``torch.utils.data``).

>>> data = TensorDataset(x, y)                     # x: (N, ...), y: (N,)
>>> for xb, yb in DataLoader(data, batch_size=32, shuffle=True):
...     ...                                         # xb: (32, ...), yb: (32,)

The last partial batch is kept unless ``drop_last=True``.  Shuffling draws from
``minitorch.manual_seed``'s generator, or from ``generator=`` (a :class:`Generator`), so
epochs are reproducible.  Batches are loaded in the calling process: ``num_workers`` is
accepted for torch code and ignored (no worker processes are started).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, Optional, TypeVar

import numpy as np

from ..ops.constructors import tensor
from ..ops.random import Generator as Generator  # torch.utils.data's users find it here
from ..ops.shapes import stack
from ..tensor import Tensor

T = TypeVar("T")


class Dataset(Generic[T]):
    """A collection of samples: ``dataset[i]`` and ``len(dataset)``."""

    def __getitem__(self, index: int) -> T:
        raise NotImplementedError(f"{type(self).__name__} does not define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} does not define __len__")


class TensorDataset(Dataset[tuple[Any, ...]]):
    """Samples are the rows of tensors that share their first dimension: ``(x[i], y[i])``."""

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        for t in tensors:
            if not isinstance(t, Tensor) or t.dims == 0:
                raise TypeError(f"TensorDataset takes tensors with a first dimension, got {t!r}")
        sizes = [t.shape[0] for t in tensors]
        if len(set(sizes)) != 1:
            raise ValueError(f"TensorDataset: the tensors' first dimensions differ: {sizes}")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Any, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class Subset(Dataset[T]):
    """The samples of ``dataset`` at ``indices``."""

    def __init__(self, dataset: Dataset[T], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = [int(i) for i in indices]

    def __getitem__(self, index: int) -> T:
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(
    dataset: Dataset[T], lengths: Sequence[float], generator: Optional[Generator] = None
) -> list[Subset[T]]:
    """Split into non-overlapping random subsets of the given lengths (or fractions)."""
    n = len(dataset)
    counts = [int(x) for x in lengths]
    if all(0 <= x <= 1 for x in lengths) and math.isclose(sum(lengths), 1.0):
        counts = [int(math.floor(n * x)) for x in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    if sum(counts) != n:
        raise ValueError(f"random_split: lengths {list(lengths)} do not add up to {n} samples")
    order = (generator or Generator()).permutation(n)
    starts = np.cumsum([0] + counts)
    return [Subset(dataset, order[a:b].tolist()) for a, b in zip(starts[:-1], starts[1:])]


def default_collate(samples: Sequence[Any]) -> Any:
    """Join samples into a batch: tensors are stacked, numbers become a tensor, tuples and
    dicts are joined field by field."""
    first = samples[0]
    if isinstance(first, Tensor):
        return stack(list(samples))
    if isinstance(first, (int, float, np.number, np.ndarray)):
        return tensor(np.asarray(samples, dtype=np.float64))
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        return type(first)(default_collate(list(field)) for field in zip(*samples))
    raise TypeError(f"default_collate: cannot batch samples of type {type(first).__name__}")


class DataLoader(Generic[T]):
    """Mini-batches of ``dataset``: ``batch_size`` samples joined by ``collate_fn``.

    A :class:`TensorDataset` is batched by indexing its tensors once per batch (no
    per-sample work).  ``shuffle`` draws a new order each epoch.
    """

    def __init__(
        self,
        dataset: Dataset[T],
        batch_size: Optional[int] = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: Optional[Generator] = None,
        collate_fn: Optional[Callable[[Sequence[T]], Any]] = None,
        num_workers: int = 0,
        **ignored: Any,
    ) -> None:
        if batch_size is not None and (int(batch_size) != batch_size or batch_size <= 0):
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size}")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = generator
        self.collate_fn = collate_fn
        self.num_workers = num_workers

    def _order(self) -> np.ndarray:
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        return (self.generator or Generator()).permutation(n)

    def _batches(self) -> Iterator[np.ndarray]:
        order = self._order()
        size = self.batch_size or 1
        stop = len(order) - len(order) % size if self.drop_last else len(order)
        for start in range(0, stop, size):
            yield order[start : start + size]

    def __iter__(self) -> Iterator[Any]:
        if self.batch_size is None:
            for i in self._order():
                yield self.dataset[int(i)]
            return
        dataset = self.dataset
        collate = self.collate_fn or default_collate
        for idx in self._batches():
            if isinstance(dataset, TensorDataset) and self.collate_fn is None:
                yield tuple(t[idx] for t in dataset.tensors)  # one gather per tensor
            else:
                yield collate([dataset[int(i)] for i in idx])

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
