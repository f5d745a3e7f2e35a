"""The one place that knows a workspace's files and folders: :data:`FILES`, one table of
kind → file pattern, top-level key, model class and workspace field, which the reader, the
writer, the saver, the locator and erasure iterate."""

from __future__ import annotations

import re
from typing import Any

import attrs

from ..model import (
    Coach,
    CoachingEngagement,
    Cohort,
    Concept,
    Facilitator,
    InnovationProject,
    Instrument,
    Manifest,
    Organisation,
    Participant,
)
from ..model.common import OCCASION_PATTERN, SLUG_PATTERN, is_occasion

MANIFEST = "mio.yaml"
CONCEPT = "concept.yaml"
ORGANISATIONS = "organisations.yaml"
PEOPLE = "people.yaml"
COHORTS = "cohorts"
COACHING = "coaching"
PROJECTS = "projects"
INSTRUMENTS = "instruments"
RESPONSES = "responses"
#: Mappings of survey exports (``imports/<name>.yaml``) and the token list; read on demand,
#: never as part of the workspace model.
IMPORTS = "imports"

#: The folders of a workspace (``mio init`` creates them; files in them are entities).
ALL_FOLDERS = (COHORTS, COACHING, PROJECTS, INSTRUMENTS, RESPONSES)

_RESPONSE_FILE = re.compile(
    r"(?P<instrument>" + SLUG_PATTERN.pattern + r")\.(?P<occasion>[a-z0-9_.-]+)\.csv"
)

#: Columns of a responses file that are not items.
RESPONDENT_COLUMN = "respondent"
DATE_COLUMN = "date"


def responses_file(instrument: str, occasion: str) -> str:
    """Return the file (relative to the workspace) for answers to one instrument and occasion.

    ``module:m1`` is written ``module.m1`` and ``follow-up:6m`` ``follow-up.6m``, since ``:``
    is not allowed in file names everywhere.
    """
    return f"{RESPONSES}/{instrument}.{occasion.replace(':', '.', 1)}.csv"


def parse_responses_file(name: str) -> tuple[str, str] | None:
    """Return (instrument, occasion) for a responses file name, or None if it is not one."""
    match = _RESPONSE_FILE.fullmatch(name)
    if not match:
        return None
    occasion = match.group("occasion")
    if "." in occasion:
        occasion = occasion.replace(".", ":", 1)
    if not is_occasion(occasion) or OCCASION_PATTERN.fullmatch(occasion) is None:
        return None
    return match.group("instrument"), occasion


#: Names Windows keeps for devices, with any extension: ``con.ics`` there is the console.
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)


def is_device_name(name: str) -> bool:
    """Return whether a file named ``name`` (an id mio names a file after) cannot be made or
    opened on Windows, whose devices take the names of :data:`WINDOWS_DEVICE_NAMES`."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_DEVICE_NAMES


def entity_file(folder: str, name: str) -> str:
    """Return the relative path of the YAML file ``name`` in ``folder``."""
    return f"{folder}/{name}.yaml"


@attrs.frozen
class Files:
    """Where one kind of entity lives: the file (or folder pattern), its top-level key, its
    class and the :class:`~mio_core.model.Workspace` field that holds them.

    ``key`` is None when a file holds one entity (the manifest, the concept, a cohort, an
    instrument); otherwise the file is a mapping whose ``key`` lists the entities.
    """

    kind: str
    pattern: str
    key: str | None
    cls: type[Any]
    field: str

    @property
    def folder(self) -> str | None:
        """The folder of a ``folder/*.yaml`` pattern; None for a fixed file."""
        return self.pattern.split("/", 1)[0] if "/" in self.pattern else None

    def default_file(self, entity: Any) -> str:
        """The file a new entity goes to: the fixed file; in a folder, one named after the
        entity's id (one entity a file) or its cohort (lists; ``<key>.yaml`` without one)."""
        if self.folder is None:
            return self.pattern
        if self.key is None:
            return entity_file(self.folder, entity.id)
        return entity_file(self.folder, getattr(entity, "cohort", None) or self.key)


#: The workspace layout, in reading order: every YAML file's kind, pattern, key and class.
#: The reader, the writer, the saver's comparison, the locator and erasure iterate it.
FILES: tuple[Files, ...] = (
    Files("manifest", MANIFEST, None, Manifest, "manifest"),
    Files("concept", CONCEPT, None, Concept, "concept"),
    Files("organisation", ORGANISATIONS, "organisations", Organisation, "organisations"),
    Files("participant", PEOPLE, "participants", Participant, "participants"),
    Files("coach", PEOPLE, "coaches", Coach, "coaches"),
    Files("facilitator", PEOPLE, "facilitators", Facilitator, "facilitators"),
    Files("cohort", f"{COHORTS}/*.yaml", None, Cohort, "cohorts"),
    Files("instrument", f"{INSTRUMENTS}/*.yaml", None, Instrument, "instruments"),
    Files("engagement", f"{COACHING}/*.yaml", "engagements", CoachingEngagement, "engagements"),
    Files("project", f"{PROJECTS}/*.yaml", "projects", InnovationProject, "projects"),
)

#: Responses: one CSV file per instrument and occasion (see :func:`responses_file`).
RESPONSES_PATTERN = f"{RESPONSES}/*.csv"


def by_pattern() -> dict[str, tuple[Files, ...]]:
    """Return the entries of :data:`FILES` grouped by file pattern, in reading order."""
    grouped: dict[str, list[Files]] = {}
    for entry in FILES:
        grouped.setdefault(entry.pattern, []).append(entry)
    return {pattern: tuple(entries) for pattern, entries in grouped.items()}


def of_kind(kind: str) -> Files:
    """Return the entry for ``kind`` (``participant``, ``cohort``...)."""
    return next(entry for entry in FILES if entry.kind == kind)


def list_kinds() -> dict[str, tuple[str, type[Any]]]:
    """Return {top-level key: (kind, class)} for the files that hold lists of entities."""
    return {entry.key: (entry.kind, entry.cls) for entry in FILES if entry.key is not None}


def single_class(file: str) -> type[Any] | None:
    """Return the class of the one entity ``file`` holds, or None if it holds lists."""
    folder = file.split("/", 1)[0] if "/" in file else None
    for entry in FILES:
        if entry.key is None and (entry.pattern == file or entry.folder == folder is not None):
            return entry.cls
    return None
