r"""Optimizers: update parameters from their gradients, with PyTorch's rules and names.

Every optimizer takes what a model or a notebook has: ``Parameter``\ s holding Scalars or
Tensors (``model.parameters()``), or bare tensors that require grad (``SGD([m, b], lr=0.01)``).
It reads each gradient (``.derivative`` / ``.grad``), computes the new value in float64
with numpy, and writes it back: a tensor is changed in place (as in PyTorch, so every
reference to it stays valid), a Scalar parameter gets a new Scalar (``Parameter.update``).

The update rules follow ``torch.optim`` step for step (same state, same order of
operations), so trajectories agree with PyTorch to rounding.  :math:`g` is the gradient,
:math:`\theta` the parameter, :math:`t` the step number (from 1), :math:`\eta` the learning rate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real
from typing import Any, Union

import numpy as np

from ..fast_ops import subtract_scaled
from ..module import Parameter
from ..replay import tape
from ..scalar import Scalar
from ..tensor import Tensor

Array = np.ndarray
State = dict[str, Any]


class _Slot:
    """One thing an optimizer updates: a ``Parameter`` (Scalar or Tensor) or a bare tensor."""

    def __init__(self, target: Union[Parameter, Tensor], where: str) -> None:
        if isinstance(target, Tensor):
            if not target.requires_grad():
                raise ValueError(
                    f"{where}: a tensor of shape {target.shape} does not require grad, so it "
                    "can never be updated; create it with requires_grad=True or call "
                    ".requires_grad_()"
                )
        elif not isinstance(target, Parameter):
            raise TypeError(
                f"{where}: parameters must be minitorch Parameters or tensors that require grad, "
                f"got {type(target).__name__}"
            )
        self.target = target

    @property
    def value(self) -> Any:
        return self.target.value if isinstance(self.target, Parameter) else self.target

    def data(self) -> Array:
        """The parameter's values (a read-only view for a tensor)."""
        value = self.value
        if isinstance(value, Scalar):
            return np.array(value.data, dtype=np.float64)
        view: Array = value._tensor.array_view()
        return view

    def grad(self) -> Array | None:
        """The gradient's values (a read-only view for a tensor), or None."""
        value = self.value
        if value is None:
            return None
        if isinstance(value, Scalar):
            return None if value.derivative is None else np.array(value.derivative, np.float64)
        grad = getattr(value, "grad", None)
        return None if grad is None else grad._tensor.array_view()

    def zero_grad(self) -> None:
        value = self.value
        if value is None:
            return
        if isinstance(value, Tensor):
            value.grad = None  # always (not only when set): a compiled step sees one graph
            return
        if getattr(value, "derivative", None) is not None:
            value.derivative = None
        if getattr(value, "grad", None) is not None:
            value.grad = None

    def set(self, new: Array) -> None:
        """Store the new values: a tensor is changed in place (as torch's optimizers do, so
        every reference to it stays valid), a Scalar parameter gets a new Scalar."""
        value = self.value
        if isinstance(value, Scalar):
            assert isinstance(self.target, Parameter)
            self.target.update(Scalar(float(new)))
            return
        value._tensor.write(..., new.reshape(value.shape))


def check_number(name: str, value: float, low: float = 0.0, high: float = math.inf) -> float:
    """``value`` as a float if it is a finite number in ``[low, high]``, else ``ValueError``
    naming it (NaN and infinities never pass)."""
    if not isinstance(value, Real) or not math.isfinite(value) or not low <= value <= high:
        bounds = f">= {low}" if high == math.inf else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be a finite number {bounds}, got {value!r}")
    return float(value)


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``zero_grad``/``step``/``state_dict``.

    ``param_groups`` is a list of dicts (``"params"`` plus the hyper-parameters), as in
    PyTorch; schedulers change ``group["lr"]``.  ``parameters`` is the flat list (course API).
    """

    defaults: dict[str, Any]

    def __init__(self, parameters: Iterable[Any], defaults: dict[str, Any] | None = None) -> None:
        name = type(self).__name__
        given = list(parameters)
        if not given:
            raise ValueError(f"{name}: got an empty parameter list; pass model.parameters()")
        self.defaults = dict(defaults or {})
        groups = given if isinstance(given[0], dict) else [{"params": given}]
        self.param_groups: list[dict[str, Any]] = []
        self._slots: list[_Slot] = []
        for group in groups:
            if not isinstance(group, dict) or "params" not in group:
                raise TypeError(f"{name}: parameter groups must be dicts with a 'params' list")
            slots = [_Slot(p, name) for p in group["params"]]
            merged = {**self.defaults, **group, "params": [p for p in group["params"]]}
            self._validate(merged)
            self.param_groups.append(merged)
            self._slots.extend(slots)
        self._refuse_duplicates(name)
        self.parameters = [s.target for s in self._slots]
        self.state: dict[int, State] = {}

    def _refuse_duplicates(self, name: str) -> None:
        """The same parameter twice would be stepped twice per ``step()``: refuse it."""
        seen: dict[int, int] = {}
        for i, slot in enumerate(self._slots):
            first = seen.setdefault(id(slot.target), i)
            if first != i:
                raise ValueError(
                    f"{name}: parameter {i} is the same object as parameter {first}; each "
                    "parameter may be given once (it would be updated twice per step)"
                )

    def _validate(self, group: dict[str, Any]) -> None:
        """Every hyper-parameter in its range (a clear error names the bad one)."""
        name = type(self).__name__
        check_number(f"{name}: the learning rate lr", group.get("lr", 0.0))
        for key in ("weight_decay", "momentum", "eps", "lr_decay"):
            if key in group:
                check_number(f"{name}: {key}", group[key])
        for key in ("rho", "alpha"):
            if key in group:
                check_number(f"{name}: {key}", group[key], 0.0, 1.0)
        for i, beta in enumerate(group.get("betas", ())):
            check_number(f"{name}: betas[{i}]", beta, 0.0, 1.0)

    def _groups(self) -> Iterable[tuple[dict[str, Any], list[tuple[int, _Slot]]]]:
        start = 0
        for group in self.param_groups:
            n = len(group["params"])
            yield group, [(start + i, self._slots[start + i]) for i in range(n)]
            start += n

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``derivative`` / ``grad`` -> None)."""
        for slot in self._slots:
            slot.zero_grad()

    def step(self) -> None:
        """Move every parameter that has a gradient by this optimizer's rule.

        Each parameter's update is one launch (:mod:`minitorch.replay.tape`): a compiled training
        step replays it with the hyper-parameters and state of that moment.
        """
        rec = tape.recording()
        for group, slots in self._groups():
            for index, slot in slots:
                if rec is not None and isinstance(slot.value, Scalar):
                    rec.refuse("it updates Scalar parameters (only tensor work is replayed)")
                tape.launch(self._step_one, None, group, index, slot)

    def _step_one(self, _: None, group: dict[str, Any], index: int, slot: _Slot) -> None:
        """Update one parameter (if it has a gradient) and its state."""
        grad = slot.grad()
        if grad is None:
            return
        state = self.state.setdefault(index, {"step": 0})
        state["step"] += 1
        if not self._update_in_place(slot, grad, group):
            slot.set(self._update(slot.data(), grad, state, group))

    def _update_in_place(self, slot: _Slot, grad: Array, group: dict[str, Any]) -> bool:
        """Update a tensor's values in place if this rule can (fewer passes over memory);
        False to take ``_update``'s new values instead."""
        return False

    def _update(self, theta: Array, g: Array, state: State, group: dict[str, Any]) -> Array:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}`` (copies)."""
        groups = []
        for group, slots in self._groups():
            entry = {k: v for k, v in group.items() if k != "params"}
            groups.append({**entry, "params": [i for i, _ in slots]})
        state = {
            i: {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
            for i, s in self.state.items()
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyper-parameters and state saved by :meth:`state_dict` of a like optimizer."""
        name = type(self).__name__
        groups = state_dict.get("param_groups")
        if not isinstance(groups, list) or [len(g["params"]) for g in groups] != [
            len(g["params"]) for g in self.param_groups
        ]:
            raise ValueError(
                f"{name}.load_state_dict: the saved parameter groups do not match this "
                "optimizer's (different number of groups or parameters)"
            )
        for mine, saved in zip(self.param_groups, groups):
            mine.update({k: v for k, v in saved.items() if k != "params"})
        self.state = {
            int(i): {k: (np.array(v) if isinstance(v, np.ndarray) else v) for k, v in s.items()}
            for i, s in state_dict.get("state", {}).items()
        }


def _buffer(state: State, key: str, like: Array, fill: float = 0.0) -> Array:
    if key not in state:
        state[key] = np.full_like(like, fill)
    buffer: Array = state[key]
    return buffer


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum (PyTorch's form):

    .. math::
        g \leftarrow g + \lambda\theta, \quad
        b_t = \mu b_{t-1} + (1 - \tau) g \;(b_1 = g), \quad
        \theta \leftarrow \theta - \eta \, (g + \mu b_t \text{ if Nesterov else } b_t)

    ``SGD(parameters, lr)`` is the course's plain :math:`\theta - \eta g`.
    """

    def __init__(
        self, parameters: Iterable[Any], lr: float = 1.0, momentum: float = 0.0,
        dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False,
    ) -> None:
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0")
        super().__init__(parameters, dict(lr=lr, momentum=momentum, dampening=dampening,
                                          weight_decay=weight_decay, nesterov=nesterov))

    @property
    def lr(self) -> float:
        """The first group's learning rate (course API); setting it sets every group's."""
        return float(self.param_groups[0]["lr"])

    @lr.setter
    def lr(self, value: float) -> None:
        for group in self.param_groups:
            self._validate({**group, "lr": value})
            group["lr"] = value

    def _update_in_place(self, slot: _Slot, grad: Array, group: dict[str, Any]) -> bool:
        """Plain SGD on a tensor: :math:`\\theta \\mathrel{-}= \\eta g` in its storage."""
        value = slot.value
        if group["momentum"] or group["weight_decay"] or isinstance(value, Scalar):
            return False
        theta = value._tensor.array_view(writeable=True)
        if theta.flags.c_contiguous and grad.flags.c_contiguous and theta.shape == grad.shape:
            subtract_scaled(theta.reshape(-1), float(group["lr"]), grad.reshape(-1))
        else:
            np.subtract(theta, group["lr"] * grad, out=theta)  # exactly theta - lr * g
        value._tensor.version.count += 1
        return True

    def _update(self, theta: Array, g: Array, state: State, group: dict[str, Any]) -> Array:
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        momentum = group["momentum"]
        if momentum:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()
            else:
                buf = state["momentum_buffer"]
                state["momentum_buffer"] = momentum * buf + (1 - group["dampening"]) * g
            buf = state["momentum_buffer"]
            g = g + momentum * buf if group["nesterov"] else buf
        new: Array = theta - group["lr"] * g
        return new


class Adagrad(Optimizer):
    r"""AdaGrad: per-coordinate steps shrink with the sum of squared gradients.

    .. math::
        s_t = s_{t-1} + g^2, \quad
        \theta \leftarrow \theta - \frac{\eta}{1 + (t-1)\,\text{lr\_decay}}
        \frac{g}{\sqrt{s_t} + \epsilon}
    """

    def __init__(
        self, parameters: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0.0,
        weight_decay: float = 0.0, initial_accumulator_value: float = 0.0, eps: float = 1e-10,
    ) -> None:
        super().__init__(parameters, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                          initial_accumulator_value=initial_accumulator_value,
                                          eps=eps))

    def _update(self, theta: Array, g: Array, state: State, group: dict[str, Any]) -> Array:
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        total = _buffer(state, "sum", theta, group["initial_accumulator_value"]) + g * g
        state["sum"] = total
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        new: Array = theta - clr * (g / (np.sqrt(total) + group["eps"]))
        return new


class Adadelta(Optimizer):
    r"""AdaDelta: steps scaled by running RMS of past updates over running RMS of gradients.

    .. math::
        v_t = \rho v_{t-1} + (1-\rho) g^2, \quad
        \Delta = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}} g, \quad
        u_t = \rho u_{t-1} + (1-\rho)\Delta^2, \quad \theta \leftarrow \theta - \eta \Delta
    """

    def __init__(
        self, parameters: Iterable[Any], lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    def _update(self, theta: Array, g: Array, state: State, group: dict[str, Any]) -> Array:
        rho, eps = group["rho"], group["eps"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        square_avg = _buffer(state, "square_avg", theta) * rho + (1 - rho) * g * g
        acc_delta = _buffer(state, "acc_delta", theta)
        delta = np.sqrt(acc_delta + eps) / np.sqrt(square_avg + eps) * g
        state["square_avg"] = square_avg
        state["acc_delta"] = acc_delta * rho + (1 - rho) * delta * delta
        new: Array = theta - group["lr"] * delta
        return new


class RMSprop(Optimizer):
    r"""RMSProp: gradients divided by a running RMS (``centered``: by a running std).

    .. math::
        v_t = \alpha v_{t-1} + (1-\alpha) g^2, \quad
        d = \sqrt{v_t - \bar g_t^2} + \epsilon \text{ (centered) or } \sqrt{v_t} + \epsilon, \quad
        \theta \leftarrow \theta - \eta \, b_t,\; b_t = \mu b_{t-1} + g / d \;(\mu = 0: b_t = g/d)
    """

    def __init__(
        self, parameters: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
        weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False,
    ) -> None:
        super().__init__(parameters, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                          momentum=momentum, centered=centered))

    def _update(self, theta: Array, g: Array, state: State, group: dict[str, Any]) -> Array:
        alpha, eps = group["alpha"], group["eps"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        square_avg = _buffer(state, "square_avg", theta) * alpha + (1 - alpha) * g * g
        state["square_avg"] = square_avg
        if group["centered"]:
            grad_avg = _buffer(state, "grad_avg", theta)
            grad_avg = grad_avg + (1 - alpha) * (g - grad_avg)
            state["grad_avg"] = grad_avg
            avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
        else:
            avg = np.sqrt(square_avg) + eps
        if group["momentum"] > 0:
            buf = _buffer(state, "momentum_buffer", theta) * group["momentum"] + g / avg
            state["momentum_buffer"] = buf
            new: Array = theta - group["lr"] * buf
            return new
        stepped: Array = theta - group["lr"] * (g / avg)
        return stepped


def _moments(
    state: State, theta: Array, g: Array, betas: tuple[float, float]
) -> tuple[Array, Array]:
    """Adam's running moments :math:`m_t = \\beta_1 m + (1-\\beta_1) g`,
    :math:`v_t = \\beta_2 v + (1-\\beta_2) g^2` (stored in ``state``)."""
    beta1, beta2 = betas
    m = _buffer(state, "exp_avg", theta)
    m = m + (1 - beta1) * (g - m)
    v = _buffer(state, "exp_avg_sq", theta) * beta2 + (1 - beta2) * g * g
    state["exp_avg"], state["exp_avg_sq"] = m, v
    return m, v


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and on its square, both bias-corrected.

    .. math::
        \theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}
        \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1-\beta_2^t} + \epsilon}

    with :math:`\hat v_t = v_t`, or its running maximum when ``amsgrad``.  ``weight_decay``
    adds :math:`\lambda\theta` to the gradient (L2); :class:`AdamW` decays the weights instead.
    """

    decoupled = False

    def __init__(
        self, parameters: Iterable[Any], lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
        weight_decay: float = 0.0, amsgrad: bool = False,
    ) -> None:
        super().__init__(parameters, dict(lr=lr, betas=tuple(betas), eps=eps,
                                          weight_decay=weight_decay, amsgrad=amsgrad))

    def _update(self, theta: Array, g: Array, state: State, group: dict[str, Any]) -> Array:
        lr, wd, t = group["lr"], group["weight_decay"], state["step"]
        if self.decoupled:
            theta = theta * (1 - lr * wd)
        elif wd:
            g = g + wd * theta
        beta1, beta2 = group["betas"]
        m, v = _moments(state, theta, g, group["betas"])
        if group["amsgrad"]:
            v = np.maximum(_buffer(state, "max_exp_avg_sq", theta), v)
            state["max_exp_avg_sq"] = v
        denom = np.sqrt(v) / math.sqrt(1 - beta2**t) + group["eps"]
        new: Array = theta - lr / (1 - beta1**t) * (m / denom)
        return new


class AdamW(Adam):
    r"""Adam with decoupled weight decay: :math:`\theta \leftarrow \theta(1 - \eta\lambda)` before
    the Adam step (default :math:`\lambda = 10^{-2}`)."""

    decoupled = True

    def __init__(
        self, parameters: Iterable[Any], lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
        weight_decay: float = 1e-2, amsgrad: bool = False,
    ) -> None:
        super().__init__(parameters, lr, betas, eps, weight_decay, amsgrad)


class NAdam(Optimizer):
    r"""Adam with Nesterov momentum (Dozat 2016), with PyTorch's momentum schedule
    :math:`\mu_t = \beta_1 (1 - \tfrac12 \, 0.96^{t \psi})` (:math:`\psi` = ``momentum_decay``):

    .. math::
        \theta \leftarrow \theta
        - \eta \frac{1-\mu_t}{1-\prod_{i \le t}\mu_i} \frac{g}{d}
        - \eta \frac{\mu_{t+1}}{1-\prod_{i \le t+1}\mu_i} \frac{m_t}{d}, \quad
        d = \sqrt{v_t / (1-\beta_2^t)} + \epsilon
    """

    def __init__(
        self, parameters: Iterable[Any], lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
        weight_decay: float = 0.0, momentum_decay: float = 4e-3,
    ) -> None:
        super().__init__(parameters, dict(lr=lr, betas=tuple(betas), eps=eps,
                                          weight_decay=weight_decay, momentum_decay=momentum_decay))

    def _update(self, theta: Array, g: Array, state: State, group: dict[str, Any]) -> Array:
        lr, t, psi = group["lr"], state["step"], group["momentum_decay"]
        beta1, beta2 = group["betas"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * theta
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        state["mu_product"] = state.get("mu_product", 1.0) * mu
        m, v = _moments(state, theta, g, group["betas"])
        denom = np.sqrt(v / (1 - beta2**t)) + group["eps"]
        theta = theta - lr * (1.0 - mu) / (1.0 - state["mu_product"]) * (g / denom)
        new: Array = theta - lr * mu_next / (1.0 - state["mu_product"] * mu_next) * (m / denom)
        return new

