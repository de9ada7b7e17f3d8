"""``Module`` and ``Parameter``: the containers that organise a model's learnable values.

A ``Module`` registers a :class:`Parameter` or a child ``Module`` when it is
assigned as an attribute, so ``parameters()`` and ``named_parameters()`` find
every learnable value in the tree.  Works alike for Scalars and Tensors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

import numpy as np

from .ops.constructors import tensor
from .replay import tape
from .scalar import Scalar


class Module:
    """Base class of models: holds parameters, child modules and plain attributes.

    Subclasses must call ``super().__init__()`` before assigning attributes.
    """

    _modules: dict[str, Module]
    _parameters: dict[str, Parameter]
    training: bool

    def __init__(self) -> None:
        self.__dict__["_modules"] = {}
        self.__dict__["_parameters"] = {}
        self.__dict__["training"] = True

    def _require_init(self, key: str) -> None:
        if "_parameters" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}: cannot set attribute {key!r} before "
                f"Module.__init__() ran; call super().__init__() first in "
                f"{type(self).__name__}.__init__"
            )

    def modules(self) -> Sequence[Module]:
        """The direct child modules, in insertion order."""
        return list(self.__dict__["_modules"].values())

    def children(self) -> Sequence[Module]:
        """Alias of :meth:`modules` (PyTorch name)."""
        return self.modules()

    @property
    def mode(self) -> str:
        """``"train"`` or ``"eval"`` (the course's trainers test ``self.mode == "eval"``);
        setting it calls :meth:`train` or :meth:`eval`."""
        return "train" if self.__dict__["training"] else "eval"

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in ("train", "eval"):
            raise ValueError(f"Module.mode is 'train' or 'eval', got {value!r}")
        self._set_mode(value == "train")

    def train(self) -> None:
        """Put this module and all its descendants in training mode."""
        self._set_mode(True)

    def eval(self) -> None:
        """Put this module and all its descendants in evaluation mode."""
        self._set_mode(False)

    def _set_mode(self, training: bool) -> None:
        stack: list[Module] = [self]
        while stack:
            m = stack.pop()
            m.__dict__["training"] = training
            stack.extend(m.__dict__["_modules"].values())
        tape.state_changed()

    def named_parameters(self) -> Sequence[tuple[str, Parameter]]:
        """``(dotted name, Parameter)`` for self and all descendants.

        Own parameters come first, then each child's (prefixed ``child.``), recursively.
        """
        result: list[tuple[str, Parameter]] = []
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:
            prefix, m = stack.pop()
            for name, p in m.__dict__["_parameters"].items():
                result.append((prefix + name, p))
            children = list(m.__dict__["_modules"].items())
            for name, child in reversed(children):
                stack.append((prefix + name + ".", child))
        return result

    def parameters(self) -> Sequence[Parameter]:
        """All parameters of self and its descendants, in ``named_parameters`` order."""
        return [p for _, p in self.named_parameters()]

    def state_dict(self) -> dict[str, Any]:
        """Every parameter's value by its dotted name (tensors detached, Scalars as floats)."""
        state: dict[str, Any] = {}
        for name, p in self.named_parameters():
            value = p.value
            if hasattr(value, "detach"):
                state[name] = value.detach()
            elif hasattr(value, "data"):
                state[name] = float(value.data)
            else:
                state[name] = value
        return state

    def load_state_dict(self, state: dict[str, Any], strict: bool = True) -> None:
        """Set parameters from ``state`` (tensors, numpy arrays or numbers by dotted name).

        Everything is checked before anything changes: missing or unexpected names
        (with ``strict``) and shape mismatches raise, leaving the module untouched.
        """
        params = dict(self.named_parameters())
        missing = [n for n in params if n not in state]
        unexpected = [n for n in state if n not in params]
        if strict and (missing or unexpected):
            raise KeyError(
                f"load_state_dict for {type(self).__name__}: missing parameters {missing}, "
                f"unexpected names {unexpected}"
            )
        updates: list[tuple[Parameter, Any]] = []
        for name, p in params.items():
            if name not in state:
                continue
            new = state[name]
            try:
                array = np.asarray(
                    new.to_numpy() if hasattr(new, "to_numpy") else new, dtype=float
                )
            except (TypeError, ValueError):
                raise TypeError(
                    f"load_state_dict: parameter {name!r} must be numbers (a tensor, an array "
                    f"or a number), got {type(new).__name__} {new!r:.60}"
                ) from None
            old = p.value
            if hasattr(old, "shape") and hasattr(old, "backend"):
                if tuple(array.shape) != tuple(old.shape):
                    raise ValueError(
                        f"load_state_dict: parameter {name!r} has shape {old.shape}, "
                        f"the state has {tuple(array.shape)}"
                    )
                updates.append((p, tensor(array, backend=old.backend)))
            else:
                if array.size != 1:
                    raise ValueError(
                        f"load_state_dict: parameter {name!r} is a number, "
                        f"the state has shape {tuple(array.shape)}"
                    )
                number = float(array.reshape(-1)[0])
                updates.append((p, Scalar(number) if isinstance(old, Scalar) else number))
        for p, new_value in updates:
            p.update(new_value)

    def add_parameter(self, k: str, v: Any) -> Parameter:
        """Create ``Parameter(v, k)``, register it under ``k`` and return it."""
        self._require_init(k)
        val = Parameter(v, k)
        self.__dict__["_parameters"][k] = val
        return val

    def __setattr__(self, key: str, val: Any) -> None:
        self._require_init(key)
        tape.state_changed()  # any attribute: a compiled function that uses it records again
        params = self.__dict__["_parameters"]
        modules = self.__dict__["_modules"]
        params.pop(key, None)
        modules.pop(key, None)
        if isinstance(val, Parameter):
            params[key] = val
        elif isinstance(val, Module):
            modules[key] = val
        else:
            super().__setattr__(key, val)

    def __getattr__(self, key: str) -> Any:
        d = self.__dict__
        if "_parameters" in d and key in d["_parameters"]:
            return d["_parameters"][key]
        if "_modules" in d and key in d["_modules"]:
            return d["_modules"][key]
        if "_parameters" not in d and not key.startswith("__"):
            raise AttributeError(
                f"{type(self).__name__} has no attribute {key!r} (did "
                f"{type(self).__name__}.__init__ call super().__init__()?)"
            )
        raise AttributeError(f"{type(self).__name__} has no attribute {key!r}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of this module; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __repr__(self) -> str:
        child_lines = []
        for key, module in self.__dict__["_modules"].items():
            mod_str = repr(module).replace("\n", "\n  ")
            child_lines.append("(" + key + "): " + mod_str)
        main_str = type(self).__name__ + "("
        if child_lines:
            main_str += "\n  " + "\n  ".join(child_lines) + "\n"
        return main_str + ")"


class Parameter:
    """A learnable value held by a :class:`Module`.

    If the value supports ``requires_grad_`` it is marked as requiring a
    gradient, and named after the parameter.

    torch code reads a parameter as the tensor it holds: attributes a Parameter does not
    have come from its value (``model.weight.shape``, ``.grad``, ``.data``, ``.fill_(0.5)``,
    ``init.xavier_normal_(model.weight)``), and setting one of the value's attributes
    (``model.weight.grad = None``) sets it on the value.  Arithmetic needs the value itself:
    ``model.weight.value @ x``.
    """

    def __init__(self, x: Any = None, name: Optional[str] = None) -> None:
        self.value = x
        self.name = name
        self._mark()

    def _mark(self) -> None:
        value = self.value
        if hasattr(value, "detach") and hasattr(value, "history") and value.history is not None:
            if value.history.last_fn is not None:
                # a value computed by an operation (p - lr * grad) becomes a fresh leaf
                self.value = value.detach()
        if hasattr(self.value, "requires_grad_"):
            self.value.requires_grad_(True)
            if self.name:
                self.value.name = self.name

    def update(self, x: Any) -> None:
        """Replace the value (an optimizer step), keeping it a named leaf."""
        self.value = x
        self._mark()

    def __getattr__(self, key: str) -> Any:
        value = self.__dict__.get("value")
        if key.startswith("__") or value is None:
            raise AttributeError(f"Parameter has no attribute {key!r}")
        return getattr(value, key)

    def __setattr__(self, key: str, val: Any) -> None:
        if key not in ("value", "name") and hasattr(self.__dict__.get("value"), key):
            setattr(self.value, key, val)  # the tensor's own (``p.grad = None``: a launch)
        else:
            tape.state_changed()  # the Parameter's own state (a new tensor): record again
            super().__setattr__(key, val)

    def __repr__(self) -> str:
        return repr(self.value)

    def __str__(self) -> str:
        return str(self.value)
