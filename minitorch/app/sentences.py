"""The Sentiment page's model: the sentence CNN trained on review snippets, and what it
makes of a sentence someone types (the probability that it is positive, and where in the
sentence its filters' strongest responses fall)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..engine.grad_mode import no_grad
from ..nn.layers import Embedding
from ..ops.constructors import tensor
from ..readers import sentiment
from ..train.loop import Epoch
from ..train.sentiment_train import SentimentCNN, train_sentiment


@dataclass
class Reading:
    """A sentence as the network sees it."""

    probability: float
    """The probability that the sentence is positive."""
    words: list[str]
    """Its words, ``(unknown)`` marking those outside the vocabulary."""
    peaks: list[int]
    """For each word: how many filters respond most strongly to the window starting there
    (filters peaking in the padding after the sentence are not counted)."""


class SentenceModel:
    """The CNN with learned 50-d word vectors, on ``train_size`` sentences of ``corpus``
    (default: the Rotten Tomatoes snippets) and validated on ``validation`` others."""

    def __init__(
        self, train_size: int, corpus: Optional[sentiment.Sentences] = None,
        validation: int = 500, max_words: int = 40, seed: int = 0,
    ) -> None:
        every = corpus if corpus is not None else sentiment.load_rotten_tomatoes()
        if validation + train_size > len(every.texts):
            raise ValueError(f"{train_size} training and {validation} validation sentences: "
                             f"the corpus has {len(every.texts)}")
        train, val = sentiment.split(every, validation, seed)
        texts, labels = train.texts[:train_size], np.array(train.labels[:train_size])
        self.vocab = sentiment.vocabulary(texts, min_count=2)
        self.max_words = max_words
        self.train_data = (sentiment.word_ids(texts, self.vocab, max_words)[0], labels)
        self.val_data = (sentiment.word_ids(val.texts, self.vocab, max_words)[0],
                         np.array(val.labels))
        self.model = SentimentCNN(Embedding(len(self.vocab) + 2, 50,
                                            padding_idx=sentiment.PAD))

    def train(
        self, epochs: int, lr: float,
        on_batch: Optional[Callable[[int, int, float], None]] = None,
        on_epoch: Optional[Callable[[Epoch], None]] = None,
    ) -> list[Epoch]:
        """More epochs of Adam on the training sentences (the model keeps what it learned)."""
        return train_sentiment(self.model, self.train_data, self.val_data, epochs, lr, 32,
                               None, on_batch, on_epoch)

    def read(self, text: str) -> Reading:
        """The probability that ``text`` is positive, and where the filters peak in it."""
        words = sentiment.tokens(text)[: self.max_words]
        if not words:
            raise ValueError("type a sentence: there are no words to read")
        # padded as in training: past the end every window reads padding, and those windows
        # take part in the maximum over the sentence
        ids = sentiment.word_ids([" ".join(words)], self.vocab, self.max_words)[0]
        self.model.eval()
        with no_grad():
            x = tensor(ids.astype(np.float64))
            probability = self.model(x).item()
            vectors = self.model.embedding(x).permute(0, 2, 1)
            peaks = np.zeros(self.max_words, dtype=np.int64)
            for k in self.model.widths:
                responses = getattr(self.model, f"conv{k}")(vectors).relu().to_numpy()[0]
                for row in responses[responses.max(axis=1) > 0]:  # filters that respond
                    peaks[int(row.argmax())] += 1
        self.model.train()
        shown = [w if i != sentiment.UNKNOWN else "(unknown)" for w, i in zip(words, ids[0])]
        return Reading(probability, shown, peaks[: len(words)].tolist())
