"""Built-in plugin: the indicators a concept's goals can name (``indicator:`` of a goal).

Each returns its value and the people it rests on; mio_core audits them with every other
published figure. A share is a number from 0 to 1.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from itertools import compress, repeat
from math import fsum
from operator import attrgetter

from ..model import EvaluationLevel, PartnerRole, Translations, occasion_order
from ..plugins.interfaces import Indicator, IndicatorContext, IndicatorValue
from ..plugins.manager import hookimpl

#: the instrument whose first subscale measures utilisation, where the workspace has it
UTILISATION_INSTRUMENT = "mio-utilisation"
_INSTRUMENT_OCCASION = attrgetter("instrument", "occasion")
_OCCASION = attrgetter("occasion")


def _share(part: int, whole: int) -> float | None:
    return float(Fraction(part, whole)) if whole else None


def intermediary_led_share(context: IndicatorContext) -> IndicatorValue:
    """Share of the deliveries (cohorts) led by an intermediary organisation: one of kind
    ``intermediary``, or one the concept names as a partner in the role ``intermediary``
    (a concept that declares its own organisation kinds says who its intermediaries are
    there)."""
    workspace = context.workspace
    intermediaries = {o.id for o in workspace.organisations if o.kind == "intermediary"}
    intermediaries.update(
        p.organisation for p in workspace.concept.partners if p.role is PartnerRole.INTERMEDIARY
    )
    led = [c for c in workspace.cohorts if c.delivered_by in intermediaries]
    members = {(c.id, p) for c in workspace.cohorts for p in c.participants}
    return IndicatorValue(value=_share(len(led), len(workspace.cohorts)), members=members)


def implementation_share(context: IndicatorContext) -> IndicatorValue:
    """Share of the managers with a project at or past the lifecycle's implementation stage
    (its ``implementation_stage``: a plugin's lifecycle names its own)."""
    workspace = context.workspace
    lifecycle = context.registry.lifecycles.get(workspace.concept.lifecycle)
    stage = lifecycle.implementation_stage if lifecycle is not None else None
    managers = {p for c in workspace.cohorts for p in c.participants}
    if lifecycle is None or stage is None:
        return IndicatorValue(
            value=None,
            members=managers,
            note=f"the lifecycle {workspace.concept.lifecycle!r} has no implementation stage",
        )
    order = [s.id for s in lifecycle.stages]
    threshold = order.index(stage)
    reached = {
        p.owner
        for p in workspace.projects
        if p.stage in order and order.index(p.stage) >= threshold and p.owner in managers
    }
    return IndicatorValue(value=_share(len(reached), len(managers)), members=managers)


def utilisation_mean(context: IndicatorContext) -> IndicatorValue:
    """Mean score on the utilisation instrument's first subscale at the last follow-up.

    The instrument is ``mio-utilisation`` where it is answered at a follow-up, else the
    first application-level instrument (by id) that is.
    """
    # the scores are many (one per respondent, subscale and occasion): their occasions are
    # taken with attrgetter and compared in C, then only those at a follow-up are read
    occasions = list(map(_OCCASION, context.scores))
    later = {o for o in set(occasions) if o.startswith("follow-up:")}
    follow_ups: dict[str, set[str]] = defaultdict(set)
    at_follow_up = compress(context.scores, map(later.__contains__, occasions))
    for instrument_id, occasion_id in set(map(_INSTRUMENT_OCCASION, at_follow_up)):
        follow_ups[instrument_id].add(occasion_id)
    candidates = sorted(
        i
        for i in follow_ups
        if i in context.instruments
        and context.instruments[i].level is EvaluationLevel.APPLICATION
        and context.instruments[i].subscales
    )
    if not candidates:
        return IndicatorValue(value=None, note="no utilisation answers at a follow-up")
    chosen = UTILISATION_INSTRUMENT if UTILISATION_INSTRUMENT in candidates else candidates[0]
    instrument = context.instruments[chosen]
    modules = tuple(m.id for m in context.workspace.concept.modules)
    occasion = max(follow_ups[chosen], key=lambda o: occasion_order(o, modules))
    subscale = instrument.subscales[0].id
    values = {
        s.respondent: s.value
        for s in compress(context.scores, map(occasion.__eq__, occasions))
        if s.instrument == chosen and s.subscale == subscale and s.value is not None
    }
    # fsum / n, as mean_sd: the float the group result of the same scores publishes
    mean = fsum(values.values()) / len(values) if values else None
    return IndicatorValue(value=mean, members=frozenset(values))


def attendance_rate(context: IndicatorContext) -> IndicatorValue:
    """Share of the expected participant-modules attended, over every module held (a module
    held as several sessions is attended by who came to every one, as the attendance
    figures count it; not one count per session)."""
    attended = sum(a.attended for a in context.participation.attendance)
    expected = sum(a.participants for a in context.participation.attendance)
    held = {c.id for c in context.workspace.cohorts if c.held_sessions()}
    members = {(c.id, p) for c in context.workspace.cohorts if c.id in held for p in c.participants}
    return IndicatorValue(value=_share(attended, expected), members=members)


def response_rate(context: IndicatorContext) -> IndicatorValue:
    """Share of the expected answers given, over every planned instrument and occasion."""
    from ..evaluation.participation import answered_by_occasion, expecting

    workspace = context.workspace
    answered = answered_by_occasion(workspace.responses)
    expected_for = expecting(workspace)  # equal to groups.expected_respondents, once per kind
    expected_total = given = 0
    members: set[tuple[str, str]] = set()
    nobody: frozenset[str] = frozenset()
    for planned in workspace.concept.evaluation.instruments:
        instrument = context.instruments.get(planned.instrument)
        if instrument is None:
            continue
        for occasion in planned.occasions:
            who = answered.get((planned.instrument, occasion), nobody)
            for cohort, expected in expected_for(instrument, occasion).items():
                expected_total += len(expected)
                given += len(expected & who)
                members.update(zip(repeat(cohort), expected))
    return IndicatorValue(value=_share(given, expected_total), members=members)


BUILTIN_INDICATORS = (
    Indicator(
        name="intermediary-led-share",
        title=Translations(
            {
                "en": "Share of deliveries led by intermediaries",
                "sv": "Andel leveranser ledda av intermediärer",
            }
        ),
        unit="share",
        compute=intermediary_led_share,
    ),
    Indicator(
        name="implementation-share",
        title=Translations(
            {
                "en": "Share of managers with a project at or past implementation",
                "sv": "Andel chefer med ett projekt i genomförande eller längre",
            }
        ),
        unit="share",
        compute=implementation_share,
    ),
    Indicator(
        name="utilisation-mean",
        title=Translations(
            {
                "en": "Mean utilisation at follow-up",
                "sv": "Medelvärde nyttiggörande vid uppföljning",
            }
        ),
        unit="number",
        compute=utilisation_mean,
    ),
    Indicator(
        name="attendance-rate",
        title=Translations({"en": "Attendance rate", "sv": "Närvarograd"}),
        unit="share",
        compute=attendance_rate,
    ),
    Indicator(
        name="response-rate",
        title=Translations({"en": "Response rate", "sv": "Svarsfrekvens"}),
        unit="share",
        compute=response_rate,
    ),
)


@hookimpl
def mio_register_indicators() -> list[Indicator]:
    """The built-in indicators."""
    return list(BUILTIN_INDICATORS)
