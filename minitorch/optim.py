r"""Optimizers: update parameters from their gradients.

:class:`SGD` performs :math:`\theta \leftarrow \theta - \eta \, \nabla_\theta L`
for Scalar parameters (gradient in ``.derivative``) and Tensor parameters
(gradient in ``.grad``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Real

from .module import Parameter
from .scalar import Scalar
from .tensor_functions import no_grad


class Optimizer:
    """Base class: holds the parameters to update."""

    def __init__(self, parameters: Iterable[Parameter]) -> None:
        self.parameters: Sequence[Parameter] = list(parameters)


class SGD(Optimizer):
    r"""Stochastic gradient descent: :math:`\theta \leftarrow \theta - \text{lr} \cdot g`."""

    def __init__(self, parameters: Iterable[Parameter], lr: float = 1.0) -> None:
        super().__init__(parameters)
        if not isinstance(lr, Real) or lr < 0:
            raise ValueError(f"SGD: the learning rate must be a number >= 0, got {lr!r}")
        self.lr: float = float(lr)

    def zero_grad(self) -> None:
        """Forget the gradients of every parameter (``derivative`` / ``grad`` -> None)."""
        for p in self.parameters:
            value = p.value
            if value is None:
                continue
            if getattr(value, "derivative", None) is not None:
                value.derivative = None
            if getattr(value, "grad", None) is not None:
                value.grad = None

    def step(self) -> None:
        """Move every parameter that has a gradient one step against it."""
        for p in self.parameters:
            value = p.value
            if value is None:
                continue
            if getattr(value, "derivative", None) is not None:
                p.update(Scalar(value.data - self.lr * value.derivative))
            elif getattr(value, "grad", None) is not None:
                with no_grad():
                    p.update(value - self.lr * value.grad)
