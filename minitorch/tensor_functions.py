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

import functools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, TypeVar, cast

import numpy as np

from . import operators, tape
from .autodiff import Context, Primitive
from .backends import check_same_backend
from .tensor_data import TensorData, UserShape

F = TypeVar("F", bound=Callable[..., Any])


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

_grad_enabled = True

_UNRECORDED = Context(no_grad=True)
"""The Context of every forward pass that is not recorded (it saves nothing, and is dropped)."""


def is_grad_enabled() -> bool:
    """True when tensor operations record history for autodiff."""
    return _grad_enabled


class grad_mode:  # noqa: N801 - used like a function: ``with grad_mode(False): ...``
    """Turn history recording on or off inside a ``with`` block (restored afterwards)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.previous = True

    def __enter__(self) -> None:
        global _grad_enabled
        self.previous = _grad_enabled
        _grad_enabled = self.enabled

    def __exit__(self, *exc: Any) -> None:
        global _grad_enabled
        _grad_enabled = self.previous

    def __call__(self, fn: F) -> F:
        """Use as a decorator: ``fn`` runs in this mode."""
        enabled = self.enabled

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with grad_mode(enabled):
                return fn(*args, **kwargs)

        return cast(F, wrapper)


class no_grad(grad_mode):  # noqa: N801 - PyTorch's name
    """Context manager and decorator that turns history recording off.

    >>> with no_grad():
    ...     y = x * 2          # y has no history
    """

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(grad_mode):  # noqa: N801 - PyTorch's name
    """Context manager and decorator that turns history recording on (inside ``no_grad``)."""

    def __init__(self) -> None:
        super().__init__(True)


class set_grad_enabled(grad_mode):  # noqa: N801 - PyTorch's name
    """Turn recording on or off now (``set_grad_enabled(False)``), or only inside a ``with``
    block (then the previous mode comes back after it)."""

    def __init__(self, enabled: bool) -> None:
        global _grad_enabled
        super().__init__(enabled)
        self.previous = _grad_enabled
        _grad_enabled = enabled

    def __enter__(self) -> None:
        pass


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
        global _grad_enabled
        backend = vals[0].backend
        needs = []
        for v in vals:
            if v.backend is not backend and v.backend.ops is not backend.ops:
                check_same_backend(cls.__name__, [v.backend for v in vals])
            needs.append(v.history is not None)
        if not (_grad_enabled and True in needs):
            c: Tensor = cls.forward(_UNRECORDED, *vals, **options)
            if tape._active is not None:
                cls._note_output(c, vals)
            for v in vals:
                if c is v:  # an operation that returned its input: a new tensor all the same
                    return c.detach()
            return c
        ctx = Context(False, (), tuple(needs))
        _grad_enabled = False
        try:
            c = cls.forward(ctx, *vals, **options)
        finally:
            _grad_enabled = True
        if tape._active is not None:
            cls._note_output(c, vals)
        if ctx.saved_values:
            versions = []
            for v in ctx.saved_values:
                if hasattr(v, "_tensor"):
                    versions.append((v._tensor.version, v._tensor.version.count))
            ctx.saved_versions = tuple(versions)
        return c._like(type(c), c._tensor, History(cls, ctx, vals, options))


    @classmethod
    def _note_output(cls, out: Tensor, inputs: Sequence[Tensor]) -> None:
        """Tell the recording in progress (``minitorch.compile``) where the result came from."""
        assert tape._active is not None
        storages = [v._tensor._storage for v in inputs]
        tape._active.note_output(cls.__name__, out._tensor._storage, storages)


def saved_result(ctx: Context, function: type[Function]) -> Tensor:
    r"""The forward pass's result, for a derivative written with it (:math:`\sigma'`, :math:`e^a`).

    ``forward`` saves ``(input, result)``.  When the backward pass is not recorded the saved
    result is used as it is; when it is (``create_graph=True``) the result is computed again
    from the input, so that it carries history and second derivatives see it depend on it.
    """
    if _grad_enabled:
        return function.apply(ctx.saved_values[0])
    result: Tensor = ctx.saved_values[-1]
    return result


def numpy_result(like: Tensor, fn: Callable[..., Any], *args: Any) -> Tensor:
    """A new tensor (on ``like``'s backend) of ``fn`` applied to numpy views of the tensors
    among ``args`` (other arguments as they are): how a Function computes with numpy.

    ``fn`` is a launch (:func:`minitorch.tape.computed`), so ``minitorch.compile`` replays it
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


class Sub(Function):
    r""":math:`a - b` (broadcasting); derivatives 1 and -1."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor, t2: Tensor) -> Tensor:
        return t1.f.sub_zip(t1, t2)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor | float]:
        return grad_output, -grad_output if ctx.needs_grad(1) else 0.0


class BroadcastTo(Function):
    r"""``a`` seen with a larger ``shape`` (numpy broadcasting) without a copy: the
    broadcast dimensions get stride 0.  Derivative: the gradient summed back to ``a``'s
    shape (which ``Tensor.chain_rule`` does for every input)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, shape: UserShape) -> Tensor:
        td = a._tensor
        pad = len(shape) - td.dims
        strides = [0] * pad + [
            0 if size == 1 and target != 1 else stride
            for size, stride, target in zip(td.shape, td.strides, tuple(shape)[pad:])
        ]
        return a._new(td.view_as(tuple(shape), tuple(strides)))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output


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
    """:math:`a < b` as 1.0 / 0.0; zero derivatives."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        return a.f.lt_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, float]:
        return 0.0, 0.0


class EQ(Function):
    """:math:`a = b` as 1.0 / 0.0; zero derivatives."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        return a.f.eq_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[float, float]:
        return 0.0, 0.0


class IsClose(Function):
    """:math:`|a - b| < 10^{-2}` as 1.0 / 0.0; zero derivatives."""

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
    """The same storage seen with another shape (needs a contiguous tensor)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, shape: Tensor | tuple[int, ...]) -> Tensor:
        new_shape = _ints(shape)
        if not a._tensor.is_contiguous():
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
        return a._new(a._tensor.view_as(new_shape))

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


Key = tuple[Any, ...]
"""A numpy indexing key: a tuple of ints, slices and integer arrays (see ``index_key``)."""


def index_key(key: Any) -> Key:
    """Turn a user's key (ints, slices, lists, numpy arrays, integer-valued tensors) into a
    numpy key, or raise ``IndexError`` naming the bad part."""
    parts = key if isinstance(key, tuple) else (key,)
    out: list[Any] = []
    for part in parts:
        if hasattr(part, "to_numpy"):  # a tensor of indices
            part = part.to_numpy()
        if isinstance(part, (list, np.ndarray)):
            arr = np.asarray(part)
            if arr.dtype != bool:
                if arr.size and not np.all(np.mod(arr, 1) == 0):
                    raise IndexError(f"indices must be integers, got {arr.ravel()[:5]}...")
                arr = arr.astype(np.int64)
            part = arr
        elif not (isinstance(part, (int, np.integer, slice)) or part is None or part is ...):
            raise IndexError(
                f"a tensor cannot be indexed by {type(part).__name__}: use integers, slices, "
                "or lists / arrays / tensors of integer indices"
            )
        out.append(part)
    return tuple(out)


class Gather(Function):
    r""":math:`out = a[\text{key}]` (numpy indexing: slices, integers, integer arrays);
    derivative: the gradient is added back at the picked positions (:class:`Scatter`)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, key: Key) -> Tensor:
        ctx.save_for_backward(a.shape, key)
        return numpy_result(a, _gather, a, key)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        shape, key = ctx.saved_values
        return Scatter.apply(grad_output, shape=shape, key=key)


class Scatter(Function):
    r""":math:`out = 0_{\text{shape}}` with ``out[key] += g`` (repeated indices add up): the
    adjoint of :class:`Gather`, whose derivative is that gather again."""

    @staticmethod
    def forward(ctx: Context, g: Tensor, shape: UserShape, key: Key) -> Tensor:
        ctx.save_for_backward(key)
        return numpy_result(g, _scatter, g, tuple(shape), key)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (key,) = ctx.saved_values
        return Gather.apply(grad_output, key=key)


def _gather(values: np.ndarray, key: Key) -> np.ndarray:
    try:
        return np.array(values[key])  # a copy, never a view
    except IndexError as e:
        raise IndexError(f"index out of range for a tensor of shape {values.shape}: {e}") from None


def _scatter(g: np.ndarray, shape: tuple[int, ...], key: Key) -> np.ndarray:
    out = np.zeros(shape)
    np.add.at(out, key, g)
    return out


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
    they live in :mod:`minitorch.constructors`, which needs the ``Tensor`` class that this
    module's functions only ever receive."""
    if name in ("tensor", "zeros", "rand", "_tensor"):
        from . import constructors

        return getattr(constructors, name)
    raise AttributeError(f"module 'minitorch.tensor_functions' has no attribute {name!r}")


if TYPE_CHECKING:
    from .tensor import Tensor
