"""The audit log: one line per command that changed a workspace, with no personal data.

``<workspace>/.mio/audit.log`` gets a JSON line per change: when, which command, which files
changed and counts. It never holds names, emails or people's ids, so it can be kept as long
as the workspace and shown to anyone who may see the workspace's structure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

AUDIT_LOG = Path(".mio") / "audit.log"


def record(
    root: str | os.PathLike[str],
    command: str,
    files: Iterable[str],
    counts: Mapping[str, int] | None = None,
) -> None:
    """Append one line to the workspace's audit log (the log itself is created if need be).

    Appending one short line with ``O_APPEND`` is atomic on local file systems, so two
    processes cannot interleave their lines.
    """
    from . import __version__

    path = Path(root) / AUDIT_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": command,
            "files": sorted(files),
            "counts": dict(counts or {}),
            "mio_core": __version__,
        },
        ensure_ascii=False,
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, (line + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read(root: str | os.PathLike[str]) -> list[dict[str, object]]:
    """Return the audit log's entries, oldest first (empty when there is no log)."""
    path = Path(root) / AUDIT_LOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
