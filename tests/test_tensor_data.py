"""Tensor layout: index arithmetic, strides, permutation, broadcasting, printing, errors."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch import IndexingError, TensorData
from minitorch.tensor_data import (
    broadcast_index,
    index_to_position,
    shape_broadcast,
    strides_from_shape,
    to_index,
)

shapes = st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4).map(tuple)


@st.composite
def tensor_datas(draw: st.DrawFn) -> TensorData:
    shape = draw(shapes)
    size = int(np.prod(shape))
    data = draw(st.lists(st.floats(-100, 100, allow_nan=False), min_size=size, max_size=size))
    td = TensorData(data, shape)
    order = draw(st.permutations(range(len(shape))))
    return td.permute(*order)


def test_layout() -> None:
    data = [0.0] * 3 * 5
    td = TensorData(data, (3, 5), (5, 1))
    assert td.is_contiguous()
    assert td.shape == (3, 5)
    assert td.index((1, 0)) == 5
    assert td.index((1, 2)) == 7
    td = TensorData(data, (5, 3), (1, 5))
    assert td.shape == (5, 3)
    assert not td.is_contiguous()
    td = TensorData([0.0] * 4 * 2 * 2, (4, 2, 2))
    assert td.strides == (4, 2, 1)


def test_layout_bad() -> None:
    with pytest.raises(IndexingError, match=r"strides \(1, 5\) do not match shape \(5,\)"):
        TensorData([0.0] * 5, (5,), (1, 5))
    with pytest.raises(IndexingError, match="storage of 3 values is too small for shape"):
        TensorData([0.0] * 3, (2, 2))


@given(tensor_datas())
def test_enumeration(td: TensorData) -> None:
    """to_index visits every index exactly once, in range."""
    indices = list(td.indices())
    assert len(indices) == td.size == len(set(indices))
    for ind in indices:
        assert all(0 <= i < s for i, s in zip(ind, td.shape))


@given(tensor_datas())
def test_index(td: TensorData) -> None:
    """Every position is reached, and each index maps to a valid storage slot."""
    positions = {td.index(ind) for ind in td.indices()}
    assert positions == set(range(td.size))
    with pytest.raises(IndexingError, match="out of range"):
        td.index(tuple(s for s in td.shape))
    with pytest.raises(IndexingError, match="negative indices are not supported"):
        td.index(tuple(-1 for _ in td.shape))
    with pytest.raises(IndexingError, match="must be size of shape"):
        td.index((0,) * (td.dims + 1))


@given(st.data())
def test_permute(data: st.DataObject) -> None:
    td = data.draw(tensor_datas())
    ind = data.draw(st.sampled_from(list(td.indices())))
    td_rev = td.permute(*list(reversed(range(td.dims))))
    assert td.index(ind) == td_rev.index(tuple(reversed(ind)))
    td2 = td_rev.permute(*list(reversed(range(td_rev.dims))))
    assert td.index(ind) == td2.index(ind)
    assert td2.shape == td.shape and td.strides == td2.strides


def test_permute_is_a_new_view_and_checks_order() -> None:
    td = TensorData(list(range(6)), (2, 3))
    p = td.permute(1, 0)
    assert td.shape == (2, 3) and p.shape == (3, 2)
    assert p._storage is td._storage
    with pytest.raises(IndexingError, match=r"Must give a position to each dimension.*\(0, 0\)"):
        td.permute(0, 0)


def test_shape_broadcast_pinned() -> None:
    assert shape_broadcast((1,), (5, 5)) == (5, 5)
    assert shape_broadcast((5, 5), (1,)) == (5, 5)
    assert shape_broadcast((1, 5, 5), (5, 5)) == (1, 5, 5)
    assert shape_broadcast((5, 1, 5, 1), (1, 5, 1, 5)) == (5, 5, 5, 5)
    assert shape_broadcast((2, 5), (5,)) == (2, 5)
    assert shape_broadcast((2, 3, 1), (7, 2, 1, 5)) == (7, 2, 3, 5)
    with pytest.raises(IndexingError, match=r"\(5, 7, 5, 1\) and \(1, 5, 1, 5\)"):
        shape_broadcast((5, 7, 5, 1), (1, 5, 1, 5))
    with pytest.raises(IndexingError, match=r"\(5, 2\) and \(5,\)"):
        shape_broadcast((5, 2), (5,))


@given(shapes, shapes)
def test_shape_broadcast_matches_numpy(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        with pytest.raises(IndexingError):
            shape_broadcast(a, b)
        return
    assert shape_broadcast(a, b) == expected


def test_broadcast_index() -> None:
    out = [0, 0]
    broadcast_index([3, 1, 2], (4, 2, 3), (2, 1), out)
    assert out == [1, 0]
    out = [9]
    broadcast_index([2, 1], (3, 2), (1,), out)
    assert out == [0]


def test_strides_and_position() -> None:
    assert strides_from_shape((4, 2, 2)) == (4, 2, 1)
    assert strides_from_shape(()) == ()
    assert index_to_position([1, 2], [5, 1]) == 7
    out = np.zeros(3, np.int32)
    to_index(5, np.array([2, 3]), out)
    assert list(out[:2]) == [1, 2]


def test_index_functions_compile_with_numba() -> None:
    pos = numba.njit(index_to_position)
    to_idx = numba.njit(to_index)
    bcast = numba.njit(broadcast_index)
    out = np.zeros(minitorch.MAX_DIMS, np.int32)
    to_idx(5, np.array([2, 3], np.int32), out)
    assert list(out[:2]) == [1, 2]
    assert pos(out, np.array([3, 1], np.int32)) == 5
    small = np.zeros(2, np.int32)
    bcast(np.array([1, 2], np.int32), np.array([2, 3], np.int32), np.array([1, 3], np.int32), small)
    assert list(small) == [0, 2]


def test_to_string() -> None:
    assert TensorData([1.0, 2.0, 3.0], (3,)).to_string() == "\n[1.00 2.00 3.00]"
    assert TensorData([1.0, 2.0, 3.0, 4.0], (2, 2)).to_string() == "\n[\n\t[1.00 2.00]\n\t[3.00 4.00]]"


def test_get_set_sample() -> None:
    td = TensorData([0.0] * 6, (2, 3))
    td.set((1, 2), 5.0)
    assert td.get((1, 2)) == 5.0
    for _ in range(20):
        ind = td.sample()
        assert 0 <= ind[0] < 2 and 0 <= ind[1] < 3
