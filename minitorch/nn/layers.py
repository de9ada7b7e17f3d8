"""Layers with PyTorch's names, arguments and weight shapes, built from tensor operations.

Weights are created on ``backend`` (default: the numba CPU backend).  Differences from
PyTorch, kept from the course: ``Conv1d``/``Conv2d`` keep the input's size (zero padding
on the right/bottom only), and pooling uses non-overlapping windows (stride = kernel).
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..fast_conv import conv1d, conv2d
from ..module import Module, Parameter
from ..ops.constructors import zeros
from ..tensor import Tensor
from ..tensor_ops import TensorBackend
from . import init, losses
from .functional import embedding
from .ops import avgpool2d, dropout, maxpool2d


def _pair(k: int | tuple[int, int]) -> tuple[int, int]:
    return (k, k) if isinstance(k, int) else (int(k[0]), int(k[1]))


def _check_rank(x: Tensor, dims: int, layer: str, layout: str) -> None:
    if x.dims != dims:
        raise ValueError(f"{layer}: expected a {dims}-d input {layout}, got shape {x.shape}")


def _uniform_parameter(
    shape: tuple[int, ...], fan_in: int, backend: Optional[TensorBackend]
) -> Parameter:
    """PyTorch's default layer initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
    return Parameter(init.uniform_(zeros(shape, backend=backend), -bound, bound))


class Linear(Module):
    r""":math:`y = x W^T + b`; ``weight`` is (out_features, in_features).

    Input (..., in_features), output (..., out_features).
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True,
        backend: Optional[TensorBackend] = None,
    ) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = _uniform_parameter((out_features, in_features), in_features, backend)
        self.bias = _uniform_parameter((out_features,), in_features, backend) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        if x.dims < 1 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear: expected inputs with {self.in_features} features in the last "
                f"dimension, got shape {x.shape}"
            )
        if x.dims == 1:
            return self.forward(x.view(1, x.size)).view(self.out_features)
        out: Tensor = x @ self.weight.value.T
        if self.bias is not None:
            out = out + self.bias.value
        return out

    def __repr__(self) -> str:
        return f"Linear(in_features={self.in_features}, out_features={self.out_features})"


class Conv1d(Module):
    """``weight`` (out_channels, in_channels, kernel_size); input (batch, in_channels, width)."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, bias: bool = True,
        backend: Optional[TensorBackend] = None,
    ) -> None:
        super().__init__()
        fan_in = in_channels * kernel_size
        self.weight = _uniform_parameter((out_channels, in_channels, kernel_size), fan_in, backend)
        self.bias = _uniform_parameter((out_channels,), fan_in, backend) if bias else None
        self.out_channels = out_channels

    def forward(self, x: Tensor) -> Tensor:
        _check_rank(x, 3, "Conv1d", "(batch, channels, width)")
        out = conv1d(x, self.weight.value)
        if self.bias is not None:
            out = out + self.bias.value.view(1, self.out_channels, 1)
        return out


class Conv2d(Module):
    """``weight`` (out_channels, in_channels, kh, kw); input (batch, in_channels, h, w)."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, int],
        bias: bool = True, backend: Optional[TensorBackend] = None,
    ) -> None:
        super().__init__()
        kh, kw = _pair(kernel_size)
        fan_in = in_channels * kh * kw
        self.weight = _uniform_parameter((out_channels, in_channels, kh, kw), fan_in, backend)
        self.bias = _uniform_parameter((out_channels,), fan_in, backend) if bias else None
        self.out_channels = out_channels

    def forward(self, x: Tensor) -> Tensor:
        _check_rank(x, 4, "Conv2d", "(batch, channels, height, width)")
        out = conv2d(x, self.weight.value)
        if self.bias is not None:
            out = out + self.bias.value.view(1, self.out_channels, 1, 1)
        return out


class Embedding(Module):
    """A table of ``num_embeddings`` learned vectors of size ``embedding_dim``, looked up by
    integer id: input ids of any shape ``S``, output ``S + (embedding_dim,)``.

    ``weight`` starts N(0, 1) as in PyTorch (or is ``_weight``, PyTorch's argument, as
    given); the ``padding_idx`` row starts at zero, looks up as zeros and is never updated
    (see :func:`minitorch.nn.functional.embedding`).
    """

    def __init__(
        self, num_embeddings: int, embedding_dim: int, padding_idx: Optional[int] = None,
        backend: Optional[TensorBackend] = None, _weight: Optional[Tensor] = None,
    ) -> None:
        super().__init__()
        if padding_idx is not None and not -num_embeddings <= padding_idx < num_embeddings:
            raise ValueError(
                f"Embedding: padding_idx {padding_idx} is outside the {num_embeddings} rows"
            )
        if padding_idx is not None and padding_idx < 0:
            padding_idx += num_embeddings
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = padding_idx
        if _weight is not None:
            self.weight = Parameter(_weight.detach().contiguous())
            return
        weight = init.normal_(zeros((num_embeddings, embedding_dim), backend=backend))
        if padding_idx is not None:
            weight[padding_idx] = 0.0
        self.weight = Parameter(weight)

    @classmethod
    def from_pretrained(
        cls, embeddings: Tensor, freeze: bool = True, padding_idx: Optional[int] = None
    ) -> Embedding:
        """A table holding ``embeddings`` (num_embeddings, embedding_dim), e.g. GloVe vectors;
        ``freeze``: the weight needs no gradient (leave it out of the optimizer)."""
        rows, dim = embeddings.shape
        layer = cls(rows, dim, padding_idx, backend=embeddings.backend, _weight=embeddings)
        if freeze:
            layer.weight.value.requires_grad_(False)
        return layer

    def forward(self, ids: Any) -> Tensor:
        return embedding(ids, self.weight.value, self.padding_idx)

    def __repr__(self) -> str:
        return f"Embedding({self.num_embeddings}, {self.embedding_dim})"


class AvgPool2d(Module):
    """Mean over non-overlapping ``kernel_size`` windows."""

    def __init__(self, kernel_size: int | tuple[int, int]) -> None:
        super().__init__()
        self.kernel_size = _pair(kernel_size)

    def forward(self, x: Tensor) -> Tensor:
        return avgpool2d(x, self.kernel_size)


class MaxPool2d(Module):
    """Maximum over non-overlapping ``kernel_size`` windows."""

    def __init__(self, kernel_size: int | tuple[int, int]) -> None:
        super().__init__()
        self.kernel_size = _pair(kernel_size)

    def forward(self, x: Tensor) -> Tensor:
        return maxpool2d(x, self.kernel_size)


class Dropout(Module):
    """Zero elements with probability ``p`` while training (survivors scaled by 1/(1-p));
    the identity in ``eval()`` mode."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, ignore=not self.training)


class ReLU(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.relu()


class Sigmoid(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


class Tanh(Module):
    r""":math:`\tanh x`."""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class Flatten(Module):
    """Merge dimensions ``start_dim..end`` into one: (batch, ...) -> (batch, rest)."""

    def __init__(self, start_dim: int = 1) -> None:
        super().__init__()
        self.start_dim = start_dim

    def forward(self, x: Tensor) -> Tensor:
        keep = x.shape[: self.start_dim]
        return x.reshape(*keep, math.prod(x.shape[self.start_dim :]))


class Sequential(Module):
    """Apply modules in order; they are registered as ``"0"``, ``"1"``, ..."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for i, m in enumerate(modules):
            setattr(self, str(i), m)

    def forward(self, x: Any) -> Any:
        for m in self.modules():
            x = m(x)
        return x

    def __len__(self) -> int:
        return len(self.modules())

    def __getitem__(self, i: int) -> Module:
        return self.modules()[i]


class _Loss(Module):
    """A loss function as a layer (torch's ``nn.MSELoss()`` and the like)."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = reduction

    def loss(self, input: Tensor, target: Any, reduction: str) -> Tensor:
        raise NotImplementedError

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return self.loss(input, target, self.reduction)


class MSELoss(_Loss):
    """:func:`minitorch.mse_loss` as a layer."""

    loss = staticmethod(losses.mse_loss)


class L1Loss(_Loss):
    """:func:`minitorch.l1_loss` as a layer."""

    loss = staticmethod(losses.l1_loss)


class BCELoss(_Loss):
    """:func:`minitorch.binary_cross_entropy` as a layer."""

    loss = staticmethod(losses.binary_cross_entropy)


class CrossEntropyLoss(_Loss):
    """:func:`minitorch.cross_entropy` (logits and class indices) as a layer."""

    loss = staticmethod(losses.cross_entropy)


class NLLLoss(_Loss):
    """:func:`minitorch.nll_loss` (log-probabilities and class indices) as a layer."""

    loss = staticmethod(losses.nll_loss)
