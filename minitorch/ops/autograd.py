r"""Functional autodiff: ``grad``, ``jacobian``, ``hessian``, ``hvp`` (as ``torch.autograd``).

All of them reuse the one backward pass: ``grad`` runs it from the outputs and reads the
derivatives that reach the inputs, touching no ``.grad``; with ``create_graph=True`` the
pass is recorded, so what it returns can be differentiated again.  That is all a Hessian
needs:

.. math::
    J_{ij} = \frac{\partial f_i}{\partial x_j}, \qquad
    H_{ij} = \frac{\partial^2 f}{\partial x_i \partial x_j}
           = \frac{\partial (\nabla f)_i}{\partial x_j}, \qquad
    \text{hvp}(f, x, v) = H v = \nabla_x \left( \nabla f(x) \cdot v \right).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional, Union

import numpy as np

from ..autodiff import backpropagate
from ..engine.grad_mode import grad_mode
from ..tensor import Tensor

Tensors = Union[Tensor, Sequence[Tensor]]


def _as_list(x: Tensors) -> list[Tensor]:
    return [x] if isinstance(x, Tensor) else list(x)


def grad(
    outputs: Tensors,
    inputs: Tensors,
    grad_outputs: Optional[Tensors] = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor, ...]:
    r"""Derivatives of ``sum_k <grad_outputs_k, outputs_k>`` with respect to each input.

    ``grad_outputs`` may be left out for one-element outputs (it is 1).  The result has one
    tensor per input, shaped like it; no ``.grad`` is changed.  With ``create_graph=True``
    the results have history (for second derivatives).  An input the outputs do not depend
    on is an error unless ``allow_unused=True`` (then its derivative is zeros).
    """
    outs, ins = _as_list(outputs), _as_list(inputs)
    if not ins:
        raise ValueError("grad: no inputs given")
    gouts = [None] * len(outs) if grad_outputs is None else _as_list(grad_outputs)
    if len(gouts) != len(outs):
        raise ValueError(f"grad: {len(outs)} outputs but {len(gouts)} grad_outputs")
    for x in ins:
        if not x.requires_grad():
            raise RuntimeError(
                f"grad: an input of shape {x.shape} does not require grad; create it with "
                "requires_grad=True"
            )
    totals: dict[int, Tensor] = {}
    for out, gout in zip(outs, gouts):
        if out.is_constant():
            continue
        if gout is None:
            if out.size != 1:
                raise RuntimeError(
                    f"grad: the output of shape {out.shape} has {out.size} elements; pass "
                    "grad_outputs (one tensor per output) for a non-scalar output"
                )
            gout = out.zeros(out.shape) + 1.0
        capture: dict[int, Tensor | None] = {x.unique_id: None for x in ins}
        with grad_mode(create_graph):
            backpropagate(out, gout, capture)
            for uid, d in capture.items():
                if d is not None:
                    totals[uid] = d if uid not in totals else totals[uid] + d
    result = []
    for x in ins:
        d = totals.get(x.unique_id)
        if d is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: the outputs do not depend on an input of shape {x.shape}; "
                    "pass allow_unused=True to get zeros for it"
                )
            d = x.zeros(x.shape)
        result.append(x.expand(d) if d.shape != x.shape else d)
    return tuple(result)


def _leaf(x: Tensor) -> Tensor:
    """A fresh leaf with ``x``'s values that requires grad."""
    return x.detach().contiguous().requires_grad_(True)


def _onehot(i: int, shape: tuple[int, ...], like: Tensor) -> Tensor:
    values = np.zeros(int(np.prod(shape)))
    values[i] = 1.0
    return Tensor.make(values, shape, backend=like.backend)


def _rows(y: Tensor, x: Tensor) -> np.ndarray:
    """``d y[i] / d x`` for every element ``i`` of ``y``: one backward pass per row,
    a ``(y.size, x.size)`` array."""
    rows = np.zeros((y.size, x.size))
    if y.is_constant():  # y does not depend on x at all
        return rows
    for i in range(y.size):
        (row,) = grad(y, x, _onehot(i, y.shape, y), allow_unused=True)
        rows[i] = row.to_numpy().ravel()
    return rows


def jacobian(f: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    r"""The Jacobian of ``f`` at ``x``: shape ``f(x).shape + x.shape``,
    :math:`J[i..., j...] = \partial f(x)_{i...} / \partial x_{j...}`.

    Reverse mode, one backward pass per output element.
    """
    x = _leaf(x)
    y = f(x)
    if not isinstance(y, Tensor):
        raise TypeError(f"jacobian: f must return a Tensor, got {type(y).__name__}")
    return Tensor.make(_rows(y, x).ravel(), (*y.shape, *x.shape), backend=x.backend)


def _scalar_output(f: Callable[[Tensor], Tensor], x: Tensor, what: str) -> Tensor:
    y = f(x)
    if not isinstance(y, Tensor) or y.size != 1:
        shape = y.shape if isinstance(y, Tensor) else type(y).__name__
        raise ValueError(
            f"{what}: f must return a one-element tensor (a scalar function), got {shape}"
        )
    return y


def hessian(f: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    r"""The Hessian of a scalar function ``f`` at ``x``: shape ``x.shape + x.shape``,
    the Jacobian of the gradient (the gradient is computed with ``create_graph=True``)."""
    x = _leaf(x)
    y = _scalar_output(f, x, "hessian")
    (g,) = grad(y, x, create_graph=True)
    rows = _rows(g.contiguous().view(x.size), x)
    return Tensor.make(rows.ravel(), (*x.shape, *x.shape), backend=x.backend)


def hvp(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor, Tensor]:
    r"""``(f(x), H v)``: the Hessian of a scalar ``f`` at ``x`` times ``v`` without forming
    :math:`H`, as :math:`\nabla_x (\nabla f(x) \cdot v)` (two backward passes)."""
    if v.shape != x.shape:
        raise ValueError(f"hvp: v has shape {v.shape} but x has shape {x.shape}")
    x = _leaf(x)
    y = _scalar_output(f, x, "hvp")
    (g,) = grad(y, x, create_graph=True)
    if g.is_constant():
        return y.detach(), x.zeros(x.shape)
    (hv,) = grad((g * v.detach()).sum(), x, allow_unused=True)
    return y.detach(), hv.detach()
