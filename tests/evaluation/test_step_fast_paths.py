"""The evaluation's hand-written fast paths equal their plain references on generated inputs.

Each fast path (integer sums for whole-number answers, counts instead of sorting, one
piece of work per kind instead of per call) must give the very same numbers and sets, so
that every published figure stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections import defaultdict
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.evaluation import ALL, _participant_hours, stats
from mio_core.evaluation.groups import expected_respondents
from mio_core.evaluation.participation import answered_by_occasion, expecting
from mio_core.evaluation.results import Score
from mio_core.model import CoachingEngagement, Cohort, ScoreMethod, Workspace
from mio_core.model.coaching import CoachingSession
from mio_core.model.cohort import ModuleSession
from mio_core.model.enums import Respondent
from tests.conftest import EXAMPLE

# whole-number answers, small and huge (the guards send the huge ones to the float path)
WHOLE = st.one_of(st.integers(-3, 7), st.integers(-(2**60), 2**60))
ANSWER = st.one_of(WHOLE, st.booleans(), st.sampled_from([3.5, 4.0, -0.0, 0.1]))


def rows_of(values: st.SearchStrategy[object]) -> st.SearchStrategy[list[list[object]]]:
    return st.integers(2, 5).flatmap(
        lambda k: st.lists(st.lists(values, min_size=k, max_size=k), min_size=2, max_size=30)
    )


def reference_alpha(rows: list[list[float]]) -> float | None:
    """Cronbach's alpha as it was computed before the integer path: variance() of floats."""
    k = len(rows[0])
    item_variance = math.fsum(stats.variance(column) for column in zip(*rows, strict=True))
    total_variance = stats.variance([math.fsum(row) for row in rows])
    if total_variance == 0:
        return None
    return float(k / (k - 1) * (1 - item_variance / total_variance))


def same(a: float | None, b: float | None) -> bool:
    return a == b or (a is not None and b is not None and math.isnan(a) and math.isnan(b))


@given(rows_of(WHOLE))
def test_alpha_of_whole_answers_equals_the_float_computation(rows: list[list[int]]) -> None:
    assert same(stats.cronbach_alpha(rows), reference_alpha(rows))  # type: ignore[arg-type]


@given(rows_of(ANSWER))
def test_alpha_of_mixed_answers_equals_the_float_computation(rows: list[list[float]]) -> None:
    assert same(stats.cronbach_alpha(rows), reference_alpha(rows))


@given(st.lists(st.one_of(st.integers(-3, 7), st.integers(-(2**40), 2**40)), min_size=2))
def test_int_variance_equals_variance(values: list[int]) -> None:
    squares = sum(v * v for v in values)
    found = stats._int_variance(len(values), values[0], sum(values), squares)
    assert found == stats.variance(values)


def test_alpha_takes_the_integer_path_for_rating_scale_answers() -> None:
    rows = [[1, 2, 3], [2, 2, 4], [5, 4, 4], [3, 3, 1]]
    columns = list(zip(*rows, strict=True))
    assert stats._int_alpha_variances(rows, columns) is not None  # type: ignore[arg-type]
    assert stats._int_alpha_variances([[1.0, 2], [2, 3]], [(1.0, 2), (2, 3)]) is None


@given(st.lists(st.one_of(st.integers(0, 6), st.integers(1, 2**70)), max_size=60))
def test_ranks_from_counts_equal_the_sorted_ranks(magnitudes: list[int]) -> None:
    assert stats._doubled_int_ranks(magnitudes) == stats._doubled_ranks_sorted(magnitudes)


def reference_item_total(rows: list[list[float]], items: list[str]) -> list[tuple[object, ...]]:
    """item_total's figures the plain way: each answer exactly (a Fraction), the textbook
    variances and covariance of the item and the rest, each figure rounded once (the
    square root in decimal arithmetic at 80 digits)."""
    k, n = len(items), len(rows)
    exact = [[Fraction(v) for v in row] for row in rows]

    def covariance(x: list[Fraction], y: list[Fraction]) -> Fraction:
        mean_x, mean_y = sum(x, Fraction(0)) / n, sum(y, Fraction(0)) / n
        return sum(((a - mean_x) * (b - mean_y) for a, b in zip(x, y, strict=True)), Fraction(0))

    figures = []
    for index, item in enumerate(items):
        column = [row[index] for row in exact]
        rest_rows = [row[:index] + row[index + 1 :] for row in exact]
        rest = [sum(row, Fraction(0)) for row in rest_rows]
        variance_i, variance_rest = covariance(column, column), covariance(rest, rest)
        correlation = None
        if variance_i > 0 and variance_rest > 0:
            squared = covariance(column, rest) ** 2 / (variance_i * variance_rest)
            with decimal.localcontext() as context:
                context.prec = 80
                root = (
                    decimal.Decimal(squared.numerator) / decimal.Decimal(squared.denominator)
                ).sqrt()
            correlation = math.copysign(float(root), covariance(column, rest))
        alpha = None
        if k > 2 and variance_rest > 0:
            columns = zip(*rest_rows, strict=True)
            parts = sum((covariance(list(c), list(c)) for c in columns), Fraction(0))
            alpha = float(Fraction(k - 1, k - 2) * (1 - parts / variance_rest))
        figures.append((item, correlation, alpha))
    return figures


@given(rows_of(st.one_of(st.integers(-3, 7), st.sampled_from([3.5, 4.0, 0.1]))))
def test_item_total_equals_its_comprehension_form(rows: list[list[float]]) -> None:
    items = [f"q{i}" for i in range(len(rows[0]))]
    if len(rows) < 3:
        return
    ours = [(r.item, r.correlation, r.alpha_if_deleted) for r in stats.item_total(rows, items)]
    assert ours == reference_item_total(rows, items)


def score(method: ScoreMethod, items: int, answered: int, total: int) -> Score:
    answered = min(answered, items)
    return Score(
        respondent="r",
        instrument="i",
        occasion="pre",
        subscale="s",
        value=float(stats.exact_score(total, answered, items, method)),
        answered=answered,
        items=items,
        total=total,
    )


SCORE = st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(-30, 30))


def reference_exact_paired_change(
    before: list[Score], after: list[Score], method: ScoreMethod
) -> dict[str, object]:
    """exact_paired_change's integer path as a plain loop: each score over lcm(1 … items)."""
    scores = [*before, *after]
    scale = math.lcm(*range(1, max((s.items for s in scores), default=1) + 1))
    numerators = []
    for s in scores:
        factor = s.items if method is ScoreMethod.SUM else 1
        numerators.append(int(s.total) * factor * (scale // s.answered))  # type: ignore[arg-type]
    return stats.paired_change_scaled(numerators[: len(before)], numerators[len(before) :], scale)


@pytest.mark.parametrize("method", list(ScoreMethod))
@given(data=st.data())
def test_exact_paired_change_equals_its_loop_form(method: ScoreMethod, data: st.DataObject) -> None:
    drawn = data.draw(st.lists(st.tuples(SCORE, SCORE), max_size=30))
    before = [score(method, *b) for b, _ in drawn]
    after = [score(method, *a) for _, a in drawn]
    assert stats.exact_paired_change(before, after, method) == reference_exact_paired_change(
        before, after, method
    )


def reference_wilcoxon_plus(differences: list[int]) -> int:
    nonzero = [d for d in differences if d != 0]
    ranks, _ = stats._doubled_ranks_sorted([-d if d < 0 else d for d in nonzero])
    return sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)


@given(st.lists(st.integers(-6, 6), max_size=60))
def test_wilcoxon_statistic_equals_the_plain_rank_sum(differences: list[int]) -> None:
    plus = reference_wilcoxon_plus(differences)
    n = sum(1 for d in differences if d)
    assert stats.wilcoxon_signed_rank(differences).statistic == min(plus, n * (n + 1) - plus) / 2


# participant-hours: the per-(organisation, module) counts against one Fraction each


def reference_participant_hours(workspace: Workspace) -> dict[str, tuple[int, Fraction, Fraction]]:
    """Participants, module hours and coaching hours per organisation, one Fraction at a time."""
    hours = {mod.id: Fraction(str(mod.hours)) for mod in workspace.concept.modules}
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    people: dict[str, set[str]] = defaultdict(set)
    module_hours: dict[str, Fraction] = defaultdict(Fraction)
    coaching_hours: dict[str, Fraction] = defaultdict(Fraction)
    for cohort in workspace.cohorts:
        for person in cohort.participants:
            if person in organisation_of:
                people[organisation_of[person]].add(person)
        held = cohort.held_sessions()
        for session in held:
            # a module held as several sessions: each carries an equal share of its hours
            share = hours.get(session.module, Fraction()) / sum(
                1 for other in held if other.module == session.module
            )
            for person in set(session.attended) & set(cohort.participants):
                if person in organisation_of:
                    module_hours[organisation_of[person]] += share
    for engagement in workspace.engagements:
        organisation = organisation_of.get(engagement.participant)
        if organisation is not None and engagement.participant in people[organisation]:
            for session in engagement.sessions:
                coaching_hours[organisation] += Fraction(session.minutes, 60)
    found = {o: (len(people[o]), module_hours[o], coaching_hours[o]) for o in people if people[o]}
    if found:
        found[ALL] = (
            len({p for members in people.values() for p in members}),
            sum(module_hours.values(), Fraction()),
            sum(coaching_hours.values(), Fraction()),
        )
    return found


EXAMPLE_WORKSPACE = m.load_workspace(EXAMPLE)
PEOPLE = sorted(p.id for p in EXAMPLE_WORKSPACE.participants)
MODULES = [mod.id for mod in EXAMPLE_WORKSPACE.concept.modules]
INSTRUMENT = min(m.load_registry().instruments_for(EXAMPLE_WORKSPACE).values(), key=str)


@st.composite
def programmes(draw: st.DrawFn) -> Workspace:
    """The example's people and modules, with generated module hours, cohorts, attendance
    registers (strangers included) and coaching minutes."""
    day = EXAMPLE_WORKSPACE.cohorts[0].start
    hours = st.sampled_from([7.5, 6.25, 0.1, 2.3333, 1.0, 3.7])
    modules = tuple(
        attrs.evolve(mod, hours=draw(hours)) for mod in EXAMPLE_WORKSPACE.concept.modules
    )
    cohorts = []
    days = st.integers(0, 60).map(lambda n: day + dt.timedelta(days=n))
    for c in range(draw(st.integers(1, 3))):
        members = draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=8))
        # some joined late or left early (and a stranger may be named: the model allows it)
        named = st.sampled_from([*members, "stranger"])
        joined = draw(st.dictionaries(named, days, max_size=3))
        left = draw(st.dictionaries(named, days, max_size=3))
        sessions = tuple(
            ModuleSession(
                module=draw(st.sampled_from([*MODULES, "elsewhere"])),
                date=draw(days),
                status=draw(st.sampled_from(["held", "held", "planned", "cancelled"])),
                attended=tuple(draw(st.lists(st.sampled_from([*PEOPLE, "stranger"]), unique=True))),
            )
            for _ in range(draw(st.integers(0, 4)))
        )
        cohorts.append(
            Cohort(
                id=f"c{c}",
                concept=EXAMPLE_WORKSPACE.concept.id,
                delivered_by="liu",
                start=day,
                end=day + dt.timedelta(days=60),
                participants=tuple(members),
                joined=joined,
                left=left,
                sessions=sessions,
            )
        )
    engagements = tuple(
        CoachingEngagement(
            id=f"e{i}",
            participant=draw(st.sampled_from([*PEOPLE, "stranger"])),
            coach="c1",
            cohort="c0",
            sessions=tuple(
                CoachingSession(date=day, minutes=minutes)
                for minutes in draw(st.lists(st.integers(1, 200), max_size=3))
            ),
        )
        for i in range(draw(st.integers(0, 5)))
    )
    return attrs.evolve(
        EXAMPLE_WORKSPACE,
        concept=attrs.evolve(EXAMPLE_WORKSPACE.concept, modules=modules),
        cohorts=tuple(cohorts),
        engagements=engagements,
    )


@given(programmes())
def test_participant_hours_equal_the_sum_of_one_fraction_each(workspace: Workspace) -> None:
    expected = reference_participant_hours(workspace)
    found = {
        row.organisation: (row.participants, row.module_hours, row.coaching_hours)
        for row, _ in _participant_hours(workspace)
    }
    assert found == {
        o: (n, float(module), float(coaching)) for o, (n, module, coaching) in expected.items()
    }


@given(programmes(), st.sampled_from(list(Respondent)), st.data())
def test_expecting_equals_expected_respondents(
    workspace: Workspace, target: Respondent, data: st.DataObject
) -> None:
    instrument = attrs.evolve(INSTRUMENT, target=target)
    expected_for = expecting(workspace)
    occasions = ["pre", "post", "follow-up:6m", *(f"module:{mod}" for mod in MODULES)]
    for occasion in data.draw(st.lists(st.sampled_from(occasions), min_size=1, max_size=4)):
        assert expected_for(instrument, occasion) == expected_respondents(
            workspace, instrument, occasion
        )


def test_answered_by_occasion_collects_each_respondent_per_instrument_and_occasion() -> None:
    answered = answered_by_occasion(EXAMPLE_WORKSPACE.responses)
    for response in EXAMPLE_WORKSPACE.responses:
        assert response.respondent in answered[(response.instrument, response.occasion)]
    assert sum(map(len, answered.values())) == len(
        {(r.instrument, r.occasion, r.respondent) for r in EXAMPLE_WORKSPACE.responses}
    )
