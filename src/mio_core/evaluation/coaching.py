"""Coaching dose and Goal Attainment Scaling over the whole programme, as published.

The figures come from the programme cells that :mod:`.disclosure` audited with every other
published cell (``EvaluationResult.programme``); this module only reads them and says,
with the same reasons (``primary``/``secondary``), what is suppressed. The one count of its
own, how many had no coaching, is a split of the dose's group in two: it is shown only
where it is a count the audit would show of an answer option (a group of at least 2k, and
neither part 1 … k−1), since the coached part's hours are the whole group's.
"""

from __future__ import annotations

import attrs

from ..model import Workspace
from .disclosure import PRIMARY, order_statistics_minimum
from .groups import ALL
from .results import EvaluationResult, GroupResult


def has_coaching(workspace: Workspace) -> bool:
    """Whether the programme has coaching: the concept describes a coaching design, or
    coaching engagements are recorded. A concept of training alone has none, and its
    reports show no coaching section (not a table of zeros and "16 without coaching")."""
    return workspace.concept.coaching is not None or bool(workspace.engagements)


@attrs.frozen(kw_only=True)
class CoachingSummary:
    """Coaching over every participant and GAS over every engagement.

    A suppressed part (``coaching_suppressed``, ``gas_suppressed``: ``primary`` or
    ``secondary``) has None for all its figures. ``without_coaching`` is shown only with
    the dose, and only where neither those without nor those with coaching are 1 … k−1 of
    a group of at least 2k: the hours of those with coaching are the whole group's (n ×
    the mean), so two coached managers among 24 would show their hours. No coaching
    recorded at all gives no figures and no reason.
    """

    participants: int | None = None
    sessions_mean: float | None = None
    hours_mean: float | None = None
    hours_median: float | None = None
    without_coaching: int | None = None
    coaching_suppressed: str | None = None
    gas_engagements: int | None = None
    gas_baseline_mean: float | None = None
    gas_attainment_mean: float | None = None
    gas_suppressed: str | None = None


def _overall(
    result: EvaluationResult, instrument: str, occasion: str, measure: str
) -> GroupResult | None:
    for g in result.programme:
        if (g.instrument, g.occasion, g.measure, g.group_by) == (
            instrument,
            occasion,
            measure,
            ALL,
        ):
            return g
    return None


def coaching_summary(result: EvaluationResult) -> CoachingSummary:
    """Return the coaching dose and GAS as disclosure control published them."""
    sessions = _overall(result, "coaching", "programme", "sessions")
    hours = _overall(result, "coaching", "programme", "hours")
    baseline = _overall(result, "gas", "baseline", "t_score")
    attained = _overall(result, "gas", "follow-up", "t_score")
    dose_shown = hours is not None and hours.summary is not None and hours.summary.n > 0
    gas_shown = attained is not None and attained.summary is not None
    uncoached = sum(1 for d in result.participation.coaching if d.sessions == 0)
    without: int | None = uncoached
    summary = CoachingSummary(
        coaching_suppressed=None if dose_shown or hours is None else hours.suppressed,
        # no engagement scored is "too few to show", as a group below the minimum is
        gas_suppressed=None if gas_shown else (attained.suppressed if attained else PRIMARY),
    )
    if dose_shown:
        assert hours is not None and hours.summary is not None
        k, n = result.min_group_size, hours.summary.n
        if n < order_statistics_minimum(k) or any(0 < p < k for p in (uncoached, n - uncoached)):
            without = None
        summary = attrs.evolve(
            summary,
            participants=hours.summary.n,
            sessions_mean=sessions.summary.mean if sessions and sessions.summary else None,
            hours_mean=hours.summary.mean,
            hours_median=hours.summary.median,
            without_coaching=without,
        )
    if gas_shown:
        assert attained is not None and attained.summary is not None
        summary = attrs.evolve(
            summary,
            gas_engagements=attained.summary.n,
            gas_baseline_mean=baseline.summary.mean if baseline and baseline.summary else None,
            gas_attainment_mean=attained.summary.mean,
        )
    return summary
