r"""Tensor layout: a flat storage (a numpy array of the tensor's dtype: float64 unless made
otherwise, see :mod:`minitorch.ops.dtypes`) viewed through a shape and strides.

An element with multi-index :math:`(i_0, \ldots, i_{d-1})` lives at storage position
:math:`\sum_k i_k \cdot s_k` (the strides :math:`s_k`).  Permuting dimensions,
broadcasting and viewing only change shape and strides; the storage is shared.

The index functions at the top are plain loops over numbers, so numba can
compile them for the fast CPU and GPU backends.  They loop over
``len(shape)`` / ``len(strides)`` because index buffers may be longer (``MAX_DIMS``).
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterable, Sequence
from typing import Any, Union

import numpy as np
import numpy.typing as npt

from .ops import dtypes
from .replay import tape

MAX_DIMS = 32
"""The most dimensions a tensor may have: kernels keep index buffers of this length."""

MAX_SIZE = 2**31 - 1
"""The most elements (and the largest storage offset) a tensor may have: shapes and strides
are handed to the kernels as 32-bit integers."""

Storage = npt.NDArray[Any]
F64 = np.dtype(np.float64)
FLOAT64 = dtypes.float64
OutIndex = npt.NDArray[np.int32]
Index = npt.NDArray[np.int32]
Shape = npt.NDArray[np.int32]
Strides = npt.NDArray[np.int32]

UserIndex = Sequence[int]
UserShape = Sequence[int]
UserStrides = Sequence[int]


class IndexingError(IndexError, RuntimeError):
    """An index, shape or stride that does not fit a tensor.

    An ``IndexError`` (numpy and Python's iteration protocols rely on that), and still a
    ``RuntimeError`` as it was before.
    """


def index_to_position(index: Any, strides: Any) -> int:
    r"""Storage position of a multi-index: :math:`\sum_k \text{index}_k \cdot \text{strides}_k`."""
    position = 0
    for i in range(len(strides)):
        position += index[i] * strides[i]
    return position


def to_index(ordinal: int, shape: Any, out_index: Any) -> None:
    """Write into ``out_index`` the ``ordinal``-th multi-index of ``shape`` (row-major order).

    Enumerating ordinals ``0 .. size - 1`` visits every index once, the last
    dimension fastest.  It does not depend on strides.
    """
    cur = ordinal
    for i in range(len(shape) - 1, -1, -1):
        size = shape[i]
        out_index[i] = cur % size
        cur = cur // size


def broadcast_index(big_index: Any, big_shape: Any, shape: Any, out_index: Any) -> None:
    """Map an index of the broadcast shape ``big_shape`` to an index of ``shape``.

    Dimensions are aligned from the right; a dimension of size 1 in ``shape``
    always reads position 0; extra leading dimensions of ``big_shape`` are dropped.
    """
    offset = len(big_shape) - len(shape)
    for i in range(len(shape)):
        if shape[i] > 1:
            out_index[i] = big_index[i + offset]
        else:
            out_index[i] = 0


def shape_broadcast(shape1: UserShape, shape2: UserShape) -> tuple[int, ...]:
    """The shape both shapes broadcast to (numpy rules), or ``IndexingError``.

    Shapes are right-aligned, missing leading dimensions count as 1, and each
    pair of sizes must be equal or contain a 1, which stretches to the other size
    (also to 0: an empty dimension stays empty, as in numpy).
    """
    n = max(len(shape1), len(shape2))
    a = (1,) * (n - len(shape1)) + tuple(shape1)
    b = (1,) * (n - len(shape2)) + tuple(shape2)
    out = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise IndexingError(
                f"cannot broadcast shapes {tuple(shape1)} and {tuple(shape2)}: "
                f"sizes {x} and {y} differ and neither is 1"
            )
        out.append(y if x == 1 else x)
    return tuple(out)


def check_matmul_shapes(a: UserShape, b: UserShape) -> None:
    """Raise a clear error unless ``a @ b`` is defined (``(..., n, m) @ (..., m, p)``)."""
    if len(a) < 2 or len(b) < 2:
        raise IndexingError(
            f"matmul needs tensors of at least 2 dimensions, got {tuple(a)} and {tuple(b)}"
        )
    if a[-1] != b[-2]:
        raise IndexingError(
            f"matmul shapes {tuple(a)} and {tuple(b)} do not match: "
            f"inner dimensions {a[-1]} and {b[-2]} differ"
        )


def check_shape(shape: tuple[int, ...]) -> None:
    """Raise ``IndexingError`` naming the limit when a tensor cannot have this shape: a
    negative size, more than ``MAX_DIMS`` dimensions, or more than ``MAX_SIZE`` elements."""
    if shape and min(shape) < 0:
        raise IndexingError(f"shape {shape} has a negative size")
    if len(shape) > MAX_DIMS:
        raise IndexingError(
            f"shape {shape} has {len(shape)} dimensions; tensors have at most {MAX_DIMS}"
        )
    size = math.prod(shape)
    if size > MAX_SIZE:
        raise IndexingError(
            f"shape {shape} has {size:,} elements ({size * 8 / 2**30:,.1f} GiB of float64); "
            f"tensors hold at most {MAX_SIZE:,} (2**31 - 1)"
        )


def infer_shape(shape: Sequence[int], size: int) -> tuple[int, ...]:
    """``shape`` for ``size`` elements, with at most one ``-1`` standing for the size that fits.

    >>> infer_shape((2, -1), 6)
    (2, 3)
    """
    shape = _int_tuple(shape)
    if -1 not in shape and (not shape or min(shape) >= 0):
        return shape
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise IndexingError(f"shape {shape}: only one dimension can be -1")
    if any(s < -1 for s in shape):
        raise IndexingError(f"shape {shape} has a negative size")
    if not unknown:
        return shape
    known = math.prod(s for s in shape if s != -1)
    if known == 0 or size % known != 0:
        raise IndexingError(f"shape {shape} is invalid for a tensor of {size} elements")
    i = unknown[0]
    return shape[:i] + (size // known,) + shape[i + 1 :]


def view_strides(
    shape: tuple[int, ...], strides: tuple[int, ...], new_shape: tuple[int, ...]
) -> Union[tuple[int, ...], None]:
    """Strides that show the elements of a layout ``(shape, strides)`` in row-major order
    with ``new_shape`` (of the same size), or None when no strides can (the elements would
    have to move: a copy).  The rule of torch's ``view``: each run of dimensions that lie
    one after another in memory may be split or merged, dimensions of size 1 go anywhere.
    """
    new = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    if not shape:
        return tuple(1 for _ in new_shape)
    base = strides[-1]
    tensor_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new[view_d] = view_numel * base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                base = strides[d - 1]
                tensor_numel = view_numel = 1
    return tuple(new) if view_d == -1 else None


@functools.lru_cache(maxsize=4096)
def _contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    return strides_from_shape(shape)


def strides_from_shape(shape: UserShape) -> tuple[int, ...]:
    """Contiguous row-major strides: ``(4, 2, 2)`` -> ``(4, 2, 1)``."""
    layout = [1]
    offset = 1
    for s in reversed(shape[1:]):
        offset = s * offset
        layout.append(offset)
    return tuple(reversed(layout)) if shape else ()


def _int_tuple(values: Union[UserShape, UserStrides]) -> tuple[int, ...]:
    """``values`` (ints, numpy ints, whole floats) as a tuple of Python ints."""
    return _as_ints(values if type(values) is tuple else tuple(values))


@functools.lru_cache(maxsize=4096)
def _as_ints(values: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(map(int, values))


@functools.lru_cache(maxsize=4096)
def _index_array(values: tuple[int, ...]) -> npt.NDArray[np.int32]:
    """An int32 array of ``values``, shared by every tensor with that shape/strides.

    Shared, so never write into it (kernels only read shapes and strides).
    """
    return np.array(values, dtype=np.int32)


_new = object.__new__
Ints = tuple[int, ...]
BasicKey = tuple[Any, ...]
"""A numpy key of integers, slices, None and ``...``: one that views a layout."""


_next_serial = 0


class Version:
    """How many times a storage was written in place; shared by every view of that storage,
    so that a backward pass can tell that a tensor it saved has changed since.  ``serial``
    numbers storages in order of creation (a backward pass tells its own from older ones)."""

    __slots__ = ("count", "serial")

    def __init__(self) -> None:
        global _next_serial
        self.count = 0
        self.serial = _next_serial
        _next_serial += 1


def next_serial() -> int:
    """The ``serial`` the next new storage will get."""
    return _next_serial


class TensorData:
    """Storage, shape and strides of a tensor, and the index arithmetic between them.

    ``version`` counts in-place writes to the storage (:meth:`set`, :meth:`write`); views
    made from this layout share it.  ``dtype`` is the storage's (a numpy array of any type
    :mod:`~minitorch.ops.dtypes` names is kept as it is; anything else becomes float64).
    """

    _storage: Storage
    _shape: Shape
    _strides: Strides
    shape: tuple[int, ...]
    strides: tuple[int, ...]
    dims: int
    size: int
    dtype: dtypes.dtype

    def __init__(
        self,
        storage: Union[Sequence[float], Storage],
        shape: UserShape,
        strides: Union[UserStrides, None] = None,
        version: Union[Version, None] = None,
    ) -> None:
        self.version = Version() if version is None else version
        if isinstance(storage, np.ndarray) and storage.dtype is F64:
            self._storage, self.dtype = storage, dtypes.float64
        elif isinstance(storage, np.ndarray) and dtypes.stored(storage.dtype):
            self._storage, self.dtype = storage, dtypes.of(storage.dtype)
        else:
            self._storage, self.dtype = np.array(storage, dtype=np.float64), dtypes.float64
        if version is None:  # a new storage, not a view
            tape.note_created(self._storage)
        shape = _int_tuple(shape)
        if shape and (min(shape) < 0 or len(shape) > MAX_DIMS):
            check_shape(shape)
        contiguous = strides is None
        strides = _contiguous_strides(shape) if strides is None else _int_tuple(strides)
        if len(strides) != len(shape):
            raise IndexingError(f"strides {strides} do not match shape {shape}: lengths differ")
        self._strides = _index_array(strides)
        self._shape = _index_array(shape)
        self.strides = strides
        self.shape = shape
        self.dims = len(strides)
        self.size = math.prod(shape)
        if self.size > MAX_SIZE:
            check_shape(shape)
        extent = self.size if contiguous else self._extent()
        if len(self._storage) < extent:
            raise IndexingError(
                f"storage of {len(self._storage)} values is too small for shape {shape} "
                f"with strides {strides}"
            )

    @staticmethod
    def empty(shape: tuple[int, ...], dtype: dtypes.dtype = FLOAT64) -> TensorData:
        """A new row-major layout of ``shape`` over uninitialised storage, for a kernel to
        fill: the fast constructor of kernels' outputs (``shape`` must be a valid shape of
        Python ints already, such as another tensor's)."""
        td: TensorData = _new(TensorData)
        size = math.prod(shape)
        if dtype is FLOAT64:
            td._storage = storage = np.empty(size)
        else:
            td._storage = storage = np.empty(size, dtype.storage_type())
        td.dtype = dtype
        td.version = Version()
        strides = _contiguous_strides(shape)
        td.shape, td.strides = shape, strides
        td._shape, td._strides = _index_array(shape), _index_array(strides)
        td.dims, td.size = len(shape), size
        tape.note_created(storage)
        return td

    @staticmethod
    def from_array(values: npt.ArrayLike) -> TensorData:
        """The layout of a numpy array's values, row-major, of its dtype when minitorch has it
        (else float64); no copy when it is one already; a 0-d array gives a 0-d layout."""
        array = np.asarray(values)
        kind = array.dtype if dtypes.stored(array.dtype) else F64
        array = np.asarray(array, dtype=kind, order="C")
        return TensorData(array.reshape(-1), array.shape)

    def _extent(self) -> int:
        """How many storage slots the layout reaches (0 for an empty tensor)."""
        if self.size == 0:
            return 0
        return 1 + sum((s - 1) * st for s, st in zip(self.shape, self.strides))

    def read(self, index: Union[UserIndex, None] = None, copy: bool = False) -> Any:
        """The values, for Python: the element at ``index`` as a Python number (a float, an
        int or a bool, by dtype), or (no index) all of them as a read-only numpy view of the
        storage (``copy``: a row-major copy).

        Every read of tensor values by Python comes through here (``item()``, ``t[i, j]``,
        ``to_numpy()``, printing, numpy's functions on a tensor), so a recording of
        :func:`minitorch.compile` sees each one (later work may depend on what was read).
        Kernels' arguments are not reads: they use :meth:`array_view`."""
        result: Any
        if index is not None:
            result = self.host_storage(False)[self.index(index)].item()
        elif copy:
            result = np.array(self.array_view(), order="C")
        else:
            result = self.array_view()
        tape.note_read(self, result, index)
        return result

    def numpy_view(self) -> npt.NDArray[Any]:
        """All the values as a read-only numpy view (:meth:`read`)."""
        view: npt.NDArray[Any] = self.read()
        return view

    def host_storage(self, writeable: bool = True) -> Storage:
        """The storage on the host, for Python and numpy to read (and to write, when
        ``writeable``).  A GPU tensor's layout brings its host copy up to date first
        (see :mod:`minitorch.backends.cuda_storage`)."""
        return self._storage

    def array_view(self, writeable: bool = False) -> npt.NDArray[Any]:
        """:meth:`numpy_view` for a launch's arguments (which a replay reads afresh)."""
        storage = self.host_storage(writeable)
        view: npt.NDArray[Any]
        shape, strides = self.shape, self.strides
        if len(storage) == self.size and strides == _contiguous_strides(shape):
            view = storage.reshape(shape)  # the common case, and a cheap view
        elif len(storage) == self.size and len(shape) == 2 and strides == (1, shape[0]):
            view = storage.reshape(shape[1], shape[0]).T  # a transposed matrix
        else:
            item = storage.itemsize
            view = np.ndarray(
                self.shape, storage.dtype, buffer=storage,
                strides=tuple(st * item for st in self.strides),
            )
        view.flags.writeable = writeable
        return view

    def to_cuda_(self) -> None:
        """Move the storage to the GPU (works under the CUDA simulator too)."""
        from numba import cuda

        on_device = getattr(cuda, "is_cuda_array", None)
        if on_device is None:  # the simulator has no is_cuda_array
            already = hasattr(self._storage, "copy_to_host")
        else:
            already = on_device(self._storage)
        if not already:
            self._storage = cuda.to_device(self._storage)

    def is_contiguous(self) -> bool:
        """True if strides never increase from left to right (row-major layout) and no
        dimension is broadcast (stride 0 over more than one element)."""
        if self.size == 0:
            return True  # nothing to lay out
        last = 1e9
        for stride, size in zip(self.strides, self.shape):
            if stride > last or (stride == 0 and size > 1):
                return False
            last = stride
        return True

    def is_dense(self) -> bool:
        """True if the elements lie in row-major order one after another from the start of
        the storage, as ``view`` needs (dimensions of size 1 may have any stride).  Unlike
        :meth:`is_contiguous` (the course's test of the strides' order), a slice with a step,
        or a column of a matrix, is not dense."""
        expected = _contiguous_strides(self.shape)
        if self.strides == expected:
            return True
        return all(
            size == 1 or stride == want
            for size, stride, want in zip(self.shape, self.strides, expected)
        )

    @staticmethod
    def shape_broadcast(shape_a: UserShape, shape_b: UserShape) -> tuple[int, ...]:
        return shape_broadcast(shape_a, shape_b)

    def index(self, index: Union[int, UserIndex]) -> int:
        """Storage position of a user index (an int or a tuple of ints, no negatives)."""
        aindex: tuple[int, ...] = (index,) if isinstance(index, (int, np.integer)) else tuple(index)
        if len(aindex) != len(self.shape):
            raise IndexingError(
                f"index {aindex} has {len(aindex)} entries but the shape {self.shape} "
                f"has {len(self.shape)} dimensions: must be size of shape"
            )
        for i, (ind, size) in enumerate(zip(aindex, self.shape)):
            if ind >= size or ind < 0:
                raise IndexingError(
                    f"index {aindex} is out of range for shape {self.shape} "
                    f"(dimension {i} has size {size}; negative indices are not supported)"
                )
        return index_to_position(aindex, self.strides)

    def indices(self) -> Iterable[UserIndex]:
        """Every index tuple, in row-major order."""
        lshape: Shape = np.array(self.shape)
        out_index: Index = np.array(self.shape)
        for i in range(self.size):
            to_index(i, lshape, out_index)
            yield tuple(int(v) for v in out_index)

    def sample(self) -> UserIndex:
        """A random valid index (drawn with Python's ``random``)."""
        return tuple(random.randint(0, s - 1) for s in self.shape)

    def get(self, key: UserIndex) -> float:
        """The element at ``key`` (:meth:`read`)."""
        value: float = self.read(key)
        return value

    def set(self, key: UserIndex, val: float) -> None:
        """Write one element (converted as the dtype holds it: integers truncate)."""
        tape.note_write(self._storage)
        position = self.index(key)
        self.host_storage()[position] = self.dtype.convert(np.asarray(val))
        self.version.count += 1

    def write(self, key: Any, values: Any) -> None:
        """Write ``values`` into the elements ``key`` picks (numpy indexing, ``...`` for all;
        a key with ``basic`` and ``rest`` parts picks ``view[basic][rest]``, see
        ``ops.indexing.Split``) of this layout, in place, and count the write in the version.
        ``values`` broadcast to the picked shape (leading dimensions of size 1 may be
        dropped, as torch allows: ``t[0, 0] = tensor([5.0])``)."""
        tape.note_write(self._storage)
        view = self.array_view(writeable=True)
        if hasattr(key, "basic"):
            view, key = view[key.basic], key.rest
        values = np.asarray(values)
        if self.dtype.category != dtypes.FLOAT:
            values = self.dtype.convert(values)
        target = np.ndim(view[key])
        while values.ndim > target and values.shape[0] == 1:
            values = values[0]
        try:
            view[key] = values
        except ValueError:
            raise ValueError(
                f"cannot write values of shape {np.shape(values)} into the elements of shape "
                f"{np.shape(view[key])} that the index picks"
            ) from None
        self.version.count += 1

    def assign(self, values: npt.ArrayLike) -> None:
        """Write ``values`` (broadcast to this shape) into every element, as a launch (so a
        compiled function replays it: an in-place update), and count the write."""
        tape.launch(tape.assign, self.array_view(writeable=True), values)
        self.version.count += 1

    def tuple(self) -> tuple[Storage, Shape, Strides]:
        """``(storage, shape, strides)``: the argument triple every kernel takes."""
        return (self._storage, self._shape, self._strides)

    def permute(self, *order: int) -> TensorData:
        """A new view with dimensions reordered by ``order`` (sharing the storage)."""
        if sorted(order) != list(range(len(self.shape))):
            raise IndexingError(
                f"Must give a position to each dimension: permute order {order} is not a "
                f"permutation of {tuple(range(len(self.shape)))} for shape {self.shape}"
            )
        return self._derived(
            tuple([self.shape[o] for o in order]), tuple([self.strides[o] for o in order])
        )

    def _derived(self, shape: Ints, strides: Ints) -> TensorData:
        """A view of this storage with ``shape`` and ``strides`` known to be valid for it (a
        permutation of this layout's): made without the checks of ``__init__``."""
        td: TensorData = _new(TensorData)
        td._storage, td.version, td.dtype = self._storage, self.version, self.dtype
        td.shape, td.strides = shape, strides
        td._shape, td._strides = _index_array(shape), _index_array(strides)
        td.dims, td.size = len(shape), self.size
        return td

    def basic_view(self, key: BasicKey) -> TensorData:
        """The layout of ``values[key]`` for a basic key (integers, slices with positive
        steps, None, ...) as a view of this storage: numpy's view of it gives the shape, the
        strides and the offset, and the storage from that offset on is a numpy view too."""
        storage = self._storage
        view = self.array_view()[key]
        item = storage.itemsize
        offset = (view.__array_interface__["data"][0] - storage.__array_interface__["data"][0])
        strides = tuple(s // item for s in view.strides)
        return TensorData(storage[offset // item:] if view.size else storage[:0], view.shape,
                          strides if view.size else None, self.version)

    def view_as(self, shape: UserShape, strides: Union[UserStrides, None] = None) -> TensorData:
        """Another layout of the same storage (a view: it shares the version too)."""
        return TensorData(self._storage, shape, strides, self.version)

    def to_string(self) -> str:
        """The course's text format: nested brackets, values as ``%3.2f``."""
        s = ""
        for index in self.indices():
            opening = ""
            for i in range(len(index) - 1, -1, -1):
                if index[i] == 0:
                    opening = "\n" + "\t" * i + "[" + opening
                else:
                    break
            s += opening
            v = self.get(index)
            s += f"{v:3.2f}"
            closing = ""
            for i in range(len(index) - 1, -1, -1):
                if index[i] == self.shape[i] - 1:
                    closing += "]"
                else:
                    break
            s += closing if closing else " "
        return s
