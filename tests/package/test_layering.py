"""The layer rule of ARCHITECTURE.md: a module imports (when it is imported) only modules of
its own layer or the layers below; no two modules import each other; and the imports made
inside functions, which the rule does not see, are the listed ones, each for its reason."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "minitorch"

LAYERS = [  # bottom first, as ARCHITECTURE.md's table; "x.*" is package x and all in it
    "operators autodiff datasets testing engine.grad_mode replay.tape replay.guards ops.dtypes "
    "backends.allocator readers.* io.safetensors backends engine io ops replay",  # (+ inits)
    "engine.nodes scalar_functions scalar micrograd.*",                  # numbers
    "tensor_data ops.values replay.fusion",                              # layouts
    "backends.dtype_kernels tensor_ops fast_ops cuda_ops backends.runtime backends.cuda_storage "
    "backends.default",
    "tensor_functions engine.grad_pass fast_conv ops.elementwise ops.indexing ops.reductions "
    "ops.shapes ops.linalg ops.casts ops.tensor_methods",                          # primitives
    "tensor",
    "ops.constructors ops.random ops.autograd ops.functional module nn.* optim.* utils.* "
    "replay.compiler io.interop io.serialization",                       # on tensors
    "train.* viz.* app.* cli.*",                                         # programs
    "",                                                                  # minitorch itself
]
LOCAL_IMPORTS = {  # importer -> what it imports inside a function, and why
    "scalar_functions": {"scalar"},  # the course's cycle: ScalarFunction.apply makes Scalars
    "tensor_functions": {"ops.constructors"},  # the course's cycle: its constructors' path
    "backends": {"backends.default"},  # the old names minitorch.backends.<name>
    "ops.tensor_methods": {"io.interop"},  # to_torch: interop needs Tensor, above this
    "viz.graph": {"micrograd", "scalar", "tensor"},  # pictures need no engine until drawn
    "cli.commands": {"app", "cli.sentiment", "cuda_ops", "readers.mnist", "train.mnist_train",
                     "viz.mlprimer", "viz.training"},  # the command starts fast
    "cli.sentiment": {"viz.plots"},  # matplotlib only with --plot
}


def name_of(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {name_of(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def layer(name: str) -> int:
    for i, names in enumerate(LAYERS):
        for entry in names.split() or [""]:
            if name == entry or (entry.endswith(".*") and (name + ".").startswith(entry[:-1])):
                return i
    raise AssertionError(f"minitorch.{name} is in no layer of LAYERS")


def imports(name: str) -> tuple[set[str], set[str]]:
    """(imported when the module is, imported inside functions): minitorch modules only."""
    path, at_load, inside = MODULES[name], set(), set()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.ImportFrom) and (node.level or node.module == "minitorch"):
            base = package[: len(package) - node.level + 1] if node.level else []
            base += (node.module or "").removeprefix("minitorch").strip(".").split(".")
            base = [b for b in base if b]
            for alias in node.names:
                full = ".".join([*base, alias.name])
                (inside if in_function else at_load).add(full if full in MODULES else ".".join(base))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(ast.parse(path.read_text()), False)
    return at_load, inside


def test_every_module_imports_only_its_layer_and_below() -> None:
    wrong = [f"{n} (layer {layer(n)}) imports {m} (layer {layer(m)})"
             for n in MODULES if not n.startswith("app.views") for m in imports(n)[0]
             if layer(m) > layer(n)]
    assert not wrong, wrong


def test_no_import_cycle() -> None:
    graph = {n: imports(n)[0] - {n} for n in MODULES}
    done: set[str] = set()

    def walk(n: str, path: tuple[str, ...]) -> None:
        assert n not in path, f"import cycle: {' -> '.join(path[path.index(n):] + (n,))}"
        if n not in done:
            for m in graph.get(n, ()):
                walk(m, (*path, n))
            done.add(n)

    for n in graph:
        walk(n, ())


def test_imports_inside_functions_are_the_listed_ones() -> None:
    found = {n: inside for n in MODULES if (inside := imports(n)[1] - {n})}
    assert found == LOCAL_IMPORTS
