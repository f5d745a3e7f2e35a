"""Keep what a plugin prints out of mio's standard output.

mio's standard output is often data that another program reads (``mio evaluate --format
json``, ``mio plugins --json``): a ``print()`` left in a plugin's hook, rule, importer or
exporter must not end up in it. While mio_core calls plugin code, what that code writes to
``sys.stdout`` goes to standard error instead, a line at a time, each line naming the
plugin. A plugin's own ``mio`` subcommand is not called this way: its output is its own.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import TextIO


class _ToStderr(io.TextIOBase):
    """A text stream that writes each line to ``stream`` as a warning naming ``plugin``."""

    def __init__(self, plugin: str, stream: TextIO) -> None:
        super().__init__()
        self.plugin = plugin
        self.stream = stream
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self._emit(line)
        return len(text)

    def _emit(self, line: str) -> None:
        self.stream.write(
            f"mio: warning: plugin {self.plugin!r} printed to standard output: {line}\n"
        )

    def close_pending(self) -> None:
        if self.pending:
            self._emit(self.pending)
            self.pending = ""


@contextlib.contextmanager
def plugin_output(plugin: str) -> Iterator[None]:
    """Run plugin code with its ``sys.stdout`` writes sent to standard error, naming it."""
    redirected = _ToStderr(plugin, sys.stderr)
    try:
        with contextlib.redirect_stdout(redirected):
            yield
    finally:
        redirected.close_pending()
