"""minitorch keeps freed memory for reuse (glibc's mallopt when the first kernel runs): a
step that allocates and frees large arrays page-faults on every repetition without it, and
not with it."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

PROBE = """
import resource, numpy as np, minitorch

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

def step():  # a step's worth of activations and gradients: 26 MB, allocated and freed
    arrays = [np.ones(n) for n in (900_000, 450_000, 100_000, 900_000, 50_000, 900_000)]
    del arrays

assert not minitorch.backends.allocator.tuned  # importing minitorch changes nothing
(minitorch.tensor([1.0, 2.0]) * 2.0).sum()  # the first kernel
for _ in range(3):
    step()
before = faults()
for _ in range(10):
    step()
print(minitorch.backends.allocator.tuned, (faults() - before) // 10)
"""

glibc = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)


def probe(**env: str) -> tuple[str, int]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env={**clean, **env}, check=True)
    tuned, faults = out.stdout.split()
    return tuned, int(faults)


@glibc
def test_freed_memory_is_reused_without_page_faults() -> None:
    tuned, faults = probe()
    assert tuned == "True" and faults < 50
    untuned, faults_untuned = probe(MINITORCH_KEEP_FREED_MEMORY="0")
    assert untuned == "False" and faults_untuned > 1000  # 26 MB of fresh pages each time


@glibc
def test_the_users_allocator_settings_win() -> None:
    tuned, _ = probe(MALLOC_TRIM_THRESHOLD_="131072")
    assert tuned == "False"
