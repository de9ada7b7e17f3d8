"""Pictures that show themselves in Jupyter and save to files.

A :class:`Picture` is a row of panels.  A panel is a function that draws on a matplotlib
``Axes``; nothing is drawn until the picture is shown or saved, so pictures combine freely
(``hcat([show(m1), show(m2)])`` is one picture of two panels).  Rendering uses
matplotlib's object API (no ``pyplot``, no GUI backend), so it works on servers.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

_HEIGHT_PX = 260.0
"""Height of a rendered picture in SVG pixels (1/72 inch); ``set_svg_height`` changes it."""


def set_svg_height(height: float) -> None:
    """Draw every later picture ``height`` pixels tall (the lectures' ``set_svg_height(300)``)."""
    global _HEIGHT_PX
    if height <= 0:
        raise ValueError(f"set_svg_height: the height must be positive, got {height!r}")
    _HEIGHT_PX = float(height)


class Renderable:
    """Something drawn on demand: ``render(fmt)`` gives ``svg`` / ``png`` / ``pdf`` bytes; the
    rest (saving, Jupyter's inline display) follows from it."""

    def render(self, fmt: str) -> bytes:
        raise NotImplementedError

    def svg(self) -> str:
        return self.render("svg").decode()

    def png(self) -> bytes:
        return self.render("png")

    def save(self, path: Union[str, Path]) -> Path:
        """Write the picture; the format follows the suffix (``.svg``, ``.png`` or ``.pdf``)."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("svg", "png", "pdf"):
            raise ValueError(
                f"save: unknown picture format {path.suffix!r}; use .svg, .png or .pdf"
            )
        path.write_bytes(self.render(fmt))
        return path

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_png_(self) -> bytes:
        return self.png()


@dataclass
class Panel:
    """One drawing: ``draw(ax)`` fills a matplotlib ``Axes``; ``projection="3d"`` for surfaces."""

    draw: Callable[[Axes], None]
    projection: Optional[str] = None
    width: float = 1.0
    """Width relative to the height (1.0: square)."""


@dataclass
class Picture(Renderable):
    """A row of panels, rendered on demand: ``save("fig.svg")`` / ``save("fig.png")``, or shown
    inline by Jupyter (``_repr_svg_`` / ``_repr_png_``)."""

    panels: list[Panel]
    sep: float = 0.3
    """Space between panels, as a fraction of a panel's width."""
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    """What the picture shows, for programs and tests (data ranges, counts, ...)."""

    def figure(self, dpi: float = 72.0) -> Figure:
        """A new matplotlib ``Figure`` with every panel drawn."""
        height = _HEIGHT_PX / 72.0
        widths = [p.width for p in self.panels]
        total = sum(widths) + self.sep * (len(widths) - 1)
        fig = Figure(figsize=(height * total, height), dpi=dpi)
        FigureCanvasAgg(fig)
        grid = fig.add_gridspec(1, len(self.panels), width_ratios=widths, wspace=self.sep)
        for i, panel in enumerate(self.panels):
            ax = fig.add_subplot(grid[0, i], projection=panel.projection)
            panel.draw(ax)
        if self.title:
            fig.suptitle(self.title)
        return fig

    def render(self, fmt: str, dpi: float = 100.0) -> bytes:
        """The picture as ``svg``, ``png`` or ``pdf`` bytes."""
        buffer = io.BytesIO()
        self.figure(dpi).savefig(buffer, format=fmt, bbox_inches="tight")
        return buffer.getvalue()


def image_panel(png: bytes) -> Panel:
    """A panel showing a rendered image (a graph drawing inside an ``hcat``)."""

    def draw(ax: Axes) -> None:
        from matplotlib.image import imread

        ax.imshow(imread(io.BytesIO(png), format="png"))
        ax.set_axis_off()

    return Panel(draw)


def hcat(pictures: Sequence[Any], sep: float = 0.3) -> Picture:
    """Pictures side by side, ``sep`` (a fraction of a panel's width) apart."""
    panels: list[Panel] = []
    for picture in pictures:
        if isinstance(picture, Picture):
            panels.extend(picture.panels)
        elif isinstance(picture, Renderable):
            panels.append(image_panel(picture.png()))
        else:
            raise TypeError(f"hcat: cannot place a {type(picture).__name__} in a picture")
    return Picture(panels, sep=sep)


def single(draw: Callable[[Axes], None], **kwargs: Any) -> Picture:
    """A picture of one panel."""
    meta = kwargs.pop("meta", {})
    return Picture([Panel(draw, **kwargs)], meta=meta)
