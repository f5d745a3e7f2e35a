"""Participation: attendance, coaching dose and goal attainment, projects and outcomes."""

from __future__ import annotations

from collections import Counter

from ..model import OpsiFacet, OutcomeLevel, Workspace
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
            participants=len(cohort.participants),
        )
        for cohort in workspace.cohorts
        # one row per module held (as one session or several); see Cohort.module_attenders
        for module, attenders in cohort.module_attenders().items()
    )
    sessions: Counter[str] = Counter()
    minutes: Counter[str] = Counter()
    for engagement in workspace.engagements:
        sessions[engagement.participant] += len(engagement.sessions)
        minutes[engagement.participant] += sum(s.minutes for s in engagement.sessions)
    coaching = tuple(
        CoachingDose(
            participant=participant,
            cohort=cohort.id,
            sessions=sessions[participant],
            hours=minutes[participant] / 60,
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
