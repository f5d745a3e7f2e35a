"""The one place that knows a workspace's files and folders."""

from __future__ import annotations

import re

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

#: Folders whose YAML files each hold one entity, and the folders of lists.
SINGLE_ENTITY_FOLDERS = (COHORTS, INSTRUMENTS)
LIST_FOLDERS = {COACHING: "engagements", PROJECTS: "projects"}
ALL_FOLDERS = (COHORTS, COACHING, PROJECTS, INSTRUMENTS, RESPONSES)

#: Top-level keys of the files that hold lists of entities.
PEOPLE_KEYS = ("participants", "coaches", "facilitators")
ORGANISATION_KEYS = ("organisations",)

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


def entity_file(folder: str, name: str) -> str:
    """Return the relative path of the YAML file ``name`` in ``folder``."""
    return f"{folder}/{name}.yaml"
