"""Reading a workspace folder into the model, and writing the model back as files."""

from __future__ import annotations

import csv
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..gcpause import paused_gc
from ..model import (
    Cohort,
    Concept,
    Instrument,
    Location,
    Manifest,
    Origin,
    Response,
    Workspace,
)
from ..problems import ConcurrentEditError, Problem, Severity, WorkspaceError
from . import layout
from .atomic import atomic_open, atomic_write
from .converter import FieldError, structure_problems, unstructure
from .lock import holding_workspace_lock
from .responses import read_responses
from .saving import LIST_KINDS as _LIST_KINDS
from .saving import canonical_text, new_text
from .yamlio import DEFAULT_LIMITS, Limits, Locator, YamlProblem, decode, parse_yaml

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

    def read_yaml(self, relative: str, required: bool = True, kinds: Iterable[str] = ()) -> Any:
        if not (self.root / relative).is_file():
            if required:
                self.problems.append(
                    Problem(
                        file=relative,
                        code="missing-file",
                        message="this file is missing; every workspace needs it",
                    )
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

    def entity_list(self, data: dict[str, Any], key: str, file: str) -> list[Any]:
        kind, cls = _LIST_KINDS[key]
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
            if entry.is_file() and entry.name.endswith(suffix) and not entry.name.startswith(".")
        )


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
) -> LoadResult:
    """Read the workspace folder at ``path`` as far as possible, never raising on bad files.

    Every problem in every file is in the result, located by file, line and field. Use
    :func:`load_workspace` when a workspace with problems should be an error. With
    ``cache=True`` files that did not change since an earlier read come from the
    workspace's cache (``.mio/cache/``, see :mod:`mio_core.io.cache`); the result is the same.
    ``progress`` is called after each file (see :data:`Progress`).
    """
    with paused_gc():
        if cache:
            from .cache import read_cached

            return read_cached(path, limits, progress)
        return _read_workspace(path, limits, progress)


#: The keys of a :class:`FilePart`'s values, in the order of the Workspace's fields.
PART_KEYS = (
    "manifest",
    "concept",
    "organisations",
    "participants",
    "coaches",
    "facilitators",
    "cohorts",
    "instruments",
    "engagements",
    "projects",
    "responses",
)


@attrs.define
class FilePart:
    """What one file of a workspace holds: its entities by kind, their locations, its problems.

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
    """Return the files a workspace is read from, relative to ``root``, in reading order."""
    reader = _Reader(root, DEFAULT_LIMITS)
    return [
        layout.MANIFEST,
        layout.CONCEPT,
        layout.ORGANISATIONS,
        layout.PEOPLE,
        *reader.folder(layout.COHORTS, ".yaml"),
        *reader.folder(layout.INSTRUMENTS, ".yaml"),
        *reader.folder(layout.COACHING, ".yaml"),
        *reader.folder(layout.PROJECTS, ".yaml"),
        *reader.folder(layout.RESPONSES, ".csv"),
    ]


def read_file(root: Path, relative: str, limits: Limits = DEFAULT_LIMITS) -> FilePart:
    """Read one file of the workspace at ``root`` (one of :func:`workspace_files`)."""
    reader = _Reader(root, limits)
    values: dict[str, list[Any]] = {}
    folder = relative.split("/", 1)[0]
    if relative == layout.MANIFEST:
        data = reader.read_yaml(relative)
        manifest = reader.structure(data, Manifest, relative, ()) if data is not None else None
        values["manifest"] = [manifest] if manifest is not None else []
    elif relative == layout.CONCEPT:
        concept = reader.single(relative, Concept, "concept")
        values["concept"] = [concept] if concept is not None else []
    elif relative in (layout.ORGANISATIONS, layout.PEOPLE):
        keys = layout.ORGANISATION_KEYS if relative == layout.ORGANISATIONS else layout.PEOPLE_KEYS
        kinds = ("organisation",) if relative == layout.ORGANISATIONS else _PEOPLE_KINDS
        data = reader.mapping(reader.read_yaml(relative, kinds=kinds), relative, keys)
        for key in keys:
            values[key] = reader.entity_list(data, key, relative)
    elif folder in layout.SINGLE_ENTITY_FOLDERS:
        cls: Any = Cohort if folder == layout.COHORTS else Instrument
        single = reader.single(relative, cls, folder[:-1])
        values[folder] = [single] if single is not None else []
    elif folder in layout.LIST_FOLDERS:
        key = layout.LIST_FOLDERS[folder]
        data = reader.mapping(reader.read_yaml(relative, kinds=(key[:-1],)), relative, (key,))
        values[key] = reader.entity_list(data, key, relative)
    else:
        values["responses"] = _read_responses_file(reader, relative, limits)
    return FilePart(
        file=relative,
        values=values,
        problems=reader.problems,
        locations=reader.locations,
        broken=reader.broken,
        fingerprint=reader.fingerprints.get(relative),
        text=reader.texts.get(relative),
    )


_PEOPLE_KINDS = ("participant", "coach", "facilitator")


def _read_responses_file(reader: _Reader, file: str, limits: Limits) -> list[Response]:
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
    """Return the result of reading a folder that does not exist."""
    problem = Problem(file=str(root), code="not-a-workspace", message="no such folder")
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
    workspace = None
    if values["manifest"] and values["concept"]:
        workspace = Workspace(
            manifest=values["manifest"][0],
            concept=values["concept"][0],
            organisations=tuple(values["organisations"]),
            participants=tuple(values["participants"]),
            coaches=tuple(values["coaches"]),
            facilitators=tuple(values["facilitators"]),
            cohorts=tuple(values["cohorts"]),
            engagements=tuple(values["engagements"]),
            projects=tuple(values["projects"]),
            instruments=tuple(values["instruments"]),
            responses=tuple(values["responses"]),
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
) -> Workspace:
    """Return the workspace in the folder ``path``.

    Raises :class:`~mio_core.WorkspaceError` listing every problem when a file cannot be
    read as the model (syntax, types, unknown keys, missing fields, impossible values).
    Cross-entity rules (references, duplicates) are checked by
    :func:`mio_core.validate_workspace`, not here. ``cache`` is as for :func:`read_workspace`.
    """
    result = read_workspace(path, limits, cache=cache, progress=progress)
    if not result.ok or result.workspace is None:
        raise WorkspaceError(result.problems, summary=f"cannot load the workspace {path}")
    return result.workspace


def _file_for(
    workspace: Workspace, kind: str, entity_id: str, default: str
) -> tuple[str, tuple[str | int, ...]]:
    origin = workspace.origin
    if origin is not None:
        location = origin.locations.get((kind, entity_id))
        if location is not None:
            return location.file, location.path
    return default, ()


def _plans(workspace: Workspace) -> dict[str, Any]:
    """Return what each file of ``workspace`` holds: plain values for a YAML file, the list
    of responses for a responses file."""
    plans: dict[str, Any] = {}

    def clean(value: Any) -> Any:
        return unstructure(value)

    plans[layout.MANIFEST] = clean(workspace.manifest)
    plans[layout.CONCEPT] = clean(workspace.concept)
    plans[layout.ORGANISATIONS] = {"organisations": [clean(o) for o in workspace.organisations]}
    people: dict[str, list[Any]] = {}
    for key, entities in (
        ("participants", workspace.participants),
        ("coaches", workspace.coaches),
        ("facilitators", workspace.facilitators),
    ):
        if entities:
            people[key] = [clean(person) for person in entities]
    plans[layout.PEOPLE] = people

    singles: tuple[tuple[str, str, tuple[Any, ...]], ...] = (
        ("cohort", layout.COHORTS, workspace.cohorts),
        ("instrument", layout.INSTRUMENTS, workspace.instruments),
    )
    for kind, folder, entities in singles:
        for single in entities:
            file, _ = _file_for(workspace, kind, single.id, layout.entity_file(folder, single.id))
            plans[file] = clean(single)

    lists: tuple[tuple[str, str, str, tuple[Any, ...]], ...] = (
        ("engagement", layout.COACHING, "engagements", workspace.engagements),
        ("project", layout.PROJECTS, "projects", workspace.projects),
    )
    for kind, folder, key, listed in lists:
        grouped: dict[str, list[Any]] = defaultdict(list)
        for member in listed:
            group = getattr(member, "cohort", None) or "projects"
            file, _ = _file_for(workspace, kind, member.id, layout.entity_file(folder, group))
            grouped[file].append(clean(member))
        for file, values in grouped.items():
            plans[file] = {key: values}

    by_file: dict[str, list[Response]] = defaultdict(list)
    for response in workspace.responses:
        by_file[layout.responses_file(response.instrument, response.occasion)].append(response)
    plans.update(by_file)
    return plans


def render_workspace(workspace: Workspace) -> dict[str, str]:
    """Return every file of ``workspace`` as {relative path: text}, written afresh in the
    canonical style (:func:`save_workspace` keeps the text of what did not change instead).
    Entities go back to the file they were loaded from; new ones to a file named after their
    id (cohorts, instruments) or their cohort (engagements, projects)."""
    return {file: canonical_text(file, plan) for file, plan in _plans(workspace).items()}


def _fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@holding_workspace_lock("save")
def save_workspace(
    workspace: Workspace,
    path: str | os.PathLike[str],
    *,
    overwrite_changes: bool = False,
    command: str = "save",
    counts: dict[str, int] | None = None,
) -> list[str]:
    """Write ``workspace`` to the folder ``path``; return the files written, relative to it.

    Only files whose content changed are written, and in those only the entities, keys and
    rows that changed get new text: comments, key order, quoting and folded text of the
    rest are kept (see :mod:`mio_core.io.minimal_edit`). Each file is written atomically.
    When the workspace was loaded from the same folder, a file that changed on disk since
    then is not overwritten: :class:`ConcurrentEditError` names it, and nothing is written
    (``overwrite_changes=True`` writes anyway). Files of entities that were loaded from
    there but are gone from ``workspace`` are removed.
    When anything changed, one line naming ``command``, the files and ``counts`` is
    appended to the workspace's audit log (``.mio/audit.log``).
    """
    root = Path(path)
    files = _plans(workspace)
    origin = workspace.origin
    same_folder = origin is not None and Path(origin.root) == root.resolve()
    stale: list[str] = []
    if same_folder and origin is not None:
        if not overwrite_changes:
            changed = [
                file
                for file, fingerprint in origin.fingerprints.items()
                if (file in files or _is_entity_file(file))
                and _fingerprint(root / file) not in (fingerprint, None)
            ]
            if changed:
                raise ConcurrentEditError(changed)
        stale = [f for f in origin.fingerprints if f not in files and _is_entity_file(f)]
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for file, plan in files.items():
        target = root / file
        text = new_text(target, file, plan)
        if text is None:
            continue
        if file.endswith(".csv"):
            with atomic_open(target, "w", newline="") as stream:
                stream.write(text)
        else:
            atomic_write(target, text)
        written.append(file)
    for file in stale:
        (root / file).unlink(missing_ok=True)
    if written or stale:
        from ..audit import record

        record(root, command, [*written, *stale], counts)
    return written


def _is_entity_file(file: str) -> bool:
    return file.split("/", 1)[0] in layout.ALL_FOLDERS
