"""The default backend: where a tensor lives when no ``backend=`` is given.

Every constructor (``tensor``, ``zeros``, ``rand``, ``linspace``, ...) and every layer puts
its tensors on :data:`~minitorch.FastBackend` (numba, compiled) unless told otherwise::

    minitorch.set_default_backend(minitorch.SimpleBackend)        # from now on
    with minitorch.set_default_backend(minitorch.SimpleBackend):  # only inside the block
        x = minitorch.zeros(3)                                    # a SimpleBackend tensor

Tensors on two different backends never mix: an operation on both raises ``TypeError``
(see :func:`check_same_backend`); numbers and numpy arrays take the tensor's backend.
"""

from __future__ import annotations

from typing import Any, Optional

from ..fast_ops import FastBackend
from ..tensor_ops import TensorBackend

_default: TensorBackend = FastBackend


def get_default_backend() -> TensorBackend:
    """The backend new tensors get when no ``backend=`` is given (``FastBackend`` at start)."""
    return _default


def resolve(backend: Optional[TensorBackend]) -> TensorBackend:
    """``backend`` itself, or the default one when it is None."""
    if backend is None:
        return _default
    if not isinstance(backend, TensorBackend):
        raise TypeError(
            f"backend must be a TensorBackend such as minitorch.FastBackend or "
            f"minitorch.SimpleBackend, got {type(backend).__name__} {backend!r}"
        )
    return backend


class set_default_backend:  # noqa: N801 - used like a function, as torch.set_grad_enabled
    """Make ``backend`` the default now; as a ``with`` block, restore the old one after it."""

    def __init__(self, backend: TensorBackend) -> None:
        global _default
        self.previous = _default
        _default = resolve(backend)

    def __enter__(self) -> TensorBackend:
        return _default

    def __exit__(self, *exc: Any) -> None:
        global _default
        _default = self.previous


def backend_name(backend: TensorBackend) -> str:
    """A readable name for error messages: the ops class (``FastOps``, ``SimpleOps``, ...)."""
    return f"{backend.ops.__name__} backend"


def same_backend(a: TensorBackend, b: TensorBackend) -> bool:
    """Whether tensors on ``a`` and ``b`` may meet in one operation: the same kernels.

    Two ``TensorBackend`` objects built from one ``TensorOps`` class (the course builds its
    own ``TensorBackend(FastOps)``) run the same kernels on the same memory, so they mix.
    """
    return a is b or a.ops is b.ops


def check_same_backend(op: str, backends: list[TensorBackend]) -> None:
    """Raise ``TypeError`` naming both backends when an operation's inputs live on two."""
    first = backends[0]
    for other in backends[1:]:
        if not same_backend(first, other):
            raise TypeError(
                f"{op}: the inputs are on two backends, {backend_name(first)} and "
                f"{backend_name(other)}; minitorch never moves a tensor silently. Make them on "
                "one backend (backend=...) or copy one over with .to(backend)"
            )
