"""The README's examples (Coming from PyTorch, Compiled training steps) run as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

README = Path(__file__).resolve().parents[1] / "README.md"


def run_example(heading: str) -> dict[str, Any]:
    """Run the first python block after ``heading``; return its namespace."""
    text = README.read_text()
    section = text[text.index(heading):]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102
    return namespace


def test_coming_from_pytorch_example_runs() -> None:
    namespace = run_example("## Coming from PyTorch")
    a = namespace["a"]
    assert a.shape == (128,)
    assert abs(namespace["m"].item() + 0.47) < 0.05


def test_compile_example_runs_and_replays() -> None:
    namespace = run_example("## Compiled training steps")
    assert namespace["step"].stats == {"recorded": 2, "replayed": 10, "eager": 0}
    assert 0 < namespace["loss"] < 10
