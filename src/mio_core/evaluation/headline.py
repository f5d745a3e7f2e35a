"""The headline results for people and tools: aggregates only, never one person's answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..model import EvaluationLevel, Instrument, Workspace, text_in
from ..tables import format_table, number, p_value, share
from .disclosure import PRIMARY
from .results import EvaluationResult, GroupResult


def _overall(result: EvaluationResult, instrument: str, occasion: str, measure: str) -> Any:
    for g in result.programme:
        if (g.instrument, g.occasion, g.measure, g.group_by) == (
            instrument,
            occasion,
            measure,
            "all",
        ):
            return g
    return None


def coaching_summary(result: EvaluationResult) -> dict[str, Any]:
    """Return coaching dose and Goal Attainment Scaling over every participant and engagement,
    as disclosure control published them (None where suppressed or withheld)."""
    sessions = _overall(result, "coaching", "programme", "sessions")
    hours = _overall(result, "coaching", "programme", "hours")
    baseline = _overall(result, "gas", "baseline", "t_score")
    attained = _overall(result, "gas", "follow-up", "t_score")
    dose_shown = hours is not None and hours.summary is not None and hours.summary.n > 0
    gas_shown = attained is not None and attained.summary is not None
    without = sum(1 for d in result.participation.coaching if d.sessions == 0)
    return {
        "participants": hours.summary.n if dose_shown else None,
        "sessions_mean": sessions.summary.mean if sessions and sessions.summary else None,
        "hours_mean": hours.summary.mean if dose_shown else None,
        "hours_median": hours.summary.median if dose_shown else None,
        "without_coaching": without if dose_shown else None,
        "coaching_suppressed": None if dose_shown or hours is None else hours.suppressed,
        "gas_engagements": attained.summary.n if gas_shown else None,
        "gas_baseline_mean": baseline.summary.mean if baseline and baseline.summary else None,
        "gas_attainment_mean": attained.summary.mean if gas_shown else None,
        "gas_suppressed": None if gas_shown else (attained.suppressed if attained else PRIMARY),
    }


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
    return {
        "min_group_size": result.min_group_size,
        "groups": [_plain(g) for g in result.groups if g.measure_kind == "subscale"],
        "items": [_plain(g) for g in result.groups if g.measure_kind == "item"],
        "reliability": [_plain(r) for r in result.reliability],
        "changes": [_plain(c) for c in result.changes],
        "response_rates": [{**_plain(r), "rate": r.rate} for r in result.response_rates],
        "attendance": [{**_plain(a), "rate": a.rate} for a in result.attendance],
        "coaching": coaching_summary(result),
        "programme": [_plain(g) for g in result.programme],
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
                                "" if c.n_pairs is None else str(c.n_pairs),
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
    if coaching["participants"] is None:
        out.append("Coaching: suppressed (too few participants).")
    else:
        median = coaching["hours_median"]
        out.append(
            f"{coaching['participants']} participants; on average {sessions} sessions and "
            f"{hours} hours"
            + ("" if median is None else f" (median {number(median, 1)})")
            + f"; {coaching['without_coaching']} without coaching."
        )
    if coaching["gas_suppressed"]:
        out.append(
            "Goal Attainment Scaling: suppressed (too few engagements scored, or hidden so "
            "that no small group can be worked out)."
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
                    "" if r.n is None else str(r.n),
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
                    *(
                        ("suppressed", "", "")
                        if r.expected is None or r.answered is None
                        else (str(r.expected), str(r.answered), share(r.answered, r.expected))
                    ),
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
