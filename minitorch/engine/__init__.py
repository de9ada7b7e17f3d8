"""The autodiff machinery beside the course's :mod:`minitorch.autodiff`.

- :mod:`~minitorch.engine.nodes`: ``Node`` and ``backpropagate_nodes``, the one engine of the
  graphs of numbers (``Scalar`` and micrograd's ``Value``);
- :mod:`~minitorch.engine.grad_mode`: ``no_grad`` and its relatives (whether tensor
  operations record history);
- :mod:`~minitorch.engine.grad_pass`: the tensor backward pass in progress, and which
  derivatives a leaf may keep without a copy.
"""
