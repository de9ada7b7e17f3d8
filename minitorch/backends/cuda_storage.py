r"""Storages that live on the GPU between operations.

A CUDA kernel's output is a :class:`DeviceTensorData`: its values are made on the device and
stay there, so the next kernel reads them without a copy.  A :class:`Mirror` keeps the two
copies of such a storage (host and device) and knows which one is current:

- ``device_newer``: a kernel wrote the device copy; the host copy is stale until Python needs
  it (``to_numpy``, ``item``, printing, indexing, numpy computations), when it is copied back
  once;
- ``host_dirty``: Python wrote the host copy (``t[i] = v``, ``fill_``, an optimizer's update);
  the device copy is refreshed before the next kernel reads it;
- ``exposed``: the raw host array was handed out (``td._storage``, as the course's code
  does); whoever holds it may write it at any time, so it is copied to the device before
  every kernel that reads it.

Views of a device storage (permute, view, broadcast) share its Mirror.  Tensors made on the
host (``minitorch.tensor(..., backend=CudaBackend)``) stay ordinary layouts: each kernel
copies them to the device (see :func:`kernel_args`).
"""

from __future__ import annotations

import functools
import math
from typing import Any, Union

import numpy as np

from ..tensor_data import Shape, Storage, Strides, TensorData, UserShape, UserStrides

_new = object.__new__


class Mirror:
    """The host and device copies of one storage, and which one is current."""

    __slots__ = ("host", "device", "device_newer", "host_dirty", "exposed")

    def __init__(self, host: Storage, device: Any) -> None:
        self.host = host
        self.device = device
        self.device_newer = True  # made for a kernel to write
        self.host_dirty = False
        self.exposed = False

    def on_host(self) -> Storage:
        """The host copy, brought up to date."""
        if self.device_newer:
            self.device.copy_to_host(self.host)
            self.device_newer = False
        return self.host

    def on_device(self) -> Any:
        """The device copy, brought up to date."""
        if self.host_dirty or self.exposed:
            self.device.copy_to_device(self.host)
            self.host_dirty = False
        return self.device


class DeviceTensorData(TensorData):
    """A layout whose storage is a :class:`Mirror` (see the module's docstring)."""

    _mirror: Mirror

    @property
    def _storage(self) -> Storage:
        """The raw host array (brought up to date, and from now on copied to the device
        before every kernel: the caller may write it)."""
        mirror = self._mirror
        mirror.exposed = True
        return mirror.on_host()

    @_storage.setter
    def _storage(self, value: Storage) -> None:
        raise AttributeError("a GPU tensor's storage is replaced only by a kernel")

    def host_storage(self, writeable: bool = True) -> Storage:
        mirror = self._mirror
        host = mirror.on_host()
        mirror.host_dirty = mirror.host_dirty or writeable
        return host

    def device_storage(self) -> Any:
        """The device copy, up to date, for a kernel to read."""
        return self._mirror.on_device()

    def written_on_device(self) -> None:
        """A kernel has just written the device copy."""
        mirror = self._mirror
        mirror.device_newer, mirror.host_dirty = True, False

    def _derived(self, shape: tuple[int, ...], strides: tuple[int, ...]) -> TensorData:
        return _adopt(TensorData._derived(self._plain(), shape, strides), self)

    def view_as(self, shape: UserShape, strides: Union[UserStrides, None] = None) -> TensorData:
        return _adopt(self._plain().view_as(shape, strides), self)

    def _plain(self) -> TensorData:
        """This layout over the host array, without touching either copy (to build views)."""
        td: TensorData = _new(TensorData)
        td.__dict__.update(self.__dict__)
        del td.__dict__["_mirror"]
        td.__dict__["_storage"] = self._mirror.host
        return td


def _adopt(view: TensorData, of: DeviceTensorData) -> DeviceTensorData:
    """``view`` (a layout over ``of``'s host array) as a layout sharing ``of``'s Mirror."""
    td: DeviceTensorData = _new(DeviceTensorData)
    td.__dict__.update(view.__dict__)
    del td.__dict__["_storage"]
    td._mirror = of._mirror
    return td


def device_empty(shape: tuple[int, ...]) -> DeviceTensorData:
    """A new row-major layout whose values a kernel will write on the device."""
    from numba import cuda

    td: DeviceTensorData = _new(DeviceTensorData)
    td.__dict__.update(TensorData.empty(shape).__dict__)
    host = td.__dict__.pop("_storage")
    td._mirror = Mirror(host, cuda.device_array(math.prod(shape)))
    return td


@functools.lru_cache(maxsize=4096)
def _device_ints(values: tuple[int, ...]) -> Any:
    """Shape or strides as an int32 device array, made once per distinct tuple."""
    from numba import cuda

    return cuda.to_device(np.array(values, dtype=np.int32))


def kernel_args(td: TensorData) -> tuple[Any, Shape, Strides]:
    """``(storage, shape, strides)`` for a kernel on the device: a device storage as it is,
    a host one copied over (each time: Python may have changed it)."""
    if isinstance(td, DeviceTensorData):
        storage = td.device_storage()
    else:
        from numba import cuda

        storage = cuda.to_device(td._storage)
    return storage, _device_ints(td.shape), _device_ints(td.strides)
