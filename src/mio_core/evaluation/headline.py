"""The headline results for tools (``mio evaluate --format json``): aggregates only.

A stable schema of its own, the published result records as they are (every field, None
included); what people read is the evaluation view (:mod:`.view`).
"""

from __future__ import annotations

from typing import Any

import attrs

from .coaching import coaching_summary
from .results import EvaluationResult


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
        "choices": [_plain(c) for c in result.choices],
        "coaching": attrs.asdict(coaching_summary(result)),
        "programme": [_plain(g) for g in result.programme],
        "projects_by_stage": {c.category: c.count for c in participation.projects_by_stage},
        "projects_by_facet": {c.category: c.count for c in participation.projects_by_facet},
        "outcomes_by_level": {c.category: c.count for c in participation.outcomes_by_level},
        "goal_indicators": [{**_plain(g), "met": g.met} for g in result.goal_indicators],
        "participant_hours": [
            {**_plain(h), "total_hours": h.total_hours} for h in result.participant_hours
        ],
        "analyses": [
            {
                "name": a.name,
                "title": a.title,
                "plugin": a.plugin,
                "note": a.note,
                "figures": [
                    {"label": f.label, "value": f.value, "suppressed": f.suppressed}
                    for f in a.figures
                ],
            }
            for a in result.analyses.values()
        ],
    }
