"""The workspace cache under ``.mio/cache/``: a workspace read once, results computed once.

A command on a workspace that did not change since the last command does not parse it
again. For each file the cache keeps what reading it gave (its entities, as the plain values
of the one converter, and their locations), keyed by the file's SHA-256 (size, ``mtime_ns``,
``ctime_ns`` and inode are the fast path), mio_core's code and data and the reading limits;
a changed file is read again alone. Results of whole commands (validation problems, an
evaluation's output) are kept the same way, keyed by every file's hash, the code, the
installed plugins (names and versions) and the command's options; so are the files an
export wrote (:mod:`mio_core.export.kept`). The state of the files a result is kept under
is what reading them gave — each file's entities and where each stands — not their bytes:
an edit that changes only a comment or the layout of a file is read again (that one file)
and finds the results kept before. Results and exports are kept under that state, and
whenever the cache is written those of any other state are deleted
(:meth:`WorkspaceCache.prune`): they never outlive the data they came from.

The cache is an optimisation only: deleting it changes no output, and it is input like any
other. It is JSON, which cannot run code; an entry that is corrupt, truncated, of another
format, for another file or content, or that does not structure into the model is ignored
and rebuilt. It is never read for another workspace: ``.mio/cache/workspace.json`` holds the
workspace's real path and a random id that every entry repeats, and a cache found under
another path (a copied folder) is emptied before use. Files written less than
:data:`RACY_NS` after they changed are always hashed, since a file system's clock is coarse.

``MIO_NO_CACHE=1`` (or ``mio --no-cache``) turns it off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..model import Location, Response
from ..model.common import is_occasion, is_slug
from . import layout
from .converter import _structure_date, structure, unstructure
from .read import (
    PART_KEYS,
    FilePart,
    LoadResult,
    Progress,
    assemble,
    not_a_workspace,
    read_file,
    workspace_files,
)
from .responses import _checked_response
from .yamlio import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from ..plugins.registry import Registry

T = TypeVar("T")

#: The layout of the cache's files; another value is a cache to ignore.
CACHE_FORMAT = 3
#: The environment variable that turns the cache off (``1``, ``true`` or ``yes``).
NO_CACHE_ENV = "MIO_NO_CACHE"
#: A file changed this recently (ns) before it was hashed is hashed again next time.
RACY_NS = 3_000_000_000
_HEX = frozenset("0123456789abcdef")
#: What the index knows of a file: size, mtime_ns, ctime_ns, inode, when it was hashed
#: (ns), its SHA-256, and the digest of what reading it gave ("" until it is read; see
#: :meth:`WorkspaceCache.content`).
_Known = tuple[int, int, int, int, int, str, str]

#: Files parsed while a result's key was worked out (:meth:`WorkspaceCache.inputs` with
#: ``learn``), by (workspace, file, SHA-256, salt), handed to the read that computes the
#: result in the same process instead of being read again; emptied when the result is
#: done (:func:`forget_learned`).
_LEARNED: dict[tuple[str, str, str, str], FilePart] = {}


def forget_learned() -> None:
    """Drop the files parsed for a key and not yet used by a read."""
    _LEARNED.clear()


def cache_disabled() -> bool:
    """Return whether ``MIO_NO_CACHE`` turns the cache off."""
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() in ("1", "true", "yes")


def cache_folder(root: str | os.PathLike[str]) -> Path:
    """Return the cache folder of the workspace at ``root``."""
    return Path(root) / ".mio" / "cache"


def clear_cache(root: str | os.PathLike[str]) -> None:
    """Delete the cache of the workspace at ``root`` (after an erasure, for instance)."""
    shutil.rmtree(cache_folder(root), ignore_errors=True)


def _part_classes() -> dict[str, type[Any]]:
    """Return {key of :data:`PART_KEYS`: the class of its entities}, from the layout."""
    classes: dict[str, type[Any]] = {entry.field: entry.cls for entry in layout.FILES}
    classes["responses"] = Response
    return classes


def _code_stamp(package: Path | None = None) -> str:
    """Return a digest of mio_core's version and files (name, size, mtime): its code and
    its data, such as the built-in instruments, which change what a workspace means.
    ``package`` is mio_core's folder unless given."""
    from .. import __version__

    if package is None:
        package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}".encode())
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(
                f"\0{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()
            )
    return digest.hexdigest()


_RESPONSE_KEYS = frozenset(("respondent", "instrument", "occasion", "date", "answers"))


def _response(value: Any) -> Response:
    """Return a response from the plain values ``unstructure`` made of it, checked as
    strictly as the converter does (text, a date, numbers, text or None by item, no other key),
    only quicker: a national programme keeps a million answers."""
    if type(value) is not dict or not value.keys() <= _RESPONSE_KEYS:
        raise ValueError("not a response")
    answers = value.get("answers", {})
    if type(answers) is not dict:
        raise ValueError("not answers")
    for item, answer in answers.items():
        if type(item) is not str or not (answer is None or type(answer) in (int, float, str)):
            raise ValueError("not an answer")
    date = value.get("date")
    respondent, instrument, occasion = value["respondent"], value["instrument"], value["occasion"]
    if not (
        type(respondent) is str
        and type(instrument) is str
        and type(occasion) is str
        and is_slug(respondent)
        and is_slug(instrument)
        and is_occasion(occasion)
    ):
        raise ValueError("not a response")
    # checked as Response's validators check them: made without checking them again, the
    # ids held once (the same person answers many files); ``answers`` is json's new dict
    return _checked_response(
        sys.intern(respondent),
        sys.intern(instrument),
        sys.intern(occasion),
        None if date is None else _structure_date(date, dt.date),
        answers,
    )


def plugins_stamp(registry: Registry) -> str | None:
    """Return a digest of the plugins (names, versions, origins) and of their code, or None
    when one outside mio_core has no version (a local plugin file can change without one):
    results are then not cached. Built-in plugins are part of mio_core's code stamp.

    A plugin installed editable (``pip install -e``, as a plugin author works) changes its
    rules, sections or instruments without changing its version, so the digest also covers
    the files of every package whose functions the plugins contribute or whose hooks they
    implement (:func:`module_stamp`), and what they contribute that is data (instruments,
    lifecycles) as plain values."""
    rows: list[object] = []
    for info in registry.plugins:
        if info.version is None and not info.name.startswith("mio_core."):
            return None
        rows.append([info.name, info.version, info.origin])
    tops: set[str] = set()
    data: list[object] = []
    for kind, found in sorted(registry.contributions.items()):
        for name, value in sorted(found.items()):
            functions = _functions_of(value)
            tops.update(_top_module(function) for function in functions)
            if not functions:
                try:
                    data.append([kind, name, unstructure(value)])
                except Exception:  # not a value the converter knows: its code is stamped
                    tops.add(type(value).__module__.partition(".")[0])
    for calls in registry.hook_calls.values():
        tops.update(_top_module(call.function) for call in calls)
    tops.discard("mio_core")
    tops.discard("")
    for top in sorted(tops):
        stamp = module_stamp(top)
        if stamp is None:
            return None
        rows.append(["code", top, stamp])
    rows.append(["data", hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()])
    return hashlib.sha256(json.dumps(sorted(rows, key=json.dumps)).encode()).hexdigest()


def _functions_of(value: object) -> list[Callable[..., Any]]:
    """Return ``value`` if it is a function, or the functions among its attrs fields."""
    import attrs

    if callable(value) and not isinstance(value, type) and not attrs.has(type(value)):
        return [value]
    cls = type(value)
    if not attrs.has(cls):
        return []
    found = []
    for field in attrs.fields(cls):
        member = getattr(value, field.name, None)
        if callable(member) and not isinstance(member, type):
            found.append(member)
    return found


def _top_module(function: Callable[..., Any]) -> str:
    return (getattr(function, "__module__", None) or "").partition(".")[0]


def module_stamp(top: str) -> str | None:
    """Return a digest of the files of the top-level package or module ``top`` (names,
    sizes, mtimes; its data files included), or None when it has no file: kept results and
    exports follow a plugin's code even when its version stays the same."""
    import sys

    if top == "mio_core":
        return ""  # mio_core's own code is in every key of the cache already
    file = getattr(sys.modules.get(top), "__file__", None)
    if not file:
        return None
    path = Path(file).resolve()
    if path.name == "__init__.py":
        return _code_stamp(path.parent)
    try:  # a plugin that is one module
        stat = path.stat()
    except OSError:
        return None
    return hashlib.sha256(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()


def _iso_date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be kept in the cache")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _by_bytes(fingerprint: str) -> str:
    """The state of a file whose content is not kept (it has problems, or was not read
    since it changed): its SHA-256, in a digest of its own."""
    return _sha(f"file\0{fingerprint}")


def _is_hex(value: object, length: int = 64) -> bool:
    return isinstance(value, str) and len(value) == length and set(value) <= _HEX


def _load_json(path: Path, key: bytes | None = None) -> Any:
    """Return the JSON in ``path``, or None when it is missing or not JSON at all, or (with
    ``key``) when it does not carry the HMAC that :func:`_write` gave it with that key."""
    try:
        data = path.read_bytes()
        if key is not None:
            mac, _, data = data.partition(b"\n")
            expected = hmac.new(key, data, hashlib.sha256).hexdigest().encode()
            if not hmac.compare_digest(mac, expected):
                return None
        return json.loads(data)
    except (OSError, ValueError, RecursionError):
        return None


def user_key() -> bytes | None:
    """Return this user's secret key for signing caches (created on first use), or None
    when it cannot be kept. It lives outside every workspace, in ``$XDG_CACHE_HOME/mio/``
    (default ``~/.cache/mio/``), so a cache that came with a copied or received workspace
    was signed with another key and is ignored."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "mio" / "cache.key"
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    except OSError:
        return None
    if len(key) == 32:
        return key
    key = secrets.token_bytes(32)
    temporary = path.with_name(f".cache.key.{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(key)
        os.replace(temporary, path)
        return path.read_bytes() if path.stat().st_size == 32 else None
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return None


def _write(path: Path, text: str, key: bytes | None = None) -> None:
    """Write ``text`` to ``path`` through a temporary file (a torn write is never seen);
    with ``key``, after a first line holding its HMAC-SHA256."""
    data = text.encode("utf-8")
    if key is not None:
        data = hmac.new(key, data, hashlib.sha256).hexdigest().encode() + b"\n" + data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


class WorkspaceCache:
    """The cache of one workspace: its files' fingerprints, entries and results.

    ``parsed`` lists the files read from disk (not from the cache) by :meth:`read`.
    """

    def __init__(
        self, root: str | os.PathLike[str], key: bytes, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.root = Path(root)
        self.key = key
        self.real = str(self.root.resolve())
        self.folder = cache_folder(self.root)
        self.limits = limits
        self.code = _code_stamp()
        self.salt = _sha(f"{self.code}\0{limits!r}")
        self.parsed: list[str] = []
        self.id = self._identity()
        self.index = self._load_index()
        self._index_changed = False

    # -- identity and index ---------------------------------------------------------------

    def _identity(self) -> str:
        data = _load_json(self.folder / "workspace.json", self.key)
        if (
            isinstance(data, dict)
            and data.get("format") == CACHE_FORMAT
            and data.get("root") == self.real
            and _is_hex(data.get("id"), 32)
        ):
            return str(data["id"])
        # No cache, a broken one, or one built for another folder: start afresh.
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
        identity = secrets.token_hex(16)
        _write(
            self.folder / "workspace.json",
            json.dumps({"format": CACHE_FORMAT, "root": self.real, "id": identity}),
            self.key,
        )
        _write(self.folder / ".gitignore", "# rebuilt from the workspace's files\n*\n")
        return identity

    def _load_index(self) -> dict[str, _Known]:
        data = _load_json(self.folder / "files.json", self.key)
        index: dict[str, _Known] = {}
        if not isinstance(data, dict) or data.get("id") != self.id:
            return index
        files = data.get("files")
        if not isinstance(files, dict):
            return index
        for file, row in files.items():
            if (
                isinstance(row, list)
                and len(row) == 7
                and all(type(n) is int for n in row[:5])
                and _is_hex(row[5])
                and (row[6] == "" or _is_hex(row[6]))
            ):
                index[file] = (row[0], row[1], row[2], row[3], row[4], row[5], row[6])
        return index

    def _save_index(self) -> None:
        if self._index_changed:
            # Another cache of this workspace in this process (a read inside a result being
            # computed) may have learnt what files hold since this one's index was loaded:
            # that is kept, not overwritten, so the next command does not read them again.
            for file, row in self._load_index().items():
                known = self.index.get(file)
                if known is not None and not known[6] and row[6] and row[5] == known[5]:
                    self.index[file] = (*known[:6], row[6])
            files = {file: list(row) for file, row in self.index.items()}
            data = json.dumps({"id": self.id, "files": files})
            _write(self.folder / "files.json", data, self.key)
            self._index_changed = False

    def fingerprint(self, relative: str) -> str | None:
        """Return the SHA-256 of a workspace file (None if unreadable), hashing it only when
        its size, mtime, ctime or inode changed since it was last hashed, or it was then too
        fresh. The ctime and inode catch a file replaced by one of the same size whose mtime
        was set back (``cp -p``, ``rsync -t``, a restore), which no program can fake."""
        path = self.root / relative
        checked = time.time_ns()
        try:
            stat = path.stat()
            seen = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            known = self.index.get(relative)
            if (
                known is not None
                and known[:4] == seen
                and max(known[1], known[2]) < known[4] - RACY_NS
            ):
                return known[5]
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            self.index.pop(relative, None)
            return None
        content = known[6] if known is not None and known[5] == digest else ""
        self.index[relative] = (*seen, checked, digest, content)
        self._index_changed = True
        return digest

    def fingerprints(self) -> dict[str, str]:
        """Return the SHA-256 of every workspace file on disk now (see :meth:`fingerprint`);
        a file that cannot be read (a folder named like one) counts by a mark saying so, so
        that a kept result does not outlive it, nor one made before it appeared."""
        found = ((file, self.fingerprint(file)) for file in workspace_files(self.root))
        return {file: sha or _unreadable_mark(self.root / file) for file, sha in found}

    def content(self, relative: str, fingerprint: str) -> str | None:
        """Return the digest of what reading ``relative`` gave when its SHA-256 was
        ``fingerprint`` — its entities and their locations, or for a file with problems
        its SHA-256 (its problems are found afresh every time) — or None when it has not
        been read since it changed."""
        known = self.index.get(relative)
        if known is None or known[5] != fingerprint or not known[6]:
            return None
        return known[6]

    def _know_content(self, relative: str, fingerprint: str, content: str) -> None:
        known = self.index.get(relative)
        if known is not None and known[5] == fingerprint and known[6] != content:
            self.index[relative] = (*known[:6], content)
            self._index_changed = True

    def inputs(
        self,
        fingerprints: Mapping[str, str] | None = None,
        *,
        by_content: bool = True,
        learn: bool = False,
        progress: Progress | None = None,
    ) -> str:
        """Return one digest of the state of the workspace's files — their names and what
        reading each gave (:meth:`content`), or with ``by_content=False`` their bytes —: of
        the files on disk now, or of those ``fingerprints`` (a loaded workspace's) name.

        By content, a file not read since it changed counts by its SHA-256, unless
        ``learn``: then it is read now (and kept, and handed to the next read in this
        process; ``progress`` is told of it as the read would), so that an edit of a
        comment leaves the state as it was."""
        if fingerprints is None:
            fingerprints = self.fingerprints()
        if not by_content:
            return _sha(json.dumps(sorted(fingerprints.items())))
        state = {file: self.content(file, sha) for file, sha in fingerprints.items()}
        unknown = [file for file, content in state.items() if content is None] if learn else []
        for done, file in enumerate(unknown, start=1):
            sha = fingerprints[file]
            part = self.cached_part(file, sha)
            if part is None:
                part = read_file(self.root, file, self.limits)
                self.parsed.append(file)
                if part.fingerprint == sha:  # else it changed meanwhile: counts by its hash
                    self.store_part(part)
                    _LEARNED[(self.real, file, sha, self.salt)] = part
            else:  # taken from its entry: the read takes it from here, not from the entry again
                _LEARNED[(self.real, file, sha, self.salt)] = part
            if progress is not None:
                progress(file, done, len(unknown), file in self.parsed)
            state[file] = self.content(file, sha)
        return _sha(
            json.dumps(
                sorted(
                    (file, content or _by_bytes(fingerprints[file]))
                    for file, content in state.items()
                )
            )
        )

    # -- files ----------------------------------------------------------------------------

    def _entry_path(self, relative: str) -> Path:
        return self.folder / "files" / f"{_sha(relative)}.json"

    def cached_part(self, relative: str, fingerprint: str) -> FilePart | None:
        """Return the part of ``relative`` kept for ``fingerprint``, or None."""
        data = _load_json(self._entry_path(relative), self.key)
        try:
            return self._part_from(data, relative, fingerprint)
        except Exception:  # an entry is untrusted input: whatever is wrong, it is ignored
            return None

    def _part_from(self, data: Any, relative: str, fingerprint: str) -> FilePart | None:
        if not (
            isinstance(data, dict)
            and data.get("format") == CACHE_FORMAT
            and data.get("workspace") == self.id
            and data.get("salt") == self.salt
            and data.get("file") == relative
            and data.get("sha256") == fingerprint
            and _is_hex(data.get("content"))
            and isinstance(data.get("values"), dict)
            and isinstance(data.get("locations"), list)
        ):
            return None
        classes = _part_classes()
        values: dict[str, list[Any]] = {}
        for key, plain in data["values"].items():
            if key not in PART_KEYS or not isinstance(plain, list):
                return None
            if key == "responses":
                values[key] = [_response(value) for value in plain]
            else:
                values[key] = [structure(value, classes[key]) for value in plain]
        locations: dict[tuple[str, str], Location] = {}
        for row in data["locations"]:
            kind, entity, path, line = row
            if not (
                isinstance(kind, str)
                and isinstance(entity, str)
                and isinstance(path, list)
                and all(type(step) in (str, int) for step in path)
                and (line is None or type(line) is int)
            ):
                return None
            locations.setdefault(
                (kind, entity), Location(file=relative, path=tuple(path), line=line)
            )
        self._know_content(relative, fingerprint, data["content"])
        return FilePart(file=relative, values=values, locations=locations, fingerprint=fingerprint)

    def store_part(self, part: FilePart) -> None:
        """Keep a part read without problems for the next read, and the digest of what it
        holds (:meth:`content`)."""
        if part.fingerprint is None:
            return
        if part.problems or part.broken:
            self._entry_path(part.file).unlink(missing_ok=True)
            self._know_content(part.file, part.fingerprint, _by_bytes(part.fingerprint))
            return
        values = {
            key: [unstructure(entity) for entity in entities]
            for key, entities in part.values.items()
        }
        locations = [
            [kind, entity, list(location.path), location.line]
            for (kind, entity), location in part.locations.items()
        ]
        try:
            body = json.dumps(
                {"values": values, "locations": locations},
                default=_iso_date,
                ensure_ascii=False,
                allow_nan=False,
            )
        except ValueError:  # a value JSON cannot hold exactly: not kept
            self._entry_path(part.file).unlink(missing_ok=True)
            self._know_content(part.file, part.fingerprint, _by_bytes(part.fingerprint))
            return
        # what reading the file gave, whatever its comments and layout: the file's state
        content = _sha(f"{part.file}\0{body}")
        head = json.dumps(
            {
                "format": CACHE_FORMAT,
                "workspace": self.id,
                "salt": self.salt,
                "file": part.file,
                "sha256": part.fingerprint,
                "content": content,
            }
        )
        _write(self._entry_path(part.file), f"{head[:-1]}, {body[1:]}", self.key)
        self._know_content(part.file, part.fingerprint, content)

    def read(self, progress: Progress | None = None) -> LoadResult:
        """Read the workspace, taking unchanged files from the cache."""
        if not self.root.is_dir():
            return not_a_workspace(self.root)
        files = workspace_files(self.root)
        parts = []
        for done, relative in enumerate(files, start=1):
            fingerprint = self.fingerprint(relative)
            part = None
            if fingerprint:
                # parsed just now for a result's key (and reported then), or kept
                part = _LEARNED.pop((self.real, relative, fingerprint, self.salt), None)
                if part is None:
                    part = self.cached_part(relative, fingerprint)
            parsed = part is None
            if part is None:
                part = read_file(self.root, relative, self.limits)
                self.parsed.append(relative)
                if part.fingerprint != fingerprint:  # changed while being read
                    self.index.pop(relative, None)
                self.store_part(part)
            parts.append(part)
            if progress is not None:
                progress(relative, done, len(files), parsed)
        self._forget(set(files))
        self._save_index()
        found = {part.file: part.fingerprint for part in parts if part.fingerprint is not None}
        self.prune(found)
        return assemble(self.root, parts)

    def _forget(self, present: set[str]) -> None:
        for file in [file for file in self.index if file not in present]:
            del self.index[file]
            self._entry_path(file).unlink(missing_ok=True)
            self._index_changed = True

    # -- results --------------------------------------------------------------------------

    def _result_path(
        self, kind: str, options: Mapping[str, Any], inputs: str, folder: str = "results"
    ) -> Path:
        """Return where a result is kept: named by its kind and options and by the state of
        the files it came from (``inputs``), so :meth:`prune` can drop it when that state
        no longer exists."""
        name = _sha(json.dumps([kind, sorted(options.items())], default=str))
        return self.folder / folder / f"{name}.{inputs[:16]}.json"

    def _result_key(self, plugins: str, options: Mapping[str, Any], inputs: str) -> str:
        return _sha(json.dumps([self.salt, plugins, inputs, sorted(options.items())], default=str))

    def prune(self, fingerprints: Mapping[str, str] | None = None) -> None:
        """Delete every kept result and export that came from another state of the files
        than theirs now — by content or by bytes (see :meth:`inputs`) — or of those
        ``fingerprints`` name, and every export file no kept export uses: a result, and
        above all a pseudonymised export, never outlives the data it came from. Called
        whenever the cache is written."""
        if fingerprints is None:
            fingerprints = self.fingerprints()
        tags = {
            self.inputs(fingerprints)[:16],
            self.inputs(fingerprints, by_content=False)[:16],
        }
        live: set[str] = set()
        for folder in ("results", "exports"):
            with contextlib.suppress(OSError):
                for path in (self.folder / folder).iterdir():
                    if path.name.startswith(".") or not path.is_file():
                        continue  # a temporary file being written, or the blobs folder
                    parts = path.name.split(".")
                    if len(parts) != 3 or parts[1] not in tags:
                        path.unlink(missing_ok=True)
                    elif folder == "exports":
                        record = _load_json(path, self.key)
                        with contextlib.suppress(Exception):
                            live.update(row[1] for row in record["files"])
        with contextlib.suppress(OSError):
            for blob in (self.folder / "exports" / "blobs").iterdir():
                if not blob.name.startswith(".") and blob.name not in live:
                    blob.unlink(missing_ok=True)

    # -- kept exports ---------------------------------------------------------------------

    def export_key(
        self, registry: Registry, options: Mapping[str, Any], progress: Progress | None = None
    ) -> tuple[str, str] | None:
        """Return (the state of the files on disk, the key) an export with ``options`` is
        kept under, or None when it cannot be kept (a plugin without a version). Files not
        read since they changed are read for it (see :meth:`inputs`); call
        :func:`forget_learned` when done."""
        plugins = plugins_stamp(registry)
        if plugins is None:
            return None
        inputs = self.inputs(learn=True, progress=progress)
        self._save_index()
        return inputs, self._result_key(plugins, options, inputs)

    def kept_export(self, slot: Mapping[str, Any], inputs: str, key: str) -> dict[str, Any] | None:
        """Return the record of the export kept for ``key`` (see :meth:`keep_export`), or
        None. Its files are checked against their SHA-256 when they are copied out
        (:meth:`copy_blob`)."""
        data = _load_json(self._result_path("export", slot, inputs, "exports"), self.key)
        if not (
            isinstance(data, dict)
            and data.get("format") == CACHE_FORMAT
            and data.get("workspace") == self.id
            and data.get("key") == key
            and isinstance(data.get("files"), list)
            and isinstance(data.get("counts"), dict)
            and all(type(n) is int for n in data["counts"].values())
            and isinstance(data.get("time"), dict)
            and all(
                used in ("date", "time") and isinstance(value, str)
                for used, value in data["time"].items()
            )
        ):
            return None
        for row in data["files"]:
            if not (
                isinstance(row, list)
                and len(row) == 3
                and isinstance(row[0], str)
                and _is_hex(row[1])
                and type(row[2]) is int
            ):
                return None
        return data

    def keep_export(
        self,
        slot: Mapping[str, Any],
        inputs: str,
        key: str,
        files: list[tuple[str, str, int]],
        counts: Mapping[str, int],
        time: Mapping[str, str],
    ) -> None:
        """Keep the record of an export whose files (name, SHA-256, size) :meth:`keep_blob`
        kept, with the audit log's counts and the generation time it used."""
        record = {
            "format": CACHE_FORMAT,
            "workspace": self.id,
            "key": key,
            "files": [list(row) for row in files],
            "counts": dict(counts),
            "time": dict(time),
        }
        path = self._result_path("export", slot, inputs, "exports")
        _write(path, json.dumps(record, ensure_ascii=False), self.key)
        self.prune()

    def keep_blob(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Keep the bytes ``chunks`` give as an export file; return their SHA-256 and size."""
        folder = self.folder / "exports" / "blobs"
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{secrets.token_hex(8)}.tmp"
        digest = hashlib.sha256()
        size = 0
        try:
            with temporary.open("wb") as stream:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    stream.write(chunk)
            os.replace(temporary, folder / digest.hexdigest())
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        return digest.hexdigest(), size

    def copy_blob(self, sha: str, size: int, write: Callable[[bytes], object]) -> bool:
        """Give the kept export file ``sha`` to ``write`` chunk by chunk; return whether it
        was whole and unchanged (else what was written must be thrown away)."""
        digest = hashlib.sha256()
        seen = 0
        try:
            with (self.folder / "exports" / "blobs" / sha).open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
                    seen += len(chunk)
                    write(chunk)
        except OSError:
            return False
        return seen == size and hmac.compare_digest(digest.hexdigest(), sha)

    def result(
        self,
        kind: str,
        options: Mapping[str, Any],
        registry: Registry,
        compute: Callable[[], T],
        dump: Callable[[T], Any],
        load: Callable[[Any], T],
        fingerprints: Mapping[str, str] | None = None,
        progress: Progress | None = None,
        *,
        by_content: bool = True,
    ) -> T:
        """Return ``compute()``, or what it returned before for the same state of the
        files (see :meth:`inputs`; ``by_content=False`` for a result that depends on the
        files' bytes, such as problems that name lines), code, plugins and ``options``.
        ``dump`` makes it plain values (JSON); ``load`` makes them back, raising on anything
        malformed (then it is computed again). ``fingerprints`` names the files ``compute``
        works on when it does not read them itself (a loaded workspace's
        :attr:`~mio_core.model.Origin.fingerprints`); else, by content, a file changed since
        it was last read is read first (``progress`` is told), and the read in ``compute``
        takes it from there."""
        plugins = plugins_stamp(registry)
        if plugins is None:
            return compute()
        try:
            learn = by_content and fingerprints is None
            inputs = self.inputs(
                fingerprints, by_content=by_content, learn=learn, progress=progress
            )
            key = self._result_key(plugins, options, inputs)
            self._save_index()
            path = self._result_path(kind, options, inputs)
            data = _load_json(path, self.key)
            if (
                isinstance(data, dict)
                and data.get("format") == CACHE_FORMAT
                and data.get("workspace") == self.id
                and data.get("key") == key
            ):
                try:
                    return load(data.get("value"))
                except Exception:  # untrusted: compute again
                    pass
            value = compute()
        finally:
            forget_learned()
        now = self.fingerprints() if fingerprints is None else fingerprints
        if (
            fingerprints is not None
            or self._result_key(plugins, options, self.inputs(now, by_content=by_content)) == key
        ):  # nothing changed meanwhile
            record = {"format": CACHE_FORMAT, "workspace": self.id, "key": key}
            text = json.dumps({**record, "value": dump(value)}, ensure_ascii=False)
            _write(path, text, self.key)
            self.prune(now)
        self._save_index()
        return value


def open_cache(
    root: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> WorkspaceCache | None:
    """Return the cache of the workspace at ``root``, or None when ``MIO_NO_CACHE`` is set,
    ``root`` is not a folder or there is no key to sign the cache with."""
    if cache_disabled() or not Path(root).is_dir():
        return None
    folder = cache_folder(root)
    for path in (
        folder.parent,
        folder,
        folder / "files",
        folder / "results",
        folder / "exports",
        folder / "exports" / "blobs",
    ):
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            return None  # never write through a link out of the workspace
    key = user_key()
    if key is None:
        return None
    return WorkspaceCache(root, key, limits)


def read_cached(
    root: str | os.PathLike[str],
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> LoadResult:
    """Read the workspace at ``root`` through its cache (see :func:`read_workspace`)."""
    from .read import _read_workspace

    cache = open_cache(root, limits)
    if cache is None:
        return _read_workspace(root, limits, progress)
    return cache.read(progress)


def cached_result(
    root: str | os.PathLike[str],
    kind: str,
    options: Mapping[str, Any],
    registry: Registry,
    compute: Callable[[], T],
    dump: Callable[[T], Any],
    load: Callable[[Any], T],
    fingerprints: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    *,
    by_content: bool = True,
) -> T:
    """Return ``compute()`` for the workspace at ``root``, through its cache when it is on
    (see :meth:`WorkspaceCache.result`)."""
    cache = open_cache(root)
    if cache is None:
        return compute()
    return cache.result(
        kind, options, registry, compute, dump, load, fingerprints, progress, by_content=by_content
    )


def _unreadable_mark(path: Path) -> str:
    """Stand in for the SHA-256 of a file that cannot be read; never a hex digest."""
    return "unreadable:folder" if path.is_dir() else "unreadable:file"
