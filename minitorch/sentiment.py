"""Sentiment data: SST-2 in GLUE's layout and word vectors in GloVe's text format.

- :func:`read_sst2`: ``train.tsv`` / ``dev.tsv`` with a header line, then
  ``sentence<TAB>label`` per line, labels 0 or 1.
- :func:`read_vectors`: ``word v1 ... vd`` per line (any ``d``; a word2vec-style first line
  ``count dim`` is skipped), plain or gzip.
- :func:`embed`: sentences as a ``(n, max_words, d)`` array of their words' vectors (zeros
  for padding and for words without a vector), and how many words had none.

Errors name the file, the line and what is wrong with it.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Optional, Union

import numpy as np
import numpy.typing as npt

PathLike = Union[str, "os.PathLike[str]"]


@dataclass
class Sentences:
    """Labelled sentences, and the lines of the file that were skipped (and why)."""

    texts: list[str]
    labels: list[int]
    skipped: list[str] = field(default_factory=list)


def _open_text(path: PathLike) -> IO[str]:
    """A text file, gunzipped when it is gzip; a missing file is named."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{os.fspath(path)!r} does not exist (or is not a file)")
    with open(p, "rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(p, "rt", encoding="utf-8")
    return open(p, encoding="utf-8")


def _numbered_lines(path: PathLike) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a text file, plain or gzip; a damaged gzip file or bytes
    that are not UTF-8 are a ValueError naming the file."""
    name = os.fspath(path)
    with _open_text(path) as f:
        try:
            yield from enumerate(f, start=1)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{name!r} is a damaged gzip file: {err}") from None
        except UnicodeDecodeError as err:
            raise ValueError(f"{name!r} is not UTF-8 text: {err}") from None


def read_sst2(path: PathLike) -> Sentences:
    """A GLUE SST-2 file: a header line, then ``sentence<TAB>label`` lines (label 0 or 1).

    Empty sentences are skipped and reported; a label that is not 0 or 1, or a line without a
    tab, is an error naming the line.
    """
    texts: list[str] = []
    labels: list[int] = []
    skipped: list[str] = []
    name = os.fspath(path)
    for number, line in _numbered_lines(path):
        line = line.rstrip("\n").rstrip("\r")
        if number == 1:
            if "\t" not in line:
                raise ValueError(f"{name!r} line 1: expected a header such as 'sentence\\tlabel'")
            continue
        if not line.strip():
            continue
        if "\t" not in line:
            raise ValueError(f"{name!r} line {number}: expected 'sentence<TAB>label'")
        sentence, label = line.rsplit("\t", 1)
        if label.strip() not in ("0", "1"):
            raise ValueError(
                f"{name!r} line {number}: the label must be 0 or 1, got {label.strip()!r}"
            )
        if not sentence.strip():
            skipped.append(f"line {number}: empty sentence")
            continue
        texts.append(sentence.strip())
        labels.append(int(label))
    return Sentences(texts, labels, skipped)


def tokens(sentence: str) -> list[str]:
    """The words of a sentence as SST-2 writes them (already split by spaces), lower-cased."""
    return sentence.lower().split()


def read_vectors(
    path: PathLike, vocabulary: Optional[Iterable[str]] = None
) -> tuple[dict[str, npt.NDArray[np.float64]], int]:
    """Word vectors in GloVe's text format: ``word v1 ... vd`` per line; the words and ``d``.

    Only the words in ``vocabulary`` are kept, when one is given (GloVe files are large).
    A first line of two integers (word2vec's ``count dim``) is skipped; a line with another
    number of values than the first one's, or values that are not numbers, is an error.
    """
    wanted = None if vocabulary is None else set(vocabulary)
    vectors: dict[str, npt.NDArray[np.float64]] = {}
    dim = 0
    name = os.fspath(path)
    for number, line in _numbered_lines(path):
        parts = line.rstrip().split(" ")
        if not line.strip() or (number == 1 and len(parts) == 2
                                and all(p.isdigit() for p in parts)):
            continue  # a blank line, or word2vec's header
        word, values = parts[0], parts[1:]
        if not values:
            raise ValueError(f"{name!r} line {number}: a word without a vector")
        if dim == 0:
            dim = len(values)
        elif len(values) != dim:
            raise ValueError(
                f"{name!r} line {number}: {len(values)} values, but the first vector has {dim}"
            )
        if wanted is not None and word not in wanted:
            continue
        try:
            vectors[word] = np.array(values, dtype=np.float64)
        except ValueError:
            raise ValueError(
                f"{name!r} line {number}: the values are not all numbers"
            ) from None
    if dim == 0:
        raise ValueError(f"{name!r} holds no word vectors")
    return vectors, dim


def embed(
    sentences: list[str], vectors: dict[str, npt.NDArray[np.float64]], dim: int,
    max_words: int,
) -> tuple[npt.NDArray[np.float64], int, int]:
    """``(n, max_words, dim)`` vectors of the sentences' first ``max_words`` words (zeros for
    padding and for words without a vector), the number of words without a vector, and the
    number of words in all."""
    out = np.zeros((len(sentences), max_words, dim))
    missing = total = 0
    for i, sentence in enumerate(sentences):
        for j, word in enumerate(tokens(sentence)[:max_words]):
            total += 1
            vector = vectors.get(word)
            if vector is None:
                missing += 1
            else:
                out[i, j] = vector
    return out, missing, total
