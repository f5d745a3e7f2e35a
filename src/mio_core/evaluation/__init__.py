"""Evaluation: scores, group results, reliability, change, response rates, participation.

``evaluate(workspace, registry)`` returns an :class:`EvaluationResult` of attrs values;
nothing is printed. Groups smaller than the workspace's ``min_group_size`` are marked
suppressed and carry no figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import attrs

from ..gcpause import paused_gc
from ..model import Instrument, Workspace, occasion_order
from ..plugins.registry import Registry
from .groups import expected_respondents, group_results, respondent_groups
from .participation import participation
from .results import (
    Attendance,
    Change,
    CoachingDose,
    Count,
    EvaluationResult,
    GoalAttainment,
    GroupResult,
    ItemTotal,
    Participation,
    Reliability,
    ResponseRate,
    Score,
    Summary,
)
from .scoring import score_responses
from .stats import alpha_interval, cronbach_alpha, exact_paired_change, gas_t_score, item_total
from .suppression import PRIMARY

__all__ = [
    "Attendance",
    "Change",
    "CoachingDose",
    "Count",
    "EvaluationResult",
    "GoalAttainment",
    "GroupResult",
    "ItemTotal",
    "Participation",
    "Reliability",
    "ResponseRate",
    "Score",
    "Summary",
    "all_instruments",
    "evaluate",
    "gas_t_score",
]


def all_instruments(workspace: Workspace, registry: Registry) -> dict[str, Instrument]:
    """Return the plugins' instruments and the workspace's own, by id."""
    instruments = dict(registry.instruments)
    for instrument in workspace.instruments:
        instruments.setdefault(instrument.id, instrument)
    return instruments


def _reliability(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    rows: Mapping[tuple[str, str, str], list[list[float]]],
) -> list[Reliability]:
    minimum = workspace.manifest.privacy.min_group_size
    results = []
    modules = tuple(m.id for m in sorted(workspace.concept.modules, key=lambda m: m.order))
    pairs = {(r.instrument, r.occasion) for r in workspace.responses}
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
            hidden = len(complete) < minimum
            alpha = None if hidden else cronbach_alpha(complete)
            low, high = (
                (None, None)
                if alpha is None
                else alpha_interval(alpha, len(complete), len(subscale.items))
            )
            results.append(
                Reliability(
                    instrument=instrument_id,
                    occasion=occasion,
                    subscale=subscale.id,
                    n=len(complete),
                    items=len(subscale.items),
                    alpha=alpha,
                    alpha_ci_low=low,
                    alpha_ci_high=high,
                    item_total=() if hidden else item_total(complete, subscale.items),
                    suppressed=PRIMARY if hidden else None,
                )
            )
    return results


def _changes(
    workspace: Workspace, instruments: Mapping[str, Instrument], scores: list[Score]
) -> list[Change]:
    minimum = workspace.manifest.privacy.min_group_size
    by_key: dict[tuple[str, str, str], dict[str, Score]] = defaultdict(dict)
    for score in scores:
        if score.value is not None:
            by_key[(score.instrument, score.subscale, score.occasion)][score.respondent] = score
    occasions: dict[str, set[str]] = defaultdict(set)
    for response in workspace.responses:
        occasions[response.instrument].add(response.occasion)
    results = []
    for instrument_id in sorted(occasions):
        instrument = instruments.get(instrument_id)
        if instrument is None or "pre" not in occasions[instrument_id]:
            continue
        later = ["post"] if "post" in occasions[instrument_id] else []
        later += sorted(o for o in occasions[instrument_id] if o.startswith("follow-up:"))
        for after in later:
            for subscale in instrument.subscales:
                before_scores = by_key.get((instrument_id, subscale.id, "pre"), {})
                after_scores = by_key.get((instrument_id, subscale.id, after), {})
                pairs = sorted(set(before_scores) & set(after_scores))
                change = Change(
                    instrument=instrument_id,
                    subscale=subscale.id,
                    before="pre",
                    after=after,
                    n_pairs=len(pairs),
                    suppressed=PRIMARY if len(pairs) < minimum else None,
                )
                if change.suppressed is None:
                    figures = exact_paired_change(
                        [before_scores[p] for p in pairs],
                        [after_scores[p] for p in pairs],
                        subscale.method,
                    )
                    change = attrs.evolve(change, **figures)
                results.append(change)
    return results


def _response_rates(
    workspace: Workspace, instruments: Mapping[str, Instrument]
) -> list[ResponseRate]:
    answered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for response in workspace.responses:
        answered[(response.instrument, response.occasion)].add(response.respondent)
    cohort_of = respondent_groups(workspace)["cohort"]
    planned = [
        (p.instrument, o) for p in workspace.concept.evaluation.instruments for o in p.occasions
    ]
    planned += [key for key in sorted(answered) if key not in planned]
    results = []
    for instrument_id, occasion in planned:
        instrument = instruments.get(instrument_id)
        if instrument is None:
            continue
        who = answered.get((instrument_id, occasion), set())
        by_cohort: dict[str, set[str]] = defaultdict(set)
        for respondent in who:
            by_cohort[cohort_of.get(respondent, "")].add(respondent)
        for cohort, expected in expected_respondents(workspace, instrument, occasion).items():
            members = by_cohort.get(cohort, set())
            results.append(
                ResponseRate(
                    instrument=instrument_id,
                    occasion=occasion,
                    cohort=cohort,
                    expected=len(expected),
                    answered=len(expected & who),
                    unexpected=len(members - expected),
                )
            )
    return results


def evaluate(workspace: Workspace, registry: Registry | None = None) -> EvaluationResult:
    """Return the evaluation of ``workspace``: scores, group results by cohort, module,
    organisation and occasion, reliability, change, response rates and participation.

    ``registry`` supplies the instruments and lifecycle models of plugins (default: every
    installed plugin). Needs SciPy (``pip install 'mio_core[stats]'``).
    """
    if registry is None:
        from ..plugins.manager import load_registry

        registry = load_registry()
    instruments = all_instruments(workspace, registry)
    with paused_gc():
        return _evaluate(workspace, registry, instruments)


def _evaluate(
    workspace: Workspace, registry: Registry, instruments: Mapping[str, Instrument]
) -> EvaluationResult:
    complete: dict[tuple[str, str, str], list[list[float]]] = {}
    scores = list(score_responses(workspace.responses, instruments, complete))
    return EvaluationResult(
        min_group_size=workspace.manifest.privacy.min_group_size,
        scores=tuple(scores),
        groups=tuple(group_results(workspace, instruments, scores)),
        reliability=tuple(_reliability(workspace, instruments, complete)),
        changes=tuple(_changes(workspace, instruments, scores)),
        response_rates=tuple(_response_rates(workspace, instruments)),
        participation=participation(workspace, registry),
    )
