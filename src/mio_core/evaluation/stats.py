"""The statistics: descriptive summaries, Cronbach's alpha, paired change, GAS T-scores.

Plain arithmetic and the distributions in :mod:`.distributions`: no SciPy (the tests check
every figure against it).
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from itertools import accumulate, compress, repeat
from typing import Any, NamedTuple, cast

import attrs

from ..model import ScoreMethod
from .distributions import f_quantile, t_two_sided_p
from .results import ItemTotal, Score, Summary
from .scoring import exact_score

#: The assumed correlation between goals in Goal Attainment Scaling (Kiresuk & Sherman).
GAS_RHO = 0.3


#: Student's t quantile t(0.975, df) for df = 1 ... 200, each the float nearest the exact
#: quantile of the probability 0.975 (solved with mpmath's incomplete beta at 50 digits;
#: scipy.special.stdtrit(df, 0.975) is a few ulps off for small df, as it takes the float
#: 0.975, and the tests check every value against it to 3e-15 and df = 1 and 2 against their
#: closed forms bit for bit). Beyond 200 degrees of freedom the Cornish-Fisher expansion
#: below is within 5e-15 of the exact quantile. Together they give 95 % intervals without
#: importing SciPy, which alone took 0.45 s of a one-cohort evaluation.
T_975 = (
    12.706204736174705,
    4.302652729749464,
    3.1824463052837095,
    2.7764451051977943,
    2.5705818356363155,
    2.44691185114497,
    2.3646242515927853,
    2.3060041352041667,
    2.2621571627982053,
    2.228138851986275,
    2.2009851600916397,
    2.178812829667229,
    2.1603686564627926,
    2.144786687917804,
    2.1314495455597755,
    2.1199052992212546,
    2.109815577833317,
    2.1009220402410387,
    2.0930240544083096,
    2.085963447265865,
    2.0796138447276804,
    2.0738730679040263,
    2.0686576104190486,
    2.063898561628026,
    2.0595385527532977,
    2.055529438642873,
    2.0518305164802855,
    2.048407141795245,
    2.0452296421327043,
    2.042272456301238,
    2.0395134463964086,
    2.036933343460102,
    2.034515297449339,
    2.032244509317719,
    2.0301079282503434,
    2.028094000980451,
    2.0261924630291097,
    2.02439416391197,
    2.0226909200367613,
    2.0210753903062733,
    2.0195409704413763,
    2.018081702818445,
    2.0166921992278244,
    2.015367574443764,
    2.0141033888808466,
    2.012895598919429,
    2.011740513729766,
    2.0106347576242323,
    2.0095752371292397,
    2.008559112100761,
    2.007583770315836,
    2.0066468050616884,
    2.005745995317869,
    2.004879288188057,
    2.004044783289146,
    2.0032407188478722,
    2.0024654592910074,
    2.001717484145236,
    2.000995378088268,
    2.0002978220142604,
    1.9996235849949398,
    1.998971517033379,
    1.9983405425207417,
    1.997729654317693,
    1.997137908392004,
    1.996564418952312,
    1.9960083540252966,
    1.995468931429844,
    1.994945415107238,
    1.9944371117711865,
    1.9939433678456258,
    1.9934635666618723,
    1.9929971258898551,
    1.9925434951809327,
    1.992102154002242,
    1.9916726096446644,
    1.991254395388385,
    1.9908470688116908,
    1.990450210230129,
    1.9900634212544461,
    1.9896863234569029,
    1.9893185571365726,
    1.9889597801751628,
    1.9886096669757092,
    1.988267907477222,
    1.9879342062390206,
    1.9876082815890712,
    1.9872898648311697,
    1.9869786995062815,
    1.9866745407037683,
    1.9863771544186182,
    1.9860863169511305,
    1.9858018143458234,
    1.9855234418666043,
    1.9852510035054982,
    1.9849843115224575,
    1.9847231860139847,
    1.9844674545084817,
    1.9842169515864174,
    1.9839715185235522,
    1.9837310029556061,
    1.9834952585628798,
    1.983264144773457,
    1.9830375264837259,
    1.9828152737950482,
    1.9825972617655006,
    1.9823833701756912,
    1.9821734833077271,
    1.9819674897364827,
    1.9817652821323724,
    1.981566757074901,
    1.981371814876306,
    1.981180359414661,
    1.9809922979758574,
    1.98080754110391,
    1.98062600245909,
    1.9804475986834027,
    1.9802722492729745,
    1.98009987645694,
    1.979930405082441,
    1.979763762505387,
    1.9795998784866389,
    1.9794386850933041,
    1.9792801166048555,
    1.979124109423798,
    1.9789706019906288,
    1.978819534702854,
    1.9786708498378356,
    1.978524491479258,
    1.9783804054470224,
    1.97823853923038,
    1.9780988419241308,
    1.9779612641677262,
    1.9778257580871252,
    1.9776922772392531,
    1.9775607765589356,
    1.977431212308175,
    1.977303542027651,
    1.9771777244903337,
    1.9770537196570992,
    1.976931488634253,
    1.9768109936328604,
    1.9766921979297984,
    1.9765750658304437,
    1.9764595626329182,
    1.9763456545938134,
    1.9762333088953274,
    1.9761224936137447,
    1.9760131776891925,
    1.9759053308966206,
    1.9757989238179396,
    1.9756939278152708,
    1.9755903150052494,
    1.9754880582343406,
    1.9753871310551159,
    1.975287507703449,
    1.9751891630765916,
    1.975092072712085,
    1.9749962127674763,
    1.974901560000799,
    1.9748080917517876,
    1.9747157859237914,
    1.9746246209663614,
    1.9745345758584758,
    1.974445630092383,
    1.9743577636580298,
    1.974270957028056,
    1.9741851911433255,
    1.9741004473989772,
    1.9740167076309705,
    1.9739339541031071,
    1.9738521694945066,
    1.9737713368875223,
    1.9736914397560739,
    1.9736124619543847,
    1.9735343877061045,
    1.9734572015938037,
    1.9733808885488244,
    1.973305433841474,
    1.9732308230715458,
    1.9731570421591598,
    1.9730840773359035,
    1.9730119151362673,
    1.9729405423893605,
    1.972869946210897,
    1.9728001139954423,
    1.9727310334089103,
    1.9726626923813007,
    1.9725950790996685,
    1.9725281820013183,
    1.972461989767211,
    1.9723964913155811,
    1.97233167579575,
    1.9722675325821355,
    1.9722040512684438,
    1.972141221662042,
    1.9720790337785028,
    1.9720174778363146,
    1.971956544251754,
    1.9718962236339095,
)


def _t_975(df: int) -> float:
    if df <= len(T_975):
        return T_975[df - 1]
    # the normal quantile z(0.975), and the expansion's terms to df⁻⁵ (Abramowitz & Stegun
    # 26.7.5): the fifth term takes the error at df = 201 from 1e-12 to 5e-15
    z = 1.9599639845400543
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * df**4)
        + (27 * z**11 + 339 * z**9 + 930 * z**7 - 1782 * z**5 - 765 * z**3 + 17955 * z)
        / (368640 * df**5)
    )


@functools.cache
def _t_quantile(probability: float, df: int) -> float:
    """Student's t quantile: the table for 0.975, else from the F quantile, t² ~ F(1, df)."""
    if probability == 0.975:
        return _t_975(df)
    if probability < 0.5:
        return -_t_quantile(1 - probability, df)
    return math.sqrt(f_quantile(2 * probability - 1, 1, df))


def mean_sd(values: Sequence[float]) -> tuple[float, float | None]:
    """Return the mean and the sample standard deviation (n − 1; None for one value).

    The mean from the correctly rounded sum (:func:`math.fsum`); sums of squares about the
    first value (the shifted-data algorithm, so there is no cancellation to speak of): far
    faster than :mod:`statistics`, which computes with
    fractions, and within 1e-12 of it on answers to rating scales.
    """
    n = len(values)
    # fsum: the correctly rounded sum, whatever the order of the values, so a mean of the
    # same values is the same float wherever it is published (the utilisation-mean
    # indicator and its group), and ten values 0.1 have the mean 0.1 (sum() gives
    # 0.9999999999999999 and a mean of 0.09999999999999999)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None
    shift = values[0]  # sums of squares about a value in the data: no cancellation to speak of
    shifted = [v - shift for v in values]
    squares = sum(map(operator.mul, shifted, shifted))
    deviation = sum(shifted)
    return mean, math.sqrt(max(0.0, (squares - deviation * deviation / n) / (n - 1)))


def variance(values: Sequence[float]) -> float:
    """Return the sample variance (n − 1) of at least two values."""
    return mean_sd(values)[1] ** 2  # type: ignore[operator]


def t_interval(mean: float, sd: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the two-sided confidence interval of a mean by Student's t (n − 1 df)."""
    if n < 2:
        return math.nan, math.nan
    half = _t_quantile((1 + level) / 2, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def describe(
    values: Sequence[float], options: Sequence[int] = (), *, order_statistics: bool = True
) -> Summary:
    """Return n, mean, sd (n − 1), median, min, max and the 95 % CI of ``values``.

    With ``options`` (an item's scale values), also the count of each option. Without
    ``order_statistics``, median, min, max and the counts are left out (None, empty).
    """
    n = len(values)
    if n == 0:
        return Summary(n=0, distribution=tuple((o, 0) for o in options))
    if options and _INTS.issuperset(map(type, values)):
        return _describe_counts(cast("Sequence[int]", values), options, order_statistics)
    mean, sd = mean_sd(values)
    low = high = None
    # no interval where every value is the same: mean ± 0 would claim a certainty that
    # identical answers do not give (SciPy's t.interval gives nan, R's t.test refuses)
    if sd:  # t_interval(mean, sd, n), with the quantile from the table (_t_95)
        half = _t_95(n) * sd / math.sqrt(n)
        low, high = mean - half, mean + half
    if not order_statistics:
        return _summary(n, mean, sd, None, None, None, low, high, ())
    ordered = sorted(values)
    middle = n // 2  # the median as statistics.median takes it, from the one sort
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    distribution: tuple[tuple[int, int], ...] = ()
    if options:
        counts = Counter(values)
        distribution = tuple((option, counts.get(option, 0)) for option in options)
    return _summary(n, mean, sd, median, min(values), max(values), low, high, distribution)


_INTS = frozenset({int})

#: How many values the table of t quantiles covers: n − 1 ≤ len(T_975) degrees of freedom.
_T_95_N = len(T_975) + 1


def _t_95(n: int) -> float:
    """t_interval's quantile of the 95 % interval of n ≥ 2 values, ``_t_quantile((1 + 0.95)
    / 2, n - 1)``: (1 + 0.95) / 2 == 0.975, so the table's value, looked up without the
    cached call's hashing (one per published group cell). A test holds the two equal."""
    return T_975[n - 2] if n <= _T_95_N else _t_975(n - 1)


#: Setters of :class:`Summary`'s slots in field order: a summary made by these equals one
#: made by ``Summary(...)`` (no validators, converters or defaults that compute), in about
#: half the time — one is made per published group cell (~105,000 at national size). A
#: test holds the fields to this list.
_SUMMARY_SLOTS = tuple(getattr(Summary, field.name).__set__ for field in attrs.fields(Summary))


def _summary(
    n: int,
    mean: float,
    sd: float | None,
    median: float | None,
    lowest: float | None,
    highest: float | None,
    low: float | None,
    high: float | None,
    distribution: tuple[tuple[int, int], ...],
) -> Summary:
    # Summary(n=..., ...) with the slots set directly (see _SUMMARY_SLOTS)
    made: Summary = object.__new__(Summary)
    set_n, set_mean, set_sd, set_median, set_min, set_max, set_low, set_high, set_distribution = (
        _SUMMARY_SLOTS
    )
    set_n(made, n)
    set_mean(made, mean)
    set_sd(made, sd)
    set_median(made, median)
    set_min(made, lowest)
    set_max(made, highest)
    set_low(made, low)
    set_high(made, high)
    set_distribution(made, distribution)
    return made


def _describe_counts(
    values: Sequence[int], options: Sequence[int], order_statistics: bool
) -> Summary:
    """:func:`describe` of whole numbers (an item's answers), from the count of each value.

    The sums are exact integers however they are added, so mean, sd and the interval are
    the very floats :func:`mean_sd` and :func:`t_interval` give; median, min and max are
    found in the counts.
    """
    n = len(values)
    if isinstance(options, tuple) and _INTS.issuperset(map(type, options)):
        scale = _scale(options)
        if scale is not None:
            found = list(map(values.count, options))
            if sum(found) == n:  # every value is one of the options
                return _describe_scale(values, options, scale, found, order_statistics)
    counts = Counter(values)
    total = 0
    shift = values[0]  # as mean_sd: sums of squares about the first value
    squares = 0
    deviation = 0
    for value, count in counts.items():
        total += value * count
        shifted = value - shift
        deviation += shifted * count
        squares += shifted * shifted * count
    mean = total / n
    sd = low = high = None
    if n > 1:
        sd = math.sqrt(max(0.0, (squares - deviation * deviation / n) / (n - 1)))
        if sd:  # none where every value is the same (see describe)
            low, high = t_interval(mean, sd, n)
    if not order_statistics:
        return _summary(n, mean, sd, None, None, None, low, high, ())
    ordered = sorted(counts)
    half = n // 2
    median: float = _nth(ordered, counts, half)
    if not n % 2:
        median = (_nth(ordered, counts, half - 1) + median) / 2
    distribution = tuple((option, counts.get(option, 0)) for option in options)
    return _summary(n, mean, sd, median, ordered[0], ordered[-1], low, high, distribution)


def _nth(ordered: Sequence[int], counts: Counter[int], index: int) -> int:
    # the value at ``index`` (from 0) of the sorted values, from the counts
    for value in ordered:
        index -= counts[value]
        if index < 0:
            return value
    raise IndexError(index)


#: The most options :func:`_describe_scale` counts one by one (a pass over the values
#: each); longer scales are counted in one pass by a ``Counter``.
_SCALE_MAX = 11


@functools.lru_cache(maxsize=256)
def _scale(options: tuple[int, ...]) -> tuple[int, ...] | None:
    """The squares of the options of a short scale, whole numbers in ascending order (as
    an item's ``range``); None for any other options. Only whole numbers are looked up
    (1.0 == 1 would share the entry)."""
    if not 0 < len(options) <= _SCALE_MAX or any(
        low >= high for low, high in itertools.pairwise(options)
    ):
        return None
    return tuple(option * option for option in options)


def _describe_scale(
    values: Sequence[int],
    options: tuple[int, ...],
    squares: tuple[int, ...],
    found: list[int],
    order_statistics: bool,
) -> Summary:
    """:func:`_describe_counts` of values that are all options of a short scale, ``found``
    times each: no ``Counter`` and no loop in Python, every pass is in C (``count``,
    ``sum`` over ``map``, ``accumulate``, ``bisect``) — one is made per published item
    cell (~71,000 at national size). A test holds it equal to the plain statistics."""
    n = len(values)
    total = sum(map(operator.mul, options, found))
    # as mean_sd, sums of squares about the first value, Σ c·(v − s)² and Σ c·(v − s),
    # expanded: exact integers, the same as summed value by value
    shift = values[0]
    deviation = total - n * shift
    squared = sum(map(operator.mul, squares, found)) - 2 * shift * total + n * shift * shift
    mean = total / n
    sd = low = high = None
    if n > 1:
        sd = math.sqrt(max(0.0, (squared - deviation * deviation / n) / (n - 1)))
        if sd:  # none where every value is the same (see describe)
            half = _t_95(n) * sd / math.sqrt(n)  # t_interval(mean, sd, n)
            low, high = mean - half, mean + half
    if not order_statistics:
        return _summary(n, mean, sd, None, None, None, low, high, ())
    # running[i]: how many values are at most options[i]; the value at position p (from
    # 0) of the sorted values is the first option whose running count exceeds p
    running = list(accumulate(found))
    middle = n // 2
    median: float = options[bisect_right(running, middle)]
    if not n % 2:
        median = (options[bisect_right(running, middle - 1)] + median) / 2
    lowest = options[bisect_right(running, 0)]
    highest = options[bisect_right(running, n - 1)]
    distribution = tuple(zip(options, found, strict=True))
    return _summary(n, mean, sd, median, lowest, highest, low, high, distribution)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Return Cronbach's alpha of complete rows (respondents × items), or None.

    alpha = k/(k−1) · (1 − Σ var(item) / var(total)), variances with n − 1. None when there
    are fewer than two items or two respondents, or the total does not vary.
    """
    if not rows or len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    columns = list(zip(*rows, strict=True))
    exact = _int_alpha_variances(rows, columns)
    if exact is None:
        item_variance = math.fsum(variance(column) for column in columns)
        total_variance = variance([math.fsum(row) for row in rows])
    else:
        item_variance, total_variance = exact
    if total_variance == 0:
        return None
    return float(k / (k - 1) * (1 - item_variance / total_variance))


#: the types the integer fast paths below take (not bool, not subclasses)
_ONLY_INT = frozenset({int})


def _int_alpha_variances(
    rows: Sequence[Sequence[float]], columns: Sequence[Sequence[float]]
) -> tuple[float, float] | None:
    """Σ variance(item) and variance(total) as :func:`cronbach_alpha` computes them, from
    exact integer sums taken in C, when every answer is a whole number; else None.

    :func:`mean_sd` shifts by the first value; Σ(v − s)² = Σv² − 2sΣv + ns² and
    Σ(v − s) = Σv − ns are the same integers however they are added, so for int answers
    the item variances are mean_sd's own numbers. The totals are floats there
    (``math.fsum(row)``); when every answer, total and sum of squares about the first total
    is below 2⁵³ those floats and sums are whole numbers computed exactly, so they equal
    the integers here too. A test compares this with the float path.
    """
    sums = list(map(sum, columns))
    squares = [sum(map(operator.mul, column, column)) for column in columns]
    # an int sum of squares means int answers (a float or Fraction makes a float or
    # Fraction); below 2¹⁰⁶ every answer is below 2⁵³, so fsum takes it exactly
    if not _ONLY_INT.issuperset(map(type, squares)) or max(squares) >= 2**106:
        return None
    whole_rows = cast("Sequence[Sequence[int]]", rows)
    totals: list[int] = list(map(sum, whole_rows))
    low, high = min(totals), max(totals)
    if max(-low, high) >= 2**53 or (len(totals) * (high - low)) ** 2 >= 2**53:
        return None
    item_variance = math.fsum(
        _int_variance(len(column), column[0], total, square)
        for column, total, square in zip(
            cast("Sequence[Sequence[int]]", columns),
            cast("list[int]", sums),
            cast("list[int]", squares),
            strict=True,
        )
    )
    total_variance = _int_variance(
        len(totals), totals[0], sum(totals), sum(map(operator.mul, totals, totals))
    )
    return item_variance, total_variance


def _int_variance(n: int, shift: int, total: int, squares: int) -> float:
    # variance() (mean_sd's sd, squared) of n ints with sum ``total`` and sum of squares
    # ``squares``, shifted by ``shift`` (the first value) as mean_sd shifts them
    shifted_squares = squares - 2 * shift * total + n * shift * shift
    deviation = total - n * shift
    return math.sqrt(max(0.0, (shifted_squares - deviation * deviation / n) / (n - 1))) ** 2


def item_total(rows: Sequence[Sequence[float]], items: Sequence[str]) -> tuple[ItemTotal, ...]:
    """Return each item's corrected item-total correlation and alpha if the item were left out.

    From exact sums: each answer is taken exactly (a whole number, or a float at its binary
    value over a common denominator), so with S the n(n − 1)-fold variances and covariances,
    integers, var(T − xᵢ) = var(T) + var(xᵢ) − 2·cov(xᵢ, T) and cov(xᵢ, T − xᵢ) = cov(xᵢ, T)
    − var(xᵢ) are exact: a rest that does not vary is seen as zero (as floats it came out
    as 1e-16 and gave an alpha if deleted of −5e15), and each figure is rounded once.
    """
    k, n = len(items), len(rows)
    if n < 3 or k < 2:
        return tuple(
            ItemTotal(item=item, correlation=None, alpha_if_deleted=None) for item in items
        )
    flat = [value for row in rows for value in row]
    if _ONLY_INT.issuperset(map(type, flat)):
        whole = cast("Sequence[Sequence[int]]", rows)
    else:
        numerators, _ = common_scale(flat)
        whole = [numerators[i * k : (i + 1) * k] for i in range(n)]
    totals = list(map(sum, whole))
    sum_total = sum(totals)
    spread_total = n * sum(map(operator.mul, totals, totals)) - sum_total * sum_total
    spreads, co_spreads = [], []
    for column in zip(*whole, strict=True):
        sum_column = sum(column)
        spreads.append(n * sum(map(operator.mul, column, column)) - sum_column * sum_column)
        co_spreads.append(n * sum(map(operator.mul, column, totals)) - sum_column * sum_total)
    sum_spreads = sum(spreads)
    result = []
    for index, item in enumerate(items):
        spread_i, co_spread_i = spreads[index], co_spreads[index]
        spread_rest = spread_total + spread_i - 2 * co_spread_i
        co_spread_rest = co_spread_i - spread_i
        correlation = None
        if spread_i > 0 and spread_rest > 0:
            correlation = math.copysign(
                sqrt_ratio(co_spread_rest * co_spread_rest, spread_i * spread_rest),
                co_spread_rest,
            )
        alpha = None
        if k > 2 and spread_rest > 0:
            # (k − 1)/(k − 2) · (1 − Σ var without i / var(rest)), as one fraction
            alpha = float(
                Fraction((k - 1) * (spread_rest - (sum_spreads - spread_i)), (k - 2) * spread_rest)
            )
        result.append(ItemTotal(item=item, correlation=correlation, alpha_if_deleted=alpha))
    return tuple(result)


Exact = int | Fraction


def common_scale(values: Sequence[Exact | float]) -> tuple[list[int], int]:
    """Return ``values`` as integers over one common denominator: (numerators, denominator).

    Ints and Fractions are taken exactly, floats at their exact binary value. With integer
    numerators every sum, difference, comparison and tie below is exact.
    """
    fractions = [v if isinstance(v, Fraction) else Fraction(v) for v in values]
    scale = math.lcm(1, *(f.denominator for f in fractions))
    return [f.numerator * (scale // f.denominator) for f in fractions], scale


def paired_change(
    before: Sequence[Exact | float], after: Sequence[Exact | float]
) -> dict[str, Any]:
    """Return the paired change from ``before`` to ``after`` (differences after − before).

    Give exact values (ints or :class:`fractions.Fraction`, e.g. a mean of three answers
    as ``Fraction(11, 3)``): the differences are then exact, so equal differences are tied
    in the Wilcoxon test and the means and sds are correctly rounded. Floats are taken at
    their binary value (``1/3`` as a float is not a third). The figures, as floats:
    the means, the mean difference with its 95 % CI, the sd of the differences, the paired
    t statistic with its df and two-sided p, Cohen's d_z with its approximate 95 % CI,
    d_av, and the Wilcoxon signed-rank test (see :func:`wilcoxon_signed_rank`). Figures
    that do not exist (fewer than two pairs, differences that do not vary) are None.
    """
    if len(before) != len(after):
        raise ValueError("paired values need as many before as after")
    numerators, scale = common_scale([*before, *after])
    n = len(before)
    return paired_change_scaled(numerators[:n], numerators[n:], scale)


_ITEMS = operator.attrgetter("items")
_ANSWERED = operator.attrgetter("answered")


def exact_paired_change(
    before: Sequence[Score], after: Sequence[Score], method: ScoreMethod
) -> dict[str, Any]:
    """:func:`paired_change` of pairs of subscale scores, from their exact totals.

    A score is total / answered (× items for a sum): with ``scale`` the least common
    multiple of 1 … items, every score is an integer over ``scale``, so the whole
    computation runs on integers. Scores without a total, or with a Fraction total (float
    answers), go through Fractions.
    """
    scores = [*before, *after]
    n = len(before)
    totals = [s.total for s in scores]
    if _ONLY_INT.issuperset(map(type, totals)):
        items = max(map(_ITEMS, scores), default=1)
        scale = math.lcm(*range(1, items + 1))
        # total · factor · (scale // answered) for each score, iterated in C
        multipliers = map(scale.__floordiv__, map(_ANSWERED, scores))
        if method is ScoreMethod.SUM:
            multipliers = map(operator.mul, map(_ITEMS, scores), multipliers)
        numerators: list[int] = list(map(operator.mul, totals, multipliers))
        return paired_change_scaled(numerators[:n], numerators[n:], scale)
    values: list[Exact | float] = []
    for s in scores:
        if s.total is not None:
            values.append(exact_score(s.total, s.answered, s.items, method))
        elif s.value is not None:
            values.append(s.value)
        else:
            raise ValueError("a paired change needs scores with a value")
    return paired_change(values[:n], values[n:])


def _spread(total: int, squares: int, n: int) -> int:
    # n·(n − 1)·variance·scale², an exact integer: n·Σx² − (Σx)².
    return n * squares - total * total


def sqrt_ratio(numerator: int, denominator: int) -> float:
    """Return √(numerator / denominator), correctly rounded, of whole numbers ≥ 0 and > 0.

    ``math.sqrt(numerator / denominator)`` rounds twice (the quotient, then its root) and
    is off by an ulp now and then; here the integer square root is taken with at least 56
    bits beyond the float's 53 and a sticky bit for any remainder, so the one rounding of
    ``float()`` is that of the exact root (round half to even).
    """
    if numerator == 0:
        return 0.0
    shift = max(0, 114 - (numerator.bit_length() - denominator.bit_length()))
    shift += shift & 1  # even, so that the root's scale is a whole power of two
    return math.ldexp(float(_sticky_root(numerator, denominator, shift)), -(shift // 2) - 1)


def _sticky_root(numerator: int, denominator: int, shift: int) -> int:
    """Return 2·⌊√(numerator·2^shift / denominator)⌋ plus 1 if that root is inexact (a
    sticky bit): the root to shift/2 bits, with what rounding it once needs to know."""
    whole, remainder = divmod(numerator << shift, denominator)
    root = math.isqrt(whole)
    return (root << 1) | (remainder != 0 or root * root != whole)


def paired_change_scaled(before: Sequence[int], after: Sequence[int], scale: int) -> dict[str, Any]:
    """:func:`paired_change` of the values ``before[i] / scale`` and ``after[i] / scale``.

    All sums are exact integers; each figure is rounded once, at the end. Evaluation calls
    this with subscale scores over the common denominator of their possible item counts.
    """
    n = len(before)
    if len(before) != len(after):
        raise ValueError("paired values need as many before as after")
    differences = list(map(operator.sub, after, before))
    result: dict[str, Any] = {
        "mean_before": None,
        "mean_after": None,
        "mean_difference": None,
        "sd_difference": None,
        "ci_low": None,
        "ci_high": None,
        "t": None,
        "df": None,
        "p_t": None,
        "d_z": None,
        "d_z_ci_low": None,
        "d_z_ci_high": None,
        "d_av": None,
        "wilcoxon_w": None,
        "wilcoxon_p": None,
        "wilcoxon_method": None,
        "wilcoxon_n": None,
    }
    if n == 0:
        return result
    total_before, total_after, total = sum(before), sum(after), sum(differences)
    result["mean_before"] = total_before / (n * scale)  # int / int: correctly rounded
    result["mean_after"] = total_after / (n * scale)
    result["mean_difference"] = mean = total / (n * scale)
    if n < 2:
        return result
    spread = _spread(total, sum(map(operator.mul, differences, differences)), n)
    sd = sqrt_ratio(spread, n * (n - 1) * scale * scale)
    result["sd_difference"] = sd
    result["df"] = n - 1
    if spread > 0:
        result["ci_low"], result["ci_high"] = t_interval(mean, sd, n)
        # t = mean / (sd / √n) = ±√(Σd² · (n − 1) / spread) and d_z = t / √n, each from
        # the exact integers and rounded once (mean / sd rounds three times: up to 2 ulps)
        sign = math.copysign(1.0, total)
        t = sign * sqrt_ratio(total * total * (n - 1), spread)
        result["t"] = t
        result["p_t"] = t_two_sided_p(t, n - 1)
        d_z = sign * sqrt_ratio(total * total * (n - 1), n * spread)
        result["d_z"] = d_z
        result["d_z_ci_low"], result["d_z_ci_high"] = d_z_interval(d_z, n)
    spread_before = _spread(total_before, sum(map(operator.mul, before, before)), n)
    spread_after = _spread(total_after, sum(map(operator.mul, after, after)), n)
    if spread_before or spread_after:
        result["d_av"] = _d_av(total, spread_before, spread_after, n)
    if any(differences):
        test = wilcoxon_signed_rank(differences)
        result["wilcoxon_w"] = test.statistic
        result["wilcoxon_p"] = test.p
        result["wilcoxon_method"] = test.method
        result["wilcoxon_n"] = test.n
    return result


def _d_av(total: int, spread_before: int, spread_after: int, n: int) -> float:
    """d_av = mean / ((sd before + sd after) / 2), the float nearest its exact value.

    With the exact integers (scaled alike, the scale cancels) d_av = 2·Σd·√(n(n − 1)) /
    (n·(√spread_before + √spread_after)): a sum of square roots, so it is bracketed by
    integer square roots to ``bits`` bits and the bits doubled until both ends of the
    bracket round to the same float (one pass in practice).
    """
    magnitude, product = abs(total), n * (n - 1)
    bits = 64
    while True:
        root_p = math.isqrt(product << (2 * bits))  # each root is at most 1 below the true
        root_b = math.isqrt(spread_before << (2 * bits))
        root_a = math.isqrt(spread_after << (2 * bits))
        low = 2 * magnitude * root_p / (n * (root_b + root_a + 2))
        high = 2 * magnitude * (root_p + 1) / (n * (root_b + root_a))
        if low == high or bits > 2048:  # beyond 2048 bits: an exact tie, taken as low
            return math.copysign(low, total)
        bits *= 2


def d_z_interval(d_z: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the approximate confidence interval of Cohen's d_z from ``n`` pairs.

    d_z ± t((1 + level)/2, n − 1) · √(1/n + d_z²/(2n)): the large-sample standard error of a
    standardised mean, as ``pingouin.compute_esci(..., paired=True)`` computes it (the
    tests check it against pingouin). The exact interval inverts the noncentral t
    distribution; for |d_z| ≤ 1 the bounds differ from it by up to 0.13 at n = 10, 0.04 at
    n = 20 and 0.012 at n = 50 (measured with ``scipy.stats.nct``; tested).
    """
    half = _t_quantile((1 + level) / 2, n - 1) * math.sqrt(1 / n + d_z * d_z / (2 * n))
    return d_z - half, d_z + half


def alpha_interval(
    alpha: float, n: int, k: int, level: float = 0.95
) -> tuple[float, float] | tuple[None, None]:
    """Return Feldt's (1965) confidence interval of Cronbach's alpha (n respondents, k items).

    (1 − α̂)/(1 − α) follows F(n − 1, (n − 1)(k − 1)), so the interval is
    1 − (1 − α̂)·F((1 + level)/2) … 1 − (1 − α̂)·F((1 − level)/2), as
    ``pingouin.cronbach_alpha`` gives it. (None, None) below two respondents or items.
    """
    if n < 2 or k < 2:
        return None, None
    df1, df2 = n - 1, (n - 1) * (k - 1)
    upper_tail = (1 + level) / 2
    return (
        1 - (1 - alpha) * f_quantile(upper_tail, df1, df2),
        1 - (1 - alpha) * f_quantile(1 - upper_tail, df1, df2),
    )


class WilcoxonResult(NamedTuple):
    """The Wilcoxon signed-rank test: W, its two-sided p, how p was found, and n.

    ``statistic`` is W, the smaller of the positive and negative rank sums; ``method`` is
    ``"exact"`` (the exact null distribution of the rank sum given the ranks, ties
    included) or ``"normal"`` (the normal approximation with the tie-corrected variance,
    and the continuity correction only when asked for); ``n`` counts the non-zero
    differences, the ones that are ranked.
    """

    statistic: float
    p: float
    method: str
    n: int


def _doubled_ranks(magnitudes: Sequence[Exact | float]) -> tuple[list[int], list[int]]:
    # Twice the average ranks (integers, so sums stay exact), and the size of each tie group.
    if _ONLY_INT.issuperset(map(type, magnitudes)):
        return _doubled_int_ranks(magnitudes)  # type: ignore[arg-type]
    return _doubled_ranks_sorted(magnitudes)


def _doubled_int_ranks(magnitudes: Sequence[int]) -> tuple[list[int], list[int]]:
    # _doubled_ranks_sorted for ints, from the count of each value: a value with ``below``
    # smaller values and ``count`` equal ones (a tie group) has the doubled average rank
    # (below + 1) + (below + count) = 2·below + count + 1. Ints are equal exactly when
    # they are the same dictionary key. A test compares the two.
    counts = Counter(magnitudes)
    rank_of = {}
    groups = []
    below = 0
    for value in sorted(counts):
        count = counts[value]
        rank_of[value] = 2 * below + count + 1
        groups.append(count)
        below += count
    return list(map(rank_of.__getitem__, magnitudes)), groups


def _doubled_ranks_sorted(magnitudes: Sequence[Exact | float]) -> tuple[list[int], list[int]]:
    # The plain reference: sort, then walk each run of equal magnitudes.
    order = sorted(range(len(magnitudes)), key=magnitudes.__getitem__)
    ranks = [0] * len(magnitudes)
    groups = []
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and magnitudes[order[end + 1]] == magnitudes[order[start]]:
            end += 1
        for index in order[start : end + 1]:
            ranks[index] = start + end + 2
        groups.append(end - start + 1)
        start = end + 1
    return ranks, groups


@functools.lru_cache(maxsize=64)
def _signed_rank_counts(n: int) -> tuple[int, ...]:
    """How many of the 2^n sign patterns give each rank sum W+ = 0 ... n(n+1)/2."""
    counts = [1] + [0] * (n * (n + 1) // 2)
    for rank in range(1, n + 1):
        for total in range(len(counts) - 1, rank - 1, -1):
            counts[total] += counts[total - rank]
    return tuple(counts)


def _sign_flip_counts(ranks: Sequence[int]) -> list[int]:
    # How many of the 2^n sign patterns give each sum of (doubled) positive ranks.
    counts = [1] + [0] * sum(ranks)
    reach = 0
    for rank in ranks:
        reach += rank
        for total in range(reach, rank - 1, -1):
            counts[total] += counts[total - rank]
    return counts


def wilcoxon_signed_rank(
    differences: Sequence[Exact | float], continuity: bool = False
) -> WilcoxonResult:
    """Return the two-sided Wilcoxon signed-rank test of paired differences.

    As ``scipy.stats.wilcoxon(d)`` with its defaults (``zero_method="wilcox"``,
    ``correction=False``, ``method="auto"``) in SciPy 1.13 and later (checked against
    1.17): zero differences are dropped, the rest ranked by magnitude with average ranks
    for ties, and W is the smaller of the positive and negative rank sums. p is

    - exact when there are at most 50 differences (zeros included) with neither ties nor
      zeros: the null distribution of W over the 2^n sign patterns;
    - exact when there are at most 13 differences with ties or zeros: the distribution of
      the positive rank sum over all sign patterns of the observed ranks (SciPy's
      deterministic permutation test);
    - otherwise the normal approximation, z = (W − n(n+1)/4) / σ with
      σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over the tie groups, and p = erfc(|z|/√2), which
      does not underflow (z = 8.6 gives p ≈ 8e-18). ``continuity=True`` moves W half a
      unit towards the mean first (SciPy's ``correction=True``; R's ``wilcox.test``
      default).

    Give exact differences (ints or Fractions) so that ties are ties; the tests compare
    with SciPy on the same exact values.
    """
    nonzero = [d for d in differences if d != 0]
    n = len(nonzero)
    if n == 0:
        return WilcoxonResult(0.0, 1.0, "exact", 0)
    ranks, groups = _doubled_ranks([-d if d < 0 else d for d in nonzero])
    plus = sum(compress(ranks, map(operator.gt, nonzero, repeat(0))))  # ranks of d > 0
    half_sum = n * (n + 1)  # the doubled sum of all ranks is n(n + 1)
    statistic = min(plus, half_sum - plus) / 2
    ties = len(groups) < n
    zeros = len(differences) > n
    if len(differences) <= 50 and not ties and not zeros:
        at_most = sum(_signed_rank_counts(n)[: int(statistic) + 1])
        return WilcoxonResult(statistic, min(1.0, 2 * at_most / 2**n), "exact", n)
    if len(differences) <= 13:
        counts = _sign_flip_counts(ranks)
        below, above = sum(counts[: plus + 1]), sum(counts[plus:])
        return WilcoxonResult(statistic, min(1.0, 2 * min(below, above) / 2**n), "exact", n)
    # 24σ² = n(n+1)(2n+1) − Σ(t³ − t)/2, an exact integer (t³ − t is always even).
    variance24 = n * (n + 1) * (2 * n + 1) - sum(t**3 - t for t in groups) // 2
    if variance24 <= 0:
        return WilcoxonResult(statistic, 1.0, "normal", n)
    distance = abs(plus - half_sum / 2) / 2  # |W+ − n(n+1)/4|
    if continuity and distance:
        distance = abs(distance - 0.5)
    z = distance / math.sqrt(variance24 / 24)
    return WilcoxonResult(statistic, min(1.0, math.erfc(z / math.sqrt(2))), "normal", n)


def gas_t_score(
    levels: Sequence[int], weights: Sequence[float], rho: float = GAS_RHO
) -> float | None:
    """Return the Goal Attainment Scaling T-score of goals scored −2…+2 with weights.

    T = 50 + 10·Σwᵢxᵢ / √((1−ρ)Σwᵢ² + ρ(Σwᵢ)²), computed exactly and rounded once; None
    when there are no goals.
    """
    if not levels:
        return None
    # exactly: weights and rho as written in decimal (0.3 is 3/10, not the float below it),
    # T = 50 ± √(100·(Σwx)² / ((1−ρ)Σw² + ρ(Σw)²)), and the one rounding at the end (as
    # floats the T-score was up to 2 ulps off in a twelfth of random cases)
    numerator: int | Fraction
    denominator: int | Fraction
    if rho == GAS_RHO and all(float(w).is_integer() for w in weights):
        # whole weights (the usual 1, 2, 3): integers only, 100·S² / ((7Σw² + 3(Σw)²) / 10)
        whole = [int(w) for w in weights]
        weighted: int | Fraction = sum(map(operator.mul, whole, levels))
        numerator = 1000 * weighted * weighted
        denominator = 7 * sum(w * w for w in whole) + 3 * sum(whole) ** 2
    else:
        exact_weights = [_as_written(w) for w in weights]
        exact_rho = _as_written(rho)
        weighted = sum((w * x for w, x in zip(exact_weights, levels, strict=True)), Fraction(0))
        spread = (1 - exact_rho) * sum(w * w for w in exact_weights) + exact_rho * sum(
            exact_weights, Fraction(0)
        ) ** 2
        squared = 100 * weighted * weighted / spread
        numerator, denominator = squared.numerator, squared.denominator
    # 50 ± √(numerator / denominator) to 120 bits, a sticky bit for any remainder, then one
    # rounding
    bits = 120
    root = _sticky_root(int(numerator), int(denominator), 2 * bits)  # 2·root + inexact
    base = 50 << (bits + 1)
    if weighted >= 0:
        return (base + root) / (1 << (bits + 1))
    return (base - root) / (1 << (bits + 1))


def _as_written(value: float) -> Fraction:
    """A number from a file as its decimal reads (0.3 is 3/10): the shortest decimal of a
    float, exactly; a whole number as it is."""
    return Fraction(value) if isinstance(value, int) else Fraction(repr(float(value)))
