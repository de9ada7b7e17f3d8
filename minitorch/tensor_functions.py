r"""The tensor ``Function`` base and the course's primitives, each with its derivative beside
it, plus ``no_grad`` and ``grad_check``.

``forward`` computes with the backend kernels (``t.f.add_zip`` ...).  ``backward``
is written with **Tensor operations** on the saved inputs, so when the backward
pass itself is recorded (``backward(create_graph=True)``) the gradients are
tensors with history, and second derivatives come for free.

This layer sits above :mod:`minitorch.tensor`: a Function only works on the tensors it is
given and makes new ones through their methods (``_new``, ``zeros``), so this module never
needs the ``Tensor`` class itself (that is what lets ``tensor.py`` import it normally).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from . import operators
from .autodiff import Context, Primitive
from .backends.default import check_same_backend
from .engine import grad_mode
from .engine.grad_mode import (  # noqa: F401 - the README listed them here; engine.grad_mode's
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from .replay import tape
from .tensor_data import TensorData, view_strides


@dataclass
class History:
    """How a Tensor was made: the function, its context and its inputs.

    A leaf has ``last_fn is None``; a constant has no history at all.
    """

    last_fn: Optional[type[Function]] = None
    ctx: Optional[Context] = None
    inputs: Sequence[Tensor] = field(default_factory=tuple)
    options: dict[str, Any] = field(default_factory=dict)
    """The function's settings that are not tensors (a dimension, a shape)."""

_UNRECORDED = Context(no_grad=True)
"""The Context of every forward pass that is not recorded (it saves nothing, and is dropped)."""


class Function(Primitive):
    """Base class of the tensor primitives (``forward``/``backward`` are staticmethods on
    tensors; ``forward`` may also take keyword settings, such as a dimension)."""

    @classmethod
    def _backward(cls, ctx: Context, grad_out: Tensor) -> tuple[Any, ...]:
        for version, count in ctx.saved_versions:
            if version.count != count:
                raise RuntimeError(
                    f"{cls.__name__}.backward: a tensor saved for it was changed in place "
                    f"afterwards (written {version.count - count} time(s) since), so its "
                    "gradient would be wrong; change a copy (x.clone()), or change the tensor "
                    "after backward()"
                )
        return super()._backward(ctx, grad_out)

    @classmethod
    def apply(cls, *vals: Tensor, **options: Any) -> Tensor:
        """Run ``forward`` (never recorded) and, if any input needs a gradient, record it.

        ``forward`` sees the inputs themselves, so what it saves keeps their history:
        that is what makes the backward pass differentiable.  Keyword ``options``
        (settings that are not tensors, such as a kernel size) go to ``forward``
        only; it keeps in ``ctx`` whatever of them ``backward`` needs.
        """
        backend = vals[0].backend
        needs = []
        for v in vals:
            if v.backend is not backend and v.backend.ops is not backend.ops:
                check_same_backend(cls.__name__, [v.backend for v in vals])
            needs.append(v.history is not None)
        if not (grad_mode.enabled and True in needs):
            c: Tensor = cls.forward(_UNRECORDED, *vals, **options)
            tape.note_output(cls.__name__, c, vals)
            for v in vals:
                if c is v:  # an operation that returned its input: a new tensor all the same
                    return c.detach()
            return c
        ctx = Context(False, (), tuple(needs))
        grad_mode.enabled = False
        try:
            c = cls.forward(ctx, *vals, **options)
        finally:
            grad_mode.enabled = True
        tape.note_output(cls.__name__, c, vals)
        if ctx.saved_values:
            versions = []
            for v in ctx.saved_values:
                if hasattr(v, "_tensor"):
                    versions.append((v._tensor.version, v._tensor.version.count))
            ctx.saved_versions = tuple(versions)
        return c._like(type(c), c._tensor, History(cls, ctx, vals, options))


def saved_result(ctx: Context, function: type[Function]) -> Tensor:
    r"""The forward pass's result, for a derivative written with it (:math:`\sigma'`, :math:`e^a`).

    ``forward`` saves ``(input, result)``.  When the backward pass is not recorded the saved
    result is used as it is; when it is (``create_graph=True``) the result is computed again
    from the input, so that it carries history and second derivatives see it depend on it.
    """
    if grad_mode.enabled:
        return function.apply(ctx.saved_values[0])
    result: Tensor = ctx.saved_values[-1]
    return result


def numpy_result(like: Tensor, fn: Callable[..., Any], *args: Any) -> Tensor:
    """A new tensor (on ``like``'s backend) of ``fn`` applied to numpy views of the tensors
    among ``args`` (other arguments as they are): how a Function computes with numpy.

    ``fn`` is a launch (:func:`minitorch.replay.tape.computed`), so ``minitorch.compile`` replays it
    on the inputs of each call; it must be a module-level function, or a lambda whose
    captured values are constants.
    """
    arrays = tuple(a._tensor.array_view() if hasattr(a, "_tensor") else a for a in args)
    return like._new(TensorData.from_array(tape.computed(fn, *arrays)))


def _ints(t: Any) -> tuple[int, ...]:
    """Settings (a shape, a permutation, a dimension) as ints: given as ints by minitorch
    itself (``View.apply(a, shape=(2, 3))``), or as a small tensor, as the course does."""
    if isinstance(t, (tuple, list)):
        return tuple(t)
    if isinstance(t, int):
        return (t,)
    return tuple(int(v) for v in t.to_numpy().ravel())


class Neg(Function):
    r""":math:`-a`; derivative :math:`-1`."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        return t1.f.neg_map(t1)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return -grad_output


class Inv(Function):
    r""":math:`1/a`; derivative :math:`-1/a^2`."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        ctx.save_for_backward(t1)
        return t1.f.inv_map(t1)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        t1: Tensor = ctx.saved_values[0]
        grad: Tensor = -grad_output * Inv.apply(t1 * t1)
        return grad


class Add(Function):
    r""":math:`a + b` (broadcasting); derivatives 1 and 1, summed back to each input's shape."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor, t2: Tensor) -> Tensor:
        return t1.f.add_zip(t1, t2)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        return grad_output, grad_output


class Mul(Function):
    r""":math:`a b`; derivatives :math:`b` and :math:`a`."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        ctx.save_for_backward(a, b)
        return a.f.mul_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor | float]:
        a, b = ctx.saved_values
        return (
            grad_output * b if ctx.needs_grad(0) else 0.0,
            grad_output * a if ctx.needs_grad(1) else 0.0,
        )


class Sigmoid(Function):
    r""":math:`\sigma(a)`; derivative :math:`\sigma(a)(1 - \sigma(a))`, from the output."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        out = t1.f.sigmoid_map(t1)
        ctx.save_for_backward(t1, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return SigmoidBack.apply(saved_result(ctx, Sigmoid), grad_output)


class SigmoidBack(Function):
    r"""The sigmoid's derivative applied to a gradient, from the output :math:`s`:
    :math:`g s (1 - s)` (one kernel, ``sigmoid_back_zip``).  Its own derivatives are
    :math:`g (1 - 2s)` in :math:`s` and itself in :math:`g`."""

    @staticmethod
    def forward(ctx: Context, s: Tensor, g: Tensor) -> Tensor:
        ctx.save_for_backward(s, g)
        return s.f.sigmoid_back_zip(s, g)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor | float]:
        s, g = ctx.saved_values
        ds = grad_output * g * (1.0 - 2.0 * s) if ctx.needs_grad(0) else 0.0
        dg = SigmoidBack.apply(s, grad_output) if ctx.needs_grad(1) else 0.0
        return ds, dg


class ReLU(Function):
    r""":math:`\max(a, 0)`; derivative 1 where :math:`a > 0`, else 0 (the gradient passes
    where :math:`a > 0` and is 0 elsewhere, even if infinite, as torch's)."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        ctx.save_for_backward(t1)
        return t1.f.relu_map(t1)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        t1: Tensor = ctx.saved_values[0]
        return ReLUBack.apply(t1, grad_output)


class ReLUBack(Function):
    r"""ReLU's derivative applied to a gradient: :math:`g` where :math:`a > 0`, else 0 (one
    kernel, ``relu_back_zip``).  A Function, so that it differentiates in turn: in :math:`g`
    it is itself, in :math:`a` it is 0 (almost everywhere)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, g: Tensor) -> Tensor:
        ctx.save_for_backward(a)
        return a.f.relu_back_zip(a, g)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, Tensor]:
        (a,) = ctx.saved_values
        return 0.0, ReLUBack.apply(a, grad_output)


class Log(Function):
    r""":math:`\log a` (natural, exact: :math:`-\infty` at 0, NaN below, as torch);
    derivative :math:`1/a`.  (The course's scalar ``operators.log`` adds :math:`10^{-6}`.)"""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        ctx.save_for_backward(t1)
        return t1.f.ln_map(t1)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        t1: Tensor = ctx.saved_values[0]
        return grad_output / t1


class Exp(Function):
    r""":math:`e^a`; derivative :math:`e^a`, the output itself."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        out = t1.f.exp_map(t1)
        ctx.save_for_backward(t1, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output * saved_result(ctx, Exp)


class Sum(Function):
    r""":math:`\sum_{dim} a` (the dimension is kept with size 1); derivative 1 for each term."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, dim: Tensor | int) -> Tensor:
        return a.f.add_reduce(a, _ints(dim)[0])

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        return grad_output, 0.0


class All(Function):
    """Product over ``dim`` (1.0 if every entry is non-zero): a test helper, not differentiable."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, dim: Tensor) -> Tensor:
        return a.f.mul_reduce(a, int(dim.item()))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        raise RuntimeError("All is not differentiable: compute it under no_grad() or on detach()")


class LT(Function):
    """:math:`a < b` (a bool tensor); zero derivatives."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        return a.f.lt_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, float]:
        return 0.0, 0.0


class EQ(Function):
    """:math:`a = b` (a bool tensor); zero derivatives."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        return a.f.eq_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, float]:
        return 0.0, 0.0


class IsClose(Function):
    """:math:`|a - b| < 10^{-2}` (a bool tensor); zero derivatives."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        return a.f.is_close_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, float]:
        return 0.0, 0.0


class Permute(Function):
    """Reorder dimensions (a view); the gradient is permuted back by the inverse order."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, order: Tensor | tuple[int, ...]) -> Tensor:
        perm = list(_ints(order))
        ctx.save_for_backward(perm)
        return a._new(a._tensor.permute(*perm))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        (perm,) = ctx.saved_values
        inverse = [0] * len(perm)
        for i, p in enumerate(perm):
            inverse[p] = i
        return grad_output.permute(*inverse), 0.0


class View(Function):
    """The same storage seen with another shape: of a contiguous tensor, or (as torch) of any
    layout whose elements need not move (``view_strides``: a column viewed as ``(n, 1)``)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, shape: Tensor | tuple[int, ...]) -> Tensor:
        new_shape = _ints(shape)
        strides = None
        if not a._tensor.is_dense() and int(operators.prod(new_shape)) == a._tensor.size:
            strides = view_strides(a._tensor.shape, a._tensor.strides, new_shape)
        if strides is None and not a._tensor.is_dense():
            raise RuntimeError(
                f"view{new_shape}: the tensor of shape {a.shape} with strides "
                f"{a._tensor.strides} is not contiguous; call .contiguous() first"
            )
        if int(operators.prod(new_shape)) != a._tensor.size:
            raise RuntimeError(
                f"view{new_shape}: shape {a.shape} has {a._tensor.size} elements, "
                f"{new_shape} needs {int(operators.prod(new_shape))}"
            )
        ctx.save_for_backward(a.shape)
        return a._new(a._tensor.view_as(new_shape, strides))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        (original,) = ctx.saved_values
        return grad_output.reshape(*original), 0.0


class Copy(Function):
    """A contiguous copy; the gradient passes through unchanged."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        return a.f.id_map(a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output


class MatMul(Function):
    r"""Batched matrix product :math:`C = A B`; gradients :math:`G B^T` and :math:`A^T G`."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor, t2: Tensor) -> Tensor:
        ctx.save_for_backward(t1, t2)
        return t1.f.matrix_multiply(t1, t2)  # (which checks the shapes)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor | float]:
        t1, t2 = ctx.saved_values
        return (
            grad_output @ t2.T if ctx.needs_grad(0) else 0.0,
            t1.T @ grad_output if ctx.needs_grad(1) else 0.0,
        )


# -- gradient checks -------------------------------------------------------------------------


def grad_central_difference(
    f: Any, *vals: Tensor, arg: int = 0, epsilon: float = 1e-6, ind: Sequence[int]
) -> float:
    """Central difference of ``f(*vals).sum()`` with respect to element ``ind`` of ``vals[arg]``."""
    x = vals[arg]
    up = x.zeros(x.shape)
    up[tuple(ind)] = epsilon
    vals1 = [x if j != arg else x + up for j, x in enumerate(vals)]
    vals2 = [x if j != arg else x - up for j, x in enumerate(vals)]
    delta: Tensor = f(*vals1).sum() - f(*vals2).sum()
    return float(delta[0]) / (2.0 * epsilon)


def grad_check(f: Any, *vals: Tensor) -> None:
    """Compare autodiff gradients of ``f(*vals).sum()`` with central differences.

    One random element per input (``random`` seeded with 10), rtol = atol = 1e-2.  The
    inputs are taken as fresh leaves (detached), so inputs that carry history
    (``grad_check(f, t.sum(0))``) work, and the caller's tensors are left untouched.
    """
    vals = tuple(x.detach().requires_grad_(True) for x in vals)
    random.seed(10)
    out = f(*vals)
    out.sum().backward()
    err_msg = """

Gradient check error for function %s.

Input %s

Received derivative %f for argument %d and index %s,
but was expecting derivative %f from central difference.

"""
    for i, x in enumerate(vals):
        ind = x._tensor.sample()
        check = grad_central_difference(f, *vals, arg=i, ind=ind)
        if x.grad is None:
            raise AssertionError(f"grad_check: argument {i} got no gradient from backward()")
        np.testing.assert_allclose(
            x.grad[ind], check, 1e-2, 1e-2,
            err_msg=err_msg % (f, vals, x.grad[ind], i, ind, check),
        )


def __getattr__(name: str) -> Any:
    """The course defines its constructors (``tensor``, ``zeros``, ``rand``, ``_tensor``) here;
    they live in :mod:`minitorch.ops.constructors`, which needs the ``Tensor`` class that this
    module's functions only ever receive."""
    if name in ("tensor", "zeros", "rand", "_tensor"):
        from .ops import constructors

        return getattr(constructors, name)
    raise AttributeError(f"module 'minitorch.tensor_functions' has no attribute {name!r}")


if TYPE_CHECKING:
    from .tensor import Tensor
