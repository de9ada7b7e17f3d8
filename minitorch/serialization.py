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
    arrays = {str(k): _as_array(str(k), v) for k, v in obj.items()}
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path: PathLike, backend: Optional[TensorBackend] = None) -> dict[str, Tensor]:
    """Read a state dict written by :func:`save`; values become tensors on ``backend``."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: tensor(data[name], backend=backend) for name in data.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise ValueError(
            f"load: {os.fspath(path)!r} is not a readable minitorch checkpoint "
            f"(truncated or corrupt?): {err}"
        ) from err
