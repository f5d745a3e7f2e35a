"""A workspace exported through its cache: an export made again from unchanged files is
copied from ``.mio/cache/exports/`` instead of being read, checked, evaluated and written.

What an export writes follows from the workspace's files, mio_core's code, the installed
plugins, the options, the pseudonymisation key and the generation time
(:mod:`mio_core.export.reproducible`); the kept copy is keyed by all of them. Of the
generation time, only what the exporter used counts: nothing (the CSV tables), the day
(:func:`~mio_core.export.reproducible.generation_date`, the HTML report) or the second
(:func:`~mio_core.export.generation_time`, then a copy is reused only under
``SOURCE_DATE_EPOCH``). The export's manifest (for a folder) and the audit log's line are
written afresh each time.

A kept export is personal data like the workspace it came from (pseudonymised unless
``identified``), so it never outlives it: it is kept under the state of the files it came
from, and whenever the cache is written every kept result and export of another state is
deleted (:meth:`~mio_core.io.cache.WorkspaceCache.prune`); a participant who withdraws
research consent changes ``people.yaml`` and so the key; ``mio erase`` deletes the cache;
a new pseudonymisation key is a new key.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

import attrs

from .reproducible import _now, time_used

if TYPE_CHECKING:
    from ..io.cache import WorkspaceCache
    from ..io.read import Progress
    from ..plugins.interfaces import Exporter, ExportSource
    from ..plugins.registry import Registry

__all__ = ["export_workspace"]


class _Stale(Exception):
    """A kept export file was missing or changed while it was copied out."""


def export_workspace(
    directory: str | os.PathLike[str],
    registry: Registry,
    exporter: Exporter,
    out: str | os.PathLike[str],
    options: Any = None,
    *,
    language: str | None = None,
    identified: bool = False,
    key_file: str | os.PathLike[str] | None = None,
    with_text: bool = False,
    force: bool = False,
    cache: bool = False,
    progress: Progress | None = None,
) -> Path:
    """Export the workspace in ``directory`` as ``mio export`` does, and return the target.

    The workspace is read once, must validate without errors (else
    :class:`~mio_core.problems.WorkspaceError`), is pseudonymised unless ``identified``
    (:func:`prepare_source`), evaluated once and written atomically by :func:`run_export`.
    With ``cache=True`` the workspace is read through its cache, and an export made before
    from the same files, code, plugins, options and key is copied from it instead.
    """
    from ..io import open_cache, read_workspace
    from ..io.cache import forget_learned
    from ..problems import WorkspaceError
    from ..validate import has_errors, validate_workspace
    from . import check_target, prepare_source, write_export

    target = Path(out)
    if options is None and exporter.options_type is not None:
        options = exporter.options_type()
    # Before anything is read or a pseudonym key created; the export checks again.
    check_target(exporter, target, force=force, workspace_root=directory)
    kept = open_cache(directory) if cache else None
    try:
        slot = {
            "format": exporter.name,
            "options": _options_text(options),
            "language": language,
            "identified": identified,
            "with_text": with_text,
        }
        if kept is not None and _replay(
            kept, registry, exporter, slot, key_file, target, force, progress
        ):
            return target
        loaded = read_workspace(directory, cache=cache, progress=progress, registry=registry)
        problems = validate_workspace(loaded, registry, cache=cache)
        if has_errors(problems) or loaded.workspace is None:
            raise WorkspaceError(
                problems, summary=f"{directory} has errors; fix them before exporting"
            )
        source = prepare_source(
            loaded.workspace,
            registry,
            language=language,
            identified=identified,
            key_file=key_file,
            with_text=with_text,
        )
        captured: list[tuple[str, str, int]] | None = [] if kept is not None else None
        used: set[str] = set()
        moment = _now()
        writing = exporter
        if kept is not None:
            writing = attrs.evolve(exporter, write=_capturing(exporter, kept, captured, used))
        write_export(writing, source, target, options, force=force, workspace_root=directory)
        from ..privacy.audit import export_counts, record_export_of

        counts = export_counts(source)
        whole = captured is not None and all(size >= 0 for _, _, size in captured)
        # a file export kept whole was hashed as it was kept: not read again for the log
        sha = captured[0][1] if whole and captured and exporter.kind != "folder" else None
        record_export_of(directory, exporter, identified, source.with_text, target, counts, sha)
        if (
            kept is not None
            and captured is not None
            and whole
            and loaded.workspace.origin is not None
        ):
            digest = _key_digest(directory, key_file, slot)
            code = _exporter_stamp(exporter)
            keyed = kept.export_key(registry, {**slot, "key": digest, "code": code})
            # Kept only when the files are still as they were read.
            state = kept.inputs(loaded.workspace.origin.fingerprints)
            if code is not None and keyed is not None and keyed[0] == state:
                time = {}
                if "date" in used:
                    time["date"] = moment.date().isoformat()
                if "time" in used:
                    time["time"] = moment.isoformat()
                kept.keep_export(slot, keyed[0], keyed[1], captured, counts, time)
        return target
    finally:
        forget_learned()  # files read for the key and not used by the read


def _exporter_stamp(exporter: Exporter) -> str | None:
    """Return a digest of the files of the package that holds ``exporter.write`` (None when
    it is not a file's): a plugin installed editable changes its code without changing its
    version, and a kept export must follow the code that wrote it."""
    from ..io.cache import module_stamp

    return module_stamp((getattr(exporter.write, "__module__", None) or "").partition(".")[0])


def _options_text(options: Any) -> str:
    if options is not None and attrs.has(type(options)):
        fields = attrs.asdict(options)
        return json.dumps([type(options).__qualname__, fields], sort_keys=True, default=repr)
    return repr(options)


def _key_digest(
    directory: str | os.PathLike[str], key_file: str | os.PathLike[str] | None, slot: dict[str, Any]
) -> str | None:
    """Return a digest of the pseudonymisation key a pseudonymised export uses ("" for an
    identified one), or None when there is none yet (the export creates it)."""
    if slot["identified"]:
        return ""
    from ..privacy.pseudonyms import key_path

    path = Path(key_file) if key_file is not None else key_path(directory)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(b"mio pseudonymisation key\0" + data).hexdigest()


def _replay(
    kept: WorkspaceCache,
    registry: Registry,
    exporter: Exporter,
    slot: dict[str, Any],
    key_file: str | os.PathLike[str] | None,
    target: Path,
    force: bool,
    progress: Progress | None = None,
) -> bool:
    """Copy the export kept for ``slot`` to ``target`` (atomically, with a new manifest and
    audit line); return False when there is none, it is stale, or it does not copy whole."""
    from ..privacy.audit import record_export_of
    from . import write_export

    digest = _key_digest(kept.root, key_file, slot)
    code = _exporter_stamp(exporter)
    if digest is None or code is None:
        return False
    keyed = kept.export_key(registry, {**slot, "key": digest, "code": code}, progress)
    if keyed is None:
        return False
    record = kept.kept_export(slot, *keyed)
    if record is None:
        return False
    now = _now()
    if record["time"].get("date", now.date().isoformat()) != now.date().isoformat():
        return False
    if record["time"].get("time", now.isoformat()) != now.isoformat():
        return False
    files = [(str(name), str(sha), int(size)) for name, sha, size in record["files"]]
    if exporter.kind == "folder":
        if not all(_safe_name(name) for name, _, _ in files):
            return False
    elif [name for name, _, _ in files] != [""]:
        return False

    def copy(_source: ExportSource | None, out: Any, _options: object) -> None:
        for name, sha, size in files:
            if exporter.kind == "folder":
                path = Path(out) / name
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as stream:
                    whole = kept.copy_blob(sha, size, stream.write)
            else:
                whole = kept.copy_blob(sha, size, out.write)
            if not whole:
                raise _Stale(name)

    kind = "folder" if exporter.kind == "folder" else "binary"
    replaying = attrs.evolve(exporter, write=copy, kind=kind)
    try:
        write_export(replaying, None, target, None, force=force, workspace_root=kept.root)
    except _Stale:
        return False
    counts = {str(name): int(count) for name, count in record["counts"].items()}
    sha = files[0][1] if exporter.kind != "folder" else None  # copy_blob checked it
    record_export_of(kept.root, exporter, slot["identified"], _with_text(slot), target, counts, sha)
    return True


def _with_text(slot: dict[str, Any]) -> bool:
    return bool(slot["identified"] or slot["with_text"])


def _safe_name(name: str) -> bool:
    from .targets import MANIFEST

    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in name.split("/"))
        and "\\" not in name
        and "\0" not in name
        and name != MANIFEST
    )


def _capturing(
    exporter: Exporter,
    kept: WorkspaceCache,
    captured: list[tuple[str, str, int]] | None,
    used: set[str],
) -> Any:
    """Return ``exporter.write`` that also keeps what it wrote in the cache (``captured``
    lists the files; a row of size -1 marks output that cannot be kept; ``used`` collects
    how it used the generation time)."""

    def write(source: ExportSource, out: Any, options: object) -> None:
        with time_used() as watched:
            exporter.write(source, out, options)
        used.update(watched)
        if captured is None:
            return
        try:
            if exporter.kind == "folder":
                for path in sorted(Path(out).rglob("*")):
                    if path.is_symlink() or not (path.is_file() or path.is_dir()):
                        raise _Stale(str(path))
                    if path.is_dir():
                        if not any(path.iterdir()):
                            raise _Stale(str(path))  # an empty folder is not kept
                        continue
                    name = path.relative_to(out).as_posix()
                    captured.append((name, *kept.keep_blob(_file_chunks(path))))
            else:
                stream: IO[Any] = out
                stream.flush()
                captured.append(("", *kept.keep_blob(_descriptor_chunks(stream.fileno()))))
        except (_Stale, OSError, ValueError, AttributeError):
            captured.clear()
            captured.append(("", "", -1))  # marks it not to keep

    return write


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            yield chunk


def _descriptor_chunks(descriptor: int) -> Iterator[bytes]:
    offset = 0
    while chunk := os.pread(descriptor, 1 << 20, offset):
        offset += len(chunk)
        yield chunk
