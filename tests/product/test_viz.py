"""minitorch.viz: every helper renders to SVG and PNG, and shows what it should (graph nodes
and labels, class colours on the right side of a known line, a parabola's minimum at the
centre); training pictures from the command line; import isolation and install hints."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import minitorch
from minitorch import Scalar
from minitorch.cli.commands import main
from minitorch.micrograd import Value
from minitorch.viz import (
    Linear,
    backprop,
    compare,
    draw_boxes,
    draw_dot,
    draw_graph,
    graph,
    hcat,
    make_graph,
    plot_function,
    plot_function3D,
    s,
    s1,
    s2,
    set_svg_height,
    show,
    show_loss,
    split_graph,
    with_points,
)
from minitorch.viz.figure import Picture

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def point_loss(out: float, y: int = 1) -> float:
    return y * -math.log(minitorch.operators.sigmoid(-out))


def full_loss(m: Any) -> float:
    return -sum(point_loss(-m.forward(*x), y) for x, y in zip(s.X, s.y))


HELPERS: dict[str, Callable[[], Picture]] = {
    "plot_function": lambda: plot_function("f(x)", lambda x: x * x + 1.0),
    "plot_function-fn2": lambda: plot_function("f(x) vs f'(2)", lambda x: x * x, fn2=lambda x: 4 * x - 4),
    "plot_function3D": lambda: plot_function3D("f(x, y)", lambda x, y: math.sin(x) + 2 * math.cos(y)),
    "split_graph": lambda: split_graph(s1, s2),
    "draw_graph": lambda: draw_graph(Linear(1, 1, -0.9)),
    "with_points": lambda: with_points(s1, s2, Linear(1, 1, -0.4)),
    "show": lambda: show(Linear(1, 1, -0.7)),
    "compare": lambda: compare(Linear(1, 1, -0.4), Linear(1, 1, -0.5)),
    "graph": lambda: graph(point_loss, [], [-2, -0.2, 1]),
    "hcat": lambda: hcat([graph(point_loss, [], [-2, -0.2, 1]), graph(lambda x: point_loss(-x), [-1, 0.4, 1.3], [])], 0.3),
    "show_loss": lambda: show_loss(full_loss, Linear(1, 1, 0)),
    "draw_boxes": lambda: draw_boxes([("$x$", "$y$"), "$f(x, y)$"], [1]),
    "draw_boxes-back": lambda: draw_boxes(["", "", ""], [1, 1], lr=False),
    "backprop": lambda: backprop(6),
}


def valid_svg(text: str) -> None:
    assert text.lstrip().startswith("<?xml") and "<svg" in text and text.rstrip().endswith("</svg>")


def valid_png(data: bytes) -> None:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000


@pytest.mark.parametrize("name", list(HELPERS))
def test_every_helper_renders_and_saves(name: str, tmp_path: Path) -> None:
    picture = HELPERS[name]()
    valid_svg(picture._repr_svg_())
    valid_png(picture._repr_png_())
    valid_svg(picture.save(tmp_path / "fig.svg").read_text())
    valid_png(picture.save(tmp_path / "fig.png").read_bytes())
    with pytest.raises(ValueError, match="unknown picture format '.gif'"):
        picture.save(tmp_path / "fig.gif")


def rgb_at(picture: Picture, x: float, y: float, panel: int = 0) -> np.ndarray:
    """The rendered colour at data point (x, y) of a panel."""
    fig = picture.figure(dpi=100)
    fig.canvas.draw()
    ax = fig.axes[panel]
    px, py = ax.transData.transform((x, y))
    pixels = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    return pixels[int(round(pixels.shape[0] - py)), int(round(px)), :3] / 255.0


def test_decision_boundary_colours_each_side_of_a_known_line() -> None:
    """x1 + x2 - 1 > 0 above the anti-diagonal: green (class 1) there, red below."""
    picture = draw_graph(Linear(1, 1, -1.0))
    green, red = np.array([0xC7, 0xE9, 0xC0]) / 255, np.array([0xF4, 0xC7, 0xC3]) / 255
    for point in [(0.8, 0.8), (0.95, 0.3), (0.3, 0.95)]:
        np.testing.assert_allclose(rgb_at(picture, *point), green, atol=0.02)
    for point in [(0.2, 0.2), (0.05, 0.7), (0.7, 0.05)]:
        np.testing.assert_allclose(rgb_at(picture, *point), red, atol=0.02)
    # a horizontal boundary x2 = 0.5: green above, red below
    horizontal = draw_graph(Linear(0, 1, -0.5))
    np.testing.assert_allclose(rgb_at(horizontal, 0.5, 0.8), green, atol=0.02)
    np.testing.assert_allclose(rgb_at(horizontal, 0.5, 0.2), red, atol=0.02)


def test_points_are_drawn_in_their_class_colours() -> None:
    picture = split_graph([(0.25, 0.75)], [(0.75, 0.25)], show_origin=False)
    np.testing.assert_allclose(rgb_at(picture, 0.25, 0.75), np.array([0x2C, 0xA0, 0x2C]) / 255, atol=0.05)
    np.testing.assert_allclose(rgb_at(picture, 0.75, 0.25), np.array([0xD6, 0x27, 0x28]) / 255, atol=0.05)
    assert picture.meta["points"] == (1, 1)


def test_plot_function_of_a_parabola_has_its_minimum_at_the_centre() -> None:
    picture = plot_function("x^2", lambda x: x**2)
    line = picture.figure().axes[0].lines[0]
    xs, ys = (np.asarray(v, dtype=float) for v in line.get_data())
    assert xs[0] == -5.0 and xs[-1] == pytest.approx(4.9)
    assert xs[np.argmin(ys)] == pytest.approx(0.0, abs=1e-12)
    assert ys.max() == pytest.approx(25.0)


def test_plot_function_accepts_scalar_functions() -> None:
    picture = plot_function("sigmoid", lambda x: Scalar(x).sigmoid())
    assert picture.meta["y"][50] == pytest.approx(0.5)  # x = 0.0


def test_graph_marks_points_on_the_curve() -> None:
    picture = graph(point_loss, [-1.0], [0.5, 2.0])
    assert picture.meta["crosses"] == [(-1.0, pytest.approx(point_loss(-1.0)))]
    assert [c[0] for c in picture.meta["circles"]] == [0.5, 2.0]
    ax = picture.figure().axes[0]
    assert len(ax.collections) == 2  # one scatter of crosses, one of circles


def test_set_svg_height_changes_the_figure_size() -> None:
    try:
        set_svg_height(144)
        assert plot_function("f", abs).figure().get_size_inches()[1] == pytest.approx(2.0)
        set_svg_height(288)
        assert plot_function("f", abs).figure().get_size_inches()[1] == pytest.approx(4.0)
    finally:
        set_svg_height(260)
    with pytest.raises(ValueError, match="height must be positive"):
        set_svg_height(0)


def test_box_diagrams() -> None:
    assert draw_boxes(["$x$", "$g(x)$", "$f(g(x))$"], [1, 1]).meta == {"boxes": 2, "wires": 3}
    assert backprop(2).meta["done"] == 2 and backprop(99).meta["done"] == 4
    with pytest.raises(ValueError, match="3 labels need 2 box widths, got 1"):
        draw_boxes(["a", "b", "c"], [1])


def test_hcat_combines_panels() -> None:
    picture = hcat([show(Linear(1, 1, -0.6)), show(Linear(1, 1, -0.7)), show(Linear(1, 1, -0.8))], 0.3)
    assert len(picture.panels) == 3 and len(picture.figure().axes) == 3
    with pytest.raises(TypeError, match="cannot place a int"):
        hcat([1])


# -- computation graphs -----------------------------------------------------------------------


def scalar_expression() -> Scalar:
    x, y = Scalar(2.0, name="x"), Scalar(3.0, name="y")
    out = (x * y) + x
    out.name = "out"
    return out


def test_graph_of_a_scalar_expression() -> None:
    """(x * y) + x: the values x, y, x*y and the result, and the operations Mul and Add;
    x feeds both operations but is drawn once."""
    out = scalar_expression()
    g = make_graph(out)
    assert sorted(g.values) == sorted(["x", "y", "6.0000", "out"])
    assert sorted(g.ops) == ["Add", "Mul"]
    assert g.source.count("shape=record") == 4 and g.source.count("shape=ellipse") == 2
    assert g.source.count("->") == 2 + 2 + 2  # inputs -> op, op -> result, for both operations
    assert "grad" not in g.source  # nothing computed yet
    out.backward()
    after = make_graph(out, lr=True)
    assert "grad 4.0000" in after.source and "grad 2.0000" in after.source  # dx = y + 1, dy = x
    assert "rankdir=LR" in after.source and "rankdir=TB" in g.source


def test_graph_of_micrograd_values_and_tensors() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    c.backward()
    g = draw_dot(c)
    assert sorted(g.ops) == ["*", "+"] and sorted(v for v in g.values if v in "abc") == ["a", "b", "c"]
    assert "grad -2.0000" in g.source  # dc/da = b + 1
    t = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    loss = (t * t).sum()
    loss.backward()
    tg = draw_dot(loss)
    assert "shape (2, 2)" in tg.source and sorted(tg.ops) == ["Mul", "Sum(0)", "View(4)"]
    assert tg.source.count("shape=record") == 4  # t, t*t, its flat view, the sum: no settings
    with pytest.raises(TypeError, match="cannot draw the graph of a float"):
        draw_dot(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rankdir must be"):
        draw_dot(c, rankdir="XY")


@needs_dot
def test_graph_renders_to_svg_and_png(tmp_path: Path) -> None:
    out = scalar_expression()
    out.backward()
    g = make_graph(out)
    svg = g._repr_svg_()
    valid_svg(svg)
    assert svg.count('class="node"') == 6  # 4 values + 2 operations
    for text in (">x<", ">y<", ">Mul<", ">Add<", "grad 4.0000"):
        assert text in svg
    valid_png(g.save(tmp_path / "graph.png").read_bytes())
    valid_png(hcat([g, show(Linear(1, 1, -0.5))]).png())  # a graph inside a row of pictures


def test_missing_dot_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        make_graph(scalar_expression()).svg()


def test_importing_minitorch_does_not_import_plotting() -> None:
    code = "import minitorch, sys; print('matplotlib' in sys.modules, 'graphviz' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


# -- training pictures ------------------------------------------------------------------------


def test_train_plot_writes_boundary_and_curves(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "train.png"
    code = main(["train", "--dataset", "Diag", "--points", "20", "--hidden", "3", "--epochs", "3",
                 "--no-progress", "--plot", str(path)])
    assert code == 0
    valid_png(path.read_bytes())
    assert "Wrote" in capsys.readouterr().out
    svg_path = tmp_path / "train.svg"
    assert main(["train", "--backend", "fast", "--points", "20", "--epochs", "2", "--no-progress",
                 "--plot", str(svg_path)]) == 0
    valid_svg(svg_path.read_text())


def test_training_picture_panels() -> None:
    from minitorch.viz.training import digits_picture, training_picture

    picture = training_picture(lambda a, b: a, [(0.2, 0.5), (0.8, 0.5)], [0, 1], [3.0, 2.0], [0.5, 1.0])
    assert len(picture.panels) == 3 and picture.meta["epochs"] == 2
    green = np.array([0xC7, 0xE9, 0xC0]) / 255
    np.testing.assert_allclose(rgb_at(picture, 0.9, 0.1), green, atol=0.02)  # score 0.9 > 0.5
    digits = digits_picture(np.zeros((3, 28, 28)), [1, 2, 3], [1, 2, 0])
    assert digits.meta == {"correct": 2, "count": 3} and "2/3 right" in digits.title
