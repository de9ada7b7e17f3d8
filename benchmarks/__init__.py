"""minitorch benchmarks: each workload of BENCHMARKS.md, side by side with its peer."""
