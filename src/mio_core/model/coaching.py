"""Coaching as delivered: one engagement per participant, its goals and its sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .common import (
    InvalidField,
    Text,
    extensions_field,
    optional_text_field,
    positive,
    slug,
    text_field,
    texts_field,
    tuple_field,
)
from .enums import SessionMode

GAS_LEVELS = range(-2, 3)


def _gas_level(instance: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value not in GAS_LEVELS:
        raise InvalidField(
            attribute.name, f"{attribute.name} must be a whole number from -2 to +2, not {value!r}"
        )


@attrs.frozen(kw_only=True)
class CoachingGoal:
    """A goal agreed in coaching, optionally scaled for Goal Attainment Scaling (-2 ... +2)."""

    id: str = attrs.field(validator=slug)
    text: Text = text_field()
    weight: float = attrs.field(default=1.0, validator=positive)
    baseline: int | None = attrs.field(default=None, validator=_gas_level)
    attainment: int | None = attrs.field(default=None, validator=_gas_level)


@attrs.frozen(kw_only=True)
class CoachingSession:
    """One coaching conversation: when, how long, how, about what, and what was agreed."""

    date: dt.date
    minutes: int = attrs.field(validator=positive)
    mode: SessionMode = attrs.field(default=SessionMode.ON_SITE, converter=SessionMode)
    topics: tuple[Text, ...] = texts_field()
    actions: tuple[Text, ...] = texts_field()


@attrs.frozen(kw_only=True)
class CoachingEngagement:
    """A participant's coaching: starting from the manager's and the organisation's needs."""

    id: str = attrs.field(validator=slug)
    participant: str = attrs.field(validator=slug)
    coach: str = attrs.field(validator=slug)
    cohort: str = attrs.field(validator=slug)
    manager_needs: Text | None = optional_text_field()
    organisation_needs: Text | None = optional_text_field()
    goals: tuple[CoachingGoal, ...] = tuple_field()
    sessions: tuple[CoachingSession, ...] = tuple_field()
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()
