"""Pictures of a training run, for ``minitorch train --plot``: the decision boundary with the
data and the loss / accuracy curves (2-D tasks), or validation digits with predictions (MNIST)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .figure import Panel, Picture
from .mlprimer import decision_panel

CORRECT = "#2ca02c"
WRONG = "#d62728"


def training_picture(
    score: Callable[[float, float], Any] | tuple[np.ndarray, ...],
    points: Sequence[tuple[float, float]],
    labels: Sequence[int], losses: Sequence[float], accuracies: Sequence[float],
    threshold: float = 0.5,
) -> Picture:
    """Left: where the model says class 1 (``score > threshold``, green) with the data points;
    middle: loss per epoch; right: training accuracy per epoch."""
    ones = [p for p, y in zip(points, labels) if y == 1]
    zeros = [p for p, y in zip(points, labels) if y == 0]

    def curve(values: Sequence[float], name: str) -> Callable[[Axes], None]:
        def draw(ax: Axes) -> None:
            ax.plot(np.arange(1, len(values) + 1), values)
            ax.set_xlabel("epoch")
            ax.set_title(name)

        return draw

    panels = [
        decision_panel(score, ones, zeros, threshold),
        Panel(curve(losses, "loss"), width=1.3),
        Panel(curve(accuracies, "accuracy"), width=1.3),
    ]
    return Picture(panels, sep=0.35, meta={"epochs": len(losses)})


def digits_picture(
    images: np.ndarray, labels: Sequence[int], predictions: Sequence[int], columns: int = 8
) -> Picture:
    """A grid of digit images titled with the prediction (green when right, red when wrong)."""
    count = len(images)
    rows = max(1, -(-count // columns))

    def draw(ax: Axes) -> None:
        ax.set_axis_off()
        for i in range(count):
            r, c = divmod(i, columns)
            inset = ax.inset_axes((c / columns, 1 - (r + 1) / rows, 0.9 / columns, 0.8 / rows))
            inset.imshow(images[i], cmap="gray_r")
            inset.set_axis_off()
            right = predictions[i] == labels[i]
            inset.set_title(f"{predictions[i]}" + ("" if right else f" ({labels[i]})"),
                            color=CORRECT if right else WRONG, fontsize=9, pad=2)

    correct = int(sum(int(p == y) for p, y in zip(predictions, labels)))
    title = f"validation digits: prediction (true label when wrong), {correct}/{count} right"
    return Picture([Panel(draw, width=columns / rows)], title=title,
                   meta={"correct": correct, "count": count})
