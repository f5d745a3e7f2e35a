"""Evaluation: scores, group results, reliability, change, response rates, participation,
counts per option of choice items.

``evaluate(workspace, registry)`` returns an :class:`EvaluationResult` of attrs values;
nothing is printed. ``build_view(result, workspace, registry, language)`` turns it into the
:class:`EvaluationView` every renderer lays out (sections, tables, figures).

Every published figure is a cell over a set of respondents; one audit
(:mod:`.disclosure`) suppresses the cells smaller than the workspace's ``min_group_size``
and every cell whose difference from another would reveal a small group. A suppressed cell
carries no figures, not even its n.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from itertools import repeat
from typing import NamedTuple

import attrs

from ..model import Instrument, ScoreMethod, Workspace, occasion_order
from ..model.workspace import expect_workspace
from ..plugins.output import plugin_output
from ..plugins.registry import Registry
from .choices import audit_cells, choice_cells
from .coaching import coaching_summary
from .disclosure import SECONDARY, Cell, Facet, audit
from .disclosure import Cell as AuditCell
from .groups import ALL, GroupCell, GroupCells, respondent_groups
from .participation import answered_by_occasion, expecting, participation
from .results import (
    Analysis,
    AnalysisFigure,
    Attendance,
    Change,
    ChoiceResult,
    CoachingDose,
    Count,
    EvaluationResult,
    GoalAttainment,
    GoalIndicator,
    GroupResult,
    ItemTotal,
    ModuleAttendance,
    OptionCount,
    ParticipantHours,
    Participation,
    Reliability,
    ResponseRate,
    Score,
    Summary,
)
from .scoring import exact_score, score_responses
from .stats import (
    alpha_interval,
    cronbach_alpha,
    exact_paired_change,
    gas_t_score,
    item_total,
    paired_change,
)
from .view import Cell as ViewCell
from .view import Column, EvaluationView, Figure, Row, Section, Series, Table, build_view
from .words import words_for

__all__ = [
    "Analysis",
    "AnalysisFigure",
    "Attendance",
    "AuditCell",
    "Change",
    "ChoiceResult",
    "CoachingDose",
    "Column",
    "Count",
    "EvaluationResult",
    "EvaluationView",
    "Facet",
    "Figure",
    "GoalAttainment",
    "GoalIndicator",
    "GroupResult",
    "ItemTotal",
    "ModuleAttendance",
    "OptionCount",
    "ParticipantHours",
    "Participation",
    "Reliability",
    "ResponseRate",
    "Row",
    "Score",
    "Section",
    "Series",
    "Summary",
    "Table",
    "ViewCell",
    "all_instruments",
    "audit",
    "build_view",
    "coaching_summary",
    "evaluate",
    "exact_score",
    "gas_t_score",
    "paired_change",
    "score_responses",
    "words_for",
]


def all_instruments(workspace: Workspace, registry: Registry) -> dict[str, Instrument]:
    """Return the plugins' instruments and the workspace's own, by id.

    The same as :meth:`Registry.instruments_for <mio_core.Registry.instruments_for>`, which
    documents the precedence; kept for callers of this name.
    """
    return registry.instruments_for(workspace)


def _reliability(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    rows: Mapping[tuple[str, str, str], list[Sequence[float]]],
    completed_by: Mapping[tuple[str, str, str], list[str]],
    answered: Mapping[tuple[str, str], set[str]],
) -> list[tuple[Reliability, Cell, _Figures]]:
    """``rows`` and ``completed_by``: the complete rows score_responses collected and who
    gave them; ``answered``: who answered each (instrument, occasion).

    Each reliability comes with its cell and its figures (alpha, its interval and the
    item-total statistics), worked out now so that the complete rows can go before the
    group cells are made (a tenth of evaluation's memory at national size); the figures
    of a cell the audit suppresses are dropped unpublished."""
    results: list[tuple[Reliability, Cell, _Figures]] = []
    modules = tuple(m.id for m in sorted(workspace.concept.modules, key=lambda m: m.order))
    pairs = set(answered)  # every (instrument, occasion) answered
    for instrument_id, occasion in sorted(
        pairs, key=lambda pair: (pair[0], occasion_order(pair[1], modules))
    ):
        instrument = instruments.get(instrument_id)
        if instrument is None:
            continue
        for subscale in instrument.subscales:
            if len(subscale.items) < 2:
                continue
            complete = rows.get((instrument_id, occasion, subscale.id), [])
            given_by = completed_by.get((instrument_id, occasion, subscale.id), ())
            members = frozenset(given_by)
            if len(members) < len(complete):
                # a respondent who answered twice counts once, with their later complete
                # row in the place of the first, as their score does (see score_responses)
                last = dict(zip(given_by, complete, strict=True))
                complete = list(last.values())
            family = (instrument_id, "reliability", subscale.id, occasion)
            results.append(
                (
                    Reliability(
                        instrument=instrument_id,
                        occasion=occasion,
                        subscale=subscale.id,
                        n=len(complete),
                        items=len(subscale.items),
                        alpha=None,
                    ),
                    Cell(
                        key=("reliability", len(results)),
                        facets=(Facet(family=family, members=members),),
                        total=True,
                    ),
                    _reliability_figures(complete, subscale.items),
                )
            )
    return results


class _Figures(NamedTuple):
    """What a published reliability holds of its complete rows."""

    alpha: float | None
    alpha_ci_low: float | None
    alpha_ci_high: float | None
    item_total: tuple[ItemTotal, ...]


def _reliability_figures(rows: list[Sequence[float]], items: tuple[str, ...]) -> _Figures:
    """Return alpha of ``rows``, its confidence interval and each item's item-total
    statistics."""
    alpha = cronbach_alpha(rows)
    low, high = (None, None) if alpha is None else alpha_interval(alpha, len(rows), len(items))
    return _Figures(alpha, low, high, item_total(rows, items))


def _changes(
    instruments: Mapping[str, Instrument],
    scores: list[Score],
    answered: Mapping[tuple[str, str], set[str]],
) -> list[tuple[Change, Cell, list[Score], list[Score], ScoreMethod]]:
    occasions: dict[str, set[str]] = defaultdict(set)
    for instrument_id, occasion in answered:
        occasions[instrument_id].add(occasion)
    # only the occasions a change is between (not those after a module): half the scores
    compared = {"pre", "post"} | {o for _, o in answered if o.startswith("follow-up:")}
    by_key: dict[tuple[str, str, str], dict[str, Score]] = defaultdict(dict)
    for score in scores:
        if score.value is not None and score.occasion in compared:
            by_key[(score.instrument, score.subscale, score.occasion)][score.respondent] = score
    results: list[tuple[Change, Cell, list[Score], list[Score], ScoreMethod]] = []
    shared: dict[frozenset[str], frozenset[str]] = {}
    for instrument_id in sorted(occasions):
        instrument = instruments.get(instrument_id)
        if instrument is None or "pre" not in occasions[instrument_id]:
            continue
        later = ["post"] if "post" in occasions[instrument_id] else []
        later += sorted(
            (o for o in occasions[instrument_id] if o.startswith("follow-up:")), key=occasion_order
        )
        for after in later:
            for subscale in instrument.subscales:
                before_scores = by_key.get((instrument_id, subscale.id, "pre"), {})
                after_scores = by_key.get((instrument_id, subscale.id, after), {})
                pairs = sorted(set(before_scores) & set(after_scores))
                members = frozenset(pairs)
                members = shared.setdefault(members, members)  # the subscales mostly share
                # the pairs publish the mean before and the mean after: one facet in each
                # occasion's family, so pairs against occasion totals are audited
                cell = Cell(
                    key=("change", len(results)),
                    facets=tuple(
                        Facet(family=(instrument_id, "subscale", subscale.id, o), members=members)
                        for o in ("pre", after)
                    ),
                )
                change = Change(
                    instrument=instrument_id,
                    subscale=subscale.id,
                    before="pre",
                    after=after,
                    n_pairs=len(pairs),
                )
                results.append(
                    (
                        change,
                        cell,
                        [before_scores[p] for p in pairs],
                        [after_scores[p] for p in pairs],
                        subscale.method,
                    )
                )
    return results


def _response_rates(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    answered: Mapping[tuple[str, str], set[str]],
) -> list[tuple[ResponseRate, Cell]]:
    # each cohort's respondents (a person counts in the first cohort that lists them): who
    # answered in a cohort is then one set intersection
    in_cohort: dict[str, set[str]] = defaultdict(set)
    for person, cohort in respondent_groups(workspace)["cohort"].items():
        in_cohort[cohort].add(person)
    expected_for = expecting(workspace)
    planned = [
        (p.instrument, o) for p in workspace.concept.evaluation.instruments for o in p.occasions
    ]
    planned += [key for key in sorted(answered) if key not in planned]
    results: list[tuple[ResponseRate, Cell]] = []
    nobody: frozenset[str] = frozenset()
    # A cohort's expected mostly repeat (the same participants before, after and at each
    # follow-up, for every instrument): each distinct set of (cohort, respondent) pairs is
    # made once and shared by the cells, and each pair once (at national size 152,000
    # pairs in 6,380 cells, 74,000 in the distinct sets: a tenth of the memory).
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    made: dict[tuple[str, frozenset[str]], frozenset[tuple[str, str]]] = {}
    for instrument_id, occasion in planned:
        instrument = instruments.get(instrument_id)
        if instrument is None:
            continue
        who = answered.get((instrument_id, occasion), nobody)
        # a count of who answered among those expected: a cell over the expected
        family = ("response", instrument_id, occasion)
        for cohort, expected in expected_for(instrument, occasion).items():
            members = who & in_cohort.get(cohort, nobody)
            key = (cohort, frozenset(expected | members))
            people = made.get(key)
            if people is None:
                people = made[key] = frozenset(
                    pairs.setdefault(pair, pair) for pair in zip(repeat(cohort), key[1])
                )
            results.append(
                (
                    ResponseRate(
                        instrument=instrument_id,
                        occasion=occasion,
                        cohort=cohort,
                        expected=len(expected),
                        answered=len(expected & who),
                        unexpected=len(members - expected),
                    ),
                    Cell(
                        key=("rate", len(results)),
                        facets=(Facet(family=family, members=people, breakdown="cohort"),),
                    ),
                )
            )
    return results


def _attendance(workspace: Workspace) -> list[tuple[ModuleAttendance, Cell]]:
    """Attendance per module per cohort and over every cohort; members are (cohort,
    participant) so that cohorts sharing a participant stay disjoint cells.

    A module may be held as several sessions (two half-days): a participant attended the
    module when present at every held session of it (:meth:`Cohort.module_attenders`), and
    was expected at it when a member of the cohort on each of their days (who joined late
    or left is not expected outside their time: :meth:`Cohort.module_expected`).
    """
    counts: dict[tuple[str, str], list[int]] = {}
    # each cohort's (cohort, participant) pairs are made once, for all its modules, and
    # the cells of a module's cohorts are joined at the end; a set met before (a cohort's
    # for each module, everyone's when every cohort holds every module) is shared
    members: dict[tuple[str, str], list[frozenset[tuple[str, str]]]] = defaultdict(list)
    for cohort in workspace.cohorts:
        # who was expected: every participant, unless some joined late or left
        expected_at = cohort.module_expected()
        tags: dict[tuple[str, ...], frozenset[tuple[str, str]]] = {}
        for module, attenders in cohort.module_attenders().items():
            came = len(attenders)
            expected = expected_at[module]
            tagged = tags.get(expected)
            if tagged is None:
                tagged = tags[expected] = frozenset(zip(repeat(cohort.id), expected))
            for group in (cohort.id, ALL):
                count = counts.setdefault((module, group), [0, 0])
                count[0] += came
                count[1] += len(expected)
                members[(module, group)].append(tagged)
    shared: dict[frozenset[tuple[str, str]], frozenset[tuple[str, str]]] = {}
    modules = {m.id: m.order for m in workspace.concept.modules}
    results: list[tuple[ModuleAttendance, Cell]] = []
    for module, group in sorted(
        counts, key=lambda key: (modules.get(key[0], 0), key[0], key[1] != ALL, key[1])
    ):
        attended, participants = counts[(module, group)]
        parts = members[(module, group)]
        joined = parts[0] if len(parts) == 1 else frozenset().union(*parts)
        facet = Facet(
            family=("attendance", module),
            members=shared.setdefault(joined, joined),
            breakdown=None if group == ALL else "cohort",
        )
        results.append(
            (
                ModuleAttendance(
                    module=module, cohort=group, attended=attended, participants=participants
                ),
                Cell(key=("attendance", len(results)), facets=(facet,), total=group == ALL),
            )
        )
    return results


def _goal_indicators(
    workspace: Workspace,
    registry: Registry,
    instruments: Mapping[str, Instrument],
    scores: list[Score],
    counts: Participation,
) -> list[tuple[GoalIndicator, Cell | None]]:
    """Each goal that names an indicator, computed; the cell its value is audited with
    (None when there is no value to audit). An indicator no plugin gives is left out
    (``mio validate`` reports it)."""
    from ..plugins.interfaces import IndicatorContext, IndicatorValue
    from ..problems import MioError

    context = IndicatorContext(
        workspace=workspace,
        registry=registry,
        instruments=instruments,
        scores=tuple(scores),
        participation=counts,
    )
    results: list[tuple[GoalIndicator, Cell | None]] = []
    for goal in workspace.concept.goals:
        indicator = registry.indicators.get(goal.indicator) if goal.indicator else None
        if indicator is None or goal.indicator is None:
            continue
        with plugin_output(registry.owner("indicators", indicator.name)):
            computed = indicator.compute(context)
        if not isinstance(computed, IndicatorValue):
            raise MioError(
                f"the indicator {indicator.name!r} returned {type(computed).__name__}, "
                "not an IndicatorValue (mio_core.plugins.IndicatorValue)"
            )
        row = GoalIndicator(
            goal=goal.id,
            indicator=goal.indicator,
            unit=indicator.unit,
            value=computed.value,
            target=goal.target,
            n=len(computed.members),
            note=computed.note,
        )
        cell = (
            Cell(
                key=("indicator", len(results)),
                facets=(Facet(family=("indicator", goal.indicator), members=computed.members),),
            )
            if computed.value is not None
            else None
        )
        results.append((row, cell))
    return results


#: The built-in indicators that are totals of published cells: answers given over those
#: expected (the response-rate cells) and sessions attended over expected (the attendance
#: cells; the same counts where a module is held as one session).
TOTALS = ("response-rate", "attendance-rate")


def _hide_indicator_totals(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    indicators: Sequence[tuple[GoalIndicator, Cell | None]],
    rates: Sequence[tuple[ResponseRate, Cell]],
    attendance: Sequence[tuple[ModuleAttendance, Cell]],
    hidden: dict[Hashable, str],
    minimum: int,
) -> None:
    """Suppress an indicator that is a total of published cells where it would give back
    the hidden ones.

    Its value times what it is over (the cohorts' sizes are published) minus the visible
    cells is the count of the people in the hidden cells: like a total beside its groups,
    it is hidden (secondary) when those people are 1 … k−1. Nothing is compared with an
    indicator, so hiding one hides nothing else.
    """
    left: dict[str, set[Hashable]] = {}
    for row, cell in indicators:
        if cell is None or cell.key in hidden or row.indicator not in TOTALS:
            continue
        if row.indicator not in left:
            left[row.indicator] = (
                _hidden_expected(workspace, instruments, rates, hidden)
                if row.indicator == "response-rate"
                else _hidden_attenders(attendance, hidden)
            )
        if 0 < len(left[row.indicator]) < minimum:
            hidden[cell.key] = SECONDARY


def _hidden_expected(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    rates: Sequence[tuple[ResponseRate, Cell]],
    hidden: Mapping[Hashable, str],
) -> set[Hashable]:
    """The (cohort, respondent) pairs expected in the hidden response-rate cells of the
    evaluation plan (those the response-rate indicator sums)."""
    planned = {
        (p.instrument, o) for p in workspace.concept.evaluation.instruments for o in p.occasions
    }
    expected_for = expecting(workspace)
    left: set[Hashable] = set()
    for rate, cell in rates:
        if cell.key in hidden and (rate.instrument, rate.occasion) in planned:
            expected = expected_for(instruments[rate.instrument], rate.occasion)
            left.update(zip(repeat(rate.cohort), expected.get(rate.cohort, ())))
    return left


def _hidden_attenders(
    attendance: Sequence[tuple[ModuleAttendance, Cell]], hidden: Mapping[Hashable, str]
) -> set[Hashable]:
    """The (cohort, participant) pairs of the hidden cohort rows of the modules whose row
    over every cohort is hidden too (a visible one gives the module's total)."""
    shown = {a.module for a, cell in attendance if a.cohort == ALL and cell.key not in hidden}
    left: set[Hashable] = set()
    for a, cell in attendance:
        if a.cohort != ALL and a.module not in shown and cell.key in hidden:
            for facet in cell.facets:
                left.update(facet.members)
    return left


#: The family of the coaching dose's hours (:meth:`.groups.GroupCell.cell` of the programme
#: cells: instrument, kind, measure, occasion), which the participant-hours cells join.
COACHING_HOURS = ("coaching", "coaching", "hours", "programme")


def _participant_hours(workspace: Workspace) -> list[tuple[ParticipantHours, Cell]]:
    """Held module-session hours attended plus coaching hours, per organisation and over
    all, summed exactly (module hours as written in decimal, minutes / 60)."""
    hours = {m.id: Fraction(str(m.hours)) for m in workspace.concept.modules}
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    people: dict[str, set[str]] = defaultdict(set)
    # each organisation's (cohort, participant) pairs: the members of the coaching dose's
    # cells (one per participant and cohort), whose hours the coaching hours here sum
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    # A module held as several sessions (two half-days) gives its hours once: each of its
    # held sessions in the cohort carries an equal share of them, so who came to both
    # half-days of a 6-hour module has 6 hours, who came to one has 3.
    # Attendances are counted per (organisation, module, sessions of it) and multiplied by
    # the share's exact hours once at the end, and whole minutes (ints) are added before one
    # division by 60: the same exact Fractions as adding one per attendance and per
    # engagement (a test compares the two), without a Fraction addition per person and session.
    attendances: Counter[tuple[str, str, int]] = Counter()
    minutes: Counter[str] = Counter()
    for cohort in workspace.cohorts:
        known = {p for p in cohort.participants if p in organisation_of}
        for person in known:
            people[organisation_of[person]].add(person)
            pairs[organisation_of[person]].add((cohort.id, person))
        held = cohort.held_sessions()  # planned and cancelled sessions give no hours
        parts = Counter(session.module for session in held)
        for session in held:
            module = session.module
            attendances.update(
                (organisation_of[person], module, parts[module])
                for person in known.intersection(session.attended)
            )
    for engagement in workspace.engagements:
        organisation = organisation_of.get(engagement.participant)
        if organisation is not None and engagement.participant in people.get(organisation, ()):
            minutes[organisation] += sum(s.minutes for s in engagement.sessions)
    module_hours: dict[str, Fraction] = defaultdict(Fraction)
    for (organisation, module, sessions), count in attendances.items():
        module_hours[organisation] += count * hours.get(module, Fraction()) / sessions
    coaching_hours: dict[str, Fraction] = defaultdict(Fraction)
    for organisation, total in minutes.items():
        coaching_hours[organisation] = Fraction(total, 60)
    everyone = frozenset(p for members in people.values() for p in members)
    rows = [
        (
            ALL,
            everyone,
            frozenset(pair for members in pairs.values() for pair in members),
            sum(module_hours.values(), Fraction()),
            sum(coaching_hours.values(), Fraction()),
        )
    ]
    rows += [
        (o, frozenset(people[o]), frozenset(pairs[o]), module_hours[o], coaching_hours[o])
        for o in sorted(people)
        if people[o]
    ]
    if not everyone:
        return []
    return [
        (
            ParticipantHours(
                organisation=organisation,
                participants=len(members),
                module_hours=float(module),
                coaching_hours=float(coaching),
            ),
            Cell(
                key=("hours", i),
                facets=(
                    Facet(
                        family=("participant-hours",),
                        members=members,
                        breakdown=None if organisation == ALL else "organisation",
                    ),
                    # the coaching hours are the coaching dose's variable: an organisation
                    # inside a cohort (or holding one) gives the rest's hours by difference
                    Facet(
                        family=COACHING_HOURS,
                        members=coached,
                        breakdown=None if organisation == ALL else "organisation",
                    ),
                ),
                total=organisation == ALL,
            ),
        )
        for i, (organisation, members, coached, module, coaching) in enumerate(rows)
    ]


def _programme(workspace: Workspace, participation: Participation) -> list[GroupCell]:
    """Coaching dose per participant and GAS T-scores per engagement, overall and by cohort."""
    variables: list[tuple[str, str, str, dict[tuple[str, str], float]]] = []
    for name, pick in (("sessions", "sessions"), ("hours", "hours")):
        values = {
            (d.cohort, d.participant): float(getattr(d, pick)) for d in participation.coaching
        }
        variables.append(("coaching", "programme", name, values))
    for occasion, field in (("baseline", "baseline"), ("follow-up", "attainment")):
        gas: dict[tuple[str, str], float] = {}
        for g in participation.goal_attainment:
            value = getattr(g, field)
            if value is not None:
                gas[(g.cohort, g.engagement)] = value
        variables.append(("gas", occasion, "t_score", gas))
    cells = []
    for instrument, occasion, measure, values in variables:
        if not values:
            continue
        by_cohort: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
        for key, value in values.items():
            by_cohort[key[0]][key] = value
        for by, group, group_values in [
            (ALL, ALL, values),
            *(("cohort", c, v) for c, v in sorted(by_cohort.items())),
        ]:
            cells.append(
                GroupCell(
                    head=(instrument, occasion, None, measure, instrument, by, group),
                    values=tuple(group_values.values()),
                    members=frozenset(group_values),
                )
            )
    return cells


def evaluate(workspace: Workspace, registry: Registry | None = None) -> EvaluationResult:
    """Return the evaluation of ``workspace``: scores, group results by cohort, module,
    organisation and occasion, reliability, change, response rates and participation.

    ``registry`` supplies the instruments and lifecycle models of plugins (default: every
    installed plugin).
    """
    expect_workspace(workspace, "evaluate")
    if registry is None:
        from ..plugins.manager import load_registry

        registry = load_registry()
    instruments = all_instruments(workspace, registry)
    return _with_analyses(workspace, _evaluate(workspace, registry, instruments), registry)


def _with_analyses(
    workspace: Workspace, result: EvaluationResult, registry: Registry
) -> EvaluationResult:
    """Add the plugins' analyses (hook ``mio_evaluation_analyses``), each one audited."""
    failures: list[tuple[str, str]] = []
    analyses: dict[str, Analysis] = {}
    hook = "mio_evaluation_analyses"
    context = {"workspace": workspace, "result": result, "registry": registry}
    for plugin, returned in registry.call_each(hook, failures, **context):
        if not isinstance(returned, list | tuple) or not all(
            isinstance(a, Analysis) for a in returned
        ):
            registry.refuse(failures, plugin, f"{hook} must return a list of Analysis values")
            continue
        for analysis in returned:
            if analysis.name in analyses:
                other = analyses[analysis.name].plugin
                registry.refuse(
                    failures,
                    plugin,
                    f"its analysis {analysis.name!r} clashes with the one from plugin "
                    f"{other!r}; the one from {other!r} is kept",
                )
                continue
            analyses[analysis.name] = _audited(analysis, plugin, result.min_group_size)
    if not analyses and not failures:
        return result
    return attrs.evolve(result, analyses=analyses, plugin_failures=tuple(failures))


def _audited(analysis: Analysis, plugin: str, minimum: int) -> Analysis:
    """Return ``analysis`` with every figure the disclosure audit hides without a value."""
    family = ("analysis", analysis.name)
    cells = [
        Cell(key=i, facets=(Facet(family=family, members=frozenset(f.members)),))
        for i, f in enumerate(analysis.figures)
        if f.members
    ]
    hidden = audit(cells, minimum)
    figures = tuple(
        attrs.evolve(f, value=None, suppressed=hidden[i]) if i in hidden else f
        for i, f in enumerate(analysis.figures)
    )
    return attrs.evolve(analysis, figures=figures, plugin=plugin)


def _groups_published(
    made: GroupCells, changes: Sequence[tuple[str, Cell]], minimum: int
) -> tuple[list[GroupResult], dict[Hashable, str]]:
    """Return every group result, published, in reading order, and what the audit hides of
    the paired ``changes``' cells (each given with its instrument).

    Each group cell's key is ("group", its index among the results). Every published cell
    is audited, but not all at once (see :func:`.disclosure.audit`: cells that share no
    family are audited apart with the same result): an item's cells on one occasion are
    the only facets of their family, and an instrument's subscale cells share families
    only with its paired changes. So each wave's item cells are audited, published and let
    go as they are made, and each instrument's subscale cells with its changes once its
    last wave is made: no more than one instrument's cells are held at a time.
    """
    by_instrument: dict[str, list[Cell]] = defaultdict(list)
    for instrument, cell in changes:
        by_instrument[instrument].append(cell)
    change_keys = {cell.key for _, cell in changes}
    hidden_changes: dict[Hashable, str] = {}
    published: dict[tuple[str, str], list[GroupResult]] = {}
    held: list[tuple[tuple[str, str], int, list[GroupCell]]] = []  # the instrument's waves
    key = 0
    waves = made.waves
    for at, wave in enumerate(waves):
        subscales = made.subscale_cells(*wave)
        held.append((wave, key, subscales))
        key += len(subscales)
        items = made.item_cells(*wave)
        published[wave] = _published(items, key, audit(_cells(items, key), minimum), minimum)
        key += len(published[wave])
        if at + 1 < len(waves) and waves[at + 1][0] == wave[0]:
            continue
        cells = [cell for _, first, held_cells in held for cell in _cells(held_cells, first)]
        cells += by_instrument.pop(wave[0], [])
        hidden = audit(cells, minimum)
        del cells
        hidden_changes.update((k, why) for k, why in hidden.items() if k in change_keys)
        for held_wave, first, held_cells in held:
            published[held_wave][:0] = _published(held_cells, first, hidden, minimum)
        held.clear()
    # changes of an instrument no group cell is of (none, as the changes are made from
    # the same answers) would still be audited
    rest = [cell for cells in by_instrument.values() for cell in cells]
    hidden_changes.update(audit(rest, minimum))
    return [result for wave in waves for result in published.pop(wave)], hidden_changes


def _cells(cells: list[GroupCell], key: int) -> list[Cell]:
    """Return the audit's cells of group ``cells`` keyed ("group", key), ("group", key + 1)…"""
    return [c.cell(("group", key + i)) for i, c in enumerate(cells)]


def _published(
    cells: list[GroupCell], key: int, hidden: Mapping[Hashable, str], minimum: int
) -> list[GroupResult]:
    """Return group ``cells`` (keyed from ``key`` on) published, letting each go as soon as
    it is (the list is emptied)."""
    cells.reverse()
    return [
        cells.pop().published(hidden.get(("group", key + i)), minimum) for i in range(len(cells))
    ]


def _evaluate(
    workspace: Workspace, registry: Registry, instruments: Mapping[str, Instrument]
) -> EvaluationResult:
    minimum = workspace.manifest.privacy.min_group_size
    complete: dict[tuple[str, str, str], list[Sequence[float]]] = {}
    completed_by: dict[tuple[str, str, str], list[str]] = {}
    scored: dict[tuple[str, str, str], dict[str, float]] = {}
    scores = list(
        score_responses(
            workspace.responses, instruments, complete, completed_by=completed_by, scored=scored
        )
    )
    answered = answered_by_occasion(workspace.responses)  # one pass over the responses
    reliability = _reliability(workspace, instruments, complete, completed_by, answered)
    del complete, completed_by
    counts = participation(workspace, registry)
    changes = _changes(instruments, scores, answered)
    made = GroupCells(workspace, instruments, scores, scored)
    del scored
    paired = [(row[0].instrument, row[1]) for row in changes]
    published_groups, hidden = _groups_published(made, paired, minimum)
    del made
    programme = _programme(workspace, counts)
    rates = _response_rates(workspace, instruments, answered)
    attendance = _attendance(workspace)
    indicators = _goal_indicators(workspace, registry, instruments, scores, counts)
    hours = _participant_hours(workspace)
    choices = choice_cells(workspace, instruments)

    # the audit of every other published cell: keys say which list and which row
    cells: list[Cell] = []
    cells += [c.cell(("programme", i)) for i, c in enumerate(programme)]
    # the rows' cells come keyed (kind, row index): no attrs.evolve per cell
    cells += [row[1] for row in reliability]
    cells += [row[1] for row in rates]
    cells += [row[1] for row in attendance]
    cells += [cell for _, cell in indicators if cell is not None]
    cells += [row[1] for row in hours]
    cells += audit_cells(choices)
    hidden.update(audit(cells, minimum))
    del cells
    _hide_indicator_totals(workspace, instruments, indicators, rates, attendance, hidden, minimum)

    published_reliability = []
    for i, (r, _, figures) in enumerate(reliability):
        why = hidden.get(("reliability", i))
        published_reliability.append(
            attrs.evolve(r, n=None, suppressed=why)
            if why
            else attrs.evolve(
                r,
                alpha=figures.alpha,
                alpha_ci_low=figures.alpha_ci_low,
                alpha_ci_high=figures.alpha_ci_high,
                item_total=figures.item_total,
            )
        )
    published_changes = []
    for i, (c, _, before, after, method) in enumerate(changes):
        why = hidden.get(("change", i))
        published_changes.append(
            attrs.evolve(c, n_pairs=None, suppressed=why)
            if why
            else attrs.evolve(c, **exact_paired_change(before, after, method))
        )
    published_rates = []
    for i, (rate, _) in enumerate(rates):
        why = hidden.get(("rate", i))
        published_rates.append(
            attrs.evolve(rate, expected=None, answered=None, unexpected=None, suppressed=why)
            if why
            else rate
        )
    published_attendance = []
    for i, (a, _) in enumerate(attendance):
        why = hidden.get(("attendance", i))
        published_attendance.append(
            attrs.evolve(a, attended=None, participants=None, suppressed=why) if why else a
        )
    published_indicators = []
    for i, (g, _) in enumerate(indicators):
        why = hidden.get(("indicator", i))
        published_indicators.append(
            attrs.evolve(g, value=None, n=None, suppressed=why) if why else g
        )
    published_hours = []
    for i, (h, _) in enumerate(hours):
        why = hidden.get(("hours", i))
        published_hours.append(
            attrs.evolve(
                h, participants=None, module_hours=None, coaching_hours=None, suppressed=why
            )
            if why
            else h
        )
    return EvaluationResult(
        min_group_size=minimum,
        goal_indicators=tuple(published_indicators),
        participant_hours=tuple(published_hours),
        scores=tuple(scores),
        groups=tuple(published_groups),
        reliability=tuple(published_reliability),
        changes=tuple(published_changes),
        response_rates=tuple(published_rates),
        participation=counts,
        attendance=tuple(published_attendance),
        choices=tuple(c.published(hidden, ("choice", i)) for i, c in enumerate(choices)),
        programme=tuple(
            c.published(hidden.get(("programme", i)), minimum) for i, c in enumerate(programme)
        ),
    )
