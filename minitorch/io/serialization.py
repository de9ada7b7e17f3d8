"""``save`` / ``load`` for state dicts: named arrays (each of its tensor's dtype) in a numpy
``.npz`` file, or in the formats PyTorch users share weights in.

- ``.npz`` (any other name): numbers only, read with ``allow_pickle=False``;
- ``.safetensors``: read and written by :mod:`minitorch.io.safetensors` (numpy alone);
- ``.pt`` / ``.pth``: PyTorch's ``torch.save`` files of plain tensors (needs torch; read with
  ``weights_only=True``, see :func:`minitorch.io.interop.load_torch`).

``load`` tells the formats apart by their content, so no file's name can make it run code.
Writes go to a temporary file in the same folder that is then renamed over the target, so a
crash never leaves a half-written checkpoint.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from ..ops.constructors import tensor
from ..tensor import Tensor
from ..tensor_ops import TensorBackend
from . import safetensors as safetensors_io
from .interop import _torch, load_torch

PathLike = Union[str, "os.PathLike[str]"]
TORCH_SUFFIXES = (".pt", ".pth")


def _as_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.to_numpy()
    if isinstance(value, (int, float, np.ndarray)):
        return np.asarray(value, dtype=np.float64)
    raise TypeError(
        f"save: {name!r} is a {type(value).__name__}; only tensors, numpy arrays and "
        "numbers can be saved"
    )


def save(obj: dict[str, Any], path: PathLike) -> None:
    """Write a state dict (name -> tensor / array / number) to ``path`` atomically."""
    if not isinstance(obj, dict):
        raise TypeError(
            f"save: expected a dict such as model.state_dict(), got {type(obj).__name__}"
        )
    names = [str(k) for k in obj]
    arrays = [_as_array(name, v) for name, v in zip(names, obj.values())]
    target = Path(path)
    suffix = target.suffix.lower()
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent or ".")
    try:
        if suffix == ".safetensors":
            os.close(fd)
            safetensors_io.write(tmp, dict(zip(names, arrays)))
        elif suffix in TORCH_SUFFIXES:
            os.close(fd)
            torch = _torch(f"save to {os.fspath(path)!r}")
            torch.save({n: torch.from_numpy(a) for n, a in zip(names, arrays)}, tmp)
        else:
            with os.fdopen(fd, "wb") as f:
                # entries arr_0 (the names, as strings), arr_1, ...: any name round-trips
                np.savez(f, np.array(names, dtype=str), *arrays)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _is_torch_file(path: PathLike, head: bytes) -> bool:
    """A ``torch.save`` file: a zip archive with a ``data.pkl`` entry, or (PyTorch's older
    format) a pickle."""
    if head[:1] == b"\x80":
        return True
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as z:
        return any(name.endswith("/data.pkl") or name == "data.pkl" for name in z.namelist())


def load(path: PathLike, backend: Optional[TensorBackend] = None) -> dict[str, Tensor]:
    """Read a state dict from a file written by :func:`save`, a ``.safetensors`` file or a
    PyTorch ``torch.save`` file of tensors; tensors keep their dtypes (bfloat16 becomes
    float32), on ``backend``."""
    where = os.fspath(path)
    with open(path, "rb") as f:
        head = f.read(9)
    if safetensors_io.looks_like_safetensors(head):
        arrays, _ = safetensors_io.read(path)
        return {name: tensor(a, backend=backend) for name, a in arrays.items()}
    if _is_torch_file(path, head):
        return load_torch(path, backend)
    try:
        data = np.load(path, allow_pickle=False)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise ValueError(
            f"load: {where!r} is not a readable minitorch checkpoint (truncated or corrupt?): "
            f"{err}"
        ) from err
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(
            f"load: {where!r} holds a single numpy array (.npy), not a state dict; minitorch "
            "checkpoints are .npz files written by minitorch.save"
        )
    with data:
        try:
            return _read(data, where, backend)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as err:
            raise ValueError(
                f"load: {where!r} is not a readable minitorch checkpoint (truncated or "
                f"corrupt?): {err}"
            ) from err


def _read(data: Any, where: str, backend: Optional[TensorBackend]) -> dict[str, Tensor]:
    """The tensors of an opened checkpoint, under their names."""
    if "arr_0" in data.files and data["arr_0"].dtype.kind == "U":
        names = [str(n) for n in data["arr_0"]]
        entries = [(name, f"arr_{i + 1}") for i, name in enumerate(names)]
    else:  # written before names were stored: the entries are the names
        entries = [(name, name) for name in data.files]
    state = {}
    for name, entry in entries:
        try:
            state[name] = tensor(data[entry], backend=backend)
        except TypeError as err:
            raise TypeError(f"load: {where!r}: entry {name!r}: {err}") from None
    return state
