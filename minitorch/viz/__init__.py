"""Pictures for learning: the lectures' plots and diagrams, and computation graphs.

``from minitorch.viz import *`` gives the lectures' helpers under their names:

- derivatives: ``plot_function(title, fn, arange=..., fn2=None)``, ``plot_function3D(title, fn)``
- ML primer: ``split_graph(pts1, pts2)``, ``draw_graph(model)``, ``with_points(pts1, pts2, model)``,
  ``show(model)``, ``compare(m1, m2)``, ``graph(fn, xs, os)``, ``show_loss(full_loss, model)``,
  the data ``s``, ``s1``, ``s2`` (and ``s1_hard``, ``s2_hard``), the ``Linear`` model
- layout: ``hcat(pictures, sep)``, ``set_svg_height(px)``
- autodiff: ``draw_boxes(labels, widths, lr=True)``, ``backprop(step)``
- graphs: ``make_graph(out, lr=False)`` (course), ``draw_dot(root)`` (micrograd)

Each returns a picture that Jupyter shows inline and that ``.save("fig.svg")`` / ``.png`` writes.
This subpackage needs the ``viz`` extra (matplotlib; graphviz for graphs):
``pip install "minitorch[viz]"``. ``import minitorch`` alone never imports it.
"""

from __future__ import annotations

from .boxes import backprop, draw_boxes
from .figure import Panel, Picture, hcat, set_svg_height
from .graph import GraphPicture, draw_dot, make_graph
from .mlprimer import (
    Linear,
    compare,
    draw_graph,
    s,
    s1,
    s1_hard,
    s2,
    s2_hard,
    show,
    show_loss,
    split_graph,
    with_points,
)
from .plots import graph, plot_function, plot_function3D

__all__ = [
    "GraphPicture", "Linear", "Panel", "Picture", "backprop", "compare", "draw_boxes", "draw_dot",
    "draw_graph", "graph", "hcat", "make_graph", "plot_function", "plot_function3D", "s", "s1",
    "s1_hard", "s2", "s2_hard", "set_svg_height", "show", "show_loss", "split_graph", "with_points",
]
