"""The statistics: descriptive summaries, Cronbach's alpha, paired change, GAS T-scores.

Distributions and tests come from SciPy (the ``stats`` extra), imported when first needed
so that ``import mio_core`` stays fast; everything else is plain arithmetic.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..problems import MioError
from .results import ItemTotal, Summary

#: The assumed correlation between goals in Goal Attainment Scaling (Kiresuk & Sherman).
GAS_RHO = 0.3


@functools.cache
def _t_quantile(probability: float, df: int) -> float:
    try:
        from scipy.special import stdtrit  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the environment
        raise MioError(
            "evaluation needs SciPy for confidence intervals: pip install 'mio_core[stats]'"
        ) from None
    return float(stdtrit(df, probability))


def mean_sd(values: Sequence[float]) -> tuple[float, float | None]:
    """Return the mean and the sample standard deviation (n − 1; None for one value).

    Two passes with compensated sums (math.fsum): as exact as floats allow, and far faster
    than :mod:`statistics`, which computes with fractions.
    """
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))


def variance(values: Sequence[float]) -> float:
    """Return the sample variance (n − 1) of at least two values."""
    return mean_sd(values)[1] ** 2  # type: ignore[operator]


def t_interval(mean: float, sd: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the two-sided confidence interval of a mean by Student's t (n − 1 df)."""
    if n < 2:
        return math.nan, math.nan
    half = _t_quantile((1 + level) / 2, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def describe(values: Sequence[float], options: Sequence[int] = ()) -> Summary:
    """Return n, mean, sd (n − 1), median, min, max and the 95 % CI of ``values``.

    With ``options`` (an item's scale values), also the count of each option.
    """
    n = len(values)
    if n == 0:
        return Summary(n=0, distribution=tuple((o, 0) for o in options))
    mean, sd = mean_sd(values)
    low, high = t_interval(mean, sd, n) if sd is not None else (None, None)
    counts = Counter(values)
    return Summary(
        n=n,
        mean=mean,
        sd=sd,
        median=statistics.median(values),
        min=min(values),
        max=max(values),
        ci_low=low,
        ci_high=high,
        distribution=tuple((option, counts.get(option, 0)) for option in options),
    )


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Return Cronbach's alpha of complete rows (respondents × items), or None.

    alpha = k/(k−1) · (1 − Σ var(item) / var(total)), variances with n − 1. None when there
    are fewer than two items or two respondents, or the total does not vary.
    """
    if not rows or len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    item_variance = math.fsum(variance(column) for column in zip(*rows, strict=True))
    total_variance = variance([math.fsum(row) for row in rows])
    if total_variance == 0:
        return None
    return float(k / (k - 1) * (1 - item_variance / total_variance))


def _correlation(x: Sequence[float], y: Sequence[float]) -> float | None:
    try:
        return float(statistics.correlation(x, y))
    except statistics.StatisticsError:  # a constant column
        return None


def item_total(rows: Sequence[Sequence[float]], items: Sequence[str]) -> tuple[ItemTotal, ...]:
    """Return each item's corrected item-total correlation and alpha if the item were left out."""
    if len(rows) < 3 or len(items) < 2:
        return tuple(
            ItemTotal(item=item, correlation=None, alpha_if_deleted=None) for item in items
        )
    result = []
    for index, item in enumerate(items):
        rest = [[v for j, v in enumerate(row) if j != index] for row in rows]
        result.append(
            ItemTotal(
                item=item,
                correlation=_correlation([row[index] for row in rows], [sum(r) for r in rest]),
                alpha_if_deleted=cronbach_alpha(rest) if len(items) > 2 else None,
            )
        )
    return tuple(result)


def paired_change(before: Sequence[float], after: Sequence[float]) -> dict[str, Any]:
    """Return the paired mean difference (after − before) with its 95 % CI, Cohen's d_z and
    the Wilcoxon signed-rank test (two-sided; zero differences dropped)."""
    n = len(before)
    differences = [b - a for a, b in zip(before, after, strict=True)]
    result: dict[str, Any] = {
        "mean_before": statistics.fmean(before) if n else None,
        "mean_after": statistics.fmean(after) if n else None,
        "mean_difference": statistics.fmean(differences) if n else None,
        "sd_difference": None,
        "ci_low": None,
        "ci_high": None,
        "d_z": None,
        "wilcoxon_statistic": None,
        "wilcoxon_p": None,
    }
    if n < 2:
        return result
    mean, sd_or_none = mean_sd(differences)
    sd = sd_or_none or 0.0
    result["sd_difference"] = sd
    if sd > 0:
        result["ci_low"], result["ci_high"] = t_interval(mean, sd, n)
        result["d_z"] = mean / sd
    if any(differences):
        result["wilcoxon_statistic"], result["wilcoxon_p"] = wilcoxon_signed_rank(differences)
    return result


def _average_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for index in order[start : end + 1]:
            ranks[index] = (start + end) / 2 + 1
        start = end + 1
    return ranks


@functools.lru_cache(maxsize=64)
def _signed_rank_counts(n: int) -> tuple[int, ...]:
    """How many of the 2^n sign patterns give each rank sum W+ = 0 ... n(n+1)/2."""
    counts = [1] + [0] * (n * (n + 1) // 2)
    for rank in range(1, n + 1):
        for total in range(len(counts) - 1, rank - 1, -1):
            counts[total] += counts[total - rank]
    return tuple(counts)


def wilcoxon_signed_rank(differences: Sequence[float]) -> tuple[float, float]:
    """Return the Wilcoxon signed-rank statistic and its two-sided p for paired differences.

    As SciPy's ``wilcoxon`` with its defaults (``zero_method="wilcox"``, no continuity
    correction, ``method="auto"``): zero differences are dropped and the statistic is the
    smaller of the positive and negative rank sums. p is exact for up to 50 differences
    with neither ties nor zeros; with ties or zeros it is exact over all sign patterns for
    up to 13 differences (SciPy's permutation test) and from the normal approximation with
    the tie correction beyond that, as it is for more than 50. The tests check it against
    SciPy. (It is computed here because importing ``scipy.stats`` alone takes about 0.6 s,
    more than evaluating a whole cohort.)
    """
    nonzero = [d for d in differences if d != 0]
    n = len(nonzero)
    if n == 0:
        return 0.0, 1.0
    ranks = _average_ranks([abs(d) for d in nonzero])
    plus = math.fsum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
    minus = math.fsum(r for r, d in zip(ranks, nonzero, strict=True) if d < 0)
    statistic = min(plus, minus)
    ties = len(set(ranks)) < n
    zeros = len(differences) > n
    if len(differences) <= 50 and not ties and not zeros:
        counts = _signed_rank_counts(n)
        at_most = sum(counts[: int(statistic) + 1])
        return statistic, min(1.0, 2 * at_most / 2**n)
    if len(differences) <= 13:
        return statistic, _sign_flip_p(ranks, plus)
    mean = n * (n + 1) / 4
    tie_groups: dict[float, int] = {}
    for rank in ranks:
        tie_groups[rank] = tie_groups.get(rank, 0) + 1
    spread = n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in tie_groups.values()) / 48
    if spread <= 0:
        return statistic, 1.0
    z = (statistic - mean) / math.sqrt(spread)
    return statistic, min(1.0, 2 * statistics.NormalDist().cdf(-abs(z)))


def _sign_flip_p(ranks: Sequence[float], observed: float) -> float:
    """Two-sided p of the positive rank sum over all 2^n sign patterns (n ≤ 13)."""
    sums = [0.0]
    for rank in ranks:
        sums = [*sums, *(total + rank for total in sums)]
    tolerance = 1e-9 * max(1.0, observed)
    below = sum(1 for total in sums if total <= observed + tolerance)
    above = sum(1 for total in sums if total >= observed - tolerance)
    return min(1.0, 2 * min(below, above) / len(sums))


def gas_t_score(
    levels: Sequence[int], weights: Sequence[float], rho: float = GAS_RHO
) -> float | None:
    """Return the Goal Attainment Scaling T-score of goals scored −2…+2 with weights.

    T = 50 + 10·Σwᵢxᵢ / √((1−ρ)Σwᵢ² + ρ(Σwᵢ)²); None when there are no goals.
    """
    if not levels:
        return None
    weighted = sum(w * x for w, x in zip(weights, levels, strict=True))
    denominator = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * sum(weights) ** 2)
    return 50 + 10 * weighted / denominator
