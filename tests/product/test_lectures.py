"""The lecture code of the course (seeds 000-003) runs against minitorch as written."""

from __future__ import annotations

import math
import runpy
from pathlib import Path
from typing import Any

import pytest

from minitorch.micrograd import Value

LECTURES = Path(__file__).resolve().parents[1] / "lectures"


def run_lecture(name: str) -> dict[str, Any]:
    return runpy.run_path(str(LECTURES / name), run_name="__main__")


def test_ml_primer_and_derivatives() -> None:
    g = run_lecture("ml_primer.py")
    assert g["model"].forward(1.0, 0.5) == pytest.approx(0.6)
    assert g["warmup_losses"][0] == pytest.approx(-math.log(1 / (1 + math.exp(-2))))
    losses = g["losses"]
    # full_loss returns minus the summed point losses; the better boundary loses less
    assert all(l <= 0 for l in losses.values())
    assert losses[-1.5] != losses[0]
    assert g["module_model"].forward(1.0, 0.5) == pytest.approx(1.1)
    assert [n for n, _ in g["module_model"].named_parameters()] == ["w1", "w2", "b"]
    assert g["relu_point_loss"](-2.0) == 0.0
    assert g["tangent"](2) == 5.0 and g["tangent"](3) == 9.0
    assert g["derivative"](g["f"])(2.0) == pytest.approx(4.0, abs=1e-4)
    assert g["f_x_prime"](1.0, 2.0) == pytest.approx(math.cos(1.0), abs=1e-6)
    assert g["sigmoid_prime"](0.0) == pytest.approx(0.25, abs=1e-6)
    assert len(g["s1"]) + len(g["s2"]) == 10


def test_full_loss_matches_hand_computation() -> None:
    g = run_lecture("ml_primer.py")
    s, Linear, full_loss = g["s"], g["Linear"], g["full_loss"]
    m = Linear(1, 1, -1.5)
    by_hand = 0.0
    for (x1, x2), y in zip(s.X, s.y):
        out = -(x1 + x2 - 1.5)
        by_hand += y * -math.log(1.0 / (1.0 + math.exp(out)))
    assert full_loss(m) == pytest.approx(-by_hand, rel=1e-12)


def test_autodiff_lecture() -> None:
    g = run_lecture("autodiff_lecture.py")
    assert g["z"].data == 50.0 and g["out"].data == 250.0 and g["out2"].data == 50.0
    assert (
        g["history_text"]
        == "ScalarHistory(last_fn=<class '__main__.Square'>, ctx=Context(no_grad=False, "
        "saved_values=(10.0,)), inputs=[Scalar(10.000000)])"
    )
    # The backward methods of the lecture's functions drive backpropagation.
    scalar = g["Scalar"]
    x = scalar(10.0)
    g["TimesFive"].apply(g["TimesFive"].apply(x)).backward()
    assert x.derivative == 25.0
    a, b = scalar(1.0), scalar(2.0)
    g["AddTimes2"].apply(a, b).backward()
    assert (a.derivative, b.derivative) == (1.0, 2.0)
    assert g["Mul"].apply(scalar(3.0), scalar(4.0)).data == 12.0


def test_micrograd_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    g = run_lecture("micrograd_notebook.py")
    assert g["f_of_3"] == 20.0
    assert g["slope"] == pytest.approx(14.00300000000243)
    L, prev, op, label = g["forward_cell"]
    assert L.data == -8.0 and op == "*" and label == "L"
    # the notebook later nudges f (a child of L) in place: -2.0 + 0.01 * 4.0
    assert sorted(v.data for v in prev) == [pytest.approx(-1.96), 4.0]
    assert g["nudged"] == pytest.approx(-7.4352)
    assert capsys.readouterr().out.strip() == "-3.9999999999995595"


def test_micrograd_notebook_backward_matches_hand_derivation() -> None:
    """The gradients the notebook works out by hand are what backward() computes."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    d = e + c
    f = Value(-2.0, label="f")
    L = d * f
    L.backward()
    assert [a.grad, b.grad, c.grad, e.grad, d.grad, f.grad, L.grad] == [
        6.0, -4.0, -2.0, -2.0, -2.0, 4.0, 1.0,
    ]
