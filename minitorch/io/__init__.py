"""Files and PyTorch: :mod:`~minitorch.io.serialization` (``save`` / ``load``: ``.npz``,
``.safetensors``, torch's ``.pt``), :mod:`~minitorch.io.safetensors` (the format, read and
written with numpy only) and :mod:`~minitorch.io.interop` (``from_torch`` / ``to_torch``;
torch is imported only when used)."""
