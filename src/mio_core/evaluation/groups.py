"""Group results: each measure per occasion, for everyone and by cohort and organisation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ..model import Instrument, Respondent, Response, Workspace, occasion_module, occasion_order
from .results import GroupResult, Score
from .scoring import item_bounds
from .stats import describe
from .suppression import suppress, suppress_waves

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


def _measure_results(
    instrument: str,
    measure: str,
    kind: str,
    waves: Mapping[str, Mapping[str, float]],
    groups: Mapping[str, Mapping[str, str]],
    min_group_size: int,
    options: tuple[int, ...],
) -> Iterable[GroupResult]:
    """Yield one measure's results on every occasion (wave), suppressed across the waves."""

    def result(
        occasion: str, by: str, group: str, values: list[float], why: str | None
    ) -> GroupResult:
        return GroupResult(
            instrument=instrument,
            occasion=occasion,
            module=occasion_module(occasion),
            measure=measure,
            measure_kind=kind,
            group_by=by,
            group=group,
            summary=None if why else describe(values, options),
            suppressed=why,
        )

    totals = {wave: list(values.values()) for wave, values in waves.items() if values}
    total_hidden = {
        wave: suppress({ALL: len(values)}, None, min_group_size).get(ALL)
        for wave, values in totals.items()
    }
    members: dict[str, dict[str, dict[str, list[float]]]] = {}
    hidden: dict[str, dict[str, dict[str, str]]] = {}
    for breakdown in BREAKDOWNS:
        members[breakdown] = {}
        for wave in totals:
            by_group: dict[str, list[float]] = defaultdict(list)
            for respondent, value in waves[wave].items():
                by_group[groups[breakdown].get(respondent, NO_GROUP)].append(value)
            members[breakdown][wave] = by_group
        hidden[breakdown] = suppress_waves(
            {
                wave: {g: len(v) for g, v in by_group.items()}
                for wave, by_group in members[breakdown].items()
            },
            {wave: None if total_hidden[wave] else len(totals[wave]) for wave in totals},
            min_group_size,
        )
    for wave, values in totals.items():
        yield result(wave, ALL, ALL, values, total_hidden[wave])
        for breakdown in BREAKDOWNS:
            for group, group_values in sorted(members[breakdown][wave].items()):
                yield result(
                    wave, breakdown, group, group_values, hidden[breakdown][wave].get(group)
                )


def group_results(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    scores: Iterable[Score],
) -> list[GroupResult]:
    """Return every subscale's and item's results per occasion, overall and by group.

    Small groups are suppressed per occasion and then across occasions: a group hidden on
    one occasion of an instrument is hidden on all of them (see :func:`suppress_waves`).
    """
    min_group_size = workspace.manifest.privacy.min_group_size
    groups = respondent_groups(workspace)
    modules = tuple(m.id for m in sorted(workspace.concept.modules, key=lambda m: m.order))

    by_subscale: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for score in scores:
        if score.value is not None:
            by_subscale[(score.instrument, score.subscale, score.occasion)][score.respondent] = (
                score.value
            )
    responses: dict[str, dict[str, list[Response]]] = defaultdict(lambda: defaultdict(list))
    for response in workspace.responses:
        if response.instrument in instruments:
            responses[response.instrument][response.occasion].append(response)

    results: list[GroupResult] = []
    for instrument_id in sorted(responses):
        instrument = instruments[instrument_id]
        occasions = sorted(responses[instrument_id], key=lambda o: occasion_order(o, modules))
        for subscale in instrument.subscales:
            waves = {o: by_subscale.get((instrument_id, subscale.id, o), {}) for o in occasions}
            results.extend(
                _measure_results(
                    instrument_id, subscale.id, "subscale", waves, groups, min_group_size, ()
                )
            )
        bounds = item_bounds(instrument)
        by_item: dict[str, dict[str, dict[str, float]]] = {
            item.id: {occasion: {} for occasion in occasions} for item in instrument.items
        }
        for occasion in occasions:  # one pass over the answers, not one per item
            for response in responses[instrument_id][occasion]:
                for item_id, value in response.answers.items():
                    limits = bounds.get(item_id)
                    if value is not None and limits is not None and limits[0] <= value <= limits[1]:
                        by_item[item_id][occasion][response.respondent] = value
        for item in instrument.items:
            limits = bounds.get(item.id)
            options = tuple(range(limits[0], limits[1] + 1)) if limits else ()
            results.extend(
                _measure_results(
                    instrument_id,
                    item.id,
                    "item",
                    by_item[item.id],
                    groups,
                    min_group_size,
                    options,
                )
            )
    # reading order: instrument, occasion in time order, then measures as the instrument lists them
    position = {id(r): i for i, r in enumerate(results)}
    results.sort(key=lambda r: (r.instrument, occasion_order(r.occasion, modules), position[id(r)]))
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
