"""New workspaces from the templates shipped with mio_core: ``blank`` or ``mio``, in Swedish
or English."""

from __future__ import annotations

import os
from pathlib import Path

from .. import data
from ..io import layout
from ..io.atomic import atomic_write
from ..privacy.audit import record
from ..problems import MioError

TEMPLATE_FILES = (layout.MANIFEST, layout.CONCEPT, layout.ORGANISATIONS, layout.PEOPLE)

#: The templates of ``mio init``: a minimal valid workspace, or the MIO concept.
TEMPLATES = ("blank", "mio")
#: The languages each template comes in.
TEMPLATE_LANGUAGES = ("sv", "en")


def init_workspace(
    path: str | os.PathLike[str], template: str = "mio", language: str = "sv"
) -> list[str]:
    """Create a workspace at ``path`` from ``template``; return the files created.

    ``blank`` is a minimal valid workspace (one concept with one module, one organisation,
    nobody yet) in ``language``; ``mio`` is the MIO concept, its texts in Swedish and
    English, the workspace's language ``language``. Refuses (:class:`MioError`) an unknown
    template or language, and a ``path`` that exists and is not an empty folder, so that
    nothing is ever overwritten.
    """
    if template not in TEMPLATES:
        raise MioError(f"no template {template!r}; choose one of {', '.join(TEMPLATES)}")
    if language not in TEMPLATE_LANGUAGES:
        raise MioError(f"the templates come in {', '.join(TEMPLATE_LANGUAGES)}, not {language!r}")
    root = Path(path)
    refuse_unless_new_folder(root)
    written = []
    for name in TEMPLATE_FILES:
        atomic_write(root / name, data.template_text(name, template, language))
        written.append(name)
    for folder in layout.ALL_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
        written.append(f"{folder}/")
    record(root, "init", TEMPLATE_FILES)
    return written


def refuse_unless_new_folder(root: Path) -> None:
    """Raise :class:`MioError` unless ``root`` is a new path or an empty folder.

    A folder that holds only ``.git`` counts as empty: a team that keeps its workspace in
    git starts with ``git init`` or a clone of an empty repository, and mio writes nothing
    there that could replace a file."""
    if root.is_symlink() and not root.exists():
        raise MioError(
            f"{root} is a symbolic link to {os.readlink(root)}, which does not exist; "
            "create that folder or give another path; nothing was written"
        )
    if root.exists() and (not root.is_dir() or any(e.name != ".git" for e in root.iterdir())):
        raise MioError(f"{root} already exists and is not empty; nothing was written")
