"""minitorch.linalg against torch.linalg (float64): values, gradients, second derivatives."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import grad_check
from minitorch.ops import linalg

from ..torch_oracle import matches_torch, second_derivatives_match

RNG = np.random.default_rng(11)
A = RNG.normal(size=(3, 3)) + 3 * np.eye(3)  # well conditioned
B = RNG.normal(size=(3, 2))
TALL = RNG.normal(size=(4, 2))
WIDE = RNG.normal(size=(2, 4))
SYM = A + A.T
BATCH = RNG.normal(size=(2, 3, 3)) + 3 * np.eye(3)
REAL_SPECTRUM = np.array([[4.0, 1.0, 0.5], [2.0, -1.0, 0.3], [0.1, 0.2, 2.5]])


def test_inverse_determinant_solve() -> None:
    matches_torch(linalg.inv, torch.linalg.inv, A)
    matches_torch(minitorch.inverse, torch.inverse, BATCH)
    matches_torch(linalg.det, torch.linalg.det, A)
    matches_torch(minitorch.det, torch.det, BATCH)
    matches_torch(linalg.solve, torch.linalg.solve, A, B)
    matches_torch(linalg.solve, torch.linalg.solve, A, B[:, 0])


def test_pseudo_inverse() -> None:
    matches_torch(linalg.pinv, torch.linalg.pinv, TALL, rtol=1e-8)
    matches_torch(minitorch.pinverse, torch.pinverse, WIDE, rtol=1e-8)


def test_determinant_of_a_singular_matrix() -> None:
    """The derivative of det at a singular matrix is the adjugate's transpose (no inverse
    exists).  torch 2.13 returns zeros there, which central differences contradict."""
    a = minitorch.tensor([[1.0, 0.0], [0.0, 0.0]], requires_grad=True)
    linalg.det(a).backward()
    np.testing.assert_allclose(a.grad.to_numpy(), [[0.0, 0.0], [0.0, 1.0]], atol=1e-12)
    singular = minitorch.tensor([[-4.0, 1.0, 2.0], [-8.0, 2.0, 4.0], [1.0, 0.5, 3.0]])
    assert abs(linalg.det(singular).item()) < 1e-12
    grad_check(linalg.det, singular)


def test_eigenvalues_of_a_real_spectrum() -> None:
    values, vectors = linalg.eig(minitorch.tensor(REAL_SPECTRUM))
    t_values, t_vectors = torch.linalg.eig(torch.tensor(REAL_SPECTRUM))
    np.testing.assert_allclose(values.to_numpy(), t_values.real.numpy(), rtol=1e-12)
    np.testing.assert_allclose(vectors.to_numpy(), t_vectors.real.numpy(), rtol=1e-12)
    single = vectors.float()  # as the notebooks write V_cplx.float(): torch's float32
    assert single.dtype is minitorch.float32
    assert np.array_equal(single.to_numpy(), t_vectors.real.float().numpy())
    matches_torch(linalg.eigvals, lambda a: torch.linalg.eigvals(a).real, REAL_SPECTRUM)


def test_complex_spectrum_is_an_error_not_a_real_part() -> None:
    rotation = minitorch.tensor([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="complex eigenvalues"):
        linalg.eig(rotation)
    with pytest.raises(ValueError, match="complex eigenvalues"):
        linalg.eigvals(rotation)


def test_symmetric_eigen_decomposition() -> None:
    """Values and gradients through eigenvalues and (sign-free functions of) eigenvectors."""
    matches_torch(linalg.eigvalsh, torch.linalg.eigvalsh, SYM)
    matches_torch(lambda a: linalg.eigh(a).eigenvalues, lambda a: torch.linalg.eigh(a).eigenvalues, SYM)
    matches_torch(lambda a: linalg.eigh(a).eigenvectors ** 2, lambda a: torch.linalg.eigh(a).eigenvectors ** 2,
         SYM, rtol=1e-8)


def test_singular_values() -> None:
    matches_torch(linalg.svdvals, torch.linalg.svdvals, TALL)
    u, s, vh = linalg.svd(minitorch.tensor(TALL), full_matrices=False)
    rebuilt = u.to_numpy() @ np.diag(s.to_numpy()) @ vh.to_numpy()
    np.testing.assert_allclose(rebuilt, TALL, atol=1e-12)
    np.testing.assert_allclose(np.abs(u.to_numpy()),
                               np.abs(torch.linalg.svd(torch.tensor(TALL), False)[0].numpy()))


@pytest.mark.parametrize("ord", [2, 1, 3, np.inf, -np.inf, 0.5])
def test_vector_norms(ord: float) -> None:
    v = RNG.normal(size=(3, 4))
    matches_torch(lambda x: linalg.vector_norm(x, ord), lambda x: torch.linalg.vector_norm(x, ord), v)
    matches_torch(lambda x: linalg.vector_norm(x, ord, dim=1, keepdim=True),
         lambda x: torch.linalg.vector_norm(x, ord, dim=1, keepdim=True), v)


@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, np.inf, -np.inf, 2, -2])
def test_matrix_norms(ord: object) -> None:
    matches_torch(lambda x: linalg.matrix_norm(x, ord), lambda x: torch.linalg.matrix_norm(x, ord), TALL,
         grad=ord not in ("nuc", 2, -2))
    matches_torch(lambda x: linalg.norm(x, ord), lambda x: torch.linalg.norm(x, ord), BATCH[0],
         grad=ord not in ("nuc", 2, -2))


def test_norm_of_zero_has_zero_gradient() -> None:
    matches_torch(linalg.norm, torch.linalg.norm, np.zeros(3))


def test_cond_and_rank() -> None:
    np.testing.assert_allclose(linalg.cond(minitorch.tensor(A)).item(),
                               torch.linalg.cond(torch.tensor(A)).item())
    assert linalg.matrix_rank(minitorch.tensor([[1.0, 2.0], [2.0, 4.0]])).item() == 1.0


@pytest.mark.parametrize("fn", [linalg.inv, linalg.det, linalg.pinv, lambda a: linalg.solve(a, a * 2.0),
                                linalg.eigvalsh, lambda a: linalg.norm(a)],
                         ids=["inv", "det", "pinv", "solve", "eigvalsh", "norm"])
def test_grad_check(fn: object) -> None:
    grad_check(fn, minitorch.tensor(SYM))


@pytest.mark.parametrize("name", ["inv", "det", "solve", "pinv", "eigvalsh"])
def test_second_derivatives(name: str) -> None:
    ours = {"inv": linalg.inv, "det": linalg.det, "solve": lambda a: linalg.solve(a, a.T),
            "pinv": linalg.pinv, "eigvalsh": linalg.eigvalsh}[name]
    theirs = {"inv": torch.linalg.inv, "det": torch.linalg.det,
              "solve": lambda a: torch.linalg.solve(a, a.T), "pinv": torch.linalg.pinv,
              "eigvalsh": torch.linalg.eigvalsh}[name]
    second_derivatives_match(lambda a: ours(a) ** 2, lambda a: theirs(a) ** 2, SYM)


@given(st.integers(1, 4), st.integers(0, 10_000))
@settings(max_examples=25)
def test_inverse_and_solve_over_drawn_matrices(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, n)) + n * np.eye(n)
    b = rng.normal(size=(n, 2))
    matches_torch(linalg.inv, torch.linalg.inv, a, rtol=1e-7)
    matches_torch(linalg.det, torch.linalg.det, a, rtol=1e-7)
    matches_torch(linalg.solve, torch.linalg.solve, a, b, rtol=1e-7)


def test_errors() -> None:
    with pytest.raises(IndexError, match=r"linalg.inv: expected square matrices \(..., n, n\), got \(2, 3\)"):
        linalg.inv(minitorch.ones(2, 3))
    with pytest.raises(ValueError, match="linalg.inv: Singular matrix"):
        linalg.inv(minitorch.tensor([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(ValueError, match="unknown ord 'x'"):
        linalg.matrix_norm(minitorch.ones(2, 2), "x")
    with pytest.raises(NotImplementedError, match="eigenvectors of a non-symmetric matrix"):
        linalg.eig(minitorch.tensor(REAL_SPECTRUM, requires_grad=True)).eigenvectors.sum().backward()
