r"""Weight initialisers with PyTorch's names and formulas; each fills a tensor in place.

For a weight of shape ``(out, in, *kernel)``: :math:`\text{fan\_in} = \text{in} \cdot \prod
\text{kernel}` and :math:`\text{fan\_out} = \text{out} \cdot \prod \text{kernel}`.  Values are
drawn with Python's ``random``, so :func:`manual_seed` makes them reproducible.
"""

from __future__ import annotations

import math
import random

import numpy as np

from ..ops.random import manual_seed as manual_seed  # (nn.init.manual_seed, as before)
from ..tensor import Tensor


def _fans(t: Tensor) -> tuple[int, int]:
    if t.dims < 2:
        raise ValueError(f"fan in/out need a tensor of at least 2 dimensions, got shape {t.shape}")
    receptive = math.prod(t.shape[2:])
    return t.shape[1] * receptive, t.shape[0] * receptive


def _fill(t: Tensor, values: list[float]) -> Tensor:
    """Write ``values`` (row-major order) into ``t``'s elements, in place."""
    t._tensor.write(..., np.array(values, dtype=np.float64).reshape(t.shape))
    return t


def uniform_(t: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill with values uniform in [a, b)."""
    return _fill(t, [random.uniform(a, b) for _ in range(t.size)])


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    """Fill with normal values N(mean, std^2)."""
    return _fill(t, [random.gauss(mean, std) for _ in range(t.size)])


def zeros_(t: Tensor) -> Tensor:
    """Fill with 0."""
    return _fill(t, [0.0] * t.size)


def ones_(t: Tensor) -> Tensor:
    """Fill with 1."""
    return _fill(t, [1.0] * t.size)


def xavier_uniform_(t: Tensor, gain: float = 1.0) -> Tensor:
    r"""Glorot uniform: :math:`U(-a, a)` with
    :math:`a = \text{gain}\sqrt{6 / (\text{fan\_in} + \text{fan\_out})}`."""
    fan_in, fan_out = _fans(t)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound)


def xavier_normal_(t: Tensor, gain: float = 1.0) -> Tensor:
    r"""Glorot normal: :math:`N(0, \sigma^2)` with
    :math:`\sigma = \text{gain}\sqrt{2 / (\text{fan\_in} + \text{fan\_out})}`."""
    fan_in, fan_out = _fans(t)
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def _kaiming_std(t: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    gains = {"relu": math.sqrt(2.0), "leaky_relu": math.sqrt(2.0 / (1 + a * a)), "linear": 1.0,
             "sigmoid": 1.0, "tanh": 5.0 / 3}
    if nonlinearity not in gains:
        raise ValueError(f"nonlinearity must be one of {sorted(gains)}, got {nonlinearity!r}")
    fan_in, fan_out = _fans(t)
    return gains[nonlinearity] / math.sqrt(fan_in if mode == "fan_in" else fan_out)


def kaiming_uniform_(
    t: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    r"""He uniform: :math:`U(-b, b)`, :math:`b = \sqrt{3} \cdot \text{gain} / \sqrt{\text{fan}}`."""
    bound = math.sqrt(3.0) * _kaiming_std(t, a, mode, nonlinearity)
    return uniform_(t, -bound, bound)


def kaiming_normal_(
    t: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    r"""He normal: :math:`N(0, \sigma^2)`, :math:`\sigma = \text{gain} / \sqrt{\text{fan}}`."""
    return normal_(t, 0.0, _kaiming_std(t, a, mode, nonlinearity))
