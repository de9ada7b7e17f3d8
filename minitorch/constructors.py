"""More tensor constructors with PyTorch's names: ``linspace``, ``arange``, ``randn``, ``normal``.

Random draws come from a numpy generator seeded from Python's ``random``, so
``minitorch.manual_seed(s)`` makes them reproducible (as it does ``rand``, the
initialisers and dropout) while millions of values still take milliseconds.
"""

from __future__ import annotations

import random
from typing import Optional, Union

import numpy as np

from .tensor import Tensor
from .tensor_ops import SimpleBackend, TensorBackend


def _make(values: np.ndarray, backend: TensorBackend, requires_grad: bool) -> Tensor:
    t = Tensor.make(np.ascontiguousarray(values, np.float64).ravel(), values.shape, backend=backend)
    return t.requires_grad_(requires_grad)


def _generator() -> np.random.Generator:
    """A numpy generator drawn from Python's ``random`` state (which ``manual_seed`` sets)."""
    return np.random.default_rng(random.getrandbits(64))


def _shape(shape: tuple[Union[int, tuple[int, ...]], ...]) -> tuple[int, ...]:
    """``randn(2, 3)`` and ``randn((2, 3))`` both mean shape ``(2, 3)``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(int(s) for s in shape[0])
    return tuple(int(s) for s in shape)  # type: ignore[arg-type]


def linspace(
    start: float, end: float, steps: int, backend: TensorBackend = SimpleBackend,
    requires_grad: bool = False,
) -> Tensor:
    r"""``steps`` evenly spaced values from ``start`` to ``end`` inclusive:
    :math:`x_i = \text{start} + i \, (\text{end} - \text{start}) / (\text{steps} - 1)`."""
    if int(steps) != steps or steps < 0:
        raise ValueError(f"linspace: steps must be a non-negative integer, got {steps!r}")
    return _make(np.linspace(start, end, int(steps)), backend, requires_grad)


def arange(
    start: float, end: Optional[float] = None, step: float = 1.0,
    backend: TensorBackend = SimpleBackend, requires_grad: bool = False,
) -> Tensor:
    """Values ``start, start + step, ...`` below ``end`` (``arange(n)``: ``0 .. n-1``)."""
    if end is None:
        start, end = 0.0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    return _make(np.arange(start, end, step, dtype=np.float64), backend, requires_grad)


def randn(
    *shape: Union[int, tuple[int, ...]], backend: TensorBackend = SimpleBackend,
    requires_grad: bool = False,
) -> Tensor:
    """Standard normal values of the given shape (``randn(2, 3)`` or ``randn((2, 3))``)."""
    return _make(_generator().standard_normal(_shape(shape)), backend, requires_grad)


def normal(
    mean: Union[float, Tensor], std: Union[float, Tensor] = 1.0,
    size: Optional[tuple[int, ...]] = None, backend: Optional[TensorBackend] = None,
) -> Tensor:
    r"""Normal values :math:`\mathcal N(\text{mean}, \text{std}^2)`, elementwise.

    ``mean`` and ``std`` are numbers or tensors (``normal(mean=zeros(n), std=0.2)`` as in
    PyTorch); the shape is theirs broadcast together, or ``size`` when both are numbers.
    """
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if backend is None:
        backend = tensors[0].backend if tensors else SimpleBackend
    m = mean.to_numpy() if isinstance(mean, Tensor) else float(mean)
    s = std.to_numpy() if isinstance(std, Tensor) else float(std)
    if np.any(np.asarray(s) < 0):
        raise ValueError(f"normal: std must be >= 0, got {std!r}")
    if not tensors and size is None:
        raise ValueError("normal: give size=(...) when mean and std are both numbers")
    shape = tuple(size) if not tensors and size is not None else np.broadcast(m, s).shape
    if tensors and size is not None and tuple(size) != shape:
        raise ValueError(
            f"normal: size={tuple(size)} disagrees with the shape {shape} of mean and std"
        )
    values = np.asarray(m + s * _generator().standard_normal(shape))
    return _make(values, backend, False)
