"""Exact statistics checked against SciPy and pingouin on exact inputs, ties on purpose.

SciPy is given exact values: differences of Fractions converted with ``float(Fraction)``,
which rounds each exact value once, so equal Fractions give equal floats and ties stay ties.
"""

from __future__ import annotations

import csv
import decimal
import math
import statistics
from fractions import Fraction

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special
from scipy import stats as scipy_stats

import mio_core as m
from mio_core.evaluation import GroupResult, Score, Summary, evaluate
from mio_core.evaluation.distributions import (
    betainc,
    f_cdf,
    f_quantile,
    log_beta,
    t_two_sided_p,
)
from mio_core.evaluation.scoring import exact_total, score_responses
from mio_core.evaluation.stats import (
    alpha_interval,
    cronbach_alpha,
    d_z_interval,
    item_total,
    mean_sd,
    paired_change,
    sqrt_ratio,
    wilcoxon_signed_rank,
)
from mio_core.model import Instrument
from mio_core.testing import make_registry

from ..helpers import EXAMPLE, scipy_wilcoxon

# -- the distributions ---------------------------------------------------------------------


@pytest.mark.parametrize("a", [0.5, 1, 2.5, 7, 30, 400, 12_000, 250_000])
@pytest.mark.parametrize("b", [0.5, 1, 3, 45, 600, 30_000])
def test_incomplete_beta_agrees_with_scipy(a: float, b: float) -> None:
    for x in [1e-12, 1e-6, 0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999, 1 - 1e-9]:
        reference = float(special.betainc(a, b, x))
        if reference < 1e-290:
            continue
        assert betainc(a, b, x) == pytest.approx(reference, rel=5e-9, abs=1e-300), (a, b, x)


def test_log_beta_agrees_with_scipy() -> None:
    for a, b in [(1e5, 2.5e5), (12, 12), (0.5, 9.5), (9.9, 10.1), (40, 0.7)]:
        assert log_beta(a, b) == pytest.approx(float(special.betaln(a, b)), rel=1e-13)


def test_log_beta_of_a_whole_number_is_exact() -> None:
    # B(3, b) = 2 / (b (b + 1) (b + 2)); SciPy's betaln is off by 1.6e-12 relative here
    for b in [5e4, 1e6, 15.5]:
        assert log_beta(3, b) == pytest.approx(math.log(2 / (b * (b + 1) * (b + 2))), rel=1e-14)


def test_log_beta_keeps_its_precision_for_a_million() -> None:
    # ln B(a, b + 1) = ln B(a, b) + ln(b / (a + b)), summed up from b = 10: here SciPy's
    # betaln (-6.3353902120) is off by 1e-9 and the Stirling series is not
    reference = math.fsum(
        [float(special.betaln(0.5, 10.0))]
        + [math.log((10.0 + i) / (10.5 + i)) for i in range(1_000_000 - 10)]
    )
    assert log_beta(0.5, 1e6) == pytest.approx(reference, rel=1e-13)


@pytest.mark.parametrize("df", [1, 2, 3, 5, 9, 21, 100, 1_000, 14_499, 100_000, 1_000_000])
def test_t_two_sided_p_agrees_with_scipy_including_large_t(df: int) -> None:
    for t in [1e-3, 0.1, 0.5, 1, 1.96, 2.5, 4, 8, 8.6, 15, 40, 100, 1e3, 1e5, 1e10]:
        reference = 2 * float(scipy_stats.t.sf(t, df))
        if reference == 0:
            continue
        # relative to the smaller tail, so both p near 0 and p near 1 are checked closely
        tolerance = 1e-9 * min(reference, 1 - reference)
        assert abs(t_two_sided_p(t, df) - reference) <= tolerance, (t, df)
        assert t_two_sided_p(-t, df) == t_two_sided_p(t, df)


def test_t_two_sided_p_with_one_df_is_the_cauchy_formula() -> None:
    # one df is the Cauchy distribution: P(|T| ≥ t) = 1 − 2·atan(t)/π exactly
    for t in [1e-8, 1e-3, 0.7, 3, 1e4]:
        assert t_two_sided_p(t, 1) == pytest.approx(1 - 2 * math.atan(t) / math.pi, rel=1e-14)


def test_t_two_sided_p_does_not_underflow_before_double_precision_does() -> None:
    p = t_two_sided_p(60, 200)
    assert 0 < p == pytest.approx(2 * float(scipy_stats.t.sf(60, 200)), rel=1e-9)


@pytest.mark.parametrize("df1", [1, 2, 4, 9, 21, 99, 999, 14_499])
@pytest.mark.parametrize("factor", [1, 2, 4, 9])
def test_f_quantile_agrees_with_scipy(df1: int, factor: int) -> None:
    df2 = df1 * factor
    for probability in [0.001, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999]:
        value = f_quantile(probability, df1, df2)
        assert value == pytest.approx(float(scipy_stats.f.ppf(probability, df1, df2)), rel=1e-10)
        # the CDF at its quantile: 1e-11 is the incomplete beta's precision at df ≈ 14 500
        assert f_cdf(value, df1, df2) == pytest.approx(probability, abs=1e-10)


def test_f_quantile_of_the_extremes() -> None:
    assert f_quantile(0.0, 3, 5) == 0.0
    assert f_quantile(1.0, 3, 5) == math.inf
    with pytest.raises(ValueError):
        f_quantile(1.5, 3, 5)


# -- Wilcoxon signed-rank --------------------------------------------------------------------


def test_float_thirds_are_tied_when_the_scores_are_exact() -> None:
    # 11/3 − 10/3 and 8/3 − 7/3 are both 1/3, but as floats 0.33333333333333304 and
    # 0.3333333333333335: the bug in the issue. Exact scores tie them.
    before = [Fraction(10, 3), Fraction(3), Fraction(2), Fraction(3), Fraction(4, 3)]
    after = [Fraction(11, 3), Fraction(10, 3), Fraction(3), Fraction(5), Fraction(3)]
    assert (11 / 3 - 10 / 3, 10 / 3 - 3) == (0.33333333333333304, 0.3333333333333335)
    exact = [float(b - a) for a, b in zip(before, after, strict=True)]
    assert exact[0] == exact[1]
    result = paired_change(before, after)
    reference = scipy_stats.wilcoxon(exact)
    assert result["wilcoxon_w"] == reference.statistic
    assert result["wilcoxon_p"] == pytest.approx(reference.pvalue, rel=1e-12)
    # the ranks really are tied: 1.5 and 1.5, not 1 and 2
    assert result["wilcoxon_method"] == "exact" and result["wilcoxon_n"] == 5


def test_float_differences_would_break_the_tie_that_exact_ones_keep() -> None:
    # a negative control: on float differences SciPy ranks the two thirds apart, so W differs
    before = [Fraction(10, 3), Fraction(10, 3), Fraction(2), Fraction(3)]
    after = [Fraction(11, 3), Fraction(3), Fraction(3), Fraction(5)]
    floats = [float(b) - float(a) for a, b in zip(before, after, strict=True)]
    exact = [float(b - a) for a, b in zip(before, after, strict=True)]
    assert scipy_stats.wilcoxon(floats).statistic != scipy_stats.wilcoxon(exact).statistic
    assert paired_change(before, after)["wilcoxon_w"] == scipy_stats.wilcoxon(exact).statistic


def _exact_scores(instrument: Instrument, path: str) -> dict[str, dict[str, Fraction]]:
    # Subscale means as Fractions, straight from the CSV file and the instrument definition.
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    scores: dict[str, dict[str, Fraction]] = {s.id: {} for s in instrument.subscales}
    for row in rows:
        for subscale in instrument.subscales:
            values = []
            for item_id in subscale.items:
                scale = instrument.scale_of(instrument.item(item_id))  # type: ignore[arg-type]
                text = row.get(item_id, "").strip()
                if not text or scale is None or not scale.min <= int(text) <= scale.max:
                    continue
                value = int(text)
                values.append(
                    scale.min + scale.max - value if item_id in subscale.reverse else value
                )
            if values and len(values) / len(subscale.items) >= subscale.min_answered - 1e-9:
                scores[subscale.id][row["respondent"]] = Fraction(sum(values), len(values))
    return scores


def test_the_example_changes_agree_with_scipy_on_exact_scores() -> None:
    registry = make_registry(builtins=True)
    workspace = m.load_workspace(EXAMPLE)
    # the example's changes are hidden at k=5 (22 pairs of 24 at pre); the figures are
    # checked with suppression off
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=1)
    manifest = attrs.evolve(workspace.manifest, privacy=privacy)
    result = evaluate(attrs.evolve(workspace, manifest=manifest), registry)
    instrument = registry.instruments["mio-innovation-leadership"]
    pre = _exact_scores(instrument, str(EXAMPLE / "responses/mio-innovation-leadership.pre.csv"))
    post = _exact_scores(instrument, str(EXAMPLE / "responses/mio-innovation-leadership.post.csv"))
    float_ties_broken = 0
    for change in result.changes:
        if change.instrument != instrument.id:
            continue
        before, after = pre[change.subscale], post[change.subscale]
        pairs = sorted(set(before) & set(after))
        assert change.n_pairs == len(pairs)
        exact = [float(after[p] - before[p]) for p in pairs]
        floats = [float(after[p]) - float(before[p]) for p in pairs]
        reference = scipy_stats.wilcoxon(exact)
        assert change.wilcoxon_w == reference.statistic
        assert change.wilcoxon_p == pytest.approx(reference.pvalue, rel=1e-10)
        assert change.wilcoxon_n == sum(1 for d in exact if d != 0)
        t_test = scipy_stats.ttest_rel(
            [float(after[p]) for p in pairs], [float(before[p]) for p in pairs]
        )
        assert change.t == pytest.approx(t_test.statistic, rel=1e-12)
        assert change.p_t == pytest.approx(t_test.pvalue, rel=1e-9)
        float_ties_broken += scipy_stats.wilcoxon(floats).statistic != reference.statistic
    # the case: on float differences at least one subscale gets a different W
    assert float_ties_broken >= 1


def test_normal_approximation_p_does_not_underflow() -> None:
    # 120 distinct positive differences: W = 0, z ≈ −9.5, p ≈ 2e-21, not 0
    result = wilcoxon_signed_rank(list(range(1, 121)))
    z = (0 - 120 * 121 / 4) / math.sqrt(120 * 121 * 241 / 24)
    assert result.method == "normal"
    assert result.p == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-12)
    assert 0 < result.p < 1e-20
    assert result.p == pytest.approx(float(scipy_stats.wilcoxon(range(1, 121)).pvalue), rel=1e-9)


def test_a_z_of_8_6_gives_a_p_of_about_8e_18() -> None:
    # n = 62 positive differences of which all are tied except the largest: pick data whose
    # z is 8.6 by construction is awkward, so check the p formula at z = 8.6 directly
    assert math.erfc(8.6 / math.sqrt(2)) == pytest.approx(2 * float(scipy_stats.norm.sf(8.6)))
    assert 7e-18 < math.erfc(8.6 / math.sqrt(2)) < 9e-18


def test_wilcoxon_with_continuity_correction_agrees_with_scipy() -> None:
    differences = [1, 2, 2, 3, -1, 4, 5, 5, 6, 0, 7, 8, 9, -2, 3, 3, Fraction(1, 3), -5]
    result = wilcoxon_signed_rank(differences, continuity=True)
    reference = scipy_stats.wilcoxon([float(d) for d in differences], correction=True)
    assert result.statistic == reference.statistic
    assert result.p == pytest.approx(reference.pvalue, rel=1e-12)
    assert result.method == "normal"


def test_small_samples_with_ties_use_the_exact_sign_flip_distribution() -> None:
    differences = [Fraction(1, 3), Fraction(1, 3), Fraction(2, 3), -1, 1, 1, Fraction(4, 3), 0]
    result = wilcoxon_signed_rank(differences)
    reference = scipy_stats.wilcoxon([float(d) for d in differences])
    assert result.method == "exact" and result.n == 7
    assert result.statistic == reference.statistic
    assert result.p == pytest.approx(reference.pvalue, rel=1e-12)


def test_all_zero_differences_give_no_wilcoxon_test() -> None:
    figures = paired_change([Fraction(7, 3)] * 4, [Fraction(7, 3)] * 4)
    assert figures["wilcoxon_p"] is None and figures["wilcoxon_method"] is None
    assert figures["t"] is None and figures["d_z"] is None


@pytest.mark.parametrize(
    "d",
    [
        [1, 1, 2, -1, 0.5, 0.5, 2, 3, -2, 1],
        [0, 0, 1.5, -1.5, 2, 1],
        [1, -1, 0],
        [2 / 3, 2 / 3, -1 / 3, 1, 4 / 3, 0, 0, 1, -1],
        [1, 2, 3, -4, 5],
        [0.5] * 20 + [-1] * 5,
    ],
)
def test_the_fast_scipy_wilcoxon_reference_is_scipy(d: list[float]) -> None:
    statistic, p = scipy_wilcoxon(d)
    reference = scipy_stats.wilcoxon(d)
    assert statistic == reference.statistic
    assert p == reference.pvalue


# subscale means of 3 items on small scales (1–3, 1–4): many exact ties, some missing items
_mean_of_three = st.builds(
    lambda values: Fraction(sum(values), len(values)),
    st.lists(st.integers(1, 4), min_size=2, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_mean_of_three, _mean_of_three), min_size=2, max_size=70))
def test_paired_change_agrees_with_scipy_on_generated_tied_data(
    pairs: list[tuple[Fraction, Fraction]],
) -> None:
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    figures = paired_change(before, after)
    exact = [float(a - b) for b, a in pairs]
    if any(exact):
        statistic, p = scipy_wilcoxon(exact)
        assert figures["wilcoxon_w"] == statistic
        assert figures["wilcoxon_p"] == pytest.approx(p, rel=1e-9, abs=1e-300)
        assert figures["wilcoxon_n"] == sum(1 for d in exact if d)
    if figures["t"] is not None:
        t_test = scipy_stats.ttest_rel([float(a) for a in after], [float(b) for b in before])
        assert figures["t"] == pytest.approx(t_test.statistic, rel=1e-9)
        assert figures["p_t"] == pytest.approx(t_test.pvalue, rel=1e-8, abs=1e-300)
        assert figures["df"] == len(pairs) - 1
    mean = sum(a - b for b, a in pairs) / len(pairs)
    assert figures["mean_difference"] == float(mean)  # exact, then rounded once


# -- paired t, d_z, d_av ---------------------------------------------------------------------


def test_paired_figures_agree_with_exact_hand_arithmetic() -> None:
    before = [Fraction(7, 3), Fraction(3), Fraction(8, 3), Fraction(4), Fraction(2), 3]
    after = [Fraction(10, 3), Fraction(11, 3), Fraction(8, 3), Fraction(13, 3), Fraction(3), 4]
    figures = paired_change(before, after)
    differences = [a - b for b, a in zip(before, after, strict=True)]
    n = len(differences)
    mean = sum(differences) / n
    variance = sum((d - mean) ** 2 for d in differences) / (n - 1)
    sd = math.sqrt(variance)
    assert figures["sd_difference"] == pytest.approx(sd, rel=1e-15)
    assert figures["t"] == pytest.approx(float(mean) / (sd / math.sqrt(n)), rel=1e-14)
    assert figures["d_z"] == pytest.approx(float(mean) / sd, rel=1e-14)

    def sd_of(values: list[Fraction | int]) -> float:
        centre = sum(values) / len(values)
        return math.sqrt(sum((v - centre) ** 2 for v in values) / (len(values) - 1))

    assert figures["d_av"] == pytest.approx(
        float(mean) / ((sd_of(before) + sd_of(after)) / 2), rel=1e-14
    )


def _root_of(value: Fraction) -> float:
    """√value correctly rounded, by decimal arithmetic at 80 digits (an independent way)."""
    with decimal.localcontext() as context:
        context.prec = 80
        return float((decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator)).sqrt())


@given(st.integers(0, 10**40), st.integers(1, 10**40))
def test_sqrt_ratio_is_the_correctly_rounded_root(numerator: int, denominator: int) -> None:
    assert sqrt_ratio(numerator, denominator) == _root_of(Fraction(numerator, denominator))


@given(st.integers(1, 2**52))
def test_sqrt_ratio_of_an_exact_square_is_exact(mantissa: int) -> None:
    root = Fraction(2**52 + mantissa, 2**52)  # a float with a 53-bit mantissa
    assert sqrt_ratio(*(root * root).as_integer_ratio()) == float(root)


def _exact_paired(before: list[Fraction], after: list[Fraction]) -> tuple[float, float, float]:
    """sd of the differences, t and d_z from the exact differences, each rounded once."""
    differences = [a - b for b, a in zip(before, after, strict=True)]
    n = len(differences)
    mean = sum(differences, Fraction(0)) / n
    variance = sum(((d - mean) ** 2 for d in differences), Fraction(0)) / (n - 1)
    sign = -1.0 if mean < 0 else 1.0
    if not variance:
        return 0.0, math.nan, math.nan
    return (
        _root_of(variance),
        sign * _root_of(mean * mean * n / variance),
        sign * _root_of(mean * mean / variance),
    )


def test_d_z_is_the_exact_value_rounded_once() -> None:
    # differences 2/3, 2/3, 1/3, 0: d_z is 1.3055824196677337; mean / sd as floats gave
    # 1.305582419667734, two ulps off
    before = [Fraction(3)] * 4
    after = [Fraction(11, 3), Fraction(11, 3), Fraction(10, 3), Fraction(3)]
    figures = paired_change(before, after)
    assert figures["d_z"] == _exact_paired(before, after)[2] == 1.3055824196677337


@given(
    st.integers(1, 6).flatmap(
        lambda items: st.lists(
            st.tuples(
                st.integers(items, 5 * items).map(lambda t: Fraction(t, items)),
                st.integers(items, 5 * items).map(lambda t: Fraction(t, items)),
            ),
            min_size=2,
            max_size=40,
        )
    )
)
def test_sd_t_and_d_z_of_a_change_are_the_exact_values_rounded_once(
    pairs: list[tuple[Fraction, Fraction]],
) -> None:
    before, after = [b for b, _ in pairs], [a for _, a in pairs]
    figures = paired_change(before, after)
    sd, t, d_z = _exact_paired(before, after)
    assert figures["sd_difference"] == sd
    if sd:
        assert (figures["t"], figures["d_z"]) == (t, d_z)
    else:
        assert figures["t"] is figures["d_z"] is None


def _exact_d_av(before: list[Fraction], after: list[Fraction]) -> float | None:
    """mean difference / ((sd before + sd after) / 2) in decimal arithmetic at 80 digits."""
    n = len(before)

    def variance(values: list[Fraction]) -> decimal.Decimal:
        mean = sum(values, Fraction(0)) / n
        exact = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (n - 1)
        return decimal.Decimal(exact.numerator) / decimal.Decimal(exact.denominator)

    mean = (sum(after, Fraction(0)) - sum(before, Fraction(0))) / n
    with decimal.localcontext() as context:
        context.prec = 80
        average = (variance(before).sqrt() + variance(after).sqrt()) / 2
        if not average:
            return None
        return float(decimal.Decimal(mean.numerator) / decimal.Decimal(mean.denominator) / average)


@given(
    st.integers(1, 6).flatmap(
        lambda items: st.lists(
            st.tuples(
                st.integers(items, 5 * items).map(lambda t: Fraction(t, items)),
                st.integers(items, 5 * items).map(lambda t: Fraction(t, items)),
            ),
            min_size=2,
            max_size=40,
        )
    ),
    st.booleans(),
)
def test_d_av_is_the_exact_value_rounded_once(
    pairs: list[tuple[Fraction, Fraction]], flat_before: bool
) -> None:
    before, after = [b for b, _ in pairs], [a for _, a in pairs]
    if flat_before:  # no spread before: d_av rests on the sd after alone
        before = [before[0]] * len(before)
    assert paired_change(before, after)["d_av"] == _exact_d_av(before, after)


# -- item-total correlation and alpha if deleted ---------------------------------------------


def _exact_item_total(rows: list[list[Fraction]], index: int) -> tuple[float | None, float | None]:
    """The corrected item-total correlation and alpha without item ``index``, from Fractions
    and the textbook formulas, each rounded once (None where a variance is zero)."""

    def variance(values: list[Fraction]) -> Fraction:
        mean = sum(values, Fraction(0)) / len(values)
        return sum(((v - mean) ** 2 for v in values), Fraction(0)) / (len(values) - 1)

    item = [row[index] for row in rows]
    rest_rows = [[v for j, v in enumerate(row) if j != index] for row in rows]
    rest = [sum(r, Fraction(0)) for r in rest_rows]
    n, k = len(rows), len(rows[0])
    mean_item, mean_rest = sum(item) / n, sum(rest) / n
    covariance = sum((x - mean_item) * (y - mean_rest) for x, y in zip(item, rest, strict=True))
    covariance /= n - 1
    correlation = None
    if variance(item) and variance(rest):
        squared = covariance * covariance / (variance(item) * variance(rest))
        correlation = math.copysign(_root_of(squared), covariance)
    alpha = None
    if k > 2 and variance(rest):
        columns = list(zip(*rest_rows, strict=True))
        items_variance = sum((variance(list(c)) for c in columns), Fraction(0))
        alpha = float(Fraction(k - 1, k - 2) * (1 - items_variance / variance(rest)))
    return correlation, alpha


def test_a_rest_that_does_not_vary_gives_no_correlation_and_no_alpha_if_deleted() -> None:
    # b + c is 5 for everyone: var(rest) is 0 (as floats it was 1e-16, and alpha if
    # deleted came out as -5146971002709135.0)
    rows = [[1, 4, 1], [3, 3, 2], [5, 3, 2], [1, 4, 1], [3, 4, 1], [1, 1, 4], [1, 3, 2]]
    assert statistics.variance([b + c for _, b, c in rows]) == 0
    first = item_total(rows, ["a", "b", "c"])[0]
    assert (first.correlation, first.alpha_if_deleted) == (None, None)


@given(
    st.integers(2, 5).flatmap(
        lambda k: st.lists(
            st.lists(st.integers(1, 5) | st.sampled_from([2.5, 3.5]), min_size=k, max_size=k),
            min_size=3,
            max_size=25,
        )
    )
)
def test_item_total_figures_are_the_exact_values_rounded_once(rows: list[list[float]]) -> None:
    found = item_total(rows, [f"q{i}" for i in range(len(rows[0]))])
    exact = [[Fraction(v) for v in row] for row in rows]
    for index, figures in enumerate(found):
        expected = _exact_item_total(exact, index)
        assert (figures.correlation, figures.alpha_if_deleted) == expected


def test_d_z_interval_agrees_with_pingouin() -> None:
    pingouin = pytest.importorskip("pingouin")
    for d_z, n in [(0.59, 22), (1.33, 22), (-0.4, 8), (0.05, 300), (2.5, 12)]:
        expected = pingouin.compute_esci(
            d_z, nx=n, ny=n, paired=True, eftype="cohen", confidence=0.95, decimals=12
        )
        assert d_z_interval(d_z, n) == pytest.approx(tuple(expected), abs=1e-10)


def test_d_z_interval_is_close_to_the_exact_noncentral_t_interval_as_documented() -> None:
    from scipy.optimize import brentq

    for n, bound in [(10, 0.13), (20, 0.045), (50, 0.012)]:
        for d_z in np.linspace(-1, 1, 9):
            t = d_z * math.sqrt(n)
            low = brentq(lambda c, t=t, n=n: scipy_stats.nct.sf(t, n - 1, c) - 0.025, t - 5, t + 5)
            high = brentq(
                lambda c, t=t, n=n: scipy_stats.nct.cdf(t, n - 1, c) - 0.025, t - 5, t + 5
            )
            approximate = d_z_interval(float(d_z), n)
            assert abs(approximate[0] - low / math.sqrt(n)) < bound
            assert abs(approximate[1] - high / math.sqrt(n)) < bound


# -- Cronbach's alpha and its Feldt interval ---------------------------------------------------

TIED_ROWS = [
    [3, 4, 3],
    [1, 3, 4],
    [4, 4, 4],
    [2, 2, 3],
    [3, 3, 3],
    [5, 4, 4],
    [2, 3, 2],
    [4, 5, 5],
    [3, 3, 4],
    [1, 2, 2],
]


def test_alpha_interval_agrees_with_the_feldt_formula_in_scipy() -> None:
    n, k = len(TIED_ROWS), len(TIED_ROWS[0])
    alpha = cronbach_alpha(TIED_ROWS)
    assert alpha is not None
    low, high = alpha_interval(alpha, n, k)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    assert low == pytest.approx(1 - (1 - alpha) * scipy_stats.f.isf(0.025, df1, df2), rel=1e-12)
    assert high == pytest.approx(1 - (1 - alpha) * scipy_stats.f.isf(0.975, df1, df2), rel=1e-12)


def test_alpha_and_its_interval_agree_with_pingouin() -> None:
    pingouin = pytest.importorskip("pingouin")
    import pandas as pd

    alpha, interval = pingouin.cronbach_alpha(pd.DataFrame(TIED_ROWS))
    ours = cronbach_alpha(TIED_ROWS)
    assert ours == pytest.approx(alpha, rel=1e-12)
    low, high = alpha_interval(ours, len(TIED_ROWS), 3)  # type: ignore[arg-type]
    assert (round(low, 3), round(high, 3)) == (interval[0], interval[1])  # type: ignore[arg-type]


def test_the_example_reports_alpha_with_its_feldt_interval() -> None:
    result = evaluate(m.load_workspace(EXAMPLE), make_registry(builtins=True))
    shown = [r for r in result.reliability if r.alpha is not None]
    assert shown
    for r in shown:
        assert r.alpha_ci_low is not None and r.alpha_ci_high is not None
        assert r.alpha_ci_low < r.alpha < r.alpha_ci_high < 1
        df1 = r.n - 1
        expected = 1 - (1 - r.alpha) * scipy_stats.f.isf(0.025, df1, df1 * (r.items - 1))
        assert r.alpha_ci_low == pytest.approx(expected, rel=1e-10)


# -- exact scores --------------------------------------------------------------------------------


def test_exact_total_takes_float_answers_at_their_exact_value() -> None:
    assert exact_total([4.0, 3.0, 2.0]) == 9 and type(exact_total([4.0, 3.0])) is int
    assert exact_total([3.5, 2.0, 1.0]) == Fraction(13, 2)


def test_scores_carry_their_exact_total() -> None:
    registry = make_registry(builtins=True)
    workspace = m.load_workspace(EXAMPLE)
    instruments = dict(registry.instruments)
    for s in score_responses(workspace.responses[:40], instruments):
        if s.value is not None:
            assert type(s.total) is int
            assert s.value == float(Fraction(s.total, s.answered)) or s.value == float(
                Fraction(s.total * s.items, s.answered)
            )


def test_scores_made_through_the_slots_equal_scores_made_by_the_class() -> None:
    # score_responses sets Score's slots directly (scoring._SCORE_SLOTS), in field order:
    # that is only the same as Score(...) while the fields are these and nothing computes
    fields = attrs.fields(Score)
    assert [f.name for f in fields] == [
        "respondent",
        "instrument",
        "occasion",
        "subscale",
        "value",
        "answered",
        "items",
        "total",
    ]
    assert all(f.validator is None and f.converter is None for f in fields)
    assert not hasattr(Score, "__attrs_post_init__")
    assert not hasattr(Score, "__attrs_pre_init__")
    registry = make_registry(builtins=True)
    workspace = m.load_workspace(EXAMPLE)
    for made in score_responses(workspace.responses[:40], dict(registry.instruments)):
        by_class = Score(**{f.name: getattr(made, f.name) for f in fields})
        assert made == by_class
        assert hash(made) == hash(by_class)
        assert repr(made) == repr(by_class)
        assert made.total == by_class.total


def assert_made_by_its_fields_alone(cls: type, names: list[str]) -> None:
    """Setting ``cls``'s slots in this order makes what ``cls(...)`` makes: these are its
    fields, and no validator, converter or hook computes anything."""
    fields = attrs.fields(cls)
    assert [f.name for f in fields] == names
    assert all(f.validator is None and f.converter is None for f in fields)
    assert not hasattr(cls, "__attrs_post_init__")
    assert not hasattr(cls, "__attrs_pre_init__")


def test_group_results_made_through_the_slots_equal_those_made_by_the_class() -> None:
    # published group cells set GroupResult's and Summary's slots directly
    # (groups._GROUP_RESULT_SLOTS, stats._SUMMARY_SLOTS), in field order: that is only the
    # same as GroupResult(...) and Summary(...) while the fields are these and nothing computes
    expected = {
        GroupResult: [
            "instrument",
            "occasion",
            "module",
            "measure",
            "measure_kind",
            "group_by",
            "group",
            "summary",
            "suppressed",
        ],
        Summary: ["n", "mean", "sd", "median", "min", "max", "ci_low", "ci_high", "distribution"],
    }
    for cls, names in expected.items():
        assert_made_by_its_fields_alone(cls, names)
    registry = make_registry(builtins=True)
    results = evaluate(m.load_workspace(EXAMPLE), registry).groups
    summaries = [g.summary for g in results if g.summary is not None]
    assert any(s.distribution for s in summaries) and any(s.median is None for s in summaries)
    for made in (*results, *summaries):
        fields = attrs.fields(type(made))
        by_class = type(made)(**{f.name: getattr(made, f.name) for f in fields})
        assert made == by_class
        assert hash(made) == hash(by_class)
        assert repr(made) == repr(by_class)


def test_audit_cells_made_through_the_slots_equal_those_made_by_the_classes() -> None:
    # GroupCell.cell sets Cell's and Facet's slots directly (groups._CELL_SLOTS,
    # groups._FACET_SLOTS), in field order: that is only the same as Cell(...) and
    # Facet(...) while the fields are these and nothing computes
    from mio_core.evaluation.disclosure import Cell, Facet
    from mio_core.evaluation.groups import ALL, group_cells

    expected = {Cell: ["key", "facets", "total"], Facet: ["family", "members", "breakdown"]}
    for cls, names in expected.items():
        assert_made_by_its_fields_alone(cls, names)
    registry = make_registry(builtins=True)
    workspace = m.load_workspace(EXAMPLE)
    instruments = dict(registry.instruments)
    cells = group_cells(workspace, instruments, score_responses(workspace.responses, instruments))
    assert {c.head[5] for c in cells} == {ALL, "cohort", "organisation"}
    for index, group in enumerate(cells):
        made = group.cell(("group", index))
        instrument, occasion, _, measure, kind, group_by, _ = group.head
        by_class = Cell(
            key=("group", index),
            facets=(
                Facet(
                    family=(instrument, kind, measure, occasion),
                    members=group.members,
                    breakdown=None if group_by == ALL else group_by,
                ),
            ),
            total=group_by == ALL,
        )
        assert made == by_class
        assert hash(made) == hash(by_class)
        assert repr(made) == repr(by_class)


def test_group_cells_from_what_scoring_collected_equal_those_from_the_scores() -> None:
    from mio_core.evaluation.groups import group_cells

    registry = make_registry(builtins=True)
    workspace = m.load_workspace(EXAMPLE)
    instruments = dict(registry.instruments)
    scored: dict[tuple[str, str, str], dict[str, float]] = {}
    scores = list(score_responses(workspace.responses, instruments, scored=scored))
    assert scored
    assert group_cells(workspace, instruments, scores, scored) == group_cells(
        workspace, instruments, scores
    )


@pytest.mark.parametrize(
    "values",
    [[0.1] * 10, [33.93561342195002] * 24, [11 / 3, 10 / 3, 3.0] * 7],
    ids=["ten-tenths", "equal-gas-scores", "thirds"],
)
def test_mean_is_the_correctly_rounded_mean_of_the_values(values: list[float]) -> None:
    import statistics

    # statistics.mean adds the floats exactly (as fractions) and rounds once
    assert mean_sd(values)[0] == statistics.mean(values)
