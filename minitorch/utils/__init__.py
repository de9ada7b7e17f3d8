"""Utilities with torch's names: :mod:`minitorch.utils.data` (datasets and loaders)."""

from . import data

__all__ = ["data"]
