"""What is coming: the planned module sessions of every cohort, by date.

:func:`upcoming_sessions` is what ``mio schedule`` prints; the iCalendar exporter
(plugin ``mio-ical``) uses :func:`session_occurrences` so that a session keeps its
calendar identity when it is moved to another day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs

from ..evaluation.words import words_for
from ..model import Cohort, ModuleSession, SessionStatus, Workspace, text_in
from ..render.text import format_table
from ..textsafety import show_controls

__all__ = [
    "PlannedSession",
    "format_schedule",
    "schedule_json",
    "session_occurrences",
    "upcoming_sessions",
]


@attrs.frozen(kw_only=True)
class PlannedSession:
    """One planned module session, with the titles and names a reader needs.

    ``occurrence`` counts the sessions of the same module in the cohort (1 for the first,
    in file order), so (``cohort``, ``module``, ``occurrence``) names the session whatever
    its date. ``start`` and ``end`` are local times in ``timezone``; None for a whole day.
    """

    cohort: str
    cohort_title: str
    module: str
    module_title: str
    occurrence: int
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    timezone: str
    place: str | None
    facilitators: tuple[str, ...]  # names, or ids of people not in people.yaml


def session_occurrences(cohort: Cohort) -> Iterator[tuple[ModuleSession, int]]:
    """Yield each session of ``cohort`` with its occurrence: the n-th of its module (1-based)."""
    seen: Counter[str] = Counter()
    for session in cohort.sessions:
        seen[session.module] += 1
        yield session, seen[session.module]


def upcoming_sessions(
    workspace: Workspace, since: dt.date | None = None, language: str = ""
) -> tuple[PlannedSession, ...]:
    """Return the planned sessions on or after ``since`` (default: today), by date and time.

    Held and cancelled sessions are left out. Titles are in ``language`` (default: the
    workspace's); facilitators are named as in people.yaml.
    """
    since = dt.date.today() if since is None else since
    language = language or workspace.manifest.language
    modules = {m.id: m for m in workspace.concept.modules}
    names = {p.id: p.name for p in workspace.facilitators}
    names.update({p.id: p.name for p in workspace.coaches})
    found = []
    for cohort in workspace.cohorts:
        for session, occurrence in session_occurrences(cohort):
            if session.status is not SessionStatus.PLANNED or session.date < since:
                continue
            module = modules.get(session.module)
            found.append(
                PlannedSession(
                    cohort=cohort.id,
                    cohort_title=text_in(cohort.title, language) or cohort.id,
                    module=session.module,
                    module_title=text_in(module.title, language) if module else session.module,
                    occurrence=occurrence,
                    date=session.date,
                    start=session.start,
                    end=session.end,
                    timezone=cohort.timezone,
                    place=session.place,
                    facilitators=tuple(names.get(f, f) for f in session.facilitators),
                )
            )
    order = {m.id: m.order for m in workspace.concept.modules}
    found.sort(
        key=lambda s: (s.date, s.start or dt.time.min, s.cohort, order.get(s.module, 0), s.module)
    )
    return tuple(found)


def _time(session: PlannedSession, words: dict[str, str]) -> str:
    if session.start is None:
        return words["all_day"]
    start = session.start.isoformat("minutes")
    return f"{start}-{session.end.isoformat('minutes')}" if session.end else start


def format_schedule(sessions: tuple[PlannedSession, ...], language: str = "en") -> str:
    """Return the sessions as a text table (control characters shown as ``\\uXXXX``), its
    headings in ``language`` (English for a language mio has no words in)."""
    words = words_for(language)
    if not sessions:
        return f"{words['schedule_none']}\n"
    rows = [
        [
            s.date.isoformat(),
            _time(s, words),
            show_controls(s.cohort_title),
            show_controls(s.module_title),
            show_controls(s.place or ""),
            show_controls(", ".join(s.facilitators)),
        ]
        for s in sessions
    ]
    headers = [
        words[f"col_{key}"] for key in ("date", "time", "cohort", "module", "place", "facilitators")
    ]
    return format_table(headers, rows) + "\n"


def schedule_json(sessions: tuple[PlannedSession, ...]) -> list[dict[str, Any]]:
    """Return the sessions as plain values for JSON (dates and times as ISO text)."""
    return [
        {
            "date": s.date.isoformat(),
            "start": s.start.isoformat("minutes") if s.start else None,
            "end": s.end.isoformat("minutes") if s.end else None,
            "timezone": s.timezone,
            "cohort": s.cohort,
            "cohort_title": s.cohort_title,
            "module": s.module,
            "module_title": s.module_title,
            "occurrence": s.occurrence,
            "place": s.place,
            "facilitators": list(s.facilitators),
        }
        for s in sessions
    ]
