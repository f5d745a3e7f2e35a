"""Where an export may write: a new path, or what an earlier export of the same format wrote.

An export never replaces anything of the user's. It refuses the workspace, anything inside
the workspace or holding it, a file where a folder is asked for and the reverse, a non-empty
folder that no ``mio export`` wrote, and any existing target unless ``force`` is given. With
``force`` it replaces only

- a folder whose manifest (:data:`MANIFEST`) names the same format and lists every file in
  it, each unchanged since it was written, or
- a file with the format's suffix whose first bytes look like the format (see
  :data:`SIGNATURES`); an empty file holds nothing and passes. When the workspace is known
  (``workspace_root``), the file must also hold exactly what an export of the same format
  wrote, as its audit log records it (the log keeps each exported file's SHA-256, and its
  path): a user's own ``notes.md`` or ``budget.xlsx`` is never replaced, nor an export the
  user has edited since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..plugins.interfaces import Exporter
from ..problems import MioError

__all__ = ["MANIFEST", "SIGNATURES", "check_target", "write_manifest"]

#: The file inside a folder export that says which export wrote the folder.
MANIFEST = ".mio-export.json"

#: What the first bytes of an earlier export must be, by suffix (after a UTF-8 byte order
#: mark and white space; compared without regard to case). A text format with another suffix
#: must be UTF-8 text without NUL bytes; a binary one is checked by its suffix alone.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".html": (b"<!DOCTYPE html",),
    ".json": (b"{", b"["),
    ".jsonl": (b"{",),
}

_PEEK = 4096
_SHOWN = 5


def check_target(
    exporter: Exporter,
    target: str | os.PathLike[str],
    *,
    force: bool = False,
    workspace_root: str | os.PathLike[str] | None = None,
) -> Path:
    """Return the real path ``exporter`` may write to for ``target``, or raise :class:`MioError`
    saying why it may not (nothing is touched either way).
    """
    target = Path(target)
    real = target.resolve()
    if workspace_root is not None:
        _outside_workspace(target, real, Path(workspace_root).resolve())
    _parent_is_a_folder(target, real)
    if not os.path.lexists(real):
        return real
    if exporter.kind == "folder":
        _replaceable_folder(exporter, target, real, force)
    else:
        _replaceable_file(exporter, target, real, force)
        if workspace_root is not None:
            _written_here(exporter, target, real, Path(workspace_root))
    return real


def _written_here(exporter: Exporter, target: Path, real: Path, root: Path) -> None:
    """Refuse a file unless the workspace's audit log records an export of ``exporter``'s
    format that wrote exactly its bytes (its SHA-256), or — for a log older than the
    digests — an export of the format at ``real``.

    The digest decides, not the path and not the order of the lines: a workspace kept in
    git has its log merged from several clones (``merge=union``), and an export committed
    beside it in one clone reaches the others at another absolute path."""
    from ..privacy.audit import AUDIT_LOG

    here: list[object] = []
    written: set[str] = set()
    try:
        lines = (root / AUDIT_LOG).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:  # a damaged line (or a merge's conflict marker) records nothing
            continue
        if (
            isinstance(entry, dict)
            and entry.get("command") == "export"
            and entry.get("format") == exporter.name
        ):
            sha = entry.get("sha256")
            if isinstance(sha, str):
                written.add(sha)
            if entry.get("target") == str(real):
                here.append(sha)
    if real.is_file() and _digest(real) in written:
        return
    if here and not isinstance(here[-1], str):
        return  # recorded before the log kept digests: the path and format are all it has
    if not here:
        raise MioError(
            f"{target} exists and no {exporter.name!r} export of this workspace wrote it "
            "(its audit log records none there); --force replaces only such an export: "
            "give another path"
        )
    raise MioError(
        f"{target} has changed since mio exported it there; --force replaces only an "
        "export as it was written: give another path, or move the file away"
    )


def write_manifest(exporter: Exporter, folder: Path, generated: dt.datetime) -> None:
    """Write :data:`MANIFEST` into ``folder``, listing every file in it with its SHA-256."""
    from .. import __version__

    files = {name: _digest(folder / name) for name in _files(folder) if name != MANIFEST}
    manifest = {
        "written_by": "mio export",
        "format": exporter.name,
        "mio_core": __version__,
        "generated": generated.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "files": dict(sorted(files.items())),
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _outside_workspace(target: Path, real: Path, root: Path) -> None:
    if real == root:
        raise MioError(f"{target} is the workspace itself; export to a path outside it")
    if root in real.parents:
        raise MioError(
            f"{target} is inside the workspace {root}; export to a path outside the workspace"
        )
    if real in root.parents:
        raise MioError(
            f"{target} holds the workspace {root}; export to a new path outside the workspace"
        )


def _parent_is_a_folder(target: Path, real: Path) -> None:
    for parent in real.parents:
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise MioError(f"{target}: {parent} is a file, not a folder")
            return


def _replaceable_folder(exporter: Exporter, target: Path, real: Path, force: bool) -> None:
    if not real.is_dir():
        raise MioError(
            f"{target} is a file, and the format {exporter.name!r} writes a folder; "
            "give the path of a new folder"
        )
    entries = _files(real, with_folders=True)
    if not entries:
        return  # an empty folder holds nothing to lose
    manifest = _read_manifest(real)
    if manifest is None:
        raise MioError(
            f"{target} is a folder that no mio export wrote (it holds "
            f"{_some(sorted(entries))}); mio replaces only a folder an earlier export "
            "wrote: give the path of a new or empty folder"
        )
    if manifest.get("format") != exporter.name:
        raise MioError(
            f"{target} holds a {manifest.get('format')!r} export, not {exporter.name!r}; "
            "give another path"
        )
    listed: dict[str, str] = manifest["files"]
    implied = {MANIFEST, *listed}
    for name in listed:
        implied.update(str(parent) for parent in Path(name).parents if str(parent) != ".")
    added = sorted(set(entries) - implied)
    if added:
        raise MioError(
            f"{target} holds files the earlier {exporter.name!r} export did not write "
            f"({_some(added)}); move them out or give another path"
        )
    changed = sorted(
        name
        for name, digest in listed.items()
        if not (real / name).is_file() or _digest(real / name) != digest
    )
    if changed:
        raise MioError(
            f"{target}: files of the earlier {exporter.name!r} export were changed or removed "
            f"since ({_some(changed)}); move the folder aside or give another path"
        )
    if not force:
        raise MioError(
            f"{target} already holds a {exporter.name!r} export; add --force "
            "(Python: force=True) to replace it"
        )


def _replaceable_file(exporter: Exporter, target: Path, real: Path, force: bool) -> None:
    if real.is_dir():
        raise MioError(
            f"{target} is a folder, and the format {exporter.name!r} writes one "
            f"{exporter.suffix} file; give a file path such as "
            f"{target / ('export' + exporter.suffix)}"
        )
    if not real.is_file():
        raise MioError(f"{target} exists and is not a regular file; give another path")
    if real.suffix.lower() != exporter.suffix.lower():
        raise MioError(
            f"{target} exists and is not a {exporter.suffix} file; mio replaces only a file of "
            f"the same format: give another path"
        )
    reason = _unlike(exporter, real)
    if reason:
        raise MioError(
            f"{target} exists and does not look like a {exporter.name!r} export ({reason}); "
            "give another path"
        )
    if not force:
        raise MioError(f"{target} already exists; add --force (Python: force=True) to replace it")


def _unlike(exporter: Exporter, path: Path) -> str | None:
    """Return why the start of ``path`` is not like the format's output, or None if it is."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_PEEK)
    except OSError as exc:
        raise MioError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if not head:
        return None
    signatures = SIGNATURES.get(exporter.suffix.lower())
    if signatures is not None:
        start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
        if any(start.startswith(signature.lower()) for signature in signatures):
            return None
        expected = " or ".join(repr(s.decode("latin-1").rstrip("\x03\x04")) for s in signatures)
        return f"it does not start with {expected}"
    if exporter.kind == "text":
        if b"\0" in head:
            return "it is not text"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # a character cut at the end of the peek is fine
                return "it is not UTF-8 text"
    return None


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if (
        not isinstance(manifest, dict)
        or manifest.get("written_by") != "mio export"
        or not isinstance(manifest.get("files"), dict)
        or not all(isinstance(v, str) for v in manifest["files"].values())
        or not all(_inside(name) for name in manifest["files"])
    ):
        return None
    return manifest


def _inside(name: object) -> bool:
    return isinstance(name, str) and not Path(name).is_absolute() and ".." not in Path(name).parts


def _unreadable(error: OSError) -> None:
    # A folder that cannot be listed might hold anything: refuse rather than guess.
    raise MioError(f"{error.filename} cannot be read: {error.strerror or error}")


def _files(folder: Path, *, with_folders: bool = False) -> list[str]:
    """Return every entry below ``folder`` as a relative POSIX path (folders only if asked)."""
    found: list[str] = []
    for top, folders, names in os.walk(folder, onerror=_unreadable):
        here = Path(top).relative_to(folder)
        found.extend((here / name).as_posix() for name in names)
        if with_folders:
            found.extend((here / name).as_posix() for name in folders)
    return found


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")
