r"""``minitorch.compile``: record a function's tensor work once, then replay it without Python.

>>> @minitorch.compile
... def train_step(x, y):
...     optimizer.zero_grad()
...     loss = loss_fn(model(x), y)
...     loss.backward()
...     optimizer.step()
...     return loss.item()

The first calls with given argument shapes run eagerly under a
:class:`~minitorch.replay.tape.Recording` that keeps every launch (kernel, numpy
computation, gradient assignment, optimizer update) with the buffers it reads and writes.
When two consecutive recordings are *equivalent* (same launches on the same model state,
same constants), later calls replay the recorded launches on those buffers: no Tensors,
histories or graph walks are made; the arguments' values are copied into the recorded input
buffers and the results are read back out.

A call replays only if nothing it depends on has changed (otherwise it records again); see
:mod:`~minitorch.replay.guards` for each guard:

- the arguments: tensors by shape, layout, dtype and backend; numbers and strings by value; numpy
  arrays, lists, tuples and dicts by their contents; other objects by identity;
- the globals and closures that the user's code reads during the call, by value (objects by
  identity);
- the tensors older than the call that it uses (parameters): each must still have the
  storage and requires-grad flag it had (their values are read afresh);
- module state: every attribute a Module or Parameter is given, ``train()`` / ``eval()``;
- whether gradients are recorded (``no_grad``), and the default backend;
- gradients that the recording started from None (``zero_grad`` outside the function).

A guard that fails call after call (a global counter the function reads) makes the function
eager, with a warning naming what changed.

What is replayed is the tensor work: Python side effects of the function (printing, counters,
appending to lists) happen during the recorded calls only, and values it computes in Python
from anything but its tensor arguments and the model (numbers, numpy arrays, tensors made
from them) are replayed as the constants they were when recorded; two recordings that
differ in them are not equivalent, so a value that changes on every call keeps the
function eager.  Pass data that changes as tensor arguments.

A function that cannot be replayed faithfully (it reads tensor values before its last
operation, returns a graph without running backward, uses an operation that computes
outside the recorded kernels, ...) runs eagerly, with one :class:`CompileWarning` saying
why (or :class:`CompileError` with ``fullgraph=True``).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Hashable
from typing import Any, Optional, Union

import numpy as np

from ..backends.default import get_default_backend
from ..engine.grad_mode import is_grad_enabled
from ..tensor import Tensor
from ..tensor_data import TensorData
from . import fusion, guards, tape

RECORDINGS_BEFORE_GIVING_UP = 4
"""Recordings in a row that differ from the one before (or replays in a row refused by a
guard), before a function stays eager."""

MAX_ENTRIES = 64
"""Kinds of arguments a compiled function keeps recordings for; calls with more kinds (a new
object as an argument on every call) run eagerly."""


FUSE_AFTER = 1000
"""Replays after which a compiled function compiles the fused kernels it lacks.  Compiling
one takes about half a second, once per machine (they are cached on disk); fusing saves a
microsecond or two per launch and replay, so it pays off in long runs only."""


class CompileWarning(UserWarning):
    """A compiled function runs eagerly (the message says why)."""


class CompileError(RuntimeError):
    """``compile(fn, fullgraph=True)`` met something it cannot replay."""


def compile(  # noqa: A001 - PyTorch's name
    model: Optional[Callable[..., Any]] = None, *, fullgraph: bool = False,
    disable: bool = False, fuse: Optional[bool] = None, **_ignored: Any,
) -> Any:
    """Compile ``model`` (a function, a training step or a Module): torch's spelling.

    ``@minitorch.compile``, ``@minitorch.compile()`` and ``minitorch.compile(fn)`` all work.
    ``fullgraph=True`` raises :class:`CompileError` where the default falls back to eager;
    ``disable=True`` returns ``model`` unchanged.  torch's other options (``mode``,
    ``backend``, ``dynamic``) are accepted and ignored.  ``fuse`` (minitorch's own) controls
    :mod:`kernel fusion <minitorch.replay.fusion>`: by default a replay uses the fused kernels
    compiled before (in this process or cached on disk) at once and compiles the missing
    ones after ``FUSE_AFTER`` replays, when they will pay for their compile time; ``True``
    compiles them at the first replay, ``False`` replays every launch as recorded.
    """
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, disable=disable, fuse=fuse)
    if disable:
        return model
    if not callable(model):
        raise TypeError(f"compile() needs a function or a Module, got {type(model).__name__}")
    return CompiledFunction(model, fullgraph=fullgraph, fuse=fuse)


class CompiledFunction:
    """A function with its recordings, one :class:`_Entry` per kind of arguments."""

    def __init__(
        self, fn: Callable[..., Any], fullgraph: bool = False, fuse: Optional[bool] = None
    ) -> None:
        self.fn = fn
        self.fullgraph = fullgraph
        self.fuse = fuse
        self.entries: dict[Hashable, _Entry] = {}
        functools.update_wrapper(self, fn, updated=())  # a Module: only what it has

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if tape.recording() is not None:  # inside another compiled function: it records us
            return self.fn(*args, **kwargs)
        key = _key(args, kwargs)
        entry = self.entries.get(key)
        if entry is None:
            if len(self.entries) >= MAX_ENTRIES:
                return self._too_many_kinds(args, kwargs)
            entry = self.entries[key] = _Entry(self)
        return entry.call(args, kwargs)

    def _too_many_kinds(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        entry = self.entries.setdefault("too many", _Entry(self))
        if not entry.eager_only:
            entry.give_up([f"it was called with {MAX_ENTRIES} kinds of arguments (shapes, "
                           "values, objects): pass data that changes as tensors"])
        return entry.call(args, kwargs)

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        """As a method decorator: one compiled function per instance."""
        if obj is None:
            return self
        bound = obj.__dict__.get(f"_compiled_{self.fn.__name__}")
        if bound is None:
            bound = CompiledFunction(self.fn.__get__(obj, objtype), self.fullgraph, self.fuse)
            obj.__dict__[f"_compiled_{self.fn.__name__}"] = bound
        return bound

    @property
    def stats(self) -> dict[str, int]:
        """How the calls ran: ``recorded`` (eagerly, recording), ``replayed``, ``eager``."""
        total = {"recorded": 0, "replayed": 0, "eager": 0}
        for entry in self.entries.values():
            for k in total:
                total[k] += entry.counts[k]
        return total

    def explain(self) -> list[str]:
        """Why calls of this function run eagerly (empty when they all replay)."""
        return [reason for e in self.entries.values() for reason in e.reasons]


class _Entry:
    """The recordings of one kind of arguments, and whether they may be replayed."""

    def __init__(self, owner: CompiledFunction) -> None:
        self.owner = owner
        self.previous: Optional[list[Any]] = None
        self.tape: Optional[_Replay] = None
        self.mismatches = 0
        self.refused = 0
        self.eager_only = False
        self.reasons: list[str] = []
        self.counts = {"recorded": 0, "replayed": 0, "eager": 0}

    def call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self.eager_only:
            self.counts["eager"] += 1
            return self.owner.fn(*args, **kwargs)
        if self.tape is not None:
            if self.tape.may_replay(args, kwargs):
                self.counts["replayed"] += 1
                self.refused = 0
                replay, self.tape = self.tape, None  # a replay that raises must record again
                result = replay.run(args, kwargs)
                self.tape = replay
                return result
            self.refused += 1
            if self.refused > RECORDINGS_BEFORE_GIVING_UP:
                changed = ", ".join(self.tape.changed(args, kwargs))
                self.give_up([f"what it reads changes from call to call ({changed}): pass "
                              "values that change as tensor arguments"])
                return self.call(args, kwargs)
        self.tape = None
        self.counts["recorded"] += 1
        return self._record(args, kwargs)

    def _record(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        private = _private_arguments(args, kwargs)
        p_args, p_kwargs, inputs = private
        given = _ArgumentSnapshot(args, kwargs)
        with guards.Reads(self.owner.fn) as reads, \
                tape.Recording(t._tensor._storage for _, t in inputs) as rec:
            result = self.owner.fn(*p_args, **p_kwargs)
        plan, problems = _plan(result, rec, inputs, args, kwargs)
        problems = (rec.problems() + problems + _argument_problems(args, kwargs)
                    + given.refusals + reads.refusals)
        if problems:
            self.give_up(problems)
            return _restore_arguments(result, inputs, args, kwargs)
        signature = [rec.signature(), _canon_plan(plan, rec)]
        if signature == self.previous:
            self.tape = _Replay(rec, plan, inputs, self.owner.fuse, given, reads)
            self.mismatches = 0
        else:
            self.mismatches += 1
            if self.mismatches > RECORDINGS_BEFORE_GIVING_UP:
                self.give_up([
                    "the recorded operations or constants differ from call to call (Python "
                    "control flow, or numbers / arrays computed in Python that change): pass "
                    "changing data as tensor arguments"
                ])
        self.previous = signature
        return _restore_arguments(result, inputs, args, kwargs)

    def give_up(self, problems: list[str]) -> None:
        name = getattr(self.owner.fn, "__qualname__", type(self.owner.fn).__name__)
        message = f"minitorch.compile({name}) runs eagerly: " + "; ".join(problems)
        if self.owner.fullgraph:
            raise CompileError(message)
        self.eager_only = True
        self.reasons = problems
        warnings.warn(message, CompileWarning, stacklevel=4)


class _Replay:
    """A recording ready to replay: its launches, its inputs and how to build the result."""

    def __init__(
        self, rec: tape.Recording, plan: Any, inputs: list[tuple[Where, Tensor]],
        fuse: Optional[bool], given: _ArgumentSnapshot, reads: guards.Reads,
    ) -> None:
        self.rec = rec
        self.recorded = rec.launches
        self.launches = rec.launches
        if fuse is not False:
            self.launches = fusion.fuse(rec.launches, compile_new=bool(fuse))
        self.replays_to_fusion = FUSE_AFTER if fuse is None else -1
        self.plan = plan
        self.inputs = [(where, t._tensor._storage) for where, t in inputs]
        self.must_be_none = rec.entry_guards()
        self.epoch = tape.state_epoch
        self.given = given
        self.reads = reads

    def may_replay(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Whether nothing the recorded call depended on has changed (module state, entry
        gradients, persistent tensors, arguments' contents, globals and closures)."""
        return (self.epoch == tape.state_epoch
                and all(leaf._grad is None for leaf in self.must_be_none)
                and self.rec.leaves_unchanged()
                and self.given.unchanged(args, kwargs)
                and self.reads.unchanged())

    def changed(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str]:
        """What stopped the last replay, for a message."""
        found = list(self.reads.changed()) + self.given.changed(args, kwargs)
        if self.epoch != tape.state_epoch:
            found.append("module state")
        if not self.rec.leaves_unchanged():
            found.append("a tensor it uses was given new values or stopped requiring grad")
        return found or ["the gradients it starts from"]

    def run(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        for where, storage in self.inputs:
            np.copyto(storage, _argument(args, kwargs, where)._tensor._storage)
        self.replays_to_fusion -= 1
        if self.replays_to_fusion == 0:
            self.launches = fusion.fuse(self.recorded, compile_new=True)
        for fn, launch_args in self.launches:
            fn(*launch_args)
        return _build(self.plan, args, kwargs)


# -- arguments ---------------------------------------------------------------------------------

Where = Union[int, str]


def _key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    """What the recordings of a call depend on: argument kinds, the gradient mode and the
    default backend (the contents of arrays and containers are guarded, not keyed)."""
    parts = [_describe(a) for a in args]
    parts += [(k, _describe(v)) for k, v in sorted(kwargs.items())]
    return (is_grad_enabled(), id(get_default_backend()), tuple(parts))


def _describe(value: Any) -> Hashable:
    if isinstance(value, Tensor):
        td = value._tensor
        return ("tensor", td.shape, td.strides, td.dtype, len(td._storage), id(value.backend),
                value.history is None)
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str)
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_describe(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, _describe(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return ("value", type(value).__name__, value)


class _ArgumentSnapshot:
    """The contents of the arguments that are not tensors (arrays, containers, objects), as
    the recorded call saw them: a replay needs the same."""

    def __init__(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.snaps: list[tuple[Where, Any]] = []
        self.refusals: list[str] = []
        places: list[tuple[Where, Any]] = [*enumerate(args), *kwargs.items()]
        for where, value in places:
            if isinstance(value, Tensor) or (not isinstance(value, np.ndarray)
                                             and _is_hashable(value)):
                continue  # tensors are copied in; hashable values are in the key
            try:
                self.snaps.append((where, guards.snapshot(value)))
            except guards.UnguardableError as e:
                self.refusals.append(f"argument {where!r} is {e}; pass it as a tensor")

    def unchanged(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        return all(guards.unchanged(snap, _argument(args, kwargs, where))
                   for where, snap in self.snaps)

    def changed(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str]:
        return [f"argument {where!r}" for where, snap in self.snaps
                if not guards.unchanged(snap, _argument(args, kwargs, where))]


def _is_hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return not isinstance(value, tuple) or all(_is_hashable(v) for v in value)


def _argument(args: tuple[Any, ...], kwargs: dict[str, Any], where: Where) -> Any:
    return args[where] if isinstance(where, int) else kwargs[where]


def _private_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any], list[tuple[Where, Tensor]]]:
    """The arguments with each tensor replaced by a private copy (same layout): a replay
    copies new values into it, so the caller's tensors are never written."""
    inputs: list[tuple[Where, Tensor]] = []

    def private(where: Where, value: Any) -> Any:
        if not isinstance(value, Tensor):
            return value
        td = value._tensor
        copy = Tensor(TensorData(td._storage.copy(), td.shape, td.strides),
                      value.history, backend=value.backend)
        inputs.append((where, copy))
        return copy

    p_args = tuple(private(i, a) for i, a in enumerate(args))
    p_kwargs = {k: private(k, v) for k, v in kwargs.items()}
    return p_args, p_kwargs, inputs


def _argument_problems(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str]:
    found = []
    for where, value in [*enumerate(args), *kwargs.items()]:
        if isinstance(value, Tensor) and value.history is not None:
            found.append(
                f"argument {where!r} requires grad (pass data; keep learnable tensors in the "
                "model or the closure)"
            )
        elif isinstance(value, (list, tuple, dict)) and _has_tensor(value):
            found.append(f"argument {where!r} holds tensors in a container; pass them directly")
    return found


def _has_tensor(value: Any) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(v, Tensor) or (isinstance(v, (list, tuple, dict)) and _has_tensor(v))
               for v in items)


def _restore_arguments(
    result: Any, inputs: list[tuple[Where, Tensor]], args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    """The result of a recorded call, with the private copies of arguments swapped back."""
    swap = {id(copy): _argument(args, kwargs, where) for where, copy in inputs}

    def back(value: Any) -> Any:
        if isinstance(value, Tensor):
            return swap.get(id(value), value)
        if isinstance(value, (tuple, list)):
            return type(value)(back(v) for v in value)
        if isinstance(value, dict):
            return {k: back(v) for k, v in value.items()}
        return value

    return back(result)


# -- results -----------------------------------------------------------------------------------


def _plan(
    result: Any, rec: tape.Recording, inputs: list[tuple[Where, Tensor]],
    args: tuple[Any, ...], kwargs: dict[str, Any],
) -> tuple[Any, list[str]]:
    """How a replay rebuilds ``result``: tensors computed by the call become copies of their
    buffers, values read with ``item()`` / ``to_numpy()`` are read again, arguments and model
    tensors come back as themselves."""
    problems: list[str] = []
    arguments = {id(copy): where for where, copy in inputs}
    reads = {id(value): (layout, index) for value, layout, index in rec.reads}

    def plan(value: Any) -> Any:
        if isinstance(value, Tensor):
            if id(value) in arguments:
                return ("argument", arguments[id(value)])
            if id(tape.root(value._tensor._storage)) not in rec.written:
                return ("same", value)
            if value.history is not None and value.history.last_fn is not None \
                    and not rec.did_backward:
                problems.append(
                    "it returns a tensor with a graph but runs no backward pass: compile the "
                    "whole training step (forward, backward, optimizer step), or the forward "
                    "pass under no_grad()"
                )
            return ("buffer", value._tensor, value.backend)
        if id(value) in reads:
            layout, index = reads[id(value)]
            return ("read", layout, None if index is None else layout.index(index))
        if isinstance(value, (tuple, list)):
            return (type(value), [plan(v) for v in value])
        if isinstance(value, dict):
            return (dict, [(k, plan(v)) for k, v in value.items()])
        if value is None or (not rec.reads and isinstance(value, (int, float, str, bool))):
            return ("constant", value)
        problems.append(
            f"it returns a {type(value).__name__} computed in Python (only tensors, "
            "values read with .item() / .to_numpy() and containers of them are replayed)"
        )
        return ("constant", value)

    return plan(result), problems


def _canon_plan(plan: Any, rec: tape.Recording) -> Any:
    """``plan`` in a form that compares equal between equivalent recordings."""
    kind = plan[0]
    if kind == "buffer":
        return (kind, rec.canon(plan[1]._storage), plan[1].shape, plan[1].strides)
    if kind == "read":
        return (kind, rec.canon(plan[1]._storage), plan[1].shape, plan[1].strides, plan[2])
    if kind in (tuple, list, dict):
        return (kind, [(_canon_plan(p, rec) if kind is not dict else (p[0], _canon_plan(p[1], rec)))
                       for p in plan[1]])
    if kind == "same":
        return (kind, id(plan[1]))
    return plan


def _build(plan: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    kind = plan[0]
    if kind == "buffer":
        td, backend = plan[1], plan[2]
        values = np.array(td.array_view(), order="C")
        return Tensor(TensorData(values.reshape(-1), td.shape), backend=backend)
    if kind == "read":  # as TensorData.read, without noting a read
        td, position = plan[1], plan[2]
        if position is not None:
            return float(td.host_storage(False)[position])
        return np.array(td.array_view(), order="C")
    if kind == "argument":
        return _argument(args, kwargs, plan[1])
    if kind == "same":
        return plan[1]
    if kind in (tuple, list):
        return kind(_build(p, args, kwargs) for p in plan[1])
    if kind is dict:
        return {k: _build(p, args, kwargs) for k, p in plan[1]}
    return plan[1]
