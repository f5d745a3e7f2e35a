"""The workspace as files: reading (:mod:`.read`) and writing (:mod:`.write`), kept here
as one place to import them from. The layout both follow is :data:`.layout.FILES`."""

from __future__ import annotations

from .read import (
    LoadResult,
    Progress,
    load_workspace,
    locate_problems,
    read_workspace,
    response_key,
)
from .write import render_workspace, save_workspace

__all__ = [
    "LoadResult",
    "Progress",
    "load_workspace",
    "locate_problems",
    "read_workspace",
    "render_workspace",
    "response_key",
    "save_workspace",
]
