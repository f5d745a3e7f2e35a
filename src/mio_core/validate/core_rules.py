"""The core rules over a whole workspace: unique ids, references, dates, codes, stages.

Each rule is a generator of problems; :mod:`mio_core.builtin.rules` registers them as the
built-in rule set, through the same hook a third party uses.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, partial
from typing import Any

from .. import data
from ..io import layout
from ..model import (
    DEFAULT_TIMEZONE,
    Cohort,
    ModuleSession,
    OrganisationKind,
    SessionStatus,
    Workspace,
    occasion_module,
)
from ..model.concept import plan_may_declare
from ..model.vocabulary import VOCABULARY_FIELDS
from ..plugins.interfaces import RuleContext
from ..problems import Problem, Severity


@cache
def scb_municipalities() -> dict[str, str]:
    """Return SCB's municipality codes with the municipality's name (all 290)."""
    return {row["municipality_code"]: row["municipality_name"] for row in data.municipalities()}


@cache
def scb_counties() -> dict[str, str]:
    """Return SCB's county codes with the county's name (all 21)."""
    return {row["county_code"]: row["county_name"] for row in data.counties()}


def _duplicates(
    context: RuleContext, kind: str, ids: Iterable[str], what: str
) -> Iterator[Problem]:
    counts = Counter(ids)
    for entity_id, count in counts.items():
        if count > 1:
            yield context.problem(
                kind,
                entity_id,
                ("id",),
                "duplicate-id",
                f"the {what} id {entity_id!r} is used {count} times; ids must be unique",
            )


def unique_ids(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Every organisation, person, cohort, engagement, project and instrument id is unique."""
    yield from _duplicates(
        context, "organisation", (o.id for o in workspace.organisations), "organisation"
    )
    people = [
        *(("participant", p.id) for p in workspace.participants),
        *(("coach", c.id) for c in workspace.coaches),
        *(("facilitator", f.id) for f in workspace.facilitators),
    ]
    counts = Counter(person_id for _, person_id in people)
    reported: set[str] = set()
    for kind, person_id in people:
        if counts[person_id] > 1 and person_id not in reported:
            reported.add(person_id)
            yield context.problem(
                kind,
                person_id,
                ("id",),
                "duplicate-id",
                f"the person id {person_id!r} is used {counts[person_id]} times in people.yaml; "
                "participants, coaches and facilitators share one set of ids",
            )
    yield from _duplicates(context, "cohort", (c.id for c in workspace.cohorts), "cohort")
    yield from _duplicates(
        context, "engagement", (e.id for e in workspace.engagements), "coaching engagement"
    )
    yield from _duplicates(context, "project", (p.id for p in workspace.projects), "project")
    own = [i.id for i in workspace.instruments]
    yield from _duplicates(context, "instrument", own, "instrument")
    for instrument_id in sorted(set(own) & set(context.registry.instruments)):
        plugins = " and ".join(context.registry.contributors("instruments", instrument_id))
        yield context.problem(
            "instrument",
            instrument_id,
            ("id",),
            "instrument-clash",
            f"the plugin {plugins or '(unknown)'} also gives an instrument {instrument_id!r}; "
            "this workspace's own is used (rename it if the plugin's was meant)",
            severity=Severity.WARNING,
        )


def concept_structure(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Module ids, module order and goal ids are unique; partners and funder exist."""
    concept = workspace.concept
    for field, values in (
        ("modules", [m.id for m in concept.modules]),
        ("goals", [g.id for g in concept.goals]),
    ):
        for value, count in Counter(values).items():
            if count > 1:
                index = values.index(value)
                yield context.problem(
                    "concept",
                    concept.id,
                    (field, index, "id"),
                    "duplicate-id",
                    f"{value!r} is used {count} times among the {field}",
                )
    orders = [m.order for m in concept.modules]
    for order, count in Counter(orders).items():
        if count > 1:
            yield context.problem(
                "concept",
                concept.id,
                ("modules", orders.index(order), "order"),
                "duplicate-order",
                f"{count} modules have order {order}",
            )
    organisations = {o.id for o in workspace.organisations}
    for index, partner in enumerate(concept.partners):
        if partner.organisation not in organisations:
            yield context.problem(
                "concept",
                concept.id,
                ("partners", index, "organisation"),
                "unknown-reference",
                f"no organisation {partner.organisation!r} in organisations.yaml",
                ref=("organisation", partner.organisation),
            )
    if concept.funding is not None and concept.funding.funder not in organisations:
        yield context.problem(
            "concept",
            concept.id,
            ("funding", "funder"),
            "unknown-reference",
            f"no organisation {concept.funding.funder!r} in organisations.yaml",
            ref=("organisation", concept.funding.funder),
        )
    indicators = context.registry.indicators
    for index, goal in enumerate(concept.goals):
        if goal.indicator is not None and goal.indicator not in indicators:
            close = difflib.get_close_matches(goal.indicator, list(indicators), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield context.problem(
                "concept",
                concept.id,
                ("goals", index, "indicator"),
                "unknown-indicator",
                f"no indicator {goal.indicator!r} among the built-in ones or a plugin's{hint} "
                f"(known: {', '.join(sorted(indicators)) or 'none'})",
            )
        elif goal.indicator is None and goal.target is not None:
            yield context.problem(
                "concept",
                concept.id,
                ("goals", index, "target"),
                "target-without-indicator",
                "a goal's target needs an indicator to be measured against",
            )
        elif goal.indicator is not None and goal.target is not None:
            unit = indicators[goal.indicator].unit
            if unit == "share" and not 0 <= goal.target <= 1:
                yield context.problem(
                    "concept",
                    concept.id,
                    ("goals", index, "target"),
                    "target-out-of-range",
                    f"the indicator {goal.indicator!r} is a share from 0 to 1; "
                    f"the target {goal.target} is outside it"
                    + (
                        f" (write {goal.target:g} % as {goal.target / 100:g})"
                        if 1 < goal.target <= 100
                        else ""
                    ),
                )
    modules = {m.id for m in concept.modules}
    for index, planned in enumerate(concept.evaluation.instruments):
        where = ("evaluation", "instruments", index)
        instrument = context.instruments.get(planned.instrument)
        if instrument is None:
            yield context.problem(
                "concept",
                concept.id,
                (*where, "instrument"),
                "unknown-instrument",
                f"no instrument {planned.instrument!r} in instruments/ or from a plugin",
                ref=("instrument", planned.instrument),
            )
        for occasion_index, occasion in enumerate(planned.occasions):
            module = occasion_module(occasion)
            if module is not None and module not in modules:
                yield context.problem(
                    "concept",
                    concept.id,
                    (*where, "occasions", occasion_index),
                    "unknown-module",
                    f"{occasion!r} names no module of the concept",
                )
            elif instrument is not None and not plan_may_declare(instrument, occasion):
                yield context.problem(
                    "concept",
                    concept.id,
                    (*where, "occasions", occasion_index),
                    "occasion-not-allowed",
                    f"the instrument {instrument.id!r} is not made for the occasion {occasion!r} "
                    "(a plan may add any follow-up:<n>m; other occasions must be the "
                    "instrument's own)",
                )


def organisations(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Municipalities carry a real SCB code; county codes agree; parents exist."""
    codes = scb_municipalities()
    counties = scb_counties()
    known = {o.id for o in workspace.organisations}
    for organisation in workspace.organisations:
        code = organisation.municipality_code
        if organisation.kind == OrganisationKind.MUNICIPALITY and code is None:
            yield context.problem(
                "organisation",
                organisation.id,
                ("municipality_code",),
                "missing-field",
                "a municipality needs its four-digit SCB municipality code (kommunkod)",
            )
        if code is not None and code not in codes:
            yield context.problem(
                "organisation",
                organisation.id,
                ("municipality_code",),
                "unknown-code",
                f"{code!r} is not one of SCB's 290 municipality codes",
            )
        county = organisation.county_code
        if county is not None and county not in counties:
            yield context.problem(
                "organisation",
                organisation.id,
                ("county_code",),
                "unknown-code",
                f"{county!r} is not one of SCB's county codes",
            )
        elif county is not None and code is not None and code[:2] != county:
            yield context.problem(
                "organisation",
                organisation.id,
                ("county_code",),
                "county-mismatch",
                f"the municipality code {code} lies in county {code[:2]}, not {county}",
            )
        if organisation.parent is not None and organisation.parent not in known:
            yield context.problem(
                "organisation",
                organisation.id,
                ("parent",),
                "unknown-reference",
                f"no organisation {organisation.parent!r}",
                ref=("organisation", organisation.parent),
            )


def people(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Every person belongs to an organisation that exists."""
    known = {o.id for o in workspace.organisations}
    for kind, persons in (
        ("participant", workspace.participants),
        ("coach", workspace.coaches),
        ("facilitator", workspace.facilitators),
    ):
        for person in persons:
            if person.organisation not in known:
                yield context.problem(
                    kind,
                    person.id,
                    ("organisation",),
                    "unknown-reference",
                    f"no organisation {person.organisation!r} in organisations.yaml",
                    ref=("organisation", person.organisation),
                )


def vocabularies(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Manager levels, sectors and organisation kinds are values of the concept's lists
    (MIO's when it declares none); a declared list names each value once."""
    concept = workspace.concept
    for name in VOCABULARY_FIELDS:
        seen: set[str] = set()
        for index, term in enumerate(getattr(concept.vocabularies, name)):
            if term.id in seen:
                yield context.problem(
                    "concept",
                    concept.id,
                    ("vocabularies", name, index, "id"),
                    "duplicate-id",
                    f"the value {term.id!r} is declared more than once in {name}",
                )
            seen.add(term.id)
    entities: dict[str, tuple[Any, ...]] = {
        "participant": workspace.participants,
        "organisation": workspace.organisations,
    }
    for name, (kind, field) in VOCABULARY_FIELDS.items():
        allowed = [term.id for term in concept.terms(name)]
        if not allowed:  # sectors nobody declared: any id goes
            continue
        where = "the concept's" if getattr(concept.vocabularies, name) else "MIO's default"
        for entity in entities[kind]:
            value = getattr(entity, field)
            if value is not None and value not in allowed:
                yield context.problem(
                    kind,
                    entity.id,
                    (field,),
                    "unknown-value",
                    f"{field} {value!r} is not one of {where} {name.replace('_', ' ')}: "
                    f"{', '.join(allowed)} (declare it under vocabularies: {name}: in "
                    "concept.yaml)",
                )


def cohorts(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Cohorts name the concept, a deliverer, known people and modules; sessions fit dates."""
    concept = workspace.concept
    modules = {m.id for m in concept.modules}
    organisations = {o.id for o in workspace.organisations}
    participants = {p.id for p in workspace.participants}
    coaches = {c.id for c in workspace.coaches}
    facilitators = {f.id for f in workspace.facilitators} | coaches
    for cohort in workspace.cohorts:
        problem = partial(context.problem, "cohort", cohort.id)
        if layout.is_device_name(cohort.id):
            yield problem(
                ("id",),
                "device-name",
                f"{cohort.id!r} is a device name on Windows, where the files named after the "
                f"cohort (cohorts/{cohort.id}.yaml, {cohort.id}.ics of the ical export) cannot "
                "be made or opened: give the cohort another id",
                severity=Severity.WARNING,
            )
        if cohort.concept != concept.id:
            yield problem(
                ("concept",),
                "unknown-reference",
                f"the workspace's concept is {concept.id!r}, not {cohort.concept!r}",
            )
        if cohort.delivered_by not in organisations:
            yield problem(
                ("delivered_by",),
                "unknown-reference",
                f"no organisation {cohort.delivered_by!r} in organisations.yaml",
                ref=("organisation", cohort.delivered_by),
            )
        for index, participant in enumerate(cohort.participants):
            if participant not in participants:
                yield problem(
                    ("participants", index),
                    "unknown-reference",
                    f"no participant {participant!r} in people.yaml",
                    ref=("participant", participant),
                )
        for participant, count in Counter(cohort.participants).items():
            if count > 1:
                yield problem(
                    ("participants",), "duplicate-id", f"{participant!r} is listed {count} times"
                )
        for index, coach in enumerate(cohort.coaches):
            if coach not in coaches:
                yield problem(
                    ("coaches", index),
                    "unknown-reference",
                    f"no coach {coach!r} in people.yaml",
                    ref=("coach", coach),
                )
        if not known_timezone(cohort.timezone):
            yield problem(
                ("timezone",),
                "unknown-timezone",
                f"{cohort.timezone!r} is not a timezone; use an IANA name such as "
                f"{DEFAULT_TIMEZONE!r}",
            )
        yield from _membership(problem, cohort)
        members = set(cohort.participants)
        for index, session in enumerate(cohort.sessions):
            where = ("sessions", index)
            if session.module not in modules:
                yield problem(
                    (*where, "module"),
                    "unknown-module",
                    f"the concept has no module {session.module!r}",
                )
            if not cohort.start <= session.date <= cohort.end:
                yield problem(
                    (*where, "date"),
                    "date-outside",
                    f"{session.date.isoformat()} lies outside the cohort's dates "
                    f"{cohort.start.isoformat()} to {cohort.end.isoformat()}",
                )
            for f_index, facilitator in enumerate(session.facilitators):
                if facilitator not in facilitators:
                    yield problem(
                        (*where, "facilitators", f_index),
                        "unknown-reference",
                        f"no facilitator or coach {facilitator!r} in people.yaml",
                        ref=("facilitator", facilitator),
                    )
            yield from _session_status(problem, where, session)
            for a_index, participant in enumerate(session.attended):
                if participant not in members:
                    yield problem(
                        (*where, "attended", a_index),
                        "not-in-cohort",
                        f"{participant!r} attended but is not a participant of the cohort; "
                        "add them to the cohort's participants (someone who left the "
                        "programme stays there) or remove them from this register",
                        ref=("participant", participant),
                    )
                elif not cohort.member_on(participant, session.date):
                    yield problem(
                        (*where, "attended", a_index),
                        "not-in-cohort",
                        f"{participant!r} attended on {session.date.isoformat()} but "
                        f"{_membership_dates(cohort, participant)}; correct the date in "
                        "`joined:` or `left:`, or remove them from this register",
                        ref=("participant", participant),
                    )


def _membership_dates(cohort: Cohort, participant: str) -> str:
    """How the cohort's ``joined`` and ``left`` place ``participant``, in words."""
    said = []
    if participant in cohort.joined:
        said.append(f"joined on {cohort.joined[participant].isoformat()}")
    if participant in cohort.left:
        said.append(f"left on {cohort.left[participant].isoformat()}")
    return " and ".join(said)


def _membership(problem: Callable[..., Problem], cohort: Cohort) -> Iterator[Problem]:
    """The cohort's ``joined`` and ``left``: participants of the cohort, on days within its
    dates, joined before they left."""
    listed = set(cohort.participants)
    for field in ("joined", "left"):
        dates: Mapping[str, dt.date] = getattr(cohort, field)
        for participant, day in dates.items():
            if participant not in listed:
                yield problem(
                    (field, participant),
                    "not-in-cohort",
                    f"{field} names {participant!r}, who is not among the cohort's "
                    "participants; add them there (someone who left stays there)",
                    ref=("participant", participant),
                )
            if not cohort.start <= day <= cohort.end:
                yield problem(
                    (field, participant),
                    "date-outside",
                    f"{participant!r} {field} on {day.isoformat()}, outside the cohort's "
                    f"dates {cohort.start.isoformat()} to {cohort.end.isoformat()}",
                )
    for participant, day in cohort.left.items():
        joined = cohort.joined.get(participant)
        if joined is not None and day <= joined:
            yield problem(
                ("left", participant),
                "date-order",
                f"{participant!r} left on {day.isoformat()}, not after they joined on "
                f"{joined.isoformat()}",
            )


def known_timezone(name: str) -> bool:
    """Return whether ``name`` is an IANA timezone this system knows."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _session_status(
    problem: Callable[..., Problem], where: tuple[str | int, ...], session: ModuleSession
) -> Iterator[Problem]:
    """A session not held has no register; a held one lies in the past, a planned one ahead."""
    today = dt.date.today()
    if not session.held and session.attended:
        yield problem(
            (*where, "attended"),
            "attendance-not-held",
            f"the session is {session.status.value}, so nobody can have attended; "
            "remove the register or set status: held",
        )
    if session.held and session.date > today:
        yield problem(
            (*where, "date"),
            "held-in-future",
            f"the session is held (the default) but its date {session.date.isoformat()} has not "
            "come yet; add status: planned",
            severity=Severity.WARNING,
        )
    if session.status is SessionStatus.PLANNED and session.date < today:
        yield problem(
            (*where, "status"),
            "planned-in-past",
            f"the session was planned for {session.date.isoformat()}, which has passed; "
            "record who came and set status: held, or set status: cancelled",
            severity=Severity.WARNING,
        )


def coaching(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Engagements name a participant of their cohort and a coach; goals and dates fit."""
    participants = {p.id for p in workspace.participants}
    coaches = {c.id for c in workspace.coaches}
    cohorts_by_id = {c.id: c for c in workspace.cohorts}
    for engagement in workspace.engagements:
        problem = partial(context.problem, "engagement", engagement.id)

        if engagement.participant not in participants:
            yield problem(
                ("participant",),
                "unknown-reference",
                f"no participant {engagement.participant!r} in people.yaml",
                ref=("participant", engagement.participant),
            )
        if engagement.coach not in coaches:
            yield problem(
                ("coach",),
                "unknown-reference",
                f"no coach {engagement.coach!r} in people.yaml",
                ref=("coach", engagement.coach),
            )
        cohort = cohorts_by_id.get(engagement.cohort)
        if cohort is None:
            yield problem(
                ("cohort",),
                "unknown-reference",
                f"no cohort {engagement.cohort!r} in cohorts/",
                ref=("cohort", engagement.cohort),
            )
        elif (
            engagement.participant in participants
            and engagement.participant not in cohort.participants
        ):
            yield problem(
                ("participant",),
                "not-in-cohort",
                f"{engagement.participant!r} is not a participant of cohort {cohort.id!r}",
            )
        goal_ids = [goal.id for goal in engagement.goals]
        for goal_id, count in Counter(goal_ids).items():
            if count > 1:
                yield problem(
                    ("goals", goal_ids.index(goal_id), "id"),
                    "duplicate-id",
                    f"the goal id {goal_id!r} is used {count} times",
                )
        dates = [session.date for session in engagement.sessions]
        for index in range(1, len(dates)):
            if dates[index] < dates[index - 1]:
                yield problem(
                    ("sessions", index, "date"),
                    "date-order",
                    "coaching sessions must be listed in date order",
                )


def projects(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Projects have a participant owner, a known organisation and cohort, and valid stages."""
    participants = {p.id: p for p in workspace.participants}
    organisations = {o.id for o in workspace.organisations}
    cohort_ids = {c.id for c in workspace.cohorts}
    lifecycle = context.lifecycle()
    if lifecycle is None:
        yield context.problem(
            "concept",
            workspace.concept.id,
            ("lifecycle",),
            "unknown-lifecycle",
            f"no lifecycle model {workspace.concept.lifecycle!r}; known: "
            f"{', '.join(sorted(context.registry.lifecycles)) or 'none'}",
        )
    for project in workspace.projects:
        problem = partial(context.problem, "project", project.id)

        if project.owner is not None and project.owner not in participants:
            yield problem(
                ("owner",),
                "unknown-reference",
                f"the owner {project.owner!r} is not a participant in people.yaml",
                ref=("participant", project.owner),
            )
        if project.organisation not in organisations:
            yield problem(
                ("organisation",),
                "unknown-reference",
                f"no organisation {project.organisation!r} in organisations.yaml",
                ref=("organisation", project.organisation),
            )
        if project.cohort is not None and project.cohort not in cohort_ids:
            yield problem(
                ("cohort",),
                "unknown-reference",
                f"no cohort {project.cohort!r}",
                ref=("cohort", project.cohort),
            )
        if lifecycle is not None:
            stages = [stage.id for stage in lifecycle.stages]
            if project.stage not in stages:
                yield problem(
                    ("stage",),
                    "unknown-stage",
                    f"{project.stage!r} is not a stage of the {lifecycle.name} "
                    f"lifecycle ({', '.join(stages)})",
                )
            for index, change in enumerate(project.history):
                if change.stage not in stages:
                    yield problem(
                        ("history", index, "stage"),
                        "unknown-stage",
                        f"{change.stage!r} is not a stage of the {lifecycle.name} "
                        f"lifecycle ({', '.join(stages)})",
                    )
        for index in range(1, len(project.history)):
            if project.history[index].date < project.history[index - 1].date:
                yield problem(
                    ("history", index, "date"),
                    "date-order",
                    "the stage history must be in date order",
                )
        if project.history and project.history[-1].stage != project.stage:
            yield problem(
                ("stage",),
                "stage-mismatch",
                f"the stage is {project.stage!r} but the history ends in "
                f"{project.history[-1].stage!r}",
            )
