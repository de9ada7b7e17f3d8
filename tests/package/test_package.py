"""The import surface the course relies on (SPEC 1.0) for the modules that exist so far."""

from __future__ import annotations

import importlib
import sys

import minitorch

TOP_LEVEL = [
    "Context", "Variable", "central_difference", "topological_sort", "backpropagate",
    "Module", "Parameter", "Optimizer", "SGD", "Scalar", "ScalarHistory", "ScalarFunction",
    "derivative_check", "MathTest", "MathTestVariable", "prod", "version",
    "TensorData", "Tensor", "History", "Function", "TensorOps", "TensorBackend", "SimpleOps",
    "SimpleBackend", "MapProto", "IndexingError", "MAX_DIMS", "shape_broadcast",
    "strides_from_shape", "index_to_position", "to_index", "broadcast_index", "zeros", "rand",
    "_tensor", "grad_check", "grad_central_difference", "no_grad", "Storage", "Shape", "Strides",
    "Index", "OutIndex", "UserIndex", "UserShape", "UserStrides", "Add", "Mul", "Neg", "Inv",
    "Sigmoid", "ReLU", "Log", "Exp", "Sum", "All", "LT", "EQ", "IsClose", "Permute", "View",
    "Copy", "MatMul",
]
SUBMODULES = [
    "operators", "scalar_functions", "optim", "autodiff", "testing", "module", "scalar",
    "tensor_data", "tensor_functions", "tensor_ops",
]


def test_top_level_names() -> None:
    missing = [n for n in TOP_LEVEL if not hasattr(minitorch, n)]
    assert missing == []
    assert minitorch.version == "0.4"
    assert minitorch.prod([2.0, 3.0]) == 6.0


def test_submodules_are_attributes() -> None:
    for name in SUBMODULES:
        assert getattr(minitorch, name) is sys.modules[f"minitorch.{name}"]


def test_tensor_is_the_constructor() -> None:
    assert callable(minitorch.tensor) and minitorch.tensor is minitorch.tensor_functions.tensor
    assert sys.modules["minitorch.tensor"].Tensor is minitorch.Tensor


def test_datasets_is_the_dict() -> None:
    assert isinstance(minitorch.datasets, dict)
    assert importlib.import_module("minitorch.datasets").datasets is minitorch.datasets


def test_scalar_function_classes_are_not_top_level() -> None:
    """The course keeps the scalar Mul/Add in scalar_functions (top-level names are for tensors)."""
    assert minitorch.Mul is minitorch.tensor_functions.Mul
    assert minitorch.scalar_functions.Mul.apply(2.0, 3.0).data == 6.0


def test_import_does_not_pull_in_plotting_or_peers() -> None:
    for heavy in ("matplotlib", "torch", "micrograd"):
        code = (
            "import sys, minitorch; "
            f"sys.exit(1 if {heavy!r} in sys.modules else 0)"
        )
        import subprocess

        assert subprocess.run([sys.executable, "-c", code]).returncode == 0, heavy


def test_moved_modules_keep_their_old_paths() -> None:
    """Every module that moved into a subpackage (minitorch.MOVED) is found at its old path,
    by ``import``, ``from minitorch import`` and attribute, as the very same module (a fresh
    interpreter: nothing imported the new paths first)."""
    import subprocess

    code = (
        "import importlib, sys, minitorch\n"
        "for old, new in minitorch.MOVED.items():\n"
        "    by_import = importlib.import_module('minitorch.' + old)\n"
        "    here = importlib.import_module('minitorch.' + new)\n"
        "    assert by_import is here and sys.modules['minitorch.' + old] is here, old\n"
        "    assert here.__spec__.name == 'minitorch.' + new, here.__spec__\n"
        "    parent, _, leaf = ('minitorch.' + old).rpartition('.')\n"
        "    assert getattr(importlib.import_module(parent), leaf) is here, old\n"
        "from minitorch import tape, sentiment\n"
        "from minitorch.serialization import save\n"
        "assert tape is minitorch.replay.tape and save is minitorch.save\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not hasattr(minitorch, "no_such_module")


def _tree(root: object) -> dict[str, tuple[int, int]]:
    from pathlib import Path

    base = Path(str(root))
    return {str(p.relative_to(base)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(base.rglob("*"))}


def test_importing_writes_nothing(tmp_path: object) -> None:
    """``import minitorch`` in a fresh interpreter leaves its package folder as it was: no
    kernel-cache check writing a stamp, no cache folder made (with the bytecode written
    beforehand, Python itself has nothing to write either)."""
    import shutil
    import subprocess
    from pathlib import Path

    here = Path(minitorch.__file__).parent
    copy = Path(str(tmp_path)) / "minitorch"
    shutil.copytree(here, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(copy)], check=True)
    before = _tree(copy)
    code = "import minitorch, sys; print(minitorch.__file__)"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == str(copy / "__init__.py")
    assert _tree(copy) == before


def test_files_stay_readable() -> None:
    """No package file over 600 lines; at most 5 ``type: ignore`` in the package, each with
    its reason written after it."""
    import re
    from pathlib import Path

    files = [p for p in Path(minitorch.__file__).parent.rglob("*.py") if "__pycache__" not in p.parts]
    long = {str(p): n for p in files if (n := len(p.read_text().splitlines())) > 600}
    assert not long, long
    ignores = [(str(p), line) for p in files for line in p.read_text().splitlines()
               if "type: ignore" in line]
    assert len(ignores) <= 5, ignores
    unexplained = [i for i in ignores if not re.search(r"type: ignore\[[\w-]+\]\s+#\s*\S", i[1])]
    assert not unexplained, unexplained
