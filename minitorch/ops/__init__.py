"""torch's operations beyond the course's primitives, placed by what they are.

Below :class:`~minitorch.Tensor` (primitives with their derivatives, which Tensor's methods
are): :mod:`~minitorch.ops.elementwise`, :mod:`~minitorch.ops.reductions`,
:mod:`~minitorch.ops.shapes` (views, joins, splits), :mod:`~minitorch.ops.indexing`
(keys, gathers, scatters, writes), :mod:`~minitorch.ops.linalg` (the matrix product family,
inverses, decompositions), :mod:`~minitorch.ops.dtypes`, :mod:`~minitorch.ops.values` (user
data as arrays) and :mod:`~minitorch.ops.tensor_methods`.

Above it (they make tensors): :mod:`~minitorch.ops.constructors`,
:mod:`~minitorch.ops.random` (generators and every random draw),
:mod:`~minitorch.ops.autograd` (``grad``, ``jacobian``, ``hessian``, ``hvp``) and
:mod:`~minitorch.ops.functional` (the namespace ``minitorch.sum``, ``minitorch.matmul``, ...).
"""
