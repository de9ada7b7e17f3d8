r"""What a replay depends on besides its tensors, and the checks that it has not changed.

A replay runs no Python, so every Python value the recorded call read must be the same when
it replays.  The sources, and how each is guarded:

- **arguments**: numbers, strings and other hashable values by value (in the key of the
  recording); numpy arrays, lists, tuples and dicts by a snapshot of their contents (a dict
  mutated in place between calls is a different argument); other objects by identity, and the
  plain attributes of instances of user classes by value;
- **globals and closures** of the code that ran during the call (the compiled function and
  every function of the user's it called, found while the call records; minitorch's,
  numpy's and the standard library's own code is not the user's): each name the code uses
  that is a global of its module is guarded as an argument is; so are the cells the compiled
  function closes over, and the mutable values (arrays, containers) other user functions
  close over;
- **persistent tensors** (parameters, tensors made before the call): by their storage and
  requires-grad flag (see :meth:`~minitorch.replay.tape.Recording.leaves_unchanged`); their
  values are read afresh by every replay;
- **modules**: every attribute a Module or Parameter is given, and ``train()`` / ``eval()``,
  bump ``tape.state_epoch``.

A value that cannot be compared cheaply (a numpy array over :data:`MAX_BYTES`, a container
of more than :data:`MAX_ITEMS` values) makes the function run eagerly, with a CompileWarning
naming it.
"""

from __future__ import annotations

import operator
import os
import sys
import sysconfig
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Optional

import numpy as np

MAX_BYTES = 1 << 20
"""Numpy arrays read by a call are compared by their bytes up to this size (1 MiB)."""

MAX_ITEMS = 10_000
"""Containers read by a call are compared by value up to this many values."""

_MISSING = object()
_IDENTITY = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
             type)


class UnguardableError(Exception):
    """A value a call read that a replay cannot cheaply check (the message says what)."""


# -- snapshots -------------------------------------------------------------------------------


def snapshot(value: Any, budget: Optional[list[int]] = None) -> Any:
    """``value`` in a form :func:`unchanged` compares with a later value: plain data by value,
    numpy arrays by their bytes, containers item by item, objects by identity (instances of the
    user's own classes also by their plain attributes).  Raises :class:`UnguardableError` for data
    too large to compare on every call."""
    budget = [MAX_ITEMS] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise UnguardableError(f"a container of more than {MAX_ITEMS:,} values")
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, np.generic)):
        return ("plain", type(value), value)
    if isinstance(value, np.ndarray):
        if value.nbytes > MAX_BYTES:
            raise UnguardableError(
                f"a numpy array of {value.nbytes / 2**20:,.1f} MiB (shape {value.shape})"
            )
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, (tuple, list, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        snaps = tuple(snapshot(v, budget) for v in items)
        if type(value) in (tuple, list) and all(s[0] == "same" for s in snaps):
            return ("same items", type(value), tuple(value))  # (a list of parameters: fast)
        return ("items", type(value), snaps)
    if type(value) is dict:
        return ("dict", tuple((k, snapshot(v, budget)) for k, v in value.items()))
    if isinstance(value, _IDENTITY) or not _is_users(type(value)) or _is_module(value):
        return ("same", value)
    attrs = tuple(
        (k, snapshot(v, budget)) for k, v in vars(value).items() if _is_plain(v)
    ) if hasattr(value, "__dict__") else ()
    return ("object", value, attrs)


def unchanged(snap: Any, value: Any) -> bool:
    """Whether ``value`` is what :func:`snapshot` saw (``snap``)."""
    kind = snap[0]
    if kind == "same":
        return value is snap[1]
    if kind == "plain":
        same = value == snap[2] or (value != value and snap[2] != snap[2])  # (NaN is NaN)
        return type(value) is snap[1] and bool(same)
    if kind == "array":
        return (isinstance(value, np.ndarray) and value.dtype.str == snap[1]
                and value.shape == snap[2] and value.tobytes() == snap[3])
    if kind == "same items":
        return (type(value) is snap[1] and len(value) == len(snap[2])
                and all(map(operator.is_, value, snap[2])))
    if kind == "items":
        if type(value) is not snap[1] or len(value) != len(snap[2]):
            return False
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return all(unchanged(s, v) for s, v in zip(snap[2], items))
    if kind == "dict":
        return (type(value) is dict and len(value) == len(snap[1])
                and all(unchanged(s, value.get(k, _MISSING)) for k, s in snap[1]))
    if value is not snap[1]:  # "object"
        return False
    attrs = vars(value)
    return all(unchanged(s, attrs.get(k, _MISSING)) for k, s in snap[2])


def _is_plain(value: Any) -> bool:
    return value is None or isinstance(
        value, (bool, int, float, complex, str, bytes, np.generic, np.ndarray, tuple, list, dict)
    )


def _is_module(value: Any) -> bool:
    """minitorch Modules and Parameters: guarded by ``tape.state_epoch``, not by content."""
    return any(c.__module__ == "minitorch.module" for c in type(value).__mro__)


def describe(value: Any) -> str:
    """A short description of ``value`` for a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- whose code is it ------------------------------------------------------------------------

_PACKAGE = str(Path(__file__).resolve().parent.parent)


def _library_roots() -> tuple[str, ...]:
    roots = {_PACKAGE}
    for scheme_vars in ({}, {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}):
        paths = sysconfig.get_paths(vars=scheme_vars or None)
        roots.update(paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib"))
    return tuple(os.path.realpath(r) for r in roots if r)


_LIBRARY = _library_roots()
_users_file: dict[str, bool] = {}


def is_users_file(filename: str) -> bool:
    """Whether code from ``filename`` is the user's (not minitorch's, numpy's, the standard
    library's or another installed package's: their globals are their own business)."""
    known = _users_file.get(filename)
    if known is None:
        if filename.startswith("<"):
            known = not filename.startswith("<frozen")
        else:
            known = not os.path.realpath(filename).startswith(_LIBRARY)
        _users_file[filename] = known
    return known


def _is_users(kind: type) -> bool:
    module = sys.modules.get(kind.__module__)
    filename = getattr(module, "__file__", None)
    return filename is not None and is_users_file(filename)


# -- what a call reads -----------------------------------------------------------------------

Guard = tuple[str, Any, str, Any, str]
"""Where a value is read again (``"global"``: a module's globals and a name; ``"cell"``: a
closure's cell; ``"held"``: the object itself, for its contents), its snapshot, and its name
for messages."""


def _current(guard: Guard) -> Any:
    kind, where, name = guard[0], guard[1], guard[2]
    if kind == "global":
        return where.get(name, _MISSING)
    if kind == "cell":
        return where.cell_contents
    return where


class Reads:
    """The globals and closures the user's code reads during one call (collected with a
    profile hook while the call records), as guards."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.same: list[tuple[dict[str, Any], str, Any]] = []
        """Globals that must still be the very same objects (modules, functions, models):
        the common case, checked first and fast."""
        self.same_cells: list[tuple[types.CellType, Any]] = []
        """Closure cells that must still hold the very same objects."""
        self.guards: list[Guard] = []
        self.refusals: list[str] = []
        self._codes: set[types.CodeType] = set()
        self._names: set[tuple[int, str]] = set()
        self._previous: Any = None
        self._closure_of(fn)

    def __enter__(self) -> Reads:
        self._previous = sys.getprofile()
        if self._previous is None:  # (under a profiler, only the compiled function's own code)
            sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._previous is None:
            sys.setprofile(None)

    def unchanged(self) -> bool:
        for g, name, value in self.same:
            if g.get(name, _MISSING) is not value:
                return False
        for cell, value in self.same_cells:
            if cell.cell_contents is not value:
                return False
        for guard in self.guards:
            if not unchanged(guard[3], _current(guard)):
                return False
        return True

    def changed(self) -> Iterator[str]:
        """The names of the guarded values that changed since."""
        for g, name, value in self.same:
            if g.get(name, _MISSING) is not value:
                yield f"the global {name!r}"
        for cell, value in self.same_cells:
            if cell.cell_contents is not value:
                yield "a variable the function closes over"
        for guard in self.guards:
            if not unchanged(guard[3], _current(guard)):
                yield guard[4]

    def _closure_of(self, fn: Any) -> None:
        fn = getattr(fn, "__func__", fn)
        code = getattr(fn, "__code__", None)
        if code is None:  # a callable object (a Module): its forward is found when it runs
            return
        self._code(code, getattr(fn, "__globals__", {}), {})
        for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
            self._guard(("cell", cell, name), cell.cell_contents,
                        f"the variable {name!r} that {fn.__qualname__} closes over")

    def _profile(self, frame: types.FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code not in self._codes:
            self._code(frame.f_code, frame.f_globals, frame.f_locals)

    def _code(self, code: types.CodeType, globals_: dict[str, Any], locals_: Any) -> None:
        self._codes.add(code)
        if not is_users_file(code.co_filename):
            return
        for name in code.co_names:
            if name in globals_ and (id(globals_), name) not in self._names:
                self._names.add((id(globals_), name))
                self._guard(("global", globals_, name), globals_[name], f"the global {name!r}")
        for name in code.co_freevars:  # mutated in place is seen; rebound (nonlocal) is not
            value = locals_.get(name, _MISSING)
            if isinstance(value, (np.ndarray, list, dict, set)):
                self._guard(("held", value, name), value,
                            f"the variable {name!r} of {code.co_name}")

    def _guard(self, where: tuple[str, Any, str], value: Any, name: str) -> None:
        try:
            snap = snapshot(value)
        except UnguardableError as e:
            self.refusals.append(
                f"it reads {name}, {e}, which a replay cannot check cheaply on every call; "
                "pass the values it uses as tensor arguments"
            )
            return
        if where[0] == "global" and snap[0] == "same":
            self.same.append((where[1], where[2], value))
        elif where[0] == "cell" and snap[0] == "same":
            self.same_cells.append((where[1], value))
        else:
            self.guards.append((*where, snap, name))
