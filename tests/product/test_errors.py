"""Bad inputs and faults a careful user tries: each gives torch's answer or an error that names
the problem and the values, never a crash or a plausible wrong number."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import torch

import minitorch
from minitorch import FastBackend, Scalar, SimpleBackend
from minitorch.cuda_ops import CudaBackend
from minitorch.optim import lr_scheduler

BACKENDS = [SimpleBackend, FastBackend, CudaBackend]


# -- crashes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS, ids=["simple", "fast", "cuda"])
def test_more_dimensions_than_the_kernels_hold(backend: minitorch.TensorBackend) -> None:
    with pytest.raises(IndexError, match="has 33 dimensions; tensors have at most 32"):
        minitorch.zeros(*([1] * 33), backend=backend)
    with pytest.raises(IndexError, match="has 40 dimensions; tensors have at most 32"):
        minitorch.ones(1, backend=backend).view(*([1] * 40))
    assert (minitorch.ones(*([1] * 32), backend=backend) * 2.0).sum().item() == 2.0


FORK = textwrap.dedent(
    """
    import os, numpy as np, minitorch
    x = minitorch.tensor(np.ones(1 << 19))
    assert (x + x).sum().item() == 2.0 * (1 << 19)   # the parent runs parallel kernels
    pid = os.fork()
    if pid == 0:
        ok = (x * 2.0 + 1.0).sum().item() == 3.0 * (1 << 19)
        os._exit(0 if ok else 3)
    _, status = os.waitpid(pid, 0)
    print("child", os.waitstatus_to_exitcode(status))
    """
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_can_use_the_fast_backend() -> None:
    """GNU OpenMP kills a forked child that enters the thread pool its parent used; the
    child runs the serial kernels instead (and computes the same numbers)."""
    out = subprocess.run([sys.executable, "-c", FORK], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "child 0" in out.stdout


# -- silent wrong answers -------------------------------------------------------------------------


def test_nan_propagates_as_in_torch() -> None:
    assert math.isnan(Scalar(math.nan).relu().data)
    for backend in (SimpleBackend, FastBackend):
        t = minitorch.tensor([math.nan, 5.0, -1.0], backend=backend)
        assert np.isnan(t.relu().to_numpy()[0])
        assert math.isnan(minitorch.max(t, 0).item()) and math.isnan(t.max().item())
    log_probs = minitorch.tensor([[-math.inf, -0.1], [-0.5, -1.0]], requires_grad=True)
    loss = minitorch.nll_loss(log_probs, [1, 0])
    loss.backward()
    t_log_probs = torch.tensor([[-math.inf, -0.1], [-0.5, -1.0]], dtype=torch.float64,
                               requires_grad=True)
    t_loss = torch.nn.functional.nll_loss(t_log_probs, torch.tensor([1, 0]))
    t_loss.backward()
    assert loss.item() == pytest.approx(t_loss.item())
    np.testing.assert_array_equal(log_probs.grad.to_numpy(), t_log_probs.grad.numpy())


def test_matrix_products_with_empty_dimensions() -> None:
    for backend in (SimpleBackend, FastBackend):
        a, b = minitorch.zeros(2, 0, backend=backend), minitorch.zeros(0, 3, backend=backend)
        assert (a @ b).to_numpy().tolist() == [[0.0] * 3] * 2
        assert minitorch.zeros(0, backend=backend).sum().item() == 0.0


def test_changing_a_saved_tensor_in_place_is_caught_at_backward() -> None:
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with minitorch.no_grad():  # (outside no_grad, writing into a leaf that requires grad raises)
        x[0] = 10.0
    with pytest.raises(RuntimeError, match="Mul.backward: a tensor saved for it was changed in "
                                           r"place afterwards \(written 1 time\(s\) since\)"):
        y.backward()
    a = minitorch.tensor([1.0, 2.0])
    w = minitorch.tensor([0.5, 0.5], requires_grad=True)
    z = (w.exp() * a.view(2)).sum()
    a.fill_(0.0)  # through another view of the same storage
    with pytest.raises(RuntimeError, match="changed in place"):
        z.backward()
    fine = minitorch.tensor([3.0], requires_grad=True)
    out = (fine * 2.0).sum()
    fine.grad = None
    out.backward()  # nothing was changed: no complaint
    assert fine.grad.item() == 2.0


def test_backward_with_a_gradient_of_the_wrong_shape() -> None:
    x = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"grad_output has shape \(2,\) but the tensor has "
                                           r"shape \(3,\)"):
        (x * 2.0).backward(minitorch.tensor([1.0, 1.0]))
    (x * 2.0).backward(minitorch.tensor([1.0, 1.0, 1.0]))
    assert x.grad.to_numpy().tolist() == [2.0, 2.0, 2.0]


def test_a_parameter_given_twice_to_an_optimizer() -> None:
    w = minitorch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="parameter 1 is the same object as parameter 0"):
        minitorch.SGD([w, w], lr=0.1)
    with pytest.raises(ValueError, match="parameter 1 is the same object as parameter 0"):
        minitorch.Adam([{"params": [w]}, {"params": [w], "lr": 0.1}])


@pytest.mark.parametrize("gamma", [-1.0, math.nan, math.inf])
def test_schedules_refuse_rates_that_are_not_finite_positive(gamma: float) -> None:
    optimizer = minitorch.SGD([minitorch.tensor([1.0], requires_grad=True)], lr=0.1)
    with pytest.raises(ValueError, match="ExponentialLR: gamma must be a finite number >= 0.0"):
        lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
    with pytest.raises(ValueError, match="StepLR: gamma must be a finite number"):
        lr_scheduler.StepLR(optimizer, 10, gamma=gamma)
    with pytest.raises(ValueError, match="SGD: the learning rate lr must be a finite number"):
        minitorch.SGD([minitorch.tensor([1.0], requires_grad=True)], lr=gamma)


def test_any_state_dict_name_round_trips(tmp_path: Path) -> None:
    state = {"allow_pickle": minitorch.ones(2), "file": minitorch.zeros(3), "arr_0": 5.0,
             "a/b.c": minitorch.tensor([[1.0]])}
    minitorch.save(state, tmp_path / "s.npz")
    back = minitorch.load(tmp_path / "s.npz")
    assert list(back) == list(state)
    assert back["allow_pickle"].tolist() == [1.0, 1.0] and back["arr_0"].item() == 5.0


def test_checkpoint_files_that_are_not_state_dicts(tmp_path: Path) -> None:
    np.save(tmp_path / "a.npy", np.ones(3))
    with pytest.raises(ValueError, match=r"holds a single numpy array \(.npy\), not a state dict"):
        minitorch.load(tmp_path / "a.npy")
    np.savez(tmp_path / "c.npz", w=np.array([1 + 2j]))
    with pytest.raises(TypeError, match="entry 'w': tensor: minitorch tensors hold real numbers"):
        minitorch.load(tmp_path / "c.npz")
    model = minitorch.Linear(2, 1)
    with pytest.raises(TypeError, match="parameter 'weight' must be numbers .* got str 'abc'"):
        model.load_state_dict({"weight": "abc", "bias": [0.0]})


def test_sizes_too_large_are_refused_at_once() -> None:
    start = time.perf_counter()
    with pytest.raises(IndexError, match=r"2,147,483,648 elements \(16.0 GiB of float64\)"):
        minitorch.zeros((2**31,))
    with pytest.raises(IndexError, match=r"10,000,000,000 elements \(74.5 GiB"):
        minitorch.rand((10**5, 10**5))
    assert time.perf_counter() - start < 1.0  # nothing was allocated first


def test_scalars_name_the_value_where_they_raise() -> None:
    with pytest.raises(ZeroDivisionError, match="x = 0"):
        Scalar(1.0) / Scalar(0.0)
    with pytest.raises(ValueError, match="-2"):
        Scalar(-2.0).log()
    assert Scalar(1000.0).exp().data == math.inf  # overflow is inf, as in tensors


# -- the command line -----------------------------------------------------------------------------


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "minitorch.cli", "train", *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args,message", [
    (["--lr", "inf"], "argument --lr: expected a finite number > 0, got inf"),
    (["--lr", "nan"], "argument --lr: expected a finite number > 0, got nan"),
    (["--seed", "-1"], "argument --seed: expected a finite number >= 0, got -1"),
    (["--batch-size", "0"], "argument --batch-size: expected a finite number > 0, got 0"),
])
def test_cli_refuses_bad_arguments(args: list[str], message: str) -> None:
    out = cli(*args)
    assert out.returncode == 2 and message in out.stderr


def test_cli_stops_when_training_diverges() -> None:
    out = cli("--backend", "fast", "--lr", "1e300", "--epochs", "5", "--no-progress")
    assert out.returncode == 1
    assert "stopped: the loss became nan at epoch 1: training diverged" in out.stderr
    assert "Traceback" not in out.stderr


def test_cli_mnist_batch_larger_than_the_data(tmp_path: Path) -> None:
    from ..data.test_mnist import write_idx

    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((30, 28, 28), np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(30, np.uint8))
    out = cli("--task", "mnist", "--mnist-dir", str(tmp_path), "--validation", "10",
              "--batch-size", "64", "--no-progress")
    assert out.returncode == 2
    assert "--batch-size 64 is larger than the 20 training images" in out.stderr
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\x1f\x8b garbage")
    out = cli("--task", "mnist", "--mnist-dir", str(tmp_path), "--no-progress")
    assert out.returncode == 2 and "damaged gzip file" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_cli_ctrl_c_exits_130_with_one_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "minitorch.cli", "train", "--epochs", "100000", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.time() + 120
    assert proc.stdout is not None
    while time.time() < deadline:  # wait until it trains (its first log line)
        if proc.stdout.readline().startswith("epoch"):
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "minitorch train: interrupted" in err and "Traceback" not in err


@pytest.mark.parametrize("p", [[1.5, 0.5], [math.nan, 0.5], [-0.1, 0.5]])
def test_binary_cross_entropy_needs_probabilities(p: list[float]) -> None:
    with pytest.raises(ValueError, match=r"inputs must be probabilities in \[0, 1\], got"):
        minitorch.binary_cross_entropy(minitorch.tensor(p), minitorch.tensor([1.0, 0.0]))
    with pytest.raises(RuntimeError, match="between 0 and 1"):  # torch refuses them too
        torch.nn.functional.binary_cross_entropy(torch.tensor(p), torch.tensor([1.0, 0.0]))


@pytest.mark.parametrize("call,error,message", [
    (lambda x: x @ "a", TypeError, "expected a Tensor or a number, got str"),
    (lambda x: minitorch.cat([x, [1.0, 2.0, 3.0]]), TypeError, "cat: item 1 is list"),
    (lambda x: x.__setitem__((slice(None), 0), minitorch.ones(3)), ValueError,
     r"cannot write values of shape \(3,\) into the elements of shape \(2,\)"),
    (lambda x: x.sum("a"), TypeError, "a dimension must be an integer, got str 'a'"),
    (lambda x: minitorch.full((2,), "x"), TypeError, "full: the fill value must be a number"),
    (lambda x: minitorch.linalg.vector_norm(x, "fro"), ValueError, "ord must be a number"),
    (lambda x: minitorch.where(minitorch.ones(2) > 0, minitorch.ones(3), minitorch.ones(2)),
     IndexError, r"cannot broadcast shapes \(2,\) and \(3,\)"),
])
def test_clear_messages_for_mistakes(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call(minitorch.ones(2, 3))  # type: ignore[operator]
