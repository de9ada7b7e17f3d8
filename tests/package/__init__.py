"""Tests of the package itself: its import surface, old paths, the layer rule, import side effects."""
