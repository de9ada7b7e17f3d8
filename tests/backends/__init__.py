"""Tests of the backends: every backend against the SimpleOps oracle, FastOps, CudaOps on the simulator, the allocator."""
