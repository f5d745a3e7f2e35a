"""mio-ical: the module sessions of every cohort as iCalendar files, one ``.ics`` per cohort.

Each session is a VEVENT whose UID follows from the concept, the cohort, the module and
which session of that module it is (the first, the second…), never from its date: a
re-export after a session is moved or cancelled updates the calendar entry instead of
adding a second one. DTSTAMP is the export's generation time, fixed by
``SOURCE_DATE_EPOCH``, so the same workspace gives the same bytes. SEQUENCE counts the
seconds from 2020 to that time: each later export supersedes the earlier one, as calendars
(Google, Outlook) require before they apply a moved or cancelled session to an entry they
already hold; mio keeps no state between exports to count revisions with. Names and emails
(ORGANIZER, ATTENDEE, facilitators in the description) are only in identified exports.
Text from the workspace is data: the icalendar library escapes it, and control characters
are shown as ``\\uXXXX`` text (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from pathlib import Path
from typing import Any

import attrs

import mio_core as m
from mio_core.export import generation_time
from mio_core.model import (
    Coach,
    Cohort,
    Facilitator,
    Module,
    ModuleSession,
    SessionStatus,
    text_in,
)
from mio_core.programme import session_occurrences
from mio_core.textsafety import show_controls

__version__ = "0.1.0"

PRODID = f"-//mio_core//mio-ical {__version__}//EN"

#: What a session's status becomes in the calendar: a cancelled session stays as a
#: cancelled event, so that calendars that imported it drop it.
STATUS = {
    SessionStatus.PLANNED: "CONFIRMED",
    SessionStatus.HELD: "CONFIRMED",
    SessionStatus.CANCELLED: "CANCELLED",
}

_TEXTS = {
    "sv": {"module": "Modul {order} av {count}", "facilitators": "Processledare: {names}"},
    "en": {"module": "Module {order} of {count}", "facilitators": "Facilitators: {names}"},
}


@attrs.frozen(kw_only=True)
class IcalOptions:
    """Options of the ical format."""

    #: also write sessions already held (False: only planned and cancelled ones)
    held: bool = True


#: SEQUENCE is the seconds since this moment, capped to what a 32-bit signed integer holds
_SEQUENCE_ORIGIN = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def sequence_at(stamp: dt.datetime) -> int:
    """Return the SEQUENCE of an export generated at ``stamp``: later exports, higher numbers."""
    seconds = int((stamp - _SEQUENCE_ORIGIN).total_seconds())
    return min(max(seconds, 0), 2**31 - 1)


def session_uid(concept: str, cohort: str, module: str, occurrence: int) -> str:
    """Return the UID of the ``occurrence``-th session of ``module`` in ``cohort``."""
    key = "\x1f".join(("mio-ical", concept, cohort, module, str(occurrence)))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@mio-core"


def _text(value: str) -> str:
    """A TEXT value: control characters shown; the library escapes ``, ; \\`` and newlines."""
    return show_controls(value)


def _parameter(value: str) -> str:
    """A parameter value (a CN) holds no line break and no double quote."""
    return " ".join(show_controls(value).replace('"', "'").split())


def _timezone(cohort: Cohort) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(cohort.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise m.MioError(
            f"cohort {cohort.id}: timezone {cohort.timezone!r} is not a timezone; "
            "use an IANA name such as 'Europe/Stockholm' (mio validate lists every problem)"
        ) from None


def _when(
    session: ModuleSession, module: Module | None, zone: zoneinfo.ZoneInfo
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    """Return DTSTART and DTEND: local times with the cohort's zone, or a whole day."""
    if session.start is None:
        return session.date, session.date + dt.timedelta(days=1)
    start = dt.datetime.combine(session.date, session.start, tzinfo=zone)
    if session.end is not None:
        end = dt.datetime.combine(session.date, session.end, tzinfo=zone)
    else:  # as long as the module is, by the concept
        end = start + dt.timedelta(hours=module.hours if module else 0)
    return start, end


def _calendar(source: m.ExportSource, cohort: Cohort, options: IcalOptions) -> Any:
    import icalendar

    workspace = source.workspace
    language = source.language
    texts = _TEXTS.get(language, _TEXTS["en"])
    modules = {module.id: module for module in workspace.concept.modules}
    ordered = sorted(workspace.concept.modules, key=lambda module: module.order)
    people: dict[str, Facilitator | Coach] = {p.id: p for p in workspace.facilitators}
    people.update({p.id: p for p in workspace.coaches})
    participants = {p.id: p for p in workspace.participants}
    concept_title = text_in(workspace.concept.title, language)
    cohort_title = text_in(cohort.title, language) or cohort.id
    zone = _timezone(cohort)
    stamp = generation_time().astimezone(dt.UTC)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # an X- property is not TEXT to the library: vText makes it escape , ; \\ and line breaks
    calendar.add("x-wr-calname", icalendar.vText(_text(f"{concept_title}: {cohort_title}")))
    calendar.add("x-wr-timezone", cohort.timezone)
    years = []
    for session, occurrence in session_occurrences(cohort):
        if session.held and not options.held:
            continue
        module = modules.get(session.module)
        module_title = text_in(module.title, language) if module else session.module
        start, end = _when(session, module, zone)
        years.append(session.date.year)
        event = icalendar.Event()
        event.add("uid", session_uid(workspace.concept.id, cohort.id, session.module, occurrence))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence_at(stamp))
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", _text(f"{module_title} ({cohort_title})"))
        lines = [concept_title, cohort_title]
        if module is not None and module in ordered:
            lines.append(
                texts["module"].format(order=ordered.index(module) + 1, count=len(ordered))
            )
        if source.identified and session.facilitators:
            names = ", ".join(people[f].name if f in people else f for f in session.facilitators)
            lines.append(texts["facilitators"].format(names=names))
        event.add("description", _text("\n".join(line for line in lines if line)))
        if session.place:
            event.add("location", _text(session.place))
        event.add("status", STATUS[session.status])
        event.add("transp", "OPAQUE")
        if source.identified:
            _add_people(event, session, cohort, people, participants)
        calendar.add_component(event)
    if not years:
        return None
    if any(isinstance(e.get("dtstart").dt, dt.datetime) for e in calendar.walk("VEVENT")):
        # the zone's rules over the years the sessions span, so the file stands alone
        calendar.add_missing_timezones(
            first_date=dt.date(min(years), 1, 1), last_date=dt.date(max(years) + 1, 1, 1)
        )
    return calendar


def _address(email: str | None) -> str | None:
    return f"mailto:{email}" if email and email.isprintable() and " " not in email else None


def _add_people(
    event: Any,
    session: ModuleSession,
    cohort: Cohort,
    people: dict[str, Any],
    participants: dict[str, Any],
) -> None:
    """ORGANIZER: the first facilitator with an email; ATTENDEE: the others and the cohort."""
    from icalendar import vCalAddress

    organiser = None
    for facilitator in session.facilitators:
        person = people.get(facilitator)
        address = _address(person.email if person else None)
        if address is None or person is None:
            continue
        entry = vCalAddress(address)
        entry.params["cn"] = _parameter(person.name)
        if organiser is None:
            organiser = entry
            event.add("organizer", entry)
        else:
            entry.params["role"] = "CHAIR"
            event.add("attendee", entry)
    for participant_id in cohort.participants:
        if not cohort.member_on(participant_id, session.date):
            continue  # joined after this day, or had left by it
        participant = participants.get(participant_id)
        address = _address(participant.email if participant else None)
        if address is None or participant is None:
            continue
        entry = vCalAddress(address)
        entry.params["cn"] = _parameter(participant.name)
        entry.params["role"] = "REQ-PARTICIPANT"
        entry.params["partstat"] = "NEEDS-ACTION"
        event.add("attendee", entry)


def write_calendars(source: m.ExportSource, folder: Path, options: object) -> None:
    """Write ``<cohort-id>.ics`` for every cohort that has sessions to export."""
    chosen = options if isinstance(options, IcalOptions) else IcalOptions()
    for cohort in source.workspace.cohorts:
        calendar = _calendar(source, cohort, chosen)
        if calendar is not None:
            (folder / f"{cohort.id}.ics").write_bytes(calendar.to_ical())


ICAL = m.Exporter(
    name="ical",
    title="iCalendar files of the module sessions (a folder, one .ics per cohort)",
    suffix="",
    media_type="text/calendar",
    kind="folder",
    write=write_calendars,
    options_type=IcalOptions,
    description="every module session as an event with a stable UID (planned, held and "
    "cancelled); names and emails only with --identified",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [ICAL]
