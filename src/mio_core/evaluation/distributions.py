"""Student's t and F distributions from the regularised incomplete beta function.

Evaluation does not import SciPy (its import alone costs more than evaluating a cohort; see
docs/performance.md), so the two distributions the statistics need are computed here:

- the regularised incomplete beta function Iₓ(a, b) by its continued fraction, evaluated
  with the modified Lentz algorithm (Press et al., *Numerical Recipes*, 3rd ed., §6.4), on
  the side of the symmetry Iₓ(a, b) = 1 − I₁₋ₓ(b, a) where it converges fast, and with
  ln B(a, b) from a Stirling series when an argument is large, so that a p of 1e-300 or a
  million degrees of freedom keep their relative precision;
- the two-sided p of Student's t: P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2);
- the F quantile, by safeguarded Newton steps on ln F (the derivative of the F CDF with
  respect to ln F is the beta density term, so each step is cheap).

The tests check each against SciPy (``scipy.special.betainc``, ``scipy.stats.t.sf``,
``scipy.stats.f.ppf``) over grids that include extreme arguments.
"""

from __future__ import annotations

import math

_TINY = 1e-300
_EPSILON = 1e-16


def _stirling_correction(z: float) -> float:
    # ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π], for z ≥ 10 (error below 1e-17 there).
    z2 = z * z
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680) / z2) / z2) / z2) / z


def log_beta(a: float, b: float) -> float:
    """Return ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0.

    When the larger argument is 10 or more, ln Γ(big) − ln Γ(big + small) comes from the
    Stirling series with the large terms cancelled analytically, which keeps the result
    accurate to about 1e-15 relative to its own size instead of to ln Γ(big).
    """
    small, big = (a, b) if a <= b else (b, a)
    if big < 10:
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    total = small + big
    difference = (
        -(big - 0.5) * math.log1p(small / big)
        - small * math.log(total)
        + small
        + _stirling_correction(big)
        - _stirling_correction(total)
    )
    return math.lgamma(small) + difference


def _continued_fraction(a: float, b: float, x: float) -> float:
    # The continued fraction of Iₓ(a, b) (Numerical Recipes' betacf), modified Lentz.
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    limit = 1000 + int(20 * math.sqrt(max(a, b)))
    for m in range(1, limit):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPSILON:
            return h
    raise ArithmeticError(f"incomplete beta: no convergence for a={a}, b={b}, x={x}")


def betainc_pair(a: float, b: float, x: float, y: float | None = None) -> tuple[float, float]:
    """Return (Iₓ(a, b), 1 − Iₓ(a, b)), each to full relative precision.

    ``y`` is 1 − x; pass it when it is known more precisely than ``1 - x`` would give it
    (e.g. t²/(ν + t²) for a t statistic).
    """
    if a <= 0 or b <= 0:
        raise ValueError("the incomplete beta function needs a > 0 and b > 0")
    if y is None:
        y = 1.0 - x
    if x <= 0.0:
        return 0.0, 1.0
    if y <= 0.0:
        return 1.0, 0.0
    log_front = a * math.log(x) + b * math.log(y) - log_beta(a, b)
    if x < (a + 1.0) / (a + b + 2.0):
        value = math.exp(log_front) * _continued_fraction(a, b, x) / a
        return value, 1.0 - value
    complement = math.exp(log_front) * _continued_fraction(b, a, y) / b
    return 1.0 - complement, complement


def betainc(a: float, b: float, x: float) -> float:
    """Return the regularised incomplete beta function Iₓ(a, b) (``scipy.special.betainc``)."""
    return betainc_pair(a, b, x)[0]


def t_two_sided_p(t: float, df: float) -> float:
    """Return P(|T| ≥ |t|) for Student's t with ``df`` degrees of freedom (2·``t.sf(|t|)``)."""
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0
    t2 = t * t
    if t2 == 0.0:
        return 1.0
    # x = ν/(ν + t²) and 1 − x = t²/(ν + t²), each without cancellation.
    x, y = df / (df + t2), t2 / (df + t2)
    return betainc_pair(df / 2.0, 0.5, x, y)[0]


def f_cdf(value: float, df1: float, df2: float) -> float:
    """Return P(F ≤ value) for the F distribution with (df1, df2) degrees of freedom."""
    if value <= 0:
        return 0.0
    if math.isinf(value):
        return 1.0
    scaled = df1 * value
    return betainc_pair(df1 / 2, df2 / 2, scaled / (scaled + df2), df2 / (scaled + df2))[0]


def f_quantile(probability: float, df1: float, df2: float) -> float:
    """Return the F quantile: the value whose CDF is ``probability`` (``scipy.stats.f.ppf``).

    Newton's method on u = ln F, kept inside a bracket that bisection shrinks whenever a
    step would leave it; dCDF/du = x^a (1 − x)^b / B(a, b) with x = df1·F/(df1·F + df2).
    """
    if not 0.0 < probability < 1.0:
        if probability == 0.0:
            return 0.0
        if probability == 1.0:
            return math.inf
        raise ValueError("a probability lies between 0 and 1")
    a, b = df1 / 2, df2 / 2
    log_b = log_beta(a, b)

    def cdf_and_slope(u: float) -> tuple[float, float]:
        scaled = df1 * math.exp(u)
        x, y = scaled / (scaled + df2), df2 / (scaled + df2)
        lower, upper = betainc_pair(a, b, x, y)
        value = lower - probability if probability <= 0.5 else (1 - probability) - upper
        slope = math.exp(a * math.log(x) + b * math.log(y) - log_b) if x > 0 and y > 0 else 0.0
        return value, slope

    low, high = -1.0, 1.0
    while cdf_and_slope(low)[0] > 0:
        low *= 2
        if low < -1e4:
            return 0.0
    while cdf_and_slope(high)[0] < 0:
        high *= 2
        if high > 1e4:
            return math.inf
    u = 0.0 if low < 0 < high else (low + high) / 2
    for _ in range(200):
        value, slope = cdf_and_slope(u)
        if value == 0:
            return math.exp(u)
        if value < 0:
            low = u
        else:
            high = u
        step = value / slope if slope > 0 else math.inf
        candidate = u - step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - u) <= 4e-16 * max(1.0, abs(u)) or high - low <= 4e-16 * max(1.0, abs(u)):
            return math.exp(candidate)
        u = candidate
    return math.exp(u)  # pragma: no cover - Newton with bisection converges long before
