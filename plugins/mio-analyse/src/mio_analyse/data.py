"""The tables the models read: one row per manager, subscale scores by occasion."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import attrs

import mio_core as m
from mio_core.evaluation import all_instruments, exact_score, score_responses
from mio_core.model import Workspace

PRE, POST = "pre", "post"


@attrs.frozen(kw_only=True)
class Manager:
    """What the models know about one participant (by pseudonym in a research export)."""

    id: str
    municipality: str
    cohort: str | None
    coaching_hours: float


@attrs.frozen(kw_only=True)
class Scores:
    """Every manager's score on one subscale of one instrument, by occasion."""

    instrument: str
    subscale: str
    #: occasion -> manager id -> score
    by_occasion: Mapping[str, Mapping[str, float]]
    #: the instrument's first follow-up occasion answered (``follow-up:6m``...), if any
    follow_up: str | None
    #: occasion -> manager id -> the exact score (a mean of whole answers, e.g. 11/3) of
    #: which ``by_occasion`` holds the float; where it has none, the float is taken exactly
    exact: Mapping[str, Mapping[str, Fraction]] = attrs.field(factory=dict)

    def exact_score(self, occasion: str, manager: str) -> Fraction:
        """Return a manager's exact score on ``occasion`` (the float's value without one)."""
        found = self.exact.get(occasion, {}).get(manager)
        return Fraction(self.by_occasion[occasion][manager]) if found is None else found


def managers(workspace: Workspace) -> dict[str, Manager]:
    """Return every participant with their organisation, first cohort and coaching hours."""
    cohort_of: dict[str, str] = {}
    for cohort in sorted(workspace.cohorts, key=lambda c: (c.start, c.id)):
        for person in cohort.participants:
            cohort_of.setdefault(person, cohort.id)
    minutes: dict[str, int] = {}
    for engagement in workspace.engagements:
        minutes[engagement.participant] = minutes.get(engagement.participant, 0) + sum(
            session.minutes for session in engagement.sessions
        )
    return {
        p.id: Manager(
            id=p.id,
            municipality=p.organisation,
            cohort=cohort_of.get(p.id),
            coaching_hours=minutes.get(p.id, 0) / 60,
        )
        for p in workspace.participants
    }


def _follow_up_months(occasion: str) -> float:
    return float(occasion.removeprefix("follow-up:").rstrip("m") or 0)


def subscale_scores(workspace: Workspace, registry: m.Registry) -> list[Scores]:
    """Return the scores of every subscale of every instrument answered both pre and post.

    A manager who answered an occasion twice keeps the last answer in file order; a score
    that is missing (too few items answered) is left out.
    """
    instruments = all_instruments(workspace, registry)
    people = {p.id for p in workspace.participants}
    methods = {(i.id, s.id): s.method for i in instruments.values() for s in i.subscales}
    table: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    exact: dict[tuple[str, str], dict[str, dict[str, Fraction]]] = {}
    for score in score_responses(workspace.responses, instruments):
        if score.value is None or score.respondent not in people:
            continue
        key = (score.instrument, score.subscale)
        table.setdefault(key, {}).setdefault(score.occasion, {})[score.respondent] = score.value
        if score.total is not None:
            exact.setdefault(key, {}).setdefault(score.occasion, {})[score.respondent] = (
                exact_score(score.total, score.answered, score.items, methods[key])
            )
    found = []
    for (instrument, subscale), by_occasion in sorted(table.items()):
        if PRE not in by_occasion or POST not in by_occasion:
            continue
        follow_ups = sorted(
            (o for o in by_occasion if o.startswith("follow-up:")), key=_follow_up_months
        )
        found.append(
            Scores(
                instrument=instrument,
                subscale=subscale,
                by_occasion=by_occasion,
                follow_up=follow_ups[0] if follow_ups else None,
                exact=exact.get((instrument, subscale), {}),
            )
        )
    return found
