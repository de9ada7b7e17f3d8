"""Training: the course's network learning a 2-D data set, drawn live."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from minitorch.app.training import ENGINES, OPTIMIZERS, SCHEDULES, TrainingRun  # noqa: E402
from minitorch.datasets import datasets  # noqa: E402

DEFAULT_LR = {"SGD": 0.5, "SGD + momentum": 0.1, "Nesterov": 0.1, "Adagrad": 0.1,
              "Adadelta": 1.0, "RMSprop": 0.01, "Adam": 0.05, "NAdam": 0.05}


def boundary(run: TrainingRun) -> Figure:
    """The model's output over the unit square, with the data on top."""
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.imshow(run.probabilities(), origin="lower", extent=(0, 1, 0, 1), cmap="RdYlGn",
              vmin=0, vmax=1, alpha=0.6)
    X, y = np.array(run.data.X), np.array(run.data.y)
    ax.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "green", "red"), edgecolors="black", s=25)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xticks([])
    ax.set_yticks([])
    plt.close(fig)
    return fig


st.title("Training the course's network")
st.markdown(
    "The network of the course (2 -> H -> H -> 1, ReLU, sigmoid output, log loss) learns to "
    "separate the two classes of a data set, one full-batch step per epoch. The picture is the "
    "network's output over the square (green: class 1) as it moves. **Train** runs the number "
    "of epochs below and can be pressed again to continue; any change of setting (or the stop "
    "button at the top right) stops a run."
)
left, right = st.columns(2)
dataset = left.selectbox("Data set", list(datasets), key="dataset")
points = left.slider("Points", 10, 200, 50, key="points")
engine = left.radio("Engine", ENGINES, key="engine", horizontal=True)
hidden = left.slider("Hidden size H", 1, 50, 10, key="hidden")
optimizer = right.selectbox("Optimizer", list(OPTIMIZERS), key="optimizer")
lr = right.number_input("Learning rate", 1e-4, 10.0, DEFAULT_LR[optimizer], format="%.4f",
                        key=f"lr-{optimizer}")
schedule = right.selectbox("Learning-rate schedule", SCHEDULES, key="schedule")
epochs = right.slider("Epochs per press", 10, 500, 100, step=10, key="epochs")

settings = (dataset, points, engine, hidden, optimizer, lr, schedule)
if st.session_state.get("settings") != settings:
    st.session_state["settings"] = settings
    st.session_state["run"] = TrainingRun(dataset, points, engine, hidden, optimizer, lr, schedule)
run: TrainingRun = st.session_state["run"]

train = st.button("Train", type="primary", key="train")
progress = st.progress(0.0, text="press Train")
picture, curves = st.columns(2)
picture_slot, curve_slot = picture.empty(), curves.empty()
stats = st.empty()


def draw() -> None:
    picture_slot.pyplot(boundary(run))
    if run.history:
        table = pd.DataFrame(
            {"loss": [e.loss for e in run.history],
             "accuracy (%)": [100 * e.correct / points for e in run.history]},
            index=[e.epoch for e in run.history],
        )
        curve_slot.line_chart(table)
        last = run.history[-1]
        stats.write(f"epoch {last.epoch}: loss {last.loss:.4f}, correct {last.correct}/{points}, "
                    f"lr {last.lr:.4g}, {1e3 * last.seconds:.1f} ms per epoch")


if train:
    for k in range(epochs):
        run.epoch()
        if (k + 1) % max(1, epochs // 10) == 0 or k + 1 == epochs:
            progress.progress((k + 1) / epochs, text=f"epoch {k + 1} of {epochs}")
            draw()
else:
    draw()
st.code(
    f"""model = Network({hidden})                          # minitorch.train.tensor_train
opt = {optimizer.split()[0] if optimizer != "Nesterov" else "SGD"}(model.parameters(), lr={lr})
for epoch in range({epochs}):
    opt.zero_grad()
    loss = point_log_loss(model.forward(X).view(n), y).sum() / n
    loss.backward()
    opt.step()""",
    language="python",
)
