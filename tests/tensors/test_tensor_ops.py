"""The backend contract on SimpleOps: the named kernels, a map into a larger (broadcast) output,
reductions seeded with their start value, and strided inputs."""

from __future__ import annotations

import numpy as np

import minitorch
from minitorch import SimpleBackend, SimpleOps, TensorBackend, operators, tensor


def test_backend_has_the_course_kernel_names() -> None:
    names = [
        "neg_map", "sigmoid_map", "relu_map", "log_map", "exp_map", "id_map", "inv_map",
        "add_zip", "mul_zip", "lt_zip", "eq_zip", "is_close_zip", "relu_back_zip",
        "log_back_zip", "inv_back_zip", "add_reduce", "mul_reduce", "matrix_multiply",
    ]
    backend = TensorBackend(SimpleOps)
    assert all(callable(getattr(backend, n)) for n in names)
    assert backend.cuda is False and SimpleBackend.cuda is False


def test_map_into_a_larger_output_broadcasts() -> None:
    a = tensor([[1.0, 2.0, 3.0]])
    out = minitorch.zeros((2, 3))
    SimpleBackend.id_map(a, out)
    np.testing.assert_array_equal(out.to_numpy(), [[1, 2, 3], [1, 2, 3]])


def test_zip_and_reduce_on_strided_inputs() -> None:
    a = tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]).permute(1, 0)  # (2, 3), non-contiguous
    b = tensor([10.0, 20.0, 30.0])
    np.testing.assert_array_equal(SimpleBackend.add_zip(a, b).to_numpy(), a.to_numpy() + b.to_numpy())
    np.testing.assert_array_equal(SimpleBackend.add_reduce(a, 1).to_numpy(), [[9.0], [12.0]])
    np.testing.assert_array_equal(SimpleBackend.mul_reduce(a, 0).to_numpy(), [[2.0, 12.0, 30.0]])
    np.testing.assert_array_equal(SimpleBackend.relu_back_zip(tensor([-1.0, 2.0]), tensor([5.0, 5.0])).to_numpy(), [0.0, 5.0])


def test_low_level_kernels_follow_the_course_signatures() -> None:
    out = np.zeros(4)
    minitorch.tensor_map(operators.neg)(
        out, np.array([2, 2]), np.array([2, 1]), np.array([1.0, 2.0]), np.array([2]), np.array([1])
    )
    np.testing.assert_array_equal(out, [-1.0, -2.0, -1.0, -2.0])
    red = np.array([0.0])
    minitorch.tensor_reduce(operators.add)(
        red, np.array([1]), np.array([1]), np.array([1.0, 2.0, 3.0]), np.array([3]), np.array([1]), 0
    )
    assert red[0] == 6.0
