"""Writing the model back as a workspace's files: each entity to the file it came from.

Which entity goes to which file comes from :data:`mio_core.io.layout.FILES`; the text of a
changed file is a minimal edit of the old one (:mod:`mio_core.io.saving`).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..model import Response, Workspace
from ..model.workspace import expect_workspace
from ..problems import ConcurrentEditError, MioError
from . import layout
from .atomic import atomic_write_all
from .converter import unstructure
from .lock import holding_workspace_lock
from .saving import canonical_text, new_text


def _file_for(
    workspace: Workspace, kind: str, entity_id: str, default: str
) -> tuple[str, tuple[str | int, ...]]:
    origin = workspace.origin
    if origin is not None:
        location = origin.locations.get((kind, entity_id))
        if location is not None:
            return location.file, location.path
    return default, ()


def _plans(workspace: Workspace) -> dict[str, Any]:
    """Return what each file of ``workspace`` holds: plain values for a YAML file, the list
    of responses for a responses file."""
    plans: dict[str, Any] = {}

    def clean(value: Any) -> Any:
        return unstructure(value)

    for pattern, entries in layout.by_pattern().items():
        if entries[0].key is None:  # one entity a file
            [entry] = entries
            value = getattr(workspace, entry.field)
            if entry.folder is None:
                plans[pattern] = clean(value)
                continue
            for single in value:
                file, _ = _file_for(workspace, entry.kind, single.id, entry.default_file(single))
                plans[file] = clean(single)
            continue
        grouped: dict[str, dict[str, list[Any]]] = defaultdict(dict)
        if entries[0].folder is None:
            # a fixed file is always written; a key with no entities is left out, unless
            # it is the file's only key (organisations.yaml keeps ``organisations: []``)
            grouped[pattern] = {str(entries[0].key): []} if len(entries) == 1 else {}
        for entry in entries:
            for member in getattr(workspace, entry.field):
                file, _ = _file_for(workspace, entry.kind, member.id, entry.default_file(member))
                grouped[file].setdefault(str(entry.key), []).append(clean(member))
        plans.update(grouped)

    by_file: dict[str, list[Response]] = defaultdict(list)
    for response in workspace.responses:
        by_file[layout.responses_file(response.instrument, response.occasion)].append(response)
    plans.update(by_file)
    return plans


def render_workspace(workspace: Workspace) -> dict[str, str]:
    """Return every file of ``workspace`` as {relative path: text}, written afresh in the
    canonical style (:func:`save_workspace` keeps the text of what did not change instead).
    Entities go back to the file they were loaded from; new ones to a file named after their
    id (cohorts, instruments) or their cohort (engagements, projects)."""
    return {file: canonical_text(file, plan) for file, plan in _plans(workspace).items()}


def _fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def save_workspace(
    workspace: Workspace,
    path: str | os.PathLike[str],
    *,
    overwrite_changes: bool = False,
    command: str = "save",
    counts: dict[str, int] | None = None,
) -> list[str]:
    """Write ``workspace`` to the folder ``path``; return the files written, relative to it.

    Only files whose content changed are written, and in those only the entities, keys and
    rows that changed get new text: comments, key order, quoting and folded text of the
    rest are kept (see :mod:`mio_core.io.minimal_edit`). The files are written all or none
    (:func:`~mio_core.io.atomic_write_all`); a symbolic link is written through.
    When the workspace was loaded from the same folder, a file that changed on disk since
    then is not overwritten: :class:`ConcurrentEditError` names it, and nothing is written
    (``overwrite_changes=True`` writes anyway). Into another folder, a file there that
    would change is not overwritten either, unless it is a copy of the file the workspace
    was loaded from (:class:`MioError` names them; nothing is written) or
    ``overwrite_changes=True``. Files of entities that were loaded from
    there but are gone from ``workspace`` are removed.
    When anything changed, one line naming ``command``, the files and ``counts`` is
    appended to the workspace's audit log (``.mio/audit.log``).
    """
    expect_workspace(workspace, "save_workspace")
    return _save_locked(
        workspace, path, overwrite_changes=overwrite_changes, command=command, counts=counts
    )


@holding_workspace_lock("save")
def _save_locked(
    workspace: Workspace,
    path: str | os.PathLike[str],
    *,
    overwrite_changes: bool,
    command: str,
    counts: dict[str, int] | None,
) -> list[str]:
    root = Path(path)
    files = _plans(workspace)
    origin = workspace.origin
    same_folder = origin is not None and Path(origin.root) == root.resolve()
    stale: list[str] = []
    if same_folder and origin is not None:
        if not overwrite_changes:
            changed = [
                file
                for file, fingerprint in origin.fingerprints.items()
                if (file in files or _is_entity_file(file))
                and _fingerprint(root / file) not in (fingerprint, None)
            ]
            if changed:
                raise ConcurrentEditError(changed)
        stale = [f for f in origin.fingerprints if f not in files and _is_entity_file(f)]
    root.mkdir(parents=True, exist_ok=True)
    texts = {}
    # A file's text-not-kept warning waits until the file is sure to be written.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for file, plan in files.items():
            text = new_text(root / file, file, plan)
            if text is not None:
                texts[file] = text
    if not same_folder and not overwrite_changes:
        # A file there that is the one the workspace was loaded from (a copy) may change.
        loaded = origin.fingerprints if origin is not None else {}
        theirs = [
            file
            for file in texts
            if os.path.lexists(root / file) and _fingerprint(root / file) != loaded.get(file)
        ]
        if theirs:
            raise MioError(
                f"{root} holds files this workspace was not loaded from, so they were not "
                f"replaced: {', '.join(theirs)}; save into a new or empty folder (Python: "
                "overwrite_changes=True replaces them)"
            )
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    # All files or none: an erasure half done would leave the person in some files, and
    # `mio erase` could no longer find them to finish.
    atomic_write_all({root / file: text for file, text in texts.items()})
    written = list(texts)
    for file in stale:
        (root / file).unlink(missing_ok=True)
    if written or stale:
        from ..privacy.audit import record

        record(root, command, [*written, *stale], counts)
    return written


def _is_entity_file(file: str) -> bool:
    return file.split("/", 1)[0] in layout.ALL_FOLDERS
