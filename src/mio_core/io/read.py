"""Reading a workspace folder into the model, as far as it can be read, with located problems.

What is read from where comes from :data:`mio_core.io.layout.FILES`.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..model import (
    Location,
    Origin,
    Response,
    Workspace,
)
from ..problems import Problem, Severity, WorkspaceError
from . import layout
from .converter import FieldError, structure_problems
from .responses import read_responses
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


def read_workspace(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Read the workspace folder at ``path`` as far as possible, never raising on bad files.

    Every problem in every file is in the result, located by file, line and column. Use
    :func:`load_workspace` when a workspace with problems should be an error.
    """
    return _read_workspace(path, limits)


def _read_workspace(path: str | os.PathLike[str], limits: Limits) -> LoadResult:
    # see read_workspace
    root = Path(path)
    if not root.is_dir():
        problem = Problem(file=str(root), code="not-a-workspace", message="no such folder")
        return LoadResult(workspace=None, problems=(problem,))
    reader = _Reader(root, limits)

    values: dict[str, Any] = {}
    for pattern, entries in layout.by_pattern().items():
        folder = entries[0].folder
        files = reader.folder(folder, ".yaml") if folder is not None else [pattern]
        if entries[0].key is None:  # one entity a file
            [entry] = entries
            found = [reader.single(file, entry.cls, entry.kind) for file in files]
            values[entry.field] = (
                found[0] if folder is None else tuple(e for e in found if e is not None)
            )
            continue
        kinds = tuple(entry.kind for entry in entries)
        keys = tuple(str(entry.key) for entry in entries)
        for entry in entries:
            values.setdefault(entry.field, [])
        for file in files:
            data = reader.mapping(reader.read_yaml(file, kinds=kinds), file, keys)
            for entry in entries:
                values[entry.field].extend(reader.entity_list(data, entry, file))

    responses: list[Response] = []
    for file in reader.folder(layout.RESPONSES, ".csv"):
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
            continue
        text = reader.read_text(file)
        if text is None:
            continue
        rows, problems = read_responses(text, file, parsed[0], parsed[1], limits)
        reader.problems.extend(problems)
        for response, line in rows:
            reader.locations.setdefault(
                ("response", response_key(response)), Location(file=file, line=line)
            )
            responses.append(response)

    fields: dict[str, Any] = {
        field: tuple(value) if isinstance(value, list) else value for field, value in values.items()
    }
    workspace = None
    if values["manifest"] is not None and values["concept"] is not None:
        workspace = Workspace(
            **fields,
            responses=tuple(responses),
            origin=Origin(
                root=str(root.resolve()),
                locations=reader.locations,
                fingerprints=reader.fingerprints,
            ),
        )
    return LoadResult(
        workspace=workspace,
        problems=tuple(locate_problems(reader.problems, root, reader.texts)),
        broken=frozenset(reader.broken),
    )


def load_workspace(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Workspace:
    """Return the workspace in the folder ``path``.

    Raises :class:`~mio_core.WorkspaceError` listing every problem when a file cannot be
    read as the model (syntax, types, unknown keys, missing fields, impossible values).
    Cross-entity rules (references, duplicates) are checked by
    :func:`mio_core.validate_workspace`, not here.
    """
    result = read_workspace(path, limits)
    if not result.ok or result.workspace is None:
        raise WorkspaceError(result.problems, summary=f"cannot load the workspace {path}")
    return result.workspace
