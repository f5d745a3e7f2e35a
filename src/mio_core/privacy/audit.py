"""The audit log: one line per command that changed a workspace or took data out of it,
with no personal data of the people in it.

``<workspace>/.mio/audit.log`` gets a JSON line per change or export: when, which command,
which operating-system user ran it, which files changed and counts; an export adds its
format, whether it was identified, whether it kept free text, its target and (for a file)
the file's SHA-256. It never holds participants' names, emails, ids or pseudonyms, so it
can be kept as long as the workspace and shown to anyone who may see the workspace's
structure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import MioError

if TYPE_CHECKING:
    from ..plugins.interfaces import Exporter, ExportSource

AUDIT_LOG = Path(".mio") / "audit.log"

#: What git is told about ``.mio/`` when the audit log is created there (each file only if
#: the folder has none): two clones' logs merge by keeping both sides' lines, never as a
#: conflict, and what belongs to one computer — the pseudonymisation key, the write lock, a
#: temporary file a killed command left — is never committed. The cache ignores itself.
GIT_FILES = {
    ".gitattributes": "# two clones' audit logs merge by keeping the lines of both\n"
    "audit.log merge=union\n",
    ".gitignore": "# never commit the pseudonymisation key; the lock and temp files stay here\n"
    "pseudonym.key\nlock\n.*.tmp\n",
}


def operating_system_user() -> str | None:
    """Return the name of the operating-system user running mio, or None if it has none."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name and no passwd entry
        return None


def record(
    root: str | os.PathLike[str],
    command: str,
    files: Iterable[str],
    counts: Mapping[str, int] | None = None,
    details: Mapping[str, str | bool | None] | None = None,
) -> None:
    """Append one line to the workspace's audit log (the log itself is created if need be).

    ``details`` adds facts about the command (an export's format and target); they must
    not name a participant.

    Appending one short line with ``O_APPEND`` is atomic on local file systems, so two
    processes cannot interleave their lines. When the line cannot be written (a full disk,
    a read-only log) :class:`~mio_core.MioError` says that the command itself was done.
    """
    from .. import __version__

    path = Path(root) / AUDIT_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.path.lexists(path):
        _tell_git(path.parent)
    line = json.dumps(
        {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": command,
            "user": operating_system_user(),
            **dict(details or {}),
            "files": sorted(files),
            "counts": dict(counts or {}),
            "mio_core": __version__,
        },
        ensure_ascii=False,
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, (line + "\n").encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as exc:
        # The command's own work is done by now: say so, or the user would run it again.
        raise MioError(
            f"the {command} was done, but its line could not be added to the audit log "
            f"{path}: {exc.strerror or exc}"
        ) from exc


def _tell_git(folder: Path) -> None:
    """Write :data:`GIT_FILES` into ``folder`` (``.mio/``), each one only if it is not there."""
    from ..io.atomic import atomic_write

    for name, text in GIT_FILES.items():
        if not os.path.lexists(folder / name):
            # A convenience for git: a folder that refuses it refuses the log line too,
            # and that error is the one reported.
            with contextlib.suppress(OSError):
                atomic_write(folder / name, text)


def record_export(
    root: str | os.PathLike[str],
    exporter: Exporter,
    source: ExportSource,
    target: str | os.PathLike[str],
) -> None:
    """Record in the audit log of the workspace at ``root`` that ``source`` was exported.

    The line holds the format, whether people were identified, whether free text was kept,
    the target's absolute path and counts of what the export holds (participants,
    responses, coaching engagements, projects). :func:`mio_core.run_export` calls it when it
    knows the workspace's folder.
    """
    record_export_of(
        root, exporter, source.identified, source.with_text, target, export_counts(source)
    )


def export_counts(source: ExportSource) -> dict[str, int]:
    """Return the counts the audit log records of an export of ``source``."""
    workspace = source.workspace
    return {
        "participants": len(workspace.participants),
        "responses": len(workspace.responses),
        "coaching_engagements": len(workspace.engagements),
        "projects": len(workspace.projects),
    }


def record_export_of(
    root: str | os.PathLike[str],
    exporter: Exporter,
    identified: bool,
    with_text: bool,
    target: str | os.PathLike[str],
    counts: Mapping[str, int],
    sha256: str | None = None,
) -> None:
    """Record an export as :func:`record_export` does, from its counts (:func:`export_counts`):
    for an export copied from the cache (:mod:`mio_core.export.kept`). A file export's
    line also keeps the file's SHA-256 (``sha256`` when the caller hashed its bytes already),
    so that ``--force`` replaces it only as written
    (:func:`mio_core.export.targets.check_target`)."""
    from ..export.targets import _digest

    real = Path(target).resolve()
    details: dict[str, str | bool | None] = {
        "format": exporter.name,
        "identified": identified,
        "with_text": with_text,
        "target": str(real),
    }
    if real.is_file():
        details["sha256"] = sha256 or _digest(real)
    record(root, "export", (), dict(counts), details)


def read(root: str | os.PathLike[str]) -> list[dict[str, object]]:
    """Return the audit log's entries, oldest first (empty when there is no log)."""
    path = Path(root) / AUDIT_LOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
