r"""Kernel fusion for replays: runs of elementwise launches become one generated kernel.

A replay (see :mod:`minitorch.replay.compiler`) is a list of launches.  Many are small elementwise
``map`` / ``zip`` kernels, one after another, each paying numba's dispatch (about a
microsecond) and a pass over memory.  Where consecutive launches are all elementwise over
the same number of positions ``n``, with every operand laid out like the output, they are
replaced by one kernel, written as Python source and compiled with numba::

    def fused(b0, b1, b2, b3):            # x = b0, y = b1, t = b2, z = b3
        for i in range(len(b0)):
            r0 = f0(b0[i], b1[0])         # t = x * 0.5     (b1: a broadcast constant)
            b2[i] = r0
            r1 = f1(r0)                   # z = relu(t): t read from the register, not b2
            b3[i] = r1

Each position ``i`` runs the original scalar functions in the original order, so the results
are the eager ones bit for bit.  Every output is still written (a later launch, the result
or a saved gradient may read it); what fusion saves is the dispatches and the reads of
values just computed.

An operand qualifies when it is a whole buffer of ``n`` elements in the output's dense layout
(element ``i`` at position ``i``), or a single-element buffer broadcast everywhere (read at
0).  Anything else (a transposed or broadcast view, a reduction, a matrix product) ends the
run and is launched as it was recorded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import numpy as np
from numba import njit

from .tape import Launch, root

ELEMENTWISE: dict[int, tuple[Any, Callable[..., float], int]] = {}
"""``id(kernel)`` -> (kernel, its scalar function, number of inputs) for the backends'
serial map and zip kernels (the kernel is kept so its id stays unique)."""

_compiled: dict[tuple[Any, ...], Any] = {}
"""Fused kernels by their structure, shared by every replay that needs the same one."""


def register(kernel: Any, fn: Callable[..., float], arity: int) -> None:
    """Declare ``kernel`` an elementwise launch of ``fn`` over ``arity`` inputs, taking
    ``(out, out_shape, out_strides, a, a_shape, a_strides[, b, b_shape, b_strides])``."""
    ELEMENTWISE[id(kernel)] = (kernel, fn, arity)


Operand = tuple[str, np.ndarray]
"""``("full", buffer)``: read element ``i``; ``("one", buffer)``: read element 0;
``("tail", buffer)``: read element ``i % len(buffer)`` (a row broadcast down the leading
dimensions, as a bias is)."""


class _Step:
    """One elementwise launch, seen as ``out[i] = fn(operands...)``."""

    def __init__(self, fn: Callable[..., float], out: np.ndarray, operands: list[Operand]):
        self.fn = fn
        self.out = out
        self.operands = operands


def _dense(shape: np.ndarray, strides: np.ndarray) -> bool:
    expected = 1
    for d in range(len(shape) - 1, -1, -1):
        if shape[d] > 1 and strides[d] != expected:
            return False
        expected *= int(shape[d])
    return True


def _whole(buffer: np.ndarray, n: int) -> bool:
    """``buffer`` is a 1-d array of ``n`` elements that owns all of its memory (so two such
    buffers are either the same memory or do not overlap)."""
    base = root(buffer)
    return (
        buffer.ndim == 1 and len(buffer) == n and base.nbytes == buffer.nbytes
        and buffer.ctypes.data == base.ctypes.data and buffer.flags.c_contiguous
    )


def _step(launch: Launch) -> Optional[_Step]:
    """The launch as a fusable step, or None."""
    fn, args = launch
    entry = ELEMENTWISE.get(id(fn))
    if entry is None:
        return None
    _, scalar, arity = entry
    out, out_shape, out_strides = args[0], args[1], args[2]
    n = len(out)
    if not (_whole(out, n) and _dense(out_shape, out_strides)):
        return None
    operands: list[Operand] = []
    for k in range(arity):
        a, a_shape, a_strides = args[3 + 3 * k : 6 + 3 * k]
        kind = _operand_kind(a, a_shape, a_strides, out_shape, out_strides)
        if kind is None:
            return None
        operands.append((kind, a))
    return _Step(scalar, out, operands)


def _operand_kind(
    a: np.ndarray, shape: np.ndarray, strides: np.ndarray,
    out_shape: np.ndarray, out_strides: np.ndarray,
) -> Optional[str]:
    """How a fused kernel reads input ``a`` at output position ``i`` (see ``Operand``)."""
    n = int(np.prod(out_shape))
    if len(a) == 1:
        return "one"
    if not (_whole(a, len(a)) and _dense(shape, strides)):
        return None
    if np.array_equal(shape, out_shape) and np.array_equal(strides, out_strides):
        return "full" if len(a) == n else None
    lead = len(out_shape) - len(shape)
    tail = out_shape[lead:]
    k = 0  # shape's leading size-1 dims broadcast; the rest must be the output's last dims
    while k < len(shape) and shape[k] == 1 and tail[k] != 1:
        k += 1
    if np.array_equal(shape[k:], tail[k:]) and int(np.prod(tail[k:])) == len(a):
        return "tail"
    return None


def fuse(launches: list[Launch], compile_new: bool = True) -> list[Launch]:
    """``launches`` with each run of two or more fusable elementwise launches over the same
    number of positions replaced by one fused launch.  ``compile_new=False``: only where the
    fused kernel is compiled already (in this process, or cached on disk by an earlier one)."""
    result: list[Launch] = []
    run: list[tuple[Launch, _Step]] = []

    def flush() -> None:
        fused = _fused_launch([step for _, step in run], compile_new) if len(run) >= 2 else None
        if fused is not None:
            result.append(fused)
        else:
            result.extend(launch for launch, _ in run)
        run.clear()

    for launch in launches:
        step = _step(launch)
        if step is not None and run and not _joins([s for _, s in run], step):
            flush()
        if step is None:
            flush()
            result.append(launch)
        else:
            run.append((launch, step))
    flush()
    return result


def _joins(run: list[_Step], step: _Step) -> bool:
    """Whether ``step`` can join ``run``: the same number of positions, and no buffer read
    at element 0 by one of them is written by another (position 0 would change under the
    reads of the later positions)."""
    if len(run[0].out) != len(step.out):
        return False
    written = {id(root(s.out)) for s in [*run, step]}
    return not any(
        kind != "full" and id(root(a)) in written
        for s in [*run, step] for kind, a in s.operands
    ) or len(step.out) == 1


Plan = tuple[tuple[tuple[str, int], ...], int]
"""Per step: its reads (kind, buffer number) and the buffer it writes."""


def _fused_launch(steps: list[_Step], compile_new: bool) -> Optional[Launch]:
    """One launch doing ``steps`` position by position (None: its kernel is not compiled
    and ``compile_new`` is False)."""
    buffers: dict[int, int] = {}
    arrays: list[np.ndarray] = []

    def number(a: np.ndarray) -> int:
        key = id(root(a))
        if key not in buffers:
            buffers[key] = len(arrays)
            arrays.append(a)
        return buffers[key]

    plan: list[Plan] = []
    for step in steps:
        reads = tuple((kind, number(a)) for kind, a in step.operands)
        plan.append((reads, number(step.out)))
    kernel = _kernel([step.fn for step in steps], plan, len(arrays), compile_new)
    if kernel is None:
        return None
    return kernel, (arrays[buffers[id(root(steps[0].out))]], *arrays)


def _kernel(
    fns: list[Callable[..., float]], plan: list[Plan], n_buffers: int, compile_new: bool
) -> Any:
    """The compiled kernel for ``plan``, from memory, from the disk cache, or compiled now
    (when ``compile_new``); None otherwise."""
    key = (tuple(id(f) for f in fns), tuple(plan), n_buffers)
    kernel = _compiled.get(key)
    if kernel is not None:
        return kernel
    body = _body(plan, n_buffers)
    imports = [_import_line(fn, f"f{s}") for s, fn in enumerate(fns)]
    folder = cache_folder() if all(imports) else None
    if folder is not None:
        source = "\n".join(
            ['"""Generated by minitorch.replay.fusion (a fused elementwise kernel)."""',
             "from numba import njit", *map(str, imports), "", "", "@njit(cache=True)", *body, ""]
        )
        path = folder / f"fused_{hashlib.sha1(source.encode()).hexdigest()[:16]}.py"
        if not compile_new and not path.exists():
            return None
        kernel = _cached_kernel(path, source)
    elif compile_new:
        namespace: dict[str, Any] = {f"f{s}": fn for s, fn in enumerate(fns)}
        exec("\n".join(body), namespace)  # noqa: S102 - source generated here, no user text
        kernel = njit(namespace["fused"])
    if kernel is not None:
        _compiled[key] = kernel
    return kernel


def _body(plan: list[Plan], n_buffers: int) -> list[str]:
    """The source of the fused kernel (see the module's docstring)."""
    params = ", ".join(f"b{j}" for j in range(n_buffers))
    lines = [f"def fused(n_of, {params}):", "    for i in range(len(n_of)):"]
    register_of: dict[int, str] = {}  # buffer -> the register holding its element i
    for s, (reads, out) in enumerate(plan):
        args = []
        for kind, j in reads:
            if kind == "one":
                args.append(f"b{j}[0]")
            elif kind == "tail":
                args.append(f"b{j}[i % len(b{j})]")
            else:
                args.append(register_of.get(j, f"b{j}[i]"))
        lines.append(f"        r{s} = f{s}({', '.join(args)})")
        lines.append(f"        b{out}[i] = r{s}")
        register_of[out] = f"r{s}"
    return lines


def _import_line(fn: Callable[..., float], name: str) -> Optional[str]:
    """``from minitorch.operators import fn as name`` when ``fn`` is one of the operators
    (so a generated file can import it), else None.  Only the operators: a cached kernel is
    compiled again when operators.py changes (``backends.runtime.KernelCache``), while a
    function from elsewhere could change under a cached kernel that inlined it."""
    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", "")
    if module != "minitorch.operators":
        return None
    if getattr(sys.modules.get(module), qualname, None) is not fn:
        return None
    return f"from {module} import {qualname} as {name}"


def _cache_folder() -> Optional[Path]:
    """Where generated kernels and numba's cache of them live (None when not writable)."""
    folder = Path(__file__).parent / "__pycache__" / "fused"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


CACHE: Optional[Path] = None
"""The folder of generated kernels (found when the first one is needed: importing minitorch
makes no folder)."""
_looked = False


def cache_folder() -> Optional[Path]:
    """:data:`CACHE`, looked for once."""
    global CACHE, _looked
    if CACHE is None and not _looked:
        _looked = True
        CACHE = _cache_folder()
    return CACHE


def _cached_kernel(path: Path, source: str) -> Any:
    """Import the generated file ``path`` (written first if missing); numba keeps its
    compiled code beside it, so later processes load it instead of compiling."""
    if not path.exists():
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(source)
        temporary.replace(path)  # atomic: a parallel process never reads half a file
    name = f"minitorch_{path.stem}"  # numba's cache finds the module again by this name
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module.fused
