"""Innovation projects close to the participants' own operations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .common import (
    Text,
    extensions_field,
    non_negative,
    optional_slug,
    optional_text_field,
    slug,
    text_field,
    tuple_field,
)
from .enums import OpsiFacet, OutcomeLevel


@attrs.frozen(kw_only=True)
class StageChange:
    """The date a project entered a stage of its lifecycle."""

    stage: str = attrs.field(validator=slug)
    date: dt.date
    note: Text | None = optional_text_field()


@attrs.frozen(kw_only=True)
class Outcome:
    """Something the project achieved, how far it reaches, and the evidence for it."""

    description: Text = text_field()
    level: OutcomeLevel = attrs.field(converter=OutcomeLevel)
    date: dt.date | None = None
    evidence: Text | None = optional_text_field()


@attrs.frozen(kw_only=True)
class InnovationProject:
    """A manager's verksamhetsnära innovationsprojekt and where it stands."""

    id: str = attrs.field(validator=slug)
    #: the participant who runs it; None once they have been erased from the workspace
    owner: str | None = attrs.field(default=None, validator=optional_slug)
    cohort: str | None = attrs.field(default=None, validator=optional_slug)
    organisation: str = attrs.field(validator=slug)
    unit: str | None = None
    title: Text = text_field()
    challenge: Text = text_field()
    idea: Text | None = optional_text_field()
    facet: OpsiFacet = attrs.field(converter=OpsiFacet)
    stage: str = attrs.field(validator=slug)
    history: tuple[StageChange, ...] = tuple_field()
    team_size: int | None = attrs.field(default=None, validator=non_negative)
    outcomes: tuple[Outcome, ...] = tuple_field()
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()
