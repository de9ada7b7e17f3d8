"""The course's sentence classifier (Kim, 2014), trained on word ids.

ids (batch, words) -> word vectors (batch, words, d) -> for each filter width k: Conv1d
d -> maps (width k) + ReLU, max over time (batch, maps) -> the widths' features side by side
(batch, maps * widths) -> dropout -> Linear -> sigmoid: the probability that the sentence is
positive.  Loss: binary cross-entropy.

The course sums the widths' pooled features and drops out after the linear layer; Kim puts
them side by side and drops out before it, as here.  Max over time is torch's ``amax``, which
shares the gradient among equal maxima: past a sentence's end every window sees the same
padding, so ties are common, and the course's ``max`` (the whole gradient to each of them)
would multiply the biases' gradients by the number of padded windows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

import numpy as np
import numpy.typing as npt

from ..module import Module, Parameter
from ..nn import layers
from ..nn.losses import binary_cross_entropy
from ..ops.constructors import as_tensor
from ..ops.reductions import amax
from ..ops.shapes import cat
from ..optim import Adam
from ..tensor import Tensor
from ..tensor_ops import TensorBackend
from ..utils.data import DataLoader, Generator, TensorDataset
from .loop import Epoch, fit, outputs

Ids = npt.NDArray[np.int64]
WIDTHS = (3, 4, 5)
"""The filter widths, in words."""


class SentimentCNN(Module):
    """Word ids (batch, words) -> probability of a positive sentence (batch,).

    ``embedding``: the word table (learned, or GloVe vectors through
    ``Embedding.from_pretrained``); ``widths``: one convolution of ``maps`` filters each.
    """

    def __init__(
        self, embedding: layers.Embedding, maps: int = 100,
        widths: Sequence[int] = WIDTHS, dropout: float = 0.25,
        backend: Optional[TensorBackend] = None,
    ) -> None:
        super().__init__()
        self.embedding = embedding
        self.widths = tuple(widths)
        for k in self.widths:
            setattr(self, f"conv{k}", layers.Conv1d(embedding.embedding_dim, maps, k,
                                                    backend=backend))
        self.drop = layers.Dropout(dropout)
        self.linear = layers.Linear(maps * len(self.widths), 1, backend=backend)

    def forward(self, ids: Tensor) -> Tensor:
        return self.classify(self.embedding(ids))

    def classify(self, vectors: Tensor) -> Tensor:
        """The probabilities from the sentences' word vectors (batch, words, d)."""
        batch = vectors.shape[0]
        x = vectors.permute(0, 2, 1)  # (batch, d, words)
        pooled = [amax(getattr(self, f"conv{k}")(x).relu(), 2) for k in self.widths]
        h = cat(pooled, 1)  # (batch, maps * widths)
        out: Tensor = self.linear(self.drop(h)).sigmoid().view(batch)
        return out

    def trainable(self) -> list[Parameter]:
        """The parameters that need a gradient (not a frozen word table)."""
        return [p for p in self.parameters() if p.value.requires_grad()]


def predict(model: SentimentCNN, ids: Ids, backend: Optional[TensorBackend] = None) -> Ids:
    """1 where the model says positive (probability > 0.5), else 0."""
    return (outputs(model, ids.astype(np.float64), backend) > 0.5).astype(np.int64)


def train_sentiment(
    model: SentimentCNN,
    train: tuple[Ids, Ids],
    val: tuple[Ids, Ids],
    epochs: int = 10,
    lr: float = 1e-3,
    batch_size: int = 32,
    checkpoint: Optional[str] = None,
    on_batch: Optional[Callable[[int, int, float], None]] = None,
    on_epoch: Optional[Callable[[Epoch], None]] = None,
    backend: Optional[TensorBackend] = None,
) -> list[Epoch]:
    """Train with Adam on shuffled mini-batches; after each epoch measure the validation
    sentences and save the best model's ``state_dict`` to ``checkpoint``."""
    ids, labels = train
    samples = TensorDataset(as_tensor(ids.astype(np.float64), backend),
                            as_tensor(labels.astype(np.float64), backend))
    loader = DataLoader(samples, batch_size, shuffle=True, generator=Generator().manual_seed(0))

    def validate() -> tuple[int, int]:
        return int((predict(model, val[0], backend) == val[1]).sum()), len(val[1])

    return fit(model, Adam(model.trainable(), lr), binary_cross_entropy, loader, validate,
               epochs, checkpoint, on_batch, on_epoch, compiled=False)
