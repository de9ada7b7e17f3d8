r"""Indexing: ``t[key]`` and ``t[key] = value``, with their derivatives.

A key with one integer per dimension reads the number there (the course's API); any other
key torch accepts (slices, ``None``, ``...``, integer lists / arrays / tensors, bool masks over
leading dimensions, mixed as numpy and torch place them) is parsed by :func:`index_key` and
read with :class:`Gather` (a differentiable copy) or written in place (:func:`setitem`).  The
derivative of a gather is a :class:`Scatter` of the gradient back to the picked positions
(repeated indices add up), and the other way round.  A write into a tensor of a graph is the
operation :class:`IndexPut`: the gradient of the old values is zero where they were
overwritten, the written values get the gradient of their places.

A new kind of index is parsed in :func:`index_key`; a new index op (``take_along_dim``) is a
Function here, or a key for :class:`Gather` / :class:`IndexPut` / :class:`Scatter`, as
``index_select``, ``gather``, ``scatter`` and ``scatter_add`` are below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Union

import numpy as np

from ..autodiff import Context
from ..backends.cuda_storage import DeviceTensorData
from ..engine import grad_mode
from ..tensor_data import IndexingError, TensorData, UserShape
from ..tensor_functions import Function, Permute, View, numpy_result
from . import dtypes

if TYPE_CHECKING:
    from ..tensor import Tensor


def element_index(t: Tensor, key: Any) -> Optional[tuple[int, ...]]:
    """The index of one element of ``t`` when ``key`` is one integer per dimension (negative
    ones count from the end; a 0-d tensor takes ``t[0]``), else None."""
    parts = key if isinstance(key, tuple) else (key,)
    if not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in parts):
        return None
    if t.dims == 0 and parts == (0,):
        return ()
    if len(parts) != t.dims:
        return None
    index = []
    for d, (k, size) in enumerate(zip(parts, t.shape)):
        if k < -size:
            raise IndexingError(
                f"index {tuple(parts)} is out of range for shape {t.shape} "
                f"(dimension {d} has size {size})"
            )
        index.append(int(k) + size if k < 0 else int(k))
    return tuple(index)


def getitem(t: Tensor, key: Any) -> Any:
    """``t[i, j]`` with one integer per dimension is the number there (course API; negative
    integers count from the end, and a 0-d tensor takes ``t[0]``).

    Any other key numpy accepts (``t[2:5]``, ``t[idx]`` with a list / array / integer
    tensor of indices, ``t[:, 0]``) gives a new tensor: a differentiable gather (a copy,
    not a view).
    """
    index = element_index(t, key)
    if index is not None:
        return element(t, t._tensor.get(index))
    nkey = index_key(key)
    if is_basic(nkey) and not isinstance(t._tensor, DeviceTensorData):
        return BasicView.apply(t, key=nkey)
    return Gather.apply(t, key=nkey)


def is_basic(key: Key) -> bool:
    """Whether ``key`` is torch's basic indexing (integers, slices, None, ``...``): the
    result is a view of the same storage."""
    if isinstance(key, Split):
        return False
    return not any(isinstance(p, np.ndarray) for p in key)


class BasicView(Function):
    r""":math:`out = a[\text{key}]` for a basic key, as a **view**: it shares ``a``'s storage,
    so writing into it writes into ``a`` (as torch's ``t[0]``, ``t[1:3]``); derivative: the
    gradient placed back at the viewed positions (:class:`Scatter`).  A tensor written in
    place after the view was made makes this backward refuse (the saved base's version)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, key: Key) -> Tensor:
        ctx.save_for_backward(a, key)
        return a._new(a._tensor.basic_view(key))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        a, key = ctx.saved_values
        return Scatter.apply(grad_output, shape=a.shape, key=key)


class _Element:
    """What the number at one index (``t[i, j]``) answers besides being a Python number:
    torch's methods of a 0-d tensor (``.item()``, ``.log()``, ``.dtype``, ...), so that torch
    code such as ``N[i, j].item()`` or ``minitorch.log(P[i, j])`` runs on the course's API."""

    __slots__ = ()
    _like: Tensor

    def item(self) -> Any:
        """The plain Python number."""
        return self.tensor().item()

    def tensor(self) -> Tensor:
        """This number as a 0-d tensor (no history) of its tensor's dtype and backend."""
        dt = self._like._tensor.dtype.storage_type()
        return self._like._new(TensorData(np.array([self], dtype=dt), ()))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_like":
            raise AttributeError(name)
        return getattr(self.tensor(), name)


class FloatElement(_Element, float):
    """The number at one index of a float tensor: a ``float`` with torch's methods."""

    __slots__ = ("_like",)


class IntElement(_Element, int):
    """The number at one index of an integer tensor: an ``int`` with torch's methods (it
    keeps ``_like`` in a ``__dict__``: ``int`` subclasses cannot have slots)."""


def element(t: Tensor, value: Any) -> Any:
    """``value`` read at one index of ``t``, as a :class:`FloatElement` / :class:`IntElement`
    (a bool stays a bool)."""
    if isinstance(value, bool):
        return value
    made: Any = (FloatElement if isinstance(value, float) else IntElement)(value)
    made._like = t
    return made


def setitem(t: Tensor, key: Any, val: Any) -> None:
    """``t[key] = val``: a number, or a tensor / array broadcast to the picked elements
    (converted to ``t``'s dtype: integers truncate), written in place; in a graph, recorded
    as :class:`IndexPut` (see :func:`assign`)."""
    index = element_index(t, key)
    if not in_graph(t, val):
        if index is not None and not hasattr(val, "_tensor"):
            t._tensor.set(index, val)
            return
        values = val._tensor.read() if hasattr(val, "_tensor") else val
        t._tensor.write(index if index is not None else index_key(key), values)
        return
    values = t._ensure_tensor(val)
    nkey = index if index is not None else index_key(key)
    assign(t, lambda before: IndexPut.apply(before, values, key=nkey), val)


def in_graph(t: Tensor, *others: Any) -> bool:
    """Whether a write into ``t`` of ``others`` must be recorded for autodiff."""
    return grad_mode.enabled and (
        t.history is not None or any(getattr(o, "history", None) is not None for o in others)
    )


def assign(t: Tensor, compute: Callable[[Tensor], Tensor], *others: Any) -> None:
    """Make ``t`` hold ``compute(t)``: its values written into ``t``'s storage (so views see
    them) and, in a graph, its history, so that ``t``'s gradient flows through the write
    (how torch's in-place operations on tensors of a graph work).

    Refused for a leaf that requires grad (outside ``no_grad``).  ``t`` gets a new
    ``unique_id``, after every operation recorded so far: an earlier operation that used it
    would send its gradient into the new history, so ``backward`` refuses that (see
    :func:`~minitorch.ops.casts.gradient_for`)."""
    if not in_graph(t, *others):
        out = compute(t)
        if out._tensor is not t._tensor:
            t._tensor.write(..., out._tensor.array_view())
        return
    if t.history is not None and t.history.last_fn in VIEWS:
        raise RuntimeError(
            f"an in-place write into a view (made by {t.history.last_fn.__name__}) of a tensor "
            "of a graph: the viewed tensor's gradient would not see it. Write into that "
            "tensor itself (t[0, 1] = ... rather than t[0][1] = ...), or into a copy (.clone())"
        )
    if t.is_leaf():
        raise RuntimeError(
            f"a leaf tensor that requires grad (shape {t.shape}) is written in place "
            f"(t[...] = ..., t.masked_fill_(...)); write inside `with minitorch.no_grad():`, "
            "or into t.clone()"
        )
    before = t._like(type(t), t._tensor, t.history)  # t as it was, for the new history
    out = compute(before)
    if out._tensor is not t._tensor:
        t._tensor.write(..., out._tensor.array_view())
    t.history, t.unique_id = out.history, out.unique_id


class Split(NamedTuple):
    """A key whose integers and slices select first (a view) and whose index arrays then pick
    from that view: torch's placement of the picked dimensions where integers and index
    arrays are mixed (numpy would count the integers as index arrays and move the picked
    dimensions to the front when a slice separates them: ``x[0, :, [1, 2]]``)."""

    basic: tuple[Any, ...]
    rest: tuple[Any, ...]


Key = Union[tuple[Any, ...], Split]
"""A numpy indexing key (a tuple of ints, slices and index arrays), or a :class:`Split` one."""


def pick(values: np.ndarray, key: Key) -> np.ndarray:
    """``values[key]`` (a view for a basic key, a copy otherwise)."""
    picked: np.ndarray = values[key.basic][key.rest] if isinstance(key, Split) else values[key]
    return picked


def region(values: np.ndarray, key: Key) -> tuple[np.ndarray, tuple[Any, ...]]:
    """``(view, k)`` with ``view[k]`` the elements ``key`` names in ``values``, writeable."""
    if isinstance(key, Split):
        return values[key.basic], key.rest
    return values, key


def _torch_order(key: tuple[Any, ...]) -> Key:
    """``key``, or its :class:`Split` when it mixes integers with index arrays."""
    arrays = [isinstance(p, np.ndarray) for p in key]
    ints = [isinstance(p, (int, np.integer)) for p in key]
    if not (any(arrays) and any(ints)):
        return key
    basic: list[Any] = []
    rest: list[Any] = []
    for part, is_array, is_int in zip(key, arrays, ints):
        if is_array:
            basic.extend([slice(None)] * (part.ndim if part.dtype == bool else 1))
            rest.append(part)
        elif is_int:
            basic.append(part)
        else:  # a slice, None or ...: applied in the first step, kept whole in the second
            basic.append(part)
            rest.append(part if part is Ellipsis else slice(None))
    return Split(tuple(basic), tuple(rest))


def index_key(key: Any) -> Key:
    """Turn a user's key (ints, slices, lists, numpy arrays, index tensors, bool masks) into a
    numpy key placing the picked dimensions as torch does, or raise ``IndexError`` naming the
    bad part."""
    parts = key if isinstance(key, tuple) else (key,)
    out: list[Any] = []
    for part in parts:
        if hasattr(part, "to_numpy"):  # a tensor of indices, or a bool mask
            part = part.to_numpy()
        elif isinstance(part, (bool, np.bool_)):
            part = np.asarray(part)
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
        elif isinstance(part, slice) and part.step is not None and part.step <= 0:
            raise ValueError(f"slice steps must be positive (as torch's), got {part}")
        out.append(part)
    return _torch_order(tuple(out))


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
        return np.array(pick(values, key))  # a copy, never a view
    except IndexError as e:
        raise IndexError(f"index out of range for a tensor of shape {values.shape}: {e}") from None


def _scatter(g: np.ndarray, shape: tuple[int, ...], key: Key) -> np.ndarray:
    out = np.zeros(shape, g.dtype)
    view, k = region(out, key)
    np.add.at(view, k, g)
    return out


class IndexPut(Function):
    r""":math:`out = a` with :math:`out[\text{key}] = v` (``v`` broadcast to the picked
    elements, in ``a``'s dtype), written into ``a``'s storage; derivatives: the gradient with
    zeros at the written places for ``a``, the gradient at those places for ``v`` (summed to
    ``v``'s shape)."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, v: Tensor, key: Key) -> Tensor:
        ctx.save_for_backward(key)
        a._tensor.write(key, v._tensor.read())
        return a._new(a._tensor)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        (key,) = ctx.saved_values
        kept = numpy_result(grad_output, _zeroed, grad_output, key)
        return kept, Gather.apply(grad_output, key=key)


def _zeroed(g: np.ndarray, key: Key) -> np.ndarray:
    out = np.array(g)
    view, k = region(out, key)
    view[k] = 0
    return out


# -- torch's index operations, as keys for the three Functions above ------------------------------


def _index_array(index: Any, where: str) -> np.ndarray:
    """An index tensor / list as an int64 array, or ``TypeError`` naming ``where``."""
    arr = np.asarray(index._tensor.read() if hasattr(index, "_tensor") else index)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{where}: the index must hold integers (int64), got {arr.dtype}")
    return arr.astype(np.int64)


def _along(t: Tensor, dim: int, index: np.ndarray, where: str) -> Key:
    """The numpy key of torch's ``gather`` / ``scatter`` along ``dim``: position ``p`` of the
    index picks ``t[p_0, .., index[p], .., p_{n-1}]`` (``index[p]`` at dimension ``dim``)."""
    if index.ndim != t.dims:
        raise IndexingError(
            f"{where}: the index has {index.ndim} dimensions but the tensor has {t.dims} "
            f"(shape {t.shape}); they must have the same number"
        )
    dim = t._dim(dim)
    size = t.shape[dim]
    if index.size and (index.min() < 0 or index.max() >= size):
        bad = index[(index < 0) | (index >= size)].ravel()[0]
        raise IndexingError(
            f"{where}: index {bad} is out of range for dimension {dim} of size {size}"
        )
    grid: list[Any] = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def index_select(input: Tensor, dim: int, index: Any) -> Tensor:
    """The entries at positions ``index`` (a 1-d integer tensor) along ``dim``."""
    arr = _index_array(index, "index_select")
    if arr.ndim > 1:
        raise IndexingError(f"index_select: the index must be 1-d, got shape {arr.shape}")
    key = (slice(None),) * input._dim(dim) + (arr.reshape(-1),)
    return Gather.apply(input, key=key)


def gather(input: Tensor, dim: int, index: Any) -> Tensor:
    r"""torch's ``gather``: :math:`out[i][j] = input[index[i][j]][j]` for ``dim = 0`` (and
    so on); the gradient adds back at the gathered places."""
    return Gather.apply(input, key=_along(input, dim, _index_array(index, "gather"), "gather"))


def scatter(input: Tensor, dim: int, index: Any, src: Any) -> Tensor:
    """A copy of ``input`` with ``src``'s entries written at the places ``index`` names
    along ``dim`` (torch's ``scatter``; ``src`` a tensor or a number)."""
    key = _along(input, dim, _index_array(index, "scatter"), "scatter")
    values = input._ensure_tensor(src)
    if values.dims:
        values = Gather.apply(values, key=tuple(slice(0, n) for n in key_shape(key)))
    return IndexPut.apply(input.clone(), values, key=key)


def scatter_add(input: Tensor, dim: int, index: Any, src: Tensor) -> Tensor:
    """``input`` plus ``src``'s entries added at the places ``index`` names along ``dim``
    (repeated places add up)."""
    key = _along(input, dim, _index_array(index, "scatter_add"), "scatter_add")
    part = Gather.apply(src, key=tuple(slice(0, n) for n in key_shape(key)))
    return input + Scatter.apply(part, shape=input.shape, key=key)


def key_shape(key: Key) -> tuple[int, ...]:
    """The shape a key of broadcast index arrays picks."""
    return tuple(np.broadcast_shapes(*(np.shape(k) for k in key)))


def index_put(input: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """A copy of ``input`` with ``values`` written (``accumulate``: added) at ``indices``
    (a tuple of index tensors, as ``input[indices]`` reads)."""
    key = index_key(tuple(indices))
    values = input._ensure_tensor(values)
    if accumulate:
        picked = Gather.apply(input, key=key).shape
        return input + Scatter.apply(values.expand(*picked) if values.dims else
                                     values + input.zeros(picked), shape=input.shape, key=key)
    return IndexPut.apply(input.clone(), values, key=key)


def index_put_(self: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """:func:`index_put` in place (recorded in a graph as ``t[...] = ...`` is)."""
    assign(self, lambda before: index_put(before, indices, values, accumulate), values)
    return self


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``value`` (a number or a 0-d tensor) where the bool ``mask`` (broadcast to ``input``)
    is True, ``input`` elsewhere; the result has ``input``'s dtype."""
    if getattr(mask, "dtype", None) is not dtypes.bool_:
        raise TypeError(f"masked_fill: the mask must be a bool tensor, got {mask!r}")
    fill = input._ensure_tensor(value)
    if fill.dims:
        raise ValueError(
            f"masked_fill: the value must be a number or a 0-d tensor, got shape {fill.shape}"
        )
    result: Tensor = input.where(~mask, fill)
    return result.to(input.dtype)


def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """:func:`masked_fill` in place."""
    assign(self, lambda before: masked_fill(before, mask, value), value)
    return self


def nonzero(input: Tensor, as_tuple: bool = False) -> Any:
    """The indices of the non-zero entries: an int64 tensor of shape (count, dims), or (with
    ``as_tuple``) one int64 tensor per dimension."""
    places = np.argwhere(input._tensor.read())
    if as_tuple:
        return tuple(input._new(TensorData.from_array(np.ascontiguousarray(places[:, d])))
                     for d in range(input.dims))
    return input._new(TensorData.from_array(places.astype(np.int64)))


VIEWS: frozenset[type[Function]] = frozenset({BasicView, View, Permute})
"""Functions whose result shares its input's storage (see :func:`assign`)."""
