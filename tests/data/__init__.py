"""Tests of the data: utils.data, the 2-D sets, the MNIST and sentiment readers."""
