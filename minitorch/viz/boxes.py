"""The autodiff lectures' box diagrams: ``draw_boxes`` and ``backprop``.

``draw_boxes(labels, widths, lr=True)`` draws a chain of functions as boxes joined by
wires: ``labels[0]`` enters the first box, ``labels[1]`` leaves it and enters the second,
and so on; a label that is a tuple is several wires (a function of several arguments).
``widths[i]`` is the width of box ``i``.  ``lr=True`` points the arrows left to right
(the forward pass); ``lr=False`` right to left (derivatives flowing back).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from .figure import Picture, single

Label = Union[str, tuple[str, ...]]
WIRE = 1.0
"""Length of a wire between two boxes."""
BOX = "#fdf1d6"
FORWARD = "#1f77b4"
BACKWARD = "#d62728"


def _layout(labels: Sequence[Label], widths: Sequence[float]) -> list[tuple[float, float]]:
    """x-extent ``(start, end)`` of each wire group: wire ``i`` ends where box ``i`` starts."""
    spans, x = [], 0.0
    for i in range(len(labels)):
        spans.append((x, x + WIRE))
        x += WIRE + (widths[i] if i < len(widths) else 0.0)
    return spans


def _draw_chain(
    ax: Axes, labels: Sequence[Label], widths: Sequence[float], lr: bool,
    colours: Sequence[str] | None = None,
) -> None:
    spans = _layout(labels, widths)
    for i, (label, (start, end)) in enumerate(zip(labels, spans)):
        names = label if isinstance(label, tuple) else (label,)
        colour = colours[i] if colours is not None else (FORWARD if lr else BACKWARD)
        for j, name in enumerate(names):
            y = 0.5 - (j - (len(names) - 1) / 2) * 0.35  # the first name on top
            tail, head = (start, end) if lr else (end, start)
            ax.annotate("", xy=(head, y), xytext=(tail, y),
                        arrowprops=dict(arrowstyle="->", color=colour, linewidth=2))
            ax.text((start + end) / 2, y + 0.06, name, ha="center", va="bottom", fontsize=12)
        if i < len(widths):
            ax.add_patch(FancyBboxPatch((end, 0.15), widths[i], 0.7, boxstyle="round,pad=0.02",
                                        facecolor=BOX, edgecolor="black"))
    ax.set_xlim(-0.1, spans[-1][1] + 0.1)
    ax.set_ylim(0.0, 1.0)
    ax.set_aspect("equal")
    ax.set_axis_off()


def draw_boxes(labels: Sequence[Label], widths: Sequence[float], lr: bool = True) -> Picture:
    """A chain of boxes (functions) with labelled wires; see the module docstring."""
    if len(widths) != len(labels) - 1:
        raise ValueError(
            f"draw_boxes: {len(labels)} labels need {len(labels) - 1} box widths, got {len(widths)}"
        )
    length = _layout(labels, widths)[-1][1]
    return single(lambda ax: _draw_chain(ax, labels, widths, lr), width=max(1.0, length / 2),
                  meta={"boxes": len(widths), "wires": sum(len(x) if isinstance(x, tuple) else 1
                                                           for x in labels)})


BACKPROP_LABELS: list[Label] = [("", ""), "", "", ""]
BACKPROP_WIDTHS = [1.0, 2.0, 1.0]


def backprop(step: int) -> Picture:
    """The lecture's backpropagation picture after ``step`` steps: the chain
    ``draw_boxes([("", ""), "", "", ""], [1, 2, 1])`` with the wires whose derivative is
    known (from the output back) drawn red, the others grey."""
    n = len(BACKPROP_LABELS)
    done = max(0, min(step, n))
    colours = [BACKWARD if i >= n - done else "lightgray" for i in range(n)]
    length = _layout(BACKPROP_LABELS, BACKPROP_WIDTHS)[-1][1]

    def draw(ax: Axes) -> None:
        _draw_chain(ax, BACKPROP_LABELS, BACKPROP_WIDTHS, lr=False, colours=colours)
        ax.set_title(f"backpropagation, step {step}")

    return single(draw, width=length / 2, meta={"done": done})
