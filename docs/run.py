"""Run a lecture page like a notebook, or turn it into one.

    python docs/run.py docs/ml_primer.py --out docs/_build      # run; save every figure
    python docs/run.py docs/ml_primer.py --ipynb                # write docs/ml_primer.ipynb
    python docs/run.py docs/ml_primer.py --markdown --out DIR   # DIR/ml_primer.md + figures

A page is a Python file in the "percent" format (Jupytext, VS Code and PyCharm open it as a
notebook): ``# %%`` starts a code cell, ``# %% [markdown]`` a text cell whose lines are
comments.  Running executes the code cells in order in one namespace; when a cell ends
in an expression that can show itself (a picture), it is saved as ``<page>-<n>.png`` and
``.svg``: exactly what Jupyter would display under that cell.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def cells(source: str) -> list[tuple[str, str]]:
    """``(kind, text)`` for each cell, kind ``"code"`` or ``"markdown"``."""
    out: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        if line.startswith("# %%"):
            out.append(("markdown" if "[markdown]" in line else "code", []))
        elif out:
            out[-1][1].append(line)
    result = []
    for kind, lines in out:
        if kind == "markdown":
            lines = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines]
        text = "\n".join(lines).strip("\n")
        if text.strip():
            result.append((kind, text))
    return result


def run_cell(code: str, namespace: dict[str, Any], name: str) -> Any:
    """Execute a cell; return the value of its last line if that is an expression."""
    tree = ast.parse(code, filename=name)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = tree.body[:-1] if last is not None else tree.body
    exec(compile(ast.Module(body=body, type_ignores=[]), name, "exec"), namespace)
    if last is None:
        return None
    return eval(compile(ast.Expression(body=last.value), name, "eval"), namespace)


@dataclass
class Cell:
    """A cell of a page after running: what it printed and the value it ends with."""

    kind: str
    text: str
    printed: str = ""
    value: Any = None


def execute(page: Path) -> Iterator[Cell]:
    """Run the code cells of ``page`` in order in one namespace, yielding every cell."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for i, (kind, text) in enumerate(cells(page.read_text())):
        if kind != "code":
            yield Cell(kind, text)
            continue
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            value = run_cell(text, namespace, f"{page.name}[cell {i}]")
        yield Cell(kind, text, printed.getvalue(), value)


def is_picture(value: Any) -> bool:
    return hasattr(value, "_repr_png_")


def run(page: Path, out: Path) -> list[Path]:
    """Run ``page``; write each displayed picture to ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for cell in execute(page):
        print(cell.printed, end="")
        if is_picture(cell.value):
            n = len(written) // 2 + 1
            for suffix in (".png", ".svg"):
                written.append(cell.value.save(out / f"{page.stem}-{n:02d}{suffix}"))
    return written


def render(page: Path, out: Path) -> Path:
    """Run ``page`` and write it as Markdown to ``out/<page>.md``: its text, its code, what
    each cell printed and the value it ends with (pictures as ``<page>-<n>.svg`` beside it),
    as Jupyter would show them."""
    out.mkdir(parents=True, exist_ok=True)
    parts: list[str] = []
    figures = 0
    for cell in execute(page):
        if cell.kind == "markdown":
            parts.append(cell.text)
            continue
        parts.append(f"```python\n{cell.text}\n```")
        if cell.printed.strip():
            parts.append(f"```text\n{cell.printed.rstrip()}\n```")
        if is_picture(cell.value):
            figures += 1
            name = f"{page.stem}-{figures:02d}.svg"
            cell.value.save(out / name)
            parts.append(f"![{page.stem}: figure {figures}]({name})")
        elif cell.value is not None:
            parts.append(f"```text\n{cell.value!r}\n```")
    target = out / f"{page.stem}.md"
    target.write_text("\n\n".join(parts) + "\n")
    return target


def to_notebook(page: Path) -> Path:
    """Write ``page`` as a Jupyter notebook next to it."""
    notebook = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
             **({"outputs": [], "execution_count": None} if kind == "code" else {})}
            for kind, text in cells(page.read_text())
        ],
    }
    target = page.with_suffix(".ipynb")
    target.write_text(json.dumps(notebook, indent=1) + "\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "_build")
    parser.add_argument("--ipynb", action="store_true", help="write notebooks instead of running")
    parser.add_argument("--markdown", action="store_true",
                        help="write <page>.md with the output and figures (for the site)")
    args = parser.parse_args(argv)
    for page in args.pages:
        if page.name in ("run.py", "site.py", "hooks.py"):
            continue  # `docs/*.py` matches the site's tools too
        if args.ipynb:
            print(f"wrote {to_notebook(page)}")
        elif args.markdown:
            print(f"wrote {render(page.resolve(), args.out)}")
        else:
            files = run(page, args.out)
            print(f"{page}: {len(files) // 2} figures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
