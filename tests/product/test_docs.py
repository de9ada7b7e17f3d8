"""The pages in docs/ run as notebooks would and show their figures; the documentation site
builds from them with warnings as errors, and the home page links every page."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = {
    "ml_primer": 11, "derivatives": 8, "autodiff": 10, "tensors": 1, "broadcasting": 1,
    "backends": 1, "gpu": 0, "convolution": 2, "digits": 3, "optimizers": 5, "hessians": 1,
    "compile": 1, "dtypes": 0,
}


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def need_dot() -> None:
    """Skip without Graphviz's dot (the autodiff page draws graphs with it); in CI, where it
    is installed (``MINITORCH_REQUIRE_DOT=1``), fail instead: a skipped page is no test."""
    if shutil.which("dot") is None:
        if os.environ.get("MINITORCH_REQUIRE_DOT") == "1":
            pytest.fail("Graphviz's dot is required here but not installed")
        pytest.skip("the autodiff page draws graphs with Graphviz's dot, which is not installed")


def runner() -> ModuleType:
    return load("run")


@pytest.fixture(scope="module")
def site_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site's sources, gathered once; the page tests render into it."""
    source = tmp_path_factory.mktemp("site")
    load("site").gather(source)
    return source


def test_every_tutorial_page_is_tested() -> None:
    assert {p.stem for p in load("site").tutorials()} == set(PAGES)


@pytest.mark.parametrize(("page", "figures"), PAGES.items())
def test_page_runs_and_draws_its_figures(page: str, figures: int, site_source: Path) -> None:
    if page == "autodiff":
        need_dot()
    written = load("site").render_tutorial(DOCS / f"{page}.py", site_source)
    shown = re.findall(r"!\[[^]]*\]\(([^)]+)\)", written.read_text())
    assert len(shown) == figures
    for name in shown:
        assert b"<svg" in (written.parent / name).read_bytes()


def site_pages() -> set[str]:
    """Every page of the site, as its path under the site's sources."""
    pages = {f"{folder}/{p.name}" for folder in ("guide", "api") for p in (DOCS / folder).glob("*.md")}
    return pages | {f"tutorials/{p.stem}.md" for p in load("site").tutorials()}


def nav_pages(entry: object) -> set[str]:
    """The pages named in (a part of) mkdocs.yml's nav: strings, lists and titled dicts."""
    if isinstance(entry, str):
        return {entry}
    assert isinstance(entry, (list, dict)), entry
    items = list(entry.values()) if isinstance(entry, dict) else entry
    return set().union(*(nav_pages(e) for e in items))


def test_every_page_is_linked_from_the_home_page_and_the_navigation() -> None:
    linked = set(re.findall(r"\]\(([\w/]+\.md)\)", (DOCS / "index.md").read_text()))
    nav = nav_pages(yaml.safe_load((DOCS.parent / "mkdocs.yml").read_text())["nav"])
    assert site_pages() - linked == set(), "pages the home page does not link"
    assert site_pages() | {"index.md"} == nav, "mkdocs.yml's nav and the pages differ"


def test_site_builds_with_warnings_as_errors(site_source: Path, tmp_path: Path) -> None:
    """MkDocs (strict) over every page: broken links, pages left out of the navigation and
    docstrings it cannot read fail the build."""
    need_dot()  # the site shows every page, the autodiff page's graphs too
    site = load("site")
    for page in site.tutorials():  # the pages the tests above did not render (deselected)
        if not (site_source / "tutorials" / f"{page.stem}.md").exists():
            site.render_tutorial(page, site_source)
    site.build(site_source, tmp_path / "html")
    for page in site_pages():
        assert (tmp_path / "html" / page.removesuffix(".md") / "index.html").exists(), page


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
