"""The analyses: statsmodels' MixedLM (REML) and OLS, Welch's t, Holm's adjustment.

Each function returns :class:`Analysis` values; nothing is printed. No estimate is ever made
per municipality: municipalities enter the models as a random intercept only.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from mio_core.evaluation import paired_change

from .data import POST, PRE, Manager, Scores

#: What each analysis assumes, as the output states it.
ASSUMPTIONS = {
    "gain": (
        "Linear mixed model (REML): score ~ occasion (pre as reference) + (1 | municipality) "
        "+ (1 | manager within municipality). Assumes normally distributed random intercepts "
        "and residuals with constant variance, the same change in every municipality (no "
        "random slopes), and answers missing at random given the observed ones (drop-out may "
        "depend on the baseline answers; all answers are used, not only completers). "
        "Cohort is not modelled: cohorts cross municipalities and have few levels. "
        "95 % CI and p are Wald (normal) on the REML fit. d_z = mean change / SD of change, "
        "d_av = mean change / mean of the pre and post SDs, both among completers."
    ),
    "icc": (
        "Random-intercept model of the baseline (pre) score: score ~ 1 + (1 | municipality), "
        "REML. ICC = municipality variance / (municipality variance + residual variance). "
        "Assumes normal random intercepts and residuals; with few municipalities the "
        "variance is imprecise and no CI is given. Measurement error in the score lowers "
        "the ICC compared with the true (latent) one."
    ),
    "dose": (
        "Linear mixed model (REML) among completers: change (post - pre) ~ coaching hours + "
        "baseline (centred) + (1 | municipality). Assumes a linear dose effect, that hours "
        "are not chosen because of the expected change (no confounding), normal random "
        "intercepts and residuals. Baseline is in the model because the change depends on it "
        "(regression to the mean). The dose slope is per coaching hour, in scale points. "
        "Wald 95 % CI and p."
    ),
    "attrition": (
        "Baseline (pre) score of those who answered before but not after (left) minus those "
        "who answered both: Welch's t-test and its 95 % CI (unequal variances, independent "
        "managers: the municipality clustering is ignored, so the CI is slightly narrow when "
        "the ICC is large). A difference means the completers are not a random subset."
    ),
    "persistence": (
        "Linear mixed model (REML) of follow-up - post per manager who answered both: "
        "change ~ 1 + (1 | municipality). A negative estimate is fade, zero full "
        "persistence. Assumes normal random intercepts and residuals, missing at random. "
        "Wald 95 % CI and p."
    ),
    "holm": (
        "p_holm: Holm's step-down adjustment across the subscales of one instrument, "
        "separately for each analysis; it keeps the family-wise error rate at 5 %."
    ),
}


@attrs.frozen(kw_only=True)
class Estimate:
    """One model term: the estimate, its standard error, 95 % CI and p (Holm-adjusted too)."""

    term: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    p_holm: float | None = None


@attrs.frozen(kw_only=True)
class Analysis:
    """One analysis of one subscale: its model, sizes and estimates, or why it is withheld.

    ``statistics`` holds figures that are not model terms (ICC, variances, effect sizes);
    ``withheld`` says why there are no estimates (too few managers, not estimable).
    """

    kind: str
    instrument: str
    subscale: str
    model: str
    n_managers: int
    n_observations: int
    n_municipalities: int
    estimates: tuple[Estimate, ...] = ()
    statistics: Mapping[str, float] = attrs.field(factory=dict)
    notes: tuple[str, ...] = ()
    withheld: str | None = None

    def estimate(self, term: str) -> Estimate:
        """Return the estimate of ``term`` (KeyError when the analysis has none)."""
        for found in self.estimates:
            if found.term == term:
                return found
        raise KeyError(term)


#: The term each analysis reports (and Holm adjusts across subscales).
MAIN_TERM = {
    "gain": "post",
    "dose": "coaching_hours",
    "attrition": "left - stayed",
    "persistence": "follow_up - post",
}


def holm(p_values: Sequence[float]) -> list[float]:
    """Return Holm's step-down adjusted p-values, in the order given.

    A p that is not a number (a model without standard errors) stays NaN and still counts
    as a test of the family, ranked last, as ``statsmodels.stats.multitest.multipletests``
    does; it used to sort first and make every other adjusted p 1.
    """
    order = sorted(
        range(len(p_values)),
        key=lambda i: (math.isnan(p_values[i]), 0.0 if math.isnan(p_values[i]) else p_values[i]),
    )
    adjusted = [math.nan] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        if math.isnan(p_values[index]):
            continue
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def _fit_mixed(
    formula: str, data: Any, groups: str, vc: dict[str, str] | None = None
) -> tuple[Any, tuple[str, ...]]:
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    model = smf.mixedlm(formula, data, groups=data[groups], re_formula="1", vc_formula=vc)
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = model.fit(reml=True)
    texts = " ".join(str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning))
    texts += " ".join(str(w.message) for w in caught if "singular" in str(w.message).lower())
    if "boundary" in texts or "singular" in texts.lower():
        notes.append(
            "a variance is estimated at (or near) zero, on the boundary: the fixed effects "
            "stand, their standard errors are approximate"
        )
    if not fit.converged:
        notes.append("the optimiser did not converge; the estimates are unreliable")
    return fit, tuple(notes)


def _estimates(fit: Any, terms: Mapping[str, str]) -> tuple[Estimate, ...]:
    ci = fit.conf_int()
    return tuple(
        Estimate(
            term=label,
            estimate=float(fit.params[name]),
            se=float(fit.bse[name]),
            ci_low=float(ci.loc[name, 0]),
            ci_high=float(ci.loc[name, 1]),
            p=float(fit.pvalues[name]),
        )
        for name, label in terms.items()
    )


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows)


def _sd(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


def gain(scores: Scores, people: Mapping[str, Manager], min_group_size: int) -> Analysis:
    """Return the change from pre to post (and follow-up) in a linear mixed model."""
    occasions = [PRE, POST] + ([scores.follow_up] if scores.follow_up else [])
    rows = [
        {
            "score": value,
            "post": int(occasion == POST),
            "follow_up": int(occasion == scores.follow_up),
            "manager": manager,
            "municipality": people[manager].municipality,
        }
        for occasion in occasions
        for manager, value in sorted(scores.by_occasion[occasion].items())
        if manager in people
    ]
    formula = "score ~ post" + (" + follow_up" if scores.follow_up else "")
    terms = {"post": "post"} | ({"follow_up": "follow_up"} if scores.follow_up else {})
    base = _base("gain", scores, rows, formula + " + (1 | municipality) + (1 | manager)")
    if base.withheld or base.n_managers < min_group_size:
        return _withheld(base, min_group_size)
    data = _frame(rows)
    multi = base.n_municipalities >= 2
    try:
        if multi:
            fit, notes = _fit_mixed(formula, data, "municipality", {"manager": "0 + C(manager)"})
        else:
            fit, notes = _fit_mixed(formula, data, "manager")
            notes = ("one municipality: no municipality variance in the model", *notes)
    except (ValueError, ArithmeticError, KeyError) as exc:
        return attrs.evolve(base, withheld=f"the model could not be fitted: {exc}")
    pre, post = scores.by_occasion[PRE], scores.by_occasion[POST]
    both = sorted(set(pre) & set(post) & set(people))
    statistics: dict[str, float] = {"residual_variance": float(fit.scale)}
    if multi:
        statistics["municipality_variance"] = float(fit.cov_re.iloc[0, 0])
        statistics["manager_variance"] = float(fit.vcomp[0])
    else:
        statistics["manager_variance"] = float(fit.cov_re.iloc[0, 0])
    if len(both) >= max(2, min_group_size):
        # from the exact scores, as mio evaluate's paired change: the very same floats
        figures = paired_change(
            [scores.exact_score(PRE, i) for i in both],
            [scores.exact_score(POST, i) for i in both],
        )
        statistics |= {
            "completers": float(len(both)),
            "mean_change_completers": figures["mean_difference"],
            "d_z": math.nan if figures["d_z"] is None else figures["d_z"],
            "d_av": math.nan if figures["d_av"] is None else figures["d_av"],
        }
    return attrs.evolve(base, estimates=_estimates(fit, terms), statistics=statistics, notes=notes)


def icc(scores: Scores, people: Mapping[str, Manager], min_group_size: int) -> Analysis:
    """Return the intra-class correlation of municipalities in the baseline scores."""
    rows = [
        {"score": value, "manager": manager, "municipality": people[manager].municipality}
        for manager, value in sorted(scores.by_occasion[PRE].items())
        if manager in people
    ]
    base = _base("icc", scores, rows, "score ~ 1 + (1 | municipality)")
    if base.withheld or base.n_managers < min_group_size:
        return _withheld(base, min_group_size)
    if base.n_municipalities < 2:
        return attrs.evolve(base, withheld="one municipality: no ICC of municipalities")
    per_municipality: dict[str, set[float]] = {}
    for manager, value in scores.by_occasion[PRE].items():
        if manager in people:
            per_municipality.setdefault(people[manager].municipality, set()).add(value)
    if len(set().union(*per_municipality.values())) == 1:
        # between + within variance is zero: the ICC is 0 / 0 (REML returns noise, ~0.57)
        return attrs.evolve(base, withheld="every baseline score is the same: no ICC")
    if all(len(found) == 1 for found in per_municipality.values()):
        # no variance within any municipality: REML sits on the boundary and misjudges
        # the municipality variance (a tenth of the one-way ANOVA estimate was seen)
        return attrs.evolve(
            base,
            withheld="the baseline scores do not vary within any municipality: no model",
        )
    try:
        fit, notes = _fit_mixed("score ~ 1", _frame(rows), "municipality")
    except (ValueError, ArithmeticError, KeyError) as exc:
        return attrs.evolve(base, withheld=f"the model could not be fitted: {exc}")
    between, within = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    return attrs.evolve(
        base,
        statistics={
            "icc": between / (between + within),
            "municipality_variance": between,
            "residual_variance": within,
        },
        notes=notes,
    )


def dose(scores: Scores, people: Mapping[str, Manager], min_group_size: int) -> Analysis:
    """Return the dose–response slope of the pre→post change per coaching hour."""
    pre, post = scores.by_occasion[PRE], scores.by_occasion[POST]
    both = sorted(set(pre) & set(post) & set(people))
    rows = [
        {
            "change": post[i] - pre[i],
            "coaching_hours": people[i].coaching_hours,
            "baseline": pre[i],
            "manager": i,
            "municipality": people[i].municipality,
        }
        for i in both
    ]
    base = _base("dose", scores, rows, "change ~ coaching_hours + baseline + (1 | municipality)")
    if base.withheld or base.n_managers < min_group_size:
        return _withheld(base, min_group_size)
    data = _frame(rows)
    data["baseline"] = data["baseline"] - data["baseline"].mean()
    if data["coaching_hours"].nunique() < 2:
        return attrs.evolve(base, withheld="every manager had the same coaching dose")
    formula = "change ~ coaching_hours + baseline"
    terms = {"coaching_hours": "coaching_hours", "baseline": "baseline"}
    try:
        if base.n_municipalities >= 2:
            fit, notes = _fit_mixed(formula, data, "municipality")
        else:
            import statsmodels.formula.api as smf

            fit = smf.ols(formula, data).fit()
            notes = ("one municipality: ordinary least squares",)
    except (ValueError, ArithmeticError, KeyError) as exc:
        return attrs.evolve(base, withheld=f"the model could not be fitted: {exc}")
    return attrs.evolve(base, estimates=_estimates(fit, terms), notes=notes)


def persistence(scores: Scores, people: Mapping[str, Manager], min_group_size: int) -> Analysis:
    """Return the change from post to the first follow-up (negative: the gain fades)."""
    post = scores.by_occasion[POST]
    later = scores.by_occasion[scores.follow_up] if scores.follow_up else {}
    both = sorted(set(post) & set(later) & set(people))
    rows = [
        {"change": later[i] - post[i], "manager": i, "municipality": people[i].municipality}
        for i in both
    ]
    base = _base("persistence", scores, rows, "(follow_up - post) ~ 1 + (1 | municipality)")
    if not scores.follow_up:
        return attrs.evolve(base, withheld="no follow-up was answered")
    if base.withheld or base.n_managers < min_group_size:
        return _withheld(base, min_group_size)
    data = _frame(rows)
    try:
        if base.n_municipalities >= 2:
            fit, notes = _fit_mixed("change ~ 1", data, "municipality")
        else:
            import statsmodels.formula.api as smf

            fit = smf.ols("change ~ 1", data).fit()
            notes = ("one municipality: ordinary least squares",)
    except (ValueError, ArithmeticError, KeyError) as exc:
        return attrs.evolve(base, withheld=f"the model could not be fitted: {exc}")
    return attrs.evolve(
        base,
        estimates=_estimates(fit, {"Intercept": "follow_up - post"}),
        notes=(f"follow-up occasion: {scores.follow_up}", *notes),
    )


def welch(left: Sequence[float], stayed: Sequence[float]) -> Estimate:
    """Return mean(left) - mean(stayed) with Welch's standard error, 95 % CI and p."""
    from scipy import stats

    n1, n2 = len(left), len(stayed)
    v1, v2 = _sd(left) ** 2 / n1, _sd(stayed) ** 2 / n2
    difference = math.fsum(left) / n1 - math.fsum(stayed) / n2
    se = math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    t = difference / se
    half = float(stats.t.ppf(0.975, df)) * se
    return Estimate(
        term=MAIN_TERM["attrition"],
        estimate=difference,
        se=se,
        ci_low=difference - half,
        ci_high=difference + half,
        p=float(2 * stats.t.sf(abs(t), df)),
    )


def attrition(scores: Scores, people: Mapping[str, Manager], min_group_size: int) -> Analysis:
    """Return how the baseline of those who left (no post answer) differs from the rest's."""
    pre, post = scores.by_occasion[PRE], scores.by_occasion[POST]
    answered_post = set(post)
    rows = [
        {"score": v, "left": i not in answered_post, "municipality": people[i].municipality}
        for i, v in sorted(pre.items())
        if i in people
    ]
    base = _base("attrition", scores, rows, "pre score: left vs stayed (Welch)")
    known = [(i, v) for i, v in sorted(pre.items()) if i in people]
    left = [v for i, v in known if i not in answered_post]
    stayed = [v for i, v in known if i in answered_post]
    smallest = min(len(left), len(stayed))
    if smallest < max(2, min_group_size):
        return attrs.evolve(
            base,
            withheld=f"fewer than {max(2, min_group_size)} managers left or stayed",
        )
    if len(set(left)) == 1 and len(set(stayed)) == 1:
        # both variances zero: Welch's standard error and df are 0 / 0
        return attrs.evolve(
            base,
            withheld="the baseline scores do not vary among those who left nor among "
            "those who stayed: no Welch test",
        )
    return attrs.evolve(
        base,
        estimates=(welch(left, stayed),),
        statistics={
            "left": float(len(left)),
            "stayed": float(len(stayed)),
            "share_left": len(left) / len(rows),
        },
    )


def _base(kind: str, scores: Scores, rows: list[dict[str, Any]], model: str) -> Analysis:
    managers = {r.get("manager", i) for i, r in enumerate(rows)}
    return Analysis(
        kind=kind,
        instrument=scores.instrument,
        subscale=scores.subscale,
        model=model,
        n_managers=len(managers),
        n_observations=len(rows),
        n_municipalities=len({r["municipality"] for r in rows}),
    )


def _withheld(base: Analysis, min_group_size: int) -> Analysis:
    return attrs.evolve(
        base, withheld=f"fewer than {min_group_size} managers (the minimum group size)"
    )


def with_holm(analyses: Sequence[Analysis]) -> list[Analysis]:
    """Return ``analyses`` with Holm-adjusted p of each main term, per analysis and instrument."""
    families: dict[tuple[str, str], list[int]] = {}
    for index, analysis in enumerate(analyses):
        term = MAIN_TERM.get(analysis.kind)
        if term and any(e.term == term for e in analysis.estimates):
            families.setdefault((analysis.kind, analysis.instrument), []).append(index)
    result = list(analyses)
    for (kind, _), members in families.items():
        term = MAIN_TERM[kind]
        adjusted = holm([analyses[i].estimate(term).p for i in members])
        for index, p in zip(members, adjusted, strict=True):
            analysis = analyses[index]
            result[index] = attrs.evolve(
                analysis,
                estimates=tuple(
                    attrs.evolve(e, p_holm=p) if e.term == term else e for e in analysis.estimates
                ),
            )
    return result
