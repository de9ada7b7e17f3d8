r"""Keep freed tensor memory in the process, so the next step reuses it without page faults.

A training step allocates its activations and gradients afresh and frees them at the end.
With glibc's default settings, memory freed at the top of the heap is handed back to the
operating system once more than a few megabytes are free there, and the next step's arrays
get fresh pages: every page is then zeroed by the kernel on first touch (a page fault, a few
microseconds each on a virtual machine).  A LeNet step of batch 16 took 2,500 page faults and
13 ms; with the memory kept, none and 6 ms.

:func:`keep_freed_memory` asks glibc (``mallopt``) to serve arrays of up to
``MMAP_THRESHOLD`` bytes from the heap and to return free heap memory to the system only
beyond ``TRIM_THRESHOLD`` bytes: a process keeps up to that much freed memory for reuse. It
runs when the first kernel runs (importing minitorch changes nothing), on Linux with glibc,
unless the user has set glibc's own ``MALLOC_MMAP_THRESHOLD_`` / ``MALLOC_TRIM_THRESHOLD_``
variables (theirs win) or ``MINITORCH_KEEP_FREED_MEMORY=0``. PyTorch users get the same
effect by preloading jemalloc or tcmalloc.
"""

from __future__ import annotations

import ctypes
import os
import platform

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameters (malloc.h)."""

MMAP_THRESHOLD = 32 << 20
"""Arrays up to 32 MiB come from the heap (glibc's own ceiling for its adaptive threshold)."""

TRIM_THRESHOLD = 256 << 20
"""Free heap memory beyond 256 MiB goes back to the system."""

USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def keep_freed_memory() -> bool:
    """Tune glibc's allocator as the module says; True if it was done."""
    if os.environ.get("MINITORCH_KEEP_FREED_MEMORY", "1") == "0":
        return False
    if any(name in os.environ for name in USER_SETTINGS):
        return False
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own symbols: glibc's
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and ok)


tuned = False
"""Whether :func:`keep_freed_memory` changed the allocator (it runs when the first kernel
does: see :func:`minitorch.backends.runtime.first_use`)."""
