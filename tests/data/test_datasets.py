"""The 2-D data sets: labelling rules, sizes, reproducibility."""

from __future__ import annotations

import math
import random

import pytest

import minitorch
from minitorch.datasets import Graph, make_pts

RULES = {
    "Simple": lambda x1, x2: x1 < 0.5,
    "Diag": lambda x1, x2: x1 + x2 < 0.5,
    "Split": lambda x1, x2: x1 < 0.2 or x1 > 0.8,
    "Xor": lambda x1, x2: (x1 < 0.5 and x2 > 0.5) or (x1 > 0.5 and x2 < 0.5),
    "Circle": lambda x1, x2: (x1 - 0.5) ** 2 + (x2 - 0.5) ** 2 > 0.1,
}


def test_dataset_dict_order() -> None:
    assert list(minitorch.datasets) == ["Simple", "Diag", "Split", "Xor", "Circle", "Spiral"]


@pytest.mark.parametrize("name", list(RULES))
def test_labels_follow_rule(name: str) -> None:
    random.seed(5)
    g = minitorch.datasets[name](200)
    assert isinstance(g, Graph) and g.N == 200 and len(g.X) == len(g.y) == 200
    for (x1, x2), y in zip(g.X, g.y):
        assert 0.0 <= x1 < 1.0 and 0.0 <= x2 < 1.0
        assert y == (1 if RULES[name](x1, x2) else 0)
    assert 0 < sum(g.y) < 200  # both classes present


@pytest.mark.parametrize("name", list(RULES))
def test_reproducible_with_seed(name: str) -> None:
    random.seed(11)
    a = minitorch.datasets[name](20)
    random.seed(11)
    b = minitorch.datasets[name](20)
    assert a == b


def test_make_pts_draw_order() -> None:
    random.seed(3)
    pts = make_pts(2)
    random.seed(3)
    draws = [random.random() for _ in range(4)]
    assert pts == [(draws[0], draws[1]), (draws[2], draws[3])]
    with pytest.raises(ValueError, match="-1"):
        make_pts(-1)


def test_spiral() -> None:
    g = minitorch.datasets["Spiral"](10)
    h = 5
    assert g.y == [0] * h + [1] * h
    t = 10.0 * (5 / h)
    assert g.X[0] == pytest.approx((t * math.cos(t) / 20 + 0.5, t * math.sin(t) / 20 + 0.5))
    assert g.X[h] == pytest.approx((-t * math.sin(-t) / 20 + 0.5, -t * math.cos(-t) / 20 + 0.5))
    odd = minitorch.datasets["Spiral"](7)
    assert odd.N == 7 and len(odd.X) == 6
    assert minitorch.datasets["Spiral"](10) == g  # deterministic
