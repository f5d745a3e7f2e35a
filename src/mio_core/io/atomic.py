"""Crash-safe writing: a temporary file in the same folder, flushed, synced, then renamed.

A reader sees the old file or the new one, never half of one; a failure or a kill before
the rename leaves the old file as it was and removes the temporary file where it can.
A path that is a symbolic link is written through: the file it points to gets the new
text and the link stays (replacing the link would leave the user's file as it was and the
link gone). :func:`atomic_write_all` writes several files all or none.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal, overload


def _sync_folder(folder: Path) -> None:
    # Make the rename itself durable; not every platform can open a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@overload
def atomic_open(
    path: str | os.PathLike[str], mode: Literal["w"] = "w", *, newline: str | None = None
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_open(
    path: str | os.PathLike[str], mode: Literal["wb"], *, newline: str | None = None
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
def atomic_open(
    path: str | os.PathLike[str], mode: str = "w", *, newline: str | None = None
) -> contextlib.AbstractContextManager[IO[Any]]:
    """Open ``path`` for writing so that it appears whole when the block ends without error."""
    return _atomic_open(Path(path), mode, newline)


@contextlib.contextmanager
def _atomic_open(path: Path, mode: str, newline: str | None) -> Iterator[IO[Any]]:
    path = _real(path)
    fd, temporary = _temporary(path)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as stream:
            yield stream
            _finish(stream, temporary, path)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def _real(path: Path) -> Path:
    """Return the file a write to ``path`` replaces: where its symbolic links end."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temporary(path: Path) -> tuple[int, str]:
    """Create a temporary file beside ``path``; return its descriptor and name. An error
    names ``path``, the file the user asked for, not the temporary one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None


def _finish(stream: IO[Any], temporary: str, path: Path) -> None:
    """Flush and sync ``stream`` and give its file the mode ``path`` has (or would get)."""
    stream.flush()
    os.fsync(stream.fileno())
    if path.exists():
        with contextlib.suppress(OSError):
            os.chmod(temporary, path.stat().st_mode & 0o7777)
    else:
        os.chmod(temporary, 0o666 & ~_umask())


_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """Return the process's umask without changing it where the system can tell.

    ``os.umask`` can only be read by setting it: in between, a file another thread of an
    application that embeds mio_core creates would get mode 0666. Linux shows the mask in
    ``/proc/self/status``; elsewhere it is read the old way, under a lock.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Replace the file at ``path`` with ``data`` (text is written as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_open(path, "wb") as stream:
        stream.write(data)


def atomic_write_all(files: Mapping[str | os.PathLike[str], str | bytes]) -> None:
    """Replace every file in ``files`` with its text (written as UTF-8) or bytes: all of
    them, or none.

    Every new file is first written beside its target and synced, so running out of space
    or quota changes nothing; only then are they renamed into place. When a rename fails,
    or the process is interrupted meanwhile, the files already renamed get their old content
    back (a file that did not exist is removed again) and no temporary file is left.
    """
    staged: list[tuple[Path, str]] = []
    try:
        for name, data in files.items():
            path = _real(Path(name))
            fd, temporary = _temporary(path)
            staged.append((path, temporary))
            with os.fdopen(fd, "wb") as stream:
                stream.write(data.encode("utf-8") if isinstance(data, str) else data)
                _finish(stream, temporary, path)
    except BaseException:
        _remove([temporary for _, temporary in staged])
        raise
    _replace_all(staged)


def _replace_all(staged: list[tuple[Path, str]]) -> None:
    # Each old file stays under a second name (a hard link: no copy, no space) until every
    # new one is in place; on a file system without hard links its bytes stay in memory.
    kept: list[tuple[Path, str | bytes | None]] = []
    old: str | bytes | None = None
    try:
        for path, temporary in staged:
            old = None
            old = _keep(path, temporary)
            os.replace(temporary, path)
            kept.append((path, old))
    except BaseException:
        if len(kept) < len(staged) and isinstance(old, str):
            _remove([old])  # the file whose rename failed is unchanged
        for path, old in reversed(kept):
            _restore(path, old)
        _remove([temporary for _, temporary in staged])
        raise
    _remove([old for _, old in kept if isinstance(old, str)])
    for folder in {path.parent for path, _ in staged}:
        _sync_folder(folder)


def _keep(path: Path, temporary: str) -> str | bytes | None:
    """Keep the file at ``path`` before it is replaced: a hard link's name, its bytes, or
    None when there is no file."""
    if not path.exists():
        return None
    backup = f"{temporary}.old"  # unique: the temporary's name is
    try:
        os.link(path, backup)
    except OSError:
        return path.read_bytes()
    return backup


def _restore(path: Path, old: str | bytes | None) -> None:
    # Best effort: a backup that cannot be put back stays beside the file, old data intact.
    with contextlib.suppress(OSError):
        if old is None:
            path.unlink(missing_ok=True)
        elif isinstance(old, str):
            os.replace(old, path)
        else:
            with atomic_open(path, "wb") as stream:
                stream.write(old)


def _remove(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(name)
