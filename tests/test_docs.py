"""The lecture pages in docs/ run as notebooks would, and each shows its figures."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = {"ml_primer": 11, "derivatives": 8, "autodiff": 10, "compile": 1}


def runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_run", DOCS / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("page", "figures"), PAGES.items())
def test_lecture_page_runs_and_draws_its_figures(page: str, figures: int, tmp_path: Path) -> None:
    if page == "autodiff" and shutil.which("dot") is None:
        pytest.skip("the autodiff page draws graphs with Graphviz's dot, which is not installed")
    written = runner().run(DOCS / f"{page}.py", tmp_path)
    assert len(written) == 2 * figures
    for path in written:
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG") if path.suffix == ".png" else b"<svg" in data


def test_pages_become_notebooks(tmp_path: Path) -> None:
    page = tmp_path / "derivatives.py"
    shutil.copy(DOCS / "derivatives.py", page)
    notebook = json.loads(runner().to_notebook(page).read_text())
    kinds = [cell["cell_type"] for cell in notebook["cells"]]
    assert notebook["nbformat"] == 4 and kinds.count("code") == 9 and "markdown" in kinds
    assert any("plot_function3D" in "".join(cell["source"]) for cell in notebook["cells"])


def test_cell_value_is_the_last_expression() -> None:
    namespace: dict[str, object] = {}
    assert runner().run_cell("a = 2\na * 21", namespace, "cell") == 42
    assert runner().run_cell("b = 1", namespace, "cell") is None
