r"""Linear algebra: the matrix products with torch's names and rules (``matmul``, ``mm``,
``dot``, ``outer``, ``trace``; the course's primitive ``MatMul`` underneath), and
``torch.linalg``'s functions: norms, ``det``, ``inv``, ``pinv``, ``solve``, ``eig`` / ``eigvals``
(real spectra), ``eigh`` / ``eigvalsh``, ``svd`` / ``svdvals``.

The forward passes are numpy's LAPACK calls.  The derivatives are the matrix-calculus
formulas, written with tensor operations (so second derivatives work), for example

.. math::
    \overline{A} = -A^{-T}\, \overline{A^{-1}}\, A^{-T}, \qquad
    \overline{A} = \overline{\det A}\, \det(A)\, A^{-T}, \qquad
    \overline{A} = V \operatorname{diag}(\overline{\lambda}) V^T \ (\text{eigvalsh}).

Matrices are the last two dimensions; leading dimensions are a batch.  minitorch tensors are
real: where a result would be complex (``eig`` of a rotation) the functions raise instead of
dropping the imaginary part.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, Optional, Union

import numpy as np

from ..autodiff import Context
from ..engine.grad_mode import is_grad_enabled
from ..tensor_data import IndexingError, TensorData
from ..tensor_functions import Function, MatMul
from .elementwise import Abs, where
from .reductions import amax, amin, dims_of, over_dims, sum
from .shapes import check_dims, diag, squeeze

if TYPE_CHECKING:
    from ..tensor import Tensor

Ord = Union[int, float, str, None]


# -- products ------------------------------------------------------------------------------


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with torch's rules: 1-D @ 1-D is the dot product (0-d), a 1-D first
    operand is a row and a 1-D second operand a column (that dimension is then dropped), and
    batch dimensions broadcast."""
    if input._tensor.dims >= 2 and other._tensor.dims >= 2:
        return MatMul.apply(input, other)  # the course's case: (batched) matrices
    if input.dims == 0 or other.dims == 0:
        raise IndexingError(
            f"matmul: both operands need at least one dimension, got shapes {input.shape} "
            f"and {other.shape}"
        )
    a = input.reshape(1, input.shape[0]) if input.dims == 1 else input
    b = other.reshape(other.shape[0], 1) if other.dims == 1 else other
    out = MatMul.apply(a, b)
    if input.dims == 1 and other.dims == 1:
        return out.reshape()
    if input.dims == 1:
        return squeeze(out, -2)
    if other.dims == 1:
        return squeeze(out, -1)
    return out


def mm(input: Tensor, other: Tensor) -> Tensor:
    """The product of two matrices (2-d only)."""
    check_dims("mm", 2, input, other)
    return MatMul.apply(input, other)


def dot(input: Tensor, other: Tensor) -> Tensor:
    r""":math:`\sum_i a_i b_i` of two vectors of one length (a 0-d tensor)."""
    check_dims("dot", 1, input, other)
    if input.shape != other.shape:
        raise IndexingError(f"dot: lengths {input.shape[0]} and {other.shape[0]} differ")
    return (input * other).sum().reshape()


def outer(input: Tensor, other: Tensor) -> Tensor:
    r""":math:`a_i b_j` for vectors ``a`` (n) and ``b`` (m): an n x m matrix."""
    check_dims("outer", 1, input, other)
    return input.reshape(input.shape[0], 1) * other.reshape(1, other.shape[0])


def trace(input: Tensor) -> Tensor:
    r""":math:`\sum_i a_{ii}` of a matrix (a 0-d tensor)."""
    check_dims("trace", 2, input)
    return diag(input).sum().reshape()


# -- torch.linalg ----------------------------------------------------------------------------


def _values(like: Tensor, array: np.ndarray) -> Tensor:
    """A new tensor (on ``like``'s backend) holding a real numpy result."""
    return like._new(TensorData.from_array(array))


def _square(name: str, a: Tensor) -> np.ndarray:
    """``a``'s values, after checking they are (a batch of) square matrices."""
    if a.dims < 2 or a.shape[-1] != a.shape[-2]:
        raise IndexingError(f"linalg.{name}: expected square matrices (..., n, n), got {a.shape}")
    return a._tensor.numpy_view()


def _mT(t: Tensor) -> Tensor:  # noqa: N802 - torch's name for the matrix transpose
    return t.transpose(-2, -1)


def _scaled_product(left: Tensor, scale: Tensor, right: Tensor) -> Tensor:
    r""":math:`L \operatorname{diag}(s) R` for (batches of) matrices and vectors :math:`s`."""
    product: Tensor = left @ (scale.unsqueeze(-1) * right)
    return product


def _call(name: str, fn: Callable[..., np.ndarray], *args: np.ndarray) -> np.ndarray:
    """Run a numpy.linalg routine, turning its errors into messages that name the function."""
    try:
        result: np.ndarray = fn(*args)
        return result
    except np.linalg.LinAlgError as err:
        raise ValueError(f"linalg.{name}: {err} (the matrix is singular or ill-posed)") from None


# -- inverse, determinant, solve, pseudo-inverse -------------------------------------------------


class MatrixInverse(Function):
    r""":math:`A^{-1}`; derivative :math:`\overline{A} = -A^{-T} \overline{X} A^{-T}`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        out = _values(a, _call("inv", np.linalg.inv, _square("inv", a)))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a, out = ctx.saved_values
        inverse_t = _mT(MatrixInverse.apply(a) if is_grad_enabled() else out)
        return -(inverse_t @ grad_output @ inverse_t)


def inv(A: Tensor) -> Tensor:
    """The inverse of a square matrix (``ValueError`` if it is singular)."""
    return MatrixInverse.apply(A)


class Det(Function):
    r""":math:`\det A`; derivative :math:`\overline{A} = \overline{d}\, \operatorname{adj}(A)^T`
    (:math:`= \overline{d} \det(A) A^{-T}` for an invertible :math:`A`)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        out = _values(a, np.linalg.det(_square("det", a)))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a, out = ctx.saved_values
        g = grad_output.reshape(*grad_output.shape, 1, 1)
        values = a._tensor.numpy_view()
        if np.all(np.linalg.cond(values) < 1e12):
            d = Det.apply(a) if is_grad_enabled() else out
            return g * d.reshape(*d.shape, 1, 1) * _mT(MatrixInverse.apply(a))
        if is_grad_enabled():
            raise NotImplementedError("det: second derivatives at a singular matrix")
        return g * _values(a, np.swapaxes(_adjugate(values), -1, -2))


def _adjugate(a: np.ndarray) -> np.ndarray:
    r""":math:`\operatorname{adj}(A)` for any square :math:`A` through the SVD
    :math:`A = U S V^T`: :math:`\operatorname{adj}(A) = \det(U V^T)\, V \operatorname{adj}(S)\,
    U^T`, where :math:`\operatorname{adj}(S)` holds the products of the other singular values."""
    u, s, vt = np.linalg.svd(a)
    n = s.shape[-1]
    others = np.stack([np.prod(np.delete(s, i, axis=-1), axis=-1) for i in range(n)], axis=-1)
    sign = np.linalg.det(u) * np.linalg.det(vt)
    adjugate: np.ndarray = sign[..., None, None] * np.swapaxes(vt, -1, -2) @ (
        others[..., :, None] * np.swapaxes(u, -1, -2)
    )
    return adjugate


def det(A: Tensor) -> Tensor:
    """The determinant of square matrices (batch shape; a 0-d tensor for one matrix)."""
    return Det.apply(A)


class Solve(Function):
    r""":math:`X = A^{-1} B`; derivatives :math:`\overline{B} = A^{-T} \overline{X}`,
    :math:`\overline{A} = -\overline{B} X^T`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        _square("solve", a)
        out = _values(a, _call("solve", np.linalg.solve, a._tensor.numpy_view(),
                               b._tensor.numpy_view()))
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        a, b, out = ctx.saved_values
        x = Solve.apply(a, b) if is_grad_enabled() else out
        grad_b = Solve.apply(_mT(a), grad_output)
        return -(grad_b @ _mT(x)), grad_b


def solve(A: Tensor, B: Tensor) -> Tensor:
    """The solution :math:`X` of :math:`A X = B` (``B`` a vector (n,) or matrices (..., n, k))."""
    if B.dims == 1:
        return Solve.apply(A, B.reshape(B.shape[0], 1)).reshape(B.shape[0])
    return Solve.apply(A, B)


class PseudoInverse(Function):
    r"""Moore-Penrose inverse :math:`A^+` (through the SVD); derivative for constant rank
    :math:`\overline{A} = -A^{+T} \overline{P} A^{+T} + (I - A A^+) \overline{P}^T A^+ A^{+T}
    + A^{+T} A^+ \overline{P}^T (I - A^+ A)`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        if a.dims < 2:
            raise IndexingError(f"linalg.pinv: expected matrices (..., m, n), got {a.shape}")
        out = _values(a, np.linalg.pinv(a._tensor.numpy_view()))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a, out = ctx.saved_values
        p: Tensor = PseudoInverse.apply(a) if is_grad_enabled() else out
        m, n = a.shape[-2:]
        eye_m = _values(a, np.eye(m))
        eye_n = _values(a, np.eye(n))
        g = grad_output
        grad: Tensor = (
            -(_mT(p) @ g @ _mT(p))
            + (eye_m - a @ p) @ _mT(g) @ p @ _mT(p)
            + _mT(p) @ p @ _mT(g) @ (eye_n - p @ a)
        )
        return grad


def pinv(A: Tensor) -> Tensor:
    """The Moore-Penrose pseudo-inverse of matrices (any shape)."""
    return PseudoInverse.apply(A)


# -- eigenvalues and singular values -------------------------------------------------------------


class EigResult(NamedTuple):
    """``eigenvalues`` and ``eigenvectors`` (as columns), as torch's."""

    eigenvalues: Tensor
    eigenvectors: Tensor


def _real_eig(a: Tensor) -> tuple[np.ndarray, np.ndarray]:
    values, vectors = np.linalg.eig(_square("eig", a))
    if np.iscomplexobj(values) and np.any(values.imag != 0.0):
        raise ValueError(
            f"linalg.eig: this matrix has complex eigenvalues ({values.tolist()}), and minitorch "
            "tensors are real; use numpy or torch for complex spectra"
        )
    return np.real(values), np.real(vectors)


class EigValues(Function):
    r"""Eigenvalues :math:`\lambda` of a matrix with a real spectrum (LAPACK's order);
    derivative :math:`\overline{A} = V^{-T} \operatorname{diag}(\overline{\lambda}) V^T`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        values, vectors = _real_eig(a)
        ctx.save_for_backward(_values(a, vectors))
        return _values(a, values)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (v,) = ctx.saved_values
        if is_grad_enabled():
            raise NotImplementedError("linalg.eigvals: second derivatives are not supported")
        return _scaled_product(_mT(MatrixInverse.apply(v)), grad_output, _mT(v))


class EigVectors(Function):
    """Eigenvectors (columns, unit length, LAPACK's signs) of a matrix with a real spectrum.
    Their derivative is not supported (use :func:`eigh` for symmetric matrices)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        return _values(a, _real_eig(a)[1])

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        raise NotImplementedError(
            "linalg.eig: derivatives through the eigenvectors of a non-symmetric matrix are "
            "not supported; use linalg.eigh for a symmetric one, or eigvals for the values"
        )


def eig(A: Tensor) -> EigResult:
    """Eigenvalues and eigenvectors of a square matrix whose spectrum is real."""
    return EigResult(EigValues.apply(A), EigVectors.apply(A))


def eigvals(A: Tensor) -> Tensor:
    """Eigenvalues of a square matrix whose spectrum is real."""
    return EigValues.apply(A)


class EighValues(Function):
    r"""Eigenvalues (ascending) of a symmetric matrix (its lower triangle is read);
    derivative :math:`\overline{A} = V \operatorname{diag}(\overline{\lambda}) V^T`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        values, vectors = np.linalg.eigh(_square("eigh", a))
        ctx.save_for_backward(a, _values(a, vectors))
        return _values(a, values)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        v: Tensor
        a, v = ctx.saved_values
        if is_grad_enabled():
            v = EighVectors.apply(a)
        return _scaled_product(v, grad_output, _mT(v))


class EighVectors(Function):
    r"""Eigenvectors (columns) of a symmetric matrix; derivative
    :math:`\overline{A} = \operatorname{sym}(V (F \circ V^T \overline{V}) V^T)` with
    :math:`F_{ij} = 1 / (\lambda_j - \lambda_i)` off the diagonal, 0 on it, and
    :math:`\operatorname{sym}(X) = (X + X^T) / 2` (the input is taken to be symmetric, as
    torch does)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        values, vectors = np.linalg.eigh(_square("eigh", a))
        ctx.save_for_backward(a, values)
        return _values(a, vectors)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a, values = ctx.saved_values
        gaps = values[..., None, :] - values[..., :, None]  # lambda_j - lambda_i
        off_diagonal = np.broadcast_to(~np.eye(values.shape[-1], dtype=bool), gaps.shape)
        if np.any((gaps == 0.0) & off_diagonal):
            raise ValueError("linalg.eigh: eigenvectors of repeated eigenvalues have no derivative")
        f = np.zeros_like(gaps)
        np.divide(1.0, gaps, out=f, where=off_diagonal)
        v = EighVectors.apply(a)
        grad = v @ (_values(a, f) * (_mT(v) @ grad_output)) @ _mT(v)
        return (grad + _mT(grad)) * 0.5  # symmetric, as the input is taken to be


def eigh(A: Tensor) -> EigResult:
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix."""
    return EigResult(EighValues.apply(A), EighVectors.apply(A))


def eigvalsh(A: Tensor) -> Tensor:
    """Eigenvalues (ascending) of a symmetric matrix."""
    return EighValues.apply(A)


class SVDResult(NamedTuple):
    """``U``, ``S`` and ``Vh`` (or ``V`` for :func:`minitorch.svd`), as torch's."""

    U: Tensor
    S: Tensor
    Vh: Tensor


class SingularValues(Function):
    r"""Singular values (descending); derivative :math:`\overline{A} = U \operatorname{diag}
    (\overline{s}) V^T` (reduced SVD)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        if a.dims < 2:
            raise IndexingError(f"linalg.svdvals: expected matrices (..., m, n), got {a.shape}")
        u, s, vt = np.linalg.svd(a._tensor.numpy_view(), full_matrices=False)
        ctx.save_for_backward(_values(a, u), _values(a, vt))
        return _values(a, s)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        u, vt = ctx.saved_values
        if is_grad_enabled():
            raise NotImplementedError("linalg.svdvals: second derivatives are not supported")
        return _scaled_product(u, grad_output, vt)


class _Constant(Function):
    """A result with no derivative: backward through it raises, naming what it was."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, values: np.ndarray, what: str) -> Tensor:
        ctx.save_for_backward(what)
        return _values(a, values)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        raise NotImplementedError(
            f"{ctx.saved_values[0]}: derivatives through the singular vectors are not supported "
            "(the singular values, linalg.svdvals, are differentiable)"
        )


def svd(A: Tensor, full_matrices: bool = True) -> SVDResult:
    """``U, S, Vh`` with :math:`A = U \\operatorname{diag}(S) V^h` (``torch.linalg.svd``)."""
    if A.dims < 2:
        raise IndexingError(f"linalg.svd: expected matrices (..., m, n), got {A.shape}")
    u, _, vt = np.linalg.svd(A._tensor.numpy_view(), full_matrices=full_matrices)
    return SVDResult(
        _Constant.apply(A, values=u, what="linalg.svd"),
        SingularValues.apply(A),
        _Constant.apply(A, values=vt, what="linalg.svd"),
    )


def svdvals(A: Tensor) -> Tensor:
    """The singular values of matrices, in descending order."""
    return SingularValues.apply(A)


# -- norms ---------------------------------------------------------------------------------------


class EuclideanNorm(Function):
    r""":math:`\|x\|_2 = \sqrt{\sum x_i^2}` over ``dim`` (kept); derivative
    :math:`x / \|x\|` (0 at :math:`x = 0`, as torch)."""

    @staticmethod
    def forward(ctx: Context, x: Tensor, dim: int) -> Tensor:
        out = x.f.sqrt_map(x.f.add_reduce(x.f.mul_zip(x, x), dim))
        ctx.save_for_backward(x, dim, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        x, dim, out = ctx.saved_values
        norm = EuclideanNorm.apply(x, dim=dim) if is_grad_enabled() else out
        return grad_output * where(norm == 0.0, 0.0, x / norm)


def vector_norm(
    x: Tensor, ord: Union[int, float] = 2, dim: Union[int, tuple[int, ...], None] = None,
    keepdim: bool = False,
) -> Tensor:
    r""":math:`(\sum |x_i|^p)^{1/p}` over ``dim`` (every element for None); ``ord`` may be
    ``inf`` (max), ``-inf`` (min) or 0 (the number of non-zeros)."""
    if isinstance(ord, (str, bool)) or not isinstance(ord, (int, float)):
        raise ValueError(
            f"linalg.vector_norm: ord must be a number (2, 1, inf, ...), got {ord!r}; "
            "matrix norms ('fro', 'nuc') are linalg.matrix_norm's"
        )
    if ord == 2:
        return over_dims(EuclideanNorm, x, dim, keepdim)
    dims = dims_of(x, dim)
    size = Abs.apply(x)
    if ord == math.inf:
        return amax(size, dims, keepdim)
    if ord == -math.inf:
        return amin(size, dims, keepdim)
    if ord == 0:
        return sum(x.ne(0.0).detach(), dims, keepdim)
    if ord == 1:
        return sum(size, dims, keepdim)
    return sum(size ** float(ord), dims, keepdim) ** (1.0 / float(ord))


def matrix_norm(
    A: Tensor, ord: Union[int, float, str] = "fro", dim: tuple[int, int] = (-2, -1),
    keepdim: bool = False,
) -> Tensor:
    """Frobenius (``'fro'``), nuclear (``'nuc'``), 1 / inf (largest column / row sum of
    ``|a|``; -1 / -inf the smallest) or 2 / -2 (largest / smallest singular value) norms."""
    if A.dims < 2:
        raise IndexingError(f"linalg.matrix_norm: expected matrices, got shape {A.shape}")
    rows, cols = A._dim(dim[0]), A._dim(dim[1])
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    if ord in (1, -1, math.inf, -math.inf):
        along, across = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = sum(Abs.apply(A), along, keepdim=True)
        pick = amax if ord in (1, math.inf) else amin
        out = pick(sums, across, keepdim=True)
        return out if keepdim else out.squeeze(max(rows, cols)).squeeze(min(rows, cols))
    if ord in ("nuc", 2, -2):
        moved = A.permute(*(d for d in range(A.dims) if d not in (rows, cols)), rows, cols)
        s = svdvals(moved)
        out = s.sum(-1, keepdim=False) if ord == "nuc" else (
            amax(s, -1) if ord == 2 else amin(s, -1)
        )
        if keepdim:
            out = out.unsqueeze(min(rows, cols)).unsqueeze(max(rows, cols))
        return out
    raise ValueError(f"linalg.matrix_norm: unknown ord {ord!r}")


def norm(
    A: Tensor, ord: Ord = None, dim: Union[int, tuple[int, ...], None] = None,
    keepdim: bool = False,
) -> Tensor:
    """``torch.linalg.norm``: the 2-norm of everything by default; with ``ord``, the vector
    norm of a 1-d input or the matrix norm of a 2-d one (or of ``dim`` when it names two)."""
    if ord is None:
        return vector_norm(A, 2, dim, keepdim)
    if isinstance(dim, int) or (dim is None and A.dims == 1):
        if isinstance(ord, str):
            raise ValueError(f"linalg.norm: ord={ord!r} is a matrix norm; the input is a vector")
        return vector_norm(A, ord, dim, keepdim)
    pair = tuple(dim) if dim is not None else (-2, -1)
    if len(pair) != 2 or (dim is None and A.dims != 2):
        raise ValueError(
            f"linalg.norm: ord={ord!r} needs a 1-d or 2-d input, or dim; got shape {A.shape}"
        )
    return matrix_norm(A, ord, pair, keepdim)


def cond(A: Tensor) -> Tensor:
    """The 2-norm condition number: largest over smallest singular value."""
    s = svdvals(A)
    return amax(s, -1) / amin(s, -1)


def matrix_rank(A: Tensor, tol: Optional[float] = None) -> Tensor:
    """The number of singular values above ``tol`` (numpy's default tolerance)."""
    return _values(A, np.asarray(np.linalg.matrix_rank(A._tensor.numpy_view(), tol), float))
