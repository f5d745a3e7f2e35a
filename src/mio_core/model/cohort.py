"""Deliveries of a concept: cohorts and their module sessions, planned or held, with attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .common import (
    InvalidField,
    Text,
    extensions_field,
    is_slug,
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


def _dates_by_id(value: Mapping[str, dt.date] | None) -> Mapping[str, dt.date]:
    return MappingProxyType(dict(value or {}))


def _ids_with_dates(
    instance: Any, attribute: attrs.Attribute[Any], value: Mapping[Any, Any]
) -> None:
    for person, day in value.items():
        if not is_slug(person):
            raise InvalidField(attribute.name, f"{attribute.name}: {person!r} is not a valid id")
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise InvalidField(
                attribute.name, f"{attribute.name}: {person}'s date {day!r} is not a date"
            )


def membership_field() -> Any:
    """``joined:`` / ``left:``: a date per participant id, empty unless given."""
    return attrs.field(factory=dict, converter=_dates_by_id, validator=_ids_with_dates, hash=False)


@attrs.frozen(kw_only=True)
class Cohort:
    """One delivery of a concept to a group of managers, run by an organisation.

    ``participants`` are everyone who has been in the cohort. ``joined`` names those who
    came after its start, with the day they joined (a member from that day on); ``left``
    those who left before its end, with the day they left (no longer a member from that
    day on). Who is expected at a module day and at the surveys follows from them
    (:meth:`member_on`); the registers and answers of a leaver's time in the cohort stay.
    """

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
    #: participants who joined after the start: the day each joined
    joined: Mapping[str, dt.date] = membership_field()
    #: participants who left before the end: the day each left (no longer a member)
    left: Mapping[str, dt.date] = membership_field()
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()

    def held_sessions(self) -> tuple[ModuleSession, ...]:
        """Return the sessions that took place, in file order."""
        return tuple(session for session in self.sessions if session.held)

    def member_on(self, person: str, day: dt.date) -> bool:
        """Whether ``person`` is a member of the cohort on ``day``: one of its participants,
        not joined after ``day`` and not left on or before it."""
        if person not in self.participants:
            return False
        joined = self.joined.get(person)
        left = self.left.get(person)
        return (joined is None or joined <= day) and (left is None or day < left)

    def members_on(self, *days: dt.date) -> tuple[str, ...]:
        """Return the participants who are members on every one of ``days``, in list order
        (every participant when no one joined late or left)."""
        if not self.joined and not self.left:
            return self.participants
        return tuple(p for p in self.participants if all(self.member_on(p, d) for d in days))

    def occasion_members(self, occasion: str) -> tuple[str, ...]:
        """Return the participants expected at a survey on ``occasion`` (not a module's):
        the members on the first day (``pre``) or on the last (``post`` and follow-ups),
        so that who joined late is not expected before and who left not after."""
        return self.members_on(self.start if occasion == "pre" else self.end)

    def module_expected(self) -> dict[str, tuple[str, ...]]:
        """Return, for each module with a held session, the participants expected at it:
        members on the day of every held session of the module (see :meth:`member_on`).
        Without ``joined`` or ``left``, every participant."""
        days: dict[str, list[dt.date]] = {}
        for session in self.held_sessions():
            days.setdefault(session.module, []).append(session.date)
        return {module: self.members_on(*dates) for module, dates in days.items()}

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
