"""Grad mode: whether tensor operations record history for autodiff.

``no_grad()``, ``enable_grad()`` and ``set_grad_enabled(flag)`` are context managers and
decorators with PyTorch's names; :func:`is_grad_enabled` reads the mode.  A backward pass
runs with recording off, unless ``backward(create_graph=True)`` asks for differentiable
gradients (``grad_mode(create_graph)``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

enabled = True
"""Whether tensor operations record history (``Function.apply`` reads it on every call, and
turns it off while a forward pass runs)."""


def is_grad_enabled() -> bool:
    """True when tensor operations record history for autodiff."""
    return enabled


class grad_mode:  # noqa: N801 - used like a function: ``with grad_mode(False): ...``
    """Turn history recording on or off inside a ``with`` block (restored afterwards)."""

    def __init__(self, mode: bool) -> None:
        self.mode = mode
        self.previous = True

    def __enter__(self) -> None:
        global enabled
        self.previous = enabled
        enabled = self.mode

    def __exit__(self, *exc: Any) -> None:
        global enabled
        enabled = self.previous

    def __call__(self, fn: F) -> F:
        """Use as a decorator: ``fn`` runs in this mode."""
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with grad_mode(mode):
                return fn(*args, **kwargs)

        return cast(F, wrapper)


class no_grad(grad_mode):  # noqa: N801 - PyTorch's name
    """Context manager and decorator that turns history recording off.

    >>> with no_grad():
    ...     y = x * 2          # y has no history
    """

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(grad_mode):  # noqa: N801 - PyTorch's name
    """Context manager and decorator that turns history recording on (inside ``no_grad``)."""

    def __init__(self) -> None:
        super().__init__(True)


class set_grad_enabled(grad_mode):  # noqa: N801 - PyTorch's name
    """Turn recording on or off now (``set_grad_enabled(False)``), or only inside a ``with``
    block (then the previous mode comes back after it)."""

    def __init__(self, mode: bool) -> None:
        global enabled
        super().__init__(mode)
        self.previous = enabled
        enabled = mode

    def __enter__(self) -> None:
        pass
