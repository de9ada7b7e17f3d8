"""``save`` / ``load`` for state dicts: named float64 arrays in a numpy ``.npz`` file.

The format holds numbers only and is read with ``allow_pickle=False``, so loading a
file can never run code.  Writes go to a temporary file in the same folder that is
then renamed over the target, so a crash never leaves a half-written checkpoint.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from .constructors import tensor
from .tensor import Tensor
from .tensor_ops import TensorBackend

PathLike = Union[str, "os.PathLike[str]"]


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
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            # entries arr_0 (the names, as strings), arr_1, ...: any name round-trips
            np.savez(f, np.array(names, dtype=str), *arrays)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path: PathLike, backend: Optional[TensorBackend] = None) -> dict[str, Tensor]:
    """Read a state dict written by :func:`save`; values become tensors on ``backend``."""
    where = os.fspath(path)
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
