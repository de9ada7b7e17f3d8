"""Tests of the scalar layer: the Node engine, Scalar and micrograd's Value."""
