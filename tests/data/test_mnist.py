"""MNIST: the IDX reader on small files the test writes (plain and gzip, and damaged ones),
the built-in 5,000-digit sample, the split, LeNet's shapes, and the CLI task end to end."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
import pytest

import minitorch
from minitorch.cli.commands import main
from minitorch.readers import mnist
from minitorch.train.mnist_train import LeNet


def write_idx(path: Path, array: np.ndarray, compress: bool = False) -> Path:
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    raw = header + array.tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


@pytest.fixture
def tiny_mnist(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (40, 28, 28), dtype=np.uint8)
    labels = (np.arange(40) % 10).astype(np.uint8)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images, compress=True)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels)
    return tmp_path


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_round_trip(tmp_path: Path, compress: bool) -> None:
    a = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = write_idx(tmp_path / "x.idx", a, compress)
    np.testing.assert_array_equal(mnist.read_idx(path), a)


def test_load_idx_scales_images(tiny_mnist: Path) -> None:
    images, labels = mnist.load_idx(
        tiny_mnist / "train-images-idx3-ubyte.gz", tiny_mnist / "train-labels-idx1-ubyte"
    )
    assert images.shape == (40, 28, 28) and images.dtype == np.float64
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert labels.tolist() == [i % 10 for i in range(40)]


def test_damaged_idx_files(tmp_path: Path) -> None:
    good = write_idx(tmp_path / "good", np.zeros((3, 2), dtype=np.uint8)).read_bytes()
    cases = {
        "magic": (b"\x01\x02" + good[2:], "not an IDX file"),
        "short": (good[:-1], r"declares shape \(3, 2\) \(6 bytes of data\) but holds 5 bytes"),
        "header": (good[:6], "truncated inside its header"),
        "gzip": (gzip.compress(good)[:-6], "damaged gzip file"),
    }
    for name, (raw, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(ValueError, match=message):
            mnist.read_idx(path)
    with pytest.raises(ValueError, match=r"holds images of shape \(3, 2\); MNIST images are \(N, 28, 28\)"):
        mnist.load_idx(
            write_idx(tmp_path / "img", np.zeros((3, 2), np.uint8)),
            write_idx(tmp_path / "lab", np.zeros(3, np.uint8)),
        )
    with pytest.raises(ValueError, match="holds images of shape \\(3, 32, 32\\)"):
        mnist.load_idx(write_idx(tmp_path / "big", np.zeros((3, 32, 32), np.uint8)),
                       write_idx(tmp_path / "lab", np.zeros(3, np.uint8)))
    with pytest.raises(ValueError, match=r"labels from 0 to 12; MNIST digits are 0 to 9"):
        mnist.load_idx(write_idx(tmp_path / "ok", np.zeros((3, 28, 28), np.uint8)),
                       write_idx(tmp_path / "bad", np.array([0, 3, 12], np.uint8)))
    garbled = bytearray(gzip.compress(good))
    garbled[12:20] = b"\xff" * 8  # a damaged deflate stream (zlib's own error)
    (tmp_path / "garbled").write_bytes(bytes(garbled))
    with pytest.raises(ValueError, match="damaged gzip file"):
        mnist.read_idx(tmp_path / "garbled")


def test_builtin_sample_and_split() -> None:
    images, labels = mnist.load_mnist_5k()
    assert images.shape == (5000, 28, 28) and np.bincount(labels).tolist() == [500] * 10
    (tr_x, tr_y), (va_x, va_y) = mnist.split(images, labels, 500, seed=1)
    assert len(tr_y) == 4500 and len(va_y) == 500 and len(va_x) == 500 and len(tr_x) == 4500
    with pytest.raises(ValueError, match="validation size must be in 1..4999"):
        mnist.split(images, labels, 5000)


def test_lenet_shapes() -> None:
    model = LeNet()
    x = minitorch.tensor(np.zeros((2, 1, 28, 28)), backend=minitorch.FastBackend)
    out = model(x)
    assert out.shape == (2, 10)
    np.testing.assert_allclose(np.exp(out.to_numpy()).sum(1), 1.0)
    sizes = {n: p.value.shape for n, p in model.named_parameters()}
    assert sizes["conv1.weight"] == (4, 1, 3, 3) and sizes["linear1.weight"] == (64, 392)


def test_cli_mnist_task(tiny_mnist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checkpoint = tiny_mnist / "best.npz"
    code = main([
        "train", "--task", "mnist", "--mnist-dir", str(tiny_mnist), "--epochs", "2",
        "--validation", "8", "--checkpoint", str(checkpoint), "--no-progress",
        "--plot", str(tiny_mnist / "digits.png"),
    ])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (tiny_mnist / "digits.png").read_bytes().startswith(b"\x89PNG")
    assert "Wrote" in out and "validation digits" in out
    assert "Training LeNet on 32 images" in out and "validating on 8" in out
    assert len([l for l in out.splitlines() if l.startswith("epoch")]) == 2
    assert "Best validation accuracy" in out
    state = minitorch.load(checkpoint)
    LeNet().load_state_dict(state)


def test_cli_mnist_compiled_and_eager_agree(tiny_mnist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The compiled LeNet steps train exactly the eager ones: same losses, same checkpoint."""
    runs = []
    for flags in ([], ["--no-compile"]):
        checkpoint = tiny_mnist / f"best{len(flags)}.npz"
        assert main([
            "train", "--task", "mnist", "--mnist-dir", str(tiny_mnist), "--epochs", "2",
            "--validation", "8", "--checkpoint", str(checkpoint), "--no-progress", *flags,
        ]) == 0
        out = capsys.readouterr().out
        runs.append((re.findall(r"loss +([\d.]+)", out), minitorch.load(checkpoint)))
    (losses_c, state_c), (losses_e, state_e) = runs
    assert len(losses_c) == 2 and losses_c == losses_e
    assert state_c.keys() == state_e.keys()
    for name in state_c:
        np.testing.assert_array_equal(state_c[name].to_numpy(), state_e[name].to_numpy())


def test_cli_mnist_missing_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is one line on stderr naming it, and exit code 2 (no traceback)."""
    code = main(["train", "--task", "mnist", "--mnist-dir", str(tmp_path), "--no-progress"])
    assert code == 2
    assert "found neither train-images-idx3-ubyte" in capsys.readouterr().err
