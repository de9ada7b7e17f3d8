"""PyTorch interop: tensors and state dicts both ways, safetensors files (against the
safetensors package), ``torch.save`` files read without running code, and the acceptance
case: a LeNet trained by ``minitorch train --task mnist`` gives PyTorch the same logits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")  # interop is an optional extra: pip install ".[torch]"
pytest.importorskip("safetensors")  # the oracle for the safetensors format

import torch.nn.functional as tF  # noqa: E402
from safetensors.numpy import load_file as st_load_numpy  # noqa: E402
from safetensors.numpy import save_file as st_save_numpy  # noqa: E402
from safetensors.torch import load_file as st_load_torch  # noqa: E402
from safetensors.torch import save_file as st_save_torch  # noqa: E402

import minitorch  # noqa: E402
from minitorch.cli.commands import main  # noqa: E402
from minitorch.train.mnist_train import LeNet  # noqa: E402

from ..data.test_mnist import write_idx  # noqa: E402

# -- tensors and state dicts ----------------------------------------------------------------


@pytest.mark.parametrize("source", [
    torch.arange(6, dtype=torch.float32).reshape(2, 3),
    torch.arange(6, dtype=torch.float64).reshape(2, 3).T,  # not contiguous
    torch.tensor([True, False]), torch.tensor([3, -1], dtype=torch.int64),
    torch.tensor([1.5, -2.25], dtype=torch.bfloat16), torch.tensor(2.5),
    torch.ones(2, 2, requires_grad=True) * 3,  # has history: the values come, not the graph
])
def test_from_torch(source: torch.Tensor) -> None:
    got = minitorch.from_torch(source)
    assert isinstance(got, minitorch.Tensor) and got.shape == tuple(source.shape)
    np.testing.assert_array_equal(got.to_numpy(), source.detach().double().numpy())
    assert got.history is None or got.history.last_fn is None


def test_to_torch_and_back() -> None:
    t = minitorch.tensor(np.random.default_rng(0).standard_normal((2, 3, 4))).permute(2, 0, 1)
    out = t.to_torch()
    assert out.dtype == torch.float64 and tuple(out.shape) == (4, 2, 3)
    np.testing.assert_array_equal(out.numpy(), t.to_numpy())
    out[0, 0, 0] = 99.0  # a copy: minitorch's storage is not touched
    assert t.to_numpy()[0, 0, 0] != 99.0
    np.testing.assert_array_equal(minitorch.from_torch(minitorch.to_torch(t)).to_numpy(),
                                  t.to_numpy())


def test_state_dicts_both_ways() -> None:
    ours = minitorch.nn.Linear(3, 2)
    theirs = torch.nn.Linear(3, 2).double()
    theirs.load_state_dict(minitorch.to_torch(ours.state_dict()))
    x = np.random.default_rng(1).standard_normal((4, 3))
    np.testing.assert_allclose(theirs(torch.tensor(x)).detach().numpy(),
                               ours(minitorch.tensor(x)).to_numpy(), rtol=0, atol=1e-15)
    back = minitorch.nn.Linear(3, 2)
    back.load_state_dict(minitorch.from_torch(theirs.state_dict()))
    np.testing.assert_array_equal(back.weight.value.to_numpy(), ours.weight.value.to_numpy())


@pytest.mark.parametrize(("call", "message"), [
    (lambda: minitorch.from_torch([1.0]), "expected a torch.Tensor or a dict of them, got list"),
    (lambda: minitorch.from_torch(torch.tensor([1j])), "real numbers; got a torch.complex64"),
    (lambda: minitorch.to_torch(np.ones(2)), "expected a minitorch Tensor .* got ndarray"),
])
def test_conversion_errors(call: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()  # type: ignore[operator]


# -- safetensors ----------------------------------------------------------------------------


def test_safetensors_written_here_read_by_the_safetensors_package(tmp_path: Path) -> None:
    state = {"w": minitorch.tensor([[1.0, 2.5], [-3.0, 1e-300]]), "b": minitorch.tensor(7.0),
             "empty": minitorch.zeros((0, 3))}
    minitorch.save(state, tmp_path / "m.safetensors")
    read = st_load_numpy(str(tmp_path / "m.safetensors"))
    assert set(read) == set(state)
    for name, value in state.items():
        np.testing.assert_array_equal(read[name], value.to_numpy())
    assert st_load_torch(str(tmp_path / "m.safetensors"))["w"].dtype == torch.float64


def test_safetensors_of_every_dtype_read_here(tmp_path: Path) -> None:
    arrays = {
        "f32": np.array([1.5, -2.0], np.float32), "f16": np.array([0.5], np.float16),
        "i64": np.array([[3, -4]], np.int64), "u8": np.array([255], np.uint8),
        "bool": np.array([True, False]), "i8": np.array([-7], np.int8),
    }
    st_save_numpy(arrays, str(tmp_path / "np.safetensors"), metadata={"by": "test"})
    got = minitorch.load(tmp_path / "np.safetensors")
    for name, a in arrays.items():
        np.testing.assert_array_equal(got[name].to_numpy(), a.astype(np.float64))
    st_save_torch({"bf16": torch.tensor([1.5, -3.25, 1e30], dtype=torch.bfloat16)},
                  str(tmp_path / "bf16.safetensors"))
    np.testing.assert_array_equal(
        minitorch.load(tmp_path / "bf16.safetensors")["bf16"].to_numpy(),
        torch.tensor([1.5, -3.25, 1e30], dtype=torch.bfloat16).double().numpy())


def damaged(kind: str, good: bytes) -> bytes:
    n = int.from_bytes(good[:8], "little")
    header = json.loads(good[8 : 8 + n])
    if kind == "truncated":
        return good[:-4]
    if kind == "not json":
        return good[:8] + b"{" + b"x" * (n - 1) + good[8 + n :]
    if kind == "dtype":
        header["w"]["dtype"] = "C64"
    if kind == "offsets":
        header["w"]["data_offsets"][1] -= 8
    text = json.dumps(header).encode()
    return len(text).to_bytes(8, "little") + text + good[8 + n :]


@pytest.mark.parametrize(("kind", "message"), [
    ("truncated", r"tensor 'w': data_offsets \[\d+, \d+\] fall outside"),
    ("not json", "the safetensors header is not JSON"),
    ("dtype", "tensor 'w': dtype 'C64' is not supported"),
    ("offsets", r"shape \[2\] of F64 needs 16 bytes, data_offsets give 8"),
])
def test_damaged_safetensors_files(tmp_path: Path, kind: str, message: str) -> None:
    good = tmp_path / "good.safetensors"
    minitorch.save({"b": minitorch.tensor([1.0]), "w": minitorch.tensor([1.0, 2.0])}, good)
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(damaged(kind, good.read_bytes()))
    with pytest.raises(ValueError, match=message):
        minitorch.load(bad)


# -- torch.save files -----------------------------------------------------------------------


def test_torch_save_files_both_ways(tmp_path: Path) -> None:
    torch.save({"w": torch.ones(2, 3), "step": torch.tensor(5)}, tmp_path / "t.pt")
    got = minitorch.load(tmp_path / "t.pt")
    assert got["w"].to_numpy().tolist() == [[1.0] * 3] * 2 and got["step"].item() == 5.0
    minitorch.save({"w": minitorch.tensor([0.1, 0.2])}, tmp_path / "m.pth")
    read = torch.load(tmp_path / "m.pth", weights_only=True)
    assert read["w"].dtype == torch.float64 and read["w"].tolist() == [0.1, 0.2]


@pytest.mark.parametrize(("content", "message"), [
    (torch.nn.Linear(2, 2), "holds more than plain tensors, and loading it could run code"),
    ({"model": {"w": torch.ones(1)}, "epoch": 3},
     r"not a plain state dict: 'model' \(dict\), 'epoch' \(int\) are not tensors"),
    (torch.ones(2), "holds one tensor, not a state dict"),
])
def test_torch_files_that_are_not_state_dicts(tmp_path: Path, content: object,
                                              message: str) -> None:
    torch.save(content, tmp_path / "x.pt")
    with pytest.raises(ValueError, match=message):
        minitorch.load(tmp_path / "x.pt")


def test_a_truncated_torch_file(tmp_path: Path) -> None:
    torch.save({"w": torch.ones(100)}, tmp_path / "x.pt")
    data = (tmp_path / "x.pt").read_bytes()
    (tmp_path / "x.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="x.pt' is not a readable"):
        minitorch.load(tmp_path / "x.pt")


# -- the acceptance case: LeNet ---------------------------------------------------------------


class TorchLeNet(torch.nn.Module):
    """minitorch's LeNet in PyTorch: the same names and layouts; its convolutions pad the
    right and bottom as minitorch's do."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 4, 3)
        self.conv2 = torch.nn.Conv2d(4, 8, 3)
        self.linear1 = torch.nn.Linear(392, 64)
        self.linear2 = torch.nn.Linear(64, 10)
        self.drop = torch.nn.Dropout(0.25)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(tF.pad(x, (0, 2, 0, 2))).relu()
        h = self.conv2(tF.pad(h, (0, 2, 0, 2))).relu()
        h = tF.avg_pool2d(h, 4).reshape(x.shape[0], 392)
        h = self.drop(self.linear1(h).relu())
        return tF.log_softmax(self.linear2(h), 1)


def logits_agree(ours: LeNet, theirs: TorchLeNet, images: np.ndarray) -> None:
    ours.eval()
    theirs.eval()
    want = theirs(torch.tensor(images)).detach().numpy()
    np.testing.assert_allclose(ours(minitorch.tensor(images)).to_numpy(), want, rtol=0,
                               atol=1e-12)


@pytest.fixture
def images() -> np.ndarray:
    return np.random.default_rng(3).uniform(0, 1, (6, 1, 28, 28))


def test_lenet_trained_by_the_cli_runs_in_pytorch(
    tmp_path: Path, images: np.ndarray, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(0)
    write_idx(tmp_path / "train-images-idx3-ubyte", rng.integers(0, 256, (40, 28, 28),
                                                                 dtype=np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte", (np.arange(40) % 10).astype(np.uint8))
    checkpoint = tmp_path / "lenet.npz"
    assert main(["train", "--task", "mnist", "--mnist-dir", str(tmp_path), "--epochs", "1",
                 "--validation", "8", "--checkpoint", str(checkpoint), "--no-progress"]) == 0
    capsys.readouterr()
    state = minitorch.load(checkpoint)
    ours = LeNet()
    ours.load_state_dict(state)
    theirs = TorchLeNet().double()
    theirs.load_state_dict(minitorch.to_torch(state))  # strict: every name and shape
    logits_agree(ours, theirs, images)
    for path in (tmp_path / "lenet.safetensors", tmp_path / "lenet.pt"):  # and through files
        minitorch.save(state, path)
        read = st_load_torch(str(path)) if path.suffix == ".safetensors" else \
            torch.load(path, weights_only=True)
        again = TorchLeNet().double()
        again.load_state_dict(read)
        logits_agree(ours, again, images)


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_lenet_from_pytorch(tmp_path: Path, images: np.ndarray, suffix: str) -> None:
    torch.manual_seed(0)
    theirs = TorchLeNet().double()
    path = tmp_path / f"lenet{suffix}"
    if suffix == ".pt":
        torch.save(theirs.state_dict(), path)
    else:
        st_save_torch(theirs.state_dict(), str(path))
    ours = LeNet()
    ours.load_state_dict(minitorch.load(path))
    logits_agree(ours, theirs, images)
