"""The whole workspace: a manifest and every entity a programme team keeps."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from typing import NewType

import attrs

from .coaching import CoachingEngagement
from .cohort import Cohort
from .common import LANGUAGE_PATTERN, InvalidField, Text, positive, text_field, tuple_field
from .concept import Concept
from .enums import LegalBasis
from .instrument import Instrument, Response
from .organisation import Coach, Facilitator, Organisation, Participant
from .project import InnovationProject

SCHEMA_VERSION = 1


def _language(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not LANGUAGE_PATTERN.fullmatch(value):
        raise InvalidField(
            attribute.name, f"{attribute.name} {value!r} is not a language code such as 'sv'"
        )


def _languages(instance: object, attribute: attrs.Attribute[str], values: tuple[str, ...]) -> None:
    for value in values:
        _language(instance, attribute, value)


def _schema(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value != SCHEMA_VERSION:
        raise InvalidField(
            attribute.name,
            f"schema {value} is not supported; this version of mio_core reads schema "
            f"{SCHEMA_VERSION}",
        )


#: How long the workspace's personal data are kept: a date (``2030-12-31``: until then) or a
#: period after the end of the last cohort (``10 years``, ``18 months``).
Retention = NewType("Retention", str)

RETENTION_PATTERN = re.compile(r"(?P<n>[1-9][0-9]{0,2}) (?P<unit>year|month)s?")


def retention_end(retention: str, programme_end: dt.date | None) -> dt.date | None:
    """Return the last day data may be kept under ``retention`` (a date, or a period counted
    from ``programme_end``); None for a period when the programme has no end yet."""
    match = RETENTION_PATTERN.fullmatch(retention)
    if match is None:
        return dt.date.fromisoformat(retention)
    if programme_end is None:
        return None
    months = int(match["n"]) * (12 if match["unit"] == "year" else 1)
    year, month = divmod(programme_end.month - 1 + months, 12)
    year += programme_end.year
    day = programme_end.day
    while True:  # 31 January + 1 month is the last day of February
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            day -= 1


def _optional_legal_basis(value: str | None) -> LegalBasis | None:
    return None if value is None else LegalBasis(value)


def _retention(
    instance: object, attribute: attrs.Attribute[Retention | None], value: str | None
) -> None:
    if value is None or RETENTION_PATTERN.fullmatch(value):
        return
    try:
        dt.date.fromisoformat(value)
        if len(value) == 10:
            return
    except ValueError:
        pass
    raise InvalidField(
        attribute.name,
        f"retention {value!r} is neither a date (YYYY-MM-DD) nor a period such as "
        "'10 years' or '18 months' (after the end of the last cohort)",
    )


@attrs.frozen(kw_only=True)
class Privacy:
    """How the workspace protects the people in it, and on what terms it holds their data."""

    min_group_size: int = attrs.field(default=5, validator=positive)
    #: the lawful basis of processing (GDPR Art. 6(1)); shown in exports and access reports
    legal_basis: LegalBasis | None = attrs.field(default=None, converter=_optional_legal_basis)
    #: how long personal data are kept; see :data:`Retention`
    retention: Retention | None = attrs.field(default=None, validator=_retention)


@attrs.frozen(kw_only=True)
class Manifest:
    """``mio.yaml``: the schema version, the title, languages and privacy settings."""

    schema: int = attrs.field(default=SCHEMA_VERSION, validator=_schema)
    title: Text = text_field()
    language: str = attrs.field(default="sv", validator=_language)
    languages: tuple[str, ...] = tuple_field(_languages)
    privacy: Privacy = attrs.field(factory=Privacy)


@attrs.frozen(kw_only=True)
class Workspace:
    """Everything in a workspace folder, as immutable values.

    Change a workspace with :func:`attrs.evolve`; save it with
    :func:`mio_core.save_workspace`.
    """

    manifest: Manifest
    concept: Concept
    organisations: tuple[Organisation, ...] = tuple_field()
    participants: tuple[Participant, ...] = tuple_field()
    coaches: tuple[Coach, ...] = tuple_field()
    facilitators: tuple[Facilitator, ...] = tuple_field()
    cohorts: tuple[Cohort, ...] = tuple_field()
    engagements: tuple[CoachingEngagement, ...] = tuple_field()
    projects: tuple[InnovationProject, ...] = tuple_field()
    instruments: tuple[Instrument, ...] = tuple_field()
    responses: tuple[Response, ...] = tuple_field()
    origin: Origin | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Location:
    """Where a value stands in the workspace: a file relative to the root, and a path in it."""

    file: str
    path: tuple[str | int, ...] = ()
    #: for a row of a CSV file: its line
    line: int | None = None


@attrs.frozen(kw_only=True)
class Origin:
    """Where a loaded workspace came from: its folder, each entity's file and the files' state.

    Saving uses it to write each entity back to the file it came from and to refuse to
    overwrite a file that changed on disk since it was read.
    """

    root: str
    locations: Mapping[tuple[str, str], Location] = attrs.field(factory=dict)
    fingerprints: Mapping[str, str] = attrs.field(factory=dict)


def expect_workspace(value: object, caller: str) -> None:
    """Raise TypeError unless ``value`` is a :class:`Workspace`: a folder given to
    ``caller``, which takes the loaded workspace, says how to load it (instead of an
    AttributeError from deep inside)."""
    if not isinstance(value, Workspace):
        hint = (
            f"; load it first: mio_core.load_workspace({str(value)!r})"
            if isinstance(value, (str, os.PathLike))
            else ""
        )
        raise TypeError(f"{caller}() takes a Workspace, not {type(value).__name__}{hint}")
