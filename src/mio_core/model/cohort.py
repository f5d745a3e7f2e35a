"""Deliveries of a concept: cohorts and their module sessions, planned or held, with attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .common import (
    InvalidField,
    Text,
    extensions_field,
    not_before,
    optional_text_field,
    slug,
    slugs,
    tuple_field,
)
from .enums import SessionStatus

#: The timezone of a cohort's session times unless the cohort names another (an IANA name).
DEFAULT_TIMEZONE = "Europe/Stockholm"


def _needs_start(instance: Any, attribute: attrs.Attribute[Any], value: dt.time | None) -> None:
    if value is not None and instance.start is None:
        raise InvalidField(attribute.name, f"{attribute.name} needs a start time too")


@attrs.frozen(kw_only=True)
class ModuleSession:
    """One module given to a cohort on a day; ``attended`` is the register of who came.

    ``status`` is ``held`` unless the file says otherwise, so a workspace written before
    sessions could be planned reads as it always did. A ``planned`` or ``cancelled``
    session has no register and counts in no attendance rate. ``start`` and ``end`` are
    local times in the cohort's ``timezone``; without them the session is a whole day.
    """

    module: str = attrs.field(validator=slug)
    date: dt.date
    status: SessionStatus = attrs.field(default=SessionStatus.HELD, converter=SessionStatus)
    start: dt.time | None = None
    end: dt.time | None = attrs.field(default=None, validator=[_needs_start, not_before("start")])
    place: str | None = None
    facilitators: tuple[str, ...] = tuple_field(slugs)
    attended: tuple[str, ...] = tuple_field(slugs)

    @property
    def held(self) -> bool:
        """Whether the session took place: only held sessions count in attendance."""
        return self.status is SessionStatus.HELD


@attrs.frozen(kw_only=True)
class Cohort:
    """One delivery of a concept to a group of managers, run by an organisation."""

    id: str = attrs.field(validator=slug)
    concept: str = attrs.field(validator=slug)
    title: Text | None = optional_text_field()
    delivered_by: str = attrs.field(validator=slug)
    start: dt.date
    end: dt.date = attrs.field(validator=not_before("start"))
    #: the IANA timezone of the sessions' start and end times
    timezone: str = DEFAULT_TIMEZONE
    participants: tuple[str, ...] = tuple_field(slugs)
    coaches: tuple[str, ...] = tuple_field(slugs)
    sessions: tuple[ModuleSession, ...] = tuple_field()
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()

    def held_sessions(self) -> tuple[ModuleSession, ...]:
        """Return the sessions that took place, in file order."""
        return tuple(session for session in self.sessions if session.held)

    def module_attenders(self) -> dict[str, frozenset[str]]:
        """Return, for each module with a held session, the cohort's participants who
        attended it: a module may be held as several sessions (two half-days), and attending
        the module means being present at every held session of it. Planned and cancelled
        sessions count in no rate."""
        present: dict[str, frozenset[str]] = {}
        members = frozenset(self.participants)
        for session in self.held_sessions():
            came = frozenset(session.attended) & members
            present[session.module] = present.get(session.module, came) & came
        return present
