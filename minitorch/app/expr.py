r"""A safe parser for the expressions typed on the Autodiff page: ``x * y + relu(x - 2)``.

The text is parsed by Python's own parser (:func:`ast.parse`) and then *evaluated by walking
the tree here*, accepting only numbers, the variables ``x`` and ``y``, ``+ - * / **``, unary
minus, and calls of the functions in :data:`FUNCTIONS`.  Nothing is ever passed to ``eval``:
an attribute, a subscript, a lambda or any other name is an :class:`ExpressionError` naming
what is not allowed.  The same tree evaluates on any engine (Scalar, Tensor, micrograd's
Value), because the operations are the engine's own operators and methods.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "relu": lambda v: v.relu(),
    "sigmoid": lambda v: v.sigmoid(),
    "exp": lambda v: v.exp(),
    "log": lambda v: v.log(),
    "tanh": lambda v: v.tanh(),
}
"""The functions an expression may call (each a method of every engine's values)."""

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
}
MAX_LENGTH = 300
"""Longer texts are refused (a page should not be made to build a huge graph)."""


class ExpressionError(ValueError):
    """The text is not an expression this page can evaluate (the message says why)."""


def parse(text: str) -> ast.expr:
    """The syntax tree of ``text``, checked to use only what :func:`evaluate` allows."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as err:
        raise ExpressionError(f"not an expression: {err.msg}") from None
    for node in ast.walk(tree):
        _check(node)
    return tree


def _check(node: ast.AST) -> None:
    allowed = (ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant, ast.operator,
               ast.unaryop, ast.Load)
    if not isinstance(node, allowed):
        raise ExpressionError(f"{type(node).__name__} is not allowed in an expression")
    if isinstance(node, ast.BinOp) and type(node.op) not in _BINARY:
        raise ExpressionError(f"the operator {type(node.op).__name__} is not allowed")
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, (ast.USub, ast.UAdd)):
        raise ExpressionError(f"the operator {type(node.op).__name__} is not allowed")
    if isinstance(node, ast.Constant) and (
        isinstance(node.value, bool) or not isinstance(node.value, (int, float))
    ):
        raise ExpressionError(f"only numbers are allowed as constants, not {node.value!r}")
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS or node.keywords or len(node.args) != 1:
            raise ExpressionError(
                f"calls are limited to {', '.join(sorted(FUNCTIONS))} with one argument"
            )


def evaluate(tree: ast.expr, variables: Mapping[str, Any]) -> Any:
    """The value of a :func:`parse`\\ d tree, with ``variables`` for the names in it."""
    if isinstance(tree, ast.Constant):
        return tree.value
    if isinstance(tree, ast.Name):
        if tree.id not in variables:
            raise ExpressionError(
                f"unknown name {tree.id!r}: use {', '.join(sorted(variables))}"
            )
        return variables[tree.id]
    if isinstance(tree, ast.BinOp):
        left, right = evaluate(tree.left, variables), evaluate(tree.right, variables)
        try:
            return _BINARY[type(tree.op)](left, right)
        except TypeError as err:  # micrograd's Value: powers of numbers only
            raise ExpressionError(f"{ast.unparse(tree)}: {err}") from None
    if isinstance(tree, ast.UnaryOp):
        value = evaluate(tree.operand, variables)
        return -value if isinstance(tree.op, ast.USub) else value
    if isinstance(tree, ast.Call):
        assert isinstance(tree.func, ast.Name)
        value = evaluate(tree.args[0], variables)
        try:
            return FUNCTIONS[tree.func.id](value)
        except AttributeError:
            raise ExpressionError(
                f"{tree.func.id} is not defined for {type(value).__name__}"
            ) from None
    raise ExpressionError(f"{type(tree).__name__} is not allowed")  # parse() refused it already
