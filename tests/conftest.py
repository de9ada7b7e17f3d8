"""Shared test settings: hypothesis profiles and strategies."""

from __future__ import annotations

import os

# The CUDA backend is tested on the CPU with numba's simulator; this must be set before
# numba is imported. Set NUMBA_ENABLE_CUDASIM=0 to run the same tests on a real GPU.
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
