"""The README's tour and the guide's examples (Coming from PyTorch, moving weights, compiled
training steps) run as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import matplotlib
import pytest

import minitorch

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]


def run_example(page: str, heading: str, which: int = 0) -> dict[str, Any]:
    """Run python block ``which`` after ``heading`` in ``page``; return its namespace."""
    text = (ROOT / page).read_text()
    section = text[text.index(heading):]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    namespace: dict[str, Any] = {}
    exec(compile(blocks[which], page, "exec"), namespace)  # noqa: S102
    return namespace


def test_the_tour_runs() -> None:
    namespace = run_example("README.md", "## A short tour")
    assert abs(namespace["x"].derivative - 4.5) < 1e-5
    assert namespace["w"].grad.shape == (3, 2)
    assert namespace["v"].grad.tolist() == [0.0, 4.0, 0.0, 8.0]
    assert namespace["labels"].dtype is minitorch.int64


def test_coming_from_pytorch_example_runs() -> None:
    namespace = run_example("docs/guide/pytorch.md", "# Coming from PyTorch")
    a = namespace["a"]
    assert a.shape == (128,)
    assert abs(namespace["m"].item() + 0.47) < 0.05


def test_moving_weights_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import minitorch
    from minitorch.train.mnist_train import LeNet

    monkeypatch.chdir(tmp_path)
    heading = "## Moving tensors and weights to and from PyTorch"
    namespace = run_example("docs/guide/pytorch.md", heading)
    assert set(namespace["state"]) == {"weight", "bias"}
    minitorch.save(LeNet().state_dict(), "mnist.npz")  # what `minitorch train --task mnist` saves
    assert run_example("docs/guide/pytorch.md", heading, 1)["model"].linear1.weight.shape == (64, 392)


def test_compile_example_runs_and_replays() -> None:
    namespace = run_example("docs/guide/backends.md", "## Compiled training steps")
    assert namespace["step"].stats == {"recorded": 2, "replayed": 10, "eager": 0}
    assert 0 < namespace["loss"] < 10
