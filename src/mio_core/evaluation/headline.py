"""The headline results for people and tools: aggregates only, never one person's answers."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

import attrs

from ..model import EvaluationLevel, Instrument, Workspace, text_in
from ..tables import format_table, number, p_value, share
from .results import EvaluationResult, GroupResult
from .suppression import PRIMARY


def coaching_summary(result: EvaluationResult) -> dict[str, Any]:
    """Return coaching dose and Goal Attainment Scaling as group figures (suppressed if small)."""
    dose = result.participation.coaching
    gas = [g for g in result.participation.goal_attainment if g.attainment is not None]
    small = len(gas) < result.min_group_size
    hours = [d.hours for d in dose]
    return {
        "participants": len(dose),
        "sessions_mean": statistics.fmean(d.sessions for d in dose) if dose else None,
        "hours_mean": statistics.fmean(hours) if hours else None,
        "hours_median": statistics.median(hours) if hours else None,
        "without_coaching": sum(1 for d in dose if d.sessions == 0),
        "gas_engagements": len(gas),
        "gas_baseline_mean": None if small else _mean([g.baseline for g in gas]),
        "gas_attainment_mean": None if small else _mean([g.attainment for g in gas]),
        "gas_suppressed": PRIMARY if small else None,
    }


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _interval(low: float | None, high: float | None) -> str:
    # "0.42-0.84", or "-0.10 to 0.79" when a bound is negative and a dash would mislead.
    if low is not None and high is not None and min(low, high) < 0:
        return f"{number(low)} to {number(high)}"
    return f"{number(low)}-{number(high)}"


def _wilcoxon_p(p: float | None, method: str | None) -> str:
    # The p with the method's initial: "0.012 (e)" exact, "<0.001 (n)" normal approximation.
    return p_value(p) if method is None else f"{p_value(p)} ({method[0]})"


def _plain(value: Any) -> dict[str, Any]:
    # Every field, None included, so that tools see the same keys in every row.
    return attrs.asdict(value)


def headline(result: EvaluationResult) -> dict[str, Any]:
    """Return the headline results as plain values (what ``mio evaluate --format json`` prints).

    Per-respondent scores and per-participant coaching are left out; every group below the
    minimum group size is marked suppressed and has no figures.
    """
    participation = result.participation
    attendance = participation.attendance_by_module()
    return {
        "min_group_size": result.min_group_size,
        "groups": [_plain(g) for g in result.groups if g.measure_kind == "subscale"],
        "items": [_plain(g) for g in result.groups if g.measure_kind == "item"],
        "reliability": [_plain(r) for r in result.reliability],
        "changes": [_plain(c) for c in result.changes],
        "response_rates": [{**_plain(r), "rate": r.rate} for r in result.response_rates],
        "attendance": [
            {"module": module, "attended": a, "expected": e, "rate": a / e if e else None}
            for module, (a, e) in attendance.items()
        ],
        "coaching": coaching_summary(result),
        "projects_by_stage": {c.category: c.count for c in participation.projects_by_stage},
        "projects_by_facet": {c.category: c.count for c in participation.projects_by_facet},
        "outcomes_by_level": {c.category: c.count for c in participation.outcomes_by_level},
    }


def instruments_by_level(
    result: EvaluationResult, instruments: Mapping[str, Instrument]
) -> list[tuple[EvaluationLevel, list[str]]]:
    """Return the evaluation levels that have results, each with its instruments' ids."""
    used = sorted({g.instrument for g in result.groups})
    levels = []
    for level in EvaluationLevel:
        at_level = [i for i in used if instruments[i].level is level]
        if at_level:
            levels.append((level, at_level))
    return levels


def _group_rows(
    groups: list[GroupResult], title: Mapping[str, str], minimum: int
) -> list[list[str]]:
    rows = []
    for g in groups:
        label = g.group if g.group_by != "all" else "all"
        if g.suppressed or g.summary is None:
            hidden = f"suppressed (n<{minimum})" if g.suppressed == PRIMARY else "suppressed"
            rows.append([g.occasion, title.get(g.measure, g.measure), label, hidden, "", "", ""])
            continue
        s = g.summary
        interval = f"{number(s.ci_low)}-{number(s.ci_high)}" if s.ci_low is not None else "-"
        rows.append(
            [
                g.occasion,
                title.get(g.measure, g.measure),
                label,
                str(s.n),
                number(s.mean),
                number(s.sd),
                interval,
            ]
        )
    return rows


def format_evaluation(
    result: EvaluationResult,
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    language: str = "",
) -> str:
    """Return the headline results as readable tables, grouped by evaluation level."""
    language = language or workspace.manifest.language
    minimum = result.min_group_size
    out = [
        f"{text_in(workspace.manifest.title, language)}: evaluation",
        f"Groups with fewer than {minimum} respondents are suppressed (shown as 'suppressed').",
    ]
    for level, at_level in instruments_by_level(result, instruments):
        out.append(f"\n== {level.code} {level.value} ==")
        for instrument_id in at_level:
            instrument = instruments[instrument_id]
            titles = {s.id: text_in(s.title, language) for s in instrument.subscales}
            out.append(f"\n{text_in(instrument.title, language)} ({instrument_id})")
            groups = [
                g
                for g in result.groups
                if g.instrument == instrument_id and g.measure_kind == "subscale"
            ]
            rows = _group_rows(
                [g for g in groups if g.group_by in ("all", "cohort")], titles, minimum
            )
            out.append(
                format_table(
                    ["occasion", "subscale", "group", "n", "mean", "sd", "95% CI"],
                    rows,
                    right={3, 4, 5},
                )
            )
            changes = [c for c in result.changes if c.instrument == instrument_id]
            if changes:
                out.append("Change (paired)")
                out.append(
                    format_table(
                        [
                            "subscale",
                            "from",
                            "to",
                            "pairs",
                            "before",
                            "after",
                            "difference",
                            "95% CI",
                            "t",
                            "p",
                            "d_z (95% CI)",
                            "d_av",
                            "Wilcoxon W",
                            "p",
                        ],
                        [
                            [
                                titles.get(c.subscale, c.subscale),
                                c.before,
                                c.after,
                                str(c.n_pairs),
                                *(
                                    ("suppressed", *[""] * 9)
                                    if c.suppressed
                                    else (
                                        number(c.mean_before),
                                        number(c.mean_after),
                                        number(c.mean_difference),
                                        _interval(c.ci_low, c.ci_high),
                                        number(c.t),
                                        p_value(c.p_t),
                                        f"{number(c.d_z)} "
                                        f"({_interval(c.d_z_ci_low, c.d_z_ci_high)})",
                                        number(c.d_av),
                                        number(c.wilcoxon_w, 1),
                                        _wilcoxon_p(c.wilcoxon_p, c.wilcoxon_method),
                                    )
                                ),
                            ]
                            for c in changes
                        ],
                        right={3, 4, 5, 6, 8, 9, 11, 12, 13},
                    )
                )
                out.append(
                    "t: paired t test; d_z = mean difference / sd of the differences "
                    "(approximate CI); d_av = mean difference / mean of the two sds; "
                    "Wilcoxon signed-rank test, p exact (e) or normal approximation (n)."
                )
    coaching = coaching_summary(result)
    out.append("\n== Coaching ==")
    sessions, hours = number(coaching["sessions_mean"], 1), number(coaching["hours_mean"], 1)
    out.append(
        f"{coaching['participants']} participants; on average {sessions} sessions and {hours} "
        f"hours (median {number(coaching['hours_median'], 1)}); "
        f"{coaching['without_coaching']} without coaching."
    )
    if coaching["gas_suppressed"]:
        out.append(
            f"Goal Attainment Scaling: suppressed (fewer than {minimum} engagements scored)."
        )
    else:
        baseline = number(coaching["gas_baseline_mean"], 1)
        attained = number(coaching["gas_attainment_mean"], 1)
        out.append(
            f"Goal Attainment Scaling ({coaching['gas_engagements']} engagements): mean T-score "
            f"{baseline} at baseline, {attained} attained (50 = the expected outcome)."
        )
    out.append("\n== Reliability (Cronbach's alpha) ==")
    out.append(
        format_table(
            ["instrument", "occasion", "subscale", "n", "items", "alpha", "95% CI (Feldt)"],
            [
                [
                    r.instrument,
                    r.occasion,
                    r.subscale,
                    str(r.n),
                    str(r.items),
                    "suppressed" if r.suppressed else number(r.alpha),
                    "" if r.alpha_ci_low is None else _interval(r.alpha_ci_low, r.alpha_ci_high),
                ]
                for r in result.reliability
            ],
            right={3, 4, 5},
        )
    )
    out.append("\n== Response rates ==")
    out.append(
        format_table(
            ["instrument", "occasion", "cohort", "expected", "answered", "rate"],
            [
                [
                    r.instrument,
                    r.occasion,
                    r.cohort,
                    str(r.expected),
                    str(r.answered),
                    share(r.answered, r.expected),
                ]
                for r in result.response_rates
            ],
            right={3, 4, 5},
        )
    )
    participation = result.participation
    out.append("\n== Innovation projects ==")
    out.append(
        format_table(
            ["stage", "projects"],
            [[c.category, str(c.count)] for c in participation.projects_by_stage],
            right={1},
        )
    )
    out.append(
        format_table(
            ["facet", "projects"],
            [[c.category, str(c.count)] for c in participation.projects_by_facet],
            right={1},
        )
    )
    out.append(
        format_table(
            ["outcome level", "outcomes"],
            [[c.category, str(c.count)] for c in participation.outcomes_by_level],
            right={1},
        )
    )
    return "\n".join(out) + "\n"
