"""Tests of the tensor layer beyond the course's files: autodiff, the backend contract, torch's functions, linear algebra, special values, gradient ownership, torch-style behaviour."""
