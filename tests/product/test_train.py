"""The ``minitorch train`` command and the course's scalar network."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from minitorch.cli.commands import build_parser, main
from minitorch.train.progress import ProgressBar, format_seconds
from minitorch.train.scalar_train import Linear, Network


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["train", "--no-progress", *args]) == 0
    return capsys.readouterr().out


def final_accuracy(out: str) -> tuple[int, int]:
    m = re.search(r"accuracy (\d+)/(\d+)", out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def test_epoch_log_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "--dataset", "split", "--epochs", "20", "--log-every", "5")
    lines = out.strip().splitlines()
    assert lines[0].startswith("Training the scalar network 2 -> 2 -> 2 -> 1 on Split (50 points)")
    epoch_lines = [line for line in lines if line.startswith("epoch")]
    assert [int(line.split()[1]) for line in epoch_lines] == [5, 10, 15, 20]
    assert all(re.search(r"loss +\d+\.\d+ +correct \d+/50 +[\d.]+m?s/epoch", line) for line in epoch_lines)
    assert lines[-1].startswith("Done: 20 epochs in")
    correct, total = final_accuracy(out)
    assert total == 50 and 0 <= correct <= 50


def test_same_seed_same_run(capsys: pytest.CaptureFixture[str]) -> None:
    def losses(out: str) -> list[str]:
        return re.findall(r"loss +([\d.]+)", out)

    a = run_cli(capsys, "--dataset", "xor", "--epochs", "10", "--hidden", "3", "--seed", "7")
    b = run_cli(capsys, "--dataset", "xor", "--epochs", "10", "--hidden", "3", "--seed", "7")
    assert losses(a) == losses(b)


@pytest.mark.parametrize(
    "args,target",
    [
        (["--dataset", "simple", "--hidden", "2", "--lr", "0.5", "--epochs", "500"], 50),
        (["--dataset", "diag", "--hidden", "2", "--lr", "0.5", "--epochs", "500"], 50),
        (["--dataset", "xor", "--hidden", "10", "--lr", "0.5", "--epochs", "500"], 45),
    ],
    ids=["simple-100%", "diag-100%", "xor-90%"],
)
def test_course_configurations_learn(capsys: pytest.CaptureFixture[str], args: list[str], target: int) -> None:
    """The README's promise: with the default seed, Simple and Diag reach 100% and Xor >= 90%."""
    out = run_cli(capsys, "--points", "50", "--log-every", "100", *args)
    correct, total = final_accuracy(out)
    assert total == 50 and correct >= target, out


@pytest.mark.parametrize(
    "args,message",
    [
        (["--dataset", "moons"], "unknown dataset 'moons'; choose one of: simple, diag"),
        (["--lr", "-1"], "expected a finite number > 0, got -1.0"),
        (["--epochs", "ten"], "expected a whole number, got 'ten'"),
        (["--hidden", "0"], "expected a finite number > 0, got 0"),
    ],
)
def test_bad_arguments(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["train", *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_console_script_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "minitorch.cli", "train", "--epochs", "2", "--no-progress"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "Done: 2 epochs" in out


def test_progress_bar_draws_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = ProgressBar(4, label="train", stream=stream, width=8)
    bar.update(1, "loss 1.0")
    assert "train [##......] 1/4  loss 1.0  ETA" in stream.getvalue()
    bar.update(3)
    assert "[########] 4/4" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar(3, stream=quiet).update(1)
    assert quiet.getvalue() == ""  # not a terminal: no bar
    with pytest.raises(ValueError, match="-1"):
        ProgressBar(-1)


def test_format_seconds() -> None:
    assert format_seconds(0.0123) == "12.3ms"
    assert format_seconds(2.5) == "2.5s"
    assert format_seconds(75) == "1m15s"


def test_network_shapes_and_names() -> None:
    net = Network(3)
    names = [n for n, _ in net.named_parameters()]
    assert len(names) == (2 * 3 + 3) + (3 * 3 + 3) + (3 + 1)
    assert names[0] == "layer1.weight_0_0" and "layer3.bias_0" in names
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        Linear(2, 1).forward([1.0, 2.0, 3.0])  # type: ignore[list-item]


@pytest.mark.parametrize("dataset,hidden", [("Simple", 2), ("Xor", 4)])
def test_tensor_engine_follows_the_scalar_engine(dataset: str, hidden: int) -> None:
    """Same seed -> same initial weights -> the same loss and accuracy every epoch."""
    import random

    import minitorch
    from minitorch.train.scalar_train import ScalarTrain
    from minitorch.train.tensor_train import TensorTrain

    random.seed(5)
    data = minitorch.datasets[dataset](20)
    random.seed(7)
    scalar = ScalarTrain(hidden).train(data, 0.5, 15)
    random.seed(7)
    tensor = TensorTrain(hidden).train(data, 0.5, 15)
    assert [s.correct for s in scalar] == [t.correct for t in tensor]
    for s, t in zip(scalar, tensor):
        assert t.loss == pytest.approx(s.loss, rel=1e-9)


def test_cli_tensor_engine(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "--engine", "tensor", "--epochs", "5", "--log-every", "5")
    assert "Training the tensor network (simple backend, full batch) 2 -> 2 -> 2 -> 1" in out
    assert re.search(r"epoch +5 +loss", out) and "Done: 5 epochs" in out


def test_cli_fast_backend_course_speed_task(capsys: pytest.CaptureFixture[str]) -> None:
    """The course's task 3.5 command, shortened: mini-batches of 10 on the numba backend."""
    out = run_cli(
        capsys, "--backend", "fast", "--hidden", "100", "--dataset", "split", "--lr", "0.05",
        "--epochs", "40", "--log-every", "20",
    )
    assert "fast backend, batches of 10" in out
    per_epoch = re.findall(r"([\d.]+)(ms|s)/epoch", out)
    assert per_epoch, out
    correct, total = final_accuracy(out)
    assert total == 50 and correct >= 40, out


@pytest.mark.parametrize(
    "args",
    [["--engine", "tensor"], ["--backend", "fast", "--hidden", "10", "--batch-size", "7"]],
    ids=["full-batch", "mini-batch"],
)
def test_compiled_steps_match_eager_steps(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    """``minitorch train`` replays its steps with minitorch.compile; ``--no-compile`` runs them
    operation by operation and prints the same losses, digit for digit."""
    common = ["--dataset", "xor", "--epochs", "6", "--log-every", "1", "--seed", "3", *args]
    compiled = re.findall(r"loss +([\d.]+) +correct (\d+)", run_cli(capsys, *common))
    eager = re.findall(r"loss +([\d.]+) +correct (\d+)", run_cli(capsys, *common, "--no-compile"))
    assert len(compiled) == 6 and compiled == eager


def test_cli_cuda_without_gpu(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from minitorch import cuda_ops

    monkeypatch.setattr(cuda_ops.cuda, "is_available", lambda: False)
    assert main(["train", "--backend", "cuda", "--epochs", "1", "--no-progress"]) == 2
    assert "no CUDA GPU was found" in capsys.readouterr().err
