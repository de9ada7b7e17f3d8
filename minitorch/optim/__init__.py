"""Optimizers and learning-rate schedules, as ``torch.optim``: ``minitorch.optim.SGD``,
``minitorch.optim.Adam``, ... and ``minitorch.optim.lr_scheduler`` (also importable as a
module path: ``import minitorch.optim.lr_scheduler``)."""

from . import lr_scheduler
from .optimizers import (
    SGD,
    Adadelta,
    Adagrad,
    Adam,
    AdamW,
    NAdam,
    Optimizer,
    RMSprop,
)

__all__ = [
    "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "NAdam", "Optimizer", "RMSprop",
    "lr_scheduler",
]
