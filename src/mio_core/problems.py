"""Problems found in a workspace, and the one hierarchy of errors mio_core raises."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import attrs

from .textsafety import one_line


class Severity(StrEnum):
    """An error makes the workspace invalid; a warning is worth a look."""

    ERROR = "error"
    WARNING = "warning"


def format_path(path: tuple[str | int, ...]) -> str:
    """Return a field path the way a person reads it, e.g. ``sessions[2].module``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


#: The longest message a problem keeps; a value quoted from a hostile file (a 10 MB line)
#: is cut in the middle so the message stays readable and its start and end stay.
MAX_MESSAGE = 1000


def _clipped(message: str) -> str:
    if len(message) <= MAX_MESSAGE:
        return message
    cut = len(message) - MAX_MESSAGE + 40
    head = (MAX_MESSAGE - 40) * 2 // 3
    return f"{message[:head]} […{cut:,} characters…] {message[head + cut :]}"


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a workspace: where it is, a stable code, and what to do about it.

    ``line`` and ``column`` count from 1. ``path`` is the field inside the file (keys and
    list positions). ``code`` is stable across versions so tools can filter on it.
    """

    file: str | None
    code: str
    #: What is wrong and what to do (beyond :data:`MAX_MESSAGE` characters, cut in the middle)
    message: str = attrs.field(converter=_clipped)
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()
    #: ``"error"`` or ``"warning"`` (a string is converted; anything else is refused).
    severity: Severity = attrs.field(default=Severity.ERROR, converter=Severity)
    #: For a dangling reference: the kind and id it points to (to drop knock-on problems).
    ref: tuple[str, str] | None = attrs.field(default=None, repr=False)

    def format(self) -> str:
        """Return ``file:line:col: code: message`` with the field path in the message (once:
        a message that already begins with it, as a rule's may, does not get it again).

        The file name and the field path come from the workspace (a file's name, a column
        header) and are shown on one line (:func:`~mio_core.textsafety.one_line`), so that
        neither can start a line that looks like another problem or a verdict.
        """
        where = one_line(self.file) if self.file else "<workspace>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = format_path(self.path)
        message = self.message
        if field:
            message = message.removeprefix(f"{field}: ")
            message = f"{one_line(field)}: {message}"
        label = self.code if self.severity is Severity.ERROR else f"{self.code} (warning)"
        return f"{where}: {label}: {message}"

    def to_dict(self) -> dict[str, object]:
        """Return the problem as plain JSON-ready values."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": format_path(self.path) or None,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
        }


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Return problems in reading order: by file, then line, then column."""
    return sorted(
        problems,
        key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.code, p.message),
    )


class MioError(Exception):
    """Base class of every error mio_core raises on purpose.

    The ``mio`` command prints its message on one line and exits 1; a plugin raises it (or
    a subclass) for a mistake of the user's, e.g. a file it cannot read.
    """


class InvocationError(MioError):
    """The caller asked for something that does not exist: a format, option or importer.

    The ``mio`` command exits 2 for it (the command itself was wrong), as for a bad flag.
    """


class WorkspaceError(MioError):
    """A workspace could not be read or written; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        self.problems = sort_problems(problems)
        count = len(self.problems)
        self.summary = summary or f"{count} problem{'s' if count != 1 else ''} in the workspace"
        super().__init__("\n".join([f"{self.summary}:", *(p.format() for p in self.problems)]))


class ConcurrentEditError(MioError):
    """A file changed on disk after the workspace was loaded; saving would overwrite it."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = sorted(files)
        super().__init__(
            "these files changed on disk since the workspace was loaded, so they were not "
            f"overwritten: {', '.join(self.files)}; load the workspace again and redo the change"
        )


class WorkspaceLockedError(MioError):
    """Another process is writing the workspace and did not finish within the timeout."""

    def __init__(self, root: str, holder: dict[str, Any] | None, waited: float) -> None:
        self.root = root
        self.holder = holder or {}
        if holder:
            who = (
                f"`mio {holder.get('command', '?')}` (process {holder.get('pid', '?')} on "
                f"{holder.get('host', '?')}, since {holder.get('since', '?')})"
            )
        else:
            who = "another process"
        super().__init__(
            f"the workspace {root} is being changed by {who}; waited {waited:g} s. Try again "
            "when it has finished (set MIO_LOCK_TIMEOUT to wait longer)"
        )
