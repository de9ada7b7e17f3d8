"""``Tensor``: an n-dimensional array with autodiff, on a pluggable backend.

>>> x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad.to_numpy()          # 2x
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt

from .autodiff import Context, Variable, backpropagate
from .tensor_data import (
    IndexingError,
    Shape,
    Storage,
    Strides,
    TensorData,
    UserIndex,
    UserShape,
    shape_broadcast,
)
from .tensor_ops import SimpleBackend, TensorBackend

TensorLike = Union[float, int, "Tensor"]

_ids = itertools.count(1)


@dataclass
class History:
    """How a Tensor was made: the function, its context and its inputs.

    A leaf has ``last_fn is None``; a constant has no history at all.
    """

    last_fn: Optional[type[Function]] = None
    ctx: Optional[Context] = None
    inputs: Sequence[Tensor] = field(default_factory=tuple)


class Tensor:
    """A tensor: ``TensorData`` (storage, shape, strides) + autodiff history + a backend."""

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
        self.grad: Optional[Tensor] = None
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

    def requires_grad_(self, x: bool = True) -> Tensor:
        """Track (``True``) or stop tracking (``False``) gradients for this leaf; returns self."""
        if x:
            if self.history is None:
                self.history = History()
        elif self.history is not None and self.history.last_fn is not None:
            raise RuntimeError(
                "requires_grad_(False) on a tensor computed by an operation; use detach() instead"
            )
        else:
            self.history = None
        return self

    def requires_grad(self) -> bool:
        return self.history is not None

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
        derivs = h.last_fn._backward(h.ctx, d_output)
        if len(derivs) != len(h.inputs):
            raise RuntimeError(
                f"{h.last_fn.__name__}.backward returned {len(derivs)} gradient(s) "
                f"for {len(h.inputs)} input(s)"
            )
        return [
            (inp, inp.expand(self._ensure_tensor(d)))
            for inp, d in zip(h.inputs, derivs)
            if not inp.is_constant()  # constants take no part in the backward pass
        ]

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to the gradient of this leaf."""
        if not self.is_leaf():
            raise RuntimeError("accumulate_derivative: only leaf tensors keep gradients")
        if self.grad is None:
            self.grad = x.contiguous()  # a copy: leaves never share a gradient tensor
        else:
            self.grad = self.grad + x

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
            if self.size != 1:
                raise RuntimeError(
                    f"backward() needs grad_output for a tensor of shape {self.shape} "
                    f"({self.size} elements): Must provide grad_output if non-scalar"
                )
            grad_output = Tensor.make([1.0], self.shape, backend=self.backend)
        with grad_mode(create_graph):
            backpropagate(self, grad_output)

    def zero_grad_(self) -> None:
        self.grad = None

    def detach(self) -> Tensor:
        """The same data, without history (shares storage)."""
        return Tensor(self._tensor, backend=self.backend)

    # -- shape and data access -----------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self._tensor.shape

    @property
    def size(self) -> int:
        return self._tensor.size

    @property
    def dims(self) -> int:
        return self._tensor.dims

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
        if self.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return float(self._tensor._storage[0])  # the one element sits at position 0

    def __getitem__(self, key: Any) -> Any:
        """``t[i, j]`` with one integer per dimension is the float there (course API).

        Any other key numpy accepts (``t[2:5]``, ``t[idx]`` with a list / array / integer
        tensor of indices, ``t[:, 0]``) gives a new tensor: a differentiable gather (a copy,
        not a view).
        """
        parts = key if isinstance(key, tuple) else (key,)
        if len(parts) == self.dims and all(
            isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in parts
        ):
            return self._tensor.get(tuple(int(k) for k in parts))
        return Gather.apply(self, key=index_key(key))

    def __setitem__(self, key: Union[int, UserIndex], val: float) -> None:
        key2 = (key,) if isinstance(key, int) else key
        self._tensor.set(key2, val)

    def to_numpy(self) -> npt.NDArray[np.float64]:
        """A numpy copy of the values, shaped like the tensor."""
        td = self._tensor
        if not (td.is_contiguous() and len(td._storage) == td.size):
            td = self.contiguous()._tensor  # lay the values out in row-major order first
        return td._storage[: self.size].copy().reshape(self.shape)

    numpy = to_numpy

    @staticmethod
    def from_numpy(array: npt.ArrayLike, backend: TensorBackend = SimpleBackend) -> Tensor:
        arr = np.asarray(array, dtype=np.float64)
        return Tensor.make(arr.ravel().copy(), arr.shape, backend=backend)

    def tuple(self) -> tuple[Storage, Shape, Strides]:
        return self._tensor.tuple()

    def is_contiguous(self) -> bool:
        return self._tensor.is_contiguous()

    def _new(self, tensor_data: TensorData) -> Tensor:
        return Tensor(tensor_data, backend=self.backend)

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
        out = Tensor(TensorData(np.zeros(math.prod(shape)), shape), backend=self.backend)
        if self.backend.cuda:  # pragma: no cover
            out._type_(self.backend)
        return out

    def _type_(self, backend: TensorBackend) -> None:
        self.backend = backend
        if backend.cuda:  # pragma: no cover
            self._tensor.to_cuda_()

    def _ensure_tensor(self, b: TensorLike) -> Tensor:
        if isinstance(b, (int, float)):
            return Tensor.make([float(b)], (1,), backend=self.backend)
        if not isinstance(b, Tensor):
            raise TypeError(f"expected a Tensor or a number, got {type(b).__name__} {b!r}")
        if b.backend is not self.backend:
            b._type_(self.backend)
        return b

    def expand(self, other: Tensor) -> Tensor:
        """Bring a gradient ``other`` to this tensor's shape (sum over broadcast dimensions)."""
        if self.shape == other.shape:
            return other
        true_shape = shape_broadcast(self.shape, other.shape)
        if true_shape != other.shape:
            other = BroadcastTo.apply(other, shape=true_shape)
        padded = (1,) * (other.dims - self.dims) + self.shape
        for dim, (mine, theirs) in enumerate(zip(padded, other.shape)):
            if mine == 1 and theirs != 1:
                other = other.sum(dim)
        if other.size != self.size:
            raise IndexingError(f"cannot reduce a gradient of shape {other.shape} to {self.shape}")
        return other if other.shape == self.shape else other.reshape(*self.shape)

    # -- printing ---------------------------------------------------------------------------------

    def __str__(self) -> str:
        return self._tensor.to_string()

    def __repr__(self) -> str:
        text = np.array2string(self.to_numpy(), precision=4, separator=", ", prefix="tensor(")
        extra = ""
        if self.history is not None:
            fn = self.history.last_fn
            extra = ", requires_grad=True" if fn is None else f", grad_fn=<{fn.__name__}>"
        return f"tensor({text}{extra})"

    # -- operators --------------------------------------------------------------------------------

    def __add__(self, b: TensorLike) -> Tensor:
        return Add.apply(self, self._ensure_tensor(b))

    def __radd__(self, b: TensorLike) -> Tensor:
        return Add.apply(self._ensure_tensor(b), self)

    def __sub__(self, b: TensorLike) -> Tensor:
        return Sub.apply(self, self._ensure_tensor(b))

    def __rsub__(self, b: TensorLike) -> Tensor:
        return Sub.apply(self._ensure_tensor(b), self)

    def __mul__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self, self._ensure_tensor(b))

    def __rmul__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self._ensure_tensor(b), self)

    def __truediv__(self, b: TensorLike) -> Tensor:
        if isinstance(b, (int, float)) and b != 0:  # invert the number, not a tensor
            return Mul.apply(self, self._ensure_tensor(1.0 / b))
        return Mul.apply(self, Inv.apply(self._ensure_tensor(b)))

    def __rtruediv__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self._ensure_tensor(b), Inv.apply(self))

    def __matmul__(self, b: Tensor) -> Tensor:
        return MatMul.apply(self, b)

    def __pow__(self, n: float) -> Tensor:
        if isinstance(n, Tensor) or not isinstance(n, (int, float)):
            raise TypeError(f"Tensor ** n needs a number exponent n, got {type(n).__name__}")
        return Pow.apply(self, self._ensure_tensor(n))

    def __lt__(self, b: TensorLike) -> Tensor:
        return LT.apply(self, self._ensure_tensor(b))

    def __gt__(self, b: TensorLike) -> Tensor:
        return LT.apply(self._ensure_tensor(b), self)

    def __eq__(self, b: TensorLike) -> Tensor:  # type: ignore[override]
        return EQ.apply(self, self._ensure_tensor(b))

    __hash__ = None  # type: ignore[assignment]

    def __neg__(self) -> Tensor:
        return Neg.apply(self)

    # -- methods ----------------------------------------------------------------------------------

    def all(self, dim: Optional[int] = None) -> Tensor:
        """Product over ``dim`` (or everything): 1.0 when every entry is non-zero."""
        if dim is None:
            return All.apply(self.reshape(self.size), self._ensure_tensor(0))
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
        if not -self.dims <= dim < self.dims:
            raise IndexingError(f"dimension {dim} is out of range for shape {self.shape}")
        return dim % self.dims

    def sum(self, dim: Optional[int] = None) -> Tensor:
        """Sum over ``dim`` (kept with size 1), or over everything (shape ``(1,)``)."""
        if dim is None:
            return Sum.apply(self.reshape(self.size), self._ensure_tensor(0))
        return Sum.apply(self, self._ensure_tensor(self._dim(dim)))

    def mean(self, dim: Optional[int] = None) -> Tensor:
        if dim is None:
            return self.sum() / self.size
        return self.sum(dim) / self.shape[self._dim(dim)]

    def permute(self, *order: int) -> Tensor:
        return Permute.apply(self, self._int_list(order))

    def view(self, *shape: int) -> Tensor:
        return View.apply(self, self._int_list(shape))

    def _int_list(self, values: Sequence[int]) -> Tensor:
        """A constant 1-d tensor holding the arguments of ``permute`` / ``view``."""
        return Tensor.make([float(v) for v in values], (len(values),), backend=self.backend)

    def contiguous(self) -> Tensor:
        """A row-major copy (always a new tensor, as in the course)."""
        return Copy.apply(self)

    def reshape(self, *shape: int) -> Tensor:
        """``view(*shape)``, copying to a contiguous layout first only when needed."""
        if shape == self.shape:
            return self
        source = self if self.is_contiguous() else self.contiguous()
        return source.view(*shape)


# Imported last: tensor_functions imports this module; either may be loaded first.
from .tensor_functions import (  # noqa: E402
    EQ,
    LT,
    Add,
    All,
    BroadcastTo,
    Copy,
    Exp,
    Function,
    Gather,
    Inv,
    IsClose,
    Log,
    MatMul,
    Mul,
    Neg,
    Permute,
    Pow,
    ReLU,
    Sigmoid,
    Sub,
    Sum,
    View,
    grad_mode,
    index_key,
)
