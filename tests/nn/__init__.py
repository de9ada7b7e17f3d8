"""Tests of layers, losses, initialisers, optimizers and schedulers."""
