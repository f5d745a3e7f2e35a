"""The development concept: its goals, partners, funding, modules, coaching and evaluation plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .common import (
    Text,
    extensions_field,
    non_negative,
    not_before,
    occasions,
    optional_slug,
    optional_text_field,
    positive,
    slug,
    text_field,
    texts_field,
    tuple_field,
)
from .enums import GoalKind, PartnerRole, Respondent
from .instrument import Instrument
from .vocabulary import Term, Vocabularies, terms


@attrs.frozen(kw_only=True)
class Goal:
    """A result goal or an effect goal, and how it is followed up.

    ``indicator`` names a computed figure (a built-in indicator such as
    ``intermediary-led-share``, or a plugin's) that follows the goal up; ``target`` is the
    value it aims at, in the indicator's unit (a share as 0-1).
    """

    id: str = attrs.field(validator=slug)
    kind: GoalKind = attrs.field(converter=GoalKind)
    text: Text = text_field()
    follow_up: Text | None = optional_text_field()
    indicator: str | None = attrs.field(default=None, validator=optional_slug)
    target: float | None = None


@attrs.frozen(kw_only=True)
class Partner:
    """An organisation that co-creates or carries the concept, in a role."""

    organisation: str = attrs.field(validator=slug)
    role: PartnerRole = attrs.field(converter=PartnerRole)
    contribution: Text | None = optional_text_field()


@attrs.frozen(kw_only=True)
class Funding:
    """Who paid for developing the concept: funder, reference, amount, currency and period."""

    funder: str = attrs.field(validator=slug)
    reference: str | None = None
    amount: float | None = attrs.field(default=None, validator=non_negative)
    currency: str = "SEK"
    start: dt.date | None = None
    end: dt.date | None = attrs.field(default=None, validator=not_before("start"))


@attrs.frozen(kw_only=True)
class Material:
    """Material for reflection handed out in a module."""

    title: Text = text_field()
    author: str | None = None
    link: str | None = None


@attrs.frozen(kw_only=True)
class Module:
    """One training day (or other unit) of the concept."""

    id: str = attrs.field(validator=slug)
    order: int = attrs.field(validator=positive)
    title: Text = text_field()
    hours: float = attrs.field(validator=positive)
    objectives: tuple[Text, ...] = texts_field()
    themes: tuple[Text, ...] = texts_field()
    materials: tuple[Material, ...] = tuple_field()
    methods: tuple[Text, ...] = texts_field()


@attrs.frozen(kw_only=True)
class CoachingDesign:
    """How coaching is meant to run: approach, principles and the planned dose."""

    approach: Text = text_field()
    principles: tuple[Text, ...] = texts_field()
    sessions_per_participant: int = attrs.field(validator=non_negative)
    session_minutes: int = attrs.field(validator=positive)


@attrs.frozen(kw_only=True)
class PlannedInstrument:
    """One instrument of the evaluation plan: on which occasions, answered by whom."""

    instrument: str = attrs.field(validator=slug)
    occasions: tuple[str, ...] = attrs.field(converter=tuple, validator=occasions)
    respondents: Respondent = attrs.field(default=Respondent.PARTICIPANT, converter=Respondent)


@attrs.frozen(kw_only=True)
class EvaluationPlan:
    """Which instruments are answered on which occasions."""

    instruments: tuple[PlannedInstrument, ...] = tuple_field()

    def occasions_of(self, instrument: str) -> tuple[str, ...]:
        """Return the occasions the plan declares for ``instrument``, in file order."""
        return tuple(
            occasion
            for planned in self.instruments
            if planned.instrument == instrument
            for occasion in planned.occasions
        )


def plan_may_declare(instrument: Instrument, occasion: str) -> bool:
    """Return whether an evaluation plan may schedule ``instrument`` on ``occasion``.

    The instrument's own ``occasions`` hold, except that a plan may add any follow-up
    (``follow-up:<n>m``): a 12- or 24-month follow-up needs no copied instrument.
    """
    return instrument.allows(occasion) or occasion.startswith("follow-up:")


@attrs.frozen(kw_only=True)
class Concept:
    """A development concept (utvecklingskoncept) such as MIO."""

    id: str = attrs.field(validator=slug)
    title: Text = text_field()
    version: str = "1"
    purpose: Text = text_field()
    target_group: Text = text_field()
    lifecycle: str = attrs.field(default="opsi", validator=slug)
    goals: tuple[Goal, ...] = tuple_field()
    partners: tuple[Partner, ...] = tuple_field()
    funding: Funding | None = None
    modules: tuple[Module, ...] = tuple_field()
    coaching: CoachingDesign | None = None
    evaluation: EvaluationPlan = attrs.field(factory=EvaluationPlan)
    #: the value lists of manager levels, sectors and organisation kinds (MIO's by default)
    vocabularies: Vocabularies = attrs.field(factory=Vocabularies)
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()

    def terms(self, vocabulary: str) -> tuple[Term, ...]:
        """Return the values of ``vocabulary`` (``manager_levels``, ``sectors`` or
        ``organisation_kinds``): the concept's own, else MIO's (see
        :mod:`mio_core.model.vocabulary`)."""
        return terms(self.vocabularies, vocabulary)

    def allows(self, instrument: Instrument, occasion: str) -> bool:
        """Return whether ``instrument`` may be answered on ``occasion`` in this concept:
        the instrument allows it, or the evaluation plan declares it (see
        :func:`plan_may_declare`)."""
        if instrument.allows(occasion):
            return True
        return occasion in self.evaluation.occasions_of(instrument.id) and plan_may_declare(
            instrument, occasion
        )
