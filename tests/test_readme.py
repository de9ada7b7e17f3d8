"""The README's "Coming from PyTorch" example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

README = Path(__file__).resolve().parents[1] / "README.md"


def test_coming_from_pytorch_example_runs() -> None:
    text = README.read_text()
    section = text[text.index("## Coming from PyTorch"):]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102
    a = namespace["a"]
    assert a.shape == (128,)  # type: ignore[attr-defined]
    assert abs(namespace["m"].item() + 0.47) < 0.05  # type: ignore[attr-defined]
