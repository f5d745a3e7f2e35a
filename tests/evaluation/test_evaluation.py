"""Statistics checked against hand-worked values and an independent implementation."""

from __future__ import annotations

import decimal
import math
import random
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

import mio_core as m
import mio_core.evaluation
from mio_core.evaluation import EvaluationResult, evaluate, gas_t_score
from mio_core.evaluation.scoring import reverse, score
from mio_core.evaluation.stats import (
    cronbach_alpha,
    describe,
    item_total,
    mean_sd,
    paired_change,
    t_interval,
)
from mio_core.evaluation.suppression import suppress
from mio_core.model import Instrument, Item, Response, ResponseScale, ScaleLabel, Subscale
from mio_core.testing import make_registry

from ..helpers import scipy_wilcoxon

# -- descriptive statistics ------------------------------------------------------------


def test_describe_matches_a_hand_worked_example() -> None:
    summary = describe([2, 4, 4, 5], options=(1, 2, 3, 4, 5))
    assert summary.n == 4
    assert summary.mean == pytest.approx(3.75)
    assert summary.sd == pytest.approx(math.sqrt(4.75 / 3))  # 1.258306
    assert summary.median == 4
    assert (summary.min, summary.max) == (2, 5)
    # t(0.975, 3) = 3.182446; half width = 3.182446 * 1.258306 / 2 = 2.002245
    assert summary.ci_low == pytest.approx(1.747755, abs=1e-6)
    assert summary.ci_high == pytest.approx(5.752245, abs=1e-6)
    assert summary.distribution == ((1, 0), (2, 1), (3, 0), (4, 2), (5, 1))


def test_one_value_has_no_spread_or_interval() -> None:
    summary = describe([3])
    assert (summary.n, summary.mean, summary.sd, summary.ci_low) == (1, 3, None, None)


@pytest.mark.parametrize(
    "values",
    [[4] * 19, [4, 4], [2.5, 2.5, 2.5], [11 / 3] * 6],
    ids=["answers-on-a-scale", "two-answers", "float-answers", "scores"],
)
def test_identical_values_have_a_zero_sd_and_no_interval(values: list[float]) -> None:
    # SciPy's t interval of a zero scale is (nan, nan); a zero-width interval would claim
    # that identical answers pin the mean down exactly
    options = (1, 2, 3, 4, 5) if isinstance(values[0], int) else ()
    summary = describe(values, options)
    expected = scipy_stats.t.interval(0.95, len(values) - 1, loc=values[0], scale=0.0)
    assert all(math.isnan(bound) for bound in expected)
    assert (summary.mean, summary.sd, summary.ci_low, summary.ci_high) == (
        values[0],
        0.0,
        None,
        None,
    )


def test_two_values_have_the_interval_of_one_degree_of_freedom() -> None:
    summary = describe([3, 4], options=(1, 2, 3, 4, 5))
    low, high = scipy_stats.t.interval(0.95, 1, loc=3.5, scale=math.sqrt(0.5) / math.sqrt(2))
    assert (summary.ci_low, summary.ci_high) == (
        pytest.approx(low, rel=1e-14),
        pytest.approx(high, rel=1e-14),
    )


answer_values = st.lists(
    st.integers(1, 7) | st.sampled_from([1.5, 2.0, 3.25, 4.0, 6.5]), min_size=1, max_size=40
)


@given(answer_values)
def test_describe_gives_the_statistics_modules_order_statistics(values: list[float]) -> None:
    import statistics

    summary = describe(values, options=(1, 2, 3, 4, 5, 6, 7))
    # the same value and the same type (4 and 4.0 print differently)
    for mine, theirs in (
        (summary.median, statistics.median(values)),
        (summary.min, min(values)),
        (summary.max, max(values)),
    ):
        assert (mine, type(mine)) == (theirs, type(theirs))
    assert summary.distribution == tuple((o, values.count(o)) for o in range(1, 8))


@given(answer_values)
def test_describe_without_order_statistics_leaves_only_them_out(values: list[float]) -> None:
    full = describe(values, options=(1, 2, 3))
    bare = describe(values, options=(1, 2, 3), order_statistics=False)
    assert bare == attrs.evolve(full, median=None, min=None, max=None, distribution=())


@given(
    st.lists(st.integers(-3, 9), min_size=1, max_size=60),
    st.booleans(),
)
def test_describe_of_whole_numbers_gives_the_very_floats_of_the_general_path(
    values: list[int], order_statistics: bool
) -> None:
    import statistics

    options = tuple(range(1, 8))
    # the general path, taken by values that are not all whole numbers: mean_sd, the t
    # interval and statistics' order statistics, here over the same numbers
    mean, sd = mean_sd(values)
    low, high = t_interval(mean, sd, len(values)) if sd else (None, None)
    shown = {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "distribution": tuple((o, values.count(o)) for o in options),
    }
    summary = describe(values, options, order_statistics=order_statistics)
    assert (summary.n, summary.mean, summary.sd) == (len(values), mean, sd)
    assert (summary.ci_low, summary.ci_high) == (low, high)
    for name, theirs in shown.items():
        mine = getattr(summary, name)
        expected = theirs if order_statistics else (() if name == "distribution" else None)
        assert (mine, type(mine)) == (expected, type(expected))


def plain_summary(
    values: list[Any], options: tuple[int, ...], order_statistics: bool
) -> dict[str, object]:
    """describe's figures the plain way: mean_sd, t_interval, the statistics module and
    counts of each option."""
    import statistics

    mean, sd = mean_sd(values)
    low, high = t_interval(mean, sd, len(values)) if sd else (None, None)
    figures: dict[str, object] = {
        "n": len(values),
        "mean": mean,
        "sd": sd,
        "ci_low": low,
        "ci_high": high,
        "median": None,
        "min": None,
        "max": None,
        "distribution": (),
    }
    if order_statistics:
        figures["median"] = statistics.median(values)
        figures["min"], figures["max"] = min(values), max(values)
        if options:
            figures["distribution"] = tuple((o, values.count(o)) for o in options)
    return figures


@st.composite
def scales_and_answers(draw: st.DrawFn) -> tuple[tuple[int, ...], list[Any]]:
    # a scale (short ones are counted option by option, longer ones by a Counter) and
    # answers mostly on it, sometimes off it, as floats, bools or other numbers
    low = draw(st.integers(-2, 2))
    options = tuple(range(low, low + draw(st.integers(1, 14))))
    on_scale = st.sampled_from(options)
    other = st.integers(-4, 16) | st.sampled_from([True, False, 3.5, 4.0, 1.0, 0.0])
    values = draw(
        st.lists(on_scale, min_size=1, max_size=30)
        | st.lists(on_scale | other, min_size=1, max_size=30)
    )
    return options, values


@settings(max_examples=500)
@given(scales_and_answers(), st.booleans())
def test_describe_gives_the_plain_statistics_on_and_off_the_scale(
    case: tuple[tuple[int, ...], list[Any]], order_statistics: bool
) -> None:
    options, values = case
    summary = describe(values, options, order_statistics=order_statistics)
    for name, theirs in plain_summary(values, options, order_statistics).items():
        mine = getattr(summary, name)
        # the same value and the same type (4 and 4.0 print differently, True and 1 too)
        assert (mine, type(mine)) == (theirs, type(theirs)), name


@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.booleans())
def test_describe_of_one_two_or_three_answers_gives_the_plain_statistics(
    values: list[int], order_statistics: bool
) -> None:
    summary = describe(values, (1, 2, 3, 4, 5), order_statistics=order_statistics)
    for name, theirs in plain_summary(values, (1, 2, 3, 4, 5), order_statistics).items():
        mine = getattr(summary, name)
        assert (mine, type(mine)) == (theirs, type(theirs)), name


def test_describe_counts_ties_and_every_option_of_a_scale() -> None:
    summary = describe((4, 2, 4, 2, 5, 1), (1, 2, 3, 4, 5))
    assert summary.median == 3.0 and type(summary.median) is float  # (2 + 4) / 2
    assert (summary.min, summary.max) == (1, 5)
    assert summary.distribution == ((1, 1), (2, 2), (3, 0), (4, 2), (5, 1))


def test_the_table_of_the_95_percent_interval_is_the_t_quantile() -> None:
    from mio_core.evaluation.stats import _t_95, _t_quantile

    for n in range(2, 420):
        assert _t_95(n) == _t_quantile((1 + 0.95) / 2, n - 1)


# -- Cronbach's alpha -----------------------------------------------------------------

HAND_WORKED = [[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5]]


def test_alpha_matches_a_hand_worked_example() -> None:
    # item variances 5/3 + 4.75/3 + 2.75/3 = 12.5/3; total variance 35/3;
    # alpha = 3/2 * (1 - 12.5/35) = 0.9642857
    assert cronbach_alpha(HAND_WORKED) == pytest.approx(0.9642857, abs=1e-7)


def alpha_from_covariance(rows: list[list[float]]) -> float:
    """An independent formula: k/(k-1) * (1 - trace(C) / sum(C)) from the covariance matrix."""
    covariance = np.cov(np.array(rows, dtype=float), rowvar=False)
    k = covariance.shape[0]
    return float(k / (k - 1) * (1 - np.trace(covariance) / covariance.sum()))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 40), st.integers(2, 8))
def test_alpha_agrees_with_the_covariance_formula(seed: int, n: int, k: int) -> None:
    generator = random.Random(seed)
    rows = []
    for _ in range(n):
        trait = generator.gauss(3, 1)
        rows.append([min(5, max(1, round(trait + generator.gauss(0, 0.8)))) for _ in range(k)])
    totals = [sum(row) for row in rows]
    if len(set(totals)) == 1:
        assert cronbach_alpha(rows) is None
    else:
        assert cronbach_alpha(rows) == pytest.approx(alpha_from_covariance(rows), abs=1e-9)


def test_item_total_correlation_and_alpha_if_deleted() -> None:
    [first, *_] = item_total(HAND_WORKED, ["a", "b", "c"])
    rest_totals = [b + c for _, b, c in HAND_WORKED]
    expected = np.corrcoef([row[0] for row in HAND_WORKED], rest_totals)[0, 1]
    assert first.correlation == pytest.approx(expected)
    assert first.alpha_if_deleted == pytest.approx(
        alpha_from_covariance([r[1:] for r in HAND_WORKED])
    )


# -- paired change --------------------------------------------------------------------


def test_paired_change_agrees_with_scipy_and_by_hand() -> None:
    before = [2.0, 3.0, 2.5, 3.5, 3.0, 2.0]
    after = [3.0, 3.5, 3.5, 4.0, 3.0, 3.5]
    figures = paired_change(before, after)
    differences = np.subtract(after, before)
    assert figures["mean_difference"] == pytest.approx(differences.mean())
    assert figures["sd_difference"] == pytest.approx(differences.std(ddof=1))
    # Cohen's d_z = mean difference / sd of differences = t / sqrt(n)
    t_test = scipy_stats.ttest_rel(after, before)
    assert figures["d_z"] == pytest.approx(t_test.statistic / math.sqrt(len(before)))
    interval = t_test.confidence_interval(0.95)
    assert (figures["ci_low"], figures["ci_high"]) == pytest.approx((interval.low, interval.high))


def test_wilcoxon_matches_the_exact_hand_worked_p() -> None:
    # differences 1..5, all positive: W- = 0, and the exact two-sided p is 2 / 2**5
    figures = paired_change([1, 1, 1, 1, 1], [2, 3, 4, 5, 6])
    assert figures["wilcoxon_w"] == 0
    assert figures["wilcoxon_p"] == pytest.approx(2 / 32)


def test_no_change_gives_no_test() -> None:
    figures = paired_change([3, 4, 2], [3, 4, 2])
    assert figures["mean_difference"] == 0 and figures["d_z"] is None
    assert figures["wilcoxon_p"] is None


# -- Goal Attainment Scaling ----------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "weights", "expected"),
    [
        ([0, 0, 0], [1, 1, 1], 50.0),
        ([2], [1], 70.0),  # one goal: 50 + 10 * 2 / sqrt(0.7 + 0.3)
        ([1, 0], [1, 1], 50 + 10 / math.sqrt(2.6)),  # 56.2017
        ([1, 1, 1], [1, 1, 1], 50 + 30 / math.sqrt(0.7 * 3 + 0.3 * 9)),  # 63.6931
        ([-1, 2], [2, 1], 50 + 10 * 0 / math.sqrt(0.7 * 5 + 0.3 * 9)),
        ([-2, -2], [1, 3], 50 + 10 * -8 / math.sqrt(0.7 * 10 + 0.3 * 16)),
    ],
)
def test_gas_t_score(levels: list[int], weights: list[float], expected: float) -> None:
    assert gas_t_score(levels, weights) == pytest.approx(expected)


def _gas_in_decimal(levels: list[int], weights: list[float]) -> float:
    """The T-score in decimal arithmetic at 60 digits, weights and ρ as written."""
    with decimal.localcontext() as context:
        context.prec = 60
        exact = [decimal.Decimal(repr(w)) for w in weights]
        weighted = sum(w * x for w, x in zip(exact, levels, strict=True))
        spread = decimal.Decimal("0.7") * sum(w * w for w in exact)
        spread += decimal.Decimal("0.3") * sum(exact) ** 2
        return float(50 + 10 * weighted / spread.sqrt())


def test_gas_t_score_is_the_exact_value_rounded_once() -> None:
    # 50 + 30 / √5.2 is 68.60521018838126...; as floats (0.7 and 0.3 not being 7/10 and
    # 3/10, and four roundings) it came out 68.60521018838128
    assert gas_t_score([2, 1], [1, 1]) == _gas_in_decimal([2, 1], [1, 1]) == 68.60521018838126


@given(
    st.lists(
        st.tuples(st.integers(-2, 2), st.sampled_from([1, 2, 3, 1.0, 2.0, 0.5, 1.5, 0.1, 0.7])),
        min_size=1,
        max_size=8,
    )
)
def test_gas_t_score_agrees_with_decimal_arithmetic(goals: list[tuple[int, float]]) -> None:
    levels, weights = [x for x, _ in goals], [w for _, w in goals]
    assert gas_t_score(levels, weights) == _gas_in_decimal(levels, weights)


def test_gas_of_no_goals_is_none() -> None:
    assert gas_t_score([], []) is None


# -- scoring --------------------------------------------------------------------------

SCALE = ResponseScale(id="s", min=1, max=5, missing=(ScaleLabel(value=9, text="Vet ej"),))
ITEMS = tuple(Item(id=f"q{i}", text=f"Q{i}") for i in range(1, 4))


def instrument(method: str = "mean", min_answered: float = 2 / 3) -> Instrument:
    return Instrument(
        id="test",
        title="Test",
        level="learning",
        scales=(SCALE,),
        items=ITEMS,
        subscales=(
            Subscale(
                id="all",
                title="All",
                items=("q1", "q2", "q3"),
                reverse=("q3",),
                method=method,
                min_answered=min_answered,
            ),
        ),
    )


def scores_of(inst: Instrument, answers: dict[str, float | None]) -> list[float | None]:
    response = Response(respondent="p1", instrument="test", occasion="pre", answers=answers)
    from mio_core.evaluation.scoring import score_responses

    return [s.value for s in score_responses((response,), {"test": inst})]


def test_reverse_coding_and_the_mean() -> None:
    assert scores_of(instrument(), {"q1": 4, "q2": 5, "q3": 2}) == [pytest.approx((4 + 5 + 4) / 3)]


def test_a_missing_code_and_an_empty_answer_do_not_count() -> None:
    assert scores_of(instrument(), {"q1": 4, "q2": 9, "q3": None}) == [None]  # 1 of 3 < 2/3
    assert scores_of(instrument(), {"q1": 4, "q2": 2, "q3": None}) == [3.0]  # 2 of 3 answered


def test_a_sum_is_prorated_over_missing_items() -> None:
    assert scores_of(instrument("sum"), {"q1": 4, "q2": 2, "q3": None}) == [9.0]
    assert scores_of(instrument("sum"), {"q1": 4, "q2": 2, "q3": 5}) == [7.0]


@given(st.lists(st.one_of(st.none(), st.integers(1, 5), st.just(9)), min_size=3, max_size=3))
def test_scores_stay_within_the_scale(values: list[int | None]) -> None:
    answers = dict(zip(["q1", "q2", "q3"], values, strict=True))
    for value in scores_of(instrument(), answers):
        assert value is None or 1 <= value <= 5
    for value in scores_of(instrument("sum"), answers):
        assert value is None or 3 <= value <= 15


@given(st.integers(1, 5))
def test_reverse_coding_twice_is_the_identity(value: int) -> None:
    inst = instrument()
    assert reverse(inst, "q3", reverse(inst, "q3", value)) == value
    assert reverse(inst, "q3", value) == 6 - value


def test_score_of_no_items_is_none() -> None:
    assert score(instrument().subscales[0], []) is None


# -- suppression ----------------------------------------------------------------------


def test_a_group_of_min_minus_one_is_suppressed_and_of_min_is_shown() -> None:
    assert suppress({"a": 4, "b": 5, "c": 9}, None, 5) == {"a": "primary"}
    assert suppress({"a": 5, "b": 5}, 10, 5) == {}


def test_a_group_hidden_only_by_subtraction_hides_the_next_smallest() -> None:
    # total 16 is shown; without secondary suppression c = 16 - 6 - 7 = 3 would be revealed
    assert suppress({"a": 6, "b": 7, "c": 3}, 16, 5) == {"c": "primary", "a": "secondary"}


def test_two_small_groups_that_together_are_still_small_hide_a_third() -> None:
    assert suppress({"a": 1, "b": 2, "c": 8, "d": 9}, 20, 5) == {
        "a": "primary",
        "b": "primary",
        "c": "secondary",
    }


def test_two_hidden_groups_large_enough_together_need_nothing_more() -> None:
    assert suppress({"a": 3, "b": 4, "c": 8}, 15, 5) == {"a": "primary", "b": "primary"}


def test_without_a_total_only_primary_suppression() -> None:
    assert suppress({"a": 3, "b": 8}, None, 5) == {"a": "primary"}


# -- the whole evaluation -------------------------------------------------------------


@pytest.fixture(scope="module")
def result(request: pytest.FixtureRequest) -> EvaluationResult:
    from ..helpers import EXAMPLE

    return evaluate(m.load_workspace(EXAMPLE), make_registry(builtins=True))


def test_the_example_gives_module_relevance_per_module(result: EvaluationResult) -> None:
    relevance = {
        g.module: g.summary
        for g in result.groups
        if g.measure == "relevance" and g.group_by == "all"
    }
    assert sorted(relevance) == ["m1", "m2", "m3", "m4", "m5"]
    assert all(s is not None and 1 <= s.mean <= 5 and s.n >= 5 for s in relevance.values())


def test_the_example_gives_pre_post_change_with_effect_sizes(result: EvaluationResult) -> None:
    # 24 answered before and 22 pairs: shown next to the occasion totals, the change would
    # give the two dropouts' pre scores, so the audit hides it (see docs/privacy.md)
    changes = [c for c in result.changes if c.instrument == "mio-innovation-leadership"]
    assert {c.subscale for c in changes} == {"conditions", "methods", "room", "context"}
    assert all(c.suppressed == "secondary" and c.n_pairs is None for c in changes)
    from ..helpers import EXAMPLE

    workspace = m.load_workspace(EXAMPLE)
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=1)
    open_result = m.evaluate(
        attrs.evolve(workspace, manifest=attrs.evolve(workspace.manifest, privacy=privacy))
    )
    for change in [c for c in open_result.changes if c.instrument == "mio-innovation-leadership"]:
        assert change.n_pairs >= 5 and change.d_z is not None and change.wilcoxon_p is not None
        assert change.ci_low < change.mean_difference < change.ci_high


def test_the_example_gives_alpha_rates_utilisation_gas_and_stages(
    result: EvaluationResult,
) -> None:
    assert {(r.instrument, r.subscale) for r in result.reliability if r.alpha is not None} >= {
        ("mio-innovation-leadership", "conditions"),
        ("mio-utilisation", "operations"),
    }
    rates = [r for r in result.response_rates if r.occasion == "follow-up:6m"]
    assert rates and all(0 < r.rate <= 1 for r in rates)
    utilisation = [
        g
        for g in result.groups
        if g.instrument == "mio-utilisation"
        and g.group_by == "all"
        and g.measure_kind == "subscale"
    ]
    assert {g.measure for g in utilisation} == {"operations", "project", "beyond"}
    assert all(g.attainment is not None for g in result.participation.goal_attainment)
    stages = {c.category: c.count for c in result.participation.projects_by_stage}
    assert list(stages) == ["identify", "generate", "develop", "implement", "evaluate", "diffuse"]
    assert sum(stages.values()) == 24


def test_suppressed_groups_carry_no_figures(result: EvaluationResult) -> None:
    suppressed = [g for g in result.groups if g.suppressed]
    assert suppressed, "the example has organisations with fewer than 5 respondents"
    assert all(g.summary is None for g in suppressed)
    assert all(
        g.summary is not None and g.summary.n >= 5 for g in result.groups if not g.suppressed
    )


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_permuting_respondents_changes_no_group_result(generator: random.Random) -> None:
    from ..helpers import EXAMPLE

    workspace = m.load_workspace(EXAMPLE)
    registry = make_registry(builtins=True)
    shuffled = list(workspace.responses)
    generator.shuffle(shuffled)
    again = evaluate(attrs.evolve(workspace, responses=tuple(shuffled)), registry)
    first = evaluate(workspace, registry)
    assert figures(again) == pytest.approx(figures(first))
    assert [g.suppressed for g in ordered(again)] == [g.suppressed for g in ordered(first)]


def ordered(result: EvaluationResult) -> list[m.evaluation.GroupResult]:
    return sorted(
        result.groups, key=lambda g: (g.instrument, g.occasion, g.measure, g.group_by, g.group)
    )


def figures(result: EvaluationResult) -> list[float]:
    values: list[float] = []
    for group in ordered(result):
        if group.summary is not None:
            summary = group.summary
            values += [summary.n, summary.mean, summary.median, summary.min, summary.max]
            values += [summary.sd or 0.0, summary.ci_low or 0.0, summary.ci_high or 0.0]
            values += [count for _, count in summary.distribution]
    return values


def test_a_group_hidden_in_one_wave_is_hidden_in_every_wave() -> None:
    from mio_core.evaluation.suppression import suppress_waves

    hidden = suppress_waves(
        {"pre": {"a": 4, "b": 9, "c": 8}, "post": {"a": 6, "b": 9, "c": 7}},
        {"pre": 21, "post": 22},
        5,
    )
    # a is small at pre; so that its pre and post figures cannot be compared it is hidden at
    # post too, and then b or c must go with it in both waves so that a cannot be subtracted
    assert hidden["pre"]["a"] == "primary" and hidden["post"]["a"] == "secondary"
    assert set(hidden["pre"]) == set(hidden["post"]) and len(hidden["pre"]) == 2


def test_waves_that_are_all_large_enough_hide_nothing() -> None:
    from mio_core.evaluation.suppression import suppress_waves

    assert suppress_waves(
        {"pre": {"a": 5, "b": 6}, "post": {"a": 7, "b": 5}}, {"pre": 11, "post": 12}, 5
    ) == {"pre": {}, "post": {}}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-4, 4), min_size=1, max_size=70).filter(any), st.booleans())
def test_wilcoxon_agrees_with_scipy(differences: list[int], halves: bool) -> None:
    from mio_core.evaluation.stats import wilcoxon_signed_rank

    values = [d / 2 if halves else d for d in differences]
    # distinct magnitudes give the exact branch, repeated ones the normal approximation
    statistic, p, _, _ = wilcoxon_signed_rank(values)
    # SciPy's defaults are zero_method="wilcox", alternative="two-sided"; with ties and at
    # most 13 values, its permutation test with the statistic vectorised (see the helper)
    reference_statistic, reference_p = scipy_wilcoxon(values)
    assert statistic == pytest.approx(reference_statistic)
    assert p == pytest.approx(reference_p, rel=1e-6, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(-3, 3, allow_nan=False), min_size=1, max_size=50, unique=True).filter(
        lambda v: all(v)
    )
)
def test_wilcoxon_exact_agrees_with_scipy(values: list[float]) -> None:
    from mio_core.evaluation.stats import wilcoxon_signed_rank

    if len({abs(v) for v in values}) < len(values):
        return  # ties in magnitude: the other test covers them
    statistic, p, _, _ = wilcoxon_signed_rank(values)
    reference = scipy_stats.wilcoxon(values)
    assert statistic == pytest.approx(reference.statistic)
    assert p == pytest.approx(reference.pvalue, rel=1e-6)


def test_the_t_quantiles_agree_with_scipy() -> None:
    from scipy.special import stdtrit

    from mio_core.evaluation.stats import _t_975

    # SciPy takes the float 0.975 (a hair below 0.975): a few ulps apart at small df
    for df in [*range(1, 1001), 2_000, 10_000, 100_000]:
        assert _t_975(df) == pytest.approx(float(stdtrit(df, 0.975)), rel=3e-15), df


def test_the_t_quantiles_of_one_and_two_df_are_their_closed_forms_rounded_once() -> None:
    # df = 2: t = (2p − 1) / √(2p(1 − p)), exactly p = 0.975, in decimal at 60 digits
    from mio_core.evaluation.stats import _t_975

    with decimal.localcontext() as context:
        context.prec = 60
        p = decimal.Decimal("0.975")
        assert _t_975(2) == float((2 * p - 1) / (2 * p * (1 - p)).sqrt())
    # df = 1 (Cauchy): t = tan(π (p − 1/2)) = cot(π / 40), by the series of cot in Fractions
    x = Fraction(314159265358979323846264338327950288419716939937510, 10**50) / 40
    # cot x = 1/x − x/3 − x³/45 − 2x⁵/945 − x⁷/4725 − 2x⁹/93555 − ...; x ≈ 0.0785
    cot = 1 / x - x / 3 - x**3 / 45 - 2 * x**5 / 945 - x**7 / 4725 - 2 * x**9 / 93555
    cot -= Fraction(1382, 638512875) * x**11
    assert _t_975(1) == float(cot)


@pytest.mark.parametrize("probability", [0.005, 0.05, 0.9, 0.95, 0.995])
def test_t_quantiles_at_other_levels_agree_with_scipy(probability: float) -> None:
    from scipy.special import stdtrit

    from mio_core.evaluation.stats import _t_quantile

    for df in [1, 2, 3, 5, 10, 30, 100, 1_000, 100_000]:
        expected = float(stdtrit(df, probability))
        assert _t_quantile(probability, df) == pytest.approx(expected, rel=1e-9), df


def test_a_99_percent_t_interval_uses_the_99_percent_quantile() -> None:
    from scipy.special import stdtrit

    low, high = t_interval(10.0, 2.0, 16, level=0.99)
    half = float(stdtrit(15, 0.995)) * 2.0 / 4.0
    assert (low, high) == (
        pytest.approx(10.0 - half, rel=1e-9),
        pytest.approx(10.0 + half, rel=1e-9),
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 40), st.integers(3, 7))
def test_item_total_agrees_with_leaving_each_item_out(seed: int, n: int, k: int) -> None:
    generator = random.Random(seed)
    rows = []
    for _ in range(n):
        trait = generator.gauss(3, 1)
        rows.append([min(5, max(1, round(trait + generator.gauss(0, 0.9)))) for _ in range(k)])
    columns = list(zip(*rows, strict=True))
    for index, found in enumerate(item_total(rows, [f"q{i}" for i in range(k)])):
        rest = [[v for j, v in enumerate(row) if j != index] for row in rows]
        rest_totals = [sum(r) for r in rest]
        if len(set(columns[index])) > 1 and len(set(rest_totals)) > 1:
            assert found.correlation == pytest.approx(
                np.corrcoef(columns[index], rest_totals)[0, 1]
            )
        if len({sum(r) for r in rest}) > 1:
            assert found.alpha_if_deleted == pytest.approx(alpha_from_covariance(rest))


def test_coaching_dose_in_a_second_cohort_is_only_that_cohorts_coaching() -> None:
    """A manager coached in their first cohort who takes part in a second one has no
    coaching there: their hours are counted once, in the cohort of the engagement."""
    from ..helpers import EXAMPLE

    workspace = m.load_workspace(EXAMPLE)
    engagement = workspace.engagements[0]
    first = next(c for c in workspace.cohorts if c.id == engagement.cohort)
    again = attrs.evolve(first, id="again", participants=(engagement.participant,), sessions=())
    workspace = attrs.evolve(workspace, cohorts=(*workspace.cohorts, again))
    doses = {(d.cohort, d.participant): d for d in m.evaluate(workspace).participation.coaching}
    minutes = sum(
        s.minutes
        for e in workspace.engagements
        if (e.cohort, e.participant) == (first.id, engagement.participant)
        for s in e.sessions
    )
    assert doses[(first.id, engagement.participant)].hours == minutes / 60
    assert (
        doses[("again", engagement.participant)].sessions,
        doses[("again", engagement.participant)].hours,
    ) == (0, 0.0)


def _coached_only(*people: str) -> Any:
    from ..helpers import EXAMPLE

    workspace = m.load_workspace(EXAMPLE)
    engagements = tuple(e for e in workspace.engagements if e.participant in people)
    return m.evaluate(attrs.evolve(workspace, engagements=engagements))


def test_the_count_without_coaching_is_withheld_where_it_gives_the_hours_of_a_few() -> None:
    """With 2 of 24 managers coached, n x the mean hours is those 2 managers' hours: the
    count without coaching (22) would say so."""
    from mio_core.evaluation.coaching import coaching_summary

    result = _coached_only("p01", "p02")
    summary = coaching_summary(result)
    assert summary.participants == 24 and summary.hours_mean is not None  # the dose is shown
    assert summary.without_coaching is None


def test_the_count_without_coaching_is_shown_where_both_parts_hold_k() -> None:
    from mio_core.evaluation.coaching import coaching_summary

    coached = [f"p{i:02d}" for i in range(1, 19)]  # 18 coached, 6 not, of 24
    summary = coaching_summary(_coached_only(*coached))
    assert (summary.participants, summary.without_coaching) == (24, 6)


def _open_example(responses: tuple[Response, ...]) -> m.Workspace:
    """The example with ``responses`` as its only answers and no suppression."""
    from ..helpers import EXAMPLE

    workspace = m.load_workspace(EXAMPLE)
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=1)
    return attrs.evolve(
        workspace,
        manifest=attrs.evolve(workspace.manifest, privacy=privacy),
        responses=responses,
    )


def test_alpha_counts_a_respondent_who_answered_twice_once() -> None:
    # p01 answered the pre survey twice; their score is that of the later answers, and so
    # is their row in alpha: n = 5 respondents, not 6 rows
    rows = [("p01", (2, 2, 4)), ("p01", (4, 5, 1)), ("p02", (3, 3, 3)), ("p03", (1, 2, 5))]
    rows += [("p04", (5, 4, 2)), ("p05", (2, 3, 3))]
    responses = tuple(
        Response(
            respondent=who,
            instrument="mio-innovation-leadership",
            occasion="pre",
            answers=dict(zip(("edi1", "edi2", "edi3"), answers, strict=True)),
        )
        for who, answers in rows
    )
    result = evaluate(_open_example(responses), make_registry(builtins=True))
    (conditions,) = [r for r in result.reliability if r.subscale == "conditions"]
    # edi3 reverse-coded (6 − x); the later row of p01 only; pingouin as the reference
    import pandas as pd
    import pingouin

    later = {who: (a, b, 6 - c) for who, (a, b, c) in rows}
    alpha, _ = pingouin.cronbach_alpha(pd.DataFrame(list(later.values())))
    assert conditions.n == 5
    assert conditions.alpha == pytest.approx(alpha, rel=1e-12)
