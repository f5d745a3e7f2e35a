"""The statistics: descriptive summaries, Cronbach's alpha, paired change, GAS T-scores.

Distributions and tests come from SciPy (the ``stats`` extra), imported when first needed
so that ``import mio_core`` stays fast; everything else is plain arithmetic.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..problems import MioError
from .results import ItemTotal, Summary

#: The assumed correlation between goals in Goal Attainment Scaling (Kiresuk & Sherman).
GAS_RHO = 0.3


def _scipy_stats() -> Any:
    try:
        from scipy import stats  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the environment
        raise MioError(
            "evaluation needs SciPy for confidence intervals and tests: "
            "pip install 'mio_core[stats]'"
        ) from None
    return stats


def t_interval(mean: float, sd: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the two-sided confidence interval of a mean by Student's t (n − 1 df)."""
    if n < 2:
        return math.nan, math.nan
    half = float(_scipy_stats().t.ppf((1 + level) / 2, n - 1)) * sd / math.sqrt(n)
    return mean - half, mean + half


def describe(values: Sequence[float], options: Sequence[int] = ()) -> Summary:
    """Return n, mean, sd (n − 1), median, min, max and the 95 % CI of ``values``.

    With ``options`` (an item's scale values), also the count of each option.
    """
    n = len(values)
    if n == 0:
        return Summary(n=0, distribution=tuple((o, 0) for o in options))
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if n > 1 else None
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
    item_variance = sum(statistics.variance(column) for column in zip(*rows, strict=True))
    total_variance = statistics.variance([sum(row) for row in rows])
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
    mean = statistics.fmean(differences)
    sd = statistics.stdev(differences)
    result["sd_difference"] = sd
    if sd > 0:
        result["ci_low"], result["ci_high"] = t_interval(mean, sd, n)
        result["d_z"] = mean / sd
    if any(differences):
        test = _scipy_stats().wilcoxon(after, before, zero_method="wilcox", alternative="two-sided")
        result["wilcoxon_statistic"] = float(test.statistic)
        result["wilcoxon_p"] = float(test.pvalue)
    return result


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
