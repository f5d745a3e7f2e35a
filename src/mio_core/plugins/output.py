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
import threading
from collections.abc import Iterator
from typing import TextIO


class _Dispatcher(io.TextIOBase):
    """Stands in for ``sys.stdout`` while some thread runs plugin code: a thread running a
    plugin writes each line to standard error as a warning naming it; any other thread
    (an application that embeds mio_core runs its own) writes to the stream it replaced."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target
        self.local = threading.local()

    def writable(self) -> bool:
        return True

    def _calls(self) -> list[list[str]]:
        # [plugin, pending text] of the plugin calls this thread is in, innermost last
        calls: list[list[str]] | None = getattr(self.local, "calls", None)
        if calls is None:
            calls = self.local.calls = []
        return calls

    def write(self, text: str) -> int:
        calls = self._calls()
        if not calls:
            return self.target.write(text)
        call = calls[-1]
        call[1] += text
        *lines, call[1] = call[1].split("\n")
        for line in lines:
            _emit(call[0], line)
        return len(text)

    def flush(self) -> None:
        if not self._calls():
            self.target.flush()


def _emit(plugin: str, line: str) -> None:
    sys.stderr.write(f"mio: warning: plugin {plugin!r} printed to standard output: {line}\n")


_LOCK = threading.Lock()
_active = 0  # plugin calls running now, in every thread


@contextlib.contextmanager
def plugin_output(plugin: str) -> Iterator[None]:
    """Run plugin code with its ``sys.stdout`` writes sent to standard error, naming it.

    ``sys.stdout`` is one for the whole process, so it is replaced once, by a dispatcher,
    while any thread runs plugin code, and given back when none does (unless something
    else replaced it meanwhile); what other threads print goes where it went before."""
    global _active
    with _LOCK:
        current = sys.stdout
        dispatcher = current if isinstance(current, _Dispatcher) else _Dispatcher(current)
        sys.stdout = dispatcher
        _active += 1
    calls = dispatcher._calls()
    calls.append([plugin, ""])
    try:
        yield
    finally:
        _, pending = calls.pop()
        if pending:
            _emit(plugin, pending)
        with _LOCK:
            _active -= 1
            if not _active and sys.stdout is dispatcher:
                sys.stdout = dispatcher.target
