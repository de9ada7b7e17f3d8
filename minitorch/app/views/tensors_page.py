"""Tensors: storage, shape and strides; permute and broadcast as the same storage read
differently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from minitorch.tensor_data import TensorData, shape_broadcast


def parse_ints(text: str, what: str) -> tuple[int, ...]:
    """``"2, 3, 4"`` -> (2, 3, 4), or a message naming what is wrong."""
    try:
        values = tuple(int(p) for p in text.replace(" ", "").split(",") if p)
    except ValueError:
        raise ValueError(f"{what}: write whole numbers separated by commas, got {text!r}") from None
    if not values:
        raise ValueError(f"{what}: give at least one number")
    return values


def grid(td: TensorData) -> pd.DataFrame:
    """The elements of a 1-3 dimensional layout as a table (the last dimension across)."""
    values = np.array([td.get(i) for i in td.indices()]).reshape(td.shape)
    if values.ndim == 1:
        return pd.DataFrame([values])
    if values.ndim == 2:
        return pd.DataFrame(values)
    return pd.DataFrame(values.reshape(-1, values.shape[-1]),
                        index=[f"{i}, {j}" for i in range(values.shape[0])
                               for j in range(values.shape[1])])


st.title("Tensors: one storage, many views")
st.markdown(
    "A tensor is a flat **storage** plus a **shape** and **strides**: element `index` lives at "
    "storage position `sum(index[d] * strides[d])` (`index_to_position`). Here the storage holds "
    "0, 1, 2, ... so every element shows where it is stored. Permuting, viewing or broadcasting "
    "makes no copy: it only changes the shape and strides."
)
def section_layout() -> TensorData:
    shape = parse_ints(st.text_input("Shape", "2, 3, 4", key="shape"), "shape")
    if len(shape) > 3 or min(shape) < 1 or int(np.prod(shape)) > 240:
        raise ValueError("shape: 1 to 3 dimensions, each at least 1, at most 240 elements here")
    td = TensorData(list(range(int(np.prod(shape)))), shape)
    st.write(f"shape {td.shape}, strides {td.strides}")
    st.dataframe(pd.DataFrame([td._storage], index=["storage"]))
    st.subheader("index_to_position")
    cols = st.columns(len(shape))
    index = tuple(int(cols[d].number_input(f"index[{d}]", 0, shape[d] - 1, 0, key=f"index{d}"))
                  for d in range(len(shape)))
    terms = " + ".join(f"{i} * {s}" for i, s in zip(index, td.strides))
    st.write(f"position of {index} = {terms} = **{td.index(index)}**")
    return td


def section_permute(td: TensorData) -> None:
    st.subheader("permute")
    default = ", ".join(str(d) for d in reversed(range(td.dims)))
    order = parse_ints(st.text_input("Order", default, key=f"order{td.dims}"), "order")
    view = td.permute(*order)
    st.write(f"permute{order}: shape {view.shape}, strides {view.strides}, the same storage; "
             "its elements in order:")
    st.dataframe(grid(view))


def section_view(td: TensorData) -> None:
    st.subheader("view")
    default = f"{td.size // td.shape[-1]}, {td.shape[-1]}"
    shape = parse_ints(st.text_input("View as shape", default, key=f"view{td.size}"), "view")
    view = td.view_as(shape)
    st.write(f"view{shape}: strides {view.strides}, the same storage read row by row (a view "
             "needs the storage in row-major order: after a permute, `contiguous()` copies "
             "first)")
    st.dataframe(grid(view))


def section_broadcast(n: int) -> None:
    st.subheader("broadcast")
    row = TensorData([float(i) for i in range(n)], (n,))
    target = parse_ints(st.text_input(f"Broadcast the vector 0..{n - 1} to", f"3, {n}",
                                      key=f"target{n}"), "broadcast shape")
    out_shape = shape_broadcast(row.shape, target)
    if len(out_shape) > 3 or int(np.prod(out_shape)) > 480:
        raise ValueError("broadcast shape: at most 3 dimensions and 480 elements here")
    strides = (0,) * (len(out_shape) - 1) + (0 if n == 1 else 1,)
    wide = TensorData(row._storage, out_shape, strides)
    st.write(f"shape {out_shape}, strides {wide.strides}: 0 where the data repeats, so "
             f"{int(np.prod(out_shape))} elements read {n} stored values")
    st.dataframe(grid(wide))


layout = None
for section in ("layout", "permute", "view", "broadcast"):
    try:
        if section == "layout":
            layout = section_layout()
        elif section == "permute" and layout is not None:
            section_permute(layout)
        elif section == "view" and layout is not None:
            section_view(layout)
        elif section == "broadcast":
            section_broadcast(layout.shape[-1] if layout is not None else 4)
    except Exception as err:  # noqa: BLE001 - a wrong input is shown, never a traceback
        st.error(str(err))
st.code(
    """td = TensorData(list(range(24)), (2, 3, 4))
td.strides                  # (12, 4, 1)
td.index((1, 2, 3))         # 1*12 + 2*4 + 3*1 = 23
td.permute(2, 1, 0).strides # (1, 4, 12): the same storage read in another order""",
    language="python",
)
