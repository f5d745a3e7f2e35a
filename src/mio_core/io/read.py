"""Reading a workspace folder into the model, as far as it can be read, with located problems.

What is read from where comes from :data:`mio_core.io.layout.FILES`.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ..model import (
    ItemKind,
    Location,
    Origin,
    Response,
    Workspace,
)
from ..problems import Problem, Severity, WorkspaceError
from . import layout
from .cells import item_answer
from .converter import FieldError, structure_problems
from .responses import read_responses
from .yamlio import DEFAULT_LIMITS, Limits, Locator, YamlProblem, decode, parse_yaml

if TYPE_CHECKING:
    from ..plugins.registry import Registry

T = TypeVar("T")


def response_key(response: Response) -> str:
    """Return the id under which a response's location is kept: instrument|occasion|respondent."""
    return f"{response.instrument}|{response.occasion}|{response.respondent}"


@attrs.frozen(kw_only=True)
class LoadResult:
    """A workspace read as far as it could be, with every problem met on the way.

    ``workspace`` is None when the manifest or the concept could not be read. ``broken``
    holds the (kind, id) of entities that were present but unreadable — (kind, ``"*"``)
    when a whole file of them was — so that references to them are not reported again.
    """

    workspace: Workspace | None
    problems: tuple[Problem, ...]
    broken: frozenset[tuple[str, str]] = frozenset()

    @property
    def ok(self) -> bool:
        """Whether nothing in the files is an error."""
        return not any(p.severity is Severity.ERROR for p in self.problems)


class _Reader:
    """Reads the files of one workspace, collecting problems, locations and fingerprints."""

    def __init__(self, root: Path, limits: Limits) -> None:
        self.root = root
        self.limits = limits
        self.problems: list[Problem] = []
        self.locations: dict[tuple[str, str], Location] = {}
        self.fingerprints: dict[str, str] = {}
        self.broken: set[tuple[str, str]] = set()
        self.texts: dict[str, str] = {}

    def read_text(self, relative: str) -> str | None:
        path = self.root / relative
        if self.misspelt(relative):
            return None
        if path.is_dir():
            self.problems.append(
                Problem(
                    file=relative,
                    code="unreadable",
                    message="this is a folder, not a file: move what it holds out and remove it",
                )
            )
            return None
        try:
            size = path.stat().st_size
            if size > self.limits.max_file_bytes:
                self.problems.append(
                    Problem(
                        file=relative,
                        code="file-too-large",
                        message=f"the file has {size:,} bytes; the limit is "
                        f"{self.limits.max_file_bytes:,}",
                    )
                )
                return None
            data = path.read_bytes()
        except OSError as exc:
            self.problems.append(
                Problem(file=relative, code="unreadable", message=f"cannot read: {exc.strerror}")
            )
            return None
        self.fingerprints[relative] = hashlib.sha256(data).hexdigest()
        try:
            text = decode(data, relative, self.limits)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            return None
        self.texts[relative] = text
        return text

    def misspelt(self, relative: str) -> bool:
        """Report a file that is not read because of its suffix; return whether it was one."""
        name = relative.rsplit("/", 1)[-1]
        right = next((suffix for suffix in (".csv", ".yaml") if _spelt_like(name, suffix)), "")
        if not right or name.endswith(right):
            return False
        stem = name[: name.rfind(".")]
        self.problems.append(
            Problem(
                file=relative,
                code="file-name",
                message=f"mio reads only files whose names end in {right}, so this one is "
                f"not read: rename it {stem}{right}",
            )
        )
        return True

    def read_yaml(self, relative: str, required: bool = True, kinds: Iterable[str] = ()) -> Any:
        path = self.root / relative
        if not path.is_file() and not path.is_dir():  # read_text names a folder
            if required:
                self.problems.append(
                    Problem(file=relative, code="missing-file", message=_why_missing(path))
                )
            return None
        text = self.read_text(relative)
        data = None
        if text is not None:
            try:
                data = parse_yaml(text, relative, self.limits)
            except YamlProblem as exc:
                self.problems.append(exc.problem)
                text = None
        if text is None:
            # The whole file is unreadable: what it holds is unknown, not missing.
            self.broken.update((kind, "*") for kind in kinds)
            return None
        if data is None:
            self.problems.append(
                Problem(file=relative, code="empty-file", message="the file is empty", line=1)
            )
        return data

    def structure(
        self, data: Any, cls: type[T], file: str, path: tuple[str | int, ...]
    ) -> T | None:
        def report(error: FieldError) -> None:
            self.problems.append(
                Problem(file=file, code=error.code, message=error.message, path=path + error.path)
            )

        return structure_problems(data, cls, report)

    def mapping(self, data: Any, file: str, keys: Iterable[str]) -> dict[str, Any]:
        """Check a file's top level is a mapping of the expected keys; return it."""
        if data is None:
            return {}
        keys = tuple(keys)
        if not isinstance(data, dict):
            self.problems.append(
                Problem(
                    file=file,
                    code="wrong-type",
                    message=f"the file must be a mapping with the keys {', '.join(keys)}",
                    line=1,
                )
            )
            return {}
        for key in data:
            if key not in keys:
                self.problems.append(
                    Problem(
                        file=file,
                        code="unknown-key",
                        message=f"unknown key {key!r}; this file may hold {', '.join(keys)}",
                        path=(str(key),),
                    )
                )
        return data

    def entity_list(self, data: dict[str, Any], entry: layout.Files, file: str) -> list[Any]:
        kind, cls, key = entry.kind, entry.cls, str(entry.key)
        values = data.get(key)
        if values is None:
            return []
        if not isinstance(values, list):
            self.problems.append(
                Problem(
                    file=file,
                    code="wrong-type",
                    message=f"{key} must be a list",
                    path=(key,),
                )
            )
            return []
        entities = []
        for index, value in enumerate(values):
            entity = self.structure(value, cls, file, (key, index))
            entity_id = value.get("id") if isinstance(value, dict) else None
            if entity is None:
                if isinstance(entity_id, str):
                    self.broken.add((kind, entity_id))
                continue
            self.locations.setdefault((kind, entity.id), Location(file=file, path=(key, index)))
            entities.append(entity)
        return entities

    def single(self, relative: str, cls: type[T], kind: str) -> T | None:
        data = self.read_yaml(relative)
        if data is None:
            self.broken.add((kind, Path(relative).stem))
            return None
        entity = self.structure(data, cls, relative, ())
        entity_id = data.get("id") if isinstance(data, dict) else None
        if entity is None:
            if isinstance(entity_id, str):
                self.broken.add((kind, entity_id))
            return None
        self.locations.setdefault((kind, getattr(entity, "id", "")), Location(file=relative))
        return entity

    def folder(self, name: str, suffix: str) -> list[str]:
        folder = self.root / name
        if not folder.is_dir():
            return []
        return sorted(
            f"{name}/{entry.name}"
            for entry in folder.iterdir()
            # A folder named like a file, and a file whose name ends in another spelling of
            # the suffix (.CSV, .yml), are listed too, so that they are reported, not skipped.
            if (entry.is_file() or entry.is_dir())
            and _spelt_like(entry.name, suffix)
            and not entry.name.startswith(".")
        )


def _spelt_like(name: str, suffix: str) -> bool:
    """Whether ``name`` ends in ``suffix`` spelt in any case (or .yml for .yaml)."""
    folded = name.lower()
    return folded.endswith(suffix) or (suffix == ".yaml" and folded.endswith(".yml"))


def _why_missing(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return (
            f"this file is a symbolic link to {os.readlink(path)}, which does not exist; "
            "every workspace needs the file"
        )
    return "this file is missing; every workspace needs it"


def locate_problems(
    problems: Iterable[Problem],
    root: str | os.PathLike[str],
    texts: dict[str, str] | None = None,
) -> list[Problem]:
    """Return ``problems`` with line and column filled in from their YAML field paths.

    Files are read (or taken from ``texts``) and composed once each, only when a problem
    in them lacks a line.
    """
    texts = {} if texts is None else texts
    locators: dict[str, Locator | None] = {}
    headers: dict[str, list[str]] = {}
    located = []
    for problem in problems:
        file = problem.file
        if problem.line is None and file and file.endswith((".yaml", ".yml")):
            if file not in locators:
                text = texts.get(file)
                if text is None:
                    try:
                        text = (Path(root) / file).read_text(encoding="utf-8-sig")
                    except (OSError, UnicodeDecodeError):
                        text = None
                locators[file] = Locator(text) if text is not None else None
            locator = locators[file]
            where = locator.find(problem.path) if locator is not None else None
            if where is not None:
                problem = attrs.evolve(problem, line=where[0], column=where[1])
        elif problem.column is None and file and file.endswith(".csv") and problem.path:
            if file not in headers:
                headers[file] = _csv_header(Path(root) / file)
            header = headers[file]
            if str(problem.path[0]) in header:
                problem = attrs.evolve(problem, column=header.index(str(problem.path[0])) + 1)
        located.append(problem)
    return located


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return [name.strip() for name in next(csv.reader(stream), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


#: Called after each file read: (file, files done, files in all, whether it was parsed
#: rather than taken from the cache).
Progress = Callable[[str, int, int, bool], None]


def read_workspace(
    path: str | os.PathLike[str],
    limits: Limits = DEFAULT_LIMITS,
    *,
    cache: bool = False,
    progress: Progress | None = None,
    registry: Registry | None = None,
) -> LoadResult:
    """Read the workspace folder at ``path`` as far as possible, never raising on bad files.

    Every problem in every file is in the result, located by file, line and column. Use
    :func:`load_workspace` when a workspace with problems should be an error. With
    ``cache=True`` files that did not change since an earlier read come from the
    workspace's cache (``.mio/cache/``, see :mod:`mio_core.io.cache`); the result is the same.
    ``progress`` is called after each file (see :data:`Progress`).

    A cell written as a number in another way than the workspace writes numbers (``007``,
    ``4,0``, ``1e3``) is that number for a scale or choice item and its text, as written,
    for a text item (:func:`~mio_core.io.cells.item_answer`). The items are the
    workspace's own instruments' and, when such a cell answers another instrument,
    ``registry``'s (the installed plugins', :func:`~mio_core.plugins.load_registry`, when
    None).
    """
    _expect_limits(limits)
    if cache:
        from .cache import read_cached

        result = read_cached(path, limits, progress)
    else:
        result = _read_workspace(path, limits, progress)
    return answers_by_kind(result, registry)


def _expect_limits(limits: object) -> None:
    """Raise TypeError for ``limits`` that are not :class:`Limits`: a registry given second,
    where validate_workspace takes it, is named as one to give as ``registry=``."""
    if not isinstance(limits, Limits):
        from ..plugins.registry import Registry as _Registry

        hint = "; give the registry as registry=..." if isinstance(limits, _Registry) else ""
        raise TypeError(f"the second argument is the Limits, not a {type(limits).__name__}{hint}")


#: How a text that may be a number written another way starts ("007", "+4", "−1", "1e3").
_NUMBER_START = frozenset("0123456789+-\u2212")


def answers_by_kind(result: LoadResult, registry: Registry | None = None) -> LoadResult:
    """Return ``result`` with every answer as its item reads it (see :func:`read_workspace`).

    The reader and the cache keep a cell as written when it is not a number as the
    workspace writes numbers; such a cell becomes its number unless it answers a text item.
    A text item's answer is always text: one written as a plain number (``12``) becomes
    that text when the item is known without loading plugins (an instrument of the
    workspace or of ``registry``); otherwise it stays the number, whose text is the same.
    """
    workspace = result.workspace
    if workspace is None:
        return result
    known = dict(registry.instruments_for(workspace)) if registry is not None else {}
    for own in workspace.instruments:
        known.setdefault(own.id, own)
    kinds = {i.id: {item.id: item.kind for item in i.items} for i in known.values()}
    texts = {
        instrument: frozenset(item for item, kind in by_item.items() if kind is ItemKind.TEXT)
        for instrument, by_item in kinds.items()
    }
    loaded = registry is not None

    def kind_of(instrument: str, item: str) -> ItemKind | None:
        nonlocal loaded
        if instrument not in kinds and not loaded:
            from ..plugins.manager import load_registry

            loaded = True
            for found in load_registry().instruments_for(workspace).values():
                kinds.setdefault(found.id, {q.id: q.kind for q in found.items})
        return kinds.get(instrument, {}).get(item)

    responses = list(workspace.responses)
    changed = False
    for index, response in enumerate(responses):
        answers: dict[str, Any] | None = None
        text_items = texts.get(response.instrument)
        for item, value in response.answers.items():
            if value.__class__ is str:
                if value[0] not in _NUMBER_START:
                    continue
                read = item_answer(value, kind_of(response.instrument, item))
            elif value is not None and text_items and item in text_items:
                read = item_answer(value, ItemKind.TEXT)
            else:
                continue
            if read is not value:
                answers = dict(response.answers) if answers is None else answers
                answers[item] = read
        if answers is not None:
            responses[index] = attrs.evolve(response, answers=answers)
            changed = True
    if not changed:
        return result
    return attrs.evolve(result, workspace=attrs.evolve(workspace, responses=tuple(responses)))


#: The keys of a :class:`FilePart`'s values: the :class:`~mio_core.model.Workspace` fields
#: of :data:`~mio_core.io.layout.FILES`, in reading order, then ``responses``.
PART_KEYS: tuple[str, ...] = (*dict.fromkeys(entry.field for entry in layout.FILES), "responses")

#: The fields that hold one entity of one fixed file (the manifest, the concept).
_SINGLE_FIELDS = frozenset(
    entry.field for entry in layout.FILES if entry.key is None and entry.folder is None
)


@attrs.define
class FilePart:
    """What one file of a workspace holds: its entities by field, their locations, its
    problems.

    ``values`` maps a key of :data:`PART_KEYS` to the entities read from the file.
    """

    file: str
    values: dict[str, list[Any]] = attrs.Factory(dict)
    problems: list[Problem] = attrs.Factory(list)
    locations: dict[tuple[str, str], Location] = attrs.Factory(dict)
    broken: set[tuple[str, str]] = attrs.Factory(set)
    fingerprint: str | None = None
    text: str | None = None


def workspace_files(root: Path) -> list[str]:
    """Return the files a workspace is read from, relative to ``root``, in reading order:
    those :data:`~mio_core.io.layout.FILES` names, then the responses files."""
    reader = _Reader(root, DEFAULT_LIMITS)
    files: list[str] = []
    for pattern, entries in layout.by_pattern().items():
        folder = entries[0].folder
        files.extend(reader.folder(folder, ".yaml") if folder is not None else [pattern])
    files.extend(reader.folder(layout.RESPONSES, ".csv"))
    return files


def _entries_of(relative: str) -> tuple[layout.Files, ...]:
    """Return the entries of :data:`~mio_core.io.layout.FILES` that ``relative`` holds
    (none for a responses file)."""
    folder = relative.split("/", 1)[0] if "/" in relative else None
    for pattern, entries in layout.by_pattern().items():
        if pattern == relative or (folder is not None and entries[0].folder == folder):
            return entries
    return ()


def read_file(root: Path, relative: str, limits: Limits = DEFAULT_LIMITS) -> FilePart:
    """Read one file of the workspace at ``root`` (one of :func:`workspace_files`)."""
    reader = _Reader(root, limits)
    values: dict[str, list[Any]] = {}
    entries = _entries_of(relative)
    if not entries:
        values["responses"] = _read_responses_file(reader, relative, limits)
    elif entries[0].key is None:  # one entity a file
        [entry] = entries
        found = reader.single(relative, entry.cls, entry.kind)
        values[entry.field] = [found] if found is not None else []
    else:
        kinds = tuple(entry.kind for entry in entries)
        keys = tuple(str(entry.key) for entry in entries)
        data = reader.mapping(reader.read_yaml(relative, kinds=kinds), relative, keys)
        for entry in entries:
            values[entry.field] = reader.entity_list(data, entry, relative)
    return FilePart(
        file=relative,
        values=values,
        problems=reader.problems,
        locations=reader.locations,
        broken=reader.broken,
        fingerprint=reader.fingerprints.get(relative),
        text=reader.texts.get(relative),
    )


def _read_responses_file(reader: _Reader, file: str, limits: Limits) -> list[Response]:
    if reader.misspelt(file):
        return []
    parsed = layout.parse_responses_file(file.split("/", 1)[1])
    if parsed is None:
        reader.problems.append(
            Problem(
                file=file,
                code="responses-file-name",
                message="a responses file is named <instrument>.<occasion>.csv, e.g. "
                "mio-module-evaluation.module.m1.csv or mio-utilisation.follow-up.6m.csv",
            )
        )
        return []
    text = reader.read_text(file)
    if text is None:
        return []
    rows, problems = read_responses(text, file, parsed[0], parsed[1], limits)
    reader.problems.extend(problems)
    responses = []
    for response, line in rows:
        reader.locations.setdefault(
            ("response", response_key(response)), Location(file=file, line=line)
        )
        responses.append(response)
    return responses


def _read_workspace(
    path: str | os.PathLike[str], limits: Limits, progress: Progress | None = None
) -> LoadResult:
    # see read_workspace
    root = Path(path)
    if not root.is_dir():
        return not_a_workspace(root)
    files = workspace_files(root)
    parts = []
    for done, file in enumerate(files, start=1):
        parts.append(read_file(root, file, limits))
        if progress is not None:
            progress(file, done, len(files), True)
    return assemble(root, parts)


def not_a_workspace(root: Path) -> LoadResult:
    """Return the result of reading a folder that does not exist (or is a file)."""
    message = "a file, not a folder" if root.exists() else "no such folder"
    problem = Problem(file=str(root), code="not-a-workspace", message=message)
    return LoadResult(workspace=None, problems=(problem,))


def assemble(root: Path, parts: Iterable[FilePart]) -> LoadResult:
    """Return the workspace at ``root`` made of its files' ``parts``, in reading order."""
    values: dict[str, list[Any]] = {key: [] for key in PART_KEYS}
    problems: list[Problem] = []
    locations: dict[tuple[str, str], Location] = {}
    fingerprints: dict[str, str] = {}
    broken: set[tuple[str, str]] = set()
    texts: dict[str, str] = {}
    for part in parts:
        for key, entities in part.values.items():
            values[key].extend(entities)
        problems.extend(part.problems)
        for where, location in part.locations.items():
            locations.setdefault(where, location)
        if part.fingerprint is not None:
            fingerprints[part.file] = part.fingerprint
        broken.update(part.broken)
        if part.text is not None:
            texts[part.file] = part.text
    fields: dict[str, Any] = {
        key: (found[0] if found else None) if key in _SINGLE_FIELDS else tuple(found)
        for key, found in values.items()
    }
    workspace = None
    if all(fields[key] is not None for key in _SINGLE_FIELDS):
        workspace = Workspace(
            **fields,
            origin=Origin(root=str(root.resolve()), locations=locations, fingerprints=fingerprints),
        )
    return LoadResult(
        workspace=workspace,
        problems=tuple(locate_problems(problems, root, texts)),
        broken=frozenset(broken),
    )


def load_workspace(
    path: str | os.PathLike[str],
    limits: Limits = DEFAULT_LIMITS,
    *,
    cache: bool = False,
    progress: Progress | None = None,
    registry: Registry | None = None,
) -> Workspace:
    """Return the workspace in the folder ``path``.

    Raises :class:`~mio_core.WorkspaceError` listing every problem when a file cannot be
    read as the model (syntax, types, unknown keys, missing fields, impossible values).
    Cross-entity rules (references, duplicates) are checked by
    :func:`mio_core.validate_workspace`, not here. ``cache``, ``progress`` and
    ``registry`` are as for :func:`read_workspace`.
    """
    result = read_workspace(path, limits, cache=cache, progress=progress, registry=registry)
    if not result.ok or result.workspace is None:
        raise WorkspaceError(result.problems, summary=f"cannot load the workspace {path}")
    return result.workspace
