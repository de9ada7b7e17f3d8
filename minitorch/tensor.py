"""``Tensor``: an n-dimensional array with autodiff, on a pluggable backend.

>>> x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad.to_numpy()          # 2x

This file holds the course's Tensor (autodiff state, layout, arithmetic, ``sum`` / ``view`` /
...).  torch's other names (methods, the numpy and Python protocols, the rest of the
operators) are functions of :mod:`~minitorch.ops.tensor_methods` and of the function modules,
assigned at the end of the class.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt

from .autodiff import Variable, backpropagate, local_derivatives
from .backends.default import resolve
from .engine import grad_mode
from .engine.grad_pass import BackwardPass
from .ops import casts, dtypes, elementwise, indexing, linalg, reductions, shapes
from .ops import tensor_methods as methods
from .ops.elementwise import Div, Pow
from .ops.tensor_methods import Count, Flag
from .ops.values import as_array, shared_layout
from .replay import tape
from .tensor_data import (
    IndexingError,
    Shape,
    Storage,
    Strides,
    TensorData,
    UserShape,
    infer_shape,
)
from .tensor_functions import (
    EQ,
    LT,
    Add,
    All,
    Copy,
    Exp,
    History,
    IsClose,
    Log,
    Mul,
    Neg,
    Permute,
    ReLU,
    Sigmoid,
    Sum,
    View,
)
from .tensor_ops import TensorBackend

TensorLike = Union[float, int, "Tensor"]


_constants: dict[tuple[float, float, int], Tensor] = {}
"""0-d constant tensors of the numbers in expressions (``x * 0.5``), by value, sign (-0.0 is
not 0.0) and backend.  Functions never write their inputs, so they can be shared."""


def _constant(value: float, backend: TensorBackend) -> Tensor:
    key = (value, math.copysign(1.0, value), id(backend))
    found = _constants.get(key)
    if found is None:
        found = Tensor(TensorData(np.array([value]), ()), backend=backend)
        if value == value:  # (NaN is never found again: it is not equal to itself)
            if len(_constants) >= 1024:
                _constants.clear()
                tape.forget_shared_constants()
            _constants[key] = found
            tape.shared_constant(found._tensor._storage)
    return found


def _set_grad(tensor: Tensor, value: Optional[Tensor]) -> None:
    """``tensor.grad = value`` (a launch: a compiled training step replays it)."""
    tensor._grad = value

_FLOAT64 = dtypes.float64
_ids = itertools.count(1)
_new_object = object.__new__


class Tensor:
    """A tensor: ``TensorData`` (storage, shape, strides) + autodiff history + a backend."""

    __array_priority__ = 1000  # numpy defers to our operators: np.float64(2) * t is a Tensor

    def __init__(
        self,
        v: TensorData,
        back: Optional[History] = None,
        name: Optional[str] = None,
        backend: Optional[TensorBackend] = None,
    ) -> None:
        if not isinstance(v, TensorData):
            raise TypeError(
                f"Tensor() wraps a TensorData, got {type(v).__name__}; use minitorch.tensor(...)"
            )
        if backend is None:
            raise TypeError("Tensor() needs a backend, e.g. minitorch.SimpleBackend")
        self._tensor = v
        self.history = back
        self.backend = backend
        self.f = backend
        self._grad: Optional[Tensor] = None
        self.unique_id = next(_ids)
        self._name = name

    @property
    def name(self) -> str:
        """The given name, or ``str(unique_id)`` (made only when asked: tensors are many)."""
        return self._name if self._name is not None else str(self.unique_id)

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    # -- autodiff state -------------------------------------------------------------------

    @property
    def grad(self) -> Optional[Tensor]:
        """The gradient accumulated by ``backward()`` (leaves only), or None."""
        return self._grad

    @grad.setter
    def grad(self, value: Optional[Tensor]) -> None:
        tape.note_grad(self, accumulating=False)
        tape.launch(_set_grad, self, value)  # recorded: a compiled step replays it

    def requires_grad_(self, x: bool = True) -> Tensor:
        """Track (``True``) or stop tracking (``False``) gradients for this leaf; returns self."""
        if x:
            if not self._tensor.dtype.is_floating_point:
                raise RuntimeError(
                    "only Tensors of floating point dtype can require gradients, "
                    f"got {self._tensor.dtype!r}"
                )
            if self.history is None:
                self.history = History()
        elif self.history is not None and self.history.last_fn is not None:
            raise RuntimeError(
                "requires_grad_(False) on a tensor computed by an operation; use detach() instead"
            )
        else:
            self.history = None
        return self

    @property
    def requires_grad(self) -> Flag:
        """Whether this tensor takes part in autodiff: torch's flag (``x.requires_grad``, and
        ``x.requires_grad = True``) and the course's method (``x.requires_grad()``) at once."""
        return Flag(self.history is not None)

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    @property
    def grad_fn(self) -> Optional[type]:
        """The Function that made this tensor (None for leaves and constants)."""
        return None if self.history is None else self.history.last_fn

    def is_leaf(self) -> bool:
        return self.history is not None and self.history.last_fn is None

    def is_constant(self) -> bool:
        return self.history is None

    @property
    def parents(self) -> Iterable[Variable]:
        assert self.history is not None
        return self.history.inputs

    def chain_rule(self, d_output: Any) -> Iterable[tuple[Variable, Any]]:
        """Pair each input with its gradient, reduced to the input's shape."""
        h = self.history
        assert h is not None and h.last_fn is not None and h.ctx is not None
        derivs = local_derivatives(h.last_fn, h.ctx, d_output, h.inputs)
        return [
            (inp, casts.gradient_for(inp, d, self))
            for inp, d in zip(h.inputs, derivs)
            if not inp.is_constant()  # constants take no part in the backward pass
        ]

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to the gradient of this leaf."""
        if not self.is_leaf():
            raise RuntimeError("accumulate_derivative: only leaf tensors keep gradients")
        tape.note_grad(self, accumulating=True)
        if self.grad is None:
            self.grad = x.contiguous()  # a copy: leaves never share a gradient tensor
        else:
            self.grad = self.grad + x

    def take_derivative(self, x: Any) -> None:
        """:meth:`accumulate_derivative` for the engine: during :meth:`backward`, a first
        gradient that the pass itself made and gave to no other leaf is kept as it is (see
        :class:`~minitorch.engine.grad_pass.BackwardPass`); anything else is copied."""
        current = BackwardPass.current
        if current is None or self._grad is not None or not self.is_leaf():
            self.accumulate_derivative(x)
        elif not current.claim(x):
            self.accumulate_derivative(x)
        elif tape.recording() is not None:  # recorded: a compiled step replays the assignment
            tape.note_grad(self, accumulating=True)
            self.grad = x
        else:
            self._grad = x

    def backward(self, grad_output: Optional[Tensor] = None, create_graph: bool = False) -> None:
        """Compute gradients of this tensor with respect to every leaf that requires grad.

        ``grad_output`` defaults to 1 for a one-element tensor.  With
        ``create_graph=True`` the backward pass is recorded, so the gradients have
        history and can be differentiated again.
        """
        if self.is_constant():
            raise RuntimeError(
                f"backward() on a tensor that does not require grad (shape {self.shape}); "
                "create the inputs with requires_grad=True or call requires_grad_()"
            )
        if grad_output is None:
            if self._tensor.size != 1:
                raise RuntimeError(
                    f"backward() needs grad_output for a tensor of shape {self.shape} "
                    f"({self._tensor.size} elements): Must provide grad_output if non-scalar"
                )
            grad_output = Tensor.make([1.0], self.shape, backend=self.backend)
        else:
            grad_output = self._ensure_tensor(grad_output)
            one_each = grad_output._tensor.size == 1 == self._tensor.size
            if grad_output.shape != self.shape and not one_each:
                raise RuntimeError(
                    f"backward(grad_output): grad_output has shape {grad_output.shape} but the "
                    f"tensor has shape {self.shape}; give one gradient per element"
                )
        with grad_mode.grad_mode(create_graph), BackwardPass(create_graph):
            backpropagate(self, grad_output)

    def zero_grad_(self) -> None:
        self.grad = None

    def detach(self) -> Tensor:
        """The same data, without history (shares storage)."""
        return Tensor(self._tensor, backend=self.backend)

    @property
    def data(self) -> Tensor:
        """The values without history, sharing storage (``w.data -= lr * w.grad.data``)."""
        return self.detach()

    @data.setter
    def data(self, value: Tensor) -> None:
        if value._tensor is not self._tensor:  # (``w.data -= ...`` writes in place: no change)
            self._tensor = value._tensor  # (a compiled function's guards see the new storage)

    # -- shape and data access -----------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self._tensor.shape

    @property
    def size(self) -> Count:
        """The number of elements (course); ``size()`` / ``size(dim)`` give torch's shape."""
        return Count(self._tensor.shape, self._tensor.size)

    @property
    def dims(self) -> int:
        return self._tensor.dims

    @property
    def ndim(self) -> int:
        """The number of dimensions (torch's name for ``dims``)."""
        return self._tensor.dims

    @property
    def dtype(self) -> dtypes.dtype:
        """The element type (its storage's): ``minitorch.float64`` unless made otherwise."""
        return self._tensor.dtype

    @property
    def device(self) -> TensorBackend:
        """The backend (minitorch's 'device'): ``x.to(y.device)`` puts x beside y."""
        return self.backend

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    @property
    def T(self) -> Tensor:  # noqa: N802 - PyTorch's name
        """The tensor with its last two dimensions swapped (a view)."""
        if self.dims < 2:
            return self
        order = list(range(self.dims))
        order[-1], order[-2] = order[-2], order[-1]
        return self.permute(*order)

    def item(self) -> float:
        """The value of a one-element tensor, as a Python float."""
        if self._tensor.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        value: float = self._tensor.read((0,) * self.dims)
        return value

    def to_numpy(self) -> npt.NDArray[np.float64]:
        """A numpy copy of the values, shaped like the tensor."""
        values: npt.NDArray[np.float64] = self._tensor.read(copy=True)
        return values

    numpy = to_numpy

    @staticmethod
    def from_numpy(array: np.ndarray, backend: Optional[TensorBackend] = None) -> Tensor:
        """A tensor sharing a float64 array's memory (see :func:`minitorch.from_numpy`)."""
        return Tensor(shared_layout(array), backend=resolve(backend))

    def tuple(self) -> tuple[Storage, Shape, Strides]:
        return self._tensor.tuple()

    def is_contiguous(self) -> bool:
        return self._tensor.is_contiguous()

    def _new(self, tensor_data: TensorData) -> Tensor:
        return self._like(Tensor, tensor_data, None)

    def _like(
        self, kind: type[Tensor], tensor_data: TensorData, history: Optional[History]
    ) -> Tensor:
        """A new ``kind`` of tensor on this one's backend: ``Tensor(...)`` without the checks
        of ``__init__`` (the layout is known good), as every operation's result is made."""
        out = _new_object(kind)
        out._tensor = tensor_data
        out.history = history
        out.backend = out.f = self.backend
        out._grad = None
        out.unique_id = next(_ids)
        out._name = None
        return out

    @staticmethod
    def make(
        storage: Union[Storage, Sequence[float]],
        shape: UserShape,
        strides: Optional[Sequence[int]] = None,
        backend: Optional[TensorBackend] = None,
    ) -> Tensor:
        return Tensor(TensorData(storage, shape, strides), backend=backend)

    def zeros(self, shape: Optional[UserShape] = None) -> Tensor:
        shape = self.shape if shape is None else tuple(shape)
        return Tensor(TensorData(np.zeros(math.prod(shape)), shape), backend=self.backend)

    def _type_(self, backend: TensorBackend) -> None:
        """The course's retyping (``backend`` changes, the storage stays); minitorch itself
        never moves a tensor silently: ``to(backend)`` copies."""
        self.backend = backend

    def _ensure_tensor(self, b: Any) -> Tensor:
        """``b`` as a tensor: a number becomes a 0-d constant on this tensor's backend (so a
        0-d tensor stays 0-d), a numpy array a constant tensor.  A tensor is returned as it
        is: an operation on tensors of two backends raises ``TypeError``."""
        if isinstance(b, Tensor):
            return b
        if isinstance(b, (int, float, np.number)):
            if self._tensor.dtype is not _FLOAT64:
                return casts.number_like(self, b)
            return _constant(float(b), self.backend)
        if isinstance(b, np.ndarray):
            return Tensor(TensorData.from_array(as_array(b)), backend=self.backend)
        raise TypeError(f"expected a Tensor or a number, got {type(b).__name__} {b!r}")

    def expand(self, other: Any, *sizes: int) -> Tensor:
        """Two methods under one name.  The course's ``expand(gradient)``: bring a gradient to
        this tensor's shape (summing over broadcast dimensions) and dtype.  torch's
        ``expand(*sizes)`` (ints, not a tensor): this tensor broadcast to ``sizes``, as a view."""
        if not isinstance(other, Tensor):
            return shapes.expand(self, other, *sizes)
        return casts.gradient_for(self, other, self)

    # -- printing ---------------------------------------------------------------------------------

    def __str__(self) -> str:
        """torch's format (``tensor([1., 2.])``); the course's is ``t._tensor.to_string()``."""
        return repr(self)

    def __repr__(self) -> str:
        text = np.array2string(self.to_numpy(), precision=4, separator=", ", prefix="tensor(")
        extra = ""
        if self.history is not None:
            fn = self.history.last_fn
            extra = ", requires_grad=True" if fn is None else f", grad_fn=<{fn.__name__}>"
        return f"tensor({text}{casts.dtype_suffix(self)}{extra})"

    # -- operators --------------------------------------------------------------------------------

    def __add__(self, b: TensorLike) -> Tensor:
        return Add.apply(self, self._ensure_tensor(b))

    def __radd__(self, b: TensorLike) -> Tensor:
        return Add.apply(self._ensure_tensor(b), self)

    def __sub__(self, b: TensorLike) -> Tensor:
        return elementwise.Sub.apply(self, self._ensure_tensor(b))

    def __rsub__(self, b: TensorLike) -> Tensor:
        return elementwise.Sub.apply(self._ensure_tensor(b), self)

    def __mul__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self, self._ensure_tensor(b))

    def __rmul__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self._ensure_tensor(b), self)

    def __truediv__(self, b: TensorLike) -> Tensor:
        return Div.apply(self, self._ensure_tensor(b))

    def __rtruediv__(self, b: TensorLike) -> Tensor:
        return Div.apply(self._ensure_tensor(b), self)

    def __matmul__(self, b: Tensor) -> Tensor:
        return linalg.matmul(self, self._ensure_tensor(b))

    def __pow__(self, n: TensorLike) -> Tensor:
        return Pow.apply(self, self._ensure_tensor(n))

    def __lt__(self, b: TensorLike) -> Tensor:
        return LT.apply(self, self._ensure_tensor(b))

    def __gt__(self, b: TensorLike) -> Tensor:
        return LT.apply(self._ensure_tensor(b), self)

    def __eq__(self, b: TensorLike) -> Tensor:  # type: ignore[override]  # a value, not a bool
        return EQ.apply(self, self._ensure_tensor(b))

    def __ne__(self, b: TensorLike) -> Tensor:  # type: ignore[override]  # a value, not a bool
        return methods.ne(self, b)

    # (defining __eq__ makes the class unhashable, as the course's: the graph keys on unique_id)

    def __neg__(self) -> Tensor:
        return Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    # -- methods ----------------------------------------------------------------------------------

    def all(self, dim: Optional[int] = None) -> Tensor:
        """Product over ``dim`` (or everything): 1.0 when every entry is non-zero."""
        if dim is None:
            return All.apply(self.reshape(self._tensor.size), self._ensure_tensor(0))
        return All.apply(self, self._ensure_tensor(self._dim(dim)))

    def is_close(self, y: Tensor) -> Tensor:
        return IsClose.apply(self, y)

    def sigmoid(self) -> Tensor:
        return Sigmoid.apply(self)

    def relu(self) -> Tensor:
        return ReLU.apply(self)

    def log(self) -> Tensor:
        return Log.apply(self)

    def exp(self) -> Tensor:
        return Exp.apply(self)

    def _dim(self, dim: int) -> int:
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"a dimension must be an integer, got {type(dim).__name__} {dim!r}")
        if not -self.dims <= dim < self.dims:
            raise IndexingError(f"dimension {dim} is out of range for shape {self.shape}")
        return dim % self.dims

    def sum(self, dim: Any = None, keepdim: bool = True) -> Tensor:
        """Sum over ``dim`` (kept with size 1), or over everything (shape ``(1,)``): the
        course's rules.  ``keepdim=False`` or a tuple of dims: torch's, as ``minitorch.sum``."""
        if not keepdim or isinstance(dim, (tuple, list)):
            return reductions.sum(self, dim, keepdim)
        if dim is None:
            return Sum.apply(self.reshape(self._tensor.size), dim=0)
        return Sum.apply(self, dim=self._dim(dim))

    def mean(self, dim: Any = None, keepdim: bool = True) -> Tensor:
        """The mean over ``dim``, with the rules of :meth:`sum` (of float tensors only)."""
        casts.floating_only(self, "mean")
        if not keepdim or isinstance(dim, (tuple, list)):
            return reductions.mean(self, dim, keepdim)
        if dim is None:
            return self.sum() / float(self._tensor.size)
        return self.sum(dim) / float(self.shape[self._dim(dim)])

    def permute(self, *order: Any) -> Tensor:
        """Reorder dimensions (a view): ``permute(1, 0)`` or ``permute((1, 0))``."""
        dims = tuple(order[0]) if len(order) == 1 and isinstance(order[0], (tuple, list)) else order
        if dims and min(dims) < 0:
            dims = tuple(d + self.dims if -self.dims <= d < 0 else d for d in dims)
        return Permute.apply(self, order=tuple(int(d) for d in dims))

    def view(self, *shape: Any) -> Tensor:
        """The same storage with another shape (needs a contiguous tensor; ``-1`` fits)."""
        return View.apply(self, shape=self._shape_arg(shape))

    def _shape_arg(self, shape: Sequence[Any]) -> UserShape:
        """``(2, 3)``, ``((2, 3),)`` or ``(-1, 3)`` as the shape they mean for this tensor."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return infer_shape(shape, self._tensor.size)

    def contiguous(self) -> Tensor:
        """A row-major copy (always a new tensor, as in the course)."""
        return Copy.apply(self)

    def reshape(self, *shape: Any) -> Tensor:
        """``view(*shape)``, copying to a contiguous layout first only when needed."""
        new_shape = self._shape_arg(shape)
        if new_shape == self.shape:
            return self
        source = self if self._tensor.is_dense() else self.contiguous()
        return source.view(*new_shape)

    # -- torch's other methods: the functions of the same name (``x.abs()`` is ``abs(x)``) ----
    # (last in the class: names such as ``float`` and ``max`` would shadow the builtins above)

    abs = elementwise.abs
    sqrt = elementwise.sqrt
    tanh = elementwise.tanh
    sin, cos = elementwise.sin, elementwise.cos
    floor, ceil, round = elementwise.floor, elementwise.ceil, elementwise.round
    clamp = clip = elementwise.clamp
    maximum, minimum = elementwise.maximum, elementwise.minimum
    floor_divide, remainder = elementwise.floor_divide, elementwise.remainder
    pow = __pow__
    prod = reductions.prod
    max = reductions.max
    min = reductions.min
    amax, amin = reductions.amax, reductions.amin
    argmax, argmin = reductions.argmax, reductions.argmin
    var = reductions.var
    std = reductions.std
    any = reductions.any
    transpose = shapes.transpose
    flatten = shapes.flatten
    squeeze = shapes.squeeze
    unsqueeze = shapes.unsqueeze
    matmul = linalg.matmul
    mm = linalg.mm
    dot = linalg.dot
    diag = shapes.diag
    trace = linalg.trace
    inverse = linalg.inv
    det = linalg.det
    norm = methods.norm
    add, sub, mul, div, neg = methods.add, methods.sub, methods.mul, methods.div, methods.neg
    square, where, t, expand_as = methods.square, methods.where, methods.t, methods.expand_as
    clone = methods.clone
    eq, ne, lt, gt = methods.eq, methods.ne, methods.lt, methods.gt
    le = __le__ = methods.less_equal
    ge = __ge__ = methods.greater_equal
    __and__, __or__, __invert__ = methods.logical_and, methods.logical_or, methods.logical_not
    __xor__ = methods.logical_xor
    __rmatmul__, __rpow__ = methods.rmatmul, methods.rpow
    __floordiv__, __rfloordiv__ = methods.floordiv, methods.rfloordiv
    __mod__, __rmod__ = methods.mod, methods.rmod
    __abs__ = elementwise.abs
    __getitem__, __setitem__ = indexing.getitem, indexing.setitem
    gather, scatter, scatter_add = indexing.gather, indexing.scatter, indexing.scatter_add
    index_select, nonzero = indexing.index_select, indexing.nonzero
    index_put, index_put_ = indexing.index_put, indexing.index_put_
    masked_fill, masked_fill_ = indexing.masked_fill, indexing.masked_fill_
    element_size = casts.element_size
    __format__, __array__, __iter__ = methods.format_, methods.to_array, methods.iterate
    __float__, __int__, __bool__ = methods.to_float, methods.to_int, methods.truth
    numel, dim, tolist, to = methods.numel, methods.dim, methods.tolist, methods.to
    to_torch = methods.to_torch
    cpu = methods.same
    float, double, half = casts.to_float, casts.to_double, casts.to_half
    long, int, bool = casts.to_long, casts.to_int, casts.to_bool
    type_as, is_floating_point = casts.type_as, casts.is_floating_point
    __iadd__, __isub__ = methods.iadd, methods.isub
    __imul__, __itruediv__ = methods.imul, methods.itruediv
    add_, sub_, mul_, div_ = methods.add_, methods.sub_, methods.mul_, methods.div_
    clamp_, fill_, zero_, copy_ = methods.clamp_, methods.fill_, methods.zero_, methods.copy_

