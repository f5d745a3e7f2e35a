"""Group results: each measure per occasion, for everyone and by cohort and organisation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ..model import Instrument, Respondent, Response, Workspace, occasion_module, occasion_order
from .results import GroupResult, Score
from .scoring import item_value
from .stats import describe
from .suppression import suppress

ALL = "all"
BREAKDOWNS = ("cohort", "organisation")
NO_GROUP = "(none)"


def respondent_groups(workspace: Workspace) -> dict[str, dict[str, str]]:
    """Return, for each breakdown, the group of every respondent id.

    A participant belongs to the first cohort that lists them and to their organisation;
    a coach to the first cohort they coach and to their organisation; an organisation to
    itself.
    """
    cohort_of: dict[str, str] = {}
    for cohort in workspace.cohorts:
        for person in (*cohort.participants, *cohort.coaches):
            cohort_of.setdefault(person, cohort.id)
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    organisation_of.update({c.id: c.organisation for c in workspace.coaches})
    organisation_of.update({f.id: f.organisation for f in workspace.facilitators})
    organisation_of.update({o.id: o.id for o in workspace.organisations})
    return {"cohort": cohort_of, "organisation": organisation_of}


def _results(
    instrument: str,
    occasion: str,
    measure: str,
    kind: str,
    values: Mapping[str, float],
    groups: Mapping[str, Mapping[str, str]],
    min_group_size: int,
    options: tuple[int, ...],
) -> Iterable[GroupResult]:
    module = occasion_module(occasion)

    def result(group_by: str, group: str, members: list[float], why: str | None) -> GroupResult:
        return GroupResult(
            instrument=instrument,
            occasion=occasion,
            module=module,
            measure=measure,
            measure_kind=kind,
            group_by=group_by,
            group=group,
            summary=None if why else describe(members, options),
            suppressed=why,
        )

    total = list(values.values())
    if not total:
        return
    total_hidden = suppress({ALL: len(total)}, None, min_group_size).get(ALL)
    yield result(ALL, ALL, total, total_hidden)
    for breakdown in BREAKDOWNS:
        members: dict[str, list[float]] = defaultdict(list)
        for respondent, value in values.items():
            members[groups[breakdown].get(respondent, NO_GROUP)].append(value)
        hidden = suppress(
            {g: len(v) for g, v in members.items()},
            None if total_hidden else len(total),
            min_group_size,
        )
        for group in sorted(members):
            yield result(breakdown, group, members[group], hidden.get(group))


def group_results(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    scores: Iterable[Score],
) -> list[GroupResult]:
    """Return every subscale's and item's results per occasion, overall and by group."""
    min_group_size = workspace.manifest.privacy.min_group_size
    groups = respondent_groups(workspace)
    results: list[GroupResult] = []

    by_subscale: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for score in scores:
        if score.value is not None:
            by_subscale[(score.instrument, score.occasion, score.subscale)][score.respondent] = (
                score.value
            )
    responses: dict[tuple[str, str], list[Response]] = defaultdict(list)
    for response in workspace.responses:
        if response.instrument in instruments:
            responses[(response.instrument, response.occasion)].append(response)

    modules = tuple(m.id for m in sorted(workspace.concept.modules, key=lambda m: m.order))
    in_order = sorted(
        responses.items(), key=lambda kv: (kv[0][0], occasion_order(kv[0][1], modules))
    )
    for (instrument_id, occasion), answered in in_order:
        instrument = instruments[instrument_id]
        for subscale in instrument.subscales:
            values = by_subscale.get((instrument_id, occasion, subscale.id), {})
            results.extend(
                _results(
                    instrument_id,
                    occasion,
                    subscale.id,
                    "subscale",
                    values,
                    groups,
                    min_group_size,
                    (),
                )
            )
        for item in instrument.items:
            scale = instrument.scale_of(item)
            options = tuple(range(scale.min, scale.max + 1)) if scale else ()
            item_values = {
                r.respondent: v
                for r in answered
                if (v := item_value(instrument, item.id, r.answers.get(item.id))) is not None
            }
            results.extend(
                _results(
                    instrument_id,
                    occasion,
                    item.id,
                    "item",
                    item_values,
                    groups,
                    min_group_size,
                    options,
                )
            )
    return results


def expected_respondents(
    workspace: Workspace, instrument: Instrument, occasion: str
) -> dict[str, set[str]]:
    """Return, per cohort, who is expected to answer ``instrument`` on ``occasion``.

    Participants are expected before (pre) and after (post) the concept and at follow-ups;
    after a module only those who attended it. Coaches, facilitators and organisations are
    expected as the instrument's target says.
    """
    module = occasion_module(occasion)
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    expected: dict[str, set[str]] = {}
    for cohort in workspace.cohorts:
        sessions = [s for s in cohort.sessions if module is None or s.module == module]
        if module is not None and not sessions:
            continue
        target = Respondent(instrument.target)
        if target is Respondent.PARTICIPANT:
            if module is None:
                people = set(cohort.participants)
            else:
                people = {p for s in sessions for p in s.attended} & set(cohort.participants)
        elif target is Respondent.COACH:
            people = set(cohort.coaches)
        elif target is Respondent.FACILITATOR:
            people = {f for s in sessions for f in s.facilitators}
        else:
            people = {organisation_of[p] for p in cohort.participants if p in organisation_of}
        expected[cohort.id] = people
    return expected
