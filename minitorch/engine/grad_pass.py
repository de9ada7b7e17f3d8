"""The backward pass in progress, and which derivatives a leaf may keep as its gradient.

:meth:`Tensor.backward <minitorch.Tensor.backward>` runs the engine inside a
:class:`BackwardPass`; :meth:`Tensor.take_derivative <minitorch.Tensor.take_derivative>` asks
it whether the derivative it is handed may become the leaf's gradient without a copy.
"""

from __future__ import annotations

from typing import Any, Optional

from ..replay import tape
from ..tensor_data import TensorData, next_serial


class BackwardPass:
    """The backward pass in progress (``BackwardPass.current``), and the gradients it gave away.

    A leaf's first gradient is normally a copy, so that no two leaves (or a leaf and anything
    else) share one: an optimizer writes gradients in place.  A derivative the pass itself
    computed (its storage was made after the pass began: not the user's ``grad_output``,
    nor a tensor saved by the forward pass), on a dense storage of its own, that is not a
    shared constant and was not given to another leaf, belongs to nobody else: the leaf
    keeps it, saving a copy per parameter and step.  (torch's AccumulateGrad steals such
    gradients too; it counts references, which this engine knows without counting.)
    """

    current: Optional[BackwardPass] = None

    def __init__(self, create_graph: bool) -> None:
        self.enabled = not create_graph
        self.since = next_serial()
        self.claimed: set[int] = set()
        self.previous: Optional[BackwardPass] = None

    def __enter__(self) -> BackwardPass:
        self.previous, BackwardPass.current = BackwardPass.current, self
        return self

    def __exit__(self, *exc: Any) -> None:
        BackwardPass.current = self.previous

    def claim(self, x: Any) -> bool:
        """Whether a leaf may keep ``x`` itself as its gradient (and note that one did)."""
        td = getattr(x, "_tensor", None)
        if not (self.enabled and isinstance(td, TensorData) and x.history is None):
            return False
        version = td.version
        if (type(td) is not TensorData or version.serial < self.since
                or id(version) in self.claimed or len(td._storage) != td.size
                or not td.is_contiguous() or tape.is_shared_constant(td._storage)):
            return False
        self.claimed.add(id(version))
        return True
