"""A running programme: what is planned and what has happened.

:mod:`.schedule` holds the planned module sessions of every cohort (``mio schedule``; the
iCalendar exporter uses :func:`session_occurrences`), :mod:`.overview` the overview of
cohorts, people, attendance, coaching and projects (``mio show``). This namespace is
public: its ``__all__`` below.
"""

from __future__ import annotations

from .schedule import (
    PlannedSession,
    format_schedule,
    schedule_json,
    session_occurrences,
    upcoming_sessions,
)

__all__ = [
    "PlannedSession",
    "format_schedule",
    "schedule_json",
    "session_occurrences",
    "upcoming_sessions",
]
