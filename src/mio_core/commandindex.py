"""An index of the ``mio`` subcommands that plugins add, so ``mio --help`` need not load them.

Listing the plugins' commands means importing every installed plugin and, through them, most
of mio_core (0.4 CPU s); ``mio --help`` alone costs about 40 ms. So the names and help texts
of the plugins' commands, and the warnings loading them printed, are kept in a small JSON file
in the user's cache directory (never a workspace), one per Python interpreter. It is used
only while its key still holds: the mio_core version, the built-in command names, every
``sys.path`` entry with its modification time (installing, upgrading or removing a
distribution adds or removes its ``.dist-info`` there) and the modification time of every
source file of the packages the ``mio_core`` entry points name (an editable plugin being
edited). Anything else — a different key, a missing, unreadable, truncated or malformed
file — means the plugins are loaded as before and the index written again, atomically.

It is not used with ``--plugin``, ``--no-plugin``, ``--strict`` or the ``MIO_PLUGINS``,
``MIO_DISABLE_PLUGINS``, ``MIO_STRICT_PLUGINS`` and ``MIO_NO_CACHE`` variables set: then the
plugins are loaded. Running a command
never reads the index; it only decides what ``mio --help`` lists.

Reading the index imports nothing of mio_core but its version, so that it stays cheap;
writing it happens after the plugins have been loaded anyway.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import click

#: The layout of the index file; a file of another layout is ignored.
FORMAT = 1

#: Environment variables that change which plugins load: with any set, no index is used.
_PLUGIN_VARIABLES = ("MIO_PLUGINS", "MIO_DISABLE_PLUGINS", "MIO_STRICT_PLUGINS", "MIO_NO_CACHE")


def cache_dir() -> str:
    """Return the folder of mio's per-user files: ``$XDG_CACHE_HOME/mio`` (by default
    ``~/.cache/mio``), where the workspace cache's signing key is kept too."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mio")


def index_file() -> str:
    """Return the index file of this Python interpreter (each virtualenv has its own)."""
    tag = zlib.crc32(sys.executable.encode("utf-8", "surrogateescape"))
    return os.path.join(cache_dir(), f"commands-{tag:08x}.json")


def usable(plugins: Sequence[str], disabled: Sequence[str], strict: bool) -> bool:
    """Whether the index may stand in for loading the plugins in this run."""
    if plugins or disabled or strict:
        return False
    return not any(os.environ.get(name, "").strip() for name in _PLUGIN_VARIABLES)


def _stamp(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None


def _key(reserved: Collection[str], files: Iterable[str], path: Sequence[str]) -> dict[str, Any]:
    from . import __version__

    return {
        "format": FORMAT,
        "mio_core": __version__,
        "executable": sys.executable,
        "reserved": sorted(reserved),
        "path": [[entry, _stamp(entry or ".")] for entry in path],
        "files": [[file, _stamp(file)] for file in files],
    }


def plugin_source_files() -> list[str]:
    """Return the source files of the packages the ``mio_core`` entry points name.

    Called when the plugins have been loaded (importlib.metadata is imported by then); a
    plugin that failed to import is found all the same, so fixing it renews the index.
    """
    import importlib.metadata
    import importlib.util

    from .plugins.manager import ENTRY_POINT_GROUP

    files: set[str] = set()
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            spec = importlib.util.find_spec(entry_point.module.split(".")[0])
        except Exception:  # a malformed entry point is the plugin loader's to report
            continue
        if spec is None:
            continue
        if spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                for folder, subfolders, names in os.walk(location):
                    subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
                    files.update(
                        os.path.join(folder, name) for name in names if name.endswith(".py")
                    )
        elif spec.origin and os.path.isfile(spec.origin):
            files.add(spec.origin)
    return sorted(files)


def _entry(name: str, command: click.Command) -> dict[str, Any]:
    deprecated = command.deprecated
    return {
        "name": name,
        "help": None if command.help is None else str(command.help),
        "short_help": None if command.short_help is None else str(command.short_help),
        "hidden": bool(command.hidden),
        "deprecated": deprecated if isinstance(deprecated, str) else bool(deprecated),
    }


def _stand_in(entry: Mapping[str, Any]) -> click.Command:
    """A command that only lists: name and help as the plugin's command has them."""
    return click.Command(
        entry["name"],
        help=entry["help"],
        short_help=entry["short_help"],
        hidden=entry["hidden"],
        deprecated=entry["deprecated"],
    )


def _is_entry(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("name"), str)
        and isinstance(value.get("help"), str | None)
        and isinstance(value.get("short_help"), str | None)
        and isinstance(value.get("hidden"), bool)
        and isinstance(value.get("deprecated"), bool | str)
    )


def read_index(reserved: Collection[str]) -> tuple[dict[str, click.Command], list[str]] | None:
    """Return the plugins' commands (stand-ins that only list) and the warnings loading
    them gave, if the index exists, is well formed and its key still holds; else None."""
    try:
        with open(index_file(), encoding="utf-8") as stream:
            data = json.load(stream)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("key"), dict):
        return None
    key, commands, warnings = data["key"], data.get("commands"), data.get("warnings")
    files = key.get("files")
    if not isinstance(files, list) or not all(
        isinstance(item, list) and item and isinstance(item[0], str) for item in files
    ):
        return None
    if key != _key(reserved, [item[0] for item in files], sys.path):
        return None
    if not isinstance(commands, list) or not all(_is_entry(entry) for entry in commands):
        return None
    if not isinstance(warnings, list) or not all(isinstance(line, str) for line in warnings):
        return None
    return {entry["name"]: _stand_in(entry) for entry in commands}, warnings


def write_index(
    reserved: Collection[str],
    commands: Mapping[str, click.Command],
    warnings: Sequence[str],
    path: Sequence[str],
) -> None:
    """Write the index for these commands and warnings, atomically; a cache directory that
    cannot be written to only means no index (``mio`` works the same, slower).

    ``path`` is ``sys.path`` as it was before the plugins were loaded (a plugin may change
    it when imported; the index is read before any is).
    """
    import tempfile

    data = {
        "key": _key(reserved, plugin_source_files(), path),
        "commands": [_entry(name, command) for name, command in sorted(commands.items())],
        "warnings": list(warnings),
    }
    target = index_file()
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return
