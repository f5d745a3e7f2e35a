"""The workspace write lock: one ``mio`` command at a time changes a workspace.

Every call that writes a workspace (an import, a save, an erasure, creating the
pseudonymisation key) holds an operating-system lock on ``<workspace>/.mio/lock`` while it
reads what it is about to change and writes it. A second writer waits for the lock (up to
:data:`DEFAULT_TIMEOUT` seconds, or ``MIO_LOCK_TIMEOUT``) and is then refused with
:class:`WorkspaceLockedError`, which names the command, process and host holding it.
Reading never locks.

The lock is ``flock`` on POSIX and ``msvcrt.locking`` on Windows: the operating system
releases it when the holding process ends, however it ends, so a killed ``mio`` leaves no
stale lock behind — its file may stay, with the dead holder's details, but nobody holds
it and the next writer takes it. The file is removed when the lock is released.
The lock is advisory and re-entrant within one thread (an erasure holds it and calls
``save_workspace``, which takes it again). Network file systems may not honour it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from ..problems import MioError, WorkspaceLockedError

LOCK_FILE = Path(".mio") / "lock"
#: Seconds a writer waits for another writer to finish before it is refused.
DEFAULT_TIMEOUT = 10.0
TIMEOUT_VARIABLE = "MIO_LOCK_TIMEOUT"
_POLL = 0.05

F = TypeVar("F", bound=Callable[..., Any])


_held = threading.local()


def lock_timeout() -> float:
    """Return how long a writer waits for the lock: ``MIO_LOCK_TIMEOUT`` or the default."""
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise MioError(f"{TIMEOUT_VARIABLE}={text!r} is not a number of seconds") from None
    if not value >= 0:
        raise MioError(f"{TIMEOUT_VARIABLE}={text!r} must be 0 or more seconds")
    return value


@contextlib.contextmanager
def workspace_lock(
    root: str | os.PathLike[str], command: str, timeout: float | None = None
) -> Iterator[None]:
    """Hold the write lock of the workspace at ``root`` for the block.

    Waits up to ``timeout`` seconds (default: :func:`lock_timeout`) for another writer,
    then raises :class:`WorkspaceLockedError`. ``command`` (e.g. ``"import"``) is written
    into the lock file with the process id and host, for that message; it must not hold
    personal data.
    """
    if Path(root).exists() and not Path(root).is_dir():
        raise MioError(f"{root} is a file, not a workspace folder")
    path = Path(root) / LOCK_FILE
    key = str(path.resolve())
    counts: dict[str, int] = _held.__dict__.setdefault("counts", {})
    if counts.get(key):
        counts[key] += 1
        try:
            yield
        finally:
            counts[key] -= 1
        return
    wait = lock_timeout() if timeout is None else timeout
    stream = _acquire(path, wait, str(root))
    try:
        _describe(stream, command)
        counts[key] = 1
        try:
            yield
        finally:
            counts.pop(key, None)
    finally:
        _release(stream, path)


def _acquire(path: Path, wait: float, root: str) -> IO[bytes]:
    deadline = time.monotonic() + wait
    while True:
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o644), "r+b")
        try:
            if _try_lock(stream):
                if _is_file_at(stream, path):
                    return stream
                # The previous holder removed the file after we opened it: lock the new one.
                _unlock(stream)
                stream.close()
                continue
        except BaseException:
            stream.close()
            raise
        stream.close()
        if time.monotonic() >= deadline:
            raise WorkspaceLockedError(root, _holder(path), wait)
        time.sleep(_POLL)


def _is_file_at(stream: IO[bytes], path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(stream.fileno())
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _release(stream: IO[bytes], path: Path) -> None:
    # The file exists only while someone holds the lock. It is removed before it is unlocked
    # (POSIX), so a waiter that opened it finds out by _is_file_at and takes the new one.
    try:
        if sys.platform != "win32":
            path.unlink(missing_ok=True)
        _unlock(stream)
    finally:
        stream.close()
    if sys.platform == "win32":  # an open file cannot be removed there: try after unlocking
        with contextlib.suppress(OSError):
            path.unlink()


def holding_workspace_lock(command: str, path_argument: str = "path") -> Callable[[F], F]:
    """Decorate a function that writes the workspace named by its ``path_argument``."""

    def decorate(function: F) -> F:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            root = signature.bind(*args, **kwargs).arguments[path_argument]
            with workspace_lock(root, command):
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def _describe(stream: IO[bytes], command: str) -> None:
    holder = {
        "command": command,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    data = (json.dumps(holder) + "\n").encode("utf-8")
    # Windows locks byte 0 only; the details start after it so that others can read them.
    stream.seek(0)
    stream.truncate()
    stream.write(b" " + data)
    stream.flush()


def _holder(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as stream:
            stream.seek(1)
            value = json.loads(stream.read(4096).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(stream: IO[bytes]) -> bool:
        stream.seek(0)
        try:
            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(stream: IO[bytes]) -> None:
        stream.seek(0)
        msvcrt.locking(stream.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(stream: IO[bytes]) -> bool:
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(stream: IO[bytes]) -> None:
        fcntl.flock(stream.fileno(), fcntl.LOCK_UN)
