"""Participation: attendance, coaching dose and goal attainment, projects and outcomes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from ..model import (
    Cohort,
    Instrument,
    ModuleSession,
    OpsiFacet,
    OutcomeLevel,
    Respondent,
    Response,
    Workspace,
    occasion_module,
)
from ..plugins.registry import Registry
from .results import Attendance, CoachingDose, Count, GoalAttainment, Participation
from .stats import gas_t_score


def participation(workspace: Workspace, registry: Registry) -> Participation:
    """Return attendance per cohort and module, coaching per participant, GAS per engagement,
    projects per lifecycle stage and OPSI facet, and outcomes per level."""
    attendance = tuple(
        Attendance(
            cohort=cohort.id,
            module=module,
            attended=len(attenders),
            participants=len(expected[module]),
        )
        for cohort in workspace.cohorts
        # one row per module held (as one session or several); see Cohort.module_attenders
        # and, for who was expected (who had joined and not left), Cohort.module_expected
        for expected in (cohort.module_expected(),)
        for module, attenders in cohort.module_attenders().items()
    )
    # An engagement belongs to one cohort: a participant in two cohorts has, in each, the
    # coaching of that cohort's engagements (not all of their coaching in both).
    sessions: Counter[tuple[str, str]] = Counter()
    minutes: Counter[tuple[str, str]] = Counter()
    for engagement in workspace.engagements:
        key = (engagement.cohort, engagement.participant)
        sessions[key] += len(engagement.sessions)
        minutes[key] += sum(s.minutes for s in engagement.sessions)
    coaching = tuple(
        CoachingDose(
            participant=participant,
            cohort=cohort.id,
            sessions=sessions[(cohort.id, participant)],
            hours=minutes[(cohort.id, participant)] / 60,
        )
        for cohort in workspace.cohorts
        for participant in cohort.participants
    )
    goal_attainment = []
    for engagement in workspace.engagements:
        scored = [g for g in engagement.goals if g.attainment is not None]
        baseline = [g for g in engagement.goals if g.baseline is not None]
        goal_attainment.append(
            GoalAttainment(
                engagement=engagement.id,
                participant=engagement.participant,
                cohort=engagement.cohort,
                goals=len(engagement.goals),
                baseline=gas_t_score(
                    [g.baseline for g in baseline if g.baseline is not None],
                    [g.weight for g in baseline],
                ),
                attainment=gas_t_score(
                    [g.attainment for g in scored if g.attainment is not None],
                    [g.weight for g in scored],
                ),
            )
        )
    stages = Counter(p.stage for p in workspace.projects)
    order = []
    lifecycle = registry.lifecycles.get(workspace.concept.lifecycle)
    if lifecycle is not None:
        order = [stage.id for stage in lifecycle.stages]
    order += sorted(s for s in stages if s not in order)
    facets = Counter(p.facet.value for p in workspace.projects)
    levels = Counter(o.level.value for p in workspace.projects for o in p.outcomes)
    return Participation(
        attendance=attendance,
        coaching=coaching,
        goal_attainment=tuple(goal_attainment),
        projects_by_stage=tuple(Count(category=s, count=stages.get(s, 0)) for s in order),
        projects_by_facet=tuple(
            Count(category=f.value, count=facets.get(f.value, 0)) for f in OpsiFacet
        ),
        outcomes_by_level=tuple(
            Count(category=lv.value, count=levels.get(lv.value, 0)) for lv in OutcomeLevel
        ),
    )


def answered_by_occasion(responses: Iterable[Response]) -> dict[tuple[str, str], set[str]]:
    """Return who answered each (instrument, occasion), in the order first answered."""
    answered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for response in responses:
        answered[(response.instrument, response.occasion)].add(response.respondent)
    return dict(answered)


def expecting(workspace: Workspace) -> Callable[[Instrument, str], dict[str, set[str]]]:
    """Return ``expected(instrument, occasion)``, equal to
    :func:`.groups.expected_respondents` ``(workspace, instrument, occasion)``.

    For many instruments and occasions at once: each cohort's held sessions are grouped by
    module once, and the answer depends only on the instrument's target and the occasion's
    module, so each pair of them is worked out once (a test compares the two).
    """
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    cohorts: list[tuple[Cohort, dict[str | None, list[ModuleSession]]]] = []
    for cohort in workspace.cohorts:
        sessions: dict[str | None, list[ModuleSession]] = {None: list(cohort.held_sessions())}
        for session in sessions[None]:
            sessions.setdefault(session.module, []).append(session)
        cohorts.append((cohort, sessions))
    found: dict[tuple[Respondent, str | None, bool], dict[str, set[str]]] = {}

    def expected(instrument: Instrument, occasion: str) -> dict[str, set[str]]:
        module = occasion_module(occasion)
        target = Respondent(instrument.target)
        # who is a member is worked out on the first day for pre, else on the last
        kind = (target, module, module is None and occasion == "pre")
        if kind not in found:
            by_cohort: dict[str, set[str]] = {}
            for cohort, by_module in cohorts:
                participants = cohort.participants
                held = by_module.get(module, [])
                if module is not None and not held:
                    continue
                members = participants if module is not None else cohort.occasion_members(occasion)
                if target is Respondent.PARTICIPANT:
                    if module is None:
                        people = set(members)
                    else:
                        people = {p for s in held for p in s.attended}.intersection(participants)
                elif target is Respondent.COACH:
                    people = set(cohort.coaches)
                elif target is Respondent.FACILITATOR:
                    people = {f for s in held for f in s.facilitators}
                else:
                    people = {organisation_of[p] for p in members if p in organisation_of}
                by_cohort[cohort.id] = people
            found[kind] = by_cohort
        # copies: a caller may change what it is given
        return {cohort: set(people) for cohort, people in found[kind].items()}

    return expected
