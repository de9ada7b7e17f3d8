"""micrograd (Karpathy's lecture engine) on minitorch: ``from minitorch.micrograd import Value,
MLP`` stands in for ``from micrograd.engine import Value`` and ``from micrograd.nn import MLP``
(also as :mod:`minitorch.micrograd.engine` and :mod:`minitorch.micrograd.nn`, micrograd's
own module names)."""

from .engine import Value
from .nn import MLP, Layer, Module, Neuron

__all__ = ["MLP", "Layer", "Module", "Neuron", "Value"]
