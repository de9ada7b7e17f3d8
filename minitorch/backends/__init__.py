"""What the backends share beyond the course's contract (:mod:`minitorch.tensor_ops`):

- :mod:`~minitorch.backends.default`: the default backend, and the rule that backends never
  mix;
- :mod:`~minitorch.backends.runtime`: what the numba CPU backend sets up the first time a
  kernel runs (the kernel cache, the thread pool, fork safety, the allocator);
- :mod:`~minitorch.backends.allocator`: glibc told to keep freed memory for reuse;
- :mod:`~minitorch.backends.cuda_storage`: GPU results that stay on the device.

The course's backends themselves keep the course's paths: ``minitorch.fast_ops``,
``minitorch.cuda_ops``, ``minitorch.fast_conv``.
"""

from typing import Any

_DEFAULT_NAMES = ("get_default_backend", "set_default_backend", "resolve", "same_backend",
                  "check_same_backend", "backend_name")


def __getattr__(name: str) -> Any:
    """The names of :mod:`~minitorch.backends.default` as ``minitorch.backends.<name>``, as
    before this package existed (imported when asked: the default module needs fast_ops,
    which needs this package)."""
    if name not in _DEFAULT_NAMES:
        raise AttributeError(f"module 'minitorch.backends' has no attribute {name!r}")
    from . import default

    return getattr(default, name)
