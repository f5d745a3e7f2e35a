"""New workspaces from the MIO template shipped with mio_core."""

from __future__ import annotations

import os
from pathlib import Path

from .. import data
from ..io import layout
from ..io.atomic import atomic_write
from ..privacy.audit import record
from ..problems import MioError

TEMPLATE_FILES = (layout.MANIFEST, layout.CONCEPT, layout.ORGANISATIONS, layout.PEOPLE)


def init_workspace(path: str | os.PathLike[str]) -> list[str]:
    """Create a workspace at ``path`` with the MIO concept; return the files created.

    Refuses (:class:`MioError`) when ``path`` exists and is not an empty folder, so that
    nothing is ever overwritten.
    """
    root = Path(path)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise MioError(f"{root} already exists and is not empty; nothing was written")
    written = []
    for name in TEMPLATE_FILES:
        atomic_write(root / name, data.template_text(name))
        written.append(name)
    for folder in layout.ALL_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
        written.append(f"{folder}/")
    record(root, "init", TEMPLATE_FILES)
    return written
