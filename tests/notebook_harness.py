"""Run notebook-style cell sequences written for PyTorch twice: with ``torch`` bound to
minitorch (``import minitorch as torch``) and to PyTorch in float64, and compare what each
cell shows (the value of its last expression), as a notebook would display it."""

from __future__ import annotations

import ast
import math
import warnings
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import minitorch  # noqa: E402


@dataclass
class Cell:
    """One code cell; ``random`` cells draw numbers (the two libraries' draws differ), so
    only that they run is checked."""

    code: str
    random: bool = False


@dataclass
class Outcome:
    """What running a cell gave: the displayed value, or the error it raised."""

    value: Any = None
    error: BaseException | None = None


@dataclass
class Comparison:
    cells: int = 0
    ran_on_torch: int = 0
    ran_on_both: int = 0
    failures: list[str] = field(default_factory=list)


def run_cell(code: str, namespace: dict[str, Any]) -> Outcome:
    """Execute a cell; the value of a final expression is what a notebook would display."""
    tree = ast.parse(code)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = ast.Module(tree.body[:-1] if last else tree.body, type_ignores=[])
    try:
        warnings.simplefilter("ignore")  # a notebook shows warnings; they do not fail a cell
        exec(compile(body, "<cell>", "exec"), namespace)  # noqa: S102 - test cells we wrote
        if last is not None:
            expr = ast.Expression(last.value)
            return Outcome(eval(compile(expr, "<cell>", "eval"), namespace))  # noqa: S307
        return Outcome()
    except Exception as err:  # a cell that fails is recorded, as a notebook shows it
        return Outcome(error=err)
    finally:
        warnings.resetwarnings()
        plt.close("all")


def numbers(value: Any) -> Any:
    """A displayed value as numpy numbers (tensors of either library, tuples, lists)."""
    if isinstance(value, minitorch.Tensor):
        return value.to_numpy()
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.dtype in (torch.float16, torch.bfloat16):
            value = value.float()
        return value.numpy() if value.is_floating_point() or value.is_complex() else (
            value.double().numpy())
    if isinstance(value, (tuple, list)):
        return [numbers(v) for v in value]
    if isinstance(value, (int, float, np.ndarray, np.number, bool)):
        return np.asarray(value, dtype=float)
    return None  # figures, strings, modules: not compared


def same_numbers(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_numbers(x, y) for x, y in zip(a, b))
    if a is None or b is None:
        return a is None and b is None
    if np.iscomplexobj(b):
        if np.any(np.imag(b) != 0):
            return False
        b = np.real(b)
    # torch code that asks for float32 (x.float()) gets float32 from PyTorch: compare at its
    # precision; everything else to 1e-9
    single = np.asarray(b).dtype == np.float32
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size != b.size:
        return False
    # shapes may differ only where the course keeps (1,) for torch's 0-d (x.sum())
    if a.shape != b.shape and not (a.size == 1 and b.size == 1):
        return False
    rtol, atol = (1e-6, 1e-6) if single else (1e-9, 1e-12)
    return bool(np.allclose(a.reshape(-1), b.reshape(-1), rtol=rtol, atol=atol, equal_nan=True))


def namespace(library: ModuleType) -> dict[str, Any]:
    return {"torch": library, "np": np, "math": math, "plt": plt}


def compare(cells: list[Cell]) -> Comparison:
    """Run the cells on both libraries (each from a fresh namespace, seeds reset) and
    count the cells that run on PyTorch, those that also run on minitorch, and mismatches."""
    torch.set_default_dtype(torch.float64)
    try:
        ours, theirs = namespace(minitorch), namespace(torch)
        torch.manual_seed(0)
        minitorch.manual_seed(0)
        result = Comparison(cells=len(cells))
        for i, cell in enumerate(cells):
            want = run_cell(cell.code, theirs)
            got = run_cell(cell.code, ours)
            if want.error is not None:
                continue
            result.ran_on_torch += 1
            if got.error is not None:
                result.failures.append(f"cell {i} raised {got.error!r}:\n{cell.code}")
                continue
            result.ran_on_both += 1
            if not cell.random and not same_numbers(numbers(got.value), numbers(want.value)):
                result.failures.append(
                    f"cell {i} shows {got.value!r}, PyTorch {want.value!r}:\n{cell.code}"
                )
        return result
    finally:
        torch.set_default_dtype(torch.float32)
