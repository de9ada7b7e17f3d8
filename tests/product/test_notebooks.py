"""PyTorch-style lessons run unchanged with ``import minitorch as torch``: every cell that runs
on PyTorch (float64) runs on minitorch and shows the same numbers."""

from __future__ import annotations

import pytest

from ..notebook_harness import compare
from ..notebooks import LESSONS


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_lesson_runs_as_on_pytorch(lesson: str) -> None:
    result = compare(LESSONS[lesson])
    assert result.ran_on_torch == result.cells, "every cell is valid PyTorch code"
    assert result.failures == [], "\n\n".join(result.failures)
    assert result.ran_on_both == result.ran_on_torch
