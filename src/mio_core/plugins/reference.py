"""Builds docs/hooks.md from the hook specifications' docstrings (run as a module)."""

from __future__ import annotations

import inspect

from . import hookspecs
from .registry import HOOKS

HEADER = """# Hook reference

<!-- Generated from src/mio_core/plugins/hookspecs.py by
     `python -m mio_core.plugins.reference > docs/hooks.md`; a test fails when it is stale. -->

A plugin is a module (or any object) with functions marked `@mio_core.hookimpl` and named
after the hooks below; it implements only the hooks it needs. See [plugins.md](plugins.md)
for how to write, test and publish one.

{intro}
"""


def hook_reference() -> str:
    """Return the Markdown reference of every hook, from the hookspec docstrings."""
    intro = (inspect.getdoc(hookspecs) or "").split("\n\n", 1)[-1]
    parts = [HEADER.format(intro=intro)]
    for name in HOOKS:
        function = getattr(hookspecs, name)
        doc = inspect.getdoc(function) or ""
        text, _, example = doc.partition("Example::")
        parts.append(f"## `{name}()`\n\n{text.strip()}\n")
        if example.strip():
            parts.append("Example:\n\n```python\n" + inspect.cleandoc(example) + "\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(hook_reference(), end="")
