"""Readers of the sentiment task's data, on small files the tests write: SST-2 in GLUE's
layout and word vectors in GloVe's text format (plain, gzip, with a word2vec header), with
the errors a damaged file gets."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from minitorch import sentiment


def write(path: Path, text: str, compress: bool = False) -> Path:
    if compress:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def test_sst2_reads_sentences_and_labels(tmp_path: Path) -> None:
    f = write(tmp_path / "train.tsv", "sentence\tlabel\nit 's a charming film \t1\n"
              "dull , dull , dull \t0\n\n \t1\nno tab here , but \t 0\n")
    data = sentiment.read_sst2(f)
    assert data.texts == ["it 's a charming film", "dull , dull , dull", "no tab here , but"]
    assert data.labels == [1, 0, 0]
    assert data.skipped == ["line 5: empty sentence"]


@pytest.mark.parametrize("text,message", [
    ("sentence\tlabel\ngood\t1\nfine\t2\n", r"line 3: the label must be 0 or 1, got '2'"),
    ("sentence\tlabel\njust words\n", "line 2: expected 'sentence<TAB>label'"),
    ("just words\n", "line 1: expected a header"),
])
def test_sst2_errors_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sentiment.read_sst2(write(tmp_path / "bad.tsv", text))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="missing.tsv"):
        sentiment.read_sst2(tmp_path / "missing.tsv")


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("header", [False, True])
def test_vectors_plain_gzip_and_word2vec_header(tmp_path: Path, compress: bool, header: bool) -> None:
    text = ("3 2\n" if header else "") + "film 0.5 -1\ndull 2 3.25\n, 0 0\n"
    f = write(tmp_path / "vectors.txt", text, compress)
    vectors, dim = sentiment.read_vectors(f)
    assert dim == 2 and sorted(vectors) == [",", "dull", "film"]
    np.testing.assert_array_equal(vectors["dull"], [2.0, 3.25])
    kept, _ = sentiment.read_vectors(f, vocabulary=["film", "absent"])
    assert sorted(kept) == ["film"]


@pytest.mark.parametrize("text,message", [
    ("a 1 2\nb 1 2 3\n", "line 2: 3 values, but the first vector has 2"),
    ("a 1 2\nb x y\n", "line 2: the values are not all numbers"),
    ("\n\n", "holds no word vectors"),
])
def test_vectors_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sentiment.read_vectors(write(tmp_path / "vectors.txt", text))


def test_a_damaged_gzip_file_is_named(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.txt.gz"
    damaged.write_bytes(gzip.compress(b"a 1 2\n" * 100)[:30])
    with pytest.raises(ValueError, match="damaged.txt.gz' is a damaged gzip file"):
        sentiment.read_vectors(damaged)


def test_embed_pads_truncates_and_counts_missing_words() -> None:
    vectors = {"good": np.array([1.0, 0.0]), "film": np.array([0.0, 1.0])}
    out, missing, total = sentiment.embed(["Good film", "a good , good film indeed"], vectors, 2, 4)
    assert out.shape == (2, 4, 2)
    np.testing.assert_array_equal(out[0], [[1, 0], [0, 1], [0, 0], [0, 0]])
    np.testing.assert_array_equal(out[1], [[0, 0], [1, 0], [0, 0], [1, 0]])
    assert (missing, total) == (2, 6)  # "a" and "," (only the first 4 words count)
