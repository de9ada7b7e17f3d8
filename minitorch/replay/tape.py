r"""The tape: every computation on tensor data goes through :func:`launch`, so that
:func:`minitorch.compile` can record a call and replay it later without Python.

A *launch* is a callable and its arguments; by convention ``args[0]`` is the buffer it
writes (a float64 numpy array, or something else for launches that only change Python
state, such as setting a gradient).  Kernels of the backends, numpy computations of the
Functions (:func:`computed`), fills, in-place writes and the optimizers' updates are
launches.  Outside a recording :func:`launch` just calls the function.

While a :class:`Recording` is active it keeps every launch with its arguments, and notes
what makes a call impossible to replay faithfully:

- a Function whose result did not come out of a launch (computed by other means);
- tensor values read by Python (``item()``, ``to_numpy()``, printing) before the last
  launch: later work might depend on them through Python control flow;
- a tensor written with Python indexing (``t[0] = 1``) after a kernel had used it.

The eager code tells a recording what happens through the module functions :func:`note_created`,
:func:`note_read`, :func:`note_write`, :func:`note_output` and :func:`note_grad`, which do
nothing when no recording is active: eager code never looks at the recording itself.

Buffers are classified by their role in the call (by the identity of their root array, a
view's base), never by their dtype: an *input* (a copy of a tensor argument), a *buffer*
(allocated during the call and written by a launch: numbered in order of appearance), a
*value* (made during the call or by Python and only read: the ``0.5`` of ``x * 0.5``, index
arrays, shapes; compared by its bytes), or *persistent* (older than the call: the storages of
the tensors the Functions read, such as parameters, and anything older that a launch writes;
compared by identity).  Two recordings of the same function are *equivalent* when their
launches are the same functions with the same arguments up to that classification (see
:meth:`Recording.signature`).  The persistent tensors are also *guarded*: a replay runs only
while each still has the storage and the requires-grad flag it had when the call recorded.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Optional

import numpy as np

from ..ops import dtypes

Launch = tuple[Callable[..., Any], tuple[Any, ...]]

_active: Optional[Recording] = None
"""The recording in progress, or None (the usual case: launches just run)."""

state_epoch = 0
"""Counts changes to modules: every attribute a ``Module`` or ``Parameter`` is given (a new
parameter tensor, a plain setting such as a dropout rate) and every ``train()`` / ``eval()``
(module.py's ``__setattr__`` methods call :func:`state_changed`, whatever the attribute).  A
compiled function records again when it differs from the one it recorded under."""


def state_changed() -> None:
    """A module's state changed: recordings made before may not replay (see ``state_epoch``)."""
    global state_epoch
    state_epoch += 1


def root(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory of ``array`` (itself, or the base of a view)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def note_created(storage: np.ndarray) -> None:
    """A new storage was allocated (a new TensorData)."""
    if _active is not None:
        _active.note_created(storage)


def note_read(layout: Any, result: Any, index: Any = None) -> None:
    """Python read values of the TensorData ``layout``: one element at ``index``, or (``index``
    None) all of them, as ``result`` (see ``TensorData.read``)."""
    if _active is not None:
        _active.note_read(layout, result, index)


def note_write(storage: np.ndarray) -> None:
    """Python wrote into ``storage`` with indexing (not in a launch)."""
    if _active is not None:
        _active.note_write(storage)


def note_output(function: str, out: Any, inputs: Sequence[Any]) -> None:
    """Function ``function`` made the tensor ``out`` from the tensors ``inputs``."""
    if _active is not None:
        _active.note_output(function, out, inputs)


def note_grad(leaf: Any, accumulating: bool) -> None:
    """A leaf's gradient is set: by accumulation (``accumulating``), or assigned."""
    if _active is not None:
        _active.note_grad(leaf, accumulating)


def refuse(reason: str) -> None:
    """A recording in progress cannot be replayed faithfully, for ``reason``."""
    if _active is not None:
        _active.refuse(reason)


def launch(fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` (``args[0]``: the buffer it writes), recording it if a recording is
    active."""
    rec = _active
    if rec is None:
        fn(*args)
    else:
        rec.launch(fn, args)


def recording() -> Optional[Recording]:
    """The active recording, if any."""
    return _active


class Recording:
    """The launches of one call of a compiled function, and what it learnt about them."""

    def __init__(self, inputs: Iterable[np.ndarray] = ()) -> None:
        self.launches: list[Launch] = []
        self.written: dict[int, np.ndarray] = {}
        self.created: dict[int, np.ndarray] = {}
        self.inputs: dict[int, int] = {id(root(a)): k for k, a in enumerate(inputs)}
        self.used: set[int] = set()
        """Roots of the buffers that launches have read or written so far."""
        self.reads: list[tuple[Any, Any, Any]] = []
        """``(result, layout, index)`` of each read of tensor values by Python (``index``
        None: all the values, as an array)."""
        self.persistent: set[int] = set()
        """Roots of the storages of tensors older than the call that Functions read."""
        self.leaves: dict[int, tuple[Any, Any, bool]] = {}
        """Per persistent tensor: (tensor, its TensorData, requires grad) when first used."""
        self.first_read_at = -1
        """How many launches had run at the first such read (-1: none yet)."""
        self.refusals: list[str] = []
        self.grad_first: dict[int, tuple[Any, bool]] = {}
        """Per leaf: (leaf, needs its gradient to be None on entry)."""
        self.did_backward = False
        self.in_launch = False
        self._previous: Optional[Recording] = None
        self._names: dict[int, int] = {}

    # -- the active recording --------------------------------------------------------------

    def __enter__(self) -> Recording:
        global _active
        self._previous, _active = _active, self
        return self

    def __exit__(self, *exc: Any) -> None:
        global _active
        _active = self._previous

    # -- what the library tells it ---------------------------------------------------------

    def launch(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        """Run ``fn(*args)`` and record it (a launch inside a launch is part of the outer one)."""
        pick = getattr(fn, "pick", None)  # a launcher choosing a kernel by size records it
        if pick is not None:
            fn = pick(args)
        outer, self.in_launch = self.in_launch, True
        try:
            fn(*args)
        finally:
            self.in_launch = outer
        if not outer:
            self.record(fn, args)

    def record(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        """Keep ``fn(*args)`` (already run) for replay."""
        self.launches.append((fn, args))
        for a in _arrays(args):
            self.used.add(id(root(a)))
        if args and isinstance(args[0], np.ndarray):
            base = root(args[0])
            self.written[id(base)] = base

    def note_created(self, storage: np.ndarray) -> None:
        """A storage allocated during the call (a new TensorData)."""
        base = root(storage)
        self.created.setdefault(id(base), base)

    def is_constant(self, storage: np.ndarray) -> bool:
        """Whether ``storage`` was made during this call and only filled by Python."""
        key = id(root(storage))
        return key in self.created and key not in self.written and key not in self.inputs

    def note_read(self, layout: Any, result: Any, index: Any) -> None:
        """Python read values of a TensorData ``layout``, giving ``result``."""
        storage = layout._storage
        if self.in_launch or self.is_constant(storage) or id(root(storage)) in _immutable:
            return
        self.reads.append((result, layout, index))
        if self.first_read_at < 0:
            self.first_read_at = len(self.launches)

    def note_write(self, storage: np.ndarray) -> None:
        """Python wrote into ``storage`` with indexing (not in a launch)."""
        if self.in_launch:
            return
        key = id(root(storage))
        if key in self.created and key not in self.used:
            return  # filling a new constant before any kernel sees it
        self.refuse(
            "it writes into a tensor with Python indexing (t[i] = v) after operations used "
            "it; use torch-style in-place methods (add_, copy_, fill_) instead"
        )

    def note_output(self, function: str, out: Any, inputs: Sequence[Any]) -> None:
        """A Function returned the tensor ``out``: it must come from a launch, or be a view
        of an input.  The inputs older than the call are persistent (and guarded)."""
        roots = []
        for t in inputs:
            key = id(root(t._tensor._storage))
            roots.append(key)
            if key not in self.created and key not in self.inputs:
                self.persistent.add(key)
                if id(t) not in self.leaves:
                    self.leaves[id(t)] = (t, t._tensor, t.history is not None)
        key = id(root(out._tensor._storage))
        if key not in self.written and key not in roots:
            self.refuse(f"{function} computes its result outside the recorded kernels")

    def note_grad(self, leaf: Any, accumulating: bool) -> None:
        """A leaf's gradient is set: by accumulation (``accumulating``), or assigned."""
        if id(leaf) not in self.grad_first:
            self.grad_first[id(leaf)] = (leaf, accumulating and leaf._grad is None)
        self.did_backward = self.did_backward or accumulating

    def refuse(self, reason: str) -> None:
        """This call cannot be replayed faithfully, for ``reason``."""
        if reason not in self.refusals:
            self.refusals.append(reason)

    # -- after the call ---------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Why this recording may not be replayed (empty when it may)."""
        found = list(self.refusals)
        if 0 <= self.first_read_at < len(self.launches):
            found.append(
                "it reads tensor values in Python (.item(), .to_numpy(), print) before its "
                "last operation, so what follows may depend on them; read them at the end"
            )
        if not self.launches:
            found.append("it runs no tensor operations")
        for key in self.inputs:
            if key in self.written:
                found.append("it writes into one of its tensor arguments")
        return found

    def entry_guards(self) -> list[Any]:
        """The leaves whose gradient must be None when a replay starts (the recording took
        the branch of ``accumulate_derivative`` that starts a gradient)."""
        return [leaf for leaf, needs_none in self.grad_first.values() if needs_none]

    def signature(self) -> list[Any]:
        """The launches in a form that compares equal between equivalent recordings."""
        return [(self.canon(fn), tuple(self.canon(a) for a in args)) for fn, args in self.launches]

    def canon(self, value: Any) -> Any:
        """``value`` (a launch's function or argument) as :meth:`signature` compares it:
        buffers written by the call are numbered in order of first appearance, constants
        and plain values compared by value, everything else by identity."""
        if isinstance(value, np.ndarray):
            return self._canon_array(value)
        if isinstance(value, (tuple, list)):
            return (type(value).__name__, tuple(self.canon(v) for v in value))
        if isinstance(value, (int, float, str, bool, type(None), np.generic)) or value is ...:
            return ("v", type(value).__name__, _hashable(value))
        if isinstance(value, slice):
            return ("slice", self.canon((value.start, value.stop, value.step)))
        if isinstance(value, types.FunctionType):  # a lambda made per call: by code and cells
            cells = tuple(self.canon(c.cell_contents) for c in value.__closure__ or ())
            return ("function", id(value.__code__), cells, self.canon(value.__defaults__))
        if isinstance(value, types.MethodType):
            return ("method", id(value.__func__), self.canon(value.__self__))
        storage = getattr(getattr(value, "_tensor", None), "_storage", None)
        if isinstance(storage, np.ndarray) and id(root(storage)) in self.written:
            td = value._tensor
            return ("tensor", self._canon_array(storage), td.shape, td.strides)
        return ("object", id(value))

    def _canon_array(self, array: np.ndarray) -> Any:
        """An array by its role (see the module): input, buffer, persistent or value."""
        base = root(array)
        key = id(base)
        layout = (array.shape, array.strides, _offset(array, base), array.dtype.str)
        if key in self.inputs:
            return ("input", self.inputs[key], layout)
        if key in self.created:
            if key in self.written:
                return ("buffer", self._names.setdefault(key, len(self._names)), layout)
            return ("value", layout, base.tobytes())
        if key in self.persistent or key in self.written:
            return ("persistent", key, layout)
        return ("value", layout, base.tobytes())

    def leaves_unchanged(self) -> bool:
        """Whether every persistent tensor still has its storage and requires-grad flag."""
        for t, td, tracked in self.leaves.values():
            if t._tensor is not td or (t.history is not None) != tracked:
                return False
        return True


def _arrays(args: tuple[Any, ...]) -> Iterable[np.ndarray]:
    for a in args:
        if isinstance(a, np.ndarray):
            yield a
        elif isinstance(a, (tuple, list)):
            yield from _arrays(tuple(a))


def _offset(array: np.ndarray, base: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0] - base.__array_interface__["data"][0])


def _hashable(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return "nan"
    return value


_immutable: dict[int, np.ndarray] = {}
"""Storages of the shared constant tensors (never written): reading one tells nothing about
the data of a call."""


def shared_constant(storage: np.ndarray) -> None:
    """``storage`` belongs to a constant shared between calls (``x * 0.5``'s 0.5): it
    outlives the call, and Python may read it (the course's ``max`` reads its dim) without
    making the call depend on its data."""
    base = root(storage)
    _immutable[id(base)] = base
    outlives_call(storage)


def is_shared_constant(storage: np.ndarray) -> bool:
    """Whether ``storage`` belongs to a constant shared between calls."""
    return id(root(storage)) in _immutable


def forget_shared_constants() -> None:
    """The cache of shared constants was emptied (their reads count again, to be safe)."""
    _immutable.clear()


def outlives_call(storage: np.ndarray) -> None:
    """``storage``, made during a recorded call, is kept beyond it (a shared constant): a
    recording treats it as older state, compared by identity."""
    if _active is not None:
        _active.created.pop(id(root(storage)), None)


def empty(shape: Any) -> np.ndarray:
    """A new float64 buffer for a launch to write (a recording knows it is new)."""
    out = np.empty(shape)
    note_created(out)
    return out


# -- launches the library shares -----------------------------------------------------------


def fill(out: np.ndarray, value: float) -> None:
    """``out[:] = value``."""
    out[...] = value


def assign(out: np.ndarray, values: np.ndarray) -> None:
    """``out[...] = values`` (a view written in place, e.g. an in-place method)."""
    out[...] = values


def _recompute(out: np.ndarray, fn: Callable[..., Any], arrays: tuple[Any, ...]) -> None:
    out[...] = np.asarray(fn(*arrays), dtype=out.dtype).reshape(out.shape)


def computed(fn: Callable[..., Any], *arrays: Any) -> np.ndarray:
    """``fn(*arrays)`` as a new array (of its numpy type when a tensor can have it, else
    float64), recomputed into the same array on replay.

    This is how a Function that computes with numpy (a convolution, a gather) stays
    replayable: ``arrays`` are views of its inputs' storages, which a replay fills afresh.
    """
    result = np.asarray(fn(*arrays))
    if not dtypes.stored(result.dtype):
        result = result.astype(np.float64)
    result = np.array(result, order="C")
    rec = _active
    if rec is not None and not rec.in_launch:
        rec.record(_recompute, (result, fn, arrays))
    return result
