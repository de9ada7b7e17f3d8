"""MkDocs hook: the docstrings name things with Sphinx's roles (``:func:`grad```,
``:class:`Tensor```); in the site they read as plain code."""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|math|obj):(?=<code)")


def on_page_content(html: str, **kwargs: Any) -> str:
    return _ROLE.sub("", html)
