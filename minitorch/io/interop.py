"""PyTorch interop (optional: needs ``pip install torch``): tensors and state dicts in both
directions, and PyTorch checkpoint files read without running their code.

- :func:`from_torch`: a ``torch.Tensor`` -> a minitorch :class:`Tensor` (a copy, of the same
  dtype; bfloat16 widened to float32, exactly; of
  the values; no history); a state dict -> a dict of tensors.
- :func:`to_torch` (also ``Tensor.to_torch()``): the reverse, as ``torch.float64`` tensors, so
  ``torch_model.double().load_state_dict(minitorch.to_torch(model.state_dict()))``.
- :func:`load_torch`: a file written by ``torch.save`` of plain tensors (``.pt``), read with
  ``torch.load(weights_only=True)``: a pickle that asks for anything else is refused.

The layers share PyTorch's parameter names and layouts (``Linear.weight`` is (out, in),
``Conv2d.weight`` (out, in, kh, kw)), so one state dict serves both libraries.  minitorch's
convolutions pad the right and bottom so the output keeps the input's size: the PyTorch
equivalent pads first, ``F.conv2d(F.pad(x, (0, kw - 1, 0, kh - 1)), weight, bias)``.
"""

from __future__ import annotations

import importlib
import os
import pickle
from typing import Any, Optional, Union

import numpy as np

from ..ops import dtypes
from ..ops.constructors import tensor
from ..tensor import Tensor
from ..tensor_ops import TensorBackend

PathLike = Union[str, "os.PathLike[str]"]


def _torch(what: str) -> Any:
    """The ``torch`` module, or an error saying ``what`` needs it."""
    try:
        return importlib.import_module("torch")
    except ModuleNotFoundError:
        raise ModuleNotFoundError(f"{what} needs PyTorch: pip install torch") from None


def from_torch(value: Any, backend: Optional[TensorBackend] = None) -> Any:
    """A torch tensor as a minitorch tensor on ``backend`` (a copy of the same dtype, no
    history: int64 exactly; bfloat16 widened to float32); a dict of torch tensors (a
    ``state_dict()``) as a dict of minitorch tensors."""
    torch = _torch("from_torch")
    if isinstance(value, dict):
        return {str(k): from_torch(v, backend) for k, v in value.items()}
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"from_torch: expected a torch.Tensor or a dict of them, got "
                        f"{type(value).__name__}")
    if value.is_complex():
        raise TypeError(f"from_torch: minitorch holds real numbers; got a {value.dtype} tensor")
    value = value.detach().to("cpu")
    if value.dtype == torch.bfloat16:
        value = value.float()
    if str(value.dtype).removeprefix("torch.") not in dtypes.BY_NAME:
        raise TypeError(f"from_torch: minitorch has no {value.dtype}; convert the tensor first "
                        "(.long(), .double())")
    return tensor(value.numpy(), backend=backend)


def to_torch(value: Any) -> Any:
    """A minitorch tensor as a torch tensor of the same dtype (a copy, no history: float64
    for minitorch's default floats); a dict of tensors (a ``state_dict()``) as a dict of
    torch tensors."""
    torch = _torch("to_torch")
    if isinstance(value, dict):
        return {str(k): to_torch(v) for k, v in value.items()}
    if not isinstance(value, Tensor):
        raise TypeError(f"to_torch: expected a minitorch Tensor or a dict of them, got "
                        f"{type(value).__name__}")
    return torch.from_numpy(np.ascontiguousarray(value.to_numpy()))


def load_torch(path: PathLike, backend: Optional[TensorBackend] = None) -> dict[str, Tensor]:
    """The tensors of a ``torch.save`` file holding a dict of tensors (a state dict).

    Read with ``weights_only=True``: the file may hold tensors, numbers, strings and
    containers only, so loading it cannot run code."""
    torch = _torch(f"load of the PyTorch file {os.fspath(path)!r}")
    where = repr(os.fspath(path))
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        raise ValueError(f"load: {where} holds more than plain tensors, and loading it could "
                         f"run code, so it is refused ({first})") from None
    except (RuntimeError, EOFError, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise ValueError(f"load: {where} is not a readable PyTorch file (truncated or "
                         f"corrupt?): {err}") from None
    if isinstance(obj, torch.Tensor):
        raise ValueError(f"load: {where} holds one tensor, not a state dict; read it with "
                         "minitorch.from_torch(torch.load(path, weights_only=True))")
    if not isinstance(obj, dict):
        raise ValueError(f"load: {where} holds a {type(obj).__name__}, not a state dict")
    others = {k: type(v).__name__ for k, v in obj.items() if not isinstance(v, torch.Tensor)}
    if others:
        listed = ", ".join(f"{k!r} ({t})" for k, t in list(others.items())[:5])
        raise ValueError(f"load: {where} is not a plain state dict: {listed} are not tensors "
                         "(a training checkpoint? load it with torch and pass its model's "
                         "state dict to minitorch.from_torch)")
    state: dict[str, Tensor] = from_torch(obj, backend)
    return state
