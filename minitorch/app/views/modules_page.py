"""Modules: the tree of a model's modules and its parameters (names, shapes, counts)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from minitorch.module import Module
from minitorch.nn import layers
from minitorch.tensor import Tensor
from minitorch.train import scalar_train, tensor_train
from minitorch.train.mnist_train import LeNet


def mlp() -> Module:
    return layers.Sequential(layers.Linear(784, 128), layers.ReLU(), layers.Linear(128, 10))


MODELS: dict[str, Callable[[int], Module]] = {
    "course scalar network (Scalars)": scalar_train.Network,
    "course tensor network": tensor_train.Network,
    "course fast network (matmul layers)": tensor_train.FastNetwork,
    "LeNet (the digits task)": lambda _: LeNet(),
    "784-128-10 MLP (nn.Sequential)": lambda _: mlp(),
}


def tree(module: Module, name: str = "model", depth: int = 0) -> list[str]:
    """One line per module, indented by depth, with its own parameters' names."""
    own = ", ".join(module.__dict__["_parameters"]) or "-"
    lines = [f"{'    ' * depth}{name}: {type(module).__name__}  (parameters: {own})"]
    for child_name, child in module.__dict__["_modules"].items():
        lines.extend(tree(child, child_name, depth + 1))
    return lines


def count(value: object) -> int:
    return int(getattr(value, "size", 1)) if isinstance(value, Tensor) else 1


st.title("Modules and parameters")
st.markdown(
    "A `Module` holds `Parameter`s and other modules; `named_parameters()` walks the tree and "
    "names each parameter by its path (`layer1.weights`). This is what an optimizer receives, "
    "what `state_dict()` saves, and what `train()` / `eval()` switch."
)
choice = st.selectbox("Model", list(MODELS), key="model")
hidden = st.slider("hidden size (course networks)", 1, 32, 4, key="hidden")
model = MODELS[choice](hidden)
st.code("\n".join(tree(model)), language="text")
rows = [
    {"name": name, "shape": str(getattr(p.value, "shape", "scalar")), "values": count(p.value)}
    for name, p in model.named_parameters()
]
st.dataframe(pd.DataFrame(rows), hide_index=True)
st.metric("parameters", f"{sum(count(p.value) for _, p in model.named_parameters()):,}")
st.code(
    """for name, p in model.named_parameters():
    print(name, p.value.shape)
model.modules()     # the direct children
model.eval()        # every module in the tree: training = False""",
    language="python",
)
