r"""What the numba CPU backend sets up, and when: importing minitorch writes nothing and
changes no process setting; the first kernel to run sets up the rest.

- **The kernel cache.**  Kernels are compiled once per machine and kept beside the package
  (numba's ``cache=True``, in ``minitorch/__pycache__``).  numba recompiles a cached kernel
  when the file defining it changes, but these kernels also inline the scalar functions of
  operators.py and the index arithmetic of tensor_data.py: :class:`KernelCache` is numba's
  in-tree cache with a freshness stamp that covers those files too, so a changed operator
  is compiled again (numba's own check, per kernel, when it loads), and nothing needs to be
  cleared, or written, at import.
- **At the first kernel** (:func:`first_use`): glibc is told to keep freed memory for reuse
  (:mod:`~minitorch.backends.allocator`).
- **At the first parallel kernel** (:func:`start_pool`): numba's thread pool starts with idle
  threads that sleep, and a fork hook notes a child forked from then on, which must not
  enter the parent's OpenMP pool (GNU OpenMP kills it): its kernels run serially.
- **numba.cuda** is reachable as ``numba.cuda`` once minitorch is imported, as it is with the
  course's package (whose tests call ``numba.cuda.is_available()`` at import), but it is
  loaded only when first used (:func:`expose_numba_cuda`): loading it costs a tenth of a
  second that a program on the CPU would pay at every start.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numba
from numba.core import caching

from . import allocator

if TYPE_CHECKING:
    from numba.core.caching import InTreeCacheLocator as _InTree
else:  # numba's public name since 0.61, its private one before
    _InTree = getattr(caching, "InTreeCacheLocator", None) or caching._InTreeCacheLocator

PACKAGE = Path(__file__).resolve().parent.parent
"""The minitorch package folder: the kernels defined in it are cached by :class:`KernelCache`."""

INLINED = ("operators.py", "tensor_data.py")
"""The package files whose functions the kernels inline (so their stamps are the kernels')."""


class KernelCache(_InTree):
    """numba's in-tree kernel cache, for kernels defined in minitorch (generated fused
    kernels included), stamped with the files they inline as well as their own."""

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Optional[KernelCache]:
        path = Path(py_file).resolve()
        if not path.is_relative_to(PACKAGE) or not path.exists():
            return None
        locator = cls(py_func, py_file)
        folder = path.parent / "__pycache__"  # (where the in-tree locator keeps them)
        if folder.exists() and not os.access(folder, os.W_OK):
            return None  # a read-only install: numba's other places (the user's cache)
        return locator  # (numba makes the folder when it first saves a kernel)

    def get_source_stamp(self) -> Any:
        return tuple(_stamp(path) for path in (Path(self._py_file), *INLINED_PATHS))


INLINED_PATHS = tuple(PACKAGE / name for name in INLINED)


def _stamp(path: Path) -> str:
    """A file's content hash (read again only when its size or time changes)."""
    st = path.stat()
    return _hash(str(path), st.st_mtime_ns, st.st_size)


@functools.cache
def _hash(path: str, mtime: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def use_kernel_cache() -> None:
    """Put :class:`KernelCache` first among numba's cache locators (before kernels are made)."""
    locators = caching.CacheImpl._locator_classes
    if KernelCache not in locators:
        locators.insert(0, KernelCache)


# -- the first kernel ------------------------------------------------------------------------

started = False
"""Whether a kernel ran in this process (and :func:`first_use` did its work)."""

pool_started = False
"""Whether this process has run a parallel kernel (so numba's thread pool is running)."""

forked_after_pool = False
"""True in a process forked from one whose pool was running.  GNU OpenMP, numba's usual pool
on Linux, kills such a child if it enters the pool (as data loaders with worker processes
and multiprocessing do), so there every kernel runs its serial twin instead: the same
results, on one core."""


def first_use() -> None:
    """What the first kernel sets up (once): the allocator's settings."""
    global started
    if not started:
        started = True
        allocator.tuned = allocator.keep_freed_memory()


def start_pool() -> None:
    """Start numba's thread pool with idle threads that sleep instead of spinning, and note
    forks from now on.

    GNU OpenMP's threads spin for a while after each parallel loop; on a small machine they
    then take the cores from the BLAS threads of the matrix product that follows (a step of a
    network with a 512 x 512 layer ran 4x slower).  ``OMP_WAIT_POLICY=PASSIVE`` is set only
    while the pool starts (OpenMP reads it then), and only if the user has not set it.
    """
    global pool_started
    first_use()
    unset = "OMP_WAIT_POLICY" not in os.environ
    if unset:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    try:
        numba.get_num_threads()  # starts the pool
    finally:
        if unset:
            del os.environ["OMP_WAIT_POLICY"]
    if not pool_started:
        pool_started = True
        os.register_at_fork(after_in_child=_note_fork)


def _note_fork() -> None:
    global forked_after_pool
    forked_after_pool = True


# -- numba.cuda ------------------------------------------------------------------------------


def expose_numba_cuda() -> None:
    """Make ``numba.cuda`` an attribute of numba that imports numba's CUDA support when it is
    first used (importlib's lazy loader), unless it is imported already."""
    if "numba.cuda" in sys.modules:
        numba.cuda = sys.modules["numba.cuda"]
        return
    spec = importlib.util.find_spec("numba.cuda")
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["numba.cuda"] = module
    spec.loader.exec_module(module)
    numba.cuda = module
