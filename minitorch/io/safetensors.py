"""The safetensors file format, read and written with numpy alone (no code can run on load).

A file is: 8 bytes, the little-endian length ``N`` of a JSON header; ``N`` bytes of JSON,
``{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}`` with an
optional ``"__metadata__"`` of strings; then the tensors' bytes, little-endian and row-major,
each at ``[begin, end)`` counted from the end of the header.  (See the format's description at
https://github.com/huggingface/safetensors.)
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Union

import numpy as np
import numpy.typing as npt

PathLike = Union[str, "os.PathLike[str]"]

_DTYPES: dict[str, str] = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
    "I8": "i1", "U8": "u1", "U16": "<u2", "U32": "<u4", "U64": "<u8", "BOOL": "?",
}
_MAX_HEADER = 100_000_000  # the format's own limit on the header's size


def looks_like_safetensors(head: bytes) -> bool:
    """Whether the first bytes of a file are a safetensors header's start."""
    if len(head) < 9:
        return False
    n = int.from_bytes(head[:8], "little")
    return 0 < n <= _MAX_HEADER and head[8:9] == b"{"


def _array(raw: bytes, dtype: str, shape: list[int], where: str) -> npt.NDArray[Any]:
    """One tensor's bytes as values of its shape and dtype (bfloat16 widened to float32,
    and U16 / U32 / U64 to int64, exactly; a U64 value past int64's range is refused)."""
    if dtype == "BF16":
        halves = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return halves.view(np.float32).reshape(shape)
    values = np.frombuffer(raw, dtype=_DTYPES[dtype])
    if dtype in ("U16", "U32", "U64"):
        if dtype == "U64" and values.size and values.max() > np.iinfo(np.int64).max:
            raise ValueError(f"{where}: a U64 value past int64's range ({values.max()})")
        return values.astype(np.int64).reshape(shape)
    return values.astype(values.dtype.newbyteorder("=")).reshape(shape)


def _entry(name: str, info: Any, data: bytes, where: str) -> npt.NDArray[Any]:
    """Check one header entry against the data and read its tensor."""
    place = f"{where}: tensor {name!r}"
    try:
        dtype, shape, (begin, end) = info["dtype"], list(info["shape"]), info["data_offsets"]
    except (TypeError, KeyError, ValueError):
        raise ValueError(f"{place}: the header entry is not dtype / shape / data_offsets: "
                         f"{info!r:.100}") from None
    if not all(isinstance(s, int) and s >= 0 for s in shape):
        raise ValueError(f"{place}: bad shape {shape}")
    if dtype != "BF16" and dtype not in _DTYPES:
        raise ValueError(f"{place}: dtype {dtype!r} is not supported (known: "
                         f"{', '.join(sorted([*_DTYPES, 'BF16']))})")
    size = 2 if dtype == "BF16" else np.dtype(_DTYPES[dtype]).itemsize
    if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= len(data)):
        raise ValueError(f"{place}: data_offsets [{begin}, {end}] fall outside the "
                         f"{len(data)} bytes of data (a truncated file?)")
    if end - begin != math.prod(shape) * size:
        raise ValueError(f"{place}: shape {shape} of {dtype} needs {math.prod(shape) * size} "
                         f"bytes, data_offsets give {end - begin}")
    return _array(data[begin:end], dtype, shape, place)


def read(path: PathLike) -> tuple[dict[str, npt.NDArray[Any]], dict[str, str]]:
    """The tensors of a safetensors file as arrays of their dtypes, and its metadata."""
    where = repr(os.fspath(path))
    with open(path, "rb") as f:
        raw = f.read()
    if not looks_like_safetensors(raw[:9]):
        raise ValueError(f"{where} is not a safetensors file (no header length and JSON)")
    n = int.from_bytes(raw[:8], "little")
    try:
        header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{where}: the safetensors header is not JSON ({err}); truncated?") \
            from None
    if not isinstance(header, dict):
        raise ValueError(f"{where}: the safetensors header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    data = raw[8 + n :]
    return {name: _entry(name, info, data, where) for name, info in header.items()}, metadata


_NAMES = {np.dtype(v).newbyteorder("<"): k for k, v in _DTYPES.items()}


def write(path: PathLike, arrays: dict[str, npt.NDArray[Any]]) -> None:
    """Write arrays as a safetensors file, each with its dtype (``F64`` for float64, ``I64``
    for int64, ``BOOL``, ...), in the given order."""
    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    offset = 0
    blobs = []
    for name, array in arrays.items():
        array = np.asarray(array)
        kind = np.dtype(array.dtype).newbyteorder("<")
        if kind not in _NAMES:
            array, kind = array.astype("<f8"), np.dtype("<f8")
        blob = np.ascontiguousarray(array, dtype=kind).tobytes()
        header[name] = {"dtype": _NAMES[kind], "shape": list(np.shape(array)),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # pad so the data start 8-byte aligned
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little") + text)
        for blob in blobs:
            f.write(blob)
