r"""Randomness: the generators and every random draw of tensors.

``minitorch.manual_seed(s)`` seeds Python's ``random``, which the course's own draws use
(its ``rand``, its data sets, ``grad_check``'s sampled index) and from which the numpy
generators behind ``randn``, ``normal``, ``randint`` and ``randperm`` are seeded, so every
draw is reproducible while millions of values still take milliseconds.  A
:class:`Generator` is a seedable source of its own (torch's name; ``DataLoader(generator=)``,
``random_split``).

Each draw into a tensor is a launch (``tape.launch``), so a compiled step draws new values on
every replay, from the same state as eager code.  A new random function (``multinomial``,
``bernoulli``) goes here: a draw function of ``(n, *params)`` and a constructor calling
:func:`_drawn`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt

from ..replay import tape
from ..tensor import Tensor
from ..tensor_ops import TensorBackend
from . import dtypes
from .constructors import like_shape, new_tensor, parse_size

Array = npt.NDArray[Any]


def manual_seed(seed: int) -> None:
    """Seed the generator behind ``rand``, the initialisers and ``dropout``."""
    random.seed(seed)


def _generator() -> np.random.Generator:
    """A numpy generator drawn from Python's ``random`` state (which ``manual_seed`` sets)."""
    return np.random.default_rng(random.getrandbits(64))


class Generator:
    """A seedable source of random orders (torch's ``Generator``):
    ``Generator().manual_seed(0)``."""

    def __init__(self) -> None:
        self._rng = np.random.default_rng(random.getrandbits(64))

    def manual_seed(self, seed: int) -> Generator:
        self._rng = np.random.default_rng(seed)
        return self

    def permutation(self, n: int) -> np.ndarray:
        return self._rng.permutation(n)


# -- random tensors ------------------------------------------------------------------------


def _drawn(
    shape: tuple[int, ...], draw: Callable[..., Array], *params: Any,
    backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    dtype: Optional[dtypes.dtype] = None, default: dtypes.dtype = dtypes.float64,
) -> Tensor:
    """A tensor of ``draw(n, *params)`` random values of ``dtype`` (else ``default``), drawn
    by a launch (so a compiled function draws new ones on every call, from the same random
    state as eager code)."""
    dt = default if dtype is None else dtypes.resolve(dtype)
    values = np.empty(math.prod(shape), dt.storage_type())
    tape.launch(_draw, values, draw, dt, *params)
    return new_tensor(values.reshape(shape), backend, requires_grad)


def _draw(out: Array, draw: Callable[..., Array], dt: dtypes.dtype, *params: Any) -> None:
    out[...] = dt.convert(np.asarray(draw(out.size, *params)))


def _uniform(n: int) -> Array:
    return np.array([random.random() for _ in range(n)])


def _normal(n: int) -> Array:
    return _generator().standard_normal(n)


def _integers(n: int, low: int, high: int) -> Array:
    return _generator().integers(low, high, n)


def rand(
    *size: Any, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """Uniform [0, 1) values drawn with Python's ``random`` (seed it, or ``manual_seed``)."""
    shape, given = parse_size(size, "rand")
    return _drawn(shape, _uniform, backend=backend or given, requires_grad=requires_grad,
                  dtype=dtype)


def randn(
    *size: Any, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
    dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """Standard normal values: ``randn(2, 3)`` or ``randn((2, 3))``."""
    shape, given = parse_size(size, "randn")
    return _drawn(shape, _normal, backend=backend or given, requires_grad=requires_grad,
                  dtype=dtype)


def randint(
    low: int, high: Optional[int] = None, size: Sequence[int] = (),
    backend: Optional[TensorBackend] = None, *, dtype: Optional[dtypes.dtype] = None,
) -> Tensor:
    """Random integers in ``[low, high)`` (``randint(high, size)`` from 0), int64 (as torch)."""
    if high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(f"randint: high ({high}) must be greater than low ({low})")
    shape, _ = parse_size((size,), "randint")
    return _drawn(shape, _integers, int(low), int(high), backend=backend, dtype=dtype,
                  default=dtypes.int64)


def randperm(
    n: int, backend: Optional[TensorBackend] = None, *, dtype: Optional[dtypes.dtype] = None
) -> Tensor:
    """The numbers ``0 .. n-1`` in a random order, int64 (as torch)."""
    (count,), _ = parse_size((n,), "randperm")
    order = _generator().permutation(count)
    return new_tensor(order, backend, False, dtypes.int64 if dtype is None else dtype)


def normal(
    mean: Union[float, Tensor], std: Union[float, Tensor] = 1.0,
    size: Optional[Sequence[int]] = None, backend: Optional[TensorBackend] = None,
    requires_grad: bool = False,
) -> Tensor:
    r"""Normal values :math:`\mathcal N(\text{mean}, \text{std}^2)`, elementwise.

    ``mean`` and ``std`` are numbers or tensors (``normal(mean=zeros(n), std=0.2)`` as in
    PyTorch); the shape is theirs broadcast together, or ``size`` when both are numbers.
    """
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if backend is None and tensors:
        backend = tensors[0].backend
    m = mean.to_numpy() if isinstance(mean, Tensor) else float(mean)
    s = std.to_numpy() if isinstance(std, Tensor) else float(std)
    if np.any(np.asarray(s) < 0):
        raise ValueError(f"normal: std must be >= 0, got {std!r}")
    if not tensors and size is None:
        raise ValueError("normal: give size=(...) when mean and std are both numbers")
    shape = parse_size((size,), "normal")[0] if size is not None else np.broadcast(m, s).shape
    if tensors and size is not None and shape != np.broadcast(m, s).shape:
        raise ValueError(
            f"normal: size={shape} disagrees with the shape {np.broadcast(m, s).shape} "
            "of mean and std"
        )
    values = np.asarray(m + s * _generator().standard_normal(shape))
    return new_tensor(values, backend, requires_grad)


def rand_like(t: Tensor, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
              *, dtype: Optional[dtypes.dtype] = None) -> Tensor:
    """Uniform [0, 1) values with ``t``'s shape, on ``t``'s backend."""
    return rand(like_shape(t, "rand_like"), backend=backend or t.backend,
                requires_grad=requires_grad, dtype=dtype)


def randn_like(t: Tensor, backend: Optional[TensorBackend] = None, requires_grad: bool = False,
               *, dtype: Optional[dtypes.dtype] = None) -> Tensor:
    """Standard normal values with ``t``'s shape, on ``t``'s backend."""
    return randn(like_shape(t, "randn_like"), backend=backend or t.backend,
                 requires_grad=requires_grad, dtype=dtype)
