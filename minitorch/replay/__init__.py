"""Compiled steps: record the kernel launches of one call, replay them without Python.

- :mod:`~minitorch.replay.tape`: every computation on tensor data is a *launch*; while a
  recording is active the tape keeps them, and the eager code tells it what Python read,
  wrote and made (module functions that do nothing when nothing records);
- :mod:`~minitorch.replay.compiler`: ``minitorch.compile``: when to record, when a replay
  is safe (its guards), how a replay rebuilds the result;
- :mod:`~minitorch.replay.fusion`: runs of elementwise launches become one generated kernel.

(Not named ``compile``: that is the function, ``minitorch.compile``.)
"""
