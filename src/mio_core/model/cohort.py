"""Deliveries of a concept: cohorts and their module sessions with attendance."""

from __future__ import annotations

import datetime as dt

import attrs

from .common import Text, not_before, optional_text_field, slug, slugs, tuple_field


@attrs.frozen(kw_only=True)
class ModuleSession:
    """One module given to a cohort on a day; ``attended`` is the register of who came."""

    module: str = attrs.field(validator=slug)
    date: dt.date
    place: str | None = None
    facilitators: tuple[str, ...] = tuple_field(slugs)
    attended: tuple[str, ...] = tuple_field(slugs)


@attrs.frozen(kw_only=True)
class Cohort:
    """One delivery of a concept to a group of managers, run by an organisation."""

    id: str = attrs.field(validator=slug)
    concept: str = attrs.field(validator=slug)
    title: Text | None = optional_text_field()
    delivered_by: str = attrs.field(validator=slug)
    start: dt.date
    end: dt.date = attrs.field(validator=not_before("start"))
    participants: tuple[str, ...] = tuple_field(slugs)
    coaches: tuple[str, ...] = tuple_field(slugs)
    sessions: tuple[ModuleSession, ...] = tuple_field()
