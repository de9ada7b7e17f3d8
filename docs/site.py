"""Build the documentation site from docs/ and the docstrings.

    python docs/site.py                # run every tutorial page, then build docs/_build/html
    python docs/site.py --serve        # the same, then serve it on http://127.0.0.1:8000

The site's sources: ``docs/index.md``, the guide (``docs/guide/*.md``), the tutorials (the
``docs/*.py`` pages, run like notebooks by ``run.py`` into Markdown with their output and
figures) and the API reference (``docs/api/*.md``: mkdocstrings reads the docstrings).
They are gathered in ``docs/_build/site`` and built by MkDocs with ``strict``: a warning (a
broken link, a page missing from the navigation, a docstring mkdocstrings cannot read) fails
the build.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
CONFIG = ROOT / "mkdocs.yml"
HAND_WRITTEN = ("index.md", "guide", "api", "app")
NOT_PAGES = ("run.py", "site.py", "hooks.py")


def tutorials() -> list[Path]:
    """The tutorial pages: every Python file in docs/ but the two tools."""
    return sorted(p for p in DOCS.glob("*.py") if p.name not in NOT_PAGES)


def gather(source: Path) -> None:
    """Copy the hand-written pages and pictures into ``source``."""
    source.mkdir(parents=True, exist_ok=True)
    for name in HAND_WRITTEN:
        path = DOCS / name
        if path.is_dir():
            shutil.copytree(path, source / name, dirs_exist_ok=True)
        else:
            shutil.copy(path, source / name)


def render_tutorial(page: Path, source: Path, timeout: float = 300) -> Path:
    """Run one tutorial page into ``source/tutorials/<page>.md`` (with its figures), in a
    fresh Python process as a notebook kernel would (the GPU page picks numba's simulator
    before numba is imported)."""
    out = (source / "tutorials").resolve()
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, str(DOCS / "run.py"), str(page.resolve()), "--markdown", "--out",
         str(out)], cwd=out, capture_output=True, text=True, timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the page {page.name} failed:\n{done.stderr[-4000:]}")
    return out / f"{page.stem}.md"


def build(source: Path, html: Path) -> None:
    """Build the site from ``source`` into ``html`` with MkDocs, warnings as errors."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(CONFIG), docs_dir=str(source), site_dir=str(html), strict=True)
    mkdocs_build(config)
    config.plugins.on_shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "_build")
    parser.add_argument("--serve", action="store_true", help="serve the site after building")
    args = parser.parse_args(argv)
    source, html = args.out / "site", args.out / "html"
    gather(source)
    for page in tutorials():
        print(f"running {page.name} ...", flush=True)
        render_tutorial(page, source)
    build(source, html)
    print(f"built {html / 'index.html'}")
    if args.serve:
        import functools
        import http.server

        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
        print("serving on http://127.0.0.1:8000 (Ctrl-C to stop)")
        http.server.ThreadingHTTPServer(("127.0.0.1", 8000), handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
