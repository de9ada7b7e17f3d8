"""Training from the shell: the ``minitorch train`` command (:mod:`~minitorch.train.cli`) and
the course's trainers it runs (the scalar, tensor and fast-tensor networks on the 2-D data
sets, LeNet on MNIST), with a progress bar."""

from .cli import main

__all__ = ["main"]
