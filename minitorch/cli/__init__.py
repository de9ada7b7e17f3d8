"""The ``minitorch`` command: ``minitorch train`` (the course's tasks, digits, sentences) and
``minitorch app``.  :mod:`~minitorch.cli.commands` parses and dispatches;
:mod:`~minitorch.cli.sentiment` runs the sentence task.  The trainers themselves are library
code, in :mod:`minitorch.train`."""

from .commands import main

__all__ = ["main"]
