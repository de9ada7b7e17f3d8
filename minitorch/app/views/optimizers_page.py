"""Optimizers race: every optimizer's path on a 2-D surface from the same start."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from minitorch.app import race  # noqa: E402
from minitorch.app.training import OPTIMIZERS  # noqa: E402

st.title("Optimizers race")
st.markdown(
    "Each optimizer of `minitorch.optim` minimises the same surface $f(x, y)$ from the same "
    "start, with its own learning rate; the lines are their paths. Momentum overshoots and "
    "comes back, Adagrad's steps shrink as squared gradients add up, Adam and RMSprop rescale "
    "each coordinate so long valleys (Rosenbrock's) are crossed evenly. At the end point, the "
    "eigenvalues of the Hessian say what was found: both positive, a minimum; mixed signs, a "
    "saddle."
)
surface = st.selectbox("Surface", list(race.SURFACES), key="surface")
spec = race.SURFACES[surface]
st.latex(f"f(x, y) = {spec.formula}")
steps = st.slider("Steps", 10, 500, 150, step=10, key="steps")
chosen = st.multiselect("Optimizers", list(OPTIMIZERS), default=list(OPTIMIZERS), key="chosen")
with st.expander("Learning rates"):
    rates = {name: st.number_input(name, 1e-5, 10.0, race.default_lr(surface, name),
                                   format="%.5f", key=f"lr-{surface}-{name}")
             for name in chosen}

paths = [race.walk(surface, name, rates[name], steps) for name in chosen]


def picture(paths: list[race.Path]) -> Figure:
    """The surface's contours with every path on them."""
    xs, ys, zs = race.grid(surface)
    fig, ax = plt.subplots(figsize=(7, 5))
    levels = np.unique(np.quantile(zs, np.linspace(0, 1, 25)))
    ax.contour(xs, ys, zs, levels=levels, cmap="Greys", linewidths=0.6)
    for path in paths:
        pts = np.array(path.points)
        ax.plot(pts[:, 0], pts[:, 1], marker=".", markersize=3, linewidth=1.2,
                label=path.optimizer)
    ax.plot(*spec.start, "k*", markersize=12, label="start")
    x0, x1, y0, y1 = spec.window
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.legend(fontsize=7, loc="best")
    plt.close(fig)
    return fig


st.pyplot(picture(paths))

rows = []
for path in paths:
    end = path.points[-1]
    eig = ("-" if path.diverged else
           ", ".join(f"{v:.3g}" for v in race.hessian_eigenvalues(surface, end)))
    rows.append({"optimizer": path.optimizer, "learning rate": path.lr,
                 "steps": len(path.points) - 1,
                 "final f": "diverged" if path.diverged else f"{path.values[-1]:.4g}",
                 "end point": f"({end[0]:.3f}, {end[1]:.3f})",
                 "Hessian eigenvalues at the end": eig})
st.dataframe(pd.DataFrame(rows), hide_index=True)
st.code(
    """x = Parameter(tensor([x0], requires_grad=True))
y = Parameter(tensor([y0], requires_grad=True))
opt = minitorch.Adam([x, y], lr=0.05)
for step in range(150):
    opt.zero_grad()
    f(x.value, y.value).backward()
    opt.step()
minitorch.hessian(lambda v: f(v[0:1], v[1:2]).sum(), tensor([x_end, y_end]))""",
    language="python",
)
